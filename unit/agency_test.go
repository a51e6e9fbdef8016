package unit

import (
	"testing"

	"github.com/motcua/motcua/errs"
)

// TestAgencyBank checks an agency's fee account: the NAPAS BIN, the
// account number a VietQR code can carry, the holder.
func TestAgencyBank(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		bank  *BankAccount
		field string
	}{
		{"none", nil, ""},
		{"right", &BankAccount{BIN: "970415", Number: "113000007001", Name: "Công an phường Ba Đình"}, ""},
		{"short BIN", &BankAccount{BIN: "97041", Number: "1", Name: "x"}, "bank.bin"},
		{"letters in BIN", &BankAccount{BIN: "97041A", Number: "1", Name: "x"}, "bank.bin"},
		{"no number", &BankAccount{BIN: "970415", Name: "x"}, "bank.number"},
		{"long number", &BankAccount{BIN: "970415", Number: "12345678901234567890", Name: "x"}, "bank.number"},
		{"spaces in number", &BankAccount{BIN: "970415", Number: "113 000", Name: "x"}, "bank.number"},
		{"no holder", &BankAccount{BIN: "970415", Number: "113", Name: " "}, "bank.name"},
	}
	for _, tc := range tests {
		a := Agency{ID: "000.00.70.H01", Name: "Công an phường Ba Đình", Kind: KindPolice, ProvinceCode: "01", Bank: tc.bank}
		err := a.Validate(d)
		e, _ := errs.As(err)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (e == nil || len(e.Fields) != 1 || e.Fields[0].Field != tc.field):
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
}
