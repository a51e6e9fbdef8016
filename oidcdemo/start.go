package oidcdemo

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Start runs a provider on an httptest server for the test, issuer
// <server URL>/sso-demo, with the demo identities and these clients; the
// server closes when the test ends.
func Start(t testing.TB, clients ...Client) *Provider {
	t.Helper()
	return StartConfig(t, Config{Clients: clients})
}

// StartConfig is Start with a Config (a Clock, other identities); its
// Issuer is set by StartConfig.
func StartConfig(t testing.TB, cfg Config) *Provider {
	t.Helper()
	var h http.Handler = http.NotFoundHandler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	cfg.Issuer = srv.URL + "/sso-demo"
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h = p.Handler()
	return p
}

// SignIn signs in as identityID without a browser and returns where the
// provider sends the browser back: the client's redirect URI with code and
// state (or error). authorizeURL is the URL the relying party redirects to
// (oauth2.Config.AuthCodeURL). It runs in process against Handler: the
// same two requests a browser makes,
//
//	GET  <authorizeURL>                                → 302 <issuer>/login?authRequestID=…
//	POST <issuer>/login  authRequestID=…&identity=<ID>  → 302 <redirect_uri>?code=…&state=…
func (p *Provider) SignIn(authorizeURL, identityID string) (*url.URL, error) {
	h := p.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, authorizeURL, nil))
	login, err := location(rec)
	if err != nil {
		return nil, fmt.Errorf("oidcdemo: authorize: %w", err)
	}
	id := login.Query().Get("authRequestID")
	if id == "" || !strings.HasSuffix(login.Path, pathLogin) {
		return login, nil // an error sent back to the client: no login page
	}
	form := url.Values{"authRequestID": {id}, "identity": {identityID}}
	req := httptest.NewRequest(http.MethodPost, p.issuer+pathLogin, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	back, err := location(rec)
	if err != nil {
		return nil, fmt.Errorf("oidcdemo: login: %w", err)
	}
	return back, nil
}

func location(rec *httptest.ResponseRecorder) (*url.URL, error) {
	if rec.Code != http.StatusFound && rec.Code != http.StatusSeeOther {
		return nil, fmt.Errorf("status %d: %s", rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	loc := rec.Header().Get("Location")
	if loc == "" {
		return nil, errors.New("redirect without Location")
	}
	return url.Parse(loc)
}
