package sqlstore

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/storetest"
)

// PostgresURLEnv names the environment variable that switches the
// PostgreSQL suite on: a URL of a database where the tests may create and
// drop schemas.
const PostgresURLEnv = "MOTCUA_TEST_POSTGRES"

func openSQLite(t *testing.T) store.Store {
	db, err := OpenSQLite(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenTestPostgres opens a store in a fresh schema of the test database,
// dropped when the test ends; it skips the test when the suite is off.
func openPostgres(t *testing.T) store.Store {
	db, _ := OpenTestPostgres(t)
	return db
}

func TestSQLite(t *testing.T) { storetest.Run(t, openSQLite) }

func TestPostgres(t *testing.T) { storetest.Run(t, openPostgres) }

// tamper runs raw SQL as someone with direct database access would.
func tamper(t *testing.T, db *DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.w.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestAuditTamper(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		open func(*testing.T) *DB
		drop []string
	}{
		{"sqlite", func(t *testing.T) *DB { return openSQLite(t).(*DB) }, []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}},
		{"postgres", func(t *testing.T) *DB { db, _ := OpenTestPostgres(t); return db }, []string{"DROP TRIGGER audit_log_no_change ON audit_log"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, mut := range []struct {
				name    string
				stmt    string
				wantSeq int64
			}{
				// Removing entry 2 breaks its chain at the chain's next
				// entry (3 on SQLite's one chain), or at its head.
				{"alter", "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3", 3},
				{"delete middle", "DELETE FROM audit_log WHERE seq = 2", 2},
				{"delete last", "DELETE FROM audit_log WHERE seq = 5", 5},
			} {
				t.Run(mut.name, func(t *testing.T) {
					db := tc.open(t)
					for i := 0; i < 5; i++ {
						if err := db.Update(ctx, func(tx store.Tx) error {
							return tx.AppendAudit(ctx, &audit.Entry{Actor: "a", Action: "x"})
						}); err != nil {
							t.Fatal(err)
						}
					}
					// The log refuses changes through SQL while its triggers stand.
					if _, err := db.w.ExecContext(ctx, mut.stmt); err == nil {
						t.Fatalf("%s succeeded on an append-only log", mut.stmt)
					}
					if _, err := storetest.Verify(ctx, db); err != nil {
						t.Fatalf("intact chain: %v", err)
					}
					tamper(t, db, append(tc.drop, mut.stmt)...)
					_, err := storetest.Verify(ctx, db)
					var be *audit.BrokenError
					if !errors.As(err, &be) || be.Seq < mut.wantSeq {
						t.Fatalf("Verify after %s = %v, want broken at %d or later", mut.name, err, mut.wantSeq)
					}
				})
			}
		})
	}
}

// OpenTestPostgres opens the store in a fresh schema of the database named
// by MOTCUA_TEST_POSTGRES and returns it with the schema's URL; the test is
// skipped when the variable is unset.
func OpenTestPostgres(t testing.TB) (*DB, string) {
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		t.Skip(PostgresURLEnv + " is not set: PostgreSQL suite skipped")
	}
	ctx := context.Background()
	u, drop, err := CreateSchema(ctx, base, "t")
	if err != nil {
		t.Fatal(err)
	}
	db, err := OpenPostgres(ctx, u)
	if err != nil {
		drop()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		drop()
	})
	return db, u
}
