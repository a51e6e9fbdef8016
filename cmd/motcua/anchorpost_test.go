package main

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/national/httpapi"
	"github.com/motcua/motcua/pki"
)

// TestServeAnchorsToNational: a province started with --national-url
// posts every audit anchor it signs to the national mode; the anchors
// signed while the national mode was not there yet are posted once it is,
// and the national mode keeps them as the province signed them.
func TestServeAnchorsToNational(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	natAddr := freeAddr(t)
	pdata := t.TempDir()
	prov := startServer(t, "--demo", "--data", pdata, "--nats", natsOff, "--national-url", "http://"+natAddr, "--anchor-every", "1s")

	// Two anchors signed, the national mode still absent: both pending.
	anchorsFile := filepath.Join(pdata, auditlog.AnchorsFile)
	var written []auditlog.SignedAnchor
	var err error
	for deadline := time.Now().Add(10 * time.Second); len(written) < 2; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d anchors written in 10 s (%v)", len(written), err)
		}
		// A line being appended may be read half-written: read again.
		written, err = auditlog.ReadAnchorsFile(anchorsFile)
	}

	nat := startServerAt(t, natAddr, "--national", "--data", t.TempDir())
	var got struct {
		Province string
		Anchors  []auditlog.SignedAnchor
	}
	first := written[0]
	found := func() bool {
		for _, a := range got.Anchors {
			if a.At.Equal(first.At) && bytes.Equal(a.Signature, first.Signature) {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(20 * time.Second); !found(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the first anchor (%v) not at the national mode within 20 s; it holds %d", first.At, len(got.Anchors))
		}
		if st := nat.call(t, "GET", httpapi.PathAnchors+"01?limit=100", "", "", &got); st != 200 {
			t.Fatalf("anchors of 01: %d", st)
		}
	}
	// Each is the province's, verifiable with its root alone.
	p, err := pki.Open(filepath.Join(pdata, "pki"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(p.CA())
	for _, a := range got.Anchors {
		if err := a.Verify(roots); err != nil {
			t.Errorf("anchor of %v at the national mode: %v", a.At, err)
		}
	}
	prov.stop(t)
	nat.stop(t)
}

// TestAnchorPoster: the pending anchors are posted oldest first, at most
// maxPendingAnchors kept while the national mode cannot be reached; one it
// refuses is dropped, one it cannot take now is kept for the next flush.
func TestAnchorPoster(t *testing.T) {
	var mu sync.Mutex
	var answer func(w http.ResponseWriter) // nil: taken
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if u, p, ok := r.BasicAuth(); r.URL.Path != dvcqgclient.AnchorPath || !ok || u != "tinh-01" || p != "matkhau-01" {
			t.Errorf("%s %s by %q", r.Method, r.URL.Path, u)
		}
		if answer != nil {
			answer(w)
			return
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		got = append(got, b.String())
		_ = json.NewEncoder(w).Encode(dvcqg.Reply{ErrorCode: dvcqg.CodeOK})
	}))
	defer srv.Close()
	reply := func(status int, code string) func(w http.ResponseWriter) {
		return func(w http.ResponseWriter) {
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(dvcqg.Reply{ErrorCode: code, Message: "thông điệp"})
		}
	}
	p := newAnchorPoster(dvcqgclient.New(dvcqgclient.Config{URL: srv.URL + "/", Username: "tinh-01", Password: "matkhau-01", Timeout: time.Second}), quiet)
	p.close() // no goroutine: flush is called by the test
	n := 0
	pending := func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.pending)
	}
	for _, step := range []struct {
		name   string
		answer func(w http.ResponseWriter)
		add    int
		// pending after the flush, and the anchors taken so far
		pending, taken int
	}{
		{"down (503)", reply(http.StatusServiceUnavailable, "503"), 3, 3, 0},
		{"credentials refused (401)", reply(http.StatusUnauthorized, dvcqg.CodeAuth), 1, 4, 0},
		{"not JSON", func(w http.ResponseWriter) { _, _ = w.Write([]byte("<html>")) }, 1, 5, 0},
		{"down long: bounded", reply(http.StatusServiceUnavailable, "503"), 2 * maxPendingAnchors, maxPendingAnchors, 0},
		{"back", nil, 1, 0, maxPendingAnchors},
		{"refused: dropped", reply(http.StatusOK, dvcqg.CodeInvalid), 2, 0, maxPendingAnchors},
		{"taken", nil, 1, 0, maxPendingAnchors + 1},
	} {
		mu.Lock()
		answer = step.answer
		mu.Unlock()
		for range step.add {
			n++
			p.add(fmt.Appendf(nil, `{"n":%d}`, n))
		}
		p.flush(t.Context())
		mu.Lock()
		taken := len(got)
		mu.Unlock()
		if n := pending(); n != step.pending || taken != step.taken {
			t.Errorf("%s: %d pending, %d taken; want %d, %d", step.name, n, taken, step.pending, step.taken)
		}
	}
	// Oldest first, and the oldest were the ones dropped: the last kept
	// of the long outage come in order.
	for i := 1; i < maxPendingAnchors; i++ {
		var a, b struct{ N int }
		_ = json.Unmarshal([]byte(got[i-1]), &a)
		_ = json.Unmarshal([]byte(got[i]), &b)
		if a.N >= b.N {
			t.Fatalf("posted out of order: %s then %s", got[i-1], got[i])
		}
	}
}
