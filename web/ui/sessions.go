package ui

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/auth"
)

// sessionRoutes: the signed-in user's login sessions, and an
// administrator ending all of an account's.
func (s *Server) sessionRoutes() {
	s.mux.HandleFunc("GET /tai-khoan/phien", s.sessionsPage)
	s.mux.HandleFunc("POST /tai-khoan/phien/{id}/ket-thuc", s.sessionEnd)
	s.mux.HandleFunc("POST /quan-tri/tai-khoan/{id}/phien/ket-thuc", s.adminEndSessions)
}

type sessionsData struct {
	page
	Sessions []accounts.SessionInfo
	Notice   string
}

// sessionCaller is the signed-in caller of a page's request with its
// token (to mark the current session), or a redirect to the login page.
func (s *Server) sessionCaller(w http.ResponseWriter, r *http.Request) (auth.Caller, bool) {
	c, err := auth.Identify(r.Context(), s.app.Accounts, auth.Request(r))
	if err != nil || c.Actor.Account == nil {
		http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(returnTo(r)), http.StatusSeeOther)
		return c, false
	}
	return c, true
}

func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.sessionCaller(w, r)
	if !ok {
		return
	}
	data := sessionsData{page: s.base(w, r, "sessions.title")}
	if r.URL.Query().Get("da-ket-thuc") != "" {
		data.Notice = data.T("sessions.ended")
	}
	list, err := s.app.Accounts.Sessions(r.Context(), c.Actor, c.Token)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data.Sessions = list
	s.render(w, http.StatusOK, "sessions", data)
}

// sessionEnd ends one of the user's sessions; ending the current one is
// signing out.
func (s *Server) sessionEnd(w http.ResponseWriter, r *http.Request) {
	c, ok := s.sessionCaller(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if !checkCSRF(r) {
		s.errorPage(w, r, errs.New(errs.Forbidden, "csrf", "Phiên làm việc của biểu mẫu đã hết hạn; xin tải lại trang.", "stale form"))
		return
	}
	id := r.PathValue("id")
	if err := s.app.Accounts.EndSession(r.Context(), c.Actor, id); err != nil {
		s.errorPage(w, r, err)
		return
	}
	if c.Cookie && id == sessionID(c.Token) {
		http.SetCookie(w, &http.Cookie{Name: auth.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/tai-khoan/phien?da-ket-thuc=1", http.StatusSeeOther)
}

// adminEndSessions ends every session of an account (EndAccountSessions).
func (s *Server) adminEndSessions(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 16<<10)
	if !ok {
		return
	}
	id, ok := s.accountID(w, r)
	if !ok {
		return
	}
	if _, err := s.app.Accounts.EndAccountSessions(r.Context(), ac, id); err != nil {
		p := adminPage{page: s.base(w, r, "admin.account.title")}
		status := s.adminFail(r, &p, err)
		if status == http.StatusNotFound {
			s.errorPage(w, r, err)
			return
		}
		s.adminShowAccount(w, r, ac, p, status)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/tai-khoan/%d?da-ket-thuc-phien=1", id), http.StatusSeeOther)
}

// sessionID is the public ID of the session of token.
func sessionID(token string) string { return identity.SessionPublicID(identity.HashToken(token)) }
