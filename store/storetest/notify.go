package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/notify"
	"github.com/motcua/motcua/store"
)

// testNotifications queues a dossier's messages (a key queued twice is
// one row), leases them, settles one sent and one failed after a retry,
// and counts them; then stores and replaces an account's choice.
func testNotifications(t *testing.T, s store.Store) {
	ctx := context.Background()
	row := func(key string, ch notify.Channel, at time.Time) store.Notification {
		return store.Notification{Key: key, DossierCode: "D-1", Event: notify.Received, Channel: ch, Recipient: "an@example.vn",
			Subject: "Hồ sơ D-1 đã được tiếp nhận", Body: "Kính gửi…\n", State: store.NotifyPending, CreatedAt: at, NextAt: at}
	}
	a, b := row("D-1/received/email", notify.Email, t0), row("D-1/received/sms", notify.SMS, t0.Add(time.Second))
	queue := func(ns ...store.Notification) int {
		t.Helper()
		var n int
		update(t, s, func(tx store.Tx) error {
			var err error
			n, err = tx.QueueNotifications(ctx, ns)
			return err
		})
		return n
	}
	if n := queue(a, b); n != 2 {
		t.Fatalf("queued %d, want 2", n)
	}
	dup := a
	dup.Subject, dup.NextAt = "another", t0.Add(-time.Hour)
	if n := queue(dup); n != 0 {
		t.Fatalf("a key queued again inserted %d rows", n)
	}
	list := func(code string) []store.Notification {
		t.Helper()
		ns, err := s.Notifications(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return ns
	}
	got := list("D-1")
	if len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("Notifications = %+v\nwant %+v, %+v", got, a, b)
	}
	if ns := list("D-2"); len(ns) != 0 {
		t.Fatalf("another dossier's: %+v", ns)
	}
	claim := func(at time.Time) []store.Notification {
		t.Helper()
		var got []store.Notification
		update(t, s, func(tx store.Tx) error {
			var err error
			got, err = tx.ClaimNotifications(ctx, at, time.Minute, 10)
			return err
		})
		return got
	}
	if c := claim(t0.Add(-time.Millisecond)); len(c) != 0 {
		t.Fatalf("claimed before due: %+v", c)
	}
	c := claim(t0)
	if len(c) != 1 || c[0].Key != a.Key || !c[0].NextAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("claim at t0 = %+v", c)
	}
	c = claim(t0.Add(2 * time.Second))
	if len(c) != 1 || c[0].Key != b.Key {
		t.Fatalf("a leased row claimed again, or the due one missed: %+v", c)
	}
	// a was sent; b failed once and is due again in 30 s.
	sent := a
	sent.State, sent.SentAt, sent.NextAt = store.NotifySent, t0.Add(3*time.Second), t0.Add(3*time.Second)
	retry := b
	retry.Attempts, retry.LastError, retry.NextAt = 1, "421 try later", t0.Add(33*time.Second)
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutNotification(ctx, sent); err != nil {
			return err
		}
		return tx.PutNotification(ctx, retry)
	})
	if c := claim(t0.Add(32 * time.Second)); len(c) != 0 {
		t.Fatalf("claimed during the back-off: %+v", c)
	}
	if c := claim(t0.Add(33 * time.Second)); len(c) != 1 || c[0].Attempts != 1 || c[0].LastError != "421 try later" {
		t.Fatalf("claim after the back-off = %+v", c)
	}
	failed := retry
	failed.State, failed.Attempts = store.NotifyFailed, 2
	update(t, s, func(tx store.Tx) error { return tx.PutNotification(ctx, failed) })
	if c := claim(t0.Add(time.Hour)); len(c) != 0 {
		t.Fatalf("sent or failed rows claimed: %+v", c)
	}
	if got := list("D-1"); got[0] != sent || got[1].State != store.NotifyFailed || !got[1].SentAt.IsZero() {
		t.Fatalf("settled = %+v", got)
	}
	err := s.Update(ctx, func(tx store.Tx) error { return tx.PutNotification(ctx, row("D-9/x/email", notify.Email, t0)) })
	if errs.KindOf(err) != errs.NotFound {
		t.Fatalf("PutNotification of no row: %v", err)
	}
	bad := sent
	bad.State = "lost"
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutNotification(ctx, bad) }); err == nil {
		t.Fatal("PutNotification took an unknown state")
	}
	queue(row("D-3/received/email", notify.Email, t0.Add(time.Minute)))
	counts, err := s.NotificationCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.ByState[store.NotifySent] != 1 || counts.ByState[store.NotifyFailed] != 1 || counts.ByState[store.NotifyPending] != 1 ||
		!counts.OldestPending.Equal(t0.Add(time.Minute)) {
		t.Fatalf("counts = %+v", counts)
	}

	acc := identity.Account{Username: "congdan.an", DisplayName: "An", Kind: identity.KindCitizen, Email: "an@example.vn", PasswordHash: "h", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &acc) })
	if _, err := s.NotificationPrefs(ctx, acc.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("prefs never chosen: %v", err)
	}
	for _, p := range []notify.Prefs{
		{AccountID: acc.ID, Channels: []notify.Channel{notify.Email, notify.Zalo}, Lang: "en", UpdatedAt: t0},
		{AccountID: acc.ID, Lang: "vi", UpdatedAt: t0.Add(time.Hour)}, // every channel turned off
	} {
		update(t, s, func(tx store.Tx) error { return tx.PutNotificationPrefs(ctx, p) })
		got, err := s.NotificationPrefs(ctx, acc.ID)
		if err != nil || got.Lang != p.Lang || !slices.Equal(got.Channels, p.Channels) || !got.UpdatedAt.Equal(p.UpdatedAt) {
			t.Fatalf("prefs = %+v, %v; want %+v", got, err, p)
		}
	}
}
