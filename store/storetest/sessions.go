package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// An account's sessions are listed the most recently used first; a touch
// moves last use forward, never back.
func testSessionLastUse(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := identity.Account{Username: "congdan", DisplayName: "An", Kind: identity.KindCitizen, CitizenID: "001090012345", PasswordHash: "h", CreatedAt: t0}
	b := identity.Account{Username: "congdan2", DisplayName: "Bình", Kind: identity.KindCitizen, CitizenID: "001090012346", PasswordHash: "h", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &a) })
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &b) })
	update(t, s, func(tx store.Tx) error {
		for i, h := range []string{"s1", "s2", "s3"} {
			at := t0.Add(time.Duration(i) * time.Minute)
			if err := tx.CreateSession(ctx, identity.Session{TokenHash: h, AccountID: a.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour), IP: "10.0.0.1", UserAgent: "ua " + h}); err != nil {
				return err
			}
		}
		return tx.CreateSession(ctx, identity.Session{TokenHash: "other", AccountID: b.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
	})
	got, err := s.Session(ctx, "s2")
	if err != nil || !got.LastUsedAt.Equal(t0.Add(time.Minute)) || got.UserAgent != "ua s2" {
		t.Fatalf("new session = %+v, %v (last use: its creation)", got, err)
	}
	for _, tt := range []struct {
		name string
		hash string
		at   time.Time
		want []string // the account's sessions, in order
	}{
		{"as created", "", time.Time{}, []string{"s3", "s2", "s1"}},
		{"s1 used", "s1", t0.Add(10 * time.Minute), []string{"s1", "s3", "s2"}},
		{"never back", "s1", t0.Add(5 * time.Minute), []string{"s1", "s3", "s2"}},
		{"s2 used", "s2", t0.Add(11 * time.Minute), []string{"s2", "s1", "s3"}},
	} {
		if tt.hash != "" {
			update(t, s, func(tx store.Tx) error { return tx.TouchSession(ctx, tt.hash, tt.at) })
		}
		list, err := s.AccountSessions(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var hashes []string
		for _, x := range list {
			hashes = append(hashes, x.TokenHash)
		}
		if !slices.Equal(hashes, tt.want) {
			t.Errorf("%s: sessions %v, want %v", tt.name, hashes, tt.want)
		}
	}
	if got, _ := s.Session(ctx, "s1"); !got.LastUsedAt.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("s1 last used %v, want %v", got.LastUsedAt, t0.Add(10*time.Minute))
	}
	if list, err := s.AccountSessions(ctx, 999999); err != nil || len(list) != 0 {
		t.Errorf("sessions of no account = %v, %v", list, err)
	}
}

// The failed-login counters are put, replaced, read while not expired,
// deleted by key and when expired.
func testLoginCounters(t *testing.T, s store.Store) {
	ctx := context.Background()
	c := func(key string, n float64, expires time.Duration) store.LoginCounter {
		return store.LoginCounter{Key: key, N: n, At: t0, Expires: t0.Add(expires)}
	}
	update(t, s, func(tx store.Tx) error {
		return tx.PutLoginCounters(ctx, c("pair|an|10.0.0.1", 3, time.Hour), c("addr|10.0.0.1", 97.5, time.Minute), c("user|an", 1, time.Second))
	})
	update(t, s, func(tx store.Tx) error { return tx.PutLoginCounters(ctx, c("pair|an|10.0.0.1", 4, 2*time.Hour)) })
	for _, tt := range []struct {
		name string
		now  time.Time
		keys []string
		want map[string]float64
	}{
		{"none asked", t0, nil, map[string]float64{}},
		{"all live", t0, []string{"pair|an|10.0.0.1", "addr|10.0.0.1", "user|an", "user|nobody"}, map[string]float64{"pair|an|10.0.0.1": 4, "addr|10.0.0.1": 97.5, "user|an": 1}},
		{"one expired", t0.Add(time.Second), []string{"pair|an|10.0.0.1", "user|an"}, map[string]float64{"pair|an|10.0.0.1": 4}},
	} {
		m, err := s.LoginCounters(ctx, tt.now, tt.keys...)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := map[string]float64{}
		for k, v := range m {
			got[k] = v.N
			if !v.At.Equal(t0) || v.Key != k {
				t.Errorf("%s: %s = %+v", tt.name, k, v)
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
		for k, n := range tt.want {
			if got[k] != n {
				t.Errorf("%s: %s = %v, want %v", tt.name, k, got[k], n)
			}
		}
	}
	if m, _ := s.LoginCounters(ctx, t0, "pair|an|10.0.0.1"); !m["pair|an|10.0.0.1"].Expires.Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("replaced counter = %+v", m)
	}
	var n int64
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.DeleteExpiredLoginCounters(ctx, t0.Add(time.Minute))
		return err
	})
	if n != 2 {
		t.Errorf("expired deleted = %d, want 2", n)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteLoginCounters(ctx, "pair|an|10.0.0.1", "nothing") })
	if m, err := s.LoginCounters(ctx, t0, "pair|an|10.0.0.1", "addr|10.0.0.1"); err != nil || len(m) != 0 {
		t.Errorf("after deletion: %v, %v", m, err)
	}
}
