package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
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
}

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

// schemaFields turns an object schema into fields, in the schema's
// property order when it has "x-order", else by name.
func schemaFields(schema map[string]any, prefix string) []formField {
	return schemaFieldsUnder(schema, prefix, true)
}

func schemaFieldsUnder(schema map[string]any, prefix string, mandatory bool) []formField {
	props, _ := schema["properties"].(map[string]any)
	req := map[string]bool{}
	if rs, ok := schema["required"].([]any); ok {
		for _, r := range rs {
			if s, ok := r.(string); ok {
				req[s] = true
			}
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		// required first, then by name
		if req[a] != req[b] {
			if req[a] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	var out []formField
	for _, n := range names {
		p, _ := props[n].(map[string]any)
		f := formField{Name: prefix + n, Required: req[n], Mandatory: req[n] && mandatory}
		f.Type, _ = p["type"].(string)
		f.Format, _ = p["format"].(string)
		f.Label, _ = p["title"].(string)
		f.Description, _ = p["description"].(string)
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

type submitData struct {
	page
	Procedure catalog.Procedure
	Fields    []formField
	Errors    []string
}

func (s *Server) submitPage(w http.ResponseWriter, r *http.Request) {
	if s.signedIn(w, r) == nil {
		return
	}
	p, err := s.app.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	s.render(w, http.StatusOK, "submit", submitData{page: s.base(w, r, "Nộp hồ sơ"), Procedure: p, Fields: schemaFields(schema, "")})
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
	p, err := s.app.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	fields := schemaFields(schema, "")
	data := submitData{page: s.base(w, r, "Nộp hồ sơ"), Procedure: p, Fields: fields}
	fail := func(status int, msgs []string, byField map[string]string) {
		fill(data.Fields, r, byField)
		data.Errors = msgs
		s.render(w, status, "submit", data)
	}
	if !checkCSRF(r) {
		fail(http.StatusForbidden, []string{"Phiên làm việc của biểu mẫu đã hết hạn; xin tải lại trang."}, nil)
		return
	}
	ac := app.Actor{Account: acc, IP: clientIP(r.RemoteAddr), UserAgent: r.UserAgent()}
	var comps []app.ComponentInput
	for _, c := range p.Components {
		file, hdr, err := r.FormFile("tp-" + c.Code)
		if err != nil {
			continue // a missing required component is reported by Submit
		}
		up, err := s.app.Upload(r.Context(), ac, hdr.Filename, hdr.Header.Get("Content-Type"), file)
		file.Close()
		if err != nil {
			msg := "Không tải lên được tệp."
			if e, ok := errs.As(err); ok {
				msg = e.Message
			}
			fail(http.StatusUnprocessableEntity, []string{c.Name + ": " + msg}, nil)
			return
		}
		comps = append(comps, app.ComponentInput{Code: c.Code, FileID: up.ID})
	}
	form, _ := json.Marshal(formValues(fields, r))
	d, err := s.app.Submit(r.Context(), ac, app.SubmitInput{ProcedureCode: p.Code, Form: form, Components: comps})
	if err != nil {
		e, ok := errs.As(err)
		if !ok || e.Kind == errs.Internal {
			s.errorPage(w, r, err)
			return
		}
		byField := map[string]string{}
		var msgs []string
		for _, fe := range e.Fields {
			if name, ok := strings.CutPrefix(fe.Field, "form."); ok {
				byField[name] = fe.Message
				continue
			}
			msgs = append(msgs, fe.Message)
		}
		if len(e.Fields) == 0 {
			msgs = append(msgs, e.Message)
		} else if len(byField) > 0 {
			msgs = append(msgs, "Xin sửa các trường được đánh dấu trong tờ khai.")
		}
		fail(kindStatus[e.Kind], msgs, byField)
		return
	}
	http.Redirect(w, r, "/ho-so/"+d.Code, http.StatusSeeOther)
}
