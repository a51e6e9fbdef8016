package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDemoSSOMount(t *testing.T) {
	d, err := demoSSO("http://127.0.0.1:8080/")
	if err != nil {
		t.Fatal(err)
	}
	if d.Issuer != "http://127.0.0.1:8080/sso-demo" || d.RedirectURI != "http://127.0.0.1:8080/dang-nhap/sso/callback" || d.ClientID != "motcua-demo" {
		t.Errorf("%+v", d)
	}
	web := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Web", "1") })
	h := d.mount(web)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/sso-demo/.well-known/openid-configuration", nil))
	var disc struct {
		Issuer string `json:"issuer"`
	}
	if err := json.NewDecoder(rec.Body).Decode(&disc); err != nil || disc.Issuer != d.Issuer || rec.Header().Get("X-Web") != "" {
		t.Errorf("discovery: %d %q %v", rec.Code, disc.Issuer, err)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/dang-nhap", nil))
	if rec.Header().Get("X-Web") != "1" {
		t.Error("the web server no longer gets its requests")
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/sso-demo/oauth2/authorize?client_id=motcua-demo&response_type=code&scope=openid&redirect_uri="+d.RedirectURI, nil))
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusFound || !strings.HasPrefix(loc, d.Issuer+"/login?authRequestID=") {
		t.Errorf("authorize: %d to %q", rec.Code, loc)
	}
}
