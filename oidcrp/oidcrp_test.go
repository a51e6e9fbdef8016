package oidcrp_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/oidcdemo"
	"github.com/motcua/motcua/oidcrp"
)

const redirect = "https://dichvucong.example.vn/dang-nhap/sso/callback"

func setup(t *testing.T) (*oidcdemo.Provider, *oidcrp.Provider) {
	t.Helper()
	op := oidcdemo.Start(t, oidcdemo.Client{ID: "motcua", Secret: "s3cret", RedirectURIs: []string{redirect}})
	rp := oidcrp.New(oidcrp.Config{Name: "demo", Label: "VNeID", Issuer: op.Issuer(), ClientID: "motcua", ClientSecret: "s3cret",
		RedirectURL: redirect, ACRValues: "LoA2"})
	return op, rp
}

// signIn runs the flow up to the callback and returns its code.
func signIn(t *testing.T, op *oidcdemo.Provider, rp *oidcrp.Provider, who, state, nonce, verifier string) string {
	t.Helper()
	to, err := rp.AuthURL(context.Background(), state, nonce, verifier)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(to)
	if q := u.Query(); q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") != nonce || q.Get("acr_values") != "LoA2" {
		t.Fatalf("authorize URL without PKCE, nonce or acr_values: %s", to)
	}
	back, err := op.SignIn(to, who)
	if err != nil {
		t.Fatal(err)
	}
	if back.Query().Get("state") != state {
		t.Fatalf("state not echoed: %s", back)
	}
	return back.Query().Get("code")
}

// TestFlow: every demo identity signs on through the real flow (PKCE,
// nonce) and is read as its kind, key and level.
func TestFlow(t *testing.T) {
	op, rp := setup(t)
	for _, tt := range []struct {
		who   string
		typ   int
		key   string
		level int
	}{
		{"congdan-vneid", identity.SignOnCitizen, "001090012345", 2},
		{"lethimai-vneid", identity.SignOnCitizen, "001192007788", 2},
		{"lethimai-muc1", identity.SignOnCitizen, "001192007788", 1},
		{"songhong", identity.SignOnEnterprise, "0101234567", 2},
		{"truongtieuhoc", identity.SignOnOrganization, "TECH-TC-000123", 2},
	} {
		t.Run(tt.who, func(t *testing.T) {
			code := signIn(t, op, rp, tt.who, "st-"+tt.who, "nonce-"+tt.who, strings.Repeat("v", 43))
			id, err := rp.Identity(context.Background(), code, strings.Repeat("v", 43), "nonce-"+tt.who)
			if err != nil {
				t.Fatal(err)
			}
			if id.Type != tt.typ || id.Key() != tt.key || id.Level != tt.level || id.Issuer != op.Issuer() || id.Subject == "" || id.Validate() != nil {
				t.Errorf("identity %+v", id)
			}
		})
	}
}

// TestRefused: a replayed code, a wrong PKCE verifier, a nonce of another
// sign-on, and ID tokens forged, expired, for another client or from
// another issuer are each refused with their own message.
func TestRefused(t *testing.T) {
	op, rp := setup(t)
	ctx := context.Background()
	verifier := strings.Repeat("a", 43)
	code := signIn(t, op, rp, "lethimai-vneid", "s1", "n1", verifier)
	if _, err := rp.Identity(ctx, code, verifier, "n1"); err != nil {
		t.Fatal(err)
	}
	if _, err := rp.Identity(ctx, code, verifier, "n1"); errs.KindOf(err) != errs.Unauthorized || !strings.Contains(errs.Message(err), "không chấp nhận mã đăng nhập") {
		t.Errorf("replayed code: %v", err)
	}
	code = signIn(t, op, rp, "lethimai-vneid", "s2", "n2", verifier)
	if _, err := rp.Identity(ctx, code, strings.Repeat("b", 43), "n2"); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("wrong verifier: %v", err)
	}
	code = signIn(t, op, rp, "lethimai-vneid", "s3", "n3", verifier)
	if _, err := rp.Identity(ctx, code, verifier, "another nonce"); errs.KindOf(err) != errs.Unauthorized || !strings.Contains(errs.Message(err), "nonce") {
		t.Errorf("nonce of another sign-on: %v", err)
	}
	claims := func(change func(map[string]any)) map[string]any {
		c, err := op.IDTokenClaims("motcua", "lethimai-vneid", "n4")
		if err != nil {
			t.Fatal(err)
		}
		if change != nil {
			change(c)
		}
		return c
	}
	for _, tt := range []struct {
		name   string
		forge  bool
		claims map[string]any
		says   string
	}{
		{"valid", false, claims(nil), ""},
		{"forged signature", true, claims(nil), "chữ ký"},
		{"expired", false, claims(func(c map[string]any) {
			c["iat"], c["exp"] = time.Now().Add(-2*time.Hour).Unix(), time.Now().Add(-time.Hour).Unix()
		}), "hết hạn"},
		{"another client", false, claims(func(c map[string]any) { c["aud"], c["azp"] = []string{"other-client"}, "other-client" }), "không cấp cho hệ thống này"},
		{"another issuer", false, claims(func(c map[string]any) { c["iss"] = "https://evil.example.vn" }), "không do cổng xác thực"},
		{"no nonce", false, claims(func(c map[string]any) { delete(c, "nonce") }), "nonce"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sign := op.SignIDToken
			if tt.forge {
				sign = op.ForgeIDToken
			}
			raw, err := sign(tt.claims)
			if err != nil {
				t.Fatal(err)
			}
			err = rp.VerifyIDToken(ctx, raw, "n4")
			if tt.says == "" {
				if err != nil {
					t.Fatalf("a valid token refused: %v", err)
				}
				return
			}
			if errs.KindOf(err) != errs.Unauthorized || !strings.Contains(errs.Message(err), tt.says) {
				t.Errorf("err = %v (%s), want one saying %q", err, errs.Message(err), tt.says)
			}
		})
	}
}

// TestProviderDown: a provider that does not answer is unavailable, with a
// message; nothing else waits on it.
func TestProviderDown(t *testing.T) {
	rp := oidcrp.New(oidcrp.Config{Name: "x", Issuer: "http://127.0.0.1:1/sso", ClientID: "c", Timeout: time.Second})
	if _, err := rp.AuthURL(context.Background(), "s", "n", strings.Repeat("v", 43)); errs.KindOf(err) != errs.Unavailable || !strings.Contains(errs.Message(err), "Không kết nối được") {
		t.Errorf("AuthURL with the provider down: %v", err)
	}
}
