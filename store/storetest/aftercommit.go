package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/store"
)

// testAfterCommit: hooks run after the commit (what the transaction wrote
// is visible to readers), before Update returns, in order; never when the
// transaction is rolled back by an error or a panic; and a hook may write.
func testAfterCommit(t *testing.T, s store.Store) {
	ctx := context.Background()
	var ran []string
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.SetMeta(ctx, "k", "v"); err != nil {
			return err
		}
		tx.AfterCommit(func() {
			v, err := s.Meta(ctx, "k") // through the readers: committed
			ran = append(ran, "first:"+v)
			if err != nil {
				t.Errorf("Meta in hook: %v", err)
			}
		})
		tx.AfterCommit(func() { ran = append(ran, "second") })
		if len(ran) != 0 {
			t.Error("a hook ran before its transaction returned")
		}
		return nil
	})
	if err != nil || !slices.Equal(ran, []string{"first:v", "second"}) {
		t.Fatalf("Update = %v; hooks ran %q, want first:v then second", err, ran)
	}

	// Rolled back: by an error, by a panic.
	boom := errors.New("boom")
	ran = nil
	err = s.Update(ctx, func(tx store.Tx) error {
		tx.AfterCommit(func() { ran = append(ran, "error") })
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	func() {
		defer func() {
			if p := recover(); p != "test panic" {
				t.Errorf("recovered %v, want the panic", p)
			}
		}()
		_ = s.Update(ctx, func(tx store.Tx) error {
			tx.AfterCommit(func() { ran = append(ran, "panic") })
			panic("test panic")
		})
	}()
	if len(ran) != 0 {
		t.Errorf("hooks of rolled-back transactions ran: %q", ran)
	}

	// A hook may write (in a transaction of its own); its hooks run too.
	err = s.Update(ctx, func(tx store.Tx) error {
		tx.AfterCommit(func() {
			if err := s.Update(ctx, func(tx store.Tx) error {
				tx.AfterCommit(func() { ran = append(ran, "nested") })
				return tx.SetMeta(ctx, "after", "yes")
			}); err != nil {
				t.Errorf("Update in hook: %v", err)
			}
		})
		return nil
	})
	if v, _ := s.Meta(ctx, "after"); err != nil || v != "yes" || !slices.Equal(ran, []string{"nested"}) {
		t.Errorf("write from a hook: Update = %v, meta %q, hooks %q", err, v, ran)
	}
}

// testAfterCommitConcurrent mixes concurrent writes that fail, panic and
// succeed, as testConcurrentFailures does, so that the store commits them
// in groups if it groups: each write's hooks run once if and only if that
// write committed, whatever the others of its group did.
func testAfterCommitConcurrent(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 60
	var mu sync.Mutex
	ran := make([]int, n)
	seen := make([]string, n)
	results := make([]error, n)
	panics := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			key := fmt.Sprintf("h%02d", i)
			results[i] = s.Update(ctx, func(tx store.Tx) error {
				if err := tx.SetMeta(ctx, key, "v"); err != nil {
					return err
				}
				if err := tx.AppendAudit(ctx, &audit.Entry{At: t0, Actor: "w", Action: "test.hook", Object: key}); err != nil {
					return err
				}
				tx.AfterCommit(func() {
					v, _ := s.Meta(ctx, key)
					mu.Lock()
					ran[i]++
					seen[i] = v
					mu.Unlock()
				})
				switch {
				case i%3 == 1:
					return errors.New("fail")
				case i%6 == 5:
					panic("test panic")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i := range n {
		ok := results[i] == nil && panics[i] == nil
		if want := i%3 != 1 && i%6 != 5; ok != want {
			t.Errorf("write %d: err %v, panic %v", i, results[i], panics[i])
			continue
		}
		switch {
		case ok && (ran[i] != 1 || seen[i] != "v"):
			t.Errorf("write %d committed: its hook ran %d times and saw %q", i, ran[i], seen[i])
		case !ok && ran[i] != 0:
			t.Errorf("write %d rolled back: its hook ran %d times", i, ran[i])
		}
	}
}
