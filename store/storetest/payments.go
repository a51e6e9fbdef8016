package storetest

import (
	"context"
	"testing"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// testPayments: an agency's bank account round-trips, and a payment
// reference finds its dossier, is recorded once and is never another's.
func testPayments(t *testing.T, s store.Store) {
	ctx := context.Background()
	ag := Agency("000.00.90.H01", "Công an phường Ba Đình", unit.KindPolice, "")
	ag.Bank = &unit.BankAccount{BIN: "970415", Number: "1130000012345", Name: "CONG AN PHUONG BA DINH", Bank: "VietinBank", Demo: true}
	update(t, s, func(tx store.Tx) error { return tx.PutAgency(ctx, ag) })
	got, err := s.Agency(ctx, ag.ID)
	if err != nil || got.Bank == nil || *got.Bank != *ag.Bank {
		t.Fatalf("agency bank = %+v, %v", got.Bank, err)
	}
	ag.Bank = nil
	update(t, s, func(tx store.Tx) error { return tx.PutAgency(ctx, ag) })
	if got, _ := s.Agency(ctx, ag.ID); got.Bank != nil {
		t.Errorf("bank account kept after removal: %+v", got.Bank)
	}

	if _, err := s.PaymentDossier(ctx, "MCABC"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown reference: %v", err)
	}
	update(t, s, func(tx store.Tx) error { return tx.PutPaymentRef(ctx, "MCABC", "D-1", t0) })
	update(t, s, func(tx store.Tx) error { return tx.PutPaymentRef(ctx, "MCABC", "D-1", t0) }) // again: nothing changes
	if code, err := s.PaymentDossier(ctx, "MCABC"); err != nil || code != "D-1" {
		t.Errorf("PaymentDossier = %q, %v", code, err)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.PutPaymentRef(ctx, "MCABC", "D-2", t0) })
	if e, ok := errs.As(err); !ok || e.Key != "payment.reference_taken" {
		t.Errorf("reference of another dossier: %v", err)
	}
	if code, _ := s.PaymentDossier(ctx, "MCABC"); code != "D-1" {
		t.Errorf("after the refused reuse: %q", code)
	}
}
