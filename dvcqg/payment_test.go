package dvcqg

import (
	"testing"
	"time"

	"github.com/motcua/motcua/dossier"
)

// TestPaymentChannel: a fee confirmed by a bank is paid online; one taken
// at the counter, or not paid yet, is not.
func TestPaymentChannel(t *testing.T) {
	paid := time.Date(2026, 11, 23, 4, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		pay  *dossier.Payment
		flag Code
		how  Code
	}{
		{"bank callback", &dossier.Payment{Lines: []dossier.FeeLine{{Code: "LP02", Amount: 10000}}, PaidAt: &paid, Provider: "demo-bank"}, PaidByGateway, 2},
		{"at the counter", &dossier.Payment{Lines: []dossier.FeeLine{{Code: "LP01", Amount: 20000}}, PaidAt: &paid, Provider: "counter"}, PaidOtherwise, 1},
		{"asked, not paid", &dossier.Payment{Lines: []dossier.FeeLine{{Code: "LP02", Amount: 10000}}}, PaidOtherwise, 1},
	} {
		d := dossier.Dossier{Code: "X", Payment: tc.pay, Current: -1}
		r := FromDossier(&d, Source{})
		if r.DuocThanhToanTrucTuyen != tc.flag || len(r.DanhSachLePhi) != 1 || r.DanhSachLePhi[0].HinhThucThu != tc.how {
			t.Errorf("%s: flag %v, fees %+v", tc.name, r.DuocThanhToanTrucTuyen, r.DanhSachLePhi)
		}
	}
}
