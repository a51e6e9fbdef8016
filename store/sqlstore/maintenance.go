package sqlstore

import (
	"context"
	"fmt"
)

// Analyze brings the planner's statistics up to date after a bulk load,
// as PostgreSQL's autovacuum does on its own in steady state (VACUUM
// ANALYZE of the dossiers, so that index-only scans need not visit the
// heap). On SQLite it does nothing: SQLite keeps no statistics unless
// asked, and the store never asks.
func (db *DB) Analyze(ctx context.Context) error {
	if db.d != postgres {
		return nil
	}
	if _, err := db.w.ExecContext(ctx, "VACUUM ANALYZE dossiers, dossier_counts"); err != nil {
		return fmt.Errorf("vacuum analyze: %w", err)
	}
	return nil
}
