package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/storetest"
)

// TestNodesShareOneDatabase: two nodes (two stores on one PostgreSQL
// database, as two `serve` processes are), eight writers each, write the
// way the use cases do, in random orders: a daily dossier number of one of
// a few agencies, a new dossier, a change of an earlier one (read in the
// transaction, then updated), audit entries and outbox events. Writes that
// wait for rows in different orders would deadlock (40P01), and one hot
// row would make them queue; every write must succeed, the audit log
// verify (spread over several chains), the dashboard's sharded counts
// equal the dossiers, and every number be drawn once.
func TestNodesShareOneDatabase(t *testing.T) {
	ctx := context.Background()
	a, u := OpenTestPostgres(t)
	b, err := OpenPostgres(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const workers, perWorker = 8, 30
	agencies := []string{"A", "B", "C"}
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	errc := make(chan error, 2*workers*perWorker)
	var processing atomic.Int64
	for n, node := range []*DB{a, b} {
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(n), uint64(w)))
				var mine []string
				for i := 0; i < perWorker; i++ {
					ag := agencies[rng.IntN(len(agencies))]
					auditFirst := rng.IntN(2) == 0
					var change string
					if len(mine) > 0 && rng.IntN(2) == 0 {
						change = mine[rng.IntN(len(mine))]
					}
					code := fmt.Sprintf("N%d-W%d-%d", n, w, i)
					changed := false
					err := node.Update(ctx, func(tx store.Tx) error {
						entry := &audit.Entry{At: at, Actor: fmt.Sprintf("node%d", n), Action: "test.write", Object: code}
						if auditFirst {
							if err := tx.AppendAudit(ctx, entry); err != nil {
								return err
							}
						}
						if _, err := tx.NextSequence(ctx, ag, "2026-12-03"); err != nil {
							return err
						}
						if err := tx.CreateDossier(ctx, nodeDossier(code, ag, at)); err != nil {
							return err
						}
						if change != "" {
							d, err := tx.Dossier(ctx, change)
							if err != nil {
								return err
							}
							if d.Status == dossier.StatusNew {
								d.Status, d.Version = dossier.StatusReceived, d.Version+1
								if err := tx.UpdateDossier(ctx, &d); err != nil {
									return err
								}
								changed = true
							}
						}
						if err := tx.AppendOutbox(ctx, store.OutboxEvent{At: at, Topic: "test.write", Key: code, Payload: []byte(`{"code":"` + code + `"}`)}); err != nil {
							return err
						}
						if !auditFirst {
							return tx.AppendAudit(ctx, entry)
						}
						return nil
					})
					if err != nil {
						errc <- err
						continue
					}
					mine = append(mine, code)
					if changed {
						processing.Add(1)
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errc)
	const writes = 2 * workers * perWorker
	var failed []error
	for err := range errc {
		failed = append(failed, err)
	}
	if len(failed) > 0 {
		t.Fatalf("%d of %d writes failed, first: %v", len(failed), writes, failed[0])
	}
	n, err := storetest.Verify(ctx, a)
	if err != nil || n != writes {
		t.Errorf("audit log: %d entries, %v; want %d verified", n, err, writes)
	}
	es, err := a.AuditEntries(ctx, audit.Filter{Action: "test.write", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	chains := map[int]bool{}
	for _, e := range es {
		chains[e.Chain] = true
	}
	if len(chains) < 4 {
		t.Errorf("%d concurrent writers used %d audit chains", 2*workers, len(chains))
	}
	st, err := a.DossierStats(ctx, dossier.StatsFilter{From: at.AddDate(0, -1, 0), To: at.AddDate(0, 1, 0), Now: at})
	if err != nil {
		t.Fatal(err)
	}
	if st.Total.Submitted != writes || st.ByStatus[int(dossier.StatusReceived)] != int(processing.Load()) || st.ByStatus[int(dossier.StatusNew)] != writes-int(processing.Load()) {
		t.Errorf("dashboard counts: %d submitted, by status %v; want %d, %d received", st.Total.Submitted, st.ByStatus, writes, processing.Load())
	}
	if ev, _ := a.PendingOutbox(ctx, 1000); len(ev) != writes {
		t.Errorf("%d outbox events, want %d", len(ev), writes)
	}
	total := 0
	for _, ag := range agencies {
		next, err := nextOutside(ctx, a, ag)
		if err != nil {
			t.Fatal(err)
		}
		total += next - 1
	}
	if total != writes {
		t.Errorf("%d numbers drawn, want %d (none lost, none twice)", total, writes)
	}
}

func nodeDossier(code, agency string, at time.Time) *dossier.Dossier {
	return &dossier.Dossier{Code: code, ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Status: dossier.StatusNew,
		Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{AccountID: 9, Name: "Lê Văn Bình", CommuneCode: "99999"},
		SubmittedAt: at, CompetentAgency: agency, CommuneCode: "99999", Version: 1, Current: -1,
		Steps:   []dossier.Step{{Name: "Thẩm định", Role: identity.RoleSpecialist, AgencyID: agency}},
		History: []dossier.Event{{At: at, Action: dossier.ActSubmit, To: dossier.StatusNew, Step: -1}}}
}

// TestNumbersOfRolledBackSubmissions: on SQLite a rolled-back transaction
// gives its dossier number back; on PostgreSQL the number is drawn outside
// the transaction (so that an agency's submissions do not queue on its
// row) and stays used: a gap, never a number given twice.
func TestNumbersOfRolledBackSubmissions(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(*testing.T) *DB
		next int // after 1 committed and 1 rolled back
	}{
		{"sqlite", func(t *testing.T) *DB { return openSQLite(t).(*DB) }, 2},
		{"postgres", func(t *testing.T) *DB { db, _ := OpenTestPostgres(t); return db }, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			if n, err := nextOutside(ctx, db, "A"); err != nil || n != 1 {
				t.Fatalf("first number %d, %v", n, err)
			}
			boom := fmt.Errorf("boom")
			err := db.Update(ctx, func(tx store.Tx) error {
				if _, err := tx.NextSequence(ctx, "A", "2026-12-03"); err != nil {
					return err
				}
				return boom
			})
			if err != boom {
				t.Fatalf("rolled-back draw: %v", err)
			}
			if n, err := nextOutside(ctx, db, "A"); err != nil || n != tc.next {
				t.Errorf("number after a rolled-back draw = %d, %v; want %d", n, err, tc.next)
			}
		})
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
