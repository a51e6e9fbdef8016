package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SetMaxPages caps how large the SQLite database may grow, in pages, on
// every connection of the writer (PRAGMA max_page_count); 0 caps it at its
// present size. A write that needs more fails as on a full disk
// (SQLITE_FULL): a drill of the full-disk path for tests and operators,
// without filling a real disk. It lasts until the store is closed or called
// again with a larger cap. PostgreSQL has no such setting.
func (db *DB) SetMaxPages(ctx context.Context, pages int64) error {
	if db.d != sqlite {
		return errors.New("set max pages: SQLite only")
	}
	if pages <= 0 {
		pages = 1 // SQLite never caps below the present size
	}
	// Hold the writer's two connections at once, so that each gets the cap.
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 2 {
		c, err := db.w.Conn(ctx)
		if err != nil {
			return fmt.Errorf("set max pages: %w", err)
		}
		conns = append(conns, c)
		if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
			return fmt.Errorf("set max pages: %w", err)
		}
	}
	return nil
}
