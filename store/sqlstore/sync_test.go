package sqlstore

import (
	"context"
	"testing"
)

// TestSynchronous: the embedded store syncs every commit unless told
// otherwise, on the writer and on the readers.
func TestSynchronous(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{
		{"default is FULL", nil, 2},
		{"full", []Option{WithSync(SyncFull)}, 2},
		{"normal", []Option{WithSync(SyncNormal)}, 1},
		{"an unknown mode is FULL", []Option{WithSync("OFF")}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := OpenSQLite(ctx, t.TempDir(), tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var w, r int
			if err := db.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&w); err != nil {
				t.Fatal(err)
			}
			if err := db.Reader.q.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&r); err != nil {
				t.Fatal(err)
			}
			if w != tt.want || r != tt.want {
				t.Errorf("synchronous = %d (writer), %d (reader); want %d", w, r, tt.want)
			}
		})
	}
}

func TestParseSync(t *testing.T) {
	for in, want := range map[string]Sync{"": SyncFull, "full": SyncFull, "FULL": SyncFull, " Normal ": SyncNormal} {
		if got, err := ParseSync(in); err != nil || got != want {
			t.Errorf("ParseSync(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"off", "extra", "1"} {
		if _, err := ParseSync(in); err == nil {
			t.Errorf("ParseSync(%q) accepted", in)
		}
	}
}
