package identity_test

import (
	"testing"

	"github.com/motcua/motcua/identity"
)

func TestValidCitizenID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"001090012345", true},  // male, born 1990 (4th digit 0: 1900s)
		{"001190012345", true},  // female, 1900s
		{"079205001234", true},  // male, born 2005 (4th digit 2: 2000s)
		{"001305001234", true},  // female, 2000s
		{"001400012345", true},  // 2100s
		{"001590012345", true},  // 5: the last century the rule allows
		{"001690012345", false}, // 6: no such gender/century code
		{"001990012345", false},
		{"000000000000", true}, // no checksum
		{"", false},
		{"00109001234", false},   // 11 digits
		{"0010900123456", false}, // 13 digits
		{"00109001234A", false},  // letter
		{"A01090012345", false},
		{"001-90012345", false},
		{" 001090012345", false},
		{"001090012345 ", false},
		{"001090012345\n", false},
		{"００1090012345", false}, // full-width digits
		{"٠٠١٠٩٠٠١٢٣٤٥", false}, // Arabic-Indic digits
		{"+01090012345", false},
		{"1.01090012345", false},
	}
	for _, tt := range tests {
		if got := identity.ValidCitizenID(tt.in); got != tt.want {
			t.Errorf("ValidCitizenID(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseCitizenID(t *testing.T) {
	tests := []struct {
		in     string
		want   identity.CitizenID
		wantOK bool
	}{
		{"001090012345", identity.CitizenID{Place: "001", BirthYear: 1990}, true},
		{"079185000001", identity.CitizenID{Place: "079", BirthYear: 1985, Female: true}, true},
		{"001205012345", identity.CitizenID{Place: "001", BirthYear: 2005}, true},
		{"001325012345", identity.CitizenID{Place: "001", BirthYear: 2025, Female: true}, true},
		{"001499012345", identity.CitizenID{Place: "001", BirthYear: 2199}, true},
		{"001690012345", identity.CitizenID{}, false},
		{"00109001234", identity.CitizenID{}, false},
	}
	for _, tt := range tests {
		got, ok := identity.ParseCitizenID(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseCitizenID(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}
