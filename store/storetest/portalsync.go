package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// testPortalSync walks a dossier's sync state through a queue, a lease, a
// change during the send, a success, a failure with back-off and a
// resync; and checks the lists and counts an administrator reads.
func testPortalSync(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := sampleDossier("000.00.50.H01-260302-00011", 0, identity.RoleReceiver, "", time.Time{})
	b := sampleDossier("000.00.50.H01-260302-00012", 0, identity.RoleReceiver, "", time.Time{})
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateDossier(ctx, a); err != nil {
			return err
		}
		if err := tx.CreateDossier(ctx, b); err != nil {
			return err
		}
		return tx.QueuePortalSync(ctx, a.Code, 1, t0)
	})
	if m, err := s.DossiersByCode(ctx, []string{a.Code, "no-such-code", b.Code}); err != nil || len(m) != 2 || m[a.Code].Code != a.Code || m[b.Code].Version != b.Version {
		t.Fatalf("DossiersByCode = %v, %v", m, err)
	}
	if m, err := s.DossiersByCode(ctx, nil); err != nil || len(m) != 0 {
		t.Fatalf("DossiersByCode(nil) = %v, %v", m, err)
	}
	if _, err := s.PortalSync(ctx, b.Code); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("PortalSync of a dossier never queued: %v", err)
	}
	get := func() store.PortalSync {
		t.Helper()
		p, err := s.PortalSync(ctx, a.Code)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := get(); p.State != store.PortalPending || p.Version != 1 || !p.QueuedAt.Equal(t0) || !p.NextAt.Equal(t0) {
		t.Fatalf("queued: %+v", p)
	}
	claim := func(at time.Time) []store.PortalSync {
		t.Helper()
		var got []store.PortalSync
		update(t, s, func(tx store.Tx) error {
			var err error
			got, err = tx.ClaimPortalSync(ctx, at, time.Minute, 10)
			return err
		})
		return got
	}
	put := func(p store.PortalSync) {
		t.Helper()
		update(t, s, func(tx store.Tx) error { return tx.PutPortalSync(ctx, p) })
	}
	if got := claim(t0.Add(-time.Second)); len(got) != 0 {
		t.Fatalf("claimed before due: %+v", got)
	}
	got := claim(t0)
	if len(got) != 1 || got[0].Code != a.Code || got[0].Version != 1 {
		t.Fatalf("claim = %+v", got)
	}
	if again := claim(t0.Add(30 * time.Second)); len(again) != 0 {
		t.Fatalf("a leased row was claimed twice: %+v", again)
	}
	// A change while the worker sends version 1: the lease holds, the
	// version rises, and the success of 1 leaves the row pending.
	t1 := t0.Add(10 * time.Second)
	update(t, s, func(tx store.Tx) error { return tx.QueuePortalSync(ctx, a.Code, 2, t1) })
	if p := get(); p.Version != 2 || !p.NextAt.Equal(t0.Add(time.Minute)) || p.State != store.PortalPending {
		t.Fatalf("queued while leased: %+v", p)
	}
	t2 := t0.Add(20 * time.Second)
	p := got[0]
	p.State, p.SyncedVersion, p.Known, p.ProgressSent, p.SyncedAt, p.UpdatedAt = store.PortalSynced, 1, true, 3, t2, t2
	put(p)
	if p := get(); p.State != store.PortalPending || p.SyncedVersion != 1 || !p.Known || p.ProgressSent != 3 || !p.NextAt.Equal(t2) || !p.QueuedAt.Equal(t1) {
		t.Fatalf("older version acknowledged: %+v", p)
	}
	got = claim(t2)
	if len(got) != 1 || got[0].Version != 2 {
		t.Fatalf("claim after the change = %+v", got)
	}
	t3 := t2.Add(time.Second)
	p = got[0]
	p.State, p.SyncedVersion, p.ProgressSent, p.SyncedAt, p.UpdatedAt = store.PortalSynced, 2, 4, t3, t3
	put(p)
	if p := get(); p.State != store.PortalSynced || p.SyncedVersion != 2 || !p.SyncedAt.Equal(t3) {
		t.Fatalf("synced: %+v", p)
	}
	if got := claim(t3.Add(time.Hour)); len(got) != 0 {
		t.Fatalf("a synced row was claimed: %+v", got)
	}
	// A later change fails: it backs off, and is not claimed before then.
	t4 := t3.Add(time.Minute)
	update(t, s, func(tx store.Tx) error { return tx.QueuePortalSync(ctx, a.Code, 3, t4) })
	if p := get(); p.State != store.PortalPending || !p.QueuedAt.Equal(t4) || !p.NextAt.Equal(t4) {
		t.Fatalf("queued after sync: %+v", p)
	}
	got = claim(t4)
	p = got[0]
	p.State, p.Attempts, p.LastError, p.NextAt, p.UpdatedAt = store.PortalFailed, 1, "Trường MaTTHC không hợp lệ", t4.Add(10*time.Minute), t4
	put(p)
	if got := claim(t4.Add(5 * time.Minute)); len(got) != 0 {
		t.Fatalf("claimed while backing off: %+v", got)
	}
	if p := get(); p.State != store.PortalFailed || p.Attempts != 1 || p.LastError == "" || p.SyncedVersion != 2 {
		t.Fatalf("failed: %+v", p)
	}
	c, err := s.PortalSyncCounts(ctx)
	if err != nil || c.ByState[store.PortalFailed] != 1 || !c.OldestQueued.Equal(t4) {
		t.Fatalf("counts = %+v, %v", c, err)
	}
	list, total, err := s.PortalSyncs(ctx, store.PortalSyncFilter{State: store.PortalFailed})
	if err != nil || total != 1 || len(list) != 1 || list[0].Code != a.Code {
		t.Fatalf("failed list = %+v %d %v", list, total, err)
	}
	// Resync: the failed rows, then a dossier never queued.
	t5 := t4.Add(time.Minute)
	var n int
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.ResyncPortal(ctx, nil, false, t5)
		return err
	})
	if p := get(); n != 1 || p.State != store.PortalPending || p.ProgressSent != 0 || p.Attempts != 0 || !p.NextAt.Equal(t5) {
		t.Fatalf("resync failed = %d, %+v", n, p)
	}
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.ResyncPortal(ctx, []string{b.Code, "no-such-code"}, false, t5)
		return err
	})
	if pb, err := s.PortalSync(ctx, b.Code); n != 1 || err != nil || pb.State != store.PortalPending || pb.Version != b.Version {
		t.Fatalf("resync of a dossier never queued = %d, %+v, %v", n, pb, err)
	}
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.ResyncPortal(ctx, nil, true, t5)
		return err
	})
	if n != 2 {
		t.Fatalf("resync all = %d, want 2", n)
	}
	list, total, err = s.PortalSyncs(ctx, store.PortalSyncFilter{})
	if err != nil || total != 2 || len(list) != 2 {
		t.Fatalf("all = %+v %d %v", list, total, err)
	}
}
