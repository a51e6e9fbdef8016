package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/mailer"
	"github.com/motcua/motcua/store"
)

// Mailer sends e-mail (mailer.SMTP).
type Mailer interface {
	Send(ctx context.Context, m mailer.Message) error
}

// PasswordConfig rules the passwords of citizens, enterprises and
// organisations (officials always have one).
type PasswordConfig struct {
	// NoLocalPublic: the public signs in only through the national
	// sign-on; their password logins are refused (serve without
	// --local-citizens).
	NoLocalPublic bool
	// Mailer sends the reset links (nil: no reset by e-mail); ResetURL is
	// the page a link opens (<public URL>/dat-lai-mat-khau).
	Mailer   Mailer
	ResetURL string
	// ResetTTL bounds a link's life (default 30 min).
	ResetTTL time.Duration
}

// SetPasswords configures the local passwords of the public.
func (s *Service) SetPasswords(cfg PasswordConfig) {
	if cfg.ResetTTL <= 0 {
		cfg.ResetTTL = 30 * time.Minute
	}
	s.passwords = cfg
}

// LocalPasswords reports whether the public may sign in with a password
// here, and whether a forgotten one is reset by e-mail.
func (s *Service) LocalPasswords() (allowed, reset bool) {
	allowed = !s.passwords.NoLocalPublic
	return allowed, allowed && s.passwords.Mailer != nil
}

func public(acc identity.Account) bool {
	return acc.Kind == identity.KindCitizen || acc.Kind == identity.KindEnterprise || acc.Kind == identity.KindOrganization
}

// localPasswordAllowed refuses the password login of the public where the
// province does not allow local passwords.
func (s *Service) localPasswordAllowed(acc identity.Account) error {
	if s.passwords.NoLocalPublic && public(acc) {
		return errs.New(errs.Forbidden, "auth.local_password_disabled",
			"Tỉnh không dùng mật khẩu riêng cho công dân, doanh nghiệp và tổ chức: xin đăng nhập bằng VNeID / Cổng Dịch vụ công quốc gia.",
			"local passwords of the public are disabled: sign in with the national identity")
	}
	return nil
}

const kindReset = "password_reset"

type resetRequest struct {
	AccountID int64 `json:"account_id"`
}

// RequestPasswordReset e-mails a one-time link to reset the password of
// the account username, if it is a public account with a password and an
// e-mail address. The answer is the same whatever the account (nothing
// tells a stranger whether it exists); requests are throttled per
// username and client address like logins. Audited.
func (s *Service) RequestPasswordReset(ctx context.Context, ac identity.Actor, username string) error {
	allowed, reset := s.LocalPasswords()
	if !allowed || !reset {
		return errs.New(errs.Unavailable, "auth.reset_unavailable", "Tỉnh chưa cấu hình đặt lại mật khẩu qua thư điện tử; xin liên hệ bộ phận một cửa.", "password reset by e-mail not configured")
	}
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || len(username) > 64 {
		return errs.New(errs.Invalid, "auth.reset_username", "Xin nhập tên đăng nhập.", "username required")
	}
	key := "reset:" + username
	if wait := s.throttle.wait(ctx, key, ac.IP); wait > 0 {
		return &RetryError{Err: throttled(wait), After: wait}
	}
	// Every request counts: the throttle bounds the mails one username or
	// address may cause.
	s.throttle.fail(ctx, key, ac.IP)
	acc, err := s.db.AccountByUsername(ctx, username)
	if err != nil || !public(acc) || acc.Disabled || acc.PasswordHash == "" || acc.Email == "" {
		_ = s.RecordRead(ctx, ac, "auth.reset_requested", "username:"+username, map[string]any{"sent": false})
		return nil
	}
	token, tokenHash, err := identity.NewToken()
	if err != nil {
		return err
	}
	data, _ := json.Marshal(resetRequest{AccountID: acc.ID})
	expires := s.Now().Add(s.passwords.ResetTTL)
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutSignOnRequest(ctx, store.SignOnRequest{ID: tokenHash, Kind: kindReset, Data: data, ExpiresAt: expires}); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "auth.reset_requested", fmt.Sprintf("account:%d", acc.ID), map[string]any{"sent": true})
	})
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	link := s.passwords.ResetURL + "?token=" + url.QueryEscape(token)
	text := fmt.Sprintf("Kính gửi %s,\n\nCó yêu cầu đặt lại mật khẩu tài khoản %s trên Hệ thống thông tin giải quyết thủ tục hành chính của %s.\n"+
		"Mở liên kết sau để đặt mật khẩu mới (dùng một lần, hết hạn lúc %s):\n\n%s\n\n"+
		"Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên.\n\n"+
		"— Dear %s, a password reset was asked for your account %s. The link above works once, until the time shown. If you did not ask, ignore this message.\n",
		acc.DisplayName, acc.Username, s.Province.Name, expires.In(calendar.VN).Format("15:04 02/01/2006 (-07:00)"), link, acc.DisplayName, acc.Username)
	if err := s.passwords.Mailer.Send(ctx, mailer.Message{To: acc.Email, Subject: "Đặt lại mật khẩu — " + s.Province.Name, Text: text}); err != nil {
		s.Log.Error("password reset mail not sent", "account", acc.ID, "error", err)
		return errs.Wrap(errs.Unavailable, "auth.reset_mail", "Không gửi được thư đặt lại mật khẩu; xin thử lại sau.", "reset mail not sent", err)
	}
	return nil
}

// MinPasswordLength is the least a password chosen by its holder has.
const MinPasswordLength = 8

// ResetPassword sets a new password with the link's token (once, before it
// expires) and ends the account's sessions. Audited.
func (s *Service) ResetPassword(ctx context.Context, ac identity.Actor, token, password string) error {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength || len(password) > 256 {
		return errs.InvalidFields("auth.password_weak", fmt.Sprintf("Mật khẩu mới cần từ %d đến 256 ký tự.", MinPasswordLength), "password length",
			[]errs.FieldError{{Field: "password", Key: "length", Message: fmt.Sprintf("Cần ít nhất %d ký tự.", MinPasswordLength)}})
	}
	hash, err := identity.HashPassword(password)
	if err != nil {
		return err
	}
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		r, err := tx.TakeSignOnRequest(ctx, identity.HashToken(token), kindReset, s.Now())
		if err != nil {
			return errs.New(errs.NotFound, "auth.reset_token", "Liên kết đặt lại mật khẩu không hợp lệ, đã được dùng hoặc đã hết hạn; xin yêu cầu liên kết mới.", "unknown, used or expired reset token")
		}
		var req resetRequest
		if err := json.Unmarshal(r.Data, &req); err != nil {
			return err
		}
		acc, err := tx.Account(ctx, req.AccountID)
		if err != nil {
			return err
		}
		if acc.Disabled || !public(acc) {
			return errs.New(errs.Forbidden, "auth.reset_refused", "Tài khoản này không đặt lại mật khẩu qua thư điện tử.", "reset refused")
		}
		acc.PasswordHash = hash
		if err := tx.UpdateAccount(ctx, acc); err != nil {
			return err
		}
		if _, err := tx.DeleteAccountSessions(ctx, acc.ID); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "auth.password_reset", fmt.Sprintf("account:%d", acc.ID), nil)
	})
	if err != nil {
		return err
	}
	s.sessions.Clear()
	return nil
}
