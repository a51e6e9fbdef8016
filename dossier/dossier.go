// Package dossier is the life of one application (hồ sơ) for one procedure:
// its code, its statuses (the national portal's codes), the steps of its
// workflow, its deadline, and the transitions between them. It is pure: no
// SQL, no HTTP; the caller loads a dossier, applies an action and stores
// the result in one transaction.
package dossier

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/identity"
)

// Status is the national portal's status code (TrangThaiHoSo).
type Status int

// The statuses of DOMAIN.md.
const (
	StatusNew        Status = 1  // Mới đăng ký
	StatusReceived   Status = 2  // Được tiếp nhận
	StatusRefused    Status = 3  // Không được tiếp nhận
	StatusProcessing Status = 4  // Đang xử lý
	StatusSupplement Status = 5  // Yêu cầu bổ sung giấy tờ
	StatusPayment    Status = 6  // Yêu cầu thực hiện nghĩa vụ tài chính
	StatusWithdrawn  Status = 7  // Công dân yêu cầu rút hồ sơ
	StatusStopped    Status = 8  // Dừng xử lý
	StatusDone       Status = 9  // Đã xử lý xong
	StatusReturned   Status = 10 // Đã trả kết quả
)

var statusNames = map[Status]string{
	StatusNew:        "Mới đăng ký",
	StatusReceived:   "Được tiếp nhận",
	StatusRefused:    "Không được tiếp nhận",
	StatusProcessing: "Đang xử lý",
	StatusSupplement: "Yêu cầu bổ sung giấy tờ",
	StatusPayment:    "Yêu cầu thực hiện nghĩa vụ tài chính",
	StatusWithdrawn:  "Công dân yêu cầu rút hồ sơ",
	StatusStopped:    "Dừng xử lý",
	StatusDone:       "Đã xử lý xong",
	StatusReturned:   "Đã trả kết quả",
}

// Name is the status's Vietnamese name.
func (s Status) Name() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("Trạng thái %d", int(s))
}

// Valid reports whether s is one of the ten statuses.
func (s Status) Valid() bool { _, ok := statusNames[s]; return ok }

// Closed reports whether no further handling can happen (refused,
// withdrawn, stopped, returned).
func (s Status) Closed() bool {
	return s == StatusRefused || s == StatusWithdrawn || s == StatusStopped || s == StatusReturned
}

// Channel is how the dossier came in (KenhThucHien).
type Channel int

// The channels.
const (
	ChannelInPerson Channel = 1 // trực tiếp
	ChannelOnline   Channel = 2 // trực tuyến
	ChannelPost     Channel = 3 // qua dịch vụ bưu chính công ích
)

// Name is the channel's Vietnamese name.
func (c Channel) Name() string {
	switch c {
	case ChannelInPerson:
		return "Trực tiếp"
	case ChannelOnline:
		return "Trực tuyến"
	case ChannelPost:
		return "Qua dịch vụ bưu chính công ích"
	}
	return fmt.Sprintf("Kênh %d", int(c))
}

// FeeChannel is the catalogue's name of the channel, which its fee rates
// are given for (catalog.FeeChannels).
func (c Channel) FeeChannel() string {
	switch c {
	case ChannelOnline:
		return catalog.ChannelOnline
	case ChannelPost:
		return catalog.ChannelPost
	}
	return catalog.ChannelInPerson
}

// FeeCase is what decides the fees of the dossier: its channel, its
// applicant's kind and the exemption claimed.
func (d *Dossier) FeeCase() catalog.FeeCase {
	c := catalog.FeeCase{Channel: d.Channel.FeeChannel(), Applicant: d.Applicant.Type.Kind()}
	// A claimed exemption counts until it is refused, proven once confirmed:
	// while pending, FeesFor refuses to charge (fee.exemption_proof).
	if e := d.Exemption; e != nil && e.Decision != ExemptionRefused {
		c.Exemption, c.Proven = e.Code, e.Decision == ExemptionConfirmed
	}
	return c
}

// ApplicantType is LoaiDoiTuong.
type ApplicantType int

// The applicant types.
const (
	ApplicantCitizen      ApplicantType = 1
	ApplicantEnterprise   ApplicantType = 2
	ApplicantAgency       ApplicantType = 3
	ApplicantOrganisation ApplicantType = 4
)

// Kind is the catalogue's name of the applicant type (Procedure.Applicants):
// "citizen" when unset.
func (t ApplicantType) Kind() string {
	switch t {
	case ApplicantEnterprise:
		return "enterprise"
	case ApplicantAgency:
		return "agency"
	case ApplicantOrganisation:
		return "organisation"
	}
	return "citizen"
}

// Applicant is who the dossier is for.
type Applicant struct {
	AccountID   int64         `json:"account_id,omitempty"` // 0 for a walk-in without an account
	Type        ApplicantType `json:"type,omitempty" doc:"1 citizen (default), 2 enterprise, 3 state agency, 4 other organisation"`
	Name        string        `json:"name"`
	CitizenID   string        `json:"citizen_id,omitempty"`
	TaxCode     string        `json:"tax_code,omitempty"`
	Address     string        `json:"address,omitempty"`
	CommuneCode string        `json:"commune_code,omitempty"`
	Phone       string        `json:"phone,omitempty"`
	Email       string        `json:"email,omitempty"`
	// TechID is the national sign-on's identifier of the applicant
	// (MaDoiTuong on the national portal); VNeID: the applicant's account
	// signs on through the national identity at the required level
	// (TaiKhoanDuocXacThucVoiVNeID).
	TechID string `json:"tech_id,omitempty"`
	VNeID  bool   `json:"vneid,omitempty"`
}

// Component is a document handed in for a component of the procedure.
type Component struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	FileID      string `json:"file_id"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	Original    bool   `json:"original"`
	// Data is the shared-database record that replaced the paper (no
	// file then); DocumentID the personal-store document reused.
	Data       *DataRef `json:"data,omitempty"`
	DocumentID string   `json:"document_id,omitempty"`
	// Reused (DuocTaiSuDung): the component reuses data or a document the
	// state already holds; FromStore (DuocLayTuKhoDMQG): taken from the
	// applicant's personal document store.
	Reused    bool `json:"reused,omitempty"`
	FromStore bool `json:"from_store,omitempty"`
}

// DataRef is the record of a shared database that replaced a component:
// the database (with its national code, sent as DSKetNoiCSDL.MaCSDL), the
// record's key, the item used and the item's values as read at the time.
type DataRef struct {
	Dataset      string            `json:"dataset"`
	NationalCode string            `json:"national_code"`
	DatasetName  string            `json:"dataset_name"`
	Key          string            `json:"key"`
	Item         string            `json:"item"`
	ItemName     string            `json:"item_name"`
	Values       map[string]string `json:"values,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	ReadAt       time.Time         `json:"read_at"`
}

// Step is one step of the dossier's workflow, instantiated from the
// procedure's template with its agency resolved.
type Step struct {
	Name     string        `json:"name"`
	Role     identity.Role `json:"role"`
	AgencyID string        `json:"agency_id"` // "" for the receiving step of an online dossier: any counter
	// AgencyName is the agency's name, for the messages that name it (a
	// person reads "UBND xã Ba Đình", not "000.00.00.H01"); "" when not
	// known, the messages then give the code.
	AgencyName string `json:"agency_name,omitempty"`
	Share      int    `json:"share"` // percent of the processing time

	StartedAt    *time.Time        `json:"started_at,omitempty"`
	Deadline     calendar.Deadline `json:"deadline,omitzero"`
	AssigneeID   int64             `json:"assignee_id,omitempty"`
	AssigneeName string            `json:"assignee_name,omitempty"`
	DoneAt       *time.Time        `json:"done_at,omitempty"`
	DoneBy       string            `json:"done_by,omitempty"`
	OnTime       *bool             `json:"on_time,omitempty"`
}

// FeeLine is one fee asked of the applicant.
type FeeLine struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Amount int64  `json:"amount"` // VND
}

// Payment is the financial obligation asked of the applicant.
type Payment struct {
	Lines       []FeeLine  `json:"lines"`
	Total       int64      `json:"total"`
	RequestedAt time.Time  `json:"requested_at"`
	Reference   string     `json:"reference"` // the provider's reference for the transfer
	PaidAt      *time.Time `json:"paid_at,omitempty"`
	Provider    string     `json:"provider,omitempty"`
	Receipt     string     `json:"receipt,omitempty"` // the provider's receipt number
}

// Apology is a form 04 letter: the dossier is (about to be) late and a new
// appointment is given.
type Apology struct {
	IssuedAt time.Time `json:"issued_at"`
	OldDueAt time.Time `json:"old_due_at"`
	NewDueAt time.Time `json:"new_due_at"`
	Reason   string    `json:"reason"`
	By       string    `json:"by"`
}

// Verification is the extension of the deadline for a verification: when,
// by whom, what is verified, the due date before and after.
type Verification struct {
	At       time.Time `json:"at"`
	OldDueAt time.Time `json:"old_due_at"`
	NewDueAt time.Time `json:"new_due_at"`
	Note     string    `json:"note"`
	By       string    `json:"by"`
}

// Event is one entry of the dossier's history.
type Event struct {
	At       time.Time `json:"at"`
	ActorID  int64     `json:"actor_id,omitempty"`
	Actor    string    `json:"actor"`
	AgencyID string    `json:"agency_id,omitempty"` // the agency the actor acted for
	Action   Action    `json:"action"`
	From     Status    `json:"from"`
	To       Status    `json:"to"`
	Step     int       `json:"step"` // the step acted on, -1 for none
	Note     string    `json:"note,omitempty"`
}

// Dossier is one application.
type Dossier struct {
	ID             int64            `json:"-"`
	Code           string           `json:"code"`
	ProcedureCode  string           `json:"procedure_code"`
	ProcedureName  string           `json:"procedure_name"`
	Field          string           `json:"field"`
	Level          catalog.Level    `json:"level"`
	ProcessingTime catalog.Duration `json:"processing_time"`
	// VerificationTime is the procedure's time limit when verification is
	// needed (nil: none); Verification the extension made, if any.
	VerificationTime *catalog.Duration      `json:"verification_time,omitempty"`
	Verification     *Verification          `json:"verification,omitempty"`
	SupplementRule   catalog.SupplementRule `json:"supplement_rule"`
	Status           Status                 `json:"status"`
	Channel          Channel                `json:"channel"`
	Applicant        Applicant              `json:"applicant"`
	Form             json.RawMessage        `json:"form"`
	Components       []Component            `json:"components"`
	// Databases are the national codes of the shared databases used for
	// this dossier (prefill and replaced components): DSKetNoiCSDL.
	Databases []string `json:"databases,omitempty"`
	// Delivery is how the applicant receives the result (nil: not chosen).
	Delivery *Delivery `json:"delivery,omitempty"`
	// Codes are the codes of the declaration's coded answers (ethnicity,
	// nationality, places), each with its list's ID; the declaration holds
	// their names.
	Codes []codelist.Value `json:"codes,omitempty"`

	SubmittedAt     time.Time `json:"submitted_at"`
	SubmittedBy     int64     `json:"submitted_by,omitempty"`
	ReceivingAgency string    `json:"receiving_agency"` // the counter that received it ("" until received online)
	CompetentAgency string    `json:"competent_agency"` // the agency that decides
	CommuneCode     string    `json:"commune_code,omitempty"`
	// NationalCode is the national portal's code (MaHoSo) of a dossier
	// submitted there and handed over to the province ("" otherwise): one
	// dossier per national code, so that a second delivery finds it.
	NationalCode string `json:"national_code,omitempty"`

	ReceivedAt  *time.Time        `json:"received_at,omitempty"`
	Deadline    calendar.Deadline `json:"deadline,omitzero"`
	Steps       []Step            `json:"steps"`
	Current     int               `json:"current"`     // index of the open step, -1 when none
	Resume      Status            `json:"resume"`      // the status to go back to after a supplement or a payment
	Supplements int               `json:"supplements"` // supplement requests after receipt
	Payment     *Payment          `json:"payment,omitempty"`
	// Exemption is the fee exemption the applicant claims (nil: none).
	Exemption  *ExemptionClaim `json:"exemption,omitempty"`
	Apologies  []Apology       `json:"apologies,omitempty"`
	Reason     string          `json:"reason,omitempty"` // of a refusal, a stop or a withdrawal
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
	ReturnedAt *time.Time      `json:"returned_at,omitempty"`
	Result     *Result         `json:"result,omitempty"` // the signed electronic result, issued on reaching status 9
	History    []Event         `json:"history"`
	Version    int             `json:"version"`

	// Rating is the applicant's rating, nil until rated: kept by the store
	// beside the dossier (CreateRating) and read with it, never written
	// with the dossier.
	Rating *Rating `json:"-"`
}

// Result is the signed electronic result of a dossier: a PDF in the file
// store, signed by the competent agency. ID is "{code}.{token}", the
// address of its public verification page.
type Result struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"` // the procedure's result name
	SHA256       string    `json:"sha256"`
	Size         int64     `json:"size"`
	SignedAt     time.Time `json:"signed_at"`
	SignerSerial string    `json:"signer_serial"`
	SignerName   string    `json:"signer_name"`
	AgencyID     string    `json:"agency_id"`
	// Number is the number in the agency's register series ("12",
	// "7/QĐ-UBND"); empty for results of the generic template.
	Number string `json:"number,omitempty"`
	// Holder is the person the result is about (the child of a birth
	// certificate); empty: the applicant.
	HolderName string `json:"holder_name,omitempty"`
	HolderID   string `json:"holder_id,omitempty"`
	// HolderIDIssued: HolderID was issued by the population dataset at
	// this registration (a newborn's personal ID, provisional until the
	// national population database confirms it).
	HolderIDIssued bool `json:"holder_id_issued,omitempty"`
	// Signer is the official who signed (title and name).
	Signer      string `json:"signer,omitempty"`
	SignerTitle string `json:"signer_title,omitempty"`
	// SignatureMode is how it was signed: "seal" (the agency's seal
	// certificate, SignerName its name, with Signer's name in the
	// signature) or "personal" (Signer's personal certificate, SignerName
	// the official); empty for results signed before modes existed (seal).
	SignatureMode string `json:"signature_mode,omitempty"`
}

// NameAgencies sets the name of each step's agency that has none, from
// name (an agency's name by its code, "" when unknown).
func (d *Dossier) NameAgencies(name func(id string) string) {
	for i := range d.Steps {
		if s := &d.Steps[i]; s.AgencyID != "" && s.AgencyName == "" {
			s.AgencyName = name(s.AgencyID)
		}
	}
}

// agencyLabel is how a message names the step's agency: its name, else
// "cơ quan" and its code.
func (s *Step) agencyLabel() string {
	if s.AgencyName != "" {
		return s.AgencyName
	}
	return "cơ quan " + s.AgencyID
}

// CurrentStep is the open step, nil when none.
func (d *Dossier) CurrentStep() *Step {
	if d.Current < 0 || d.Current >= len(d.Steps) {
		return nil
	}
	return &d.Steps[d.Current]
}

// DueAt is the appointment for the result, nil until the dossier is
// received.
func (d *Dossier) DueAt() *time.Time {
	if d.Deadline.Due.IsZero() {
		return nil
	}
	t := d.Deadline.Due
	return &t
}

// HandlingAgency is the agency that holds the dossier now: the open step's
// agency, else the competent one.
func (d *Dossier) HandlingAgency() string {
	if s := d.CurrentStep(); s != nil && s.AgencyID != "" {
		return s.AgencyID
	}
	return d.CompetentAgency
}

// RunningDeadline is the deadline while its clock runs: the dossier is
// still being handled (not done, nor closed), has a due time and is not
// paused for a supplement or a payment; ok is false otherwise. Overdue,
// DueSoon and the store's running deadline column all follow it.
func (d *Dossier) RunningDeadline() (due time.Time, ok bool) {
	if d.Status.Closed() || d.Status == StatusDone || d.Deadline.Due.IsZero() || d.Deadline.Paused() {
		return time.Time{}, false
	}
	return d.Deadline.Due, true
}

// Overdue reports whether the dossier is being handled past its deadline
// (a paused clock is never overdue).
func (d *Dossier) Overdue(now time.Time) bool {
	due, ok := d.RunningDeadline()
	return ok && now.After(due)
}

// DueSoon reports whether the running deadline falls within the next
// `within` of working time.
func (d *Dossier) DueSoon(cal *calendar.Calendar, now time.Time, within time.Duration) bool {
	due, ok := d.RunningDeadline()
	if !ok || now.After(due) {
		return false
	}
	return cal.WorkingTimeBetween(now, due) <= within
}

// Appointment is the first appointment given for the result: the due
// before any apology moved it.
func (d *Dossier) Appointment() time.Time {
	if len(d.Apologies) > 0 {
		return d.Apologies[0].OldDueAt
	}
	return d.Deadline.Due
}

// Late reports whether the dossier was finished after its first
// appointment (an apology gives a new date but does not make it on time).
func (d *Dossier) Late() bool {
	due := d.Appointment()
	return d.FinishedAt != nil && !due.IsZero() && d.FinishedAt.After(due)
}

// Tally is what a dossier counts for in the statistics: one rule for the
// counts the store keeps and any count made from dossiers in Go.
type Tally struct {
	// Commune is the competent commune, else the applicant's.
	Commune string
	// Finished is when the handling ended: FinishedAt once done; the last
	// event when refused, withdrawn or stopped; nil while open.
	Finished *time.Time
	// Late reports whether it was finished after its first appointment
	// (see Late); nil when it has no FinishedAt or had no appointment.
	Late *bool
}

// Tally returns what the dossier counts for in the statistics.
func (d *Dossier) Tally() Tally {
	t := Tally{Commune: d.CommuneCode}
	if t.Commune == "" {
		t.Commune = d.Applicant.CommuneCode
	}
	switch {
	case d.FinishedAt != nil:
		f := *d.FinishedAt
		t.Finished = &f
		if !d.Appointment().IsZero() {
			late := d.Late()
			t.Late = &late
		}
	case d.Status == StatusRefused || d.Status == StatusWithdrawn || d.Status == StatusStopped:
		f := d.SubmittedAt
		if n := len(d.History); n > 0 {
			f = d.History[n-1].At
		}
		t.Finished = &f
	}
	return t
}

// Rating is the applicant's rating of how the dossier was handled, given
// once the result is returned.
type Rating struct {
	DossierCode string    `json:"dossier_code"`
	AccountID   int64     `json:"account_id"`
	Stars       int       `json:"stars"`
	Comment     string    `json:"comment,omitempty"`
	At          time.Time `json:"at"`
}
