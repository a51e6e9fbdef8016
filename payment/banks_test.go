package payment

import (
	"strings"
	"testing"
)

// TestBanks: every bank of the list has a NAPAS BIN of 6 digits, known
// once, and a short name; VietinBank, the demo's bank, is there.
func TestBanks(t *testing.T) {
	seen := map[string]bool{}
	for _, b := range Banks {
		if len(b.BIN) != 6 || !strings.HasPrefix(b.BIN, "9704") || strings.Trim(b.BIN, "0123456789") != "" || seen[b.BIN] || b.ShortName == "" || b.Name == "" {
			t.Errorf("bank %+v", b)
		}
		seen[b.BIN] = true
	}
	if b, ok := BankByBIN("970415"); !ok || b.ShortName != "VietinBank" {
		t.Errorf("970415 = %+v %v", b, ok)
	}
	if _, ok := BankByBIN("970499"); ok {
		t.Error("970499 is no bank of the list")
	}
}

func TestCheckAccount(t *testing.T) {
	for _, tc := range []struct {
		bin, number, holder string
		want                string // the holder as stored, or the fields in error
	}{
		{"970415", "113000007001", "Công an phường Ba Đình", "CONG AN PHUONG BA DINH"},
		{"970405", "123456", "  ủy ban nhân dân   xã Đắk Đoa ", "UY BAN NHAN DAN XA DAK DOA"},
		{"970418", "1234567890123456789", "KHO BẠC NHÀ NƯỚC (KBNN) - CN 1", "KHO BAC NHA NUOC (KBNN) - CN 1"},
		{"970499", "123456", "A", "bin"},
		{"970415", "12345", "A", "number"},
		{"970415", "12345678901234567890", "A", "number"},
		{"970415", "12345A", "A", "number"},
		{"970415", "123456", "", "name"},
		{"970415", "123456", "Công an ★", "name"},
		{"970415", "123456", strings.Repeat("A", 71), "name"},
		{"", "", "", "bin number name"},
	} {
		h, _, fe := CheckAccount(tc.bin, tc.number, tc.holder)
		var got string
		if len(fe) == 0 {
			got = h
		}
		for i, e := range fe {
			if i > 0 {
				got += " "
			}
			got += e.Field
		}
		if got != tc.want {
			t.Errorf("CheckAccount(%q, %q, %q) = %q, want %q", tc.bin, tc.number, tc.holder, got, tc.want)
		}
	}
}
