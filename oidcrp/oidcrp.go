// Package oidcrp signs citizens and businesses on with a national
// identity provider (VNeID, the national public service portal's sign-on)
// over OpenID Connect: the authorization code flow with PKCE (S256),
// state and nonce, the ID token verified (signature against the
// provider's keys, issuer, audience, expiry, nonce) by coreos/go-oidc, and
// the national claims (../shared/INTEROP.md section f) read into an
// identity.SignOnIdentity. The provider's endpoints come from its
// discovery document, read at the first use (a provider down at start
// delays nothing else).
package oidcrp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// Config is one provider.
type Config struct {
	Name  string // short, URL-safe ("dvcqg")
	Label string // the button's text ("VNeID / Cổng DVCQG")
	// Issuer is the provider's issuer URL (its discovery document is at
	// Issuer/.well-known/openid-configuration).
	Issuer                 string
	ClientID, ClientSecret string
	RedirectURL            string // this platform's callback
	// Scopes asked (default openid); ACRValues is sent as acr_values
	// ("LoA2"; empty: none).
	Scopes    []string
	ACRValues string
	// Timeout bounds each call to the provider (default 15 s).
	Timeout time.Duration
	// HTTPClient reaches the provider (default: a client with Timeout);
	// the demo's provider in process is reached through its own.
	HTTPClient *http.Client
	// Now is the clock the ID token's expiry is checked against (default
	// time.Now).
	Now func() time.Time
}

// Provider is a configured identity provider.
type Provider struct {
	cfg    Config
	client *http.Client

	mu         sync.Mutex
	oauth      *oauth2.Config
	verifier   *oidc.IDTokenVerifier
	endSession string // the provider's end_session_endpoint ("" if none)
}

// New returns the provider of cfg.
func New(cfg Config) *Provider {
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{oidc.ScopeOpenID}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: cfg.Timeout}
	}
	return &Provider{cfg: cfg, client: client}
}

// Name is the provider's short name.
func (p *Provider) Name() string { return p.cfg.Name }

// Label is the sign-on button's text.
func (p *Provider) Label() string { return p.cfg.Label }

func unavailable(err error) error {
	return errs.Wrap(errs.Unavailable, "signon.provider_unreachable", "Không kết nối được cổng xác thực; xin thử lại sau ít phút.", "identity provider unreachable", err)
}

func refused(key, vi, en string, cause error) error {
	return errs.Wrap(errs.Unauthorized, key, vi, en, cause)
}

// discover reads the provider's discovery document once.
func (p *Provider) discover(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.oauth != nil {
		return p.oauth, p.verifier, nil
	}
	op, err := oidc.NewProvider(oidc.ClientContext(ctx, p.client), p.cfg.Issuer)
	if err != nil {
		return nil, nil, unavailable(fmt.Errorf("discover %s: %w", p.cfg.Issuer, err))
	}
	p.oauth = &oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: p.cfg.RedirectURL, Endpoint: op.Endpoint(), Scopes: p.cfg.Scopes}
	p.verifier = op.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: p.cfg.Now})
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if op.Claims(&extra) == nil {
		p.endSession = extra.EndSession
	}
	return p.oauth, p.verifier, nil
}

// LogoutURL is where the browser ends its session at the provider
// (RP-initiated logout, with our client ID) and comes back to
// postLogout; "" when the provider has no end_session_endpoint.
func (p *Provider) LogoutURL(ctx context.Context, postLogout string) (string, error) {
	if _, _, err := p.discover(ctx); err != nil {
		return "", err
	}
	if p.endSession == "" {
		return "", nil
	}
	u, err := url.Parse(p.endSession)
	if err != nil {
		return "", nil
	}
	q := u.Query()
	q.Set("client_id", p.cfg.ClientID)
	q.Set("post_logout_redirect_uri", postLogout)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// AuthURL is the provider's authorization URL for a request.
func (p *Provider) AuthURL(ctx context.Context, state, nonce, verifier string) (string, error) {
	oc, _, err := p.discover(ctx)
	if err != nil {
		return "", err
	}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if p.cfg.ACRValues != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", p.cfg.ACRValues))
	}
	return oc.AuthCodeURL(state, opts...), nil
}

// Identity exchanges code and verifies the ID token.
func (p *Provider) Identity(ctx context.Context, code, verifier, nonce string) (identity.SignOnIdentity, error) {
	oc, v, err := p.discover(ctx)
	if err != nil {
		return identity.SignOnIdentity{}, err
	}
	cctx := oidc.ClientContext(ctx, p.client)
	tok, err := oc.Exchange(cctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return identity.SignOnIdentity{}, refused("signon.code_refused", "Cổng xác thực không chấp nhận mã đăng nhập (đã dùng, hết hạn hoặc không khớp); xin đăng nhập lại.", "code refused", err)
		}
		return identity.SignOnIdentity{}, unavailable(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return identity.SignOnIdentity{}, refused("signon.no_id_token", "Cổng xác thực không trả về mã định danh (ID token).", "no ID token", nil)
	}
	return p.verify(ctx, v, raw, nonce)
}

// verify checks an ID token and reads its identity.
func (p *Provider) verify(ctx context.Context, v *oidc.IDTokenVerifier, raw, nonce string) (identity.SignOnIdentity, error) {
	idt, err := v.Verify(oidc.ClientContext(ctx, p.client), raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		msg := err.Error()
		switch {
		case errors.As(err, &exp):
			return identity.SignOnIdentity{}, refused("signon.token_expired", "Mã định danh (ID token) đã hết hạn; xin đăng nhập lại.", "ID token expired", err)
		case strings.Contains(msg, "audience"):
			return identity.SignOnIdentity{}, refused("signon.token_audience", "Mã định danh (ID token) không cấp cho hệ thống này.", "ID token for another client", err)
		case strings.Contains(msg, "issuer") || strings.Contains(msg, "different provider"):
			return identity.SignOnIdentity{}, refused("signon.token_issuer", "Mã định danh (ID token) không do cổng xác thực đã cấu hình cấp.", "ID token of another issuer", err)
		}
		return identity.SignOnIdentity{}, refused("signon.token_invalid", "Mã định danh (ID token) không hợp lệ (chữ ký hoặc định dạng sai).", "invalid ID token", err)
	}
	if idt.Nonce == "" || idt.Nonce != nonce {
		return identity.SignOnIdentity{}, refused("signon.nonce", "Mã định danh (ID token) không thuộc yêu cầu đăng nhập này (nonce không khớp).", "nonce mismatch", nil)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return identity.SignOnIdentity{}, refused("signon.claims", "Không đọc được thông tin định danh trong ID token.", "unreadable claims", err)
	}
	return Claims(idt.Issuer, idt.Subject, claims), nil
}

// Claims reads the national claims of an ID token: LoaiTaiKhoan (1 citizen,
// 2 enterprise, 3 organisation; absent: a citizen), SoDinhDanh, MaSoThue
// or MaSoDoanhNghiep, TechID, HoVaTen (TenDoanhNghiep for an enterprise or
// an organisation),
// ThuDienTu, SoDienThoai, and the assurance level from loAs, IAL or acr
// (the highest digit any of them carries: "2", 2, "LoA2", "IAL2").
func Claims(issuer, subject string, c map[string]any) identity.SignOnIdentity {
	id := identity.SignOnIdentity{Issuer: issuer, Subject: subject, Type: identity.SignOnCitizen,
		CitizenID: str(c["SoDinhDanh"]), TaxCode: str(c["MaSoThue"]), TechID: str(c["TechID"]),
		Name: str(c["HoVaTen"]), Email: str(c["ThuDienTu"]), Phone: str(c["SoDienThoai"])}
	if id.TaxCode == "" {
		id.TaxCode = str(c["MaSoDoanhNghiep"])
	}
	if t := level(c["LoaiTaiKhoan"]); t != 0 {
		id.Type = t
	}
	if id.Type == identity.SignOnEnterprise || id.Type == identity.SignOnOrganization {
		if n := str(c["TenDoanhNghiep"]); n != "" {
			id.Name = n
		}
	}
	for _, k := range []string{"loAs", "LoA", "IAL", "acr"} {
		id.Level = max(id.Level, level(c[k]))
	}
	return id
}

// str is a claim as text (a number as its digits).
func str(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	}
	return ""
}

var digits = regexp.MustCompile(`[0-9]+`)

// level is the highest number in a claim (a number, text, or a list).
func level(v any) int {
	if l, ok := v.([]any); ok {
		m := 0
		for _, x := range l {
			m = max(m, level(x))
		}
		return m
	}
	m := 0
	for _, d := range digits.FindAllString(str(v), -1) {
		if n, err := strconv.Atoi(d); err == nil && n < 10 {
			m = max(m, n)
		}
	}
	return m
}
