package blob

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/motcua/motcua/errs"
)

// fullFile is a temporary file on a disk that fills after room bytes: a
// write beyond fails with ENOSPC, or the sync does (as with delayed
// allocation).
type fullFile struct {
	*os.File
	room     int
	syncFull bool
}

func (f *fullFile) Write(b []byte) (int, error) {
	if len(b) > f.room {
		n, _ := f.File.Write(b[:f.room])
		f.room = 0
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	f.room -= len(b)
	return f.File.Write(b)
}

func (f *fullFile) Sync() error {
	if f.syncFull {
		return &os.PathError{Op: "sync", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.File.Sync()
}

// TestPutDiskFull: an upload that finds the disk full is a typed
// Unavailable error with a Vietnamese message, leaves no file behind, and
// is recorded for the readiness check.
func TestPutDiskFull(t *testing.T) {
	for _, tc := range []struct {
		name     string
		room     int
		syncFull bool
	}{
		{"write", 10, false},
		{"sync", 1 << 20, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			s.createTemp = func(dir, pattern string) (tempFile, error) {
				f, err := os.CreateTemp(dir, pattern)
				if err != nil {
					return nil, err
				}
				return &fullFile{File: f, room: tc.room, syncFull: tc.syncFull}, nil
			}
			_, _, _, err = s.Put(bytes.NewReader([]byte(pdf+strings.Repeat(" ", 100))), "application/pdf")
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.Unavailable || e.Key != "store.disk_full" || !strings.Contains(e.Message, "hết dung lượng") {
				t.Fatalf("Put = %v (kind %v), want Unavailable store.disk_full", err, errs.KindOf(err))
			}
			if !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("the cause is lost: %v", err)
			}
			var left []string
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					left = append(left, p)
				}
				return err
			})
			if len(left) > 0 {
				t.Errorf("files left after a full disk: %v", left)
			}
			if s.LastDiskFull().IsZero() {
				t.Error("LastDiskFull not set after a full disk")
			}
		})
	}
}
