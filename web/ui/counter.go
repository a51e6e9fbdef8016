package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/web/api"
)

// Counter intake (tiếp nhận tại quầy): a receiver finds the walk-in
// applicant by citizen ID, chooses the procedure, fills the same generated
// form as the citizens' wizard (prefilled with what is known of the person),
// scans or uploads the components and submits: the dossier is created in
// person (channel 1) and received at the counter in one transaction, and
// the receipt (form 01) is ready to print.
//
// The person is looked up among the platform's accounts and in the shared
// population dataset (app.CounterLookup), hosted here or reached remotely.

func (s *Server) counterRoutes() {
	s.mux.HandleFunc("GET /quay", s.counterPage)
	s.mux.HandleFunc("GET /quay/thu-tuc/{code}", s.counterFormPage)
	s.mux.HandleFunc("POST /quay/thu-tuc/{code}", s.counterSubmit)
	s.mux.HandleFunc("GET /quay/xong/{code}", s.counterDone)
	s.mux.HandleFunc("GET /ho-so/{code}/tep/{file}", s.dossierFile)
	s.mux.HandleFunc("POST /ho-so/{code}/bo-sung", s.supplementSubmit)
}

// receiver returns the signed-in account when it holds the receiver role,
// else answers (login redirect or 403 page) and returns nil.
func (s *Server) receiver(w http.ResponseWriter, r *http.Request) *identity.Account {
	acc := s.signedIn(w, r)
	if acc == nil {
		return nil
	}
	if !acc.HasRole(identity.RoleReceiver, "") {
		s.errorPage(w, r, errs.New(errs.Forbidden, "counter.receiver_only", "Chỉ bộ phận một cửa được tiếp nhận hồ sơ tại quầy.", "receivers only"))
		return nil
	}
	return acc
}

// personOut is an account found at the counter.
type personOut struct {
	Name, CitizenID, Commune, Phone, Email string
	Verified                               bool
}

type counterData struct {
	page
	CitizenID, Query, Error string
	Searched                bool
	People                  []personOut
	Dossiers                []api.DossierOut
	BirthYear               int
	Female                  bool
	Procedures              []catalog.Summary
	NewQuery                string // the query string carrying the citizen ID to the form
}

func (s *Server) communeName(code string) string {
	if code == "" {
		return ""
	}
	c, err := s.app.Kernel.Units.Commune(code)
	if err != nil {
		return code
	}
	return c.Name
}

// counterPage finds the person and the procedure.
func (s *Server) counterPage(w http.ResponseWriter, r *http.Request) {
	acc := s.receiver(w, r)
	if acc == nil {
		return
	}
	q := r.URL.Query()
	data := counterData{page: s.base(w, r, "counter.title"), CitizenID: strings.TrimSpace(q.Get("cccd")), Query: strings.TrimSpace(q.Get("q"))}
	status := http.StatusOK
	if data.CitizenID != "" {
		ac := pageActor(r, acc)
		person, err := s.app.Dossiers.CounterLookup(r.Context(), ac, data.CitizenID)
		switch e, _ := errs.As(err); {
		case err == nil:
			data.Searched = true
			for _, a := range person.Accounts {
				data.People = append(data.People, personOut{Name: a.DisplayName, CitizenID: a.CitizenID, Commune: s.communeName(a.CommuneCode), Phone: a.Phone, Email: a.Email, Verified: a.IdentityVerified})
			}
			for i := range person.Dossiers {
				data.Dossiers = append(data.Dossiers, api.NewDossierOut(r.Context(), s.app, &person.Dossiers[i]))
			}
			if id, ok := identity.ParseCitizenID(data.CitizenID); ok {
				data.BirthYear, data.Female = id.BirthYear, id.Female
			}
			data.NewQuery = "?cccd=" + url.QueryEscape(data.CitizenID)
		case e != nil && e.Kind == errs.Invalid:
			status, data.Error = http.StatusUnprocessableEntity, data.T("counter.citizen_id_invalid")
		default:
			s.errorPage(w, r, err)
			return
		}
	}
	if data.Searched {
		qq := catalog.Query{Text: data.Query, Limit: 20}
		items, _, err := s.app.Province.SearchProcedures(r.Context(), qq)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		data.Procedures = items
	}
	s.render(w, status, "counter", data)
}

// counterApplicant is the walk-in applicant's part of the counter's form.
type counterApplicant struct {
	Name, CitizenID, CommuneCode, Address, Phone, Email string
	Communes                                            []unit.Commune
	Errors                                              map[string]string // by field: applicant.name, commune_code…
	HasAccount                                          bool
}

func (c *counterApplicant) fill(r *http.Request, byField map[string]string) {
	c.Name, c.CitizenID = r.PostFormValue("applicant.name"), r.PostFormValue("applicant.citizen_id")
	c.CommuneCode, c.Address = r.PostFormValue("commune_code"), r.PostFormValue("applicant.address")
	c.Phone, c.Email = r.PostFormValue("applicant.phone"), r.PostFormValue("applicant.email")
	c.Errors = map[string]string{}
	for k, v := range byField {
		if strings.HasPrefix(k, "applicant.") || k == "commune_code" {
			c.Errors[k] = v
		}
	}
}

// counterForm is the wizard's form in counter mode for procedure code and
// the person of citizen ID cccd (prefilled when an account has it).
func (s *Server) counterForm(w http.ResponseWriter, r *http.Request, acc *identity.Account, cccd string) (submitData, error) {
	p, err := s.app.Province.Procedure(r.Context(), r.PathValue("code"))
	if err != nil {
		return submitData{}, err
	}
	data := s.wizardData(r, w, p)
	data.Title = data.T("counter.title")
	data.Action, data.Draft = "/quay/thu-tuc/"+p.Code, ""
	ca := &counterApplicant{CitizenID: cccd, Communes: s.app.Kernel.Province.Communes, Errors: map[string]string{}}
	for _, g := range acc.Grants {
		if g.Role == identity.RoleReceiver {
			if ag, err := s.app.Province.Agency(r.Context(), g.AgencyID); err == nil && ag.CommuneCode != "" {
				ca.CommuneCode = ag.CommuneCode
				break
			}
		}
	}
	known := map[string]string{}
	if identity.ValidCitizenID(cccd) {
		ac := pageActor(r, acc)
		person, err := s.app.Dossiers.CounterLookup(r.Context(), ac, cccd)
		if err != nil {
			return submitData{}, err
		}
		known["population.citizen_id"] = cccd
		if person.Person != nil {
			for k, v := range person.Person.Data {
				known["population."+k] = v
			}
			known["population.address"] = person.Address
			ca.Name, ca.Phone, ca.Address = person.Person.Data["full_name"], person.Person.Data["phone"], person.Person.Data["residence_address"]
			if c := person.Person.Data["residence_commune"]; c != "" {
				ca.CommuneCode = c
			}
		}
		if id, ok := identity.ParseCitizenID(cccd); ok {
			known["population.gender"] = map[bool]string{false: "Nam", true: "Nữ"}[id.Female]
		}
		if len(person.Accounts) > 0 {
			a := person.Accounts[0]
			ca.Name, ca.Phone, ca.Email, ca.HasAccount = a.DisplayName, a.Phone, a.Email, true
			if a.CommuneCode != "" {
				ca.CommuneCode = a.CommuneCode
			}
			known["population.full_name"], known["population.phone"], known["population.email"] = a.DisplayName, a.Phone, a.Email
		}
	}
	prefill(data.Fields, known)
	data.Counter = ca
	// The walk-in's papers the shared data already holds need no scan.
	data.offers = func(d *submitData) error {
		id := d.Counter.CitizenID
		if id == "" { // a submission shown again: the ID typed in
			id = strings.TrimSpace(r.PostFormValue("applicant.citizen_id"))
		}
		if id == "" {
			return nil
		}
		refs, err := s.app.ShareData.Replacements(r.Context(), pageActor(r, acc), p.Code, id)
		if err != nil && errs.KindOf(err) != errs.Unavailable {
			return err
		}
		for i := range d.Components {
			d.Components[i].Data = refs[d.Components[i].Code]
		}
		return nil
	}
	return data, nil
}

func (s *Server) counterFormPage(w http.ResponseWriter, r *http.Request) {
	acc := s.receiver(w, r)
	if acc == nil {
		return
	}
	data, err := s.counterForm(w, r, acc, strings.TrimSpace(r.URL.Query().Get("cccd")))
	if err == nil {
		err = data.offers(&data)
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data.Lists = pickLists(data.Fields, nil, s.app.Kernel.Province.Code)
	s.render(w, http.StatusOK, "submit", data)
}

// counterSubmit files the walk-in applicant's dossier and receives it.
func (s *Server) counterSubmit(w http.ResponseWriter, r *http.Request) {
	acc := s.receiver(w, r)
	if acc == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 110<<20)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		http.Error(w, translate(lang(r), "error.upload_invalid"), http.StatusBadRequest)
		return
	}
	data, err := s.counterForm(w, r, acc, "")
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	in := dossiers.SubmitInput{Receive: true, Channel: dossier.ChannelInPerson, CommuneCode: strings.TrimSpace(r.PostFormValue("commune_code")),
		Applicant: &dossier.Applicant{Type: dossier.ApplicantCitizen, Name: r.PostFormValue("applicant.name"), CitizenID: strings.TrimSpace(r.PostFormValue("applicant.citizen_id")),
			CommuneCode: strings.TrimSpace(r.PostFormValue("commune_code")), Address: strings.TrimSpace(r.PostFormValue("applicant.address")),
			Phone: strings.TrimSpace(r.PostFormValue("applicant.phone")), Email: strings.TrimSpace(r.PostFormValue("applicant.email"))}}
	ac := pageActor(r, acc)
	if d, ok := s.wizardSubmit(w, r, ac, data, in); ok {
		http.Redirect(w, r, "/quay/xong/"+url.PathEscape(d.Code), http.StatusSeeOther)
	}
}

// counterDone shows the code of the dossier just received and the receipt
// to print.
func (s *Server) counterDone(w http.ResponseWriter, r *http.Request) {
	acc := s.receiver(w, r)
	if acc == nil {
		return
	}
	d, err := s.app.Dossiers.Dossier(r.Context(), pageActor(r, acc), r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, http.StatusOK, "counter_done", struct {
		page
		D api.DossierOut
	}{s.base(w, r, "counter.done_title"), api.NewDossierOut(r.Context(), s.app, &d)})
}

// dossierFile serves a component's file inline to those who may see the
// dossier; the read is audited by the use case.
func (s *Server) dossierFile(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	c, f, err := s.app.Dossiers.DossierFile(r.Context(), pageActor(r, acc), r.PathValue("code"), r.PathValue("file"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", c.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", "inline; filename=\""+fileName(c)+"\"")
	if c.ContentType == "application/pdf" {
		// Chromium's PDF viewer does not run in a sandboxed document; the
		// stored bytes are checked to be a PDF at upload.
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	} else {
		h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox")
	}
	var mod time.Time
	http.ServeContent(w, r, "", mod, f)
}

// fileName is an ASCII name for a component's file.
func fileName(c dossier.Component) string {
	ext := ".bin"
	switch c.ContentType {
	case "application/pdf":
		ext = ".pdf"
	case "image/jpeg":
		ext = ".jpg"
	case "image/png":
		ext = ".png"
	}
	var b strings.Builder
	for _, r := range c.Code {
		if r < 128 && (r == '-' || r == '_' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			b.WriteRune(r)
		}
	}
	return "thanh-phan-" + b.String() + ext
}

// supplementSubmit hands in the documents asked for (multipart, from the
// dossier page) with a note: the dossier goes back to processing with the
// new components.
func (s *Server) supplementSubmit(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	code := r.PathValue("code")
	r.Body = http.MaxBytesReader(w, r.Body, 110<<20)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		s.showDossier(w, r, acc, code, http.StatusBadRequest, translate(lang(r), "error.upload_invalid"))
		return
	}
	if !checkCSRF(r) {
		s.showDossier(w, r, acc, code, http.StatusForbidden, translate(lang(r), "error.form_expired"))
		return
	}
	ac := pageActor(r, acc)
	d, err := s.app.Dossiers.Dossier(r.Context(), ac, code)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	// A stale form is refused before its files are stored; Act checks the
	// version again in its transaction.
	version, err := formVersion(r)
	if err == nil {
		err = dossier.CheckVersion(&d, version)
	}
	if err != nil {
		status, msg := s.userMessage(r, err)
		s.showDossier(w, r, acc, code, status, msg)
		return
	}
	p, err := s.app.Province.Procedure(r.Context(), d.ProcedureCode)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	comps, bad := s.uploadComponents(r, ac, p.Components)
	if len(bad) > 0 {
		var msgs []string
		for _, c := range p.Components {
			if msg, ok := bad[c.Code]; ok {
				msgs = append(msgs, c.Name+": "+msg)
			}
		}
		s.showDossier(w, r, acc, code, http.StatusUnprocessableEntity, strings.Join(msgs, " "))
		return
	}
	if _, err := s.app.Dossiers.Act(r.Context(), ac, code, dossier.Request{Action: dossier.ActSupplement, Note: r.PostFormValue("note"), Files: comps, Version: version}); err != nil {
		status, msg := s.userMessage(r, err)
		s.showDossier(w, r, acc, code, status, msg)
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(code), http.StatusSeeOther)
}
