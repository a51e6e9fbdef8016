package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// testNationalCodes: a dossier handed over by the national portal is found
// by the portal's code, and a second one with that code is refused as
// such; dossiers without one (every other) do not collide.
func testNationalCodes(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := sampleDossier("000.00.50.H01-260302-00001", 0, identity.RoleReceiver, "", time.Time{})
	a.NationalCode = "G22.99-260302-00042"
	b := sampleDossier("000.00.50.H01-260302-00002", 0, identity.RoleReceiver, "", time.Time{})
	c := sampleDossier("000.00.50.H01-260302-00003", 0, identity.RoleReceiver, "", time.Time{})
	update(t, s, func(tx store.Tx) error {
		for _, d := range []*dossier.Dossier{a, b, c} {
			if err := tx.CreateDossier(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := s.DossierByNationalCode(ctx, a.NationalCode)
	if err != nil || got.Code != a.Code || got.NationalCode != a.NationalCode {
		t.Fatalf("DossierByNationalCode = %+v, %v", got, err)
	}
	for _, code := range []string{"", "G22.99-260302-00043"} {
		if _, err := s.DossierByNationalCode(ctx, code); errs.KindOf(err) != errs.NotFound {
			t.Errorf("DossierByNationalCode(%q) = %v, want not found", code, err)
		}
	}
	again := sampleDossier("000.00.50.H01-260302-00004", 0, identity.RoleReceiver, "", time.Time{})
	again.NationalCode = a.NationalCode
	err = s.Update(ctx, func(tx store.Tx) error { return tx.CreateDossier(ctx, again) })
	if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.Key != "dossier.national_exists" {
		t.Errorf("second dossier of a national code: %v", err)
	}
	if _, err := s.Dossier(ctx, again.Code); errs.KindOf(err) != errs.NotFound {
		t.Errorf("the refused dossier was stored: %v", err)
	}
	dup := sampleDossier(a.Code, 0, identity.RoleReceiver, "", time.Time{})
	dup.NationalCode = "G22.99-260302-00044"
	err = s.Update(ctx, func(tx store.Tx) error { return tx.CreateDossier(ctx, dup) })
	if e, ok := errs.As(err); !ok || e.Key != "dossier.exists" {
		t.Errorf("a taken code with a new national code: %v", err)
	}
}

// testProcedureDrafts: drafts, which need not be valid procedures, are
// kept apart from the catalogue: stored, replaced, listed by code and
// deleted, and never found among the procedures.
func testProcedureDrafts(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := catalog.Procedure{Code: "2.002154", Name: "Thủ tục mới", Field: "Hộ tịch", UpdatedAt: t0}
	e := catalog.Procedure{Code: "1.000001", Name: "Thủ tục khác", UpdatedAt: t0}
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutProcedureDraft(ctx, d); err != nil {
			return err
		}
		return tx.PutProcedureDraft(ctx, e)
	})
	d.Name = "Thủ tục mới (sửa)"
	update(t, s, func(tx store.Tx) error { return tx.PutProcedureDraft(ctx, d) })
	got, err := s.ProcedureDraft(ctx, d.Code)
	if err != nil || got.Name != d.Name || got.Field != d.Field || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("ProcedureDraft = %+v, %v", got, err)
	}
	all, err := s.ProcedureDrafts(ctx)
	if err != nil || len(all) != 2 || all[0].Code != e.Code || all[1].Code != d.Code {
		t.Fatalf("ProcedureDrafts = %+v, %v", all, err)
	}
	if _, err := s.Procedure(ctx, d.Code); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a draft is a procedure: %v", err)
	}
	if _, total, _ := s.Procedures(ctx, catalog.Query{}); total != 0 {
		t.Errorf("drafts found in the catalogue: %d", total)
	}
	update(t, s, func(tx store.Tx) error {
		if err := tx.DeleteProcedureDraft(ctx, d.Code); err != nil {
			return err
		}
		return tx.DeleteProcedureDraft(ctx, "nope")
	})
	if _, err := s.ProcedureDraft(ctx, d.Code); errs.KindOf(err) != errs.NotFound {
		t.Errorf("deleted draft: %v", err)
	}
}
