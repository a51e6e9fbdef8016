package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// testSignOn: accounts found by their national identity and by their key;
// sign-on requests taken once and never after they expire; the TechID and
// the VNeID flag kept.
func testSignOn(t *testing.T, s store.Store) {
	ctx := context.Background()
	cit := identity.Account{Username: "vneid.001090012345", DisplayName: "Nguyễn Văn An", Kind: identity.KindCitizen, CitizenID: "001090012345",
		IdentityVerified: true, TechID: "TECH-1", VNeID: true, PasswordHash: "", CreatedAt: t0}
	org := identity.Account{Username: "tc.tech-9", DisplayName: "Hội Chữ thập đỏ", Kind: identity.KindOrganization, TechID: "TECH-9", PasswordHash: "", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, &cit); err != nil {
			return err
		}
		if err := tx.CreateAccount(ctx, &org); err != nil {
			return err
		}
		return tx.LinkIdentity(ctx, "https://sso.example.vn", "sub-1", cit.ID, 2, t0)
	})
	got, err := s.AccountByIdentity(ctx, "https://sso.example.vn", "sub-1")
	if err != nil || got.ID != cit.ID || got.TechID != "TECH-1" || !got.VNeID {
		t.Fatalf("AccountByIdentity = %+v, %v", got, err)
	}
	for _, c := range []struct{ issuer, sub string }{{"https://sso.example.vn", "sub-2"}, {"https://other.example.vn", "sub-1"}} {
		if _, err := s.AccountByIdentity(ctx, c.issuer, c.sub); errs.KindOf(err) != errs.NotFound {
			t.Errorf("AccountByIdentity(%s, %s) = %v, want not found", c.issuer, c.sub, err)
		}
	}
	for _, c := range []struct {
		kind identity.Kind
		key  string
		want int64
	}{
		{identity.KindCitizen, "001090012345", cit.ID},
		{identity.KindOrganization, "TECH-9", org.ID},
		{identity.KindEnterprise, "001090012345", 0},
		{identity.KindCitizen, "", 0},
	} {
		got, err := s.AccountByKey(ctx, c.kind, c.key)
		if c.want == 0 && errs.KindOf(err) != errs.NotFound || c.want != 0 && (err != nil || got.ID != c.want) {
			t.Errorf("AccountByKey(%s, %q) = %d, %v; want %d", c.kind, c.key, got.ID, err, c.want)
		}
	}
	// A second sign-on of the same identity updates it; it stays linked.
	update(t, s, func(tx store.Tx) error {
		return tx.LinkIdentity(ctx, "https://sso.example.vn", "sub-1", cit.ID, 1, t0.Add(time.Hour))
	})
	if got, err := s.AccountByIdentity(ctx, "https://sso.example.vn", "sub-1"); err != nil || got.ID != cit.ID {
		t.Fatalf("after a second sign-on: %+v, %v", got, err)
	}
	// Requests: taken once, of their kind, never expired.
	update(t, s, func(tx store.Tx) error {
		for _, r := range []store.SignOnRequest{
			{ID: "a", Kind: "request", Data: []byte(`{"n":1}`), ExpiresAt: t0.Add(10 * time.Minute)},
			{ID: "b", Kind: "link", Data: []byte(`{"n":2}`), ExpiresAt: t0.Add(10 * time.Minute)},
			{ID: "c", Kind: "request", Data: []byte(`{}`), ExpiresAt: t0.Add(time.Minute)},
		} {
			if err := tx.PutSignOnRequest(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	take := func(id, kind string, now time.Time) (store.SignOnRequest, error) {
		var r store.SignOnRequest
		err := s.Update(ctx, func(tx store.Tx) error {
			var err error
			r, err = tx.TakeSignOnRequest(ctx, id, kind, now)
			return err
		})
		return r, err
	}
	if _, err := take("b", "request", t0); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a link taken as a request: %v", err)
	}
	if r, err := take("a", "request", t0.Add(2*time.Minute)); err != nil || string(r.Data) != `{"n":1}` {
		t.Errorf("take a = %+v, %v", r, err)
	}
	if _, err := take("a", "request", t0.Add(2*time.Minute)); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a taken twice: %v", err)
	}
	if _, err := take("c", "request", t0.Add(2*time.Minute)); errs.KindOf(err) != errs.NotFound {
		t.Errorf("an expired request taken: %v", err)
	}
	if r, err := take("b", "link", t0.Add(2*time.Minute)); err != nil || string(r.Data) != `{"n":2}` {
		t.Errorf("take b = %+v, %v", r, err)
	}
}
