package payment_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua/payment"
)

// TestVietQRVectors builds every vector of FACTS-CITIZEN §1.2 (NAPAS IBFT
// v1.5.2 examples as quoted by vietqr-ts, sunary/vietqr's tests, and the
// one built there) and decodes each back.
func TestVietQRVectors(t *testing.T) {
	tests := []struct {
		name string
		q    payment.VietQR
		want string
	}{
		{"napas dynamic account", payment.VietQR{BIN: "970403", Account: "0011012345678", Amount: 180000, Bill: "NPS6869", Purpose: "thanh toan don hang"},
			"00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"},
		{"napas static card", payment.VietQR{BIN: "970403", Account: "9704031101234567", Card: true},
			"00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52"},
		{"napas static account (spec prints F4E5, wrong)", payment.VietQR{BIN: "970403", Account: "0011012345678"},
			"00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F"},
		{"sunary static with message", payment.VietQR{BIN: "970407", Account: "9796868", Purpose: "gen by sunary/vietqr"},
			"00020101021138510010A00000072701210006970407010797968680208QRIBFTTA53037045802VN62240820gen by sunary/vietqr6304BE74"},
		{"sunary dynamic", payment.VietQR{BIN: "970416", Account: "13579", Amount: 120000},
			"00020101021238490010A000000727011900069704160105135790208QRIBFTTA530370454061200005802VN63049A71"},
		{"facts fee", payment.VietQR{BIN: "970403", Account: "0011012345678", Amount: 20000, Purpose: "LỆ PHÍ HS 000123"},
			"00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA53037045405200005802VN62200816LE PHI HS 0001236304C54F"},
	}
	for _, tc := range tests {
		got, err := tc.q.Payload()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	// Every vector, including sunary's with a '/' in its content, decodes
	// with a valid CRC.
	vectors := []string{
		"00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E",
		"00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52",
		"00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F",
		"00020101021138510010A00000072701210006970407010797968680208QRIBFTTA53037045802VN62240820gen by sunary/vietqr6304BE74",
		"00020101021238490010A000000727011900069704160105135790208QRIBFTTA530370454061200005802VN63049A71",
		"00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA53037045405200005802VN62200816LE PHI HS 0001236304C54F",
	}
	for _, v := range vectors {
		if _, err := payment.Decode(v); err != nil {
			t.Errorf("decode %s: %v", v, err)
		}
	}
	// The spec's misprinted F4E5 and ducnpdev's malformed example fail.
	for _, bad := range []string{
		"00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN6304F4E5",
		"00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704540650500" + "5802VN630433C4",
	} {
		if _, err := payment.Decode(bad); err == nil {
			t.Errorf("decode %s: no error", bad)
		}
	}
}

func TestCRC16Check(t *testing.T) {
	if got := payment.CRC16("123456789"); got != 0x29B1 {
		t.Errorf("CRC16(123456789) = %04X, want 29B1", got)
	}
}

// TestVietQRRefuses keeps the builder from writing a code a bank app would
// misread.
func TestVietQRRefuses(t *testing.T) {
	for _, q := range []payment.VietQR{
		{BIN: "97040", Account: "1"},
		{BIN: "97040A", Account: "1"},
		{BIN: "970403", Account: ""},
		{BIN: "970403", Account: "12345678901234567890"},
		{BIN: "970403", Account: "1", Amount: -1},
		{BIN: "970403", Account: "1", Amount: 99999999999999},
		{BIN: "970403", Account: "1", Purpose: strings.Repeat("x", 26)},
	} {
		if p, err := q.Payload(); err == nil {
			t.Errorf("%+v: %s, want an error", q, p)
		}
	}
}

// FuzzDecode: the decoder never panics, and whatever the builder makes
// decodes to its own fields.
func FuzzDecode(f *testing.F) {
	f.Add("00020101021238490010A000000727011900069704160105135790208QRIBFTTA530370454061200005802VN63049A71", int64(5), "x")
	f.Add("0002", int64(0), "")
	f.Fuzz(func(t *testing.T, s string, amount int64, purpose string) {
		_, _ = payment.Decode(s)
		_, _ = payment.DecodeTLV(s)
		q := payment.VietQR{BIN: "970403", Account: "0011012345678", Amount: amount, Purpose: purpose}
		p, err := q.Payload()
		if err != nil {
			return
		}
		fields, err := payment.Decode(p)
		if err != nil {
			t.Fatalf("own payload %q: %v", p, err)
		}
		for _, fl := range fields {
			if fl.ID == "54" && amount > 0 && fl.Value != strings.TrimLeft(fl.Value, "-") {
				t.Fatalf("negative amount in %q", p)
			}
		}
	})
}
