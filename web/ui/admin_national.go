package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua/app/nationalcatalog"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/identity"
)

// The national catalogue's sync (/quan-tri/thu-tuc/quoc-gia): the
// administrator asks for the diff, reads it, and applies exactly that by
// its hash; new national procedures wait as drafts, each completed and
// published through the procedure form (/quan-tri/thu-tuc/moi?ban-nhap=).

type admNationalData struct {
	adminPage
	Diff    *nationalcatalog.Diff
	Changes bool // the diff changes something
	Fetched string
	Drafts  []catalog.Procedure
}

// admFieldKeys are the keys of the national fields' names.
var admFieldKeys = map[string]string{
	nationalcatalog.FieldName: "admin.national.field.name", nationalcatalog.FieldField: "admin.national.field.field",
	nationalcatalog.FieldLevel: "admin.national.field.level", nationalcatalog.FieldTime: "admin.national.field.processing_time",
	nationalcatalog.FieldFees: "admin.national.field.fees", nationalcatalog.FieldLegal: "admin.national.field.legal_basis",
	nationalcatalog.FieldWithdrawn: "admin.national.field.withdrawn",
}

// FieldKey is the key of a national field's name.
func (admNationalData) FieldKey(field string) string { return admFieldKeys[field] }

// adminNational shows the sync's page: the drafts, and the button that
// reads the national catalogue.
func (s *Server) adminNational(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.national.title")}
	if q := r.URL.Query(); q.Get("da-ap-dung") != "" {
		n := func(k string) int { v, _ := strconv.Atoi(q.Get(k)); return v }
		p.Notice = p.Tf("admin.national.applied", n("moi"), n("sua"), n("bai-bo"))
	}
	s.adminShowNational(w, r, ac, p, nil, http.StatusOK)
}

// adminNationalDiff reads the national catalogue and shows what applying
// it would change.
func (s *Server) adminNationalDiff(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminFormLimit)
	if !ok {
		return
	}
	p := adminPage{page: s.base(w, r, "admin.national.title")}
	d, err := s.app.NationalCatalog.Diff(r.Context(), ac)
	if err != nil {
		s.adminShowNational(w, r, ac, p, nil, s.adminFail(r, &p, err))
		return
	}
	s.adminShowNational(w, r, ac, p, &d, http.StatusOK)
}

// adminNationalApply applies the diff shown, by its hash.
func (s *Server) adminNationalApply(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, adminFormLimit)
	if !ok {
		return
	}
	a, err := s.app.NationalCatalog.Apply(r.Context(), ac, r.PostFormValue("hash"))
	if err != nil {
		p := adminPage{page: s.base(w, r, "admin.national.title")}
		s.adminShowNational(w, r, ac, p, nil, s.adminFail(r, &p, err))
		return
	}
	q := url.Values{"da-ap-dung": {"1"}, "moi": {strconv.Itoa(len(a.New))}, "sua": {strconv.Itoa(len(a.Changed))}, "bai-bo": {strconv.Itoa(len(a.Withdrawn))}}
	http.Redirect(w, r, "/quan-tri/thu-tuc/quoc-gia?"+q.Encode(), http.StatusSeeOther)
}

func (s *Server) adminShowNational(w http.ResponseWriter, r *http.Request, ac identity.Actor, p adminPage, d *nationalcatalog.Diff, status int) {
	data := admNationalData{adminPage: p, Diff: d}
	if d != nil {
		data.Changes = len(d.New)+len(d.Changed)+len(d.Withdrawn)+len(d.PublishedDrafts) > 0
		data.Fetched = admDatetime(d.FetchedAt)
	}
	drafts, err := s.app.NationalCatalog.Drafts(r.Context(), ac)
	if err != nil && data.Error == "" {
		status = s.adminFail(r, &data.adminPage, err)
	}
	data.Drafts = drafts
	s.render(w, status, "admin_national", data)
}
