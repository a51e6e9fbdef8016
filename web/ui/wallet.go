package ui

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/wallet"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/auth"
)

// walletRoutes: the citizen's personal document store and the public
// pages of the documents they share.
func (s *Server) walletRoutes() {
	s.mux.HandleFunc("GET /kho-du-lieu", s.walletPage)
	s.mux.HandleFunc("POST /kho-du-lieu/{id}/chia-se", s.walletShare)
	s.mux.HandleFunc("GET /kho-du-lieu/{id}/tep", s.walletFile)
	s.mux.HandleFunc("GET /chia-se/{id}", s.sharedPage)
	s.mux.HandleFunc("GET /chia-se/{id}/tep", s.walletFile)
}

// walletDoc is a document as the store page shows it.
type walletDoc struct {
	wallet.Document
	KindKey   string // the key of the kind's name
	ShareURL  string // the public page, when shared
	VerifyURL string // the signed result's verification page
}

type walletData struct {
	page
	Docs  []walletDoc
	Error string
}

func (s *Server) walletDoc(r *http.Request, d wallet.Document) walletDoc {
	base := api.PublicBase(s.opts.PublicURL, s.opts.SecureCookies, r.Host)
	w := walletDoc{Document: d, KindKey: documentKindKey(d.Kind)}
	if d.Shared {
		w.ShareURL = base + "/chia-se/" + url.PathEscape(d.ID)
	}
	if d.ResultID != "" {
		w.VerifyURL = base + "/xac-thuc/" + url.PathEscape(d.ResultID)
	}
	return w
}

func (s *Server) walletPage(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	data := walletData{page: s.base(w, r, "wallet.title")}
	docs, err := s.app.Results.MyDocuments(r.Context(), pageActor(r, acc))
	if err != nil {
		if errs.KindOf(err) != errs.Forbidden {
			s.errorPage(w, r, err)
			return
		}
		_, data.Error = s.userMessage(r, err)
	}
	for _, d := range docs {
		data.Docs = append(data.Docs, s.walletDoc(r, d))
	}
	s.render(w, http.StatusOK, "wallet", data)
}

func (s *Server) walletShare(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if !checkCSRF(r) {
		s.errorPage(w, r, errs.New(errs.Forbidden, "csrf", "Phiên làm việc của biểu mẫu đã hết hạn; xin tải lại trang.", "stale form"))
		return
	}
	if _, err := s.app.Results.ShareDocument(r.Context(), pageActor(r, acc), r.PathValue("id"), r.PostFormValue("shared") == "1"); err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, "/kho-du-lieu#gt-"+url.PathEscape(r.PathValue("id")), http.StatusSeeOther)
}

// walletFile serves a document's file to its holder (/kho-du-lieu/…) or,
// when shared, to anyone with the link (/chia-se/…).
func (s *Server) walletFile(w http.ResponseWriter, r *http.Request) {
	shared := strings.HasPrefix(r.URL.Path, "/chia-se/")
	ac := identity.Actor{IP: auth.ClientIP(r.RemoteAddr), UserAgent: r.UserAgent()}
	if !shared {
		acc := s.signedIn(w, r)
		if acc == nil {
			return
		}
		ac = pageActor(r, acc)
	}
	d, f, err := s.app.Results.DocumentFile(r.Context(), ac, r.PathValue("id"), shared)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="giay-to-%s"`, d.ID[:8]))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = io.Copy(w, f)
}

type sharedData struct {
	page
	Doc    walletDoc
	Holder string // masked citizen ID
}

func (s *Server) sharedPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.Results.SharedDocument(r.Context(), identity.Actor{IP: auth.ClientIP(r.RemoteAddr), UserAgent: r.UserAgent()}, r.PathValue("id"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := sharedData{page: s.base(w, r, "wallet.shared_title"), Doc: s.walletDoc(r, d), Holder: d.Owner[:3] + "******" + d.Owner[9:]}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, http.StatusOK, "shared", data)
}
