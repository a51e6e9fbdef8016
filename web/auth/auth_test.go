package auth_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/auth"
)

// accounts knows one token.
type accounts map[string]*identity.Account

func (a accounts) Authenticate(_ context.Context, token string) (*identity.Account, error) {
	if acc, ok := a[token]; ok {
		return acc, nil
	}
	return nil, errs.New(errs.Unauthorized, "auth.invalid_token", "Phiên đăng nhập không hợp lệ.", "invalid token")
}

func TestIdentify(t *testing.T) {
	alice := &identity.Account{ID: 7, Username: "alice"}
	known := accounts{"good": alice}
	tests := []struct {
		name       string
		header     map[string]string
		wantAcc    *identity.Account
		wantToken  string
		wantCookie bool
		wantErr    errs.Kind
	}{
		{"anonymous", nil, nil, "", false, 0},
		{"bearer", map[string]string{"Authorization": "Bearer good"}, alice, "good", false, 0},
		{"cookie", map[string]string{"Cookie": "a=b; motcua_session=good"}, alice, "good", true, 0},
		{"bearer wins over the cookie", map[string]string{"Authorization": "Bearer good", "Cookie": "motcua_session=bad"}, alice, "good", false, 0},
		{"wrong scheme", map[string]string{"Authorization": "Basic Zm9vOmJhcg=="}, nil, "", false, errs.Unauthorized},
		{"expired token", map[string]string{"Authorization": "Bearer old"}, nil, "old", false, errs.Unauthorized},
		{"expired cookie", map[string]string{"Cookie": "motcua_session=old"}, nil, "old", true, errs.Unauthorized},
		{"other cookies only", map[string]string{"Cookie": "motcua_lang=en"}, nil, "", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = "203.0.113.9:5555"
			r.Header.Set("User-Agent", "test")
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			c, err := auth.Identify(context.Background(), known, auth.Request(r))
			if errs.KindOf(err) != tt.wantErr && !(err == nil && tt.wantErr == 0) {
				t.Fatalf("err = %v, want kind %v", err, tt.wantErr)
			}
			if c.Actor.Account != tt.wantAcc || c.Token != tt.wantToken || c.Cookie != tt.wantCookie {
				t.Errorf("caller = %+v", c)
			}
			if c.Actor.IP != "203.0.113.9" || c.Actor.UserAgent != "test" {
				t.Errorf("actor's address %q, browser %q", c.Actor.IP, c.Actor.UserAgent)
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	for in, want := range map[string]string{"127.0.0.1:80": "127.0.0.1", "[::1]:443": "::1", "unix": "unix"} {
		if got := auth.ClientIP(in); got != want {
			t.Errorf("ClientIP(%q) = %q, want %q", in, got, want)
		}
	}
}
