package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// testRegisterNumbers: each agency, register and year has its own
// consecutive series from 1; a number taken by a transaction that rolls
// back is given again; an official's position travels with the grant.
func testRegisterNumbers(t *testing.T, s store.Store) {
	ctx := context.Background()
	next := func(agency, register string, year int) int {
		t.Helper()
		var n int
		update(t, s, func(tx store.Tx) error {
			var err error
			n, err = tx.NextRegisterNumber(ctx, agency, register, year)
			return err
		})
		return n
	}
	steps := []struct {
		agency, register string
		year, want       int
	}{
		{"000.00.50.H01", "KS", 2026, 1},
		{"000.00.50.H01", "KS", 2026, 2},
		{"000.00.50.H01", "KH", 2026, 1},
		{"000.00.51.H01", "KS", 2026, 1},
		{"000.00.50.H01", "KS", 2027, 1},
		{"000.00.50.H01", "KS", 2026, 3},
	}
	for _, st := range steps {
		if got := next(st.agency, st.register, st.year); got != st.want {
			t.Errorf("NextRegisterNumber(%s, %s, %d) = %d, want %d", st.agency, st.register, st.year, got, st.want)
		}
	}
	boom := errors.New("rolled back")
	err := s.Update(ctx, func(tx store.Tx) error {
		if n, err := tx.NextRegisterNumber(ctx, "000.00.50.H01", "KS", 2026); err != nil || n != 4 {
			t.Errorf("in the rolled-back transaction: %d, %v", n, err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if got := next("000.00.50.H01", "KS", 2026); got != 4 {
		t.Errorf("after a rollback: %d, want 4 (no gap)", got)
	}

	ag := Agency("000.00.01.H26", "UBND phường Ba Đình", unit.KindCommuneCommittee, "00004")
	update(t, s, func(tx store.Tx) error { return tx.PutAgency(ctx, ag) })
	acc := identity.Account{Username: "lanhdao", DisplayName: "Phạm Quốc Hùng", Kind: identity.KindOfficial, PasswordHash: "h", CreatedAt: t0,
		Grants: []identity.Grant{{Role: identity.RoleLeader, AgencyID: ag.ID, Position: "Chủ tịch"}}}
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &acc) })
	got, err := s.Account(ctx, acc.ID)
	if err != nil || len(got.Grants) != 1 || got.Grants[0].Position != "Chủ tịch" {
		t.Fatalf("Account = %+v, %v", got.Grants, err)
	}
}

// testQuarantinedBatch: a batch's refused records are listed and released
// together, other batches untouched.
func testQuarantinedBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	qs := []registry.QuarantinedRecord{
		{Dataset: registry.CivilStatus, Batch: "result:A", Key: "A", Data: map[string]string{"full_name": "Nguyễn Minh Khôi"}, Reasons: []string{"Thiếu Số định danh cá nhân"}, At: t0},
		{Dataset: registry.Population, Batch: "result:A", Key: "A2", Data: map[string]string{}, Reasons: []string{"x"}, At: t0},
		{Dataset: registry.CivilStatus, Batch: "result:B", Key: "B", Data: map[string]string{}, Reasons: []string{"y"}, At: t0},
	}
	update(t, s, func(tx store.Tx) error { return tx.QuarantineRecords(ctx, qs) })
	got, err := s.QuarantinedBatch(ctx, "result:A")
	if err != nil || len(got) != 2 || got[0].Key != "A" || got[0].Reasons[0] != "Thiếu Số định danh cá nhân" || got[0].Data["full_name"] != "Nguyễn Minh Khôi" || got[1].Dataset != registry.Population {
		t.Fatalf("QuarantinedBatch = %+v, %v", got, err)
	}
	if got, err := s.QuarantinedBatches(ctx, "result:", 10); err != nil || len(got) != 2 || got[0] != "result:B" || got[1] != "result:A" {
		t.Errorf("QuarantinedBatches = %v, %v", got, err)
	}
	if got, err := s.QuarantinedBatches(ctx, "result_", 10); err != nil || len(got) != 0 {
		t.Errorf("QuarantinedBatches(result_) = %v, %v: _ is no wildcard", got, err)
	}
	var n int
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.ReleaseQuarantinedBatch(ctx, "result:A")
		return err
	})
	if n != 2 {
		t.Errorf("released %d, want 2", n)
	}
	if got, _ := s.QuarantinedBatch(ctx, "result:A"); len(got) != 0 {
		t.Errorf("after release: %+v", got)
	}
	if got, _ := s.QuarantinedBatch(ctx, "result:B"); len(got) != 1 {
		t.Errorf("another batch: %+v", got)
	}
}
