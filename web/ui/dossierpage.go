package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/web/api"
)

// dossierPageData is what the dossier page shows.
type dossierPageData struct {
	page
	// Notices are what the applicant was told of the dossier (notifications.go).
	Notices []noticeLine
	D       api.DossierOut
	Actions []actionButton
	Forms   []formLink
	Error   string
	// Reload links the fresh dossier page next to the error: a conflict
	// (a stale form above all) means the page showed another state.
	Reload  bool
	CanRate bool
	Stars   []int
	// FormData is the declaration as a definition list, labelled with the
	// titles of the procedure's JSON Schema.
	FormData []catalog.Answer
	Files    []fileLink
	// Databases are the national codes of the shared databases used.
	Databases []string
	// Supplement is the form handing in the documents asked for, when the
	// viewer may supplement (the applicant, a counter).
	Supplement *supplementForm
	Withdraw   bool // the viewer may withdraw (reason + confirmation)
	HasForm01  bool
	// Assign offers the choice of the current step's official, Assignees
	// being the officials who hold the step's role at its agency.
	Assign    bool
	Assignees []dossiers.Assignee
	// BackSteps are the handling steps before the current one (send back).
	BackSteps []backStep
	// Apologize offers the apology with a new appointment (form 04);
	// ApologyDue opens it, the dossier being overdue or due soon.
	Apologize, ApologyDue bool
	// Result links the signed electronic result, once issued.
	Result *dossier.Result
	// Draft: the viewer appraises or signs the current step (the
	// specialist's or the leader's): the page links the draft of the
	// result to review first (a result drawn from the datasets shows there
	// what they lack before anyone signs).
	Draft bool
	// DraftPersonal: the competent agency signs results with the signer's
	// personal certificate (unit.SignPersonal), the viewer's once the step
	// is completed; otherwise with its seal and the viewer's name.
	DraftPersonal bool
	// WriteBack lists what the result could not write to the shared
	// datasets, for the agency's officials to fix and retry.
	WriteBack []registry.QuarantinedRecord
	// NationalSync is the dossier's sync with the national portal, for
	// the officials who may read it ("" otherwise).
	NationalSync string
	// Payment is the fee asked, with its VietQR code (payment.go).
	Payment *paymentView
	// Exemption is the fee exemption claimed (exemption.go).
	Exemption *exemptionView
}

// backStep is a step a dossier may be sent back to.
type backStep struct {
	Index int
	Name  string
}

// fileLink is a component's file, viewable in the browser.
type fileLink struct {
	Code, Name, URL, Type, Size string
	// Data is the shared-database record that replaced the paper;
	// Reused and FromStore mark what the applicant did not hand in anew.
	Data              *dossier.DataRef
	Reused, FromStore bool
}

// supplementForm lists the procedure's components to hand in again.
type supplementForm struct {
	Requested  string // the note of the request to supplement
	Components []catalog.Component
}

// answerKeys are the keys of the yes and no of boolean answers, which
// catalog.Answers writes in Vietnamese.
var answerKeys = map[string]string{"Có": "common.yes", "Không": "common.no"}

// translateAnswers puts the yes/no of boolean answers into the visitor's
// language.
func translateAnswers(as []catalog.Answer, lang string) {
	for i := range as {
		if key, ok := answerKeys[as[i].Value]; ok {
			as[i].Value = translate(lang, key)
		}
		translateAnswers(as[i].Children, lang)
	}
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

// ownControl are the actions offered by a form of their own rather than a
// button of the actions form: they need a confirmation, files or a choice.
var ownControl = map[dossier.Action]bool{
	dossier.ActWithdraw: true, dossier.ActSupplement: true, dossier.ActAssign: true, dossier.ActApologize: true,
}

// dossierPageExtras adds the declaration, the files, and the forms of the
// allowed actions that have their own (supplement, withdrawal, assignment,
// apology) to the dossier page.
func (s *Server) dossierPageExtras(r *http.Request, acc *identity.Account, d *dossier.Dossier, data *dossierPageData, allowed []dossier.Action) {
	for _, f := range data.Forms {
		if f.Number == "01" {
			data.HasForm01 = true
		}
	}
	data.Result = d.Result
	if st := d.CurrentStep(); st != nil && d.Result == nil && (st.Role == identity.RoleLeader || st.Role == identity.RoleSpecialist) && acc.HasRole(st.Role, st.AgencyID) {
		data.Draft = true
		if ag, err := s.app.Province.Agency(r.Context(), d.CompetentAgency); err == nil {
			data.DraftPersonal = ag.Signature() == unit.SignPersonal
		}
	}
	if wb, err := s.app.Results.WriteBackIssues(r.Context(), pageActor(r, acc), d); err == nil {
		data.WriteBack = wb
	} else {
		s.log.Warn("dossier page: write-back issues", "code", d.Code, "error", err)
	}
	for _, c := range d.Components {
		f := fileLink{Code: c.Code, Name: c.Name, Data: c.Data, Reused: c.Reused, FromStore: c.FromStore}
		if c.FileID != "" {
			f.URL, f.Type, f.Size = "/ho-so/"+url.PathEscape(d.Code)+"/tep/"+url.PathEscape(c.FileID),
				strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(c.ContentType, "application/"), "image/")), sizeText(c.Size)
		}
		data.Files = append(data.Files, f)
	}
	data.Databases = d.Databases
	s.nationalSyncLine(r, acc, d, data)
	s.paymentSection(r, acc, d, data)
	s.exemptionSection(r, acc, d, data)
	s.noticeLines(r, acc, d, data)
	data.Withdraw = slices.Contains(allowed, dossier.ActWithdraw)
	s.stepControls(r, acc, d, data, allowed)
	p, err := s.app.Province.Procedure(r.Context(), d.ProcedureCode)
	if err != nil {
		s.log.Warn("dossier page: procedure", "code", d.ProcedureCode, "error", err)
		return
	}
	data.FormData = catalog.Answers(p.FormSchema, d.Form)
	translateAnswers(data.FormData, data.Lang)
	if slices.Contains(allowed, dossier.ActSupplement) {
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
		fe = append(fe, errs.FieldError{Field: "note", Key: "required", Message: translate(lang(r), "dossier.withdraw_reason_required")})
	}
	if r.PostFormValue("xac-nhan") != "1" {
		fe = append(fe, errs.FieldError{Field: "xac-nhan", Key: "required", Message: translate(lang(r), "dossier.withdraw_confirm_required")})
	}
	if len(fe) > 0 {
		return errs.InvalidFields("dossier.withdraw_unconfirmed", translate(lang(r), "dossier.withdraw_failed"), "withdrawal not confirmed", fe)
	}
	return nil
}

// stepControls fills the parts of the allowed actions that need a choice:
// the assignee (officials of the step's role and agency), the step to send
// back to, and the apology's new appointment.
func (s *Server) stepControls(r *http.Request, acc *identity.Account, d *dossier.Dossier, data *dossierPageData, allowed []dossier.Action) {
	if slices.Contains(allowed, dossier.ActAssign) {
		data.Assign = true
		if as, err := s.app.Dossiers.Assignees(r.Context(), pageActor(r, acc), d.Code); err == nil {
			data.Assignees = as
		} else {
			s.log.Warn("dossier page: assignees", "code", d.Code, "error", err)
		}
	}
	if slices.Contains(allowed, dossier.ActSendBack) {
		for i := 1; i < d.Current && i < len(d.Steps); i++ {
			data.BackSteps = append(data.BackSteps, backStep{Index: i, Name: d.Steps[i].Name})
		}
	}
	data.Apologize = slices.Contains(allowed, dossier.ActApologize)
	data.ApologyDue = data.Apologize && (data.D.Overdue || data.D.DueSoon)
}

// stepInput reads the choices of the dossier page's action form: the step
// to send back to, the assignee and the apology's new appointment (a
// datetime-local in Vietnam's time).
func stepInput(r *http.Request, in *dossier.Request) error {
	if v := r.PostFormValue("to_step"); v != "" && in.Action == dossier.ActSendBack {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errs.InvalidFields("dossier.to_step", translate(lang(r), "dossier.send_back_invalid"), "bad to_step",
				[]errs.FieldError{{Field: "to_step", Key: "number", Message: translate(lang(r), "dossier.send_back_invalid")}})
		}
		in.ToStep = &n
	}
	if v := r.PostFormValue("assignee_id"); v != "" && in.Action == dossier.ActAssign {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errs.InvalidFields("dossier.assignee", translate(lang(r), "dossier.assignee_invalid"), "bad assignee_id",
				[]errs.FieldError{{Field: "assignee_id", Key: "number", Message: translate(lang(r), "dossier.assignee_invalid")}})
		}
		in.AssigneeID = n
	}
	if v := r.PostFormValue("new_due_at"); v != "" && in.Action == dossier.ActApologize {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, calendar.VN)
		if err != nil {
			return errs.InvalidFields("dossier.new_due_at", translate(lang(r), "dossier.apology_due_invalid"), "bad new_due_at",
				[]errs.FieldError{{Field: "new_due_at", Key: "format", Message: translate(lang(r), "dossier.apology_due_format")}})
		}
		in.NewDueAt = t
	}
	return nil
}

// nationalSyncLine sets the dossier's sync with the national portal, as
// its officials see it.
func (s *Server) nationalSyncLine(r *http.Request, acc *identity.Account, d *dossier.Dossier, data *dossierPageData) {
	st, ok, err := s.app.PortalSync.DossierState(r.Context(), pageActor(r, acc), d)
	switch {
	case err != nil:
		s.log.Warn("dossier page: national sync", "code", d.Code, "error", err)
	case !ok:
	case st.State == store.PortalSynced:
		data.NationalSync = data.Tf("dossier.national_sync.synced", admDatetime(st.SyncedAt))
	case st.State == store.PortalFailed:
		data.NationalSync = data.Tf("dossier.national_sync.failed", st.LastError, admDatetime(st.NextAt))
	default:
		data.NationalSync = data.T("dossier.national_sync.pending")
	}
}
