package codelist

import (
	"fmt"
	"testing"
)

func TestEthnicGroups(t *testing.T) {
	l, ok := Get(Ethnicity)
	if !ok || l.ID != "TCTK-1019-2008" || len(l.Entries) != 54 {
		t.Fatalf("ethnicity list %v %q with %d entries, want TCTK-1019-2008 with 54", ok, l.ID, len(l.Entries))
	}
	for i, e := range l.Entries {
		if want := fmt.Sprintf("%02d", i+1); e.Code != want {
			t.Errorf("entry %d has code %s, want %s", i, e.Code, want)
		}
		if e.Provisional != (i+1 > 20) {
			t.Errorf("%s %s: provisional %v; codes 21–54 are provisional (FACTS-CITIZEN §4.1)", e.Code, e.Name, e.Provisional)
		}
	}
	// The 2008 order, not the 1979 one (where 04 is Hoa and 54 Rơ măm).
	for code, name := range map[string]string{"01": "Kinh", "04": "Mường", "06": "Hoa", "20": "Mnông", "54": "Ơ Đu", "52": "Rơ Măm"} {
		if e, ok := l.Resolve(code); !ok || e.Name != name {
			t.Errorf("code %s = %q, want %s", code, e.Name, name)
		}
	}
}

func TestResolve(t *testing.T) {
	cases := []struct {
		kind, in, code string // code "" = not found
	}{
		{Ethnicity, "01", "01"},
		{Ethnicity, "Kinh", "01"},
		{Ethnicity, " kinh ", "01"},
		{Ethnicity, "KINH", "01"},
		{Ethnicity, "Khmer", "05"},
		{Ethnicity, "Khơ-me", "05"},
		{Ethnicity, "H'Mông", "08"},
		{Ethnicity, "Mông", "08"},
		{Ethnicity, "Ê-đê", "11"},
		{Ethnicity, "Kinhh", ""},
		{Ethnicity, "55", ""},
		{Ethnicity, "1", ""},
		{Ethnicity, "", ""},
		{Nationality, "VN", "VN"},
		{Nationality, "Việt Nam", "VN"},
		{Nationality, "vn", "VN"},
		{Nationality, "Hoa Kỳ", "US"},
		{Nationality, "Nhật Bản", "JP"},
		{Nationality, "Lào", "LA"},
		{Nationality, "XK", ""},
		{Nationality, "UK", ""},
		{Nationality, "ZZ", ""},
		{Province, "01", "01"},
		{Province, "Thành phố Hà Nội", "01"},
		{Province, "Hà Nội", "01"},
		{Province, "99", ""},
		{Commune, "00004", "00004"},
		{Commune, "Phường Ba Đình, Thành phố Hà Nội", "00004"},
		{Commune, "Phường Ba Đình, Hà Nội", "00004"},
		{Commune, "Phường Ba Đình", ""}, // a bare commune name may be in several provinces
		{Commune, "99999", ""},
	}
	for _, c := range cases {
		l, ok := Get(c.kind)
		if !ok {
			t.Fatalf("no list %s", c.kind)
		}
		e, found := l.Resolve(c.in)
		if found != (c.code != "") || e.Code != c.code {
			t.Errorf("%s %q = %q (found %v), want %q", c.kind, c.in, e.Code, found, c.code)
		}
	}
	if _, ok := Get("religion"); ok || Known("religion") {
		t.Error("unknown kind found")
	}
}

func TestNationalities(t *testing.T) {
	l, _ := Get(Nationality)
	if l.Entries[0].Code != "VN" || l.Entries[0].Name != "Việt Nam" {
		t.Errorf("first nationality %v, want Việt Nam", l.Entries[0])
	}
	// ISO 3166-1 has 249 officially assigned alpha-2 codes; CLDR names 248 of them.
	if n := len(l.Entries); n < 245 || n > 250 {
		t.Errorf("%d nationalities, want about 249", n)
	}
	seen := map[string]bool{}
	for _, e := range l.Entries {
		if seen[e.Code] || len(e.Code) != 2 || e.Name == "" || e.Name == e.Code {
			t.Errorf("bad or repeated entry %v", e)
		}
		seen[e.Code] = true
	}
}

func TestPlaces(t *testing.T) {
	p, _ := Get(Province)
	c, _ := Get(Commune)
	if len(p.Entries) != 34 || len(c.Entries) != 3321 {
		t.Errorf("%d provinces and %d communes, want 34 and 3321", len(p.Entries), len(c.Entries))
	}
	hn := c.Group("01")
	if len(hn) == 0 || hn[0].Short == "" || hn[0].Group != "01" {
		t.Errorf("communes of Hà Nội: %v", hn)
	}
}

func FuzzResolve(f *testing.F) {
	f.Add("Kinh")
	f.Add("Phường Ba Đình, Hà Nội")
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range Kinds {
			l, _ := Get(k)
			if e, ok := l.Resolve(s); ok {
				if again, ok := l.Resolve(e.Code); !ok || again.Code != e.Code {
					t.Fatalf("%s: %q resolves to %s, whose code does not resolve back", k, s, e.Code)
				}
			}
		}
	})
}
