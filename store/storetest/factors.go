package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

func testSecondFactors(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := identity.Account{Username: "lanhdao", DisplayName: "Hùng", Kind: identity.KindOfficial, PasswordHash: "h", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &a) })
	if _, err := s.Factor(ctx, a.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("Factor before enrolment: %v, want NotFound", err)
	}
	pending := identity.Factor{AccountID: a.ID, Kind: identity.FactorTOTP, Secret: "JBSWY3DPEHPK3PXP", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.PutFactor(ctx, pending) })
	got, err := s.Factor(ctx, a.ID)
	if err != nil || got.Secret != pending.Secret || got.Confirmed() || !got.CreatedAt.Equal(t0) {
		t.Fatalf("pending Factor = %+v, %v", got, err)
	}
	confirmed := pending
	confirmed.ConfirmedAt, confirmed.LastUsedStep = t0.Add(time.Minute), 100
	update(t, s, func(tx store.Tx) error { return tx.PutFactor(ctx, confirmed) })
	if got, err = s.Factor(ctx, a.ID); err != nil || !got.ConfirmedAt.Equal(confirmed.ConfirmedAt) || got.LastUsedStep != 100 {
		t.Fatalf("confirmed Factor = %+v, %v", got, err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error {
		return tx.PutFactor(ctx, identity.Factor{AccountID: a.ID + 99, Kind: "totp", Secret: "x", CreatedAt: t0})
	}); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("PutFactor of no account: %v, want NotFound", err)
	}

	steps := []struct {
		step int64
		want bool
	}{{100, false}, {99, false}, {101, true}, {101, false}, {103, true}}
	for _, st := range steps {
		var ok bool
		update(t, s, func(tx store.Tx) error { var err error; ok, err = tx.UseFactorStep(ctx, a.ID, st.step); return err })
		if ok != st.want {
			t.Errorf("UseFactorStep(%d) = %v, want %v", st.step, ok, st.want)
		}
	}

	update(t, s, func(tx store.Tx) error { return tx.PutRecoveryCodes(ctx, a.ID, []string{"c1", "c2", "c3"}) })
	if n, err := s.RecoveryCodesLeft(ctx, a.ID); err != nil || n != 3 {
		t.Fatalf("RecoveryCodesLeft = %d, %v", n, err)
	}
	uses := []struct {
		hash string
		want bool
	}{{"c2", true}, {"c2", false}, {"nope", false}, {"c1", true}}
	for _, u := range uses {
		var ok bool
		update(t, s, func(tx store.Tx) error {
			var err error
			ok, err = tx.UseRecoveryCode(ctx, a.ID, u.hash, t0)
			return err
		})
		if ok != u.want {
			t.Errorf("UseRecoveryCode(%s) = %v, want %v", u.hash, ok, u.want)
		}
	}
	if n, _ := s.RecoveryCodesLeft(ctx, a.ID); n != 1 {
		t.Errorf("left after two uses: %d, want 1", n)
	}
	update(t, s, func(tx store.Tx) error { return tx.PutRecoveryCodes(ctx, a.ID, []string{"d1", "d2"}) })
	if n, _ := s.RecoveryCodesLeft(ctx, a.ID); n != 2 {
		t.Errorf("left after replacing: %d, want 2", n)
	}

	for i, want := range []bool{true, false} {
		var had bool
		update(t, s, func(tx store.Tx) error { var err error; had, err = tx.DeleteFactor(ctx, a.ID); return err })
		if had != want {
			t.Errorf("DeleteFactor #%d = %v, want %v", i, had, want)
		}
	}
	if _, err := s.Factor(ctx, a.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Factor after delete: %v", err)
	}
	if n, _ := s.RecoveryCodesLeft(ctx, a.ID); n != 0 {
		t.Errorf("recovery codes after delete: %d", n)
	}
}

func testLoginChallenges(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := identity.Account{Username: "vanthu", DisplayName: "Trang", Kind: identity.KindOfficial, PasswordHash: "h", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &a) })
	live := identity.Challenge{TokenHash: "c1", AccountID: a.ID, Purpose: identity.ChallengeSecondFactor, CreatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
	old := identity.Challenge{TokenHash: "c2", AccountID: a.ID, Purpose: identity.ChallengeEnrol, CreatedAt: t0.Add(-time.Hour), ExpiresAt: t0.Add(-time.Minute)}
	other := identity.Challenge{TokenHash: "c3", AccountID: a.ID, Purpose: identity.ChallengeEnrol, CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}
	update(t, s, func(tx store.Tx) error {
		for _, c := range []identity.Challenge{live, old, other} {
			if err := tx.CreateChallenge(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := s.Challenge(ctx, "c1")
	if err != nil || got.AccountID != a.ID || got.Purpose != identity.ChallengeSecondFactor || !got.ExpiresAt.Equal(live.ExpiresAt) {
		t.Fatalf("Challenge = %+v, %v", got, err)
	}
	var n int64
	update(t, s, func(tx store.Tx) error { var err error; n, err = tx.DeleteExpiredChallenges(ctx, t0); return err })
	if n != 1 {
		t.Errorf("DeleteExpiredChallenges = %d, want 1", n)
	}
	for i, want := range []bool{true, false} {
		var ok bool
		update(t, s, func(tx store.Tx) error { var err error; ok, err = tx.DeleteChallenge(ctx, "c1"); return err })
		if ok != want {
			t.Errorf("DeleteChallenge #%d = %v, want %v", i, ok, want)
		}
	}
	if _, err := s.Challenge(ctx, "c1"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Challenge after use: %v", err)
	}
	update(t, s, func(tx store.Tx) error { var err error; n, err = tx.DeleteAccountChallenges(ctx, a.ID); return err })
	if n != 1 {
		t.Errorf("DeleteAccountChallenges = %d, want 1", n)
	}
}
