package sqlstore

import (
	"context"
	"fmt"

	"github.com/motcua/motcua/store"
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

// BaselineInsert is the baseline of `motcua bench submit`: one write
// transaction inserting one row, through the same connections and settings
// as every other write.
func (db *DB) BaselineInsert(ctx context.Context, data string) error {
	return db.Update(ctx, func(tx store.Tx) error {
		_, err := tx.(*Tx).q.exec(ctx, "INSERT INTO bench_rows (data) VALUES (?)", data)
		return err
	})
}
