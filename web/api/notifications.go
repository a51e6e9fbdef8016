package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/notify"
)

// notificationPrefs is how the caller is told of their dossiers.
type notificationPrefs struct {
	Channels []string `json:"channels" doc:"the channels chosen: email, sms, zalo (none: not told)"`
	Lang     string   `json:"lang" enum:"vi,en" doc:"the language of the messages"`
	Offered  []string `json:"offered" doc:"the channels this platform sends on"`
}

func (s *Server) prefsOut(p notify.Prefs) *bodyOut[notificationPrefs] {
	out := notificationPrefs{Channels: []string{}, Lang: notify.Lang(p.Lang), Offered: []string{}}
	for _, c := range p.Channels {
		out.Channels = append(out.Channels, string(c))
	}
	for _, c := range s.app.Notifications.Channels() {
		out.Offered = append(out.Offered, string(c))
	}
	return body(out)
}

// notificationRoutes: the caller's choice of how they are told of their
// dossiers (received, supplements, fees, result, apology).
func (s *Server) notificationRoutes() {
	tag := []string{"Tài khoản"}
	register(s, huma.Operation{OperationID: "get-my-notifications", Method: http.MethodGet, Path: "/api/v1/me/notifications", Summary: "Cách nhận thông báo về hồ sơ (mặc định: thư điện tử khi có địa chỉ)", Tags: tag}, loggedIn,
		func(ctx context.Context, _ *struct{}) (*bodyOut[notificationPrefs], error) {
			p, err := s.app.Notifications.Prefs(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return s.prefsOut(p), nil
		})
	register(s, huma.Operation{OperationID: "put-my-notifications", Method: http.MethodPut, Path: "/api/v1/me/notifications", Summary: "Chọn cách nhận thông báo về hồ sơ và ngôn ngữ", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			Body struct {
				Channels []string `json:"channels" maxItems:"3" doc:"email, sms, zalo: among the offered, each needing the account's address"`
				Lang     string   `json:"lang,omitempty" enum:"vi,en" doc:"default vi"`
			}
		}) (*bodyOut[notificationPrefs], error) {
			p, err := s.app.Notifications.SetPrefs(ctx, actorOf(ctx), in.Body.Channels, in.Body.Lang)
			if err != nil {
				return nil, err
			}
			return s.prefsOut(p), nil
		})
}
