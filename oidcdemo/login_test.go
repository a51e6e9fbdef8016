package oidcdemo_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/motcua/motcua/oidcdemo"
)

// authRequestID starts a sign-on and returns the login page's URL.
func startLogin(t *testing.T, r *rp, opts ...oauth2.AuthCodeOption) *url.URL {
	t.Helper()
	res, err := noRedirect().Get(r.conf.AuthCodeURL("state-123", opts...))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil || loc.Query().Get("authRequestID") == "" {
		t.Fatalf("authorize: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	return loc
}

func postLogin(t *testing.T, p *oidcdemo.Provider, form url.Values) (*http.Response, string) {
	t.Helper()
	res, err := noRedirect().PostForm(p.Issuer()+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestLoginPage(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	login := startLogin(t, r, oauth2.SetAuthURLParam("acr_values", "LoA2"))
	res, err := http.Get(login.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	for _, want := range []string{"Cổng xác thực mô phỏng VNeID / DVCQG — chỉ dùng để thử nghiệm", "Nguyễn Văn An", "001090012345",
		"Công ty TNHH Thương mại Sông Hồng", "Mã số thuế", "Doanh nghiệp", "Tổ chức", "LoA2", "thấp hơn mức yêu cầu",
		`name="identity" value="congdan-vneid"`, `name="authRequestID" value="` + login.Query().Get("authRequestID") + `"`, clientID} {
		if !strings.Contains(page, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q", csp)
	}
	// The hash in the CSP is the page's style's: a browser applies it.
	if i, j := strings.Index(page, "<style>"), strings.Index(page, "</style>"); i < 0 || j < i {
		t.Error("no style")
	} else if sum := sha256.Sum256([]byte(page[i+len("<style>") : j])); !strings.Contains(csp, base64.StdEncoding.EncodeToString(sum[:])) {
		t.Errorf("CSP %q does not allow the page's style", csp)
	}
	if res.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Error("the login page may leak its URL by Referer")
	}

	id := login.Query().Get("authRequestID")
	if res, _ := postLogin(t, p, url.Values{"authRequestID": {id}, "identity": {"nobody"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown identity: %d", res.StatusCode)
	}
	res, _ = postLogin(t, p, url.Values{"authRequestID": {id}, "identity": {"songhong"}})
	back, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || back.Query().Get("code") == "" || back.Query().Get("state") != "state-123" {
		t.Fatalf("login: %d to %v", res.StatusCode, back)
	}
	// The request is done: it cannot be given another identity.
	if res, _ := postLogin(t, p, url.Values{"authRequestID": {id}, "identity": {"congdan-vneid"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("a completed request was completed again: to %s", res.Header.Get("Location"))
	}
	// Unknown request.
	if res, body := postLogin(t, p, url.Values{"authRequestID": {"nope"}, "identity": {"songhong"}}); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "hết hạn") {
		t.Errorf("unknown request: %d", res.StatusCode)
	}
}

func TestLoginCancel(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	id := startLogin(t, r).Query().Get("authRequestID")
	res, _ := postLogin(t, p, url.Values{"authRequestID": {id}, "cancel": {"1"}})
	back, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || back.Query().Get("error") != "access_denied" || back.Query().Get("state") != "state-123" || back.Query().Get("code") != "" {
		t.Errorf("cancel: %d to %v", res.StatusCode, back)
	}
}

func TestPromptNone(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	back, err := p.SignIn(r.conf.AuthCodeURL("s", oauth2.SetAuthURLParam("prompt", "none")), "congdan-vneid")
	if err != nil || back.Query().Get("error") != "login_required" {
		t.Errorf("prompt=none: %v %v, want login_required", back, err)
	}
}

func TestChoose(t *testing.T) {
	p := oidcdemo.Start(t, testClients...)
	r := newRP(t, p, clientID, clientSecret)
	id := startLogin(t, r).Query().Get("authRequestID")
	if _, err := p.Choose(id, "nobody"); err == nil {
		t.Error("unknown identity chosen")
	}
	if _, err := p.Choose(id, "congdan-vneid"); err != nil {
		t.Fatal(err)
	}
	res, err := noRedirect().Get(p.Issuer() + "/oauth2/authorize/callback?id=" + url.QueryEscape(id))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, _ := url.Parse(res.Header.Get("Location"))
	if back.Query().Get("code") == "" || back.Query().Get("state") != "state-123" {
		t.Errorf("callback after Choose: %d to %v", res.StatusCode, back)
	}
}

func TestNewRefuses(t *testing.T) {
	ok := oidcdemo.Client{ID: "a", RedirectURIs: []string{"http://x/cb"}}
	for name, cfg := range map[string]oidcdemo.Config{
		"no issuer":         {},
		"issuer with query": {Issuer: "http://127.0.0.1/sso?x=1"},
		"client twice":      {Issuer: "http://127.0.0.1/sso", Clients: []oidcdemo.Client{ok, ok}},
		"no redirect":       {Issuer: "http://127.0.0.1/sso", Clients: []oidcdemo.Client{{ID: "b"}}},
		"identity twice":    {Issuer: "http://127.0.0.1/sso", Identities: append(oidcdemo.DemoIdentities(), oidcdemo.DemoIdentities()[0])},
		"bad identity ID":   {Issuer: "http://127.0.0.1/sso", Identities: []oidcdemo.Identity{{ID: "a b", Sub: "x", Level: 1}}},
		"level 3":           {Issuer: "http://127.0.0.1/sso", Identities: []oidcdemo.Identity{{ID: "a", Sub: "x", Level: 3}}},
	} {
		if _, err := oidcdemo.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
