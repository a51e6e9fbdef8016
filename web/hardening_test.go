package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// exchange sends one request as who: "" (anonymous), "bearer:USER" (the
// API's token) or "cookie:USER" (the session cookie a browser sends).
func (f *fixture) exchange(t *testing.T, method, path, who, ctype, body string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if how, user, ok := strings.Cut(who, ":"); ok {
		tok := f.token(t, user)
		if how == "cookie" {
			req.AddCookie(&http.Cookie{Name: SessionCookie, Value: tok})
		} else {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// A shared cache (a proxy, the browser's back button on a shared computer)
// must never keep an answer that carries someone's data: every answer to a
// request that carries credentials, and every answer to a state change
// (the login's token), is no-store. Public data and static assets stay
// cacheable.
func TestNoStoreOnPersonalAnswers(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, method, path, who, body string
		status                        int
		noStore                       bool
	}{
		{"me by token", "GET", "/api/v1/me", "bearer:congdan", "", 200, true},
		{"me by cookie", "GET", "/api/v1/me", "cookie:congdan", "", 200, true},
		{"my dossiers", "GET", "/api/v1/dossiers", "bearer:congdan", "", 200, true},
		{"inbox", "GET", "/api/v1/dossiers?inbox=1", "bearer:tiepnhan", "", 200, true},
		{"a dossier", "GET", "/api/v1/dossiers/00000-000000-00000", "bearer:congdan", "", 404, true},
		{"wallet", "GET", "/api/v1/wallet", "bearer:congdan", "", 200, true},
		{"public data asked with a token", "GET", "/api/v1/procedures/1.001193", "bearer:congdan", "", 200, true},
		{"login answer (token)", "POST", "/api/v1/auth/login", "", `{"username":"congdan","password":"demo"}`, 200, true},
		{"dossiers page", "GET", "/ho-so", "cookie:congdan", "", 200, true},
		{"home page signed in", "GET", "/", "cookie:congdan", "", 200, true},
		{"counter page", "GET", "/quay", "cookie:tiepnhan", "", 200, true},
		{"admin page", "GET", "/quan-tri", "cookie:quantri", "", 200, true},
		{"public API anonymous", "GET", "/api/v1/units/provinces", "", "", 200, false},
		{"procedure anonymous", "GET", "/api/v1/procedures/1.001193", "", "", 200, false},
		{"static asset with a cookie", "GET", "/static/app.css", "cookie:congdan", "", 200, false},
		{"favicon with a cookie", "GET", "/favicon.ico", "cookie:congdan", "", 200, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctype := ""
			if tt.body != "" {
				ctype = "application/json"
			}
			res, b := f.exchange(t, tt.method, tt.path, tt.who, ctype, tt.body)
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s = %d, want %d: %.300s", tt.method, tt.path, res.StatusCode, tt.status, b)
			}
			cc := res.Header.Get("Cache-Control")
			if got := strings.Contains(cc, "no-store"); got != tt.noStore {
				t.Errorf("%s %s: Cache-Control %q, want no-store: %v", tt.method, tt.path, cc, tt.noStore)
			}
		})
	}
}

// Every answer carries the security headers, whatever produced it.
func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	want := map[string][]string{
		"Content-Security-Policy":      {"default-src 'self'", "frame-ancestors 'none'"},
		"Permissions-Policy":           {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"},
		"Cross-Origin-Opener-Policy":   {"same-origin"},
		"Cross-Origin-Resource-Policy": {"same-origin"},
		"X-Content-Type-Options":       {"nosniff"},
		"Referrer-Policy":              {"same-origin"},
		"X-Frame-Options":              {"DENY"},
	}
	tests := []struct {
		name, method, path, who string
		status                  int
	}{
		{"home", "GET", "/", "", 200},
		{"page signed in", "GET", "/ho-so", "cookie:congdan", 200},
		{"API", "GET", "/api/v1/units/provinces", "", 200},
		{"API problem", "GET", "/api/v1/me", "", 401},
		{"static", "GET", "/static/app.js", "", 200},
		{"health", "GET", "/healthz", "", 200},
		{"unknown path", "GET", "/khong-co-trang-nay", "", 404},
		{"redirect", "GET", "/ho-so", "", 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, b := f.exchange(t, tt.method, tt.path, tt.who, "", "")
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s = %d, want %d: %.300s", tt.method, tt.path, res.StatusCode, tt.status, b)
			}
			for h, parts := range want {
				got := res.Header.Get(h)
				for _, p := range parts {
					if !strings.Contains(got, p) {
						t.Errorf("%s: %s = %q, lacks %q", tt.path, h, got, p)
					}
				}
			}
		})
	}
}

// A problem tells what is wrong, never what was sent: a password posted in
// the wrong format must not come back in the answer (nor in a proxy's log
// of answers).
func TestProblemsDoNotEchoTheBody(t *testing.T) {
	f := newFixture(t)
	const secret = "SECRET123"
	tests := []struct {
		name, path, ctype, body string
		status                  int
	}{
		{"login as a form", "/api/v1/auth/login", "application/x-www-form-urlencoded", "username=x&password=" + secret, 415},
		{"login as text", "/api/v1/auth/login", "text/plain", "username=x password=" + secret, 415},
		{"login without type", "/api/v1/auth/login", "application/xml", "<password>" + secret + "</password>", 415},
		{"login password of the wrong type", "/api/v1/auth/login", "application/json", `{"username":"x","password":["` + secret + `"]}`, 422},
		{"login truncated", "/api/v1/auth/login", "application/json", `{"username":"x","password":"` + secret, 400},
		{"login unknown field", "/api/v1/auth/login", "application/json", `{"username":"x","password":"` + secret + `","pin":"` + secret + `"}`, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, b := f.exchange(t, "POST", tt.path, "", tt.ctype, tt.body)
			if res.StatusCode != tt.status {
				t.Fatalf("POST %s = %d, want %d: %s", tt.path, res.StatusCode, tt.status, b)
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
			}
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("the problem echoes what was sent: %s", b)
			}
			if !bytes.Contains(b, []byte(`"detail":"`)) {
				t.Errorf("no detail: %s", b)
			}
		})
	}
}

// The static files are served; their directories are not listed.
func TestStaticFilesWithoutListing(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path   string
		status int
		ctype  string
	}{
		{"/static/", 404, ""},
		{"/static/app.css", 200, "text/css"},
		{"/static/app.js", 200, "text/javascript"},
		{"/static/missing.css", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, b := f.exchange(t, "GET", tt.path, "", "", "")
			if res.StatusCode != tt.status {
				t.Fatalf("GET %s = %d, want %d: %.300s", tt.path, res.StatusCode, tt.status, b)
			}
			if tt.ctype != "" && !strings.HasPrefix(res.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("Content-Type %q, want %s", res.Header.Get("Content-Type"), tt.ctype)
			}
			if tt.status == 404 && bytes.Contains(b, []byte(">app.css</a>")) {
				t.Errorf("the directory is listed: %s", b)
			}
		})
	}
}

// /metrics tells the load, the routes and the process: only to the
// monitoring system holding the token; without a token configured, the
// public listener has no /metrics at all.
func TestMetricsNeedToken(t *testing.T) {
	f := newFixture(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name, token, auth string
		status            int
	}{
		{"no token configured", "", "", 404},
		{"no token configured, one sent", "", "Bearer x", 404},
		{"anonymous", "m3tr1cs-t0ken", "", 401},
		{"wrong token", "m3tr1cs-t0ken", "Bearer wrong", 401},
		{"token as basic", "m3tr1cs-t0ken", "Basic m3tr1cs-t0ken", 401},
		{"token", "m3tr1cs-t0ken", "Bearer m3tr1cs-t0ken", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(f.app, Options{Logger: log, MetricsToken: tt.token}).Handler()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v1/units/provinces", nil))
			req := httptest.NewRequest("GET", "/metrics", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("GET /metrics = %d, want %d: %.300s", rec.Code, tt.status, rec.Body)
			}
			body := rec.Body.String()
			if tt.status == 200 && !strings.Contains(body, `motcua_http_requests_total{code="200",method="GET",route="GET /api/v1/units/provinces"}`) {
				t.Errorf("metrics lack the request counter: %.600s", body)
			}
			if tt.status != 200 && strings.Contains(body, "motcua_http") {
				t.Errorf("metrics shown without the token: %.300s", body)
			}
			if tt.status == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// docs/api.md says who may call each operation as the code decides it.
func TestDocsAccessRules(t *testing.T) {
	doc, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ endpoint, who string }{
		{"GET /api/v1/catalog/export", "public"},
		{"POST /api/v1/catalog/import", "admin"},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			for _, line := range strings.Split(string(doc), "\n") {
				cells := strings.Split(line, "|")
				if len(cells) != 5 || !strings.Contains(cells[2], tt.endpoint) {
					continue
				}
				// "endpoints A; endpoints B | who A; who B"
				eps, whos := strings.Split(cells[2], ";"), strings.Split(cells[3], ";")
				for i, ep := range eps {
					if !strings.Contains(ep, tt.endpoint) {
						continue
					}
					who := strings.TrimSpace(whos[min(i, len(whos)-1)])
					if who != tt.who {
						t.Errorf("docs/api.md: %s is for %q, the code says %q", tt.endpoint, who, tt.who)
					}
					return
				}
			}
			t.Errorf("docs/api.md does not list %s", tt.endpoint)
		})
	}
}

// The catalogue export is public because it publishes nothing that the
// public operations do not: each exported procedure is what an anonymous
// GET /api/v1/procedures/{code} shows.
func TestCatalogExportIsPublicData(t *testing.T) {
	f := newFixture(t)
	res, b := f.exchange(t, "GET", "/api/v1/catalog/export", "", "", "")
	if res.StatusCode != 200 {
		t.Fatalf("anonymous export = %d: %.300s", res.StatusCode, b)
	}
	var file struct{ Procedures []map[string]json.RawMessage }
	if err := json.Unmarshal(b, &file); err != nil || len(file.Procedures) == 0 {
		t.Fatalf("export: %v: %.300s", err, b)
	}
	for _, p := range file.Procedures {
		var code string
		_ = json.Unmarshal(p["code"], &code)
		t.Run(code, func(t *testing.T) {
			res, b := f.exchange(t, "GET", "/api/v1/procedures/"+code, "", "", "")
			if res.StatusCode != 200 {
				t.Fatalf("anonymous GET %s = %d", code, res.StatusCode)
			}
			var pub map[string]json.RawMessage
			_ = json.Unmarshal(b, &pub)
			for k, v := range p {
				if !bytes.Equal(pub[k], v) {
					t.Errorf("%s: the export's %q is not what the public operation shows", code, k)
				}
			}
		})
	}
}

// TestBodyLeftUnreadIsNotARequest: a handler that stops reading a body and
// closes it (huma at an operation's MaxBodyBytes) leaves the rest of the
// body on the connection; it must never be read as the next request. The
// login's body is cut at its limit, and the bytes after it here are a
// request of their own: with a proxy that reuses its connections to the
// server, its answer would go to whoever sent the next request. Go's
// server knows to close the connection when the body it gave the handler
// was closed early, not when that was a wrapper of it.
func TestBodyLeftUnreadIsNotARequest(t *testing.T) {
	f := newFixture(t)
	head := `{"username":"quantri","password":"demo"`
	// More than the 256 KiB Go's server reads of a body a handler left,
	// so that it does not read the body to its end itself.
	body := head + strings.Repeat(" ", maxLoginBodyForTest-len(head)) + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + strings.Repeat(" ", 300<<10)
	c, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	rd := bufio.NewReader(c)
	res, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("login of %d bytes = %d, want 413", len(body), res.StatusCode)
	}
	_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if res, err := http.ReadResponse(rd, nil); err == nil {
		t.Fatalf("a second answer (%d) to one request: the rest of the body was read as a request", res.StatusCode)
	}
}

// maxLoginBodyForTest is api.maxLoginBody, where huma stops reading the
// login's body.
const maxLoginBodyForTest = 4 << 10
