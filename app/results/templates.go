package results

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/printform"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/vntext"
)

// The result-template registry: for each result template a procedure's
// `result.template` may name, the legal form of that result (its title,
// the lines in the order of the legal form with the sources of their
// values in the declaration and the dossier, the holder, the register
// series that numbers it, the signer's heading). A template not in the
// registry is drawn with the generic template (printform.ResultDocument).
// docs/result-documents.md describes the format.
//
//go:embed templates.json
var templatesJSON []byte

// Template is one result template of the registry.
type Template struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Basis string `json:"basis"`
	// Provisional lists what was not checked against the official form.
	Provisional   []string `json:"provisional,omitempty"`
	AgencyHeading bool     `json:"agency_heading,omitempty"`
	// Register is the agency's register series that numbers the result
	// (one consecutive series per agency, register and year: Circular
	// 04/2020/TT-BTP Art. 29); NumberSuffix follows the number ("/QĐ-UBND").
	Register     string `json:"register"`
	NumberSuffix string `json:"number_suffix,omitempty"`
	Holder       Holder `json:"holder"`
	// PersonalID: the person of the declaration (an object of the form)
	// who is given a personal ID number at registration when the
	// declaration has none (a newborn).
	PersonalID *PersonalIDRule `json:"personal_id,omitempty"`
	// RequiresData names the datasets whose record of the applicant the
	// result is drawn from ("population"): without that record the result
	// is not issued (errNoData) and its draft says what is missing.
	RequiresData  []string          `json:"requires_data,omitempty"`
	Preamble      []string          `json:"preamble,omitempty"`
	Intro         string            `json:"intro,omitempty"`
	SignerHeading string            `json:"signer_heading,omitempty"`
	Notes         []string          `json:"notes,omitempty"`
	Sections      []TemplateSection `json:"sections"`
}

// Holder names the sources of the result's holder (the person the result
// is about: the child of a birth certificate), and the other holders (the
// wife of a marriage certificate).
type Holder struct {
	Name   []string `json:"name"`
	ID     []string `json:"id"`
	Others []Holder `json:"others,omitempty"`
}

// PersonalIDRule: Of is the form object of the person to be given a
// number; Parents the form objects whose residence locates the household.
type PersonalIDRule struct {
	Of      string   `json:"of"`
	Parents []string `json:"parents"`
	// ApplicantRelation is the form field of the applicant's relation to
	// the person; when it is one of ParentRelations the applicant's own
	// record locates the household too.
	ApplicantRelation string   `json:"applicant_relation,omitempty"`
	ParentRelations   []string `json:"parent_relations,omitempty"`
}

// TemplateSection is a block of lines, with an optional heading.
type TemplateSection struct {
	Heading string           `json:"heading,omitempty"`
	Lines   [][]TemplateItem `json:"lines"`
}

// TemplateItem is one labelled value: Value lists its sources, the first
// non-empty one is printed (with Join, every non-empty one, joined by
// it: "Bệnh viện Phụ sản, Phường Giảng Võ, Thành phố Hà Nội"), in Format
// ("", "upper", "date", "date_words", "year", "money", "number"), after
// Prefix.
type TemplateItem struct {
	Label  string   `json:"label"`
	Value  []string `json:"value"`
	Join   string   `json:"join,omitempty"`
	Format string   `json:"format,omitempty"`
	Prefix string   `json:"prefix,omitempty"`
	Bold   bool     `json:"bold,omitempty"`
}

var formats = map[string]bool{"": true, "upper": true, "date": true, "date_words": true, "year": true, "money": true, "number": true}

// Templates returns the registry, checked.
func Templates() (map[string]Template, error) {
	var f struct {
		Version   int        `json:"version"`
		Templates []Template `json:"templates"`
	}
	dec := json.NewDecoder(strings.NewReader(string(templatesJSON)))
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("result templates: %w", err)
	}
	out := map[string]Template{}
	for _, t := range f.Templates {
		if err := t.check(); err != nil {
			return nil, err
		}
		if _, dup := out[t.Name]; dup {
			return nil, fmt.Errorf("result template %s: named twice", t.Name)
		}
		out[t.Name] = t
	}
	return out, nil
}

func (t Template) check() error {
	bad := func(what string) error { return fmt.Errorf("result template %q: %s", t.Name, what) }
	if t.Name == "" || t.Title == "" || t.Register == "" || len(t.Sections) == 0 {
		return bad("name, title, register and sections are required")
	}
	if len(t.Holder.Name) == 0 {
		return bad("no holder")
	}
	for _, ds := range t.RequiresData {
		if ds != registry.Population {
			return bad("requires_data: only " + registry.Population + " is read")
		}
	}
	for _, src := range append(slices.Clone(t.Holder.Name), t.Holder.ID...) {
		if err := checkSource(src); err != nil {
			return bad("holder: " + err.Error())
		}
	}
	for _, s := range t.Sections {
		for _, l := range s.Lines {
			for _, it := range l {
				if !formats[it.Format] {
					return bad("unknown format " + it.Format)
				}
				if len(it.Value) == 0 {
					return bad("line " + it.Label + " has no source")
				}
				for _, src := range it.Value {
					if err := checkSource(src); err != nil {
						return bad(err.Error())
					}
				}
			}
		}
	}
	return nil
}

var plainSources = map[string]bool{"dossier:code": true, "applicant:name": true, "applicant:citizen_id": true,
	"agency:name": true, "result:issued_on": true, "result:valid_until": true, "issued:citizen_id": true}

func checkSource(src string) error {
	kind, rest, _ := strings.Cut(src, ":")
	switch {
	case plainSources[src]:
		return nil
	case kind == "form" && rest != "", kind == "const":
		return nil
	case kind == "data":
		if dataSources[rest] {
			return nil
		}
		if ds, field, ok := strings.Cut(rest, "."); ok && ds == registry.Population {
			if _, known := populationFields[field]; known {
				return nil
			}
		}
	}
	return fmt.Errorf("unknown source %q", src)
}

// usesData reports whether a template reads the applicant's records
// ("data:" sources).
func (t Template) usesData() bool {
	if len(t.RequiresData) > 0 {
		return true
	}
	for _, src := range append(slices.Clone(t.Holder.Name), t.Holder.ID...) {
		if strings.HasPrefix(src, "data:") {
			return true
		}
	}
	for _, s := range t.Sections {
		for _, l := range s.Lines {
			for _, it := range l {
				for _, src := range it.Value {
					if strings.HasPrefix(src, "data:") {
						return true
					}
				}
			}
		}
	}
	return false
}

// templates is the registry, read once; a broken registry is a build
// defect that TestTemplates reports.
var templates = func() map[string]Template {
	t, err := Templates()
	if err != nil {
		panic(err)
	}
	return t
}()

// filling is what a template's sources read.
type filling struct {
	d        *dossier.Dossier
	form     any
	agency   string
	issuedOn time.Time
	issuedID string // the personal ID number issued at this registration
	// data: the applicant's records read for the template ("data:" sources,
	// applicantData), by source name without "data:".
	data map[string]string
}

func newFilling(d *dossier.Dossier, agency string, issued time.Time, issuedID string) filling {
	var form any
	_ = json.Unmarshal(d.Form, &form)
	return filling{d: d, form: form, agency: agency, issuedOn: issued, issuedID: issuedID}
}

// joined is the non-empty sources of srcs joined by sep.
func (f filling) joined(srcs []string, sep string) string {
	var parts []string
	for _, src := range srcs {
		if v := strings.TrimSpace(f.source(src)); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, sep)
}

// value is the first non-empty source of srcs.
func (f filling) value(srcs []string) string {
	for _, src := range srcs {
		if v := strings.TrimSpace(f.source(src)); v != "" {
			return v
		}
	}
	return ""
}

func (f filling) source(src string) string {
	kind, rest, _ := strings.Cut(src, ":")
	switch kind {
	case "const":
		return rest
	case "form":
		return formValue(f.form, rest)
	case "data":
		return f.data[rest]
	}
	switch src {
	case "dossier:code":
		return f.d.Code
	case "applicant:name":
		return f.d.Applicant.Name
	case "applicant:citizen_id":
		return f.d.Applicant.CitizenID
	case "agency:name":
		return f.agency
	case "result:issued_on":
		return f.issuedOn.In(calendar.VN).Format("2006-01-02")
	case "result:valid_until":
		return OneYearOn(f.issuedOn).Format("2006-01-02")
	case "issued:citizen_id":
		return f.issuedID
	}
	return ""
}

// formValue reads a dotted path of the declaration.
func formValue(form any, path string) string {
	v := form
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[part]
	}
	return catalog.AnswerText(v, "")
}

// format writes a value in an item's format; a value that does not parse
// is printed as it is.
func format(v, how string) string {
	if v == "" {
		return ""
	}
	switch how {
	case "upper":
		return strings.ToUpper(vntext.NFC(v))
	case "date", "date_words", "year":
		t, err := time.ParseInLocation("2006-01-02", v, calendar.VN)
		if err != nil {
			return v
		}
		switch how {
		case "date":
			return t.Format("02/01/2006")
		case "year":
			return strconv.Itoa(t.Year())
		}
		return printform.DateWords(t)
	case "money":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return printform.Money(n)
		}
	case "number": // the Vietnamese decimal comma: 168.5 → 168,5
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return strings.Replace(v, ".", ",", 1)
		}
	}
	return v
}

// fill makes the certificate's sections and holder.
func (t Template) fill(f filling) ([]printform.Section, string, string) {
	var secs []printform.Section
	for _, s := range t.Sections {
		ps := printform.Section{Heading: s.Heading}
		for _, l := range s.Lines {
			var line printform.Line
			for _, it := range l {
				v := f.value(it.Value)
				if it.Join != "" {
					v = f.joined(it.Value, it.Join)
				}
				v = format(v, it.Format)
				if v != "" {
					v = it.Prefix + v
				}
				line = append(line, printform.Item{Label: it.Label, Value: v, Bold: it.Bold})
			}
			ps.Lines = append(ps.Lines, line)
		}
		secs = append(secs, ps)
	}
	return secs, f.value(t.Holder.Name), f.value(t.Holder.ID)
}

// preamble fills the {applicant} and {dossier} of the legal grounds.
func (t Template) preamble(f filling) []string {
	var out []string
	for _, p := range t.Preamble {
		out = append(out, strings.NewReplacer("{applicant}", f.d.Applicant.Name, "{dossier}", f.d.Code).Replace(p))
	}
	return out
}
