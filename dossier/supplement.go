package dossier

import (
	"fmt"
	"strings"
)

// supplementComponents puts the documents handed in with a supplement into
// the dossier: a document replaces the component of the same code (the
// replaced file stays in the history of the audit log), a new code is
// added. Codes must be non-empty, carry a file and appear once.
func (d *Dossier) supplementComponents(cs []Component) error {
	seen := map[string]bool{}
	for i, c := range cs {
		code := strings.TrimSpace(c.Code)
		switch {
		case code == "":
			return invalid(fmt.Sprintf("components[%d].code", i), "required", "Thiếu mã thành phần hồ sơ.")
		case strings.TrimSpace(c.FileID) == "":
			return invalid(fmt.Sprintf("components[%d].file_id", i), "required", "Thiếu tệp đính kèm.")
		case seen[code]:
			return invalid(fmt.Sprintf("components[%d].code", i), "duplicate", fmt.Sprintf("Thành phần hồ sơ %q được nộp hai lần.", code))
		}
		seen[code] = true
		c.Code = code
		replaced := false
		for j := range d.Components {
			if d.Components[j].Code == code {
				d.Components[j], replaced = c, true
				break
			}
		}
		if !replaced {
			d.Components = append(d.Components, c)
		}
	}
	return nil
}
