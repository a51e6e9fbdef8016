package dossier

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
)

// Code is the dossier code of Circular 03/2025:
// <agency electronic ID>-<yyMMdd>-<5-digit daily sequence>, the date in
// Vietnam's time.
func Code(agencyID string, day time.Time, seq int) string {
	return fmt.Sprintf("%s-%s-%05d", agencyID, day.In(calendar.VN).Format("060102"), seq)
}

// SequenceDay is the day a sequence counts in: the date in Vietnam.
func SequenceDay(t time.Time) string { return t.In(calendar.VN).Format("2006-01-02") }

// CheckComponents returns one FieldError per problem with the components
// handed in (their file stored, or their data reference resolved): an
// unknown or repeated component code, a required component missing (a
// declaration the electronic form stands for is never missing:
// catalog.Procedure.FilledByForm).
func CheckComponents(p *catalog.Procedure, ups []Component) []errs.FieldError {
	var fe []errs.FieldError
	known := map[string]catalog.Component{}
	for _, c := range p.Components {
		known[c.Code] = c
	}
	seen := map[string]bool{}
	for i, u := range ups {
		field := fmt.Sprintf("components[%d].code", i)
		switch {
		case strings.TrimSpace(u.Code) == "":
			fe = append(fe, errs.FieldError{Field: field, Key: "required", Message: "Thiếu mã thành phần hồ sơ."})
		case known[u.Code].Code == "":
			fe = append(fe, errs.FieldError{Field: field, Key: "unknown", Message: fmt.Sprintf("Thủ tục không có thành phần hồ sơ mã %q.", u.Code)})
		case seen[u.Code]:
			fe = append(fe, errs.FieldError{Field: field, Key: "duplicate", Message: fmt.Sprintf("Thành phần hồ sơ %q được nộp hai lần.", u.Code)})
		}
		seen[u.Code] = true
		switch c := known[u.Code]; {
		case u.Data != nil && (c.ReplaceableBy == nil || c.ReplaceableBy.Dataset != u.Data.Dataset):
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("components[%d].data", i), Key: "not_replaceable",
				Message: fmt.Sprintf("Thành phần hồ sơ %q không được thay thế bằng dữ liệu này.", u.Code)})
		case u.Data == nil && strings.TrimSpace(u.FileID) == "":
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("components[%d].file_id", i), Key: "required", Message: "Thiếu tệp đính kèm."})
		}
	}
	for _, c := range p.Components {
		if c.Required && !seen[c.Code] && !p.FilledByForm(c) {
			fe = append(fe, errs.FieldError{Field: "components", Key: "missing", Message: fmt.Sprintf("Thiếu thành phần hồ sơ bắt buộc: %s (mã %s).", c.Name, c.Code)})
		}
	}
	return fe
}

// New is the dossier of an application just submitted: status 1, the
// workflow's steps with their agencies resolved (steps[i] is the agency of
// the template's step i; the receiving step's agency is the counter, or ""
// for any counter of the province), the receiving step open.
func New(p *catalog.Procedure, app Applicant, form json.RawMessage, ups []Component, ch Channel, counter, competent string, stepAgencies []string, now time.Time) (*Dossier, error) {
	if len(stepAgencies) != len(p.Workflow.Steps) || len(p.Workflow.Steps) < 2 {
		return nil, fmt.Errorf("new dossier for %s: %d step agencies for %d steps", p.Code, len(stepAgencies), len(p.Workflow.Steps))
	}
	names := map[string]catalog.Component{}
	for _, c := range p.Components {
		names[c.Code] = c
	}
	comps := make([]Component, len(ups))
	for i, u := range ups {
		c := names[u.Code]
		comps[i] = u
		comps[i].Name, comps[i].Original = c.Name, c.Form == catalog.FormOriginal
		comps[i].Reused, comps[i].FromStore = u.Data != nil || u.DocumentID != "", u.DocumentID != ""
	}
	var dbs []string
	for _, u := range ups {
		if u.Data != nil && !slices.Contains(dbs, u.Data.NationalCode) {
			dbs = append(dbs, u.Data.NationalCode)
		}
	}
	steps := make([]Step, len(p.Workflow.Steps))
	for i, s := range p.Workflow.Steps {
		steps[i] = Step{Name: s.Name, Role: s.Role, AgencyID: stepAgencies[i], Share: s.Share}
	}
	t := now
	steps[0].StartedAt = &t
	d := &Dossier{
		ProcedureCode: p.Code, ProcedureName: p.Name, Field: p.Field, Level: p.Level,
		ProcessingTime: p.ProcessingTime, VerificationTime: p.VerificationTime, SupplementRule: p.SupplementRule,
		Status: StatusNew, Channel: ch, Applicant: app, Form: form, Components: comps,
		SubmittedAt: now, ReceivingAgency: counter, CompetentAgency: competent, CommuneCode: app.CommuneCode,
		Steps: steps, Current: 0, Version: 1, Databases: dbs,
	}
	d.History = []Event{{At: now, ActorID: app.AccountID, Actor: app.Name, Action: ActSubmit, From: 0, To: StatusNew, Step: -1}}
	return d, nil
}
