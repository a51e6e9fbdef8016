package nationalcatalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
)

// The national fields of a procedure: what the national catalogue
// decides and a re-sync overwrites. Everything else — the declaration
// form, the workflow, the components, the competent agency's kind, the
// online level, the result's template — is the province's and survives.
const (
	FieldName      = "name"
	FieldField     = "field"
	FieldLevel     = "level"
	FieldTime      = "processing_time"
	FieldFees      = "fees"
	FieldLegal     = "legal_basis"
	FieldWithdrawn = "withdrawn" // in force again (a procedure listed again)
)

var fieldLabels = map[string]string{
	FieldName: "Tên thủ tục", FieldField: "Lĩnh vực", FieldLevel: "Cấp thực hiện", FieldTime: "Thời hạn giải quyết",
	FieldFees: "Phí, lệ phí", FieldLegal: "Căn cứ pháp lý", FieldWithdrawn: "Hiệu lực",
}

// Diff is what applying the national catalogue would change in the
// province's: the administrator reads it, then applies it by its Hash.
type Diff struct {
	// Hash identifies the changes (not when they were read): Apply
	// applies them only if the catalogues still give the same.
	Hash      string    `json:"hash"`
	FetchedAt time.Time `json:"fetched_at"`
	// National is how many procedures in force the national catalogue
	// lists for provinces and communes.
	National int `json:"national"`
	// New are the national procedures the province does not have: each
	// comes in as a draft an administrator completes and publishes.
	New []Change `json:"new"`
	// Changed are the province's procedures whose national fields differ.
	Changed []Change `json:"changed"`
	// Withdrawn are the province's procedures (and drafts) the national
	// catalogue no longer lists in force.
	Withdrawn []Change `json:"withdrawn"`
	// Unchanged counts the procedures and drafts already as the national
	// catalogue says.
	Unchanged int `json:"unchanged"`
	// LocalOnly are the province's procedures under a provisional code
	// (a local code, not the national one) that the national catalogue
	// does not list: left as they are.
	LocalOnly []string `json:"local_only"`
	// Central counts the national procedures of central levels only
	// (ministries), not the province's: not imported.
	Central int `json:"central"`
	// PublishedDrafts are the drafts an administrator has published since:
	// applying deletes them.
	PublishedDrafts []string `json:"published_drafts"`

	national map[string]dvcqg.NationalFields // by the province's code
}

// Change is one procedure that applying changes.
type Change struct {
	Code         string `json:"code" doc:"The province's code"`
	NationalCode string `json:"national_code"`
	Name         string `json:"name"`
	// Draft: the change is to a draft (new: the draft there is updated;
	// withdrawn: the draft is deleted).
	Draft  bool          `json:"draft,omitempty"`
	Fields []FieldChange `json:"fields,omitempty"`
	// Procedure is a new procedure's draft as it will be stored; Missing
	// names what the province must add before publishing it.
	Procedure *catalog.Procedure `json:"procedure,omitempty"`
	Missing   []string           `json:"missing,omitempty"`
}

// FieldChange is a national field that differs.
type FieldChange struct {
	Field        string `json:"field" enum:"name,field,level,processing_time,fees,legal_basis,withdrawn"`
	Label        string `json:"label"`
	Local        any    `json:"local"`
	National     any    `json:"national"`
	LocalText    string `json:"local_text"`
	NationalText string `json:"national_text"`
}

// compute is the diff of the national catalogue nat (each procedure as
// the portal says it) against the province's procedures and drafts, under
// the province's code mapping.
func compute(nat []dvcqg.NationalFields, local, drafts []catalog.Procedure, m dvcqg.Mapping) Diff {
	d := Diff{New: []Change{}, Changed: []Change{}, Withdrawn: []Change{}, LocalOnly: []string{}, PublishedDrafts: []string{},
		national: map[string]dvcqg.NationalFields{}}
	inForce := map[string]dvcqg.NationalFields{}
	for _, n := range nat {
		switch {
		case !n.InForce:
		case n.Central:
			d.Central++
		default:
			inForce[n.Code] = n
		}
	}
	d.National = len(inForce)
	matched := map[string]bool{}
	published := map[string]bool{}
	for _, p := range local {
		published[p.Code] = true
		nc := m.Procedure(p.Code)
		n, ok := inForce[nc]
		if !ok {
			switch {
			case p.WithdrawnAt != nil:
				d.Unchanged++
			case slices.Contains(p.Provisional, "code"):
				d.LocalOnly = append(d.LocalOnly, p.Code)
			default:
				d.Withdrawn = append(d.Withdrawn, Change{Code: p.Code, NationalCode: nc, Name: p.Name,
					Fields: []FieldChange{change(FieldWithdrawn, "in_force", "withdrawn")}})
			}
			continue
		}
		matched[nc] = true
		fc := fieldChanges(&p, n)
		if len(fc) == 0 {
			d.Unchanged++
			continue
		}
		d.national[p.Code] = n
		d.Changed = append(d.Changed, Change{Code: p.Code, NationalCode: nc, Name: p.Name, Fields: fc})
	}
	draftByCode := map[string]catalog.Procedure{}
	for _, p := range drafts {
		if published[p.Code] {
			d.PublishedDrafts = append(d.PublishedDrafts, p.Code)
			continue
		}
		draftByCode[p.Code] = p
	}
	for nc, n := range inForce {
		if matched[nc] {
			continue
		}
		code := m.LocalProcedure(nc)
		if code == "" || published[code] {
			code = nc
		}
		dr := draftOf(n, code)
		old, had := draftByCode[code]
		delete(draftByCode, code)
		if had && sameNational(&old, &dr) {
			d.Unchanged++
			continue
		}
		d.national[code] = n
		d.New = append(d.New, Change{Code: code, NationalCode: nc, Name: n.Name, Draft: had, Procedure: &dr, Missing: missing(dr)})
	}
	for code, p := range draftByCode {
		d.Withdrawn = append(d.Withdrawn, Change{Code: code, NationalCode: m.Procedure(code), Name: p.Name, Draft: true,
			Fields: []FieldChange{change(FieldWithdrawn, "in_force", "withdrawn")}})
	}
	for _, l := range [][]Change{d.New, d.Changed, d.Withdrawn} {
		sort.Slice(l, func(i, j int) bool { return l[i].Code < l[j].Code })
	}
	sort.Strings(d.LocalOnly)
	sort.Strings(d.PublishedDrafts)
	d.Hash = hashOf(&d)
	return d
}

// hashOf is the SHA-256 of what applying changes, as JSON.
func hashOf(d *Diff) string {
	b, err := json.Marshal(struct {
		New, Changed, Withdrawn []Change
		PublishedDrafts         []string
	}{d.New, d.Changed, d.Withdrawn, d.PublishedDrafts})
	if err != nil {
		panic(fmt.Errorf("hash of a catalogue diff: %w", err)) // plain data: cannot fail
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// fieldChanges are the national fields of p that n says otherwise; what n
// does not say is not a change.
func fieldChanges(p *catalog.Procedure, n dvcqg.NationalFields) []FieldChange {
	var out []FieldChange
	if n.Name != "" && n.Name != p.Name {
		out = append(out, change(FieldName, p.Name, n.Name))
	}
	if n.Field != "" && n.Field != p.Field {
		out = append(out, change(FieldField, p.Field, n.Field))
	}
	if n.Level != "" && n.Level != p.Level {
		out = append(out, change(FieldLevel, p.Level, n.Level))
	}
	if n.ProcessingTime != nil && *n.ProcessingTime != p.ProcessingTime {
		out = append(out, change(FieldTime, p.ProcessingTime, *n.ProcessingTime))
	}
	if n.Fees != nil && !sameFees(p.Fees, n.Fees) {
		out = append(out, change(FieldFees, nonNil(p.Fees), n.Fees))
	}
	if n.LegalBasis != nil && !slices.Equal(p.LegalBasis, n.LegalBasis) {
		out = append(out, change(FieldLegal, nonNil(p.LegalBasis), n.LegalBasis))
	}
	if p.WithdrawnAt != nil {
		out = append(out, change(FieldWithdrawn, "withdrawn", "in_force"))
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func sameFees(a, b []catalog.Fee) bool {
	return slices.EqualFunc(a, b, func(x, y catalog.Fee) bool { return x.Code == y.Code && x.Name == y.Name && x.Amount == y.Amount })
}

func change(field string, local, national any) FieldChange {
	return FieldChange{Field: field, Label: fieldLabels[field], Local: local, National: national, LocalText: text(local), NationalText: text(national)}
}

// text is a national field's value in Vietnamese.
func text(v any) string {
	switch x := v.(type) {
	case string:
		switch x {
		case "in_force":
			return "Đang áp dụng"
		case "withdrawn":
			return "Đã bãi bỏ"
		}
		return x
	case catalog.Level:
		switch x {
		case catalog.LevelCommune:
			return "Cấp xã"
		case catalog.LevelProvince:
			return "Cấp tỉnh"
		}
		return string(x)
	case catalog.Duration:
		if x.Hours > 0 {
			return fmt.Sprintf("%d giờ làm việc", x.Hours)
		}
		return fmt.Sprintf("%d ngày làm việc", x.Days)
	case []catalog.Fee:
		if len(x) == 0 {
			return "Không có"
		}
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = fmt.Sprintf("%s (%s): %s", f.Name, f.Code, payment.FormatVND(f.Amount))
		}
		return strings.Join(parts, "; ")
	case []string:
		if len(x) == 0 {
			return "Không có"
		}
		return strings.Join(x, "; ")
	}
	return fmt.Sprint(v)
}

// defaultSteps is the workflow a new procedure's draft suggests: the
// one-stop counter receives, a specialist appraises, a leader approves,
// the clerk returns the result. The administrator adapts it.
var defaultSteps = []catalog.Step{
	{Name: "Tiếp nhận hồ sơ", Role: identity.RoleReceiver, Share: 10},
	{Name: "Thẩm định hồ sơ", Role: identity.RoleSpecialist, Share: 60},
	{Name: "Phê duyệt kết quả", Role: identity.RoleLeader, Share: 20},
	{Name: "Vào sổ, trả kết quả", Role: identity.RoleClerk, Share: 10},
}

// draftOf is the draft of a national procedure the province does not have
// yet, under the province's code: its national fields, the papers and
// result the national catalogue names, a suggested workflow (marked
// provisional), and the competent agency's kind of a commune-level
// procedure. What no national answer carries — the declaration form, the
// online level, a province-level procedure's competent agency — is left
// empty: the draft is not a valid procedure until the province adds them.
func draftOf(n dvcqg.NationalFields, code string) catalog.Procedure {
	p := catalog.Procedure{Code: code, Name: n.Name, Field: n.Field, Level: n.Level, SupplementRule: catalog.SupplementRestart,
		Fees: nonNil(n.Fees), LegalBasis: n.LegalBasis, Components: nonNil(n.Components), Result: catalog.Result{Name: n.Result},
		Workflow: catalog.Workflow{Steps: slices.Clone(defaultSteps)}, Provisional: []string{"workflow"},
		FormSchema: json.RawMessage(`{}`)} // no form yet: not a valid form (type object required)
	if n.ProcessingTime != nil {
		p.ProcessingTime = *n.ProcessingTime
	}
	if p.Level == catalog.LevelCommune {
		p.AgencyKind = "commune_committee"
		p.Provisional = append(p.Provisional, "agency_kind")
	}
	if len(n.Components) > 0 {
		p.Provisional = append(p.Provisional, "components")
	}
	return p
}

// sameNational reports whether two drafts say the same of the national
// catalogue.
func sameNational(a, b *catalog.Procedure) bool {
	x, y := *a, *b
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	bx, err1 := json.Marshal(x)
	by, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && string(bx) == string(by)
}

// missingLabels name what a draft lacks, by the field the catalogue's
// rules find wrong.
var missingLabels = map[string]string{
	"name": "tên thủ tục", "field": "lĩnh vực", "level": "cấp thực hiện", "agency_kind": "cơ quan có thẩm quyền",
	"processing_time": "thời hạn giải quyết", "online_level": "mức độ trực tuyến", "components": "thành phần hồ sơ",
	"form_schema": "biểu mẫu tờ khai", "workflow": "quy trình", "result": "kết quả giải quyết", "fees": "phí, lệ phí",
}

// missing names, in Vietnamese, what a draft needs before it is a valid
// procedure.
func missing(p catalog.Procedure) []string {
	err := catalog.Validate(&p)
	if err == nil {
		return nil
	}
	var out []string
	for _, f := range fieldsOf(err) {
		top := strings.FieldsFunc(f, func(r rune) bool { return r == '.' || r == '[' })[0]
		label := missingLabels[top]
		if label == "" {
			label = top
		}
		if !slices.Contains(out, label) {
			out = append(out, label)
		}
	}
	return out
}
