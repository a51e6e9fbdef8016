package ui

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/search"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/vntext"
)

// The console's page of the search's everyday terms (/quan-tri/tu-khoa):
// the list (filtered by a part of the phrase), one form to add a term or
// change the one chosen, and a delete button per term. Every change goes
// through the province service (permission, audit, index rebuilt).

// admTermRow is a term as listed.
type admTermRow struct {
	catalog.SearchTerm
	Key   string
	Procs []admTermProc
}

// admTermProc is a procedure a term names; Name is "" for a code no
// longer in the catalogue.
type admTermProc struct{ Code, Name string }

type admTermsData struct {
	adminPage
	Filter  string
	Rows    []admTermRow
	Total   int
	Editing string // key of the term in the form, "" to add
	Phrase  string
	Codes   string
	Note    string
}

func (s *Server) adminTermsRoutes() {
	s.mux.HandleFunc("GET /quan-tri/tu-khoa", s.adminTerms)
	s.mux.HandleFunc("POST /quan-tri/tu-khoa", s.adminSaveTerm)
	s.mux.HandleFunc("POST /quan-tri/tu-khoa/xoa", s.adminDeleteTerm)
}

func (s *Server) adminShowTerms(w http.ResponseWriter, r *http.Request, ac identity.Actor, data admTermsData, status int) {
	terms, err := s.app.Province.SearchTerms(r.Context(), ac)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	procs, _, err := s.app.Province.SearchProcedures(r.Context(), catalog.Query{Limit: 1000})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	names := map[string]string{}
	for _, p := range procs {
		names[p.Code] = p.Name
	}
	data.Total = len(terms)
	filter := vntext.Fold(data.Filter)
	for _, t := range terms {
		key := search.Key(t.Phrase)
		if filter != "" && !strings.Contains(key, filter) && !strings.Contains(strings.Join(t.Codes, " "), data.Filter) {
			continue
		}
		row := admTermRow{SearchTerm: t, Key: key}
		for _, c := range t.Codes {
			row.Procs = append(row.Procs, admTermProc{c, names[c]})
		}
		data.Rows = append(data.Rows, row)
	}
	s.render(w, status, "admin_terms", data)
}

// adminTerms lists the terms; ?sua=KEY puts that term in the form.
func (s *Server) adminTerms(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	data := admTermsData{adminPage: adminPage{page: s.base(w, r, "admin.terms.title")}, Filter: strings.TrimSpace(r.URL.Query().Get("q"))}
	switch {
	case r.URL.Query().Get("da-luu") != "":
		data.Notice = data.T("admin.terms.saved")
	case r.URL.Query().Get("da-xoa") != "":
		data.Notice = data.T("admin.terms.deleted")
	}
	if key := r.URL.Query().Get("sua"); key != "" {
		terms, err := s.app.Province.SearchTerms(r.Context(), ac)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		for _, t := range terms {
			if search.Key(t.Phrase) == key {
				data.Editing, data.Phrase, data.Codes, data.Note = key, t.Phrase, strings.Join(t.Codes, ", "), t.Note
			}
		}
	}
	s.adminShowTerms(w, r, ac, data, http.StatusOK)
}

// admTermCodes splits a list of codes typed with commas, semicolons or spaces.
func admTermCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// adminSaveTerm adds a term or changes the one named by "replace".
func (s *Server) adminSaveTerm(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 64<<10)
	if !ok {
		return
	}
	data := admTermsData{adminPage: adminPage{page: s.base(w, r, "admin.terms.title")},
		Editing: r.PostFormValue("replace"), Phrase: r.PostFormValue("phrase"), Codes: r.PostFormValue("codes"), Note: r.PostFormValue("note")}
	t := catalog.SearchTerm{Phrase: data.Phrase, Codes: admTermCodes(data.Codes), Note: strings.TrimSpace(data.Note)}
	if _, err := s.app.Province.PutSearchTerm(r.Context(), ac, data.Editing, t); err != nil {
		status := s.adminFail(r, &data.adminPage, err)
		s.adminShowTerms(w, r, ac, data, status)
		return
	}
	http.Redirect(w, r, "/quan-tri/tu-khoa?da-luu=1", http.StatusSeeOther)
}

// adminDeleteTerm deletes the term named by "key".
func (s *Server) adminDeleteTerm(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 16<<10)
	if !ok {
		return
	}
	if err := s.app.Province.DeleteSearchTerm(r.Context(), ac, r.PostFormValue("key")); err != nil {
		data := admTermsData{adminPage: adminPage{page: s.base(w, r, "admin.terms.title")}}
		status := s.adminFail(r, &data.adminPage, err)
		s.adminShowTerms(w, r, ac, data, status)
		return
	}
	http.Redirect(w, r, "/quan-tri/tu-khoa?da-xoa=1", http.StatusSeeOther)
}
