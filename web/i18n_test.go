package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/web/ui"
)

func TestSwitchLanguage(t *testing.T) {
	f := newFixture(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct{ query, cookie, location string }{
		{"lang=en&next=/thu-tuc%3Fq%3Dkhai", "en", "/thu-tuc?q=khai"},
		{"lang=vi&next=/", "vi", "/"},
		{"lang=fr&next=/ho-so", "vi", "/ho-so"},
		{"lang=en&next=https://evil.example/", "en", "/"},
		{"lang=en&next=//evil.example/", "en", "/"},
		{"lang=en&next=/\\evil.example", "en", "/"},
		{"lang=en", "en", "/"},
	} {
		req, _ := http.NewRequest("GET", f.srv.URL+"/ngon-ngu?"+tc.query, nil)
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d", tc.query, res.StatusCode)
		}
		if got := res.Header.Get("Location"); got != tc.location {
			t.Errorf("%s: location %q, want %q", tc.query, got, tc.location)
		}
		var got string
		for _, c := range res.Cookies() {
			if c.Name == ui.LangCookie {
				got = c.Value
			}
		}
		if got != tc.cookie {
			t.Errorf("%s: cookie %q, want %q", tc.query, got, tc.cookie)
		}
	}
}

// TestEnglishPages: with the language cookie the portal's pages speak
// English (lang attribute, sentences, domain names), without it Vietnamese.
func TestEnglishPages(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		lang, path string
		want       []string
	}{
		{"en", "/", []string{`<html lang="en">`, "Online public services", "Procedures by level", `href="/ngon-ngu?lang=vi&amp;next=%2f"`}},
		{"vi", "/", []string{`<html lang="vi">`, "Dịch vụ công trực tuyến", `href="/ngon-ngu?lang=en&amp;next=%2f"`}},
		{"en", "/thu-tuc?q=khai+sinh", []string{"Administrative procedures", "working days", "matching “khai sinh”"}},
		{"en", "/thu-tuc/1.001193", []string{"Dossier components", "Processing time", "Apply online"}},
		{"en", "/dang-nhap", []string{"Username", "Password"}},
	} {
		req, _ := http.NewRequest("GET", f.srv.URL+tc.path, nil)
		req.AddCookie(&http.Cookie{Name: ui.LangCookie, Value: tc.lang})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, w := range tc.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s %s: no %q", tc.lang, tc.path, w)
			}
		}
	}
}
