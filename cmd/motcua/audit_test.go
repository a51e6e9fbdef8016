package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/store/sqlstore"
)

// TestAuditAnchorCommands: on a real SQLite store, someone with write
// access to the database drops the log's triggers, deletes its last
// entries and rewrites the head to match. `audit verify` cannot see it
// from the database alone; with the anchor `audit anchor` signed before,
// it fails and names the missing entry.
func TestAuditAnchorCommands(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	a, db, err := openApp(ctx, storeFlags{data: data, province: "01"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, a, db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, out, errOut := runCLI("pki", "init", "--dir", filepath.Join(data, "pki"), "--data", data, "--province", "01"); code != 0 {
		t.Fatalf("pki init: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCLI("audit", "anchor", "--data", data); code != 0 || !strings.Contains(out, "audit anchored at") {
		t.Fatalf("audit anchor: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCLI("audit", "verify", "--data", data); code != 0 || !strings.Contains(out, "1 signed anchors hold") {
		t.Fatalf("audit verify: %d %s %s", code, out, errOut)
	}

	// Shorten the log by three entries, past the anchor, and rewrite the head.
	raw, err := sql.Open("sqlite", filepath.Join(data, sqlstore.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"DROP TRIGGER audit_log_no_delete",
		"DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)",
		"UPDATE audit_chains SET seq = (SELECT max(seq) FROM audit_log), hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1) WHERE chain = 1",
	} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	raw.Close()

	anchors := filepath.Join(data, "audit-anchors.jsonl")
	hidden := anchors + ".away"
	if err := os.Rename(anchors, hidden); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI("audit", "verify", "--data", data); code != 0 {
		t.Fatalf("without the anchor the shortened log should verify (that is the weakness anchors close): %d %s %s", code, out, errOut)
	}
	if err := os.Rename(hidden, anchors); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI("audit", "verify", "--data", data)
	if code != 1 || !strings.Contains(errOut, "BROKEN") || !strings.Contains(errOut, "anchored at") {
		t.Fatalf("audit verify after the shortening: %d %s %s", code, out, errOut)
	}
	// An anchors file without the PKI to check it is an error, not a pass.
	if code, _, errOut := runCLI("audit", "verify", "--data", data, "--pki", filepath.Join(data, "nothing")); code == 0 {
		t.Fatalf("verify without the PKI passed: %s", errOut)
	}
}

// TestFilesCleanupCommand: `motcua files cleanup` runs the cleanup of
// unattached uploads on a store and reports what it deleted; without the
// subcommand it is a usage error.
func TestFilesCleanupCommand(t *testing.T) {
	data := t.TempDir()
	a, db, err := openApp(context.Background(), storeFlags{data: data, province: "01"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(context.Background(), a, db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if code, out, errOut := runCLI("files", "cleanup", "--data", data); code != 0 || !strings.Contains(out, "0 uploads not taken by any dossier within 24h0m0s deleted (0 stored files removed)") {
		t.Fatalf("files cleanup: %d %q %s", code, out, errOut)
	}
	if code, _, _ := runCLI("files"); code != 2 {
		t.Errorf("files without a subcommand: exit %d, want 2", code)
	}
}

// TestServeAnchors: a real `serve` signs where the audit log ends as it
// starts, every --anchor-every, and as it stops; `audit verify` then
// checks those anchors against the log.
func TestServeAnchors(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, "--demo", "--data", data, "--anchor-every", "300ms")
	time.Sleep(time.Second) // at least one periodic anchor after the start
	s.stop(t)
	anchors, err := auditlog.ReadAnchorsFile(filepath.Join(data, auditlog.AnchorsFile))
	if err != nil || len(anchors) < 3 {
		t.Fatalf("%d anchors after start, ticks and stop (want ≥ 3): %v", len(anchors), err)
	}
	code, out, errOut := runCLI("audit", "verify", "--data", data)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("%d signed anchors hold", len(anchors))) {
		t.Fatalf("audit verify: %d %s %s", code, out, errOut)
	}
}
