package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// BackupSQLite writes a consistent copy of the embedded database to path
// with VACUUM INTO: one read transaction of its own, so the copy is the
// database as of one commit while the server keeps writing (WAL readers
// do not block the writer, nor it them). path must not exist. The copy is
// compacted and has no -wal file: it opens as it is.
func (db *DB) BackupSQLite(ctx context.Context, path string) error {
	if db.d != sqlite {
		return errors.New("backup: VACUUM INTO is for the embedded SQLite store; PostgreSQL is copied with pg_dump")
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("backup: %s exists", path)
	}
	// VACUUM INTO takes a file name, not a parameter; quote it as an SQL
	// string literal.
	lit := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	if _, err := db.w.ExecContext(ctx, "VACUUM INTO "+lit); err != nil {
		_ = os.Remove(path)
		return db.classify(fmt.Errorf("backup: vacuum into %s: %w", path, err))
	}
	return os.Chmod(path, 0o600)
}
