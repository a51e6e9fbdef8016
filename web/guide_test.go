package web

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A path no route knows, a method a route does not take, a static file
// that does not exist: the Vietnamese error page with its English second
// (never Go's "404 page not found", never the look-up page), or a problem
// to the API and to a client asking for JSON.
func TestErrorPages(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, method, path, accept string
		status                     int
		want                       []string
		json                       bool
		allow                      string
	}{
		{name: "unknown page", method: "GET", path: "/khong-co-trang-nay", status: 404, want: []string{"Không tìm thấy trang", `<div lang="en"`, "Page not found", `href="/thu-tuc"`, `href="/dang-nhap?next=%2fkhong-co-trang-nay"`, `<meta name="description"`}},
		{name: "unknown static file", method: "GET", path: "/static/khong-co.css", status: 404, want: []string{"Không tìm thấy trang", "Page not found"}},
		{name: "unknown page, JSON asked", method: "GET", path: "/khong-co", accept: "application/json", status: 404, json: true},
		{name: "unknown API path", method: "GET", path: "/api/v1/khong-co", status: 404, json: true},
		{name: "method not taken", method: "DELETE", path: "/tra-cuu", status: 405, want: []string{"Thao tác không được hỗ trợ", "Method not allowed"}, allow: "GET"},
		{name: "unknown dossier", method: "GET", path: "/thu-tuc/khong-co", status: 404, want: []string{"Không tìm thấy trang", "Page not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, f.srv.URL+tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			body := string(b)
			if res.StatusCode != tt.status {
				t.Fatalf("%s %s = %d, want %d: %.300s", tt.method, tt.path, res.StatusCode, tt.status, body)
			}
			if strings.Contains(body, "page not found") || strings.Contains(body, `name="ma"`) {
				t.Errorf("Go's text or the look-up page: %.500s", body)
			}
			if tt.json {
				var p struct {
					Status int    `json:"status"`
					Detail string `json:"detail"`
				}
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q", ct)
				}
				if err := json.Unmarshal(b, &p); err != nil || p.Status != tt.status || p.Detail == "" {
					t.Errorf("problem %+v (%v): %s", p, err, b)
				}
				return
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %q in %.2000s", w, body)
				}
			}
			if tt.allow != "" && !strings.Contains(res.Header.Get("Allow"), tt.allow) {
				t.Errorf("Allow %q, want %s", res.Header.Get("Allow"), tt.allow)
			}
		})
	}
}

// The static files and the favicon: linked with their digest and cached a
// year under it, an hour without it, revalidated by a strong ETag (304),
// compressed with gzip when asked; the pages are
// compressed as well, small answers not.
func TestStaticCacheAndCompression(t *testing.T) {
	f := newFixture(t)
	_, home := f.exchange(t, "GET", "/", "", "", "")
	for _, name := range []string{"app.css", "favicon.svg", "favicon.ico"} {
		if !strings.Contains(string(home), "/static/"+name+"?v=") {
			t.Errorf("the home page does not link %s with its digest", name)
		}
	}
	if !strings.Contains(string(home), `<meta name="description" content="Cổng dịch vụ công`) {
		t.Error("no meta description on the home page")
	}
	get := func(path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req) // no transparent decompression
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	linked := func(name string) string {
		i := strings.Index(string(home), "/static/"+name+"?v=")
		rest := string(home)[i:]
		return rest[:strings.IndexByte(rest, '"')]
	}

	t.Run("favicon", func(t *testing.T) {
		res, b := get("/favicon.ico")
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/x-icon" || len(b) < 22 || string(b[:4]) != "\x00\x00\x01\x00" {
			t.Fatalf("/favicon.ico = %d %q %d bytes", res.StatusCode, res.Header.Get("Content-Type"), len(b))
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=3600" {
			t.Errorf("Cache-Control %q", cc)
		}
	})
	t.Run("robots.txt", func(t *testing.T) {
		// Signed-in pages are not disallowed: they redirect a crawler to
		// the sign-in page (docs/pages.md).
		res, b := get("/robots.txt")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") || !strings.Contains(string(b), "User-agent: *\nAllow: /\n") {
			t.Fatalf("/robots.txt = %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), b)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "Disallow:"); ok && strings.TrimSpace(rest) != "" {
				t.Errorf("robots.txt: %s", line)
			}
		}
	})
	t.Run("versioned, then revalidated", func(t *testing.T) {
		res, b := get(linked("app.css"))
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || res.Header.Get("ETag") == "" || len(b) == 0 {
			t.Fatalf("%d %q %q", res.StatusCode, res.Header.Get("Cache-Control"), res.Header.Get("ETag"))
		}
		res2, b2 := get("/static/app.css", "If-None-Match", res.Header.Get("ETag"))
		if res2.StatusCode != http.StatusNotModified || len(b2) != 0 || res2.Header.Get("ETag") != res.Header.Get("ETag") {
			t.Errorf("revalidation = %d, ETag %q, %d bytes", res2.StatusCode, res2.Header.Get("ETag"), len(b2))
		}
		if res3, _ := get("/static/app.css", "If-None-Match", `"0000000000000000"`); res3.StatusCode != 200 {
			t.Errorf("another ETag = %d, want 200", res3.StatusCode)
		}
	})
	t.Run("compressed", func(t *testing.T) {
		for _, path := range []string{linked("app.css"), "/static/app.js", "/", "/thu-tuc", "/khong-co-trang-nay"} {
			plainRes, plain := get(path)
			res, b := get(path, "Accept-Encoding", "gzip, deflate, br")
			if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Content-Encoding %q, Vary %q", path, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
				continue
			}
			zr, err := gzip.NewReader(strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			unz, _ := io.ReadAll(zr)
			if len(b)*10 >= len(unz)*7 || plainRes.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s: %d bytes compressed of %d (plain %d, %q)", path, len(b), len(unz), len(plain), plainRes.Header.Get("Content-Encoding"))
			}
			if et := res.Header.Get("ETag"); et != "" {
				if res2, _ := get(path, "Accept-Encoding", "gzip", "If-None-Match", et); res2.StatusCode != http.StatusNotModified {
					t.Errorf("%s: revalidating the gzip ETag = %d", path, res2.StatusCode)
				}
			}
		}
		if res, _ := get("/healthz", "Accept-Encoding", "gzip"); res.Header.Get("Content-Encoding") != "" {
			t.Errorf("a 3-byte answer compressed")
		}
	})
}

// rfc3339Z finds a time sent in UTC.
var rfc3339Z = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"`)

// Every time the API sends is in Vietnam's time with +07:00, however deep
// in the answer (a dossier's steps, history, payment), after a round trip
// through the store.
func TestAPITimesInVietnam(t *testing.T) {
	f := newFixture(t)
	st, d, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	res, body := f.exchange(t, "GET", "/api/v1/dossiers/"+d.Code, "bearer:congdan", "", "")
	if res.StatusCode != 200 {
		t.Fatalf("GET = %d %s", res.StatusCode, body)
	}
	if m := rfc3339Z.FindAll(body, -1); len(m) > 0 {
		t.Errorf("times in UTC: %s in %.1500s", m, body)
	}
	var out struct {
		History []struct {
			At string `json:"at"`
		} `json:"history"`
		Steps []struct {
			StartedAt string `json:"started_at"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.History) < 2 || !strings.HasSuffix(out.History[1].At, "+07:00") || !strings.HasSuffix(out.Steps[0].StartedAt, "+07:00") {
		t.Errorf("history %+v, steps %+v", out.History, out.Steps)
	}
	_, mine := f.exchange(t, "GET", "/api/v1/me/sessions", "bearer:congdan", "", "")
	if m := rfc3339Z.FindAll(mine, -1); len(m) > 0 {
		t.Errorf("session times in UTC: %s", m)
	}
}

// An action refused for the wrong agency names the agency by its name,
// never by its code.
func TestRefusalNamesAgency(t *testing.T) {
	f := newFixture(t)
	_, d, b := f.submit(t, "congdan", "1.001193", "")
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	_, body := f.exchange(t, "GET", "/api/v1/dossiers/"+d.Code, "bearer:tiepnhan", "", "")
	var out struct {
		Steps []struct {
			AgencyID   string `json:"agency_id"`
			AgencyName string `json:"agency_name"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(body, &out); err != nil || len(out.Steps) < 2 || out.Steps[1].AgencyName == "" {
		t.Fatalf("steps %+v (%v): %s %s", out.Steps, err, body, b)
	}
	st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"complete_step"}`)
	if st != http.StatusForbidden {
		t.Fatalf("the receiver completes the specialist's step = %d %s", st, b)
	}
	if !strings.Contains(string(b), out.Steps[1].AgencyName) || strings.Contains(string(b), out.Steps[1].AgencyID) {
		t.Errorf("the refusal does not name %q (%s) by its name: %s", out.Steps[1].AgencyName, out.Steps[1].AgencyID, b)
	}
	// Nor does the page offer it.
	br := f.browser(t, "tiepnhan")
	_, page := br.get("/ho-so/" + d.Code)
	if strings.Contains(page, `value="complete_step"`) {
		t.Error("the receiver is offered the specialist's button")
	}
}

// Every "please log in" brings the visitor back where they were: the
// pages' redirect, a form posted after the session ended (back to the
// page of the form), a link of the API opened in the browser (a printed
// form), the navigation's login link, the error pages' link, and a
// password mistyped (the form keeps where it lands).
func TestLoginReturns(t *testing.T) {
	f := newFixture(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if method == "POST" {
			body = strings.NewReader("action=receive")
		}
		req, _ := http.NewRequest(method, f.srv.URL+path, body)
		if method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	redirects := []struct {
		name, method, path string
		hdr                []string
		want               string
	}{
		{"a page", "GET", "/ho-so?trang=2", nil, "/dang-nhap?next=%2Fho-so%3Ftrang%3D2"},
		{"a form posted", "POST", "/ho-so/X-1/thao-tac", []string{"Referer", f.srv.URL + "/ho-so/X-1"}, "/dang-nhap?next=%2Fho-so%2FX-1"},
		{"a form posted from elsewhere", "POST", "/ho-so/X-1/thao-tac", []string{"Referer", "https://evil.example/ho-so/X-1"}, "/dang-nhap?next=%2F"},
		{"a printed form in the browser", "GET", "/api/v1/dossiers/X-1/forms/01", []string{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}, "/dang-nhap?next=%2Fapi%2Fv1%2Fdossiers%2FX-1%2Fforms%2F01"},
	}
	for _, tt := range redirects {
		res, body := do(tt.method, tt.path, tt.hdr...)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.want {
			t.Errorf("%s: %d %q, want 303 %q: %.200s", tt.name, res.StatusCode, res.Header.Get("Location"), tt.want, body)
		}
	}
	if res, _ := do("GET", "/api/v1/dossiers/X-1/forms/01"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API without a browser's Accept = %d, want 401", res.StatusCode)
	}
	if _, page := do("GET", "/thu-tuc"); !strings.Contains(page, `href="/dang-nhap?next=%2fthu-tuc"`) {
		t.Error("the navigation's login link does not come back to the page")
	}
	if _, page := do("GET", "/dang-nhap?next=%2Fthu-tuc"); strings.Contains(page, `href="/dang-nhap?next=`) {
		t.Error("the login page's own link points to itself")
	}
	// A password mistyped: the form still lands where it started.
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, f: f, c: &http.Client{Jar: jar, CheckRedirect: noFollow.CheckRedirect}}
	_, page := b.get("/dang-nhap?next=%2Fho-so")
	csrf := regexp.MustCompile(`name="csrf" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no CSRF token")
	}
	res, err := b.c.PostForm(f.srv.URL+"/dang-nhap", url.Values{"csrf": {csrf[1]}, "username": {"congdan"}, "password": {"sai"}, "next": {"/ho-so"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 401 || !strings.Contains(string(body), `name="next" value="/ho-so"`) {
		t.Errorf("wrong password = %d, next lost: %.3000s", res.StatusCode, body)
	}
}
