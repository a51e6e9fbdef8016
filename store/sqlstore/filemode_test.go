package sqlstore

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The database holds the province's people: its files are the service
// account's alone (0600), whoever else has an account on the machine, and
// whatever mode an older version left them in.
func TestSQLiteFilesArePrivate(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string) // before the store is opened
	}{
		{"new store", func(*testing.T, string) {}},
		{"store left readable by an older version (still open, as after a crash)", func(t *testing.T, dir string) {
			db, err := OpenSQLite(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Chmod(filepath.Join(dir, SQLiteFile+suffix), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			tt.prepare(t, dir)
			db, err := OpenSQLite(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				st, err := os.Stat(filepath.Join(dir, SQLiteFile+suffix))
				if err != nil {
					t.Fatal(err)
				}
				if st.Mode().Perm() != 0o600 {
					t.Errorf("%s%s: mode %v, want -rw-------", SQLiteFile, suffix, st.Mode().Perm())
				}
			}
			if st, err := os.Stat(dir); err != nil || st.Mode().Perm()&0o007 != 0 {
				t.Errorf("data directory: %v %v, want no access for others", st.Mode().Perm(), err)
			}
		})
	}
}
