package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// dossierPageData is what the dossier page shows.
type dossierPageData struct {
	page
	D       DossierOut
	Actions []actionButton
	Forms   []formLink
	Error   string
	CanRate bool
	Stars   []int
	// FormData is the declaration as a definition list, labelled with the
	// titles of the procedure's JSON Schema.
	FormData []formEntry
	Files    []fileLink
	// Supplement is the form handing in the documents asked for, when the
	// viewer may supplement (the applicant, a counter).
	Supplement *supplementForm
	Withdraw   bool // the applicant may withdraw (reason + confirmation)
	HasForm01  bool
}

// formEntry is one answer of the declaration; a group has children.
type formEntry struct {
	Label, Value string
	Children     []formEntry
}

// fileLink is a component's file, viewable in the browser.
type fileLink struct {
	Code, Name, URL, Type, Size string
}

// supplementForm lists the procedure's components to hand in again.
type supplementForm struct {
	Requested  string // the note of the request to supplement
	Components []catalog.Component
}

// formEntries pairs the declaration's values with the fields' labels, in
// the form's order; values the schema does not know are listed by key.
func formEntries(fields []formField, values map[string]any, yes, no string) []formEntry {
	var out []formEntry
	seen := map[string]bool{}
	for _, f := range fields {
		key := f.Name[strings.LastIndex(f.Name, ".")+1:]
		v, ok := values[key]
		seen[key] = true
		if !ok {
			continue
		}
		if f.Type == "object" {
			sub, _ := v.(map[string]any)
			if ch := formEntries(f.Children, sub, yes, no); len(ch) > 0 {
				out = append(out, formEntry{Label: f.Label, Children: ch})
			}
			continue
		}
		out = append(out, formEntry{Label: f.Label, Value: formValue(v, f.Format, yes, no)})
	}
	var rest []string
	for k := range values {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, formEntry{Label: k, Value: formValue(values[k], "", yes, no)})
	}
	return out
}

func formValue(v any, format, yes, no string) string {
	switch x := v.(type) {
	case bool:
		if x {
			return yes
		}
		return no
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if format == "date" && len(x) == 10 && x[4] == '-' && x[7] == '-' {
			return x[8:10] + "/" + x[5:7] + "/" + x[0:4]
		}
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<9)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// dossierPageExtras adds the declaration, the files, and the supplement and
// withdrawal forms to the dossier page.
func (s *Server) dossierPageExtras(r *http.Request, acc *identity.Account, d *dossier.Dossier, data *dossierPageData) {
	for _, f := range data.Forms {
		if f.Number == "01" {
			data.HasForm01 = true
		}
	}
	for _, c := range d.Components {
		data.Files = append(data.Files, fileLink{Code: c.Code, Name: c.Name, URL: "/ho-so/" + url.PathEscape(d.Code) + "/tep/" + url.PathEscape(c.FileID),
			Type: strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(c.ContentType, "application/"), "image/")), Size: sizeText(c.Size)})
	}
	p, err := s.app.Procedure(r.Context(), d.ProcedureCode)
	if err != nil {
		s.log.Warn("dossier page: procedure", "code", d.ProcedureCode, "error", err)
		return
	}
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	var values map[string]any
	_ = json.Unmarshal(d.Form, &values)
	data.FormData = formEntries(schemaFields(schema, ""), values, data.T("Có"), data.T("Không"))
	if d.Status == dossier.StatusSupplement && (acc.ID == d.Applicant.AccountID || acc.HasRole(identity.RoleReceiver, "")) {
		sf := &supplementForm{Components: p.Components}
		for i := len(d.History) - 1; i >= 0; i-- {
			if d.History[i].Action == dossier.ActRequestSupplement {
				sf.Requested = d.History[i].Note
				break
			}
		}
		data.Supplement = sf
	}
}

// withdrawConfirmed checks the withdrawal form: a reason and the
// confirmation box.
func withdrawConfirmed(r *http.Request) error {
	var fe []errs.FieldError
	if strings.TrimSpace(r.PostFormValue("note")) == "" {
		fe = append(fe, errs.FieldError{Field: "note", Key: "required", Message: translate(lang(r), "Cần ghi rõ lý do rút hồ sơ.")})
	}
	if r.PostFormValue("xac-nhan") != "1" {
		fe = append(fe, errs.FieldError{Field: "xac-nhan", Key: "required", Message: translate(lang(r), "Cần đánh dấu ô “Tôi xác nhận rút hồ sơ” để rút hồ sơ.")})
	}
	if len(fe) > 0 {
		return errs.InvalidFields("dossier.withdraw_unconfirmed", translate(lang(r), "Chưa rút hồ sơ."), "withdrawal not confirmed", fe)
	}
	return nil
}
