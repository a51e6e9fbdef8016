// Package registry holds the shared datasets a province reads when it
// handles dossiers ("cơ sở dữ liệu dùng chung"): their schemas, owners and
// access policies, the records they hold, the quality rules they are
// measured by ("đúng, đủ, sạch, sống, thống nhất"), and how a form is
// prefilled and a paper component replaced by data.
//
// The package is pure: storage, the HTTP connector and the audit trail
// adapt to it.
package registry

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// FieldType is the kind of value a field holds; it decides the
// correctness and unity rules applied to it.
type FieldType string

// The field types.
const (
	Text      FieldType = "text"
	CitizenID FieldType = "citizen_id" // 12-digit personal ID
	TaxCode   FieldType = "tax_code"   // 10 digits, branches 10-3
	Date      FieldType = "date"       // YYYY-MM-DD
	Commune   FieldType = "commune"    // 5-digit commune code since 1/7/2025
	Agency    FieldType = "agency"     // agency electronic ID
	Enum      FieldType = "enum"       // one of Values
	Number    FieldType = "number"     // decimal, e.g. an area in m²
	Code      FieldType = "code"       // digits of a fixed length (Length)
)

// Field is one column of a dataset's schema.
type Field struct {
	Name     string    `json:"name"`
	Label    string    `json:"label"` // Vietnamese
	Type     FieldType `json:"type"`
	Required bool      `json:"required,omitempty"`
	Personal bool      `json:"personal,omitempty"` // personal data (Decree 13/2023): every read is audited
	Values   []string  `json:"values,omitempty"`   // Enum
	Length   int       `json:"length,omitempty"`   // Code
	// Future: a date that may lie ahead (a validity end), up to 50 years.
	Future bool `json:"future,omitempty"`
}

// Purpose is why a dataset is read; it is written to the audit trail.
type Purpose string

// The purposes of a look-up.
const (
	PurposePrefill   Purpose = "prefill"   // fill a declaration form
	PurposeReplace   Purpose = "replace"   // a component replaced by data
	PurposeAppraisal Purpose = "appraisal" // an official handling a dossier
	PurposeWriteBack Purpose = "writeback" // a result written back
	PurposeQuality   Purpose = "quality"   // the data-quality report
	PurposeExchange  Purpose = "exchange"  // another system through the API
)

// PurposeName is the Vietnamese name of a purpose.
func PurposeName(p Purpose) string {
	switch p {
	case PurposePrefill:
		return "Điền sẵn tờ khai"
	case PurposeReplace:
		return "Thay thế thành phần hồ sơ bằng dữ liệu"
	case PurposeAppraisal:
		return "Thẩm định hồ sơ"
	case PurposeWriteBack:
		return "Cập nhật kết quả giải quyết"
	case PurposeQuality:
		return "Kiểm tra chất lượng dữ liệu"
	case PurposeExchange:
		return "Chia sẻ với hệ thống khác"
	}
	return string(p)
}

// Policy grants reading some fields of a dataset for one purpose.
type Policy struct {
	Purpose Purpose `json:"purpose"`
	// Self lets a citizen with a verified identity read the records whose
	// subject is that citizen.
	Self bool `json:"self,omitempty"`
	// Roles are the officials' roles granted (at any agency).
	Roles []identity.Role `json:"roles,omitempty"`
	// Procedures restricts the grant to these procedure codes; empty = any.
	Procedures []string `json:"procedures,omitempty"`
	// Fields are the fields readable; empty = all.
	Fields []string `json:"fields,omitempty"`
}

// Remote says how to reach a dataset hosted elsewhere.
type Remote struct {
	// URL is the record's address, with {dataset} and {key} replaced
	// (path-escaped), e.g. "https://other/api/v1/registry/{dataset}/records/{key}".
	URL string `json:"url"`
	// Header and Token authenticate, e.g. "Authorization" and "Bearer …";
	// the token may also come from the environment at start-up.
	Header    string        `json:"header,omitempty"`
	Token     string        `json:"-"`
	Timeout   time.Duration `json:"timeout,omitempty"`    // per attempt; default 2 s
	Retries   int           `json:"retries,omitempty"`    // extra attempts on timeouts and 5xx; default 2
	CacheTTL  time.Duration `json:"cache_ttl,omitempty"`  // 0 = no cache
	CacheSize int           `json:"cache_size,omitempty"` // entries; default 10,000
	// BreakAfter consecutive failures open the circuit for Cooldown.
	BreakAfter int           `json:"break_after,omitempty"` // default 5
	Cooldown   time.Duration `json:"cooldown,omitempty"`    // default 30 s
}

// Dataset is a shared dataset and its rules.
type Dataset struct {
	Code string `json:"code"` // e.g. "population"
	// NationalCode is the code sent as DSKetNoiCSDL.MaCSDL to the national
	// portal.
	NationalCode string `json:"national_code"`
	Name         string `json:"name"`
	// Owner is the agency kind that owns the data (e.g. "police").
	Owner     string  `json:"owner"`
	OwnerName string  `json:"owner_name"`
	Remote    *Remote `json:"remote,omitempty"` // nil: hosted by the platform
	// KeyField identifies a record; SubjectField holds the citizen ID of
	// the person the record is about ("" when none).
	KeyField     string `json:"key_field"`
	SubjectField string `json:"subject_field,omitempty"`
	// OnePerSubject: two records about the same person are duplicates.
	OnePerSubject bool    `json:"one_per_subject,omitempty"`
	Fields        []Field `json:"fields"`
	// Items are the named parts of a record a component can be replaced
	// by (catalog.DataRef.Field), each with the fields it shows.
	Items map[string]Item `json:"items"`
	// FreshDays is how recently a record must have been updated to count
	// as live.
	FreshDays int      `json:"fresh_days"`
	Policies  []Policy `json:"policies"`
	// Provisional names facts not confirmed against an official source.
	Provisional []string `json:"provisional,omitempty"`
}

// Item is a named view of a record that replaces a paper component.
type Item struct {
	Name   string   `json:"name"` // Vietnamese, e.g. "Thông tin cư trú"
	Fields []string `json:"fields"`
	// Filter keeps the records whose field has the value (e.g. kind =
	// birth), "" = all.
	FilterField string `json:"filter_field,omitempty"`
	FilterValue string `json:"filter_value,omitempty"`
}

// Field returns the field named name.
func (d *Dataset) Field(name string) (Field, bool) {
	for _, f := range d.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Personal reports whether the dataset holds personal data.
func (d *Dataset) Personal() bool {
	return slices.ContainsFunc(d.Fields, func(f Field) bool { return f.Personal })
}

// Validate checks a dataset definition.
func (d *Dataset) Validate() error {
	var fe []errs.FieldError
	add := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Key: "invalid", Message: msg}) }
	if d.Code == "" || strings.ContainsAny(d.Code, " /?#") {
		add("code", "Mã tập dữ liệu không hợp lệ.")
	}
	if d.Name == "" {
		add("name", "Tên tập dữ liệu là bắt buộc.")
	}
	seen := map[string]bool{}
	for i, f := range d.Fields {
		if f.Name == "" || seen[f.Name] {
			add(fmt.Sprintf("fields[%d].name", i), "Tên trường trống hoặc trùng.")
		}
		seen[f.Name] = true
		if f.Type == Enum && len(f.Values) == 0 {
			add(fmt.Sprintf("fields[%d].values", i), "Trường liệt kê phải có danh sách giá trị.")
		}
	}
	if !seen[d.KeyField] {
		add("key_field", "Trường khóa phải là một trường của tập dữ liệu.")
	}
	if d.SubjectField != "" && !seen[d.SubjectField] {
		add("subject_field", "Trường chủ thể phải là một trường của tập dữ liệu.")
	}
	for name, it := range d.Items {
		for _, f := range it.Fields {
			if !seen[f] {
				add("items."+name, "Mục dữ liệu nêu trường không có: "+f)
			}
		}
		if it.FilterField != "" && !seen[it.FilterField] {
			add("items."+name, "Mục dữ liệu lọc theo trường không có: "+it.FilterField)
		}
	}
	for i, p := range d.Policies {
		for _, f := range p.Fields {
			if !seen[f] {
				add(fmt.Sprintf("policies[%d].fields", i), "Chính sách nêu trường không có: "+f)
			}
		}
	}
	if d.Remote != nil && !strings.Contains(d.Remote.URL, "{key}") {
		add("remote.url", "Địa chỉ kết nối phải chứa {key}.")
	}
	if len(fe) > 0 {
		return errs.InvalidFields("registry.dataset_invalid", "Định nghĩa tập dữ liệu "+d.Code+" không hợp lệ.", "Invalid dataset definition "+d.Code+".", fe)
	}
	return nil
}

// Record is one record of a dataset. Every value is a string in its
// canonical form (dates YYYY-MM-DD, numbers in decimal with a dot).
type Record struct {
	Dataset   string            `json:"dataset"`
	Key       string            `json:"key"`
	Subject   string            `json:"subject,omitempty"`
	Data      map[string]string `json:"data"`
	UpdatedAt time.Time         `json:"updated_at"`
	// Source says where the record came from: "import:<file>",
	// "result:<dossier code>", "demo", a remote URL.
	Source string `json:"source,omitempty"`
}

// Normalize fills r's key and subject from its data.
func (d *Dataset) Normalize(r *Record) {
	r.Dataset = d.Code
	for k, v := range r.Data {
		r.Data[k] = strings.TrimSpace(v)
	}
	r.Key = r.Data[d.KeyField]
	if d.SubjectField != "" {
		r.Subject = r.Data[d.SubjectField]
	}
}

// Access is who asks to read a dataset, and why.
type Access struct {
	Purpose   Purpose
	Procedure string // procedure code, "" when none
	Dossier   string // dossier code, "" when none
	// Roles held by the official asking; empty for a citizen.
	Roles []identity.Role
	// Citizen is the verified citizen ID of a citizen asking for their own
	// data, "" otherwise.
	Citizen string
	// System: the platform itself (write-back, quality); every field.
	System bool
}

// Allowed returns the fields access may read from the dataset, by the first
// policies that grant it (the union of their fields), or a Forbidden error.
// A Self grant covers only records whose subject is the citizen: the caller
// checks that with Permits.
func (d *Dataset) Allowed(a Access) ([]string, error) {
	if a.System {
		return d.fieldNames(), nil
	}
	var fields []string
	granted := false
	for _, p := range d.Policies {
		if p.Purpose != a.Purpose {
			continue
		}
		if len(p.Procedures) > 0 && !slices.Contains(p.Procedures, a.Procedure) {
			continue
		}
		ok := p.Self && a.Citizen != ""
		for _, r := range p.Roles {
			if slices.Contains(a.Roles, r) {
				ok = true
			}
		}
		if !ok {
			continue
		}
		granted = true
		if len(p.Fields) == 0 {
			return d.fieldNames(), nil
		}
		for _, f := range p.Fields {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
	}
	if !granted {
		return nil, errs.New(errs.Forbidden, "registry.forbidden",
			"Không có quyền đọc tập dữ liệu "+d.Name+" cho mục đích "+PurposeName(a.Purpose)+".",
			"Not allowed to read dataset "+d.Code+" for "+string(a.Purpose)+".")
	}
	return fields, nil
}

// Permits reports whether access may see record r: officials and the
// system any record their policy allows, a citizen only records about
// themselves.
func (d *Dataset) Permits(a Access, r Record) bool {
	if a.System || len(a.Roles) > 0 {
		return true
	}
	return a.Citizen != "" && r.Subject == a.Citizen
}

// Project returns the record with only the fields named.
func Project(r Record, fields []string) Record {
	out := r
	out.Data = make(map[string]string, len(fields))
	for _, f := range fields {
		if v, ok := r.Data[f]; ok {
			out.Data[f] = v
		}
	}
	return out
}

func (d *Dataset) fieldNames() []string {
	out := make([]string, len(d.Fields))
	for i, f := range d.Fields {
		out[i] = f.Name
	}
	return out
}

// NotFound is the error of a look-up that finds nothing.
func NotFound(dataset, key string) error {
	return errs.New(errs.NotFound, "registry.not_found",
		"Không tìm thấy dữ liệu "+key+" trong tập "+dataset+".",
		"No record "+key+" in dataset "+dataset+".")
}
