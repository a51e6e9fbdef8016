package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/storetest"
)

// TestNodesShareOneDatabase: two nodes (two stores on one PostgreSQL
// database, as two `serve` processes are) write concurrently the way the
// use cases do: a daily dossier number of one of a few agencies and an
// audit entry, in either order (a group commit may hold an entry of an
// earlier call before a later call draws a number). Writes that lock the
// same rows in different orders deadlock (40P01); with one lock order
// (the audit head first) every write succeeds and the chain verifies.
func TestNodesShareOneDatabase(t *testing.T) {
	ctx := context.Background()
	a, u := OpenTestPostgres(t)
	b, err := OpenPostgres(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const perWorker = 40
	agencies := []string{"A", "B", "C"}
	var wg sync.WaitGroup
	errc := make(chan error, 2*8*perWorker)
	for n, node := range []*DB{a, b} {
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(n), uint64(w)))
				for i := 0; i < perWorker; i++ {
					ag := agencies[rng.IntN(len(agencies))]
					auditFirst := rng.IntN(2) == 0
					err := node.Update(ctx, func(tx store.Tx) error {
						entry := &audit.Entry{Actor: fmt.Sprintf("node%d", n), Action: "test.write", Object: ag}
						if auditFirst {
							if err := tx.AppendAudit(ctx, entry); err != nil {
								return err
							}
						}
						if _, err := tx.NextSequence(ctx, ag, "2026-12-03"); err != nil {
							return err
						}
						if !auditFirst {
							return tx.AppendAudit(ctx, entry)
						}
						return nil
					})
					if err != nil {
						errc <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errc)
	var failed []error
	for err := range errc {
		failed = append(failed, err)
	}
	if len(failed) > 0 {
		t.Fatalf("%d of %d writes failed, first: %v", len(failed), 2*8*perWorker, failed[0])
	}
	n, err := storetest.Verify(ctx, a)
	if err != nil || n != 2*8*perWorker {
		t.Errorf("audit chain: %d entries, %v; want %d verified", n, err, 2*8*perWorker)
	}
	total := 0
	for _, ag := range agencies {
		next, err := nextOutside(ctx, a, ag)
		if err != nil {
			t.Fatal(err)
		}
		total += next - 1
	}
	if total != 2*8*perWorker {
		t.Errorf("%d numbers drawn, want %d (none lost, none twice)", total, 2*8*perWorker)
	}
}

// nextOutside draws the next number of an agency in a transaction of its own.
func nextOutside(ctx context.Context, db *DB, agency string) (int, error) {
	var n int
	err := db.Update(ctx, func(tx store.Tx) error {
		var err error
		n, err = tx.NextSequence(ctx, agency, "2026-12-03")
		return err
	})
	return n, err
}
