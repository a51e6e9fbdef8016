package unit

import (
	"errors"
	"testing"

	"github.com/motcua/motcua/errs"
)

func TestDirectoryCounts(t *testing.T) {
	d := MustLoad()
	if n := len(d.Provinces()); n != 34 {
		t.Fatalf("provinces = %d, want 34", n)
	}
	if n := d.CommuneCount(); n != 3321 {
		t.Fatalf("communes = %d, want 3321", n)
	}
	if n := d.OldCommuneCount(); n != 10047 {
		t.Fatalf("old communes = %d, want 10047", n)
	}
	total := 0
	for _, p := range d.Provinces() {
		if len(p.Code) != 2 {
			t.Errorf("province code %q is not 2 digits", p.Code)
		}
		for _, c := range p.Communes {
			if len(c.Code) != 5 || c.ProvinceCode != p.Code {
				t.Errorf("bad commune %+v", c)
			}
		}
		total += len(p.Communes)
	}
	if total != 3321 {
		t.Errorf("sum of communes = %d", total)
	}
}

func TestProvinceAndCommune(t *testing.T) {
	d := MustLoad()
	tests := []struct {
		code, name string
		kind       errs.Kind
		ok         bool
	}{
		{"01", "Thành phố Hà Nội", 0, true},
		{"79", "Thành phố Hồ Chí Minh", 0, true},
		{"38", "Tỉnh Thanh Hóa", 0, true},
		{"02", "", errs.NotFound, false}, // Hà Giang merged into Tuyên Quang
		{"", "", errs.NotFound, false},
	}
	for _, tt := range tests {
		p, err := d.Province(tt.code)
		if tt.ok {
			if err != nil || p.Name != tt.name {
				t.Errorf("Province(%q) = %q, %v; want %q", tt.code, p.Name, err, tt.name)
			}
			continue
		}
		if errs.KindOf(err) != tt.kind {
			t.Errorf("Province(%q) err = %v, want kind %v", tt.code, err, tt.kind)
		}
	}
	c, err := d.Commune("00004")
	if err != nil || c.Name != "Phường Ba Đình" || c.ProvinceCode != "01" {
		t.Errorf("Commune(00004) = %+v, %v", c, err)
	}
	if _, err := d.Commune("99999"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Commune(99999) err = %v", err)
	}
}

func TestResolveOld(t *testing.T) {
	d := MustLoad()
	tests := []struct {
		in   string
		want []string
		kind errs.Kind
	}{
		{"00001", []string{"00097"}, 0},          // Phúc Xá → Hồng Hà
		{"1", []string{"00097"}, 0},              // zero-padded
		{"00007", []string{"00008", "00025"}, 0}, // Cống Vị split in two
		{"23938", []string{"23938"}, 0},          // source typo corrected by name
		{"abc", nil, errs.Invalid},
		{"123456", nil, errs.Invalid},
		{"99998", nil, errs.NotFound},
	}
	for _, tt := range tests {
		r, err := d.ResolveOld(tt.in)
		if tt.want == nil {
			if errs.KindOf(err) != tt.kind {
				t.Errorf("ResolveOld(%q) err = %v, want %v", tt.in, err, tt.kind)
			}
			continue
		}
		if err != nil {
			t.Errorf("ResolveOld(%q): %v", tt.in, err)
			continue
		}
		var got []string
		for _, c := range r.New {
			got = append(got, c.Code)
		}
		if len(got) != len(tt.want) {
			t.Errorf("ResolveOld(%q) = %v, want %v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ResolveOld(%q) = %v, want %v", tt.in, got, tt.want)
			}
		}
	}
	// Every old commune resolves to existing new communes.
	for code := range d.oldCommunes {
		if _, err := d.ResolveOld(code); err != nil {
			t.Fatalf("ResolveOld(%s): %v", code, err)
		}
	}
}

func TestFindCommunes(t *testing.T) {
	d := MustLoad()
	cs, err := d.FindCommunes("01", "ba dinh")
	if err != nil || len(cs) == 0 || cs[0].Name != "Phường Ba Đình" {
		t.Errorf("FindCommunes = %+v, %v", cs, err)
	}
}

func FuzzResolveOld(f *testing.F) {
	for _, s := range []string{"00001", "1", "", "x", "99999", "000000"} {
		f.Add(s)
	}
	d := MustLoad()
	f.Fuzz(func(t *testing.T, s string) {
		r, err := d.ResolveOld(s)
		if err == nil && len(r.New) == 0 {
			t.Errorf("ResolveOld(%q) resolved to nothing", s)
		}
	})
}
