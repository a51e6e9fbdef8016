package dvcqg

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/motcua/motcua/errs"
)

// Mapping is how the province's codes become the portal's: data an
// administrator edits, never code. An absent entry maps a code to itself
// (the demo catalogue already uses national procedure codes where known,
// and the platform's statuses are the portal's 1–10).
type Mapping struct {
	// Procedures maps a local procedure code to the portal's MaTTHC.
	Procedures map[string]string `json:"procedures,omitempty"`
	// Fields maps a field's name (lĩnh vực, "Hộ tịch") to the portal's
	// MaLinhVuc; a field not mapped is sent by name only.
	Fields map[string]string `json:"fields,omitempty"`
	// Statuses maps a local status to the portal's TrangThaiHoSo.
	Statuses map[int]int `json:"statuses,omitempty"`
	// Databases maps a shared database's code (dossier.DataRef.NationalCode,
	// e.g. "CSDLQGDC") to the portal's MaCSDL. The portal's list is numeric
	// in the systems in use and its meaning unconfirmed, so every entry
	// here is provisional until the province has the official list.
	Databases map[string]string `json:"databases,omitempty"`
	// Provisional names the entries no official text confirms, as
	// "procedures.<code>", "databases.<code>", "statuses.<n>".
	Provisional []string `json:"provisional,omitempty"`
}

// Procedure is the portal's code of a local procedure.
func (m Mapping) Procedure(code string) string {
	if v, ok := m.Procedures[code]; ok && v != "" {
		return v
	}
	return code
}

// Field is the portal's code of a field ("" when not mapped).
func (m Mapping) Field(name string) string { return m.Fields[name] }

// Status is the portal's code of a local status.
func (m Mapping) Status(s int) Code {
	if v, ok := m.Statuses[s]; ok {
		return Code(v)
	}
	return Code(s)
}

// Database is the portal's code of a shared database.
func (m Mapping) Database(code string) string {
	if v, ok := m.Databases[code]; ok && v != "" {
		return v
	}
	return code
}

// IsProvisional reports whether an entry ("databases.CSDLQGDC") is marked
// provisional.
func (m Mapping) IsProvisional(entry string) bool { return slices.Contains(m.Provisional, entry) }

var mappingCode = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._\-]{0,59}$`)

// Validate checks a mapping as an administrator typed it: codes of a sane
// shape, statuses 1–10 to portal statuses 0–10, no two local statuses
// sharing a code unless one is 0 (not sent), provisional entries naming
// entries that exist.
func (m *Mapping) Validate() error {
	var fe []errs.FieldError
	add := func(field, key, msg string) { fe = append(fe, errs.FieldError{Field: field, Key: key, Message: msg}) }
	for _, t := range []struct {
		name string
		m    map[string]string
	}{{"procedures", m.Procedures}, {"fields", m.Fields}, {"databases", m.Databases}} {
		for _, k := range sortedKeys(t.m) {
			keyOK := mappingCode.MatchString(k) || (t.name == "fields" && strings.TrimSpace(k) != "" && len(k) <= 200)
			if !keyOK || !mappingCode.MatchString(t.m[k]) {
				add(t.name+"."+k, "invalid_code", fmt.Sprintf("Mã %q → %q không hợp lệ (chữ, số, dấu chấm, gạch; tối đa 60 ký tự).", k, t.m[k]))
			}
		}
	}
	seen := map[int]int{}
	for local, nat := range m.Statuses {
		switch {
		case local < 1 || local > 10:
			add(fmt.Sprintf("statuses.%d", local), "invalid_status", fmt.Sprintf("Trạng thái %d không tồn tại (1–10).", local))
		case nat < 0 || nat > 10:
			add(fmt.Sprintf("statuses.%d", local), "invalid_status", fmt.Sprintf("Trạng thái trên Cổng %d không hợp lệ (0–10).", nat))
		case nat != 0 && seen[nat] != 0:
			add(fmt.Sprintf("statuses.%d", local), "duplicate", fmt.Sprintf("Trạng thái %d và %d cùng chuyển thành %d.", seen[nat], local, nat))
		}
		if seen[nat] == 0 {
			seen[nat] = local
		}
	}
	for i, p := range m.Provisional {
		kind, code, ok := strings.Cut(p, ".")
		known := ok && func() bool {
			switch kind {
			case "procedures":
				_, ok := m.Procedures[code]
				return ok
			case "fields":
				_, ok := m.Fields[code]
				return ok
			case "databases":
				_, ok := m.Databases[code]
				return ok
			case "statuses":
				for s := range m.Statuses {
					if fmt.Sprint(s) == code {
						return true
					}
				}
			}
			return false
		}()
		if !known {
			add(fmt.Sprintf("provisional[%d]", i), "unknown_entry", fmt.Sprintf("Mục %q không có trong bảng ánh xạ.", p))
		}
	}
	if len(fe) > 0 {
		sort.Slice(fe, func(i, j int) bool { return fe[i].Field < fe[j].Field })
		return errs.InvalidFields("dvcqg.mapping_invalid", "Bảng ánh xạ mã với Cổng Dịch vụ công quốc gia không hợp lệ.", "invalid DVCQG mapping", fe)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
