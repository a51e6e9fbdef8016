package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/wallet"
	"github.com/motcua/motcua/web/respond"
)

// formField is one input of the submission form, built from the
// procedure's JSON Schema.
type formField struct {
	Name        string // dotted path, e.g. "tre_em.ngay_sinh"
	Label       string
	Type        string
	Format      string
	Description string
	Enum        []string
	Required    bool // required by the schema when its parent is given
	Mandatory   bool // must be filled in the browser: required all the way up
	Children    []formField
	Value       string
	Error       string
	Prefill     string // the schema's "x-prefill", e.g. "population.full_name"
	Lang        string // the page's language, for T
}

// T is the text of key in the page's language, for the field template.
func (f formField) T(key string) string { return translate(f.Lang, key) }

// InputType is the HTML input type of a leaf field.
func (f formField) InputType() string {
	switch {
	case f.Format == "date":
		return "date"
	case f.Format == "email":
		return "email"
	case f.Type == "integer" || f.Type == "number":
		return "number"
	}
	return "text"
}

// schemaFields turns an object schema into fields, required first, then
// by name (catalog.Properties).
func schemaFields(schema map[string]any, prefix string) []formField {
	return schemaFieldsUnder(schema, prefix, true)
}

func schemaFieldsUnder(schema map[string]any, prefix string, mandatory bool) []formField {
	props, names, req := catalog.Properties(schema)
	var out []formField
	for _, n := range names {
		p, _ := props[n].(map[string]any)
		f := formField{Name: prefix + n, Required: req[n], Mandatory: req[n] && mandatory}
		f.Type, _ = p["type"].(string)
		f.Format, _ = p["format"].(string)
		f.Label, _ = p["title"].(string)
		f.Description, _ = p["description"].(string)
		f.Prefill, _ = p["x-prefill"].(string)
		if f.Label == "" {
			f.Label = n
		}
		if e, ok := p["enum"].([]any); ok {
			for _, v := range e {
				if s, ok := v.(string); ok {
					f.Enum = append(f.Enum, s)
				}
			}
		}
		if f.Type == "object" {
			f.Children = schemaFieldsUnder(p, f.Name+".", f.Mandatory)
		}
		out = append(out, f)
	}
	return out
}

// formValues reads the posted fields into the declaration's JSON value;
// a value that does not convert is kept as text for the schema to reject
// with its message.
func formValues(fields []formField, r *http.Request) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		key := f.Name[strings.LastIndex(f.Name, ".")+1:]
		if f.Type == "object" {
			sub := formValues(f.Children, r)
			if len(sub) > 0 || f.Required {
				out[key] = sub
			}
			continue
		}
		raw := strings.TrimSpace(r.PostFormValue(f.Name))
		switch f.Type {
		case "boolean":
			if raw != "" {
				out[key] = true
			} else if f.Required {
				out[key] = false
			}
			continue
		}
		if raw == "" {
			continue
		}
		switch f.Type {
		case "integer":
			if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
				out[key] = n
				continue
			}
		case "number":
			if n, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", "."), 64); err == nil {
				out[key] = n
				continue
			}
		}
		out[key] = raw
	}
	return out
}

// fill puts the posted values and the errors back into the fields.
func fill(fields []formField, r *http.Request, errByField map[string]string) {
	for i := range fields {
		f := &fields[i]
		if f.Type == "object" {
			fill(f.Children, r, errByField)
		} else if r != nil {
			f.Value = r.PostFormValue(f.Name)
		}
		f.Error = errByField[f.Name]
	}
}

// setLang gives every field the page's language.
func setLang(fields []formField, lang string) {
	for i := range fields {
		fields[i].Lang = lang
		setLang(fields[i].Children, lang)
	}
}

// prefill puts known data of the applicant (keyed like the schema's
// "x-prefill", e.g. "population.cccd") into the fields still empty.
func prefill(fields []formField, known map[string]string) {
	for i := range fields {
		f := &fields[i]
		if f.Type == "object" {
			prefill(f.Children, known)
			continue
		}
		if v := known[f.Prefill]; v != "" && f.Value == "" && f.Prefill != "" {
			f.Value = v
		}
	}
}

// submitData is the submission form: the citizen's wizard, or a counter's
// intake of a walk-in applicant (Counter set).
type submitData struct {
	page
	Procedure catalog.Procedure
	Fields    []formField
	Errors    []string
	// Notices tell the applicant what the form could not do for them
	// (no prefill without a verified identity).
	Notices []string
	Action  string // where the form posts
	// Draft is the localStorage key of the form's draft ("" = no draft:
	// a counter's shared workstation keeps no applicant's data).
	Draft   string
	Counter *counterApplicant
	// Components are the procedure's components with what can stand in
	// for an upload: a shared-database record, documents of the store.
	Components []componentChoice
	// Prefilled are the datasets the form was prefilled from.
	Prefilled []string
	// FeeOnline and FeeInPerson are what the applicant will be charged
	// when filing online (the wizard) or at the counter (fee.go).
	FeeOnline, FeeInPerson feeNotice
	// offers adds the shared data and stored documents the form offers;
	// a submission calls it only when the form is shown again.
	offers func(*submitData) error
}

// componentChoice is one component of the wizard.
type componentChoice struct {
	catalog.Component
	Data *dossier.DataRef  // the record that replaces it, nil if none
	Docs []wallet.Document // the applicant's documents that could serve
}

// NeedsFile reports whether the browser must insist on a file.
func (c componentChoice) NeedsFile() bool { return c.Required && c.Data == nil && len(c.Docs) == 0 }

func (s *Server) wizardData(r *http.Request, w http.ResponseWriter, p catalog.Procedure) submitData {
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	data := submitData{page: s.base(w, r, "submit.title"), Procedure: p, Fields: schemaFields(schema, ""),
		Action: "/thu-tuc/" + p.Code + "/nop", Draft: "motcua-nhap:" + p.Code}
	setLang(data.Fields, data.Lang)
	data.FeeOnline, data.FeeInPerson = feeNoticeOf(&p, catalog.ChannelOnline, data.User), feeNoticeOf(&p, catalog.ChannelInPerson, data.User)
	for _, c := range p.Components {
		data.Components = append(data.Components, componentChoice{Component: c})
	}
	return data
}

// withCitizenData prefills the wizard of a verified citizen from the
// shared datasets and offers the replacements and stored documents.
func (s *Server) withCitizenData(r *http.Request, ac identity.Actor, data *submitData) error {
	ctx := r.Context()
	// A shared database that does not answer must not keep the citizen
	// from applying: they type the data and upload the papers instead.
	unavailable := func(err error) bool {
		if errs.KindOf(err) != errs.Unavailable {
			return false
		}
		data.Errors = append(data.Errors, data.T("submit.shared_data_unavailable"))
		return true
	}
	pre, err := s.app.ShareData.Prefill(ctx, ac, data.Procedure.Code)
	if err != nil && !unavailable(err) {
		return err
	}
	prefill(data.Fields, pre.Values)
	data.Prefilled = pre.Datasets
	if pre.Refused != "" {
		data.Notices = append(data.Notices, pre.Refused)
	}
	refs, err := s.app.ShareData.Replacements(ctx, ac, data.Procedure.Code, "")
	if err != nil && !unavailable(err) {
		return err
	}
	docs, err := s.app.Results.MyDocuments(ctx, ac)
	if errs.KindOf(err) == errs.Forbidden {
		docs, err = nil, nil
	}
	if err != nil {
		return err
	}
	for i := range data.Components {
		data.Components[i].Data = refs[data.Components[i].Code]
		data.Components[i].Docs = docs
	}
	return nil
}

func (s *Server) submitPage(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	p, err := s.app.Province.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := s.wizardData(r, w, p)
	if err := s.withCitizenData(r, pageActor(r, acc), &data); err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "submit", data)
}

func (s *Server) submitForm(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 110<<20)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		http.Error(w, "Dữ liệu gửi lên quá lớn hoặc không hợp lệ.", http.StatusBadRequest)
		return
	}
	p, err := s.app.Province.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := s.wizardData(r, w, p)
	ac := pageActor(r, acc)
	data.offers = func(d *submitData) error { return s.withCitizenData(r, ac, d) }
	if d, ok := s.wizardSubmit(w, r, ac, data, dossiers.SubmitInput{Prefilled: r.Form["prefilled"]}); ok {
		http.Redirect(w, r, "/ho-so/"+d.Code, http.StatusSeeOther)
	}
}

// wizardSubmit checks the CSRF token, uploads the posted components as
// ac, reads the declaration and submits it with in (its procedure, form and
// components filled in here). On a problem it renders the form again with
// the messages next to their fields and the values kept, and returns false.
func (s *Server) wizardSubmit(w http.ResponseWriter, r *http.Request, ac identity.Actor, data submitData, in dossiers.SubmitInput) (dossier.Dossier, bool) {
	p := data.Procedure
	fail := func(status int, msgs []string, byField map[string]string) {
		if data.offers != nil {
			if err := data.offers(&data); err != nil {
				s.errorPage(w, r, err)
				return
			}
		}
		fill(data.Fields, r, byField)
		if data.Counter != nil {
			data.Counter.fill(r, byField)
		}
		data.Errors = append(data.Errors, msgs...)
		s.render(w, status, "submit", data)
	}
	if !checkCSRF(r) {
		fail(http.StatusForbidden, []string{data.T("error.form_expired")}, nil)
		return dossier.Dossier{}, false
	}
	comps, err := s.uploadComponents(r, ac, p.Components)
	if err != nil {
		fail(http.StatusUnprocessableEntity, []string{err.Error()}, nil)
		return dossier.Dossier{}, false
	}
	form, _ := json.Marshal(formValues(data.Fields, r))
	in.ProcedureCode, in.Form, in.Components = p.Code, form, comps
	d, err := s.app.Dossiers.Submit(r.Context(), ac, in)
	if err != nil {
		e, ok := errs.As(err)
		if !ok || e.Kind == errs.Internal {
			s.errorPage(w, r, err)
			return dossier.Dossier{}, false
		}
		byField := map[string]string{}
		var msgs []string
		for _, fe := range e.Fields {
			if name, ok := strings.CutPrefix(fe.Field, "form."); ok {
				byField[name] = fe.Message
				continue
			}
			if data.Counter != nil && (strings.HasPrefix(fe.Field, "applicant.") || fe.Field == "commune_code") {
				byField[fe.Field] = fe.Message
				continue
			}
			msgs = append(msgs, fe.Message)
		}
		if len(e.Fields) == 0 {
			msgs = append(msgs, e.Message)
		} else if len(byField) > 0 {
			msgs = append(msgs, data.T("submit.fix_fields"))
		}
		fail(respond.Status(e), msgs, byField)
		return dossier.Dossier{}, false
	}
	return d, true
}

// uploadComponents stores the files posted for the components (inputs
// "tp-<code>") as ac; a component without a file is skipped (a missing
// required one is reported by the use case). The error is the message to
// show, naming the component.
func (s *Server) uploadComponents(r *http.Request, ac identity.Actor, cs []catalog.Component) ([]dossier.ComponentInput, error) {
	var comps []dossier.ComponentInput
	for _, c := range cs {
		file, hdr, err := r.FormFile("tp-" + c.Code)
		if err == nil && hdr.Size == 0 && hdr.Filename == "" {
			file.Close()
			err = http.ErrMissingFile
		}
		if err != nil { // no file: a stored document, or the shared data
			if id := r.FormValue("kho-" + c.Code); id != "" {
				comps = append(comps, dossier.ComponentInput{Code: c.Code, DocumentID: id})
			} else if c.ReplaceableBy != nil && r.FormValue("dl-"+c.Code) == "1" {
				comps = append(comps, dossier.ComponentInput{Code: c.Code, Data: &dossier.DataInput{Dataset: c.ReplaceableBy.Dataset}})
			}
			continue
		}
		up, err := s.app.Dossiers.Upload(r.Context(), ac, hdr.Filename, hdr.Header.Get("Content-Type"), file)
		file.Close()
		if err != nil {
			msg := "Không tải lên được tệp."
			if e, ok := errs.As(err); ok {
				msg = e.Message
			}
			return nil, errors.New(c.Name + ": " + msg)
		}
		comps = append(comps, dossier.ComponentInput{Code: c.Code, FileID: up.ID})
	}
	return comps, nil
}
