package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/store"
)

// TestPortalSyncCommand: on a real store with a dossier the portal
// refused, `portal-sync status` lists the counts and the failure with its
// message, `portal-sync resync` queues it again as the command line
// (audited), and wrong command lines are usage errors.
func TestPortalSyncCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	a, db, err := openApp(ctx, storeFlags{data: data, province: "01"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, a, db); err != nil {
		t.Fatal(err)
	}
	const code, refusal = "000.00.50.H01-261123-00042", "Cổng DVCQG từ chối hồ sơ: MaTTHC không tồn tại"
	now := time.Now()
	err = db.Update(ctx, func(tx store.Tx) error {
		if err := tx.QueuePortalSync(ctx, code, 3, now.Add(-2*time.Hour)); err != nil {
			return err
		}
		rows, err := tx.ClaimPortalSync(ctx, now, time.Minute, 1000)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Code == code {
				r.State, r.Attempts, r.LastError, r.NextAt, r.UpdatedAt = store.PortalFailed, 4, refusal, now.Add(10*time.Minute), now
				return tx.PutPortalSync(ctx, r)
			}
		}
		t.Fatalf("row %s not claimed: %+v", code, rows)
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"status", []string{"portal-sync", "status", "--data", data}, 0, []string{"failed   1\tLỗi", "đã đồng bộ (synced)", "oldest   ", "+07:00", "chờ 2h0m", "Hồ sơ lỗi (failed), 1/1:",
			code + "\tlần thử 4\tthử lại ", refusal}},
		{"resync the failed", []string{"portal-sync", "resync", "--data", data}, 0, []string{`{"queued":1}`}},
		{"nothing failed now", []string{"portal-sync", "status", "--data", data}, 0, []string{"failed   0\tLỗi", "pending  1\tChờ đồng bộ"}},
		{"a code of no dossier", []string{"portal-sync", "resync", "KHONG-CO", "--data", data}, 1, nil},
		{"no subcommand", []string{"portal-sync"}, 2, nil},
		{"codes and --all", []string{"portal-sync", "resync", "--all", "X", "--data", data}, 2, nil},
		{"status of codes", []string{"portal-sync", "status", "X", "--data", data}, 2, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, out, errOut := runCLI(tt.args...)
			if c != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", c, tt.code, out, errOut)
			}
			for _, w := range tt.contains {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
		})
	}

	_, db, err = openApp(ctx, storeFlags{data: data, province: "01"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.AuditEntries(ctx, audit.Filter{Action: "portal_sync.resync", Limit: 10})
	if err != nil || len(es) != 1 || es[0].Actor != "system" || es[0].IP != "cli" {
		t.Fatalf("resyncs audited: %+v %v", es, err)
	}
	if r, err := db.PortalSync(ctx, code); err != nil || r.State != store.PortalPending || r.Attempts != 0 {
		t.Errorf("row after the resync %+v %v", r, err)
	}
}
