package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/storetest"
)

// runAsGroup runs the calls as one group commit: it holds the writer until
// every call is queued, so that the first to get the writer runs them all
// in one transaction. It returns each call's error and whether its hooks
// ran, and fails the test if the calls were not grouped.
func runAsGroup(t *testing.T, db *DB, fns []func(store.Tx) error) ([]error, []bool) {
	t.Helper()
	ctx := context.Background()
	errs := make([]error, len(fns))
	hooked := make([]bool, len(fns))
	txs := make([]*Tx, len(fns))
	var wg sync.WaitGroup
	db.wmu.Lock()
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Update(ctx, func(tx store.Tx) error {
				txs[i] = tx.(*Tx)
				tx.AfterCommit(func() { hooked[i] = true })
				return fn(tx)
			})
		}()
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		db.gmu.Lock()
		n := len(db.queue)
		db.gmu.Unlock()
		if n == len(fns) {
			break
		}
		if time.Now().After(deadline) {
			db.wmu.Unlock()
			t.Fatalf("%d of %d calls queued", n, len(fns))
		}
	}
	db.wmu.Unlock()
	wg.Wait()
	for i := range txs {
		if txs[i] != txs[0] {
			t.Fatalf("call %d ran in another transaction than call 0: not grouped", i)
		}
	}
	return errs, hooked
}

// TestGroupCommitHooks: in one group commit (SQLite), the hooks of the
// calls that committed run and those of a call rolled back to its
// savepoint do not; when the group's commit itself fails (a deferred
// foreign key, checked only at COMMIT), no call's hooks run and every call
// reports the error.
func TestGroupCommitHooks(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(*testing.T) *DB
	}{
		{"sqlite", func(t *testing.T) *DB { return openSQLite(t).(*DB) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			tamper(t, db, "CREATE TABLE hook_parent (id INTEGER PRIMARY KEY)",
				"CREATE TABLE hook_child (parent INTEGER REFERENCES hook_parent (id) DEFERRABLE INITIALLY DEFERRED)")
			setMeta := func(key string, err error) func(store.Tx) error {
				return func(tx store.Tx) error {
					if e := tx.SetMeta(ctx, key, "v"); e != nil {
						return e
					}
					return err
				}
			}

			boom := errors.New("boom")
			var fns []func(store.Tx) error
			for i := range 5 {
				var err error
				if i == 2 {
					err = boom
				}
				fns = append(fns, setMeta(fmt.Sprintf("member%d", i), err))
			}
			errs, hooked := runAsGroup(t, db, fns)
			for i := range fns {
				v, _ := db.Meta(ctx, fmt.Sprintf("member%d", i))
				if i == 2 {
					if !errors.Is(errs[i], boom) || hooked[i] || v != "" {
						t.Errorf("failed member: err %v, hook ran %v, meta %q", errs[i], hooked[i], v)
					}
				} else if errs[i] != nil || !hooked[i] || v != "v" {
					t.Errorf("member %d: err %v, hook ran %v, meta %q", i, errs[i], hooked[i], v)
				}
			}

			fns = []func(store.Tx) error{setMeta("c0", nil), func(tx store.Tx) error {
				_, err := tx.(*Tx).q.exec(ctx, "INSERT INTO hook_child (parent) VALUES (99)")
				return err // succeeds: the key is checked at COMMIT
			}, setMeta("c2", nil)}
			errs, hooked = runAsGroup(t, db, fns)
			for i := range fns {
				if errs[i] == nil || hooked[i] {
					t.Errorf("member %d of a group whose commit failed: err %v, hook ran %v", i, errs[i], hooked[i])
				}
			}
			if v, _ := db.Meta(ctx, "c0"); v != "" {
				t.Errorf("a failed commit left meta c0 = %q", v)
			}
			// The writer works again afterwards.
			if err := db.Update(ctx, setMeta("after", nil)); err != nil {
				t.Fatalf("write after a failed commit: %v", err)
			}
		})
	}
}

// TestParallelWrites: on PostgreSQL, writes run in parallel, each in its
// own transaction: n calls are all inside their transactions at once (each
// waits until all have started), each appending to the audit log and the
// dashboard's counts, which seal spreads over the chains; a call that
// fails leaves nothing, and its hooks do not run.
func TestParallelWrites(t *testing.T) {
	db, _ := OpenTestPostgres(t)
	ctx := context.Background()
	const n = 8
	var started sync.WaitGroup
	started.Add(n)
	all := make(chan struct{})
	go func() { started.Wait(); close(all) }()
	txs := make([]*Tx, n)
	errs := make([]error, n)
	hooked := make([]bool, n)
	boom := errors.New("boom")
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Update(ctx, func(tx store.Tx) error {
				txs[i] = tx.(*Tx)
				started.Done()
				select {
				case <-all:
				case <-time.After(10 * time.Second):
					return errors.New("the other calls did not start: writes are serialized")
				}
				tx.AfterCommit(func() { hooked[i] = true })
				if err := tx.SetMeta(ctx, fmt.Sprintf("p%d", i), "v"); err != nil {
					return err
				}
				if err := tx.AppendAudit(ctx, &audit.Entry{Actor: "w", Action: "test.parallel", Object: fmt.Sprint(i)}); err != nil {
					return err
				}
				if i == 3 {
					return boom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i := range n {
		v, _ := db.Meta(ctx, fmt.Sprintf("p%d", i))
		if i == 3 {
			if !errors.Is(errs[i], boom) || hooked[i] || v != "" {
				t.Errorf("failed call: err %v, hook ran %v, meta %q", errs[i], hooked[i], v)
			}
			continue
		}
		if errs[i] != nil || !hooked[i] || v != "v" {
			t.Errorf("call %d: err %v, hook ran %v, meta %q", i, errs[i], hooked[i], v)
		}
		for j := range i {
			if txs[i] == txs[j] {
				t.Errorf("calls %d and %d shared a transaction", j, i)
			}
		}
	}
	es, err := db.AuditEntries(ctx, audit.Filter{Action: "test.parallel"})
	if err != nil || len(es) != n-1 {
		t.Fatalf("audit entries: %d, %v", len(es), err)
	}
	chains := map[int]bool{}
	for _, e := range es {
		chains[e.Chain] = true
	}
	if len(chains) < 2 {
		t.Errorf("%d concurrent transactions all sealed into chain(s) %v", n-1, chains)
	}
	if _, err := storetest.Verify(ctx, db); err != nil {
		t.Fatal(err)
	}
}

// TestOnOutbox: the function OnOutbox sets runs after the commit of each
// call that appended outbox events, once per event, and never for a call
// rolled back or one without events.
func TestOnOutbox(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(*testing.T) *DB
	}{
		{"sqlite", func(t *testing.T) *DB { return openSQLite(t).(*DB) }},
		{"postgres", func(t *testing.T) *DB { db, _ := OpenTestPostgres(t); return db }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			var calls int
			var pending int // events visible when the function ran
			db.OnOutbox(func() {
				calls++
				b, err := db.OutboxBacklog(ctx)
				if err != nil {
					t.Error(err)
				}
				pending = b.Pending
			})
			event := func(key string) func(store.Tx) error {
				return func(tx store.Tx) error {
					return tx.AppendOutbox(ctx, store.OutboxEvent{At: time.Now(), Topic: "dossier.submit", Key: key, Payload: []byte(`{}`)})
				}
			}
			boom := errors.New("boom")
			for _, step := range []struct {
				name      string
				fn        func(store.Tx) error
				wantCalls int
			}{
				{"one event", event("a/1"), 1},
				{"two events", func(tx store.Tx) error {
					return errors.Join(event("a/2")(tx), event("a/3")(tx))
				}, 3},
				{"no event", func(tx store.Tx) error { return tx.SetMeta(ctx, "k", "v") }, 3},
				{"rolled back", func(tx store.Tx) error { _ = event("a/4")(tx); return boom }, 3},
			} {
				_ = db.Update(ctx, step.fn)
				if calls != step.wantCalls {
					t.Errorf("%s: %d calls, want %d", step.name, calls, step.wantCalls)
				}
			}
			if pending != 3 {
				t.Errorf("the function saw %d events pending, want the 3 committed", pending)
			}
			db.OnOutbox(nil)
			_ = db.Update(ctx, event("a/5"))
			if calls != 3 {
				t.Errorf("after OnOutbox(nil): %d calls", calls)
			}
		})
	}
}
