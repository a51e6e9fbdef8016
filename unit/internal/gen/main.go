// Command gen builds the unit package's embedded data from the General
// Statistics Office lists in shared/data: the 34 provinces and 3,321 communes
// in force since 1/7/2025, and the mapping of the 10,047 old communes to the
// new ones. Run it with `go generate ./unit/`.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/motcua/motcua/vntext"
)

type srcWard struct {
	Name         string `json:"name"`
	Code         int    `json:"code"`
	DivisionType string `json:"division_type"`
}

type srcProvince struct {
	Name         string    `json:"name"`
	Code         int       `json:"code"`
	DivisionType string    `json:"division_type"`
	Wards        []srcWard `json:"wards"`
}

type split struct {
	NewID string `json:"new_id"`
	Name  string `json:"name"`
}

type srcOld struct {
	Data []struct {
		Level1ID string  `json:"level1_id"`
		Name     string  `json:"name"`
		Splits   []split `json:"splits"`
		Level2s  []struct {
			Level2ID string  `json:"level2_id"`
			Name     string  `json:"name"`
			Splits   []split `json:"splits"`
		} `json:"level2s"`
		Level3s []struct {
			Level3ID string  `json:"level3_id"`
			Name     string  `json:"name"`
			Splits   []split `json:"splits"`
		} `json:"level3s"`
	} `json:"data"`
}

// Output shapes (kept in sync with unit/unit.go).
type commune struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Type string `json:"type"`
}

type province struct {
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Type     string    `json:"type"`
	Communes []commune `json:"communes"`
}

type oldUnit struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	ProvinceCode string   `json:"province_code"`
	ProvinceName string   `json:"province_name"`
	New          []string `json:"new"`
}

type oldProvince struct {
	Code string   `json:"code"`
	Name string   `json:"name"`
	New  []string `json:"new"`
}

type oldFile struct {
	Provinces []oldProvince `json:"provinces"`
	Districts []oldUnit     `json:"districts"`
	Communes  []oldUnit     `json:"communes"`
}

func main() {
	src := flag.String("src", "../../shared/data", "folder with admin-units-2025.json and admin-units-old-to-new-2025.json")
	out := flag.String("out", "data", "output folder")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		log.Fatal(err)
	}
}

func run(src, out string) error {
	raw, err := os.ReadFile(filepath.Join(src, "admin-units-2025.json"))
	if err != nil {
		return err
	}
	var ps []srcProvince
	if err := json.Unmarshal(raw, &ps); err != nil {
		return fmt.Errorf("parse units: %w", err)
	}
	var provinces []province
	valid := map[string]bool{}
	byName := map[string][]string{} // folded name → new commune codes
	for _, p := range ps {
		pr := province{Code: fmt.Sprintf("%02d", p.Code), Name: vntext.NFC(p.Name), Type: p.DivisionType}
		for _, w := range p.Wards {
			c := commune{Code: fmt.Sprintf("%05d", w.Code), Name: vntext.NFC(w.Name), Type: w.DivisionType}
			valid[c.Code] = true
			byName[vntext.Fold(c.Name)] = append(byName[vntext.Fold(c.Name)], c.Code)
			pr.Communes = append(pr.Communes, c)
		}
		sort.Slice(pr.Communes, func(i, j int) bool { return pr.Communes[i].Code < pr.Communes[j].Code })
		provinces = append(provinces, pr)
	}
	sort.Slice(provinces, func(i, j int) bool { return provinces[i].Code < provinces[j].Code })
	if len(provinces) != 34 || len(valid) != 3321 {
		return fmt.Errorf("expected 34 provinces and 3321 communes, got %d and %d", len(provinces), len(valid))
	}
	if err := writeGz(filepath.Join(out, "units-2025.json.gz"), provinces); err != nil {
		return err
	}

	raw, err = os.ReadFile(filepath.Join(src, "admin-units-old-to-new-2025.json"))
	if err != nil {
		return err
	}
	var old srcOld
	if err := json.Unmarshal(raw, &old); err != nil {
		return fmt.Errorf("parse old-to-new: %w", err)
	}
	var of oldFile
	codes := func(ss []split, width int) []string {
		var out []string
		for _, s := range ss {
			out = append(out, fmt.Sprintf("%0*s", width, strings.TrimSpace(s.NewID)))
		}
		return out
	}
	for _, p := range old.Data {
		pname := vntext.NFC(p.Name)
		of.Provinces = append(of.Provinces, oldProvince{Code: p.Level1ID, Name: pname, New: codes(p.Splits, 2)})
		for _, d := range p.Level2s {
			of.Districts = append(of.Districts, oldUnit{Code: d.Level2ID, Name: vntext.NFC(d.Name), ProvinceCode: p.Level1ID, ProvinceName: pname, New: codes(d.Splits, 5)})
		}
		for _, c := range p.Level3s {
			u := oldUnit{Code: c.Level3ID, Name: vntext.NFC(c.Name), ProvinceCode: p.Level1ID, ProvinceName: pname, New: codes(c.Splits, 5)}
			for i, n := range u.New {
				if valid[n] {
					continue
				}
				// The source has a few typos in new codes: recover by the
				// new commune's name when it is unambiguous, and say so.
				name := c.Splits[i].Name
				if m := byName[vntext.Fold(name)]; len(m) == 1 {
					log.Printf("corrected: old commune %s %q maps to %s, listed as %s; using %s by the name %q", u.Code, u.Name, n, n, m[0], name)
					u.New[i] = m[0]
					continue
				}
				return fmt.Errorf("old commune %s maps to unknown new commune %s", u.Code, n)
			}
			of.Communes = append(of.Communes, u)
		}
	}
	if len(of.Communes) != 10047 {
		return fmt.Errorf("expected 10047 old communes, got %d", len(of.Communes))
	}
	return writeGz(filepath.Join(out, "old-to-new-2025.json.gz"), of)
}

func writeGz(path string, v any) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
