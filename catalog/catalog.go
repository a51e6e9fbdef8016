// Package catalog holds the procedure catalogue: administrative procedures
// (thủ tục hành chính) with their components, fees, declaration form, workflow
// template and result, and the rules that make one valid.
package catalog

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua/identity"
)

// Level is the government level that handles a procedure.
type Level string

// Levels since 1/7/2025 (two-level local government).
const (
	LevelProvince Level = "province"
	LevelCommune  Level = "commune"
)

// OnlineLevel is how far a procedure can be done online.
type OnlineLevel string

// Online levels.
const (
	OnlineFull    OnlineLevel = "full"    // dịch vụ công trực tuyến toàn trình
	OnlinePartial OnlineLevel = "partial" // dịch vụ công trực tuyến một phần
	OnlineNone    OnlineLevel = "none"
)

// StepRoles are the roles a workflow step may be owned by.
var StepRoles = []identity.Role{identity.RoleReceiver, identity.RoleSpecialist, identity.RoleLeader, identity.RoleClerk}

// SupplementRule says what a supplement does to the deadline.
type SupplementRule string

// Supplement rules.
const (
	SupplementPause   SupplementRule = "pause"   // the clock resumes where it stopped
	SupplementRestart SupplementRule = "restart" // the clock starts again from the resubmission
)

// Duration is a legal processing time: working days or working hours.
type Duration struct {
	Days  int `json:"days,omitempty"`
	Hours int `json:"hours,omitempty"`
}

// Longer reports whether d is longer than o, a working day counted as 8
// working hours (the default office hours; a province's own hours only
// matter when one is in days and the other in hours).
func (d Duration) Longer(o Duration) bool { return d.Days*8+d.Hours > o.Days*8+o.Hours }

// Text is the duration as the forms write it: "5 ngày làm việc",
// "4 giờ làm việc", "1 ngày 4 giờ làm việc"; "" for no duration.
func (d Duration) Text() string {
	switch {
	case d.Days > 0 && d.Hours > 0:
		return fmt.Sprintf("%d ngày %d giờ làm việc", d.Days, d.Hours)
	case d.Days > 0:
		return fmt.Sprintf("%d ngày làm việc", d.Days)
	case d.Hours > 0:
		return fmt.Sprintf("%d giờ làm việc", d.Hours)
	}
	return ""
}

// Fee is one fee or charge (phí, lệ phí) of a procedure, in VND.
type Fee struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Amount int64  `json:"amount"` // VND; 0 = free (miễn phí)
	Note   string `json:"note,omitempty"`
	// Item names the charge this fee is a rate of: the fees of one item
	// are alternatives (e.g. the in-person and the online rate of one
	// registration fee) and exactly one of them is charged (FeesFor).
	// Empty: the fee is a charge of its own.
	Item string `json:"item,omitempty"`
	// Channels limits the rate to these channels (FeeChannels); empty:
	// every channel.
	Channels []string `json:"channels,omitempty"`
	// Applicants limits the rate to these applicant kinds (FeeApplicants);
	// empty: every applicant.
	Applicants []string `json:"applicants,omitempty"`
}

// ComponentForm says whether the original or a copy is required.
type ComponentForm string

// Component forms.
const (
	FormOriginal ComponentForm = "original"
	FormCopy     ComponentForm = "copy"
	FormEither   ComponentForm = "either"
)

// DataRef points at a field of a shared dataset that can replace a paper
// component ("thành phần hồ sơ được thay thế bằng dữ liệu").
type DataRef struct {
	Dataset string `json:"dataset"` // e.g. "population", "civil_status"
	Field   string `json:"field"`   // e.g. "birth_record"
}

// Component is a required or optional document of a dossier.
type Component struct {
	Code          string        `json:"code"`
	Name          string        `json:"name"`
	Required      bool          `json:"required"`
	Form          ComponentForm `json:"form"`
	Quantity      int           `json:"quantity,omitempty"`
	ReplaceableBy *DataRef      `json:"replaceable_by,omitempty"`
	Template      string        `json:"template,omitempty"` // name of a blank form (mẫu tờ khai), if any
}

// FilledByForm reports whether the procedure's electronic declaration
// stands for component c: c is a declaration with a blank form (a
// template) and the procedure has a form schema to fill it in. Such a
// component is not asked as a file: the filled form is the declaration
// (an interconnected procedure's one form stands for each of its
// declarations).
func (p *Procedure) FilledByForm(c Component) bool {
	return c.Template != "" && len(p.FormSchema) > 0 && string(p.FormSchema) != "null"
}

// Step is one step of a workflow template.
type Step struct {
	Name string        `json:"name"`
	Role identity.Role `json:"role"`
	// Agency is "competent" (the dossier's competent agency, the default
	// when empty) or an agency kind (e.g. "police", "social_insurance") that
	// performs the step for an interconnected procedure; it is resolved to
	// the agency of that kind of the dossier's commune, else of the province.
	Agency string `json:"agency,omitempty"`
	// Share is this step's share of the total processing time, in percent;
	// the shares of a workflow add up to 100.
	Share int `json:"share"`
}

// Workflow is the ordered steps a dossier goes through.
type Workflow struct {
	Steps []Step `json:"steps"`
}

// Result is what the procedure produces.
type Result struct {
	Name     string `json:"name"`
	Template string `json:"template,omitempty"`
	// WriteBack adds the result's data to a shared dataset when it is
	// issued (a birth registration adds a civil-status record).
	WriteBack *WriteBack `json:"write_back,omitempty"`
}

// WriteBack maps a result to a record of a shared dataset.
type WriteBack struct {
	Dataset string `json:"dataset"`
	// Fields maps each field of the record to its source: "form:<path>"
	// (a field of the declaration, dots for groups), "const:<value>", or
	// one of WriteBackSources.
	Fields map[string]string `json:"fields"`
}

// WriteBackSources are the named sources of a write-back field.
var WriteBackSources = []string{"dossier:code", "dossier:commune", "result:id", "result:issued_on", "result:agency", "result:number", "result:holder_id", "applicant:citizen_id", "applicant:name"}

// Procedure is one administrative procedure of the catalogue.
type Procedure struct {
	Code           string   `json:"code"` // national code, e.g. "1.001193"
	Name           string   `json:"name"`
	Field          string   `json:"field"` // lĩnh vực
	Level          Level    `json:"level"`
	AgencyKind     string   `json:"agency_kind"` // competent agency kind, e.g. "commune_committee", "department:tu-phap"
	ProcessingTime Duration `json:"processing_time"`
	TimeNote       string   `json:"time_note,omitempty"`
	// VerificationTime is the whole time limit when the dossier needs
	// verification ("trường hợp cần xác minh thì không quá 05 ngày làm
	// việc"), longer than ProcessingTime; nil when the law gives none. The
	// official handling the dossier extends its deadline to it once,
	// before it falls due (dossier.ActExtendForVerification).
	VerificationTime *Duration       `json:"verification_time,omitempty"`
	SupplementRule   SupplementRule  `json:"supplement_rule"`
	OnlineLevel      OnlineLevel     `json:"online_level"`
	Fees             []Fee           `json:"fees"`
	FeeExemptions    []FeeExemption  `json:"fee_exemptions,omitempty"`
	LegalBasis       []string        `json:"legal_basis,omitempty"`
	Applicants       []string        `json:"applicants,omitempty"` // "citizen", "enterprise", "agency", "organisation"
	Components       []Component     `json:"components"`
	FormSchema       json.RawMessage `json:"form_schema"`
	Workflow         Workflow        `json:"workflow"`
	Result           Result          `json:"result"`
	// Bundle lists the procedures an interconnected procedure (liên thông)
	// replaces, by code.
	Bundle []string `json:"bundle,omitempty"`
	// Provisional names the fields whose value is not confirmed against an
	// official source (e.g. "code", "fees", "processing_time").
	Provisional []string `json:"provisional,omitempty"`
	// WithdrawnAt is when the national catalogue's withdrawal of the
	// procedure was applied here (nil: in force). A withdrawn procedure
	// takes no new dossier; it stays for those already filed under it,
	// which still read its fees, components and result.
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	UpdatedAt   time.Time  `json:"updated_at,omitzero"`
}

// Summary is the short form of a procedure used in lists and search results.
type Summary struct {
	Code           string      `json:"code"`
	Name           string      `json:"name"`
	Field          string      `json:"field"`
	Level          Level       `json:"level"`
	OnlineLevel    OnlineLevel `json:"online_level"`
	ProcessingTime Duration    `json:"processing_time"`
}

// Summary returns p's summary.
func (p *Procedure) Summary() Summary {
	return Summary{Code: p.Code, Name: p.Name, Field: p.Field, Level: p.Level, OnlineLevel: p.OnlineLevel, ProcessingTime: p.ProcessingTime}
}

// SearchTerm maps an everyday or regional phrase ("sổ đỏ", "giấy khai
// sanh") to the procedures people mean by it; the search ranks those
// procedures as if the phrase were in their names. Terms are keyed by
// their folded phrase (two phrases that differ only in diacritics, case or
// spacing are one term).
type SearchTerm struct {
	Phrase    string    `json:"phrase"`
	Codes     []string  `json:"codes"`
	Note      string    `json:"note,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Query selects procedures from the catalogue.
type Query struct {
	Text   string // free text, Vietnamese with or without diacritics
	Field  string
	Level  Level
	Limit  int
	Offset int
}
