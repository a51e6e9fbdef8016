package national

import (
	"fmt"
	"slices"
	"strings"

	"github.com/motcua/motcua/catalog"
	catalogdemo "github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/vntext"
)

// Catalogue is the national catalogue of procedures that LayThuTuc and
// LayDanhSachTTHC serve, in the portal's upper-case field names.
type Catalogue struct {
	// Demo: the embedded demo catalogue (package catalog/demo), not the
	// national one; every answer says so.
	Demo   bool
	procs  []Procedure
	byCode map[string]int
}

// Field is a field (lĩnh vực) of a procedure.
type Field struct {
	MaLinhVuc  string `json:"MALINHVUC"`
	TenLinhVuc string `json:"TENLINHVUC"`
}

// Procedure is a procedure as LayThuTuc answers it.
type Procedure struct {
	MaTTHC  string  `json:"MATTHC"`
	TenTTHC string  `json:"TENTTHC"`
	LinhVuc []Field `json:"LINHVUCTHUCHIEN"`
	// CapThucHien is the level that handles it: "Cấp tỉnh", "Cấp xã".
	CapThucHien string `json:"CAPTHUCHIEN"`
	// MucDo is how far it is done online: "Toàn trình", "Một phần", "".
	MucDo string `json:"MUCDODVC,omitempty"`
	// DuLieuMau marks an answer from the demo catalogue.
	DuLieuMau bool `json:"DULIEUMAU,omitempty"`
	// TamThoi lists what no official text confirms: "MATTHC" (a local
	// demo code), "MALINHVUC" (the catalogue has field names only), and
	// the catalogue's own provisional entries.
	TamThoi []string `json:"TAMTHOI,omitempty"`
}

// Summary is a procedure as LayDanhSachTTHC lists it.
type Summary struct {
	MaTTHC      string `json:"MATTHC"`
	TenTTHC     string `json:"TENTTHC"`
	MaLinhVuc   string `json:"MALINHVUC"`
	TenLinhVuc  string `json:"TENLINHVUC"`
	CapThucHien string `json:"CAPTHUCHIEN"`
	DuLieuMau   bool   `json:"DULIEUMAU,omitempty"`
}

// DemoCatalogue is the embedded demo catalogue (catalog/demo), marked demo.
func DemoCatalogue() (*Catalogue, error) {
	procs, err := catalogdemo.Procedures()
	if err != nil {
		return nil, fmt.Errorf("demo catalogue: %w", err)
	}
	return NewCatalogue(procs, true), nil
}

// NewCatalogue serves procs. The catalogue has field names and no field
// codes: MALINHVUC is made from the name ("LV-HO-TICH") and marked
// provisional.
func NewCatalogue(procs []catalog.Procedure, demo bool) *Catalogue {
	c := &Catalogue{Demo: demo, byCode: make(map[string]int, len(procs))}
	for _, p := range procs {
		out := Procedure{MaTTHC: p.Code, TenTTHC: p.Name, LinhVuc: []Field{{MaLinhVuc: FieldCode(p.Field), TenLinhVuc: p.Field}},
			CapThucHien: levelName(p.Level), MucDo: onlineName(p.OnlineLevel), DuLieuMau: demo, TamThoi: []string{"MALINHVUC"}}
		if slices.Contains(p.Provisional, "code") || strings.HasPrefix(p.Code, "DEMO-") {
			out.TamThoi = append(out.TamThoi, "MATTHC")
		}
		for _, f := range p.Provisional {
			if f != "code" {
				out.TamThoi = append(out.TamThoi, f)
			}
		}
		if _, dup := c.byCode[p.Code]; dup {
			continue
		}
		c.byCode[p.Code] = len(c.procs)
		c.procs = append(c.procs, out)
	}
	return c
}

// Len is the number of procedures.
func (c *Catalogue) Len() int { return len(c.procs) }

// Procedure returns a procedure by MATTHC (errs.NotFound if none).
func (c *Catalogue) Procedure(code string) (Procedure, error) {
	i, ok := c.byCode[code]
	if !ok {
		return Procedure{}, errs.New(errs.NotFound, "national.procedure_not_found", fmt.Sprintf("Không có thủ tục mã %s trong danh mục.", quote(code)), "no procedure "+code)
	}
	return c.procs[i], nil
}

// List is every procedure, in the catalogue's order.
func (c *Catalogue) List() []Summary {
	out := make([]Summary, len(c.procs))
	for i, p := range c.procs {
		out[i] = Summary{MaTTHC: p.MaTTHC, TenTTHC: p.TenTTHC, MaLinhVuc: p.LinhVuc[0].MaLinhVuc, TenLinhVuc: p.LinhVuc[0].TenLinhVuc,
			CapThucHien: p.CapThucHien, DuLieuMau: p.DuLieuMau}
	}
	return out
}

// FieldCode is the provisional code of a field: "LV-" and its name
// without diacritics ("Hộ tịch" → "LV-HO-TICH").
func FieldCode(name string) string {
	var b strings.Builder
	b.WriteString("LV")
	dash := true
	for _, r := range vntext.Fold(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return strings.ToUpper(b.String())
}

func levelName(l catalog.Level) string {
	switch l {
	case catalog.LevelProvince:
		return "Cấp tỉnh"
	case catalog.LevelCommune:
		return "Cấp xã"
	}
	return string(l)
}

func onlineName(l catalog.OnlineLevel) string {
	switch l {
	case catalog.OnlineFull:
		return "Toàn trình"
	case catalog.OnlinePartial:
		return "Một phần"
	}
	return ""
}
