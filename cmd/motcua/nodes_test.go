package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/democlient"
)

// TestTwoNodesPostgres is the documented way to scale a province: two
// `serve` nodes on one PostgreSQL database (same schema, data directory and
// PKI). Eight clients walk dossiers for 4 s, the requests of each walk
// going to the nodes in turn (submitted on one, received on the other, …),
// each official acting on the version the previous answer showed. Every
// request is answered 2xx (no deadlock between the nodes' transactions, no
// stale version), every walk ends at status 10, no dossier code is given
// twice and the audit chain is intact.
func TestTwoNodesPostgres(t *testing.T) {
	pg := os.Getenv("MOTCUA_TEST_POSTGRES")
	if pg == "" {
		t.Skip("MOTCUA_TEST_POSTGRES is not set: PostgreSQL suite skipped")
	}
	url := freshSchema(t, pg)
	data := t.TempDir()
	args := []string{"--db", url, "--data", data, "--pki", filepath.Join(data, "pki"), "--log-level", "warn"}
	// The first node loads the demo and makes its PKI; the second is added
	// as an operator adds a node: no --demo.
	n1 := startServer(t, append([]string{"--demo"}, args...)...)
	// The nodes share a data directory here, and one embedded NATS server
	// is all a directory takes: the second node publishes nothing, the
	// first node's relay publishes the events of both from the shared
	// outbox (production nodes each get --nats URL of the cluster).
	n2 := startServer(t, append([]string{"--nats", "off", "--local-citizens"}, args...)...)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	w, err := democlient.NewWalker(client, n1.base, n2.base)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	var mu sync.Mutex
	var submitted, returned []string
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for ctx.Err() == nil {
				code, err := w.Walk(ctx)
				mu.Lock()
				if code != "" {
					submitted = append(submitted, code)
				}
				if err == nil {
					returned = append(returned, code)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	errs, msgs := w.Errors()
	if len(errs) > 0 {
		t.Errorf("requests not answered 2xx: %v; first:\n%s", errs, strings.Join(msgs, "\n"))
	}
	if len(returned) < 5 {
		t.Fatalf("%d walks ended in 4 s (%d dossiers submitted), want at least 5", len(returned), len(submitted))
	}
	seen := map[string]bool{}
	for _, c := range submitted {
		if seen[c] {
			t.Errorf("dossier code %s given twice", c)
		}
		seen[c] = true
	}
	// Each node reads what the other wrote: every returned dossier is at
	// status 10 on both.
	for i, c := range returned {
		for _, n := range []*server{n1, n2} {
			var pub struct{ Status int }
			if st := n.call(t, "GET", "/api/v1/public/dossiers/"+c, "", "", &pub); st != 200 || pub.Status != 10 {
				t.Errorf("dossier %s (walk %d) on %s: %d, status %d; want 200, status 10", c, i, n.base, st, pub.Status)
			}
		}
	}
	n1.stop(t)
	n2.stop(t)
	if out, err := exec.Command(binary(t), "audit", "verify", "--db", url).CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
		t.Fatalf("audit verify --db: %v %s", err, out)
	}
	t.Logf("%d walks returned (%d dossiers submitted, %d requests) over two nodes in 4 s", len(returned), len(submitted), w.Actions())
}
