package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/errs"
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

// staged returns a staged file of the given content for tests.
func staged(content string, at time.Time) store.StagedFile {
	sum := sha256.Sum256([]byte(content))
	return store.StagedFile{SHA256: hex.EncodeToString(sum[:]), ContentType: "application/pdf", Content: []byte(content), CreatedAt: at}
}

// testStagedFiles: a staged file is kept with its transaction (gone with
// a rollback), read back byte for byte, listed oldest first, kept once when
// staged twice, refused when its hash is not its content's, and deleted.
func testStagedFiles(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := staged("%PDF-1.7 a\x00\xff", t0.Add(time.Second))
	b := staged("%PDF-1.7 b", t0)
	c := staged("%PDF-1.7 c", t0)
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.StageFile(ctx, c); err != nil {
			return err
		}
		if _, err := tx.StagedFile(ctx, c.SHA256); err != nil {
			t.Errorf("staged file not visible in its transaction: %v", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	if _, err := s.StagedFile(ctx, c.SHA256); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("rolled-back staged file: %v", err)
	}
	update(t, s, func(tx store.Tx) error {
		for _, f := range []store.StagedFile{a, b, a} {
			if err := tx.StageFile(ctx, f); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := s.StagedFile(ctx, a.SHA256)
	if err != nil || !bytes.Equal(got.Content, a.Content) || got.ContentType != a.ContentType || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Fatalf("StagedFile = %+v, %v", got, err)
	}
	list, err := s.StagedFiles(ctx, 10)
	if err != nil || len(list) != 2 || list[0].SHA256 != b.SHA256 || list[1].SHA256 != a.SHA256 {
		t.Fatalf("StagedFiles = %d files, %v; want b then a", len(list), err)
	}
	bad := b
	bad.SHA256 = a.SHA256
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.StageFile(ctx, bad) }); errs.KindOf(err) != errs.Invalid {
		t.Errorf("staging under another hash: %v", err)
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.DeleteStagedFile(ctx, a.SHA256); err != nil {
			return err
		}
		return tx.DeleteStagedFile(ctx, a.SHA256) // already gone: no error
	})
	if list, err := s.StagedFiles(ctx, 10); err != nil || len(list) != 1 || list[0].SHA256 != b.SHA256 {
		t.Errorf("after delete StagedFiles = %d files, %v", len(list), err)
	}

	// Forgotten: deleted with the next write transaction that commits, not
	// with one that rolls back.
	s.ForgetStagedFile(b.SHA256)
	if list, _ := s.StagedFiles(ctx, 10); len(list) != 1 {
		t.Errorf("forgotten file deleted before any write: %d files", len(list))
	}
	if err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.AppendAudit(ctx, &audit.Entry{At: t0, Actor: "x", Action: "test.rollback"}); err != nil {
			return err
		}
		return errors.New("boom")
	}); err == nil {
		t.Fatal("the rolled-back write succeeded")
	}
	if list, _ := s.StagedFiles(ctx, 10); len(list) != 1 {
		t.Errorf("a rolled-back write deleted the forgotten file: %d files", len(list))
	}
	update(t, s, func(tx store.Tx) error {
		return tx.AppendAudit(ctx, &audit.Entry{At: t0, Actor: "x", Action: "test.forget"})
	})
	if list, err := s.StagedFiles(ctx, 10); err != nil || len(list) != 0 {
		t.Errorf("after the next write StagedFiles = %d files, %v", len(list), err)
	}
}
