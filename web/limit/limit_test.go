package limit

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestGate: with two slots held, the third request is refused at once with
// 503 and Retry-After; once a slot frees, requests pass again.
func TestGate(t *testing.T) {
	release := make(chan struct{})
	var entered sync.WaitGroup
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Done()
		<-release
		w.WriteHeader(http.StatusOK)
	})
	refuse := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Máy chủ đang bận, vui lòng thử lại sau ít giây.", http.StatusServiceUnavailable)
	})
	g := NewGate(2, 3*time.Second, refuse)
	h := g.Wrap(slow)
	var done sync.WaitGroup
	codes := make([]int, 2)
	entered.Add(2)
	for i := range 2 {
		done.Add(1)
		go func() {
			defer done.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("POST", "/xac-thuc", nil))
			codes[i] = rec.Code
		}()
	}
	entered.Wait()
	if g.InUse() != 2 {
		t.Fatalf("in use %d", g.InUse())
	}
	start := time.Now()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/xac-thuc", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "3" || time.Since(start) > time.Second {
		t.Errorf("third request: %d, Retry-After %q, after %v", rec.Code, rec.Header().Get("Retry-After"), time.Since(start))
	}
	close(release)
	done.Wait()
	if codes[0] != 200 || codes[1] != 200 || g.InUse() != 0 {
		t.Errorf("held requests: %v, in use %d", codes, g.InUse())
	}
	entered.Add(1)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/xac-thuc", nil))
	if rec.Code != 200 {
		t.Errorf("after release: %d", rec.Code)
	}
}
