package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestServeSignOnLogout drives the demo's sign-on over HTTP as a browser
// would (four requests), then logs out: the logout ends the session here
// and sends the browser to the provider's end of session, which sends it
// back home; the session no longer works.
func TestServeSignOnLogout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	s := startServer(t, "--data", t.TempDir(), "--demo", "--nats", "off")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	step := func(method, u string, form url.Values, want int) (*url.URL, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, u, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("%s %s = %d, want %d: %.500s", method, u, res.StatusCode, want, b)
		}
		loc, _ := res.Location()
		return loc, string(b)
	}
	to, _ := step("GET", s.base+"/dang-nhap/sso/demo?next=/ho-so", nil, 303)
	login, _ := step("GET", to.String(), nil, 302)
	back, _ := step("POST", login.Scheme+"://"+login.Host+login.Path, url.Values{"authRequestID": {login.Query().Get("authRequestID")}, "identity": {"lethimai-vneid"}}, 302)
	landed, _ := step("GET", back.String(), nil, 303)
	if landed.String() != s.base+"/ho-so" {
		t.Fatalf("landed on %s, want /ho-so", landed)
	}
	_, page := step("GET", s.base+"/ho-so", nil, 200)
	if !strings.Contains(page, "Lê Thị Mai") {
		t.Fatalf("not signed in after the callback")
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token on the page")
	}
	out, _ := step("POST", s.base+"/dang-xuat", url.Values{"csrf": {csrf[1]}}, 303)
	if !strings.HasPrefix(out.String(), s.base+"/sso-demo/") || out.Query().Get("client_id") != "motcua-demo" || out.Query().Get("post_logout_redirect_uri") != s.base+"/" {
		t.Fatalf("logout goes to %s; want the provider's end of session, back to %s/", out, s.base)
	}
	home, _ := step("GET", out.String(), nil, 302)
	if home.String() != s.base+"/" {
		t.Fatalf("the provider sends the browser to %s, want %s/", home, s.base)
	}
	if _, page := step("GET", s.base+"/", nil, 200); strings.Contains(page, "Lê Thị Mai") {
		t.Error("still signed in after the logout")
	}
}
