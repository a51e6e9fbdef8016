package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/storetest"
)

// fillUp writes a call of 8 KiB (a setting and an audit entry) under key i.
func fillUp(ctx context.Context, db *DB, i int) error {
	return db.Update(ctx, func(tx store.Tx) error {
		if err := tx.SetMeta(ctx, fmt.Sprintf("fill.%d", i), strings.Repeat("x", 8<<10)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &audit.Entry{Actor: "test", Action: "fill", Object: fmt.Sprint(i)})
	})
}

// wantDiskFull checks err is the store's typed full-disk error.
func wantDiskFull(t *testing.T, err error) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Unavailable || e.Key != "store.disk_full" || !strings.Contains(e.Message, "hết dung lượng") {
		t.Fatalf("error = %v (kind %v), want Unavailable store.disk_full with a Vietnamese message", err, errs.KindOf(err))
	}
}

// TestSQLiteDiskFull fills a database capped at its size (as a full disk
// would): the write that does not fit is a typed Unavailable error and
// leaves nothing, the audit chain stays intact, and writes succeed again
// once there is room.
func TestSQLiteDiskFull(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t).(*DB)
	if err := db.SetMaxPages(ctx, 0); err != nil {
		t.Fatal(err)
	}
	var failed = -1
	for i := range 200 {
		if err := fillUp(ctx, db, i); err != nil {
			wantDiskFull(t, err)
			failed = i
			break
		}
	}
	if failed < 0 {
		t.Fatal("200 writes of 8 KiB fit in a database capped at its size")
	}
	if v, err := db.Meta(ctx, fmt.Sprintf("fill.%d", failed)); err != nil || v != "" {
		t.Fatalf("the failed write left its setting (%d bytes, %v)", len(v), err)
	}
	n, err := storetest.Verify(ctx, db)
	if err != nil {
		t.Fatalf("audit chain after a full disk: %v", err)
	}
	if db.LastDiskFull().IsZero() {
		t.Error("LastDiskFull not set after a full disk")
	}
	if err := db.SetMaxPages(ctx, 1<<30); err != nil {
		t.Fatal(err)
	}
	if err := fillUp(ctx, db, failed); err != nil {
		t.Fatalf("write once there is room: %v", err)
	}
	if m, err := storetest.Verify(ctx, db); err != nil || m != n+1 {
		t.Fatalf("audit chain after recovery: %d entries (before %d), %v", m, n, err)
	}
}

// TestSQLiteDiskFullGroup runs concurrent writes (committed in groups) on
// a full database: each either committed or failed as a full disk, with
// nothing of it written.
func TestSQLiteDiskFullGroup(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(t).(*DB)
	if err := db.SetMaxPages(ctx, 0); err != nil {
		t.Fatal(err)
	}
	const n = 64
	results := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = fillUp(ctx, db, i) })
	}
	wg.Wait()
	full := 0
	for i, err := range results {
		v, rerr := db.Meta(ctx, fmt.Sprintf("fill.%d", i))
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err == nil {
			if v == "" {
				t.Errorf("write %d succeeded but is not stored", i)
			}
			continue
		}
		full++
		wantDiskFull(t, err)
		if v != "" {
			t.Errorf("write %d failed but its setting is stored", i)
		}
	}
	if full == 0 {
		t.Fatalf("%d writes of 8 KiB fit in a database capped at its size", n)
	}
	if _, err := storetest.Verify(ctx, db); err != nil {
		t.Fatalf("audit chain after a full disk: %v", err)
	}
}

// codedErr is a driver error with a result code, as modernc.org/sqlite's.
type codedErr int

func (c codedErr) Error() string { return fmt.Sprintf("sqlite error (%d)", int(c)) }
func (c codedErr) Code() int     { return int(c) }

func TestClassify(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	conflict := errs.New(errs.Conflict, "x.conflict", "Xung đột.", "conflict")
	for _, tc := range []struct {
		name     string
		err      error
		lowSpace bool // the data directory is (almost) out of space
		kind     errs.Kind
		key      string
	}{
		{"postgres disk full", &pgconn.PgError{Code: "53100", Message: "could not extend file"}, false, errs.Unavailable, "store.disk_full"},
		{"postgres disk full wrapped", fmt.Errorf("commit: %w", &pgconn.PgError{Code: "53100"}), false, errs.Unavailable, "store.disk_full"},
		{"postgres too many connections", &pgconn.PgError{Code: "53300"}, false, errs.Unavailable, "store.unavailable"},
		{"postgres starting up", &pgconn.PgError{Code: "57P03"}, false, errs.Unavailable, "store.unavailable"},
		{"connection refused", fmt.Errorf("begin transaction: %w", refused), false, errs.Unavailable, "store.unavailable"},
		{"postgres unique", &pgconn.PgError{Code: "23505"}, false, errs.Internal, ""},
		{"sqlite full", codedErr(13), false, errs.Unavailable, "store.disk_full"},
		{"sqlite write error, disk full", codedErr(778), true, errs.Unavailable, "store.disk_full"},
		{"sqlite fsync error, disk full", codedErr(1034), true, errs.Unavailable, "store.disk_full"},
		{"sqlite write error, room left", codedErr(778), false, errs.Internal, ""},
		{"sqlite constraint", codedErr(19), true, errs.Internal, ""},
		{"ENOSPC", fmt.Errorf("write: %w", syscall.ENOSPC), false, errs.Unavailable, "store.disk_full"},
		{"typed error kept", conflict, true, errs.Conflict, "x.conflict"},
		{"plain error", errors.New("boom"), true, errs.Internal, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := classify(tc.err, func() bool { return tc.lowSpace })
			if !errors.Is(got, tc.err) {
				t.Errorf("classify lost the cause: %v", got)
			}
			if k := errs.KindOf(got); k != tc.kind {
				t.Fatalf("kind = %v, want %v (%v)", k, tc.kind, got)
			}
			if e, ok := errs.As(got); tc.key != "" && (!ok || e.Key != tc.key || e.Message == "") {
				t.Fatalf("key = %v, want %s", got, tc.key)
			}
		})
	}
}
