package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/identity"
)

// sessionRoutes: the caller's own login sessions, and an administrator
// ending all of an account's.
func (s *Server) sessionRoutes() {
	tag := []string{"Tài khoản"}
	register(s, huma.Operation{OperationID: "list-my-sessions", Method: http.MethodGet, Path: "/api/v1/me/sessions", Summary: "Các phiên đăng nhập đang hoạt động của tài khoản (thiết bị, IP, lần dùng cuối)", Tags: tag}, loggedIn,
		func(ctx context.Context, _ *struct{}) (*listOut[accounts.SessionInfo], error) {
			ss, err := s.app.Accounts.Sessions(ctx, actorOf(ctx), tokenOf(ctx))
			if err != nil {
				return nil, err
			}
			return list(ss, len(ss)), nil
		})
	register(s, huma.Operation{OperationID: "end-my-session", Method: http.MethodDelete, Path: "/api/v1/me/sessions/{id}", Summary: "Kết thúc một phiên đăng nhập của chính mình", Tags: tag, DefaultStatus: 204}, loggedIn,
		func(ctx context.Context, in *struct {
			ID string `path:"id" minLength:"1" maxLength:"64"`
		}) (*struct{}, error) {
			return nil, s.app.Accounts.EndSession(ctx, actorOf(ctx), in.ID)
		})
	type ended struct {
		Ended int64 `json:"ended"` // sessions ended
	}
	register(s, huma.Operation{OperationID: "end-account-sessions", Method: http.MethodPost, Path: "/api/v1/accounts/{id}/sessions/end", Summary: "Kết thúc mọi phiên đăng nhập của một tài khoản", Tags: tag}, needs(identity.PermAccountManage),
		func(ctx context.Context, in *struct {
			ID int64 `path:"id" minimum:"1"`
		}) (*bodyOut[ended], error) {
			n, err := s.app.Accounts.EndAccountSessions(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return body(ended{Ended: n}), nil
		})
}
