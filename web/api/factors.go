package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/auth"
)

// LoginOutBody is a login's answer: a session's token, or a challenge and
// the second step it waits for.
type LoginOutBody struct {
	Token                string    `json:"token,omitempty" doc:"Token phiên đăng nhập (không có khi còn bước xác thực thứ hai)"`
	ExpiresAt            time.Time `json:"expires_at" doc:"Hết hạn của phiên, hoặc của challenge"`
	Account              *MeOut    `json:"account,omitempty" doc:"Tài khoản (chỉ khi đã có token: trước bước thứ hai, không lộ gì thêm)"`
	Challenge            string    `json:"challenge,omitempty" doc:"Mã phiên xác thực dở dang (5 phút, dùng một lần)"`
	SecondFactorRequired bool      `json:"second_factor_required,omitempty"`
	EnrolmentRequired    bool      `json:"enrolment_required,omitempty"`
}

type loginOut struct {
	SetCookie string `header:"Set-Cookie"`
	Body      LoginOutBody
}

// loginOut is the answer of l, with the session's cookie when it opened one.
func (s *Server) loginOut(ctx context.Context, l accounts.Login) *loginOut {
	out := &loginOut{Body: LoginOutBody{Token: l.Token, ExpiresAt: l.ExpiresAt,
		Challenge: l.Challenge, SecondFactorRequired: l.SecondFactorRequired, EnrolmentRequired: l.EnrolmentRequired}}
	if l.Token != "" {
		me := s.me(ctx, l.Account)
		out.Body.Account = &me
		c := http.Cookie{Name: auth.SessionCookie, Value: l.Token, Path: "/", MaxAge: s.cookieAge(l.ExpiresAt), HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode}
		out.SetCookie = c.String()
	}
	return out
}

// SecondFactorIn is the second step of a login.
type SecondFactorIn struct {
	Challenge string `json:"challenge" minLength:"1" maxLength:"200"`
	Code      string `json:"code" minLength:"1" maxLength:"32" doc:"Mã 6 số từ ứng dụng xác thực, hoặc một mã khôi phục"`
}

// EnrolIn names the enrolment: the challenge of a login the policy sent
// to enrol, or none for the account signed in.
type EnrolIn struct {
	Challenge string `json:"challenge,omitempty" maxLength:"200"`
}

// ConfirmIn confirms an enrolment with the app's first code.
type ConfirmIn struct {
	Challenge string `json:"challenge,omitempty" maxLength:"200"`
	Code      string `json:"code" minLength:"6" maxLength:"6" pattern:"^[0-9]{6}$"`
}

// EnrolledOut is a confirmed factor: the recovery codes (shown this once)
// and, when the enrolment finished a login, its session.
type EnrolledOut struct {
	RecoveryCodes []string      `json:"recovery_codes" doc:"10 mã khôi phục, mỗi mã dùng một lần, chỉ hiển thị lần này"`
	Login         *LoginOutBody `json:"login,omitempty"`
}

func (s *Server) factorRoutes(tag []string) {
	register(s, huma.Operation{OperationID: "login-second-factor", Method: http.MethodPost, Path: "/api/v1/auth/login/second-factor", Summary: "Đăng nhập: bước xác thực thứ hai (mã TOTP hoặc mã khôi phục)", Tags: tag, MaxBodyBytes: maxLoginBody}, public,
		func(ctx context.Context, in *struct{ Body SecondFactorIn }) (*loginOut, error) {
			l, err := s.app.Accounts.LoginSecondFactor(ctx, actorOf(ctx), in.Body.Challenge, in.Body.Code)
			if err != nil {
				return nil, err
			}
			return s.loginOut(ctx, l), nil
		})
	register(s, huma.Operation{OperationID: "begin-totp", Method: http.MethodPost, Path: "/api/v1/auth/second-factor/totp", Summary: "Bắt đầu đăng ký xác thực hai lớp (TOTP): khóa bí mật và địa chỉ otpauth",
		Description: "Với `challenge` của một lần đăng nhập phải đăng ký, hoặc với token của tài khoản đang đăng nhập.", Tags: tag, MaxBodyBytes: maxLoginBody}, public,
		func(ctx context.Context, in *struct{ Body EnrolIn }) (*bodyOut[accounts.Enrolment], error) {
			en, err := s.app.Accounts.BeginTOTP(ctx, actorOf(ctx), in.Body.Challenge)
			if err != nil {
				return nil, err
			}
			return body(en), nil
		})
	type confirmOut struct {
		SetCookie string `header:"Set-Cookie"`
		Body      EnrolledOut
	}
	register(s, huma.Operation{OperationID: "confirm-totp", Method: http.MethodPost, Path: "/api/v1/auth/second-factor/totp/confirm", Summary: "Xác nhận đăng ký xác thực hai lớp bằng mã đầu tiên; nhận mã khôi phục",
		Tags: tag, MaxBodyBytes: maxLoginBody}, public,
		func(ctx context.Context, in *struct{ Body ConfirmIn }) (*confirmOut, error) {
			en, err := s.app.Accounts.ConfirmTOTP(ctx, actorOf(ctx), in.Body.Challenge, in.Body.Code)
			if err != nil {
				return nil, err
			}
			out := &confirmOut{Body: EnrolledOut{RecoveryCodes: en.RecoveryCodes}}
			if en.Login != nil {
				l := s.loginOut(ctx, *en.Login)
				out.SetCookie, out.Body.Login = l.SetCookie, &l.Body
			}
			return out, nil
		})
	register(s, huma.Operation{OperationID: "get-second-factor", Method: http.MethodGet, Path: "/api/v1/accounts/{id}/second-factor", Summary: "Xác thực hai lớp của một tài khoản", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			ID int64 `path:"id" minimum:"1"`
		}) (*bodyOut[accounts.SecondFactor], error) {
			f, err := s.app.Accounts.SecondFactorOf(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return body(f), nil
		})
	register(s, huma.Operation{OperationID: "reset-second-factor", Method: http.MethodPost, Path: "/api/v1/accounts/{id}/second-factor/reset", Summary: "Đặt lại xác thực hai lớp (mất điện thoại): xóa khóa và mã khôi phục, dừng các phiên",
		Tags: tag, DefaultStatus: 204}, needs(identity.PermAccountManage),
		func(ctx context.Context, in *struct {
			ID int64 `path:"id" minimum:"1"`
		}) (*struct{}, error) {
			if err := s.app.Accounts.ResetSecondFactor(ctx, actorOf(ctx), in.ID); err != nil {
				return nil, err
			}
			return nil, nil
		})
}
