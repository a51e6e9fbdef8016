package httpfetch_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/internal/httpfetch"
)

func TestFetch(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = io.WriteString(w, "%PDF-1.4 …")
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2048")
		_, _ = w.Write(make([]byte, 2048))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = io.WriteString(w, "%PDF-")
		w.(http.Flusher).Flush()
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	other := httptest.NewServer(mux)
	defer other.Close()
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:"+port(other.URL)+"/ok.pdf", http.StatusFound)
	})
	mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok.pdf", http.StatusFound) })

	f := httpfetch.New([]string{" 127.0.0.1 "}, 300*time.Millisecond, 1024)
	for _, tc := range []struct {
		name string
		url  string
		kind errs.Kind
		key  string
	}{
		{"allowed host, any port", srv.URL + "/ok.pdf", 0, ""},
		{"redirect on the host", srv.URL + "/here", 0, ""},
		{"host not allowed", "http://localhost:" + port(srv.URL) + "/ok.pdf", errs.Invalid, "fetch.host_not_allowed"},
		{"redirect to a host not allowed", srv.URL + "/elsewhere", errs.Invalid, "fetch.host_not_allowed"},
		{"not http", "file:///etc/passwd", errs.Invalid, "fetch.url"},
		{"not found", srv.URL + "/missing", errs.Invalid, "fetch.status"},
		{"host failing", srv.URL + "/broken", errs.Unavailable, "fetch.unavailable"},
		{"too large", srv.URL + "/big", errs.Invalid, "file.too_large"},
		{"timeout", srv.URL + "/slow", errs.Unavailable, "fetch.unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, ctype, err := f.Fetch(context.Background(), tc.url)
			if tc.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer rc.Close()
				b, err := io.ReadAll(rc)
				if err != nil || !strings.HasPrefix(string(b), "%PDF-") || ctype != "application/pdf" {
					t.Errorf("body %q %q %v", b, ctype, err)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Kind != tc.kind || e.Key != tc.key || e.Message == "" {
				t.Errorf("err = %v, want %v %s", err, tc.kind, tc.key)
			}
		})
	}
	t.Run("timeout while reading the body", func(t *testing.T) {
		rc, _, err := f.Fetch(context.Background(), srv.URL+"/slow-body")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		_, err = io.ReadAll(rc)
		if e, ok := errs.As(err); !ok || e.Kind != errs.Unavailable || !strings.Contains(e.Message, "quá thời gian chờ") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("host with a port", func(t *testing.T) {
		g := httpfetch.New([]string{"127.0.0.1:" + port(srv.URL)}, 0, 0)
		for u, want := range map[string]bool{srv.URL + "/x": true, other.URL + "/x": false} {
			p, _ := url.Parse(u)
			if g.Allowed(p) != want {
				t.Errorf("Allowed(%s) = %v", u, !want)
			}
		}
	})
}

func port(u string) string {
	p, _ := url.Parse(u)
	return p.Port()
}
