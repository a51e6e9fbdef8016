package main

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/motcua/motcua/oidcdemo"
)

// The demo sign-on (serve --demo, --demo-sso): the simulated VNeID / DVCQG
// provider of package oidcdemo, mounted at /sso-demo/ beside the web
// server, with one client, the platform itself. NEVER IN PRODUCTION:
// anyone signs in as anyone. docs/sso-demo.md.
const (
	demoSSOPath     = "/sso-demo"
	demoSSOClient   = "motcua-demo"
	demoSSOSecret   = "motcua-demo-secret" // demo only, printed at start
	demoSSOCallback = "/dang-nhap/sso/callback"
)

// demoSSOProvider is what the relying party needs to use the demo sign-on.
type demoSSOProvider struct {
	Issuer, ClientID, Secret string
	RedirectURI              string       // <public>/dang-nhap/sso/callback
	Handler                  http.Handler // serves /sso-demo/…
	// Client reaches the provider in process: discovery works before the
	// server listens (oidc.ClientContext(ctx, Client)).
	Client *http.Client
}

// demoSSO builds the demo provider for a platform reached at publicURL
// (--public-url, or "http://"+addr).
func demoSSO(publicURL string) (*demoSSOProvider, error) {
	pub := strings.TrimSuffix(publicURL, "/")
	d := &demoSSOProvider{Issuer: pub + demoSSOPath, ClientID: demoSSOClient, Secret: demoSSOSecret, RedirectURI: pub + demoSSOCallback}
	p, err := oidcdemo.New(oidcdemo.Config{Issuer: d.Issuer, Clients: []oidcdemo.Client{{
		ID: d.ClientID, Secret: d.Secret, RedirectURIs: []string{d.RedirectURI}, PostLogoutRedirectURIs: []string{pub + "/"},
	}}})
	if err != nil {
		return nil, fmt.Errorf("demo sign-on: %w", err)
	}
	d.Handler, d.Client = p.Handler(), p.Client()
	return d, nil
}

// mount routes /sso-demo/ to the provider and everything else to web. The
// provider sets its own headers (its page's CSP among them): the web
// server's middleware does not see its requests.
func (d *demoSSOProvider) mount(web http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(demoSSOPath+"/", d.Handler)
	mux.Handle("/", web)
	return mux
}
