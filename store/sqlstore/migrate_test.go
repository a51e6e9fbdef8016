package sqlstore

import (
	"context"
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"
)

// migrateTo migrates db up to version, as an older release left it.
func migrateTo(t *testing.T, db *sql.DB, d dialect, version int64) {
	t.Helper()
	sub, err := fs.Sub(migrations, "migrations/"+d.String())
	if err != nil {
		t.Fatal(err)
	}
	gd := goose.DialectSQLite3
	if d == postgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
}

// Two citizen accounts an older release let share a citizen ID stop the
// upgrade to unique citizen IDs (migration 00009) with a message saying
// what to do, and change nothing: which account is the citizen's is for a
// person to decide. Once they are resolved the upgrade goes through.
func TestMigrationDuplicateCitizenIDs(t *testing.T) {
	for _, d := range []dialect{sqlite, postgres} {
		t.Run(d.String(), func(t *testing.T) {
			ctx := context.Background()
			var raw *sql.DB
			var open func() (*DB, error)
			if d == sqlite {
				dir := t.TempDir()
				var err error
				if raw, err = sql.Open("sqlite", sqliteDSN(filepath.Join(dir, SQLiteFile), false, SyncFull)); err != nil {
					t.Fatal(err)
				}
				open = func() (*DB, error) { return OpenSQLite(ctx, dir) }
			} else {
				base := os.Getenv(PostgresURLEnv)
				if base == "" {
					t.Skip(PostgresURLEnv + " is not set: PostgreSQL suite skipped")
				}
				u, drop, err := CreateSchema(ctx, base, "t")
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(drop)
				if raw, err = OpenPostgresRaw(u); err != nil {
					t.Fatal(err)
				}
				open = func() (*DB, error) { return OpenPostgres(ctx, u) }
			}
			defer raw.Close()
			migrateTo(t, raw, d, 8)
			exec := func(query string, args ...any) {
				t.Helper()
				if _, err := raw.ExecContext(ctx, q{d: d}.rebind(query), args...); err != nil {
					t.Fatalf("%s: %v", query, err)
				}
			}
			ins := "INSERT INTO accounts (username, display_name, kind, citizen_id, identity_verified, password_hash, created_at) VALUES (?, ?, ?, ?, ?, 'h', ?)"
			ts := "2026-03-02 08:15:30"
			if d == postgres {
				ts = "2026-03-02T08:15:30Z"
			}
			exec(ins, "congdan", "Nguyễn Văn An", "citizen", "001090012345", true, ts)
			exec(ins, "giamao", "Nguyễn Văn An", "citizen", "001090012345", true, ts)
			exec(ins, "canbo", "Nguyễn Văn An", "official", "001090012345", false, ts)
			exec(ins, "khongso1", "A", "citizen", "", false, ts)
			exec(ins, "khongso2", "B", "citizen", "", false, ts)

			db, err := open()
			if err == nil {
				db.Close()
				t.Fatal("the upgrade went through with two citizens of one citizen ID")
			}
			if msg := err.Error(); !strings.Contains(msg, "00009") || !strings.Contains(msg, "trùng số định danh") || !strings.Contains(msg, "docs/operations.md") {
				t.Errorf("upgrade error = %v", err)
			}
			var n int
			if err := raw.QueryRowContext(ctx, "SELECT count(*) FROM accounts WHERE citizen_id = '001090012345' AND identity_verified").Scan(&n); err != nil || n != 2 {
				t.Errorf("the failed upgrade changed accounts: %d verified, %v", n, err)
			}

			// The operator's look-up and decision (docs/operations.md): the
			// second account is not the citizen's.
			var dups int
			if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE kind = 'citizen' AND citizen_id IN (SELECT citizen_id FROM accounts
				WHERE kind = 'citizen' AND citizen_id <> '' GROUP BY citizen_id HAVING count(*) > 1)`).Scan(&dups); err != nil || dups != 2 {
				t.Errorf("the documented look-up finds %d, %v", dups, err)
			}
			exec("UPDATE accounts SET citizen_id = '', identity_verified = FALSE, disabled = TRUE WHERE username = 'giamao'")
			db, err = open()
			if err != nil {
				t.Fatalf("upgrade after the duplicates were resolved: %v", err)
			}
			defer db.Close()
			if _, err := raw.ExecContext(ctx, q{d: d}.rebind(ins), "giamao2", "X", "citizen", "001090012345", false, ts); !isUnique(err) {
				t.Errorf("a second citizen of the ID after the upgrade: %v", err)
			}
		})
	}
}
