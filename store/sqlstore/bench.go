package sqlstore

import (
	"context"
	"fmt"
)

// CreateBaselineTable creates the table of BaselineInsert.
func (db *DB) CreateBaselineTable(ctx context.Context) error {
	id := "INTEGER PRIMARY KEY"
	if db.d == postgres {
		id = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	if _, err := db.w.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS bench_rows (id "+id+", data TEXT NOT NULL)"); err != nil {
		return fmt.Errorf("create baseline table: %w", err)
	}
	return nil
}

// BaselineInsert is the baseline of `motcua-bench submit`: one raw write
// transaction inserting one row (BEGIN, INSERT, COMMIT), through the same
// connections and settings as every other write but without Update's
// grouping of concurrent commits.
func (db *DB) BaselineInsert(ctx context.Context, data string) error {
	if db.d == sqlite {
		db.wmu.Lock()
		defer db.wmu.Unlock()
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t := q{db: tx, d: db.d, stmts: db.wstmts}
	if _, err := t.exec(ctx, "INSERT INTO bench_rows (data) VALUES (?)", data); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}
