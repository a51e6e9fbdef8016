package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/unit"
)

var (
	admVN         = calendar.VN
	admCatalogAll = catalog.Query{Limit: 1}
	admAgencyAll  = unit.AgencyFilter{}
)

// admMaxRows bounds the rows of each table of the procedure form.
const admMaxRows = 200

// admBlankRows is how many empty rows each table offers for adding.
const admBlankRows = 2

// admOption is a choice of a select or a group of check boxes; its Label
// is a key of the catalogue where the template translates it, else a name.
type admOption struct{ Value, Label string }

var (
	admLevels      = []admOption{{"commune", "level.commune"}, {"province", "level.province"}}
	admOnline      = []admOption{{"full", "online.full"}, {"partial", "online.partial"}, {"none", "online.none"}}
	admSupplement  = []admOption{{"restart", "supplement_rule.restart"}, {"pause", "supplement_rule.pause"}}
	admForms       = []admOption{{"either", "component_form.either"}, {"original", "component_form.original"}, {"copy", "component_form.copy"}}
	admApplicants  = admCodes("applicant_type", "citizen", "enterprise", "agency", "organisation")
	admProvisional = admCodes("procedure_field", "code", "name", "field", "processing_time", "verification_time", "fees", "legal_basis", "components", "workflow", "online_level", "agency_kind")
)

// admCodes are the options of codes labelled by the keys prefix.code.
func admCodes(prefix string, codes ...string) []admOption {
	out := make([]admOption, len(codes))
	for i, c := range codes {
		out[i] = admOption{c, prefix + "." + c}
	}
	return out
}

func admStepRoles() []admOption {
	out := make([]admOption, len(catalog.StepRoles))
	for i, r := range catalog.StepRoles {
		out[i] = admOption{string(r), roleKey(r)}
	}
	return out
}

// admProcForm is the procedure form as typed: every value a string, so that
// what the administrator typed comes back unchanged with the errors.
type admProcForm struct {
	New                                                       bool
	Code, Name, Field, Level, AgencyKind, Days, Hours         string
	VerificationDays, VerificationHours                       string
	TimeNote, SupplementRule, OnlineLevel, ResultName         string
	ResultTemplate, LegalBasis, Bundle, FormSchema, Version   string
	Applicants, Provisional                                   []string
	Fees                                                      []admFeeRow
	Components                                                []admCompRow
	Steps                                                     []admStepRow
	Levels, Online, Supplement, Forms, Roles, Applicant, Prov []admOption
}

type admFeeRow struct{ Code, Name, Amount, Note, Money string }

type admCompRow struct {
	Code, Name, Form, Quantity, Template, Dataset, DataField string
	Required                                                 bool
}

type admStepRow struct{ Name, Role, Agency, Share string }

func (f *admProcForm) options() {
	f.Levels, f.Online, f.Supplement, f.Forms, f.Roles, f.Applicant, f.Prov = admLevels, admOnline, admSupplement, admForms, admStepRoles(), admApplicants, admProvisional
	for range admBlankRows {
		f.Fees = append(f.Fees, admFeeRow{})
		f.Components = append(f.Components, admCompRow{Form: string(catalog.FormEither)})
		f.Steps = append(f.Steps, admStepRow{})
	}
}

// Has reports whether a check box of a group is checked.
func (f admProcForm) Has(list []string, v string) bool { return slices.Contains(list, v) }

func admItoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func admFormOf(p *catalog.Procedure) admProcForm {
	f := admProcForm{
		Code: p.Code, Name: p.Name, Field: p.Field, Level: string(p.Level), AgencyKind: p.AgencyKind,
		Days: admItoa(p.ProcessingTime.Days), Hours: admItoa(p.ProcessingTime.Hours), TimeNote: p.TimeNote,
		SupplementRule: string(p.SupplementRule), OnlineLevel: string(p.OnlineLevel),
		ResultName: p.Result.Name, ResultTemplate: p.Result.Template,
		LegalBasis: strings.Join(p.LegalBasis, "\n"), Bundle: strings.Join(p.Bundle, ", "),
		Applicants: p.Applicants, Provisional: p.Provisional,
	}
	if vt := p.VerificationTime; vt != nil {
		f.VerificationDays, f.VerificationHours = admItoa(vt.Days), admItoa(vt.Hours)
	}
	if !p.UpdatedAt.IsZero() {
		f.Version = p.UpdatedAt.Format(time.RFC3339Nano)
	}
	if len(p.FormSchema) > 0 {
		var b bytes.Buffer
		if json.Indent(&b, p.FormSchema, "", "  ") == nil {
			f.FormSchema = b.String()
		} else {
			f.FormSchema = string(p.FormSchema)
		}
	}
	for _, x := range p.Fees {
		f.Fees = append(f.Fees, admFeeRow{Code: x.Code, Name: x.Name, Amount: strconv.FormatInt(x.Amount, 10), Note: x.Note, Money: payment.FormatVND(x.Amount)})
	}
	for _, c := range p.Components {
		row := admCompRow{Code: c.Code, Name: c.Name, Form: string(c.Form), Quantity: admItoa(c.Quantity), Template: c.Template, Required: c.Required}
		if c.ReplaceableBy != nil {
			row.Dataset, row.DataField = c.ReplaceableBy.Dataset, c.ReplaceableBy.Field
		}
		f.Components = append(f.Components, row)
	}
	for _, s := range p.Workflow.Steps {
		f.Steps = append(f.Steps, admStepRow{Name: s.Name, Role: string(s.Role), Agency: s.Agency, Share: strconv.Itoa(s.Share)})
	}
	return f
}

// rows calls row for each row i of a table whose fields are named
// prefix.i.name, until a row is missing.
func admRows(form url.Values, prefix string, row func(get func(string) string, i int)) {
	for i := range admMaxRows {
		p := fmt.Sprintf("%s.%d.", prefix, i)
		present := false
		for k := range form {
			if strings.HasPrefix(k, p) {
				present = true
				break
			}
		}
		if !present {
			return
		}
		row(func(name string) string { return strings.TrimSpace(form.Get(p + name)) }, i)
	}
}

// admSplit splits a list typed one per line, or separated by commas.
func admSplit(s string, sep func(rune) bool) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, sep) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// admAmount reads an amount in đồng: "50000", "50.000", "50 000 đ".
func admAmount(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "đ"))
	s = strings.NewReplacer(".", "", " ", "", ",", "", "\u00a0", "").Replace(s)
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil && v >= 0 && v <= 1e13
}

// admCount reads a non-negative whole number ("" is 0).
func admCount(s string, max int) (int, bool) {
	if s == "" {
		return 0, true
	}
	v, err := strconv.Atoi(s)
	return v, err == nil && v >= 0 && v <= max
}

// admParseProcedure reads the posted form: the procedure, the form as
// typed (removed and empty rows dropped, so that the use case's row
// numbers match the rows shown again) and the problems found in reading
// it (numbers that are not numbers).
func admParseProcedure(r *http.Request, code string, create bool) (catalog.Procedure, admProcForm, []errs.FieldError) {
	form := r.PostForm
	get := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	f := admProcForm{
		New: create, Code: code, Name: get("name"), Field: get("field"), Level: get("level"), AgencyKind: get("agency_kind"),
		Days: get("days"), Hours: get("hours"), VerificationDays: get("verification_days"), VerificationHours: get("verification_hours"),
		TimeNote: get("time_note"), SupplementRule: get("supplement_rule"),
		OnlineLevel: get("online_level"), ResultName: get("result_name"), ResultTemplate: get("result_template"),
		LegalBasis: form.Get("legal_basis"), Bundle: get("bundle"), FormSchema: form.Get("form_schema"), Version: get("version"),
		Applicants: form["applicants"], Provisional: form["provisional"],
	}
	if create {
		f.Code = get("code")
	}
	var fe []errs.FieldError
	bad := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Key: "invalid", Message: msg}) }
	p := catalog.Procedure{
		Code: f.Code, Name: f.Name, Field: f.Field, Level: catalog.Level(f.Level), AgencyKind: f.AgencyKind,
		TimeNote: f.TimeNote, SupplementRule: catalog.SupplementRule(f.SupplementRule), OnlineLevel: catalog.OnlineLevel(f.OnlineLevel),
		Result: catalog.Result{Name: f.ResultName, Template: f.ResultTemplate},
		Fees:   []catalog.Fee{}, Components: []catalog.Component{},
		LegalBasis:  admSplit(f.LegalBasis, func(r rune) bool { return r == '\n' || r == '\r' }),
		Bundle:      admSplit(f.Bundle, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' }),
		Applicants:  f.Applicants,
		Provisional: f.Provisional,
	}
	var ok bool
	if p.ProcessingTime.Days, ok = admCount(f.Days, 100000); !ok {
		bad("processing_time", "Số ngày làm việc phải là số nguyên không âm.")
	}
	if p.ProcessingTime.Hours, ok = admCount(f.Hours, 100000); !ok {
		bad("processing_time", "Số giờ làm việc phải là số nguyên không âm.")
	}
	if f.VerificationDays != "" || f.VerificationHours != "" {
		var vt catalog.Duration
		if vt.Days, ok = admCount(f.VerificationDays, 100000); !ok {
			bad("verification_time", "Số ngày làm việc phải là số nguyên không âm.")
		}
		if vt.Hours, ok = admCount(f.VerificationHours, 100000); !ok {
			bad("verification_time", "Số giờ làm việc phải là số nguyên không âm.")
		}
		p.VerificationTime = &vt
	}
	admRows(form, "fees", func(get func(string) string, _ int) {
		row := admFeeRow{Code: get("code"), Name: get("name"), Amount: get("amount"), Note: get("note")}
		if get("remove") != "" || row == (admFeeRow{}) {
			return
		}
		i := len(f.Fees)
		amount, ok := admAmount(row.Amount)
		if !ok {
			bad(fmt.Sprintf("fees[%d].amount", i), "Mức phí phải là số đồng không âm (ví dụ: 50000 hoặc 50.000).")
		} else {
			row.Money = payment.FormatVND(amount)
		}
		f.Fees = append(f.Fees, row)
		p.Fees = append(p.Fees, catalog.Fee{Code: row.Code, Name: row.Name, Amount: amount, Note: row.Note})
	})
	admRows(form, "components", func(get func(string) string, _ int) {
		row := admCompRow{Code: get("code"), Name: get("name"), Form: get("form"), Quantity: get("quantity"), Template: get("template"),
			Dataset: get("dataset"), DataField: get("data_field"), Required: get("required") != ""}
		if get("remove") != "" || (row.Code == "" && row.Name == "" && row.Quantity == "" && row.Template == "" && row.Dataset == "" && row.DataField == "") {
			return
		}
		i := len(f.Components)
		q, ok := admCount(row.Quantity, 1000)
		if !ok {
			bad(fmt.Sprintf("components[%d].quantity", i), "Số lượng phải là số nguyên từ 0 đến 1000.")
		}
		c := catalog.Component{Code: row.Code, Name: row.Name, Required: row.Required, Form: catalog.ComponentForm(row.Form), Quantity: q, Template: row.Template}
		if row.Dataset != "" || row.DataField != "" {
			c.ReplaceableBy = &catalog.DataRef{Dataset: row.Dataset, Field: row.DataField}
		}
		f.Components = append(f.Components, row)
		p.Components = append(p.Components, c)
	})
	admRows(form, "steps", func(get func(string) string, _ int) {
		row := admStepRow{Name: get("name"), Role: get("role"), Agency: get("agency"), Share: get("share")}
		if get("remove") != "" || (row.Name == "" && row.Agency == "" && row.Share == "") {
			return
		}
		i := len(f.Steps)
		share, err := strconv.Atoi(row.Share)
		if err != nil {
			bad(fmt.Sprintf("workflow.steps[%d].share", i), "Tỷ lệ thời gian phải là số nguyên từ 0 đến 100.")
		}
		f.Steps = append(f.Steps, admStepRow(row))
		p.Workflow.Steps = append(p.Workflow.Steps, catalog.Step{Name: row.Name, Role: identity.Role(row.Role), Agency: row.Agency, Share: share})
	})
	if strings.TrimSpace(f.FormSchema) != "" {
		p.FormSchema = json.RawMessage(f.FormSchema)
	}
	return p, f, fe
}

type admProcedureData struct {
	adminPage
	Form admProcForm
	// Saved is when the version shown was saved.
	Saved string
	// FromDraft: the form starts from a draft of the national catalogue.
	FromDraft bool
}

func (s *Server) adminProcedures(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	s.adminShowProcedures(w, r, adminPage{page: s.base(w, r, "admin.section.procedures")}, http.StatusOK)
}

type admProceduresData struct {
	adminPage
	Query, Field, Level string
	Items               []catalog.Summary
	Total               int
	Levels              []admOption
	Imported            int
}

func (s *Server) adminShowProcedures(w http.ResponseWriter, r *http.Request, p adminPage, status int) {
	q := catalog.Query{Text: r.URL.Query().Get("q"), Field: r.URL.Query().Get("linh-vuc"), Level: catalog.Level(r.URL.Query().Get("cap")), Limit: 1000}
	if q.Level != catalog.LevelCommune && q.Level != catalog.LevelProvince {
		q.Level = ""
	}
	data := admProceduresData{adminPage: p, Query: q.Text, Field: q.Field, Level: string(q.Level), Levels: admLevels}
	items, total, err := s.app.Province.SearchProcedures(r.Context(), q)
	if err != nil {
		status = s.adminFail(r, &data.adminPage, err)
	}
	data.Items, data.Total = items, total
	s.render(w, status, "admin_procedures", data)
}

func (s *Server) adminNewProcedure(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	if code := r.URL.Query().Get("ban-nhap"); code != "" {
		// A draft of the national catalogue, to complete and publish.
		d, err := s.app.NationalCatalog.Draft(r.Context(), ac, code)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		f := admFormOf(&d)
		f.New, f.Version = true, ""
		f.options()
		s.render(w, http.StatusOK, "admin_procedure", admProcedureData{adminPage: adminPage{page: s.base(w, r, "admin.procedure.add")}, Form: f, FromDraft: true})
		return
	}
	f := admProcForm{New: true, Level: string(catalog.LevelCommune), AgencyKind: "commune_committee", OnlineLevel: string(catalog.OnlinePartial),
		SupplementRule: string(catalog.SupplementRestart), Applicants: []string{"citizen"},
		FormSchema: "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"ho_ten\": {\"type\": \"string\", \"title\": \"Họ và tên\"}\n  },\n  \"required\": [\"ho_ten\"]\n}"}
	f.options()
	s.render(w, http.StatusOK, "admin_procedure", admProcedureData{adminPage: adminPage{page: s.base(w, r, "admin.procedure.add")}, Form: f})
}

func (s *Server) adminProcedure(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	p, err := s.app.Province.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := admProcedureData{adminPage: adminPage{page: s.base(w, r, "admin.procedure.edit")}, Form: admFormOf(&p), Saved: admDatetime(p.UpdatedAt)}
	if r.URL.Query().Get("da-luu") != "" {
		data.Notice = data.T("admin.procedure.saved")
	}
	data.Form.options()
	s.render(w, http.StatusOK, "admin_procedure", data)
}

// admDatetime formats an instant as Vietnamese pages do: 15:04 02/01/2006.
func admDatetime(t time.Time) string { return vnFormat(t, layoutDatetime) }

// adminSaveProcedure saves the procedure form (new or edited); "more rows"
// shows the form again with more empty rows, saving nothing.
func (s *Server) adminSaveProcedure(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminFormLimit)
	if !ok {
		return
	}
	create := r.PathValue("code") == ""
	title := "admin.procedure.edit"
	if create {
		title = "admin.procedure.add"
	}
	p, f, fe := admParseProcedure(r, r.PathValue("code"), create)
	data := admProcedureData{adminPage: adminPage{page: s.base(w, r, title)}, Form: f}
	status := http.StatusOK
	switch {
	case r.PostFormValue("more") != "":
		for range 3 {
			data.Form.Fees = append(data.Form.Fees, admFeeRow{})
			data.Form.Components = append(data.Form.Components, admCompRow{Form: string(catalog.FormEither)})
			data.Form.Steps = append(data.Form.Steps, admStepRow{})
		}
	case len(fe) > 0:
		// Show every problem at once: those of reading the form and
		// those the catalogue's rules find (a pure check, nothing saved).
		cp := p
		if err := catalog.Validate(&cp); err != nil {
			if e, ok := errs.As(err); ok {
				fe = append(fe, e.Fields...)
			}
		}
		data.Error = data.Tf("admin.procedure.invalid", p.Code)
		data.addFields(fe)
		status = http.StatusUnprocessableEntity
	default:
		var version time.Time
		if !create && f.Version != "" {
			v, err := time.Parse(time.RFC3339Nano, f.Version)
			if err != nil {
				s.adminRefuse(w, r, "admin.procedure.form_invalid")
				return
			}
			version = v
		}
		saved, err := s.app.Province.SaveProcedure(r.Context(), ac, p, create, version)
		if err == nil {
			http.Redirect(w, r, "/quan-tri/thu-tuc/"+url.PathEscape(saved.Code)+"?da-luu=1", http.StatusSeeOther)
			return
		}
		status = s.adminFail(r, &data.adminPage, err)
	}
	data.Form.options()
	s.render(w, status, "admin_procedure", data)
}

// adminExport downloads the whole catalogue in the import format.
func (s *Server) adminExport(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	ps, err := s.app.Province.ExportCatalog(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	if ps == nil {
		ps = []catalog.Procedure{}
	}
	var b bytes.Buffer
	if err := catalog.Write(&b, ps); err != nil {
		s.errorPage(w, r, fmt.Errorf("export catalogue: %w", err))
		return
	}
	name := "danh-muc-thu-tuc-" + vnFormat(s.app.Kernel.Now(), "20060102") + ".json"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

// adminImport imports an uploaded catalogue file: all or nothing, every
// problem listed.
func (s *Server) adminImport(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminImportLimit)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.section.procedures")}
	status := http.StatusOK
	file, _, err := r.FormFile("file")
	if err != nil {
		p.Error = p.T("admin.procedure.import_no_file")
		s.adminShowProcedures(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	defer file.Close()
	ps, err := catalog.Parse(io.LimitReader(file, adminImportLimit))
	if err == nil {
		var n int
		n, err = s.app.Province.ImportCatalog(r.Context(), ac, ps)
		if err == nil {
			p.Notice = p.Tf("admin.procedure.imported", n)
		}
	}
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			err = errs.Wrap(errs.Invalid, "catalog.too_large", "Tệp danh mục quá lớn (tối đa 64 MB).", "catalogue file too large", err)
		}
		status = s.adminFail(r, &p, err)
		p.Error = p.T("admin.procedure.import_failed") + " " + p.Error
	}
	s.adminShowProcedures(w, r, p, status)
}
