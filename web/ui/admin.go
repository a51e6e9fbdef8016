package ui

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/respond"
)

// The administrators' console (/quan-tri): the catalogue, agencies and
// their office hours, officials and their roles, yearly holiday schedules.
// Every page checks that the signed-in account is an administrator and
// every form its CSRF token; every change then goes through the app's use
// case, which checks the permission again, in one audited transaction.

// Body limits of the console's forms.
const (
	adminFormLimit   = 2 << 20  // a procedure with its form schema
	adminImportLimit = 64 << 20 // a catalogue file (the API's limit)
)

// adminRoutes mounts the console's pages.
func (s *Server) adminRoutes() {
	s.mux.HandleFunc("GET /quan-tri", s.adminHome)
	s.mux.HandleFunc("GET /quan-tri/thu-tuc", s.adminProcedures)
	s.mux.HandleFunc("GET /quan-tri/thu-tuc/moi", s.adminNewProcedure)
	s.mux.HandleFunc("POST /quan-tri/thu-tuc/moi", s.adminSaveProcedure)
	s.mux.HandleFunc("GET /quan-tri/thu-tuc/xuat", s.adminExport)
	s.mux.HandleFunc("POST /quan-tri/thu-tuc/nhap", s.adminImport)
	s.mux.HandleFunc("GET /quan-tri/thu-tuc/quoc-gia", s.adminNational)
	s.mux.HandleFunc("POST /quan-tri/thu-tuc/quoc-gia", s.adminNationalDiff)
	s.mux.HandleFunc("POST /quan-tri/thu-tuc/quoc-gia/ap-dung", s.adminNationalApply)
	s.mux.HandleFunc("GET /quan-tri/thu-tuc/{code}", s.adminProcedure)
	s.mux.HandleFunc("POST /quan-tri/thu-tuc/{code}", s.adminSaveProcedure)
	s.mux.HandleFunc("GET /quan-tri/co-quan", s.adminAgencies)
	s.mux.HandleFunc("GET /quan-tri/co-quan/moi", s.adminNewAgency)
	s.mux.HandleFunc("POST /quan-tri/co-quan/moi", s.adminSaveAgency)
	s.mux.HandleFunc("GET /quan-tri/co-quan/{id}", s.adminAgency)
	s.mux.HandleFunc("POST /quan-tri/co-quan/{id}", s.adminSaveAgency)
	s.mux.HandleFunc("GET /quan-tri/co-quan/{id}/tai-khoan", s.adminAgencyBank)
	s.mux.HandleFunc("POST /quan-tri/co-quan/{id}/tai-khoan", s.adminSaveAgencyBank)
	s.mux.HandleFunc("GET /quan-tri/tai-khoan", s.adminAccounts)
	s.mux.HandleFunc("GET /quan-tri/tai-khoan/moi", s.adminNewAccount)
	s.mux.HandleFunc("POST /quan-tri/tai-khoan/moi", s.adminCreateAccount)
	s.mux.HandleFunc("GET /quan-tri/tai-khoan/{id}", s.adminAccount)
	s.mux.HandleFunc("POST /quan-tri/tai-khoan/{id}/vai-tro", s.adminGrants)
	s.mux.HandleFunc("POST /quan-tri/tai-khoan/{id}/trang-thai", s.adminDisable)
	s.mux.HandleFunc("POST /quan-tri/tai-khoan/{id}/xac-thuc-hai-lop", s.adminResetFactor)
	s.mux.HandleFunc("GET /quan-tri/lich", s.adminCalendar)
	s.mux.HandleFunc("POST /quan-tri/lich", s.adminSaveSchedule)
	s.mux.HandleFunc("POST /quan-tri/lich/xoa", s.adminDeleteSchedule)
	s.mux.HandleFunc("GET /quan-tri/du-lieu", s.adminData)
	s.mux.HandleFunc("GET /quan-tri/dong-bo", s.adminSync)
	s.mux.HandleFunc("POST /quan-tri/dong-bo/dong-bo-lai", s.adminSyncResync)
	s.mux.HandleFunc("POST /quan-tri/dong-bo/anh-xa", s.adminSyncMapping)
	s.mux.HandleFunc("GET /quan-tri/du-lieu/{code}", s.adminDataset)
	s.adminTermsRoutes()
}

// adminPage is what every page of the console shows besides its own data:
// a confirmation, an error with the list of its problems, and the problems
// by field, shown next to their fields.
type adminPage struct {
	page
	Notice string
	Error  string
	Errors []string
	fields map[string]string
}

// Err is the problem with a field (its path as the use case names it, e.g.
// "components[0].code"), or "".
func (p adminPage) Err(field string) string { return p.fields[field] }

// EID is the id of the element showing the problem with a field.
func (p adminPage) EID(field string) string {
	return "e-" + strings.Trim(admNonID.ReplaceAllString(field, "-"), "-")
}

// Inc is i+1, to number rows from 1.
func (p adminPage) Inc(i int) int { return i + 1 }

var admNonID = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// fail records a use case's error on the page: its message in Error, each
// field's problem by field and in the list; it returns the HTTP status.
func (s *Server) adminFail(r *http.Request, p *adminPage, err error) int {
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		status, msg := s.userMessage(r, err)
		p.Error = msg
		return status
	}
	p.Error = e.Message
	if p.Lang == "en" && e.English != "" {
		p.Error = e.English
	}
	p.addFields(e.Fields)
	return respond.Status(e)
}

func (p *adminPage) addFields(fe []errs.FieldError) {
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	for _, f := range fe {
		key, msg := f.Field, f.Message
		// The problems inside the form schema and the list of bundled
		// procedures are shown next to their one input.
		switch {
		case strings.HasPrefix(key, "form_schema."):
			key, msg = "form_schema", strings.TrimPrefix(key, "form_schema.")+": "+msg
		case strings.HasPrefix(key, "bundle["):
			key = "bundle"
		case strings.HasPrefix(key, "codes["): // a search term's codes
			key = "codes"
		}
		if p.fields[key] != "" {
			p.fields[key] += " " + msg
		} else {
			p.fields[key] = msg
		}
		p.Errors = append(p.Errors, msg)
	}
}

// admin returns the signed-in administrator as an actor. Anonymous visitors
// are sent to the login page, other accounts get a 403 page; a POST must
// carry the form's CSRF token (its body is limited to limit bytes).
func (s *Server) admin(w http.ResponseWriter, r *http.Request, limit int64) (identity.Actor, bool) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return identity.Actor{}, false
	}
	if acc.Disabled || !acc.HasRole(identity.RoleAdmin, "") {
		s.adminRefuse(w, r, "admin.admins_only")
		return identity.Actor{}, false
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if !checkCSRF(r) {
			s.adminRefuse(w, r, "error.form_expired")
			return identity.Actor{}, false
		}
	}
	return pageActor(r, acc), true
}

// adminRefuse shows the 403 page of the console with the text of key.
func (s *Server) adminRefuse(w http.ResponseWriter, r *http.Request, key string) {
	p := adminPage{page: s.base(w, r, "admin.access_denied")}
	p.Error = p.T(key)
	s.render(w, http.StatusForbidden, "admin_error", p)
}

// adminHome is the console's home: the sections with what they hold.
func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	_, procs, err := s.app.Province.SearchProcedures(r.Context(), admCatalogAll)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	ags, err := s.app.Province.Agencies(r.Context(), admAgencyAll)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	ss, err := s.app.Province.Schedules(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "admin", struct {
		adminPage
		Procedures, Agencies, Schedules int
		Year                            int
	}{adminPage{page: s.base(w, r, "admin.title")}, procs, len(ags), len(ss), s.app.Kernel.Now().In(admVN).Year()})
}
