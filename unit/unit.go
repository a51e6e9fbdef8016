// Package unit holds Vietnam's administrative units since 1/7/2025 (34
// provinces, 3,321 communes, codes of the General Statistics Office), the
// mapping of pre-2025 communes to the new ones, and the province's agencies.
package unit

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/vntext"
)

//go:generate go run ./internal/gen -src ../../shared/data -out data

//go:embed data/*.json.gz
var dataFS embed.FS

// Commune is a commune-level unit (xã, phường, đặc khu).
type Commune struct {
	Code         string `json:"code"` // 5 digits
	Name         string `json:"name"`
	Type         string `json:"type"` // "xã", "phường", "đặc khu"
	ProvinceCode string `json:"province_code"`
}

// Province is a province-level unit (tỉnh, thành phố trung ương).
type Province struct {
	Code     string    `json:"code"` // 2 digits
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	Communes []Commune `json:"communes"`
}

// ShortName is the province name without its type prefix ("Hà Nội").
func (p Province) ShortName() string {
	for _, prefix := range []string{"Thành phố ", "Tỉnh "} {
		if s, ok := strings.CutPrefix(p.Name, prefix); ok {
			return s
		}
	}
	return p.Name
}

// OldUnit is a pre-2025 unit and the new commune(s) (or province) it became.
type OldUnit struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	ProvinceCode string   `json:"province_code"`
	ProvinceName string   `json:"province_name"`
	New          []string `json:"new"`
}

// Directory is the read-only directory of units.
type Directory struct {
	provinces    []Province
	provinceIdx  map[string]int
	communes     map[string]Commune
	oldCommunes  map[string]OldUnit
	oldDistricts map[string]OldUnit
	oldProvinces map[string]OldUnit
}

var (
	loadOnce sync.Once
	loaded   *Directory
	loadErr  error
)

// Load returns the embedded directory (parsed once).
func Load() (*Directory, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

// MustLoad is Load for program start-up and tests; the embedded data is
// checked by the package tests, so a failure is a build defect.
func MustLoad() *Directory {
	d, err := Load()
	if err != nil {
		panic(err)
	}
	return d
}

func readGz(name string, v any) error {
	raw, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return json.Unmarshal(data, v)
}

func load() (*Directory, error) {
	d := &Directory{provinceIdx: map[string]int{}, communes: map[string]Commune{}, oldCommunes: map[string]OldUnit{}, oldDistricts: map[string]OldUnit{}, oldProvinces: map[string]OldUnit{}}
	if err := readGz("units-2025.json.gz", &d.provinces); err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	for i := range d.provinces {
		p := &d.provinces[i]
		d.provinceIdx[p.Code] = i
		for j := range p.Communes {
			p.Communes[j].ProvinceCode = p.Code
			d.communes[p.Communes[j].Code] = p.Communes[j]
		}
	}
	var old struct {
		Provinces []struct {
			Code string   `json:"code"`
			Name string   `json:"name"`
			New  []string `json:"new"`
		} `json:"provinces"`
		Districts []OldUnit `json:"districts"`
		Communes  []OldUnit `json:"communes"`
	}
	if err := readGz("old-to-new-2025.json.gz", &old); err != nil {
		return nil, fmt.Errorf("load old-to-new mapping: %w", err)
	}
	for _, p := range old.Provinces {
		d.oldProvinces[p.Code] = OldUnit{Code: p.Code, Name: p.Name, ProvinceCode: p.Code, ProvinceName: p.Name, New: p.New}
	}
	for _, u := range old.Districts {
		d.oldDistricts[u.Code] = u
	}
	for _, u := range old.Communes {
		d.oldCommunes[u.Code] = u
	}
	return d, nil
}

// Provinces returns all provinces, by code.
func (d *Directory) Provinces() []Province { return d.provinces }

// Province returns the province with the given 2-digit code.
func (d *Directory) Province(code string) (Province, error) {
	i, ok := d.provinceIdx[code]
	if !ok {
		return Province{}, errs.New(errs.NotFound, "province.not_found", fmt.Sprintf("Không có tỉnh, thành phố mã %q.", code), "no province "+code)
	}
	return d.provinces[i], nil
}

// Commune returns the commune with the given 5-digit code.
func (d *Directory) Commune(code string) (Commune, error) {
	c, ok := d.communes[code]
	if !ok {
		return Commune{}, errs.New(errs.NotFound, "commune.not_found", fmt.Sprintf("Không có xã, phường, đặc khu mã %q.", code), "no commune "+code)
	}
	return c, nil
}

// FindCommunes returns the communes of a province whose folded name
// contains the folded query (all of them for an empty query).
func (d *Directory) FindCommunes(provinceCode, query string) ([]Commune, error) {
	p, err := d.Province(provinceCode)
	if err != nil {
		return nil, err
	}
	q := vntext.Fold(query)
	if q == "" {
		return p.Communes, nil
	}
	var out []Commune
	for _, c := range p.Communes {
		if strings.Contains(vntext.Fold(c.Name), q) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Resolution is what a pre-2025 code became.
type Resolution struct {
	Old OldUnit   `json:"old"`
	New []Commune `json:"new"`
}

// ResolveOld maps a pre-2025 commune code (5 digits; shorter codes are
// zero-padded) to the new commune(s) that took over its territory. An old
// commune split between several new communes returns all of them.
func (d *Directory) ResolveOld(code string) (Resolution, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 5 || strings.Trim(code, "0123456789") != "" {
		return Resolution{}, errs.New(errs.Invalid, "old_commune.invalid", fmt.Sprintf("Mã xã cũ %q không hợp lệ: phải gồm tối đa 5 chữ số.", code), "old commune code must have up to 5 digits")
	}
	code = strings.Repeat("0", 5-len(code)) + code
	u, ok := d.oldCommunes[code]
	if !ok {
		return Resolution{}, errs.New(errs.NotFound, "old_commune.not_found", fmt.Sprintf("Không có xã cũ mã %q trong danh mục trước 1/7/2025.", code), "no pre-2025 commune "+code)
	}
	res := Resolution{Old: u}
	for _, n := range u.New {
		c, err := d.Commune(n)
		if err != nil {
			return Resolution{}, fmt.Errorf("resolve old commune %s: %w", code, err)
		}
		res.New = append(res.New, c)
	}
	return res, nil
}

// ResolveOldDistrict maps a pre-2025 district code (3 digits) to the new
// commune(s) that took over it. The mapping of 1/7/2025 lists a district
// only where it had no communes of its own (the island districts, which
// became special zones); every other district was carried over commune by
// commune, so its results must name the old commune (ResolveOld).
func (d *Directory) ResolveOldDistrict(code string) (Resolution, error) {
	code = strings.TrimSpace(code)
	if len(code) != 3 || strings.Trim(code, "0123456789") != "" {
		return Resolution{}, errs.New(errs.Invalid, "old_district.invalid", fmt.Sprintf("Mã huyện cũ %q không hợp lệ: phải gồm 3 chữ số.", code), "old district code must have 3 digits")
	}
	u, ok := d.oldDistricts[code]
	if !ok {
		return Resolution{}, errs.New(errs.NotFound, "old_district.not_found",
			fmt.Sprintf("Danh mục chuyển đổi 1/7/2025 không có huyện cũ mã %q (chỉ có các huyện không có xã trực thuộc); hãy ghi mã xã cũ 5 chữ số.", code),
			"no pre-2025 district "+code+" in the mapping (it lists only districts without communes)")
	}
	res := Resolution{Old: u}
	for _, n := range u.New {
		c, err := d.Commune(n)
		if err != nil {
			return Resolution{}, fmt.Errorf("resolve old district %s: %w", code, err)
		}
		res.New = append(res.New, c)
	}
	return res, nil
}

// ResolveOldProvince maps a pre-2025 province code (63-province scheme, as in
// the first three digits of a citizen ID's birthplace) to the new province.
func (d *Directory) ResolveOldProvince(code string) (OldUnit, error) {
	u, ok := d.oldProvinces[code]
	if !ok {
		return OldUnit{}, errs.New(errs.NotFound, "old_province.not_found", fmt.Sprintf("Không có tỉnh cũ mã %q.", code), "no pre-2025 province "+code)
	}
	return u, nil
}

// OldCommuneCount is the number of pre-2025 communes in the mapping.
func (d *Directory) OldCommuneCount() int { return len(d.oldCommunes) }

// CommuneCount is the number of communes since 1/7/2025.
func (d *Directory) CommuneCount() int { return len(d.communes) }

// SortCommunes sorts communes by code.
func SortCommunes(cs []Commune) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Code < cs[j].Code })
}
