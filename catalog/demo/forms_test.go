package demo

import (
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/catalog"
)

// The birth declaration shows its fields in the order of the legal form:
// the requester (name, ID, birth date …), then the child, the mother, the
// father; the child's name before its birth date.
func TestBirthFormOrder(t *testing.T) {
	var birth catalog.Procedure
	for _, p := range load(t) {
		if p.Code == "1.001193" {
			birth = p
		}
	}
	s := catalog.DecodeSchema(birth.FormSchema)
	props, names, _ := catalog.Properties(s)
	want := []string{"ho_ten_nguoi_yeu_cau", "so_dinh_danh", "ngay_sinh", "gioi_tinh", "dia_chi_cu_tru", "so_dien_thoai", "email",
		"quan_he_voi_tre", "tre_em", "me", "cha", "so_ban_sao"}
	if !slices.Equal(names, want) {
		t.Errorf("birth form order %v, want %v", names, want)
	}
	_, child, _ := catalog.Properties(props["tre_em"].(map[string]any))
	if i, j := slices.Index(child, "ho_ten"), slices.Index(child, "ngay_sinh"); i != 0 || j != 1 {
		t.Errorf("child fields %v: want ho_ten, ngay_sinh first", child)
	}
}

// Each replaceable paper is replaced by the dataset item that holds what
// it proves: an identity paper by the population record's identity, a
// paper proving residence by its residence.
func TestReplaceableByTheRightItem(t *testing.T) {
	identityPaper := func(name string) bool {
		return strings.HasPrefix(name, "Giấy tờ tùy thân") || strings.HasPrefix(name, "Giấy tờ pháp lý của cá nhân")
	}
	n := 0
	for _, p := range load(t) {
		for _, c := range p.Components {
			r := c.ReplaceableBy
			if r == nil || r.Dataset != "population" {
				continue
			}
			n++
			residencePaper := strings.Contains(c.Name, "cư trú") || strings.Contains(c.Name, "thường trú") || strings.Contains(c.Name, "chỗ ở")
			switch {
			case identityPaper(c.Name) && r.Field != "identity":
				t.Errorf("%s %s %q: replaced by %s, want identity", p.Code, c.Code, c.Name, r.Field)
			case residencePaper && r.Field != "residence":
				t.Errorf("%s %s %q: replaced by %s, want residence", p.Code, c.Code, c.Name, r.Field)
			case !identityPaper(c.Name) && !residencePaper:
				t.Errorf("%s %s %q: population data replaces a paper that is neither identity nor residence", p.Code, c.Code, c.Name)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d papers replaceable by population data", n)
	}
}
