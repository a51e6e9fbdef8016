package oidcdemo_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/motcua/motcua/oidcdemo"
)

const (
	rpCallback   = "http://rp.example/dang-nhap/sso/callback"
	rpLoggedOut  = "http://rp.example/"
	clientID     = "motcua-test"
	clientSecret = "motcua-test-secret"
	publicID     = "motcua-public"
)

var testClients = []oidcdemo.Client{
	{ID: clientID, Secret: clientSecret, RedirectURIs: []string{rpCallback}, PostLogoutRedirectURIs: []string{rpLoggedOut}},
	{ID: publicID, RedirectURIs: []string{rpCallback}},
}

// rp is a relying party as the lead's will be: go-oidc over x/oauth2.
type rp struct {
	t        *testing.T
	op       *oidcdemo.Provider
	provider *oidc.Provider
	conf     oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func newRP(t *testing.T, p *oidcdemo.Provider, id, secret string) *rp {
	t.Helper()
	prov, err := oidc.NewProvider(context.Background(), p.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	return &rp{t: t, op: p, provider: prov,
		conf:     oauth2.Config{ClientID: id, ClientSecret: secret, Endpoint: prov.Endpoint(), RedirectURL: rpCallback, Scopes: []string{oidc.ScopeOpenID}},
		verifier: prov.Verifier(&oidc.Config{ClientID: id})}
}

// login goes through the provider's login as identity and returns the
// callback's query.
func (r *rp) login(identity string, opts ...oauth2.AuthCodeOption) url.Values {
	r.t.Helper()
	back, err := r.op.SignIn(r.conf.AuthCodeURL("state-123", opts...), identity)
	if err != nil {
		r.t.Fatal(err)
	}
	if got := back.Scheme + "://" + back.Host + back.Path; got != rpCallback {
		r.t.Fatalf("sent back to %s, want %s", back, rpCallback)
	}
	return back.Query()
}

// flow is a whole sign-on with PKCE and nonce; it returns the verified ID
// token and the token answer.
func (r *rp) flow(identity string, acr string) (*oidc.IDToken, *oauth2.Token) {
	r.t.Helper()
	verifier, nonce := oauth2.GenerateVerifier(), "nonce-"+identity
	q := r.login(identity, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce), oauth2.SetAuthURLParam("acr_values", acr))
	if q.Get("state") != "state-123" || q.Get("code") == "" {
		r.t.Fatalf("callback %v: want the state echoed and a code", q)
	}
	tok, err := r.conf.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		r.t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := r.verifier.Verify(context.Background(), raw)
	if err != nil {
		r.t.Fatal(err)
	}
	if idt.Nonce != nonce {
		r.t.Fatalf("nonce %q, want %q", idt.Nonce, nonce)
	}
	return idt, tok
}

func claimsOf(t *testing.T, c interface{ Claims(any) error }) map[string]any {
	t.Helper()
	m := map[string]any{}
	if err := c.Claims(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDiscovery(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	res, err := http.Get(p.Issuer() + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var d struct {
		Issuer            string   `json:"issuer"`
		Authorization     string   `json:"authorization_endpoint"`
		Token             string   `json:"token_endpoint"`
		Userinfo          string   `json:"userinfo_endpoint"`
		JWKS              string   `json:"jwks_uri"`
		EndSession        string   `json:"end_session_endpoint"`
		ResponseTypes     []string `json:"response_types_supported"`
		Algs              []string `json:"id_token_signing_alg_values_supported"`
		PKCE              []string `json:"code_challenge_methods_supported"`
		AuthMethods       []string `json:"token_endpoint_auth_methods_supported"`
		Claims            []string `json:"claims_supported"`
		SubjectTypes      []string `json:"subject_types_supported"`
		ScopesSupported   []string `json:"scopes_supported"`
		GrantTypesSupport []string `json:"grant_types_supported"`
	}
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	if d.Issuer != p.Issuer() || !strings.HasSuffix(p.Issuer(), "/sso-demo") {
		t.Errorf("issuer %q, provider says %q", d.Issuer, p.Issuer())
	}
	for name, u := range map[string]string{"authorization": d.Authorization, "token": d.Token, "userinfo": d.Userinfo, "jwks": d.JWKS, "end_session": d.EndSession} {
		if !strings.HasPrefix(u, p.Issuer()+"/") {
			t.Errorf("%s endpoint %q not under the issuer", name, u)
		}
	}
	if d.Authorization != p.Issuer()+"/oauth2/authorize" || d.Token != p.Issuer()+"/oauth2/token" {
		t.Errorf("authorize %q, token %q: want the portal's /oauth2/ paths", d.Authorization, d.Token)
	}
	want := map[string][]string{"response_types_supported": {"code"}, "id_token_signing_alg_values_supported": {"RS256"},
		"code_challenge_methods_supported": {"S256"}, "token_endpoint_auth_methods_supported": {"client_secret_basic", "client_secret_post"},
		"claims_supported": {"LoaiTaiKhoan", "SoDinhDanh", "loAs", "acr", "nonce"}, "subject_types_supported": {"public"}}
	got := map[string][]string{"response_types_supported": d.ResponseTypes, "id_token_signing_alg_values_supported": d.Algs,
		"code_challenge_methods_supported": d.PKCE, "token_endpoint_auth_methods_supported": d.AuthMethods, "claims_supported": d.Claims, "subject_types_supported": d.SubjectTypes}
	for k, vs := range want {
		for _, v := range vs {
			if !slices.Contains(got[k], v) {
				t.Errorf("%s = %v, want %q in it", k, got[k], v)
			}
		}
	}
	if slices.Contains(d.PKCE, "plain") {
		t.Error("PKCE plain advertised")
	}
	// The keys: one RSA signing key with a kid.
	res2, err := http.Get(d.JWKS)
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	var jwks struct {
		Keys []struct{ Kty, Kid, Use, Alg, N, E string } `json:"keys"`
	}
	if err := json.NewDecoder(res2.Body).Decode(&jwks); err != nil {
		t.Fatal(err)
	}
	if len(jwks.Keys) != 1 || jwks.Keys[0].Kty != "RSA" || jwks.Keys[0].Kid == "" || jwks.Keys[0].Use != "sig" {
		t.Errorf("jwks %+v: want one RSA signing key with a kid", jwks.Keys)
	}
}

func TestCodeFlow(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	idt, tok := r.flow("congdan-vneid", "LoA2")
	c := claimsOf(t, idt)
	if c["acr"] != "LoA2" || c["LoaiTaiKhoan"] != "1" || c["SoDinhDanh"] != "001090012345" || c["loAs"] != "LoA2" ||
		c["HoVaTen"] != "Nguyễn Văn An" || c["NgayThangNamSinh"] != "19900514" || c["azp"] != clientID {
		t.Errorf("ID token claims %v", c)
	}
	if !slices.Equal(idt.Audience, []string{clientID}) || idt.Issuer != p.Issuer() {
		t.Errorf("aud %v iss %q", idt.Audience, idt.Issuer)
	}
	if d := idt.Expiry.Sub(idt.IssuedAt); d <= 0 || d > time.Hour {
		t.Errorf("iat %v exp %v", idt.IssuedAt, idt.Expiry)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	ui, err := r.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatal(err)
	}
	uc := claimsOf(t, ui)
	if ui.Subject != idt.Subject || uc["SoDinhDanh"] != "001090012345" || uc["loAs"] != "LoA2" || uc["TechID"] == nil {
		t.Errorf("userinfo %v", uc)
	}
}

// TestIdentities signs in as every demo identity: each one's key claim
// reaches the relying party, with the level it has, whatever was asked.
func TestIdentities(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	subs := map[string]bool{}
	for _, id := range oidcdemo.DemoIdentities() {
		idt, _ := r.flow(id.ID, "LoA2")
		c := claimsOf(t, idt)
		claim, key := id.Key()
		if key == "" || c[claim] != key {
			t.Errorf("%s: %s = %v, want %q", id.ID, claim, c[claim], key)
		}
		if want := "LoA" + string(rune('0'+id.Level)); c["acr"] != want || c["loAs"] != want {
			t.Errorf("%s: acr %v loAs %v, want %s", id.ID, c["acr"], c["loAs"], want)
		}
		if idt.Subject != id.Sub || subs[id.Sub] {
			t.Errorf("%s: sub %q", id.ID, idt.Subject)
		}
		subs[id.Sub] = true
	}
	// The enterprise and the organisation.
	ent, _ := r.flow("songhong", "")
	if c := claimsOf(t, ent); c["LoaiTaiKhoan"] != "2" || c["MaSoThue"] != "0101234567" || c["TenDoanhNghiep"] == nil {
		t.Errorf("enterprise claims %v", c)
	}
	org, _ := r.flow("truongtieuhoc", "")
	if c := claimsOf(t, org); c["LoaiTaiKhoan"] != "3" || c["TechID"] != "TECH-TC-000123" {
		t.Errorf("organisation claims %v", c)
	}
	// VNeID's shape: LoaiTaiKhoan as a number, IAL sent.
	mai, _ := r.flow("lethimai-vneid", "LoA2")
	if c := claimsOf(t, mai); c["LoaiTaiKhoan"] != float64(1) || c["IAL"] != "2" {
		t.Errorf("VNeID claims %v", c)
	}
}

func exchangeErr(t *testing.T, err error, want string) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("exchange: %v, want an OAuth error %s", err, want)
	}
	if re.ErrorCode != want {
		t.Errorf("error %q (%s), want %q", re.ErrorCode, re.ErrorDescription, want)
	}
}

func TestCodeSingleUse(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	q := r.login("congdan-vneid")
	tok, err := r.conf.Exchange(context.Background(), q.Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.conf.Exchange(context.Background(), q.Get("code"))
	exchangeErr(t, err, "invalid_grant")
	// The replay revoked what the code gave.
	if _, err := r.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("userinfo still answers with the access token of a replayed code")
	}
}

// TestCodeRace: of two exchanges of one code at once, one wins.
func TestCodeRace(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	for range 5 {
		code := r.login("congdan-vneid").Get("code")
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 4 {
			wg.Go(func() {
				if _, err := r.conf.Exchange(context.Background(), code); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Fatalf("%d exchanges of one code succeeded", ok)
		}
	}
}

func TestPKCE(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	verifier := oauth2.GenerateVerifier()
	q := r.login("congdan-vneid", oauth2.S256ChallengeOption(verifier))
	_, err := r.conf.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(oauth2.GenerateVerifier()))
	exchangeErr(t, err, "invalid_grant")
	q = r.login("congdan-vneid", oauth2.S256ChallengeOption(verifier))
	_, err = r.conf.Exchange(context.Background(), q.Get("code")) // no verifier
	exchangeErr(t, err, "invalid_request")

	// A public client: PKCE S256 required, no secret.
	pub := newRP(t, p, publicID, "")
	pub.conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	if q := pub.login("congdan-vneid"); q.Get("error") != "invalid_request" || q.Get("state") != "state-123" {
		t.Errorf("public client without PKCE: callback %v, want invalid_request", q)
	}
	plain := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", verifier), oauth2.SetAuthURLParam("code_challenge_method", "plain")}
	if q := pub.login("congdan-vneid", plain...); q.Get("error") != "invalid_request" {
		t.Errorf("PKCE plain: callback %v, want invalid_request", q)
	}
	if _, tok := pub.flow("congdan-vneid", "LoA2"); tok.AccessToken == "" {
		t.Error("no access token")
	}
}

func TestClientAuthentication(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		r := newRP(t, p, clientID, "not-the-secret")
		r.conf.Endpoint.AuthStyle = style
		_, err := r.conf.Exchange(context.Background(), r.login("congdan-vneid").Get("code"))
		exchangeErr(t, err, "invalid_client")
		r.conf.ClientSecret = clientSecret // client_secret_basic, then client_secret_post
		if _, err := r.conf.Exchange(context.Background(), r.login("congdan-vneid").Get("code")); err != nil {
			t.Errorf("auth style %d: %v", style, err)
		}
	}
	// Another client cannot redeem this client's code.
	r := newRP(t, p, clientID, clientSecret)
	code := r.login("congdan-vneid").Get("code")
	pub := newRP(t, p, publicID, "")
	pub.conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	_, err := pub.conf.Exchange(context.Background(), code)
	if err == nil {
		t.Error("a public client redeemed a confidential client's code")
	}
}

func TestCodeExpires(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	p := oidcdemo.StartConfig(t, oidcdemo.Config{Clients: testClients, Clock: clock})
	r := newRP(t, p, clientID, clientSecret)
	code := r.login("congdan-vneid").Get("code")
	mu.Lock()
	now = now.Add(6 * time.Minute)
	mu.Unlock()
	_, err := r.conf.Exchange(context.Background(), code)
	exchangeErr(t, err, "invalid_grant")

	// A code exchanged in time gives a sane expires_in, whatever the Clock.
	tok, err := r.conf.Exchange(context.Background(), r.login("congdan-vneid").Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(tok.Expiry); d < time.Minute || d > time.Hour {
		t.Errorf("access token expires in %v", d)
	}
	// The access token lives 10 minutes by the Clock.
	if _, err := r.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(11 * time.Minute)
	mu.Unlock()
	if _, err := r.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("userinfo answers an expired access token")
	}
}

func TestRedirectURIRegisteredOnly(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	r.conf.RedirectURL = "http://evil.example/callback"
	if back, err := p.SignIn(r.conf.AuthCodeURL("s"), "congdan-vneid"); err == nil {
		t.Errorf("unregistered redirect_uri: sent to %v", back)
	}
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestEndSession(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	idt, tok := r.flow("congdan-vneid", "LoA2")
	raw, _ := tok.Extra("id_token").(string)
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := r.provider.Claims(&meta); err != nil || meta.EndSession == "" {
		t.Fatalf("end_session_endpoint: %v", err)
	}
	get := func(q url.Values) *http.Response {
		t.Helper()
		res, err := noRedirect().Get(meta.EndSession + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	// Registered: back to it, with the state.
	res := get(url.Values{"id_token_hint": {raw}, "post_logout_redirect_uri": {rpLoggedOut}, "state": {"bye"}})
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusFound || loc != rpLoggedOut+"?state=bye" {
		t.Errorf("logout: %d to %q, want 302 to %s?state=bye", res.StatusCode, loc, rpLoggedOut)
	}
	// The access token of the session is revoked.
	if _, err := r.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok)); err == nil {
		t.Error("userinfo answers after logout")
	}
	// By client_id, without the hint.
	res = get(url.Values{"client_id": {clientID}, "post_logout_redirect_uri": {rpLoggedOut}})
	if loc := res.Header.Get("Location"); loc != rpLoggedOut {
		t.Errorf("logout by client_id: to %q", loc)
	}
	// Not registered: no redirect there.
	for _, q := range []url.Values{
		{"id_token_hint": {raw}, "post_logout_redirect_uri": {"http://evil.example/"}},
		{"client_id": {clientID}, "post_logout_redirect_uri": {"http://rp.example/other"}},
	} {
		res = get(q)
		if loc := res.Header.Get("Location"); strings.Contains(loc, "evil") || strings.Contains(loc, "other") || res.StatusCode == http.StatusFound {
			t.Errorf("unregistered post_logout_redirect_uri %v: %d to %q", q, res.StatusCode, loc)
		}
	}
	// No client named: the provider's own page, never the URI asked.
	res = get(url.Values{"post_logout_redirect_uri": {"http://evil.example/"}})
	if loc := res.Header.Get("Location"); loc != p.Issuer()+"/logged-out" {
		t.Errorf("anonymous logout: to %q", loc)
	}
	_ = idt
}

// TestInProcessClient: a relying party discovers and uses the provider
// without a network.
func TestInProcessClient(t *testing.T) {
	p, err := oidcdemo.New(oidcdemo.Config{Issuer: "http://127.0.0.1:1/sso-demo", Clients: testClients}) // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	ctx := oidc.ClientContext(context.Background(), p.Client())
	prov, err := oidc.NewProvider(ctx, p.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{ClientID: clientID, ClientSecret: clientSecret, Endpoint: prov.Endpoint(), RedirectURL: rpCallback, Scopes: []string{oidc.ScopeOpenID}}
	back, err := p.SignIn(conf.AuthCodeURL("s"), "lethimai-muc1")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := conf.Exchange(ctx, back.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := prov.Verifier(&oidc.Config{ClientID: clientID}).Verify(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	if c := claimsOf(t, idt); c["acr"] != "LoA1" || c["SoDinhDanh"] != "001192007788" {
		t.Errorf("claims %v", c)
	}
	if _, err := p.Client().Get("http://example.com/"); err == nil {
		t.Error("the in-process client reached another host")
	}
}
