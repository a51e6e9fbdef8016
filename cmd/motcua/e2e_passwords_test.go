package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/mailer/mailtest"
)

// TestServePasswordReset: with --smtp-addr the sign-in page offers the
// reset; the citizen asks for it, receives the link through the SMTP
// server, sets a new password on its page and signs in with it.
func TestServePasswordReset(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	smtp := mailtest.Start(t)
	s := startServer(t, "--data", t.TempDir(), "--demo", "--nats", "off", "--smtp-addr", smtp.Addr, "--smtp-from", "Một cửa <noreply@motcua.example.vn>")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	csrfOf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	page := func(method, path string, form url.Values) (int, string) {
		t.Helper()
		var res *http.Response
		var err error
		if form == nil {
			res, err = c.Get(s.base + path)
		} else {
			res, err = c.PostForm(s.base+path, form)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	_, login := page("GET", "/dang-nhap", nil)
	if !strings.Contains(login, `href="/quen-mat-khau"`) {
		t.Fatal("the sign-in page offers no reset")
	}
	csrf := csrfOf.FindStringSubmatch(login)[1]
	if st, body := page("POST", "/quen-mat-khau", url.Values{"csrf": {csrf}, "username": {"congdan"}}); st != 200 || !strings.Contains(body, "đã được gửi") {
		t.Fatalf("ask for the link: %d", st)
	}
	m, ok := smtp.Wait(1)
	if !ok || m.To != "congdan@example.vn" {
		t.Fatalf("mail %+v %v", m, ok)
	}
	link := regexp.MustCompile(`http://[^\s]+/dat-lai-mat-khau\?token=[A-Za-z0-9_-]+`).FindString(m.Text)
	if !strings.HasPrefix(link, s.base) {
		t.Fatalf("no link to %s in %q", s.base, m.Text)
	}
	_, reset := page("GET", strings.TrimPrefix(link, s.base), nil)
	token := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(reset)
	if token == nil {
		t.Fatal("the reset page carries no token")
	}
	if st, body := page("POST", "/dat-lai-mat-khau", url.Values{"csrf": {csrf}, "token": {token[1]}, "password": {"mật khẩu mới dài"}, "confirm": {"mật khẩu khác"}}); st != 422 || !strings.Contains(body, "không khớp") {
		t.Errorf("mismatched confirmation: %d", st)
	}
	if st, body := page("POST", "/dat-lai-mat-khau", url.Values{"csrf": {csrf}, "token": {token[1]}, "password": {"mật khẩu mới dài"}, "confirm": {"mật khẩu mới dài"}}); st != 200 || !strings.Contains(body, "Đã đặt mật khẩu mới") {
		t.Fatalf("reset: %d", st)
	}
	for pw, want := range map[string]int{"demo": 401, "mật khẩu mới dài": 200} {
		res, err := http.Post(s.base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"congdan","password":"`+pw+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("login with %q = %d, want %d", pw, res.StatusCode, want)
		}
	}
}
