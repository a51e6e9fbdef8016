package dashboard

import (
	"errors"
	"testing"

	"github.com/motcua/motcua/errs"
)

// TestByCodeOrName: a filter as a link gives it (the code) or as a person
// types it (the name, however written), and a name two agencies share.
func TestByCodeOrName(t *testing.T) {
	codes := []string{"000.00.50.H01", "000.00.51.H01", "000.00.52.H01", "000.00.53.H01", "000.00.54.H01"}
	names := []string{"Ủy ban nhân dân phường Ba Đình", "Công an phường", "Công an phường", "Ủy ban nhân dân phường Bà Đình", "Sở Tư pháp"}
	for _, c := range []struct {
		name, v  string
		wantI, n int
	}{
		{"code", "000.00.51.H01", 1, 1},
		{"code with spaces", " 000.00.53.H01 ", 3, 1},
		{"exact name", "Ủy ban nhân dân phường Ba Đình", 0, 1},
		{"case and spacing", "  ỦY BAN  nhân dân phường ba đình", 0, 1},
		{"decomposed (NFD) input", "U\u0309y ban nhân dân phường Ba Đình", 0, 1},
		{"diacritics aside, one match", "so tu phap", 4, 1},
		{"diacritics aside, two match", "uy ban nhan dan phuong ba dinh", -1, 2},
		{"shared name", "Công an phường", -1, 2},
		{"nothing", "Sở Không Có", -1, 0},
		{"empty", "", -1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if i, n := byCodeOrName(c.v, codes, names); i != c.wantI || n != c.n {
				t.Errorf("byCodeOrName(%q) = %d, %d; want %d, %d", c.v, i, n, c.wantI, c.n)
			}
		})
	}
	for _, c := range []struct {
		n      int
		vi, en string
	}{
		{2, `Có 2 cơ quan cùng tên "Công an phường": chọn trong danh sách gợi ý hoặc nhập mã.`, `the agency name "Công an phường" matches 2: pick from the suggestions or type the code`},
		{0, `Không có cơ quan "Công an phường" trong tỉnh.`, "no such agency in the province"},
	} {
		var e *errs.Error
		if err := unknownFilter("dashboard.agency", "cơ quan", "agency", "Công an phường", c.n); !errors.As(err, &e) || e.Kind != errs.Invalid || e.Message != c.vi || e.English != c.en {
			t.Errorf("%d matches: %#v", c.n, err)
		}
	}
}
