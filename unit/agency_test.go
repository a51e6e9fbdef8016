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
		want  BankAccount // the account stored, when right
	}{
		{"none", nil, "", BankAccount{}},
		{"right", &BankAccount{BIN: "970415", Number: "113000007001", Name: "Công an  phường Ba Đình"}, "",
			BankAccount{BIN: "970415", Number: "113000007001", Name: "CONG AN PHUONG BA DINH", Bank: "VietinBank"}},
		{"bank name from the list", &BankAccount{BIN: "970436", Number: "0011001234567", Name: "KHO BAC NHA NUOC", Bank: "Ngân hàng khác"}, "",
			BankAccount{BIN: "970436", Number: "0011001234567", Name: "KHO BAC NHA NUOC", Bank: "Vietcombank"}},
		{"short BIN", &BankAccount{BIN: "97041", Number: "113000", Name: "x"}, "bank.bin", BankAccount{}},
		{"letters in BIN", &BankAccount{BIN: "97041A", Number: "113000", Name: "x"}, "bank.bin", BankAccount{}},
		{"BIN of no bank in the VietQR list", &BankAccount{BIN: "970499", Number: "113000", Name: "x"}, "bank.bin", BankAccount{}},
		{"no number", &BankAccount{BIN: "970415", Name: "x"}, "bank.number", BankAccount{}},
		{"5 digits", &BankAccount{BIN: "970415", Number: "11300", Name: "x"}, "bank.number", BankAccount{}},
		{"long number", &BankAccount{BIN: "970415", Number: "12345678901234567890", Name: "x"}, "bank.number", BankAccount{}},
		{"spaces in number", &BankAccount{BIN: "970415", Number: "113 000", Name: "x"}, "bank.number", BankAccount{}},
		{"letters in number", &BankAccount{BIN: "970415", Number: "113ABC000", Name: "x"}, "bank.number", BankAccount{}},
		{"no holder", &BankAccount{BIN: "970415", Number: "113000", Name: " "}, "bank.name", BankAccount{}},
		{"holder in another script", &BankAccount{BIN: "970415", Number: "113000", Name: "Công an 北京"}, "bank.name", BankAccount{}},
	}
	for _, tc := range tests {
		var given BankAccount
		if tc.bank != nil {
			given = *tc.bank
		}
		a := Agency{ID: "000.00.70.H01", Name: "Công an phường Ba Đình", Kind: KindPolice, ProvinceCode: "01", Bank: tc.bank}
		err := a.Validate(d)
		e, _ := errs.As(err)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (e == nil || len(e.Fields) != 1 || e.Fields[0].Field != tc.field):
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		case tc.field == "" && tc.bank != nil && *a.Bank != tc.want:
			t.Errorf("%s: stored %+v, want %+v", tc.name, *a.Bank, tc.want)
		}
		if tc.bank != nil && *tc.bank != given {
			t.Errorf("%s: Validate changed the caller's account to %+v", tc.name, *tc.bank)
		}
	}
}
