package vntext

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Đăng ký khai sinh", "dang ky khai sinh"},
		{"  ĐĂNG   KÝ, kết hôn!", "dang ky ket hon"},
		{"Thành phố Hồ Chí Minh", "thanh pho ho chi minh"},
		{"Xã Đắk Glei", "xa dak glei"},
		{"1.001193", "1 001193"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNFCTonePlacement(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hoà Bình", "Hòa Bình"},
		{"Thanh Hoá", "Thanh Hóa"},
		{"khoẻ", "khỏe"},
		{"Thuý", "Thúy"},
		{"quý", "quý"},             // qu + y: tone stays on y
		{"Khánh Hòa", "Khánh Hòa"}, // already canonical
		{"hoàn", "hoàn"},           // not word-final: untouched
		{"Hoà", "Hòa"},
	}
	for _, tt := range tests {
		if got := NFC(tt.in); got != tt.want {
			t.Errorf("NFC(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if NFC("Hoà") != NFC("Hòa") {
		t.Error("tone placements must compare equal after NFC")
	}
}

func TestLower(t *testing.T) {
	if got := Lower("Đăng Ký  Khai-Sinh"); got != "đăng ký khai sinh" {
		t.Errorf("Lower = %q", got)
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Đăng ký", "Hoà", "\xff", "a\u0301\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if Fold(got) != got {
			t.Errorf("Fold not idempotent on %q", s)
		}
		if !utf8.ValidString(NFC(s)) && utf8.ValidString(s) {
			t.Errorf("NFC produced invalid UTF-8 from %q", s)
		}
		if Fold(NFC(s)) != Fold(s) {
			t.Errorf("Fold(NFC(s)) != Fold(s) for %q", s)
		}
	})
}
