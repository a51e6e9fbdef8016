package ui

import (
	"net/http"

	"github.com/motcua/motcua/web/auth"
)

// The public's forgotten passwords: a one-time link by e-mail
// (accounts.RequestPasswordReset), then a new password.
func (s *Server) passwordRoutes() {
	s.mux.HandleFunc("GET /quen-mat-khau", s.forgotPage)
	s.mux.HandleFunc("POST /quen-mat-khau", s.forgotSubmit)
	s.mux.HandleFunc("GET /dat-lai-mat-khau", s.resetPage)
	s.mux.HandleFunc("POST /dat-lai-mat-khau", s.resetSubmit)
}

type passwordData struct {
	page
	Token, Username, Error, Done string
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "forgot", passwordData{page: s.base(w, r, "password.forgot_title")})
}

func (s *Server) forgotSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	p := passwordData{page: s.base(w, r, "password.forgot_title"), Username: r.PostFormValue("username")}
	if !checkCSRF(r) {
		p.Error = translate(lang(r), "error.form_expired")
		s.render(w, http.StatusForbidden, "forgot", p)
		return
	}
	if err := s.app.Accounts.RequestPasswordReset(r.Context(), s.loginActor(r), p.Username); err != nil {
		status, msg := s.userMessage(r, err)
		p.Error = msg
		s.render(w, status, "forgot", p)
		return
	}
	p.Done = p.T("password.forgot_sent")
	s.render(w, http.StatusOK, "forgot", p)
}

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "reset", passwordData{page: s.base(w, r, "password.reset_title"), Token: r.URL.Query().Get("token")})
}

func (s *Server) resetSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	p := passwordData{page: s.base(w, r, "password.reset_title"), Token: r.PostFormValue("token")}
	if !checkCSRF(r) {
		p.Error = translate(lang(r), "error.form_expired")
		s.render(w, http.StatusForbidden, "reset", p)
		return
	}
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		p.Error = p.T("password.mismatch")
		s.render(w, http.StatusUnprocessableEntity, "reset", p)
		return
	}
	if err := s.app.Accounts.ResetPassword(r.Context(), s.loginActor(r), p.Token, r.PostFormValue("password")); err != nil {
		status, msg := s.userMessage(r, err)
		p.Error = msg
		s.render(w, status, "reset", p)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: auth.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	p.Done, p.Token = p.T("password.reset_done"), ""
	s.render(w, http.StatusOK, "reset", p)
}
