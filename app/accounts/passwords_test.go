package accounts_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/mailer"
	"github.com/motcua/motcua/mailer/mailtest"
)

// TestPasswordReset: a citizen who forgot the password gets a one-time
// link by e-mail through a real SMTP server, sets a new password with it
// (the old one and the old sessions end); nobody else gets a mail, and the
// answer never tells whether an account exists.
func TestPasswordReset(t *testing.T) {
	srv := mailtest.Start(t)
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) {
		c.Passwords = accounts.PasswordConfig{Mailer: &mailer.SMTP{Addr: srv.Addr, From: "Một cửa <noreply@motcua.example.vn>"},
			ResetURL: "https://dichvucong.example.vn/dat-lai-mat-khau"}
	}))
	anon := apptest.Anonymous()
	old, err := e.App.Accounts.Login(e.Ctx, anon, apptest.Citizen, demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"nobody", "chuyenvien", apptest.Citizen} {
		if err := e.App.Accounts.RequestPasswordReset(e.Ctx, anon, who); err != nil {
			t.Fatalf("reset %s: %v", who, err)
		}
	}
	m, ok := srv.Wait(1)
	if !ok {
		t.Fatal("no mail")
	}
	if got := srv.Mails(); len(got) != 1 || m.To != "congdan@example.vn" || !strings.Contains(m.Subject, "Đặt lại mật khẩu") || !strings.Contains(m.Text, "congdan") {
		t.Fatalf("mails %+v", got)
	}
	tok := regexp.MustCompile(`https://dichvucong\.example\.vn/dat-lai-mat-khau\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(m.Text)
	if tok == nil {
		t.Fatalf("no link in %q", m.Text)
	}
	if err := e.App.Accounts.ResetPassword(e.Ctx, anon, tok[1], "ngắn"); errs.KindOf(err) != errs.Invalid {
		t.Errorf("a short password: %v", err)
	}
	if err := e.App.Accounts.ResetPassword(e.Ctx, anon, "forged", "mật khẩu mới dài"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a forged token: %v", err)
	}
	if err := e.App.Accounts.ResetPassword(e.Ctx, anon, tok[1], "mật khẩu mới dài"); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Accounts.ResetPassword(e.Ctx, anon, tok[1], "mật khẩu khác nữa"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a link used twice: %v", err)
	}
	if _, err := e.App.Accounts.Authenticate(e.Ctx, old.Token); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("the old session survived the reset: %v", err)
	}
	if _, err := e.App.Accounts.Login(e.Ctx, anon, apptest.Citizen, demo.Password); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("the old password still works: %v", err)
	}
	if _, err := e.App.Accounts.Login(e.Ctx, anon, apptest.Citizen, "mật khẩu mới dài"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if n := audited(t, e, "auth.password_reset"); n != 1 {
		t.Errorf("%d reset entries", n)
	}
}

// TestNoLocalPublic: where the province does not allow local passwords of
// the public, a citizen's password login is refused with the way to sign
// in; an official's is not; no reset by e-mail is offered.
func TestNoLocalPublic(t *testing.T) {
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.Passwords.NoLocalPublic = true }))
	anon := apptest.Anonymous()
	if _, err := e.App.Accounts.Login(e.Ctx, anon, apptest.Citizen, demo.Password); errs.KindOf(err) != errs.Forbidden || !strings.Contains(errs.Message(err), "VNeID") {
		t.Errorf("citizen's password login: %v", err)
	}
	if _, err := e.App.Accounts.Login(e.Ctx, anon, "chuyenvien", demo.Password); err != nil {
		t.Errorf("official's password login: %v", err)
	}
	if allowed, reset := e.App.Accounts.LocalPasswords(); allowed || reset {
		t.Errorf("LocalPasswords = %v, %v", allowed, reset)
	}
	if err := e.App.Accounts.RequestPasswordReset(e.Ctx, anon, apptest.Citizen); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("reset offered: %v", err)
	}
}
