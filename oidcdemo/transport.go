package oidcdemo

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Client is an HTTP client that reaches the provider in process: requests
// to the issuer's scheme and host are served by Handler without a network,
// others are refused. A relying party in the same process can discover the
// provider before its server listens:
//
//	ctx = oidc.ClientContext(ctx, p.Client())
func (p *Provider) Client() *http.Client {
	return &http.Client{Transport: inProcess{p: p, h: p.Handler()}}
}

type inProcess struct {
	p *Provider
	h http.Handler
}

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(r.URL.String(), t.p.issuer+"/") {
		return nil, fmt.Errorf("oidcdemo: %s is not the provider's (%s)", r.URL, t.p.issuer)
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r.Clone(r.Context()))
	res := rec.Result()
	res.Request = r
	return res, nil
}
