package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
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
	// List is the code list of a pick-list field (the schema's "x-list"),
	// DataList the id of the page's datalist it suggests from (a commune's:
	// those of Province), Provinces the provinces to choose a commune in
	// (pickLists).
	List      string
	DataList  string
	Provinces []listOption
	Province  string
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

// schemaFields turns an object schema into fields in the schema's order
// (catalog.Properties of a catalog.DecodeSchema).
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
		f.List, _ = p["x-list"].(string)
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
	// Lists are the datalists of the coded fields (pickLists).
	Lists  []pickList
	Errors []string
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
	// Delivery is how the applicant receives the result.
	Delivery deliveryChoice
	// FeeOnline and FeeInPerson are what the applicant will be charged
	// when filing online (the wizard) or at the counter (fee.go).
	FeeOnline, FeeInPerson feeNotice
	// Exemption is the fee exemption chosen (its code), ExemptionNote the
	// fee in words it shows ("Miễn lệ phí (đề nghị: …) – chờ kiểm tra"),
	// ExemptionError the problem with the claim.
	Exemption, ExemptionNote, ExemptionError string
	// offers adds the shared data and stored documents the form offers;
	// a submission calls it only when the form is shown again.
	offers func(*submitData) error
}

// componentChoice is one component of the wizard.
type componentChoice struct {
	catalog.Component
	Data *dossier.DataRef  // the record that replaces it, nil if none
	Docs []wallet.Document // the applicant's documents that could serve
	// ByForm: the declaration filled in above stands for it (no file).
	ByForm bool
	// Staged is the file uploaded with a refused submission, kept.
	Staged *stagedFile
	Error  string // what is wrong with its file
}

// NeedsFile reports whether the browser must insist on a file.
func (c componentChoice) NeedsFile() bool {
	return c.Required && c.Data == nil && len(c.Docs) == 0 && !c.ByForm && c.Staged == nil
}

func (s *Server) wizardData(r *http.Request, w http.ResponseWriter, p catalog.Procedure) submitData {
	data := submitData{page: s.base(w, r, "submit.title"), Procedure: p, Fields: schemaFields(catalog.DecodeSchema(p.FormSchema), ""),
		Action: "/thu-tuc/" + p.Code + "/nop", Draft: "motcua-nhap:" + p.Code}
	setLang(data.Fields, data.Lang)
	data.FeeOnline, data.FeeInPerson = feeNoticeOf(&p, catalog.ChannelOnline, data.User), feeNoticeOf(&p, catalog.ChannelInPerson, data.User)
	for _, c := range p.Components {
		data.Components = append(data.Components, componentChoice{Component: c, ByForm: p.FilledByForm(c)})
	}
	data.Delivery.Method = dossier.DeliveryCounter
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
	data.Lists = pickLists(data.Fields, nil, s.app.Kernel.Province.Code)
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
		http.Redirect(w, r, submittedPath(d.Code), http.StatusSeeOther)
	}
}

// wizardSubmit checks the CSRF token, uploads the posted components as
// ac, reads the declaration and submits it with in (its procedure, form,
// components and delivery filled in here). On a problem it renders the
// form again with every message at once — the declaration's, the files',
// the delivery's — next to their fields, the values and the files already
// uploaded kept, and returns false.
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
		data.Lists = pickLists(data.Fields, r, s.app.Kernel.Province.Code)
		if data.Counter != nil {
			data.Counter.fill(r, byField)
		}
		data.Delivery = deliveryChoice{Method: r.PostFormValue("delivery.method"), Address: r.PostFormValue("delivery.address"),
			Error: byField["delivery.method"] + byField["delivery.address"]}
		for i := range data.Components {
			c := &data.Components[i]
			c.Error = byField["tp-"+c.Code]
			if f, ok := stagedFrom(r, c.Code); ok && c.Error == "" {
				c.Staged = &f
			}
		}
		data.exemptionChoice(r.PostFormValue("mien"), byField["mien"])
		data.Errors = append(data.Errors, msgs...)
		s.render(w, status, "submit", data)
	}
	if !checkCSRF(r) {
		fail(http.StatusForbidden, []string{data.T("error.form_expired")}, nil)
		return dossier.Dossier{}, false
	}
	// A file that cannot be stored is named with the other problems: the
	// component goes in without a file, so the submission is refused and
	// the use case reports everything else at once.
	comps, fileErrs := s.uploadComponents(r, ac, p.Components)
	form, _ := json.Marshal(formValues(data.Fields, r))
	in.ProcedureCode, in.Form, in.Components, in.Delivery = p.Code, form, comps, deliveryFrom(r)
	var msg string
	if in.Exemption, msg = s.uploadExemption(r, ac); msg != "" {
		fileErrs["mien"] = msg
	}
	d, err := s.app.Dossiers.Submit(r.Context(), ac, in)
	if err == nil {
		return d, true
	}
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		s.errorPage(w, r, err)
		return dossier.Dossier{}, false
	}
	byField := map[string]string{}
	var msgs, fileMsgs []string
	for _, fe := range e.Fields {
		if name, ok := strings.CutPrefix(fe.Field, "form."); ok {
			byField[name] = fe.Message
			continue
		}
		if fe.Field == "exemption" || strings.HasPrefix(fe.Field, "exemption.") {
			if _, bad := fileErrs["mien"]; !bad {
				byField["mien"] = fe.Message
			}
			msgs = append(msgs, fe.Message)
			continue
		}
		if strings.HasPrefix(fe.Field, "delivery.") || data.Counter != nil && (strings.HasPrefix(fe.Field, "applicant.") || fe.Field == "commune_code") {
			byField[fe.Field] = fe.Message
			continue
		}
		if code, ok := componentOf(fe.Field, comps); ok {
			if _, bad := fileErrs[code]; bad {
				continue // the file's own message says more
			}
			byField["tp-"+code] = fe.Message
		}
		msgs = append(msgs, fe.Message)
	}
	for _, c := range p.Components {
		if msg, bad := fileErrs[c.Code]; bad {
			byField["tp-"+c.Code] = msg
			fileMsgs = append(fileMsgs, c.Name+": "+msg)
		}
	}
	if msg, bad := fileErrs["mien"]; bad {
		byField["mien"] = msg
		fileMsgs = append(fileMsgs, translate(lang(r), "exemption.proof_file")+": "+msg)
	}
	msgs = append(msgs, fileMsgs...)
	if len(e.Fields) == 0 {
		msgs = append(msgs, e.Message)
	} else if len(byField) > 0 {
		msgs = append(msgs, data.T("submit.fix_fields"))
	}
	fail(respond.Status(e), msgs, byField)
	return dossier.Dossier{}, false
}

// componentOf is the component code a "components[i]…" problem is about.
func componentOf(field string, comps []dossier.ComponentInput) (string, bool) {
	rest, ok := strings.CutPrefix(field, "components[")
	if !ok {
		return "", false
	}
	n, _, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= len(comps) {
		return "", false
	}
	return comps[i].Code, true
}

// uploadComponents stores the files posted for the components (inputs
// "tp-<code>") as ac; a component without a new file is the file kept from
// a refused submission ("up-<code>"), a stored document, the shared data,
// or skipped (a missing required one is reported by the use case). A file
// that cannot be stored goes in without a file and its message is in the
// map, by component code.
func (s *Server) uploadComponents(r *http.Request, ac identity.Actor, cs []catalog.Component) ([]dossier.ComponentInput, map[string]string) {
	var comps []dossier.ComponentInput
	bad := map[string]string{}
	for _, c := range cs {
		file, hdr, err := r.FormFile("tp-" + c.Code)
		if err == nil && hdr.Size == 0 && hdr.Filename == "" {
			file.Close()
			err = http.ErrMissingFile
		}
		if err != nil { // no new file: one kept, a stored document, or the shared data
			if f, ok := stagedFrom(r, c.Code); ok {
				comps = append(comps, dossier.ComponentInput{Code: c.Code, FileID: f.ID})
			} else if id := r.FormValue("kho-" + c.Code); id != "" {
				comps = append(comps, dossier.ComponentInput{Code: c.Code, DocumentID: id})
			} else if c.ReplaceableBy != nil && r.FormValue("dl-"+c.Code) == "1" {
				comps = append(comps, dossier.ComponentInput{Code: c.Code, Data: &dossier.DataInput{Dataset: c.ReplaceableBy.Dataset}})
			}
			continue
		}
		up, err := s.app.Dossiers.Upload(r.Context(), ac, hdr.Filename, hdr.Header.Get("Content-Type"), file)
		file.Close()
		if err != nil {
			msg := translate(lang(r), "submit.file_not_stored")
			if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
				msg = e.Message
			}
			bad[c.Code] = msg
			comps = append(comps, dossier.ComponentInput{Code: c.Code})
			continue
		}
		// The form posts it again if the submission is refused.
		for _, v := range []url.Values{r.Form, r.PostForm} {
			if v != nil {
				v.Set("up-"+c.Code, up.ID)
				v.Set("upn-"+c.Code, hdr.Filename)
			}
		}
		comps = append(comps, dossier.ComponentInput{Code: c.Code, FileID: up.ID})
	}
	return comps, bad
}
