package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/internal/diskspace"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/store/storetest"
)

// TestDiskFull submits dossiers to a store whose database cannot grow (as
// on a full disk) until one does not fit: it answers 503 with the
// Vietnamese message and Retry-After, nothing of it is stored, the audit
// chain is intact, /readyz turns not ready, and submissions succeed again
// once there is room.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	db := f.store.(*sqlstore.DB)
	raw := f.submissionBody(t, "congdan", "1.001193", "")
	tok := f.token(t, "congdan")
	_, before, err := db.Dossiers(ctx, dossier.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetMaxPages(ctx, 0); err != nil {
		t.Fatal(err)
	}
	var res *http.Response
	var b []byte
	ok := 0
	for range 300 {
		res, b = f.do(t, "POST", "/api/v1/dossiers", tok, raw)
		if res.StatusCode != 201 {
			break
		}
		ok++
	}
	if res.StatusCode != 503 {
		t.Fatalf("submission on a full disk = %d, want 503: %s", res.StatusCode, b)
	}
	if !strings.Contains(string(b), "hết dung lượng lưu trữ") || !strings.Contains(string(b), "store.disk_full") {
		t.Errorf("503 body lacks the Vietnamese message or key: %s", b)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type = %q", ct)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	_, after, err := db.Dossiers(ctx, dossier.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if after != before+ok {
		t.Errorf("%d dossiers after %d submissions accepted (%d before): the failed one was half-written", after, ok, before)
	}
	if _, err := storetest.Verify(ctx, db); err != nil {
		t.Errorf("audit chain after a full disk: %v", err)
	}
	res, b = f.do(t, "GET", "/readyz", "", "")
	if res.StatusCode != 503 || !strings.Contains(string(b), "disk full") {
		t.Errorf("/readyz after a full disk = %d %s, want 503", res.StatusCode, b)
	}
	if err := db.SetMaxPages(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if res, b = f.do(t, "POST", "/api/v1/dossiers", tok, string(raw)); res.StatusCode != 201 {
		t.Fatalf("submission once there is room = %d: %s", res.StatusCode, b)
	}
}

// TestReadyzDisk: /readyz is not ready while the data directory has less
// free space than the threshold, or shortly after a write found the disk
// full, and ready otherwise.
func TestReadyzDisk(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	free, err := diskspace.Free(dir)
	if err != nil {
		t.Fatal(err)
	}
	var fullAt time.Time
	for _, tc := range []struct {
		name   string
		guard  diskspace.Guard
		fullAt time.Time
		status int
		want   string
	}{
		{"threshold above the free space", diskspace.Guard{Dir: dir, MinFree: free + 1<<40}, time.Time{}, 503, "free space"},
		{"threshold below the free space", diskspace.Guard{Dir: dir, MinFree: 1 << 20}, time.Time{}, 200, "ready"},
		{"no threshold", diskspace.Guard{Dir: dir}, time.Time{}, 200, "ready"},
		{"disk full just now", diskspace.Guard{Dir: dir, MinFree: 1 << 20}, time.Now(), 503, "disk full"},
		{"disk full long ago", diskspace.Guard{Dir: dir, MinFree: 1 << 20, Window: time.Minute}, time.Now().Add(-2 * time.Minute), 200, "ready"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fullAt = tc.fullAt
			tc.guard.Seen = []func() time.Time{func() time.Time { return fullAt }}
			opts := f.opts
			opts.Disk = tc.guard
			f.srv.Config.Handler = New(f.app, opts).Handler()
			res, b := f.do(t, "GET", "/readyz", "", "")
			if res.StatusCode != tc.status || !strings.Contains(string(b), tc.want) {
				t.Fatalf("/readyz = %d %q, want %d %q", res.StatusCode, b, tc.status, tc.want)
			}
		})
	}
}
