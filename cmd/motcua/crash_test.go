package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/democlient"
)

// TestCrashDuringSubmissions kills the server (SIGKILL) in the middle of a
// submission load, starts it again on the same store and checks that every
// dossier whose submission was answered 201 is there, that no code was
// given twice, and that the audit chain is intact.
func TestCrashDuringSubmissions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary under load")
	}
	stores := map[string][]string{"sqlite": {"--data", t.TempDir()}}
	if base := os.Getenv("MOTCUA_TEST_POSTGRES"); base != "" {
		stores["postgres"] = []string{"--db", freshSchema(t, base), "--data", t.TempDir()}
	}
	for name, args := range stores {
		t.Run(name, func(t *testing.T) { crashRun(t, args) })
	}
}

func crashRun(t *testing.T, storeArgs []string) {
	s := startServer(t, append([]string{"--demo", "--log-level", "warn"}, storeArgs...)...)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}, Timeout: 10 * time.Second}
	body, token, err := democlient.Submission(client, s.base, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var answered []string
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "POST", s.base+"/api/v1/dossiers", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				res, err := client.Do(req)
				if err != nil {
					continue // the server is gone; keep trying until told to stop
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode == 201 {
					var d struct{ Code string }
					if err := json.Unmarshal(b, &d); err == nil && d.Code != "" {
						mu.Lock()
						answered = append(answered, d.Code)
						mu.Unlock()
					}
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
	time.Sleep(200 * time.Millisecond)
	cancel()
	wg.Wait()
	mu.Lock()
	codes := append([]string(nil), answered...)
	mu.Unlock()
	if len(codes) < 50 {
		t.Fatalf("only %d submissions answered before the kill", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c] {
			t.Fatalf("code %s answered twice", c)
		}
		seen[c] = true
	}

	s = startServer(t, append([]string{"--demo", "--log-level", "warn"}, storeArgs...)...)
	var mine struct{ Total int }
	tok := s.login(t, "congdan")
	if st := s.call(t, "GET", "/api/v1/dossiers?limit=1", tok, "", &mine); st != 200 || mine.Total < len(codes) {
		t.Fatalf("after restart the citizen has %d dossiers, %d were answered 201 (%d)", mine.Total, len(codes), st)
	}
	missing := 0
	for _, c := range codes {
		if st := s.call(t, "GET", "/api/v1/public/dossiers/"+c, "", "", nil); st != 200 {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged dossiers lost", missing, len(codes))
	}
	// The numbering goes on after the crash without reusing a code.
	var d struct{ Code string }
	if st := s.call(t, "POST", "/api/v1/dossiers", tok, body, &d); st != 201 || seen[d.Code] {
		t.Fatalf("submission after restart: %d %s (reused: %v)", st, d.Code, seen[d.Code])
	}
	s.stop(t)
	args := append([]string{"audit", "verify"}, storeArgs...)
	if out, err := exec.Command(binary(t), args...).CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
		t.Fatalf("audit verify after the crash: %v %s", err, out)
	}
	t.Logf("%d submissions answered 201 before SIGKILL; all present after restart (%d dossiers in all)", len(codes), mine.Total)
}
