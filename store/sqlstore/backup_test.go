package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua/store"
)

// TestBackupSQLite: VACUUM INTO while a goroutine keeps committing. The
// copy opens on its own (no -wal beside it), is private, and holds a
// prefix of the commits: every key up to some n, none after a gap.
func TestBackupSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n atomic.Int64
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if err := db.Update(ctx, func(tx store.Tx) error { return tx.SetMeta(ctx, fmt.Sprintf("k%d", i), "v") }); err != nil {
				done <- err
				return
			}
			n.Add(1)
		}
	}()
	for n.Load() < 20 {
		select {
		case err := <-done:
			t.Fatal(err)
		default:
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, SQLiteFile)
	if err := db.BackupSQLite(ctx, path); err != nil {
		t.Fatal(err)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := db.BackupSQLite(ctx, path); err == nil {
		t.Fatal("backup over an existing file")
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("copy: %v %v", st, err)
	}
	cp, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	var have int
	for i := 0; i < int(n.Load()); i++ {
		v, err := cp.Meta(ctx, fmt.Sprintf("k%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if v == "" {
			break
		}
		have++
	}
	for i := have; i < int(n.Load()); i++ {
		if v, _ := cp.Meta(ctx, fmt.Sprintf("k%d", i)); v != "" {
			t.Fatalf("copy holds k%d but not k%d", i, have)
		}
	}
	if have < 20 {
		t.Fatalf("copy holds %d commits, want at least the 20 before it", have)
	}
	t.Logf("copy holds %d of %d commits", have, n.Load())
}
