package ui

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/auth"
)

// linkCookie holds the token of a sign-on waiting for its holder to link
// an existing account (accounts.LinkSignOn), on the link page's path only.
const (
	linkCookie = "motcua_lienket"
	linkPath   = "/dang-nhap/sso/lien-ket"
	// providerCookie names the provider a session signed on through: a
	// logout here ends the session there too.
	providerCookie = "motcua_sso"
)

func (s *Server) signOnRoutes() {
	s.mux.HandleFunc("GET /dang-nhap/sso/callback", s.signOnCallback)
	s.mux.HandleFunc("GET "+linkPath, s.signOnLinkPage)
	s.mux.HandleFunc("POST "+linkPath, s.signOnLinkSubmit)
	s.mux.HandleFunc("GET /dang-nhap/sso/{provider}", s.signOnStart)
}

// signOnStart sends the browser to the provider.
func (s *Server) signOnStart(w http.ResponseWriter, r *http.Request) {
	to, err := s.app.Accounts.BeginSignOn(r.Context(), r.PathValue("provider"), r.URL.Query().Get("next"))
	if err != nil {
		status, msg := s.userMessage(r, err)
		s.render(w, status, "login", s.loginData(w, r, msg))
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// signOnCallback is where the provider sends the browser back.
func (s *Server) signOnCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	providerError := q.Get("error")
	if d := q.Get("error_description"); providerError != "" && d != "" {
		providerError += ": " + d
	}
	res, err := s.app.Accounts.CompleteSignOn(r.Context(), identity.Actor{IP: auth.ClientIP(r.RemoteAddr), UserAgent: r.UserAgent()}, q.Get("state"), q.Get("code"), providerError)
	if err != nil {
		status, msg := s.userMessage(r, err)
		s.render(w, status, "login", s.loginData(w, r, msg))
		return
	}
	s.signedOn(w, r, res)
}

// signedOn sets the session of a completed sign-on and lands, or asks for
// the link.
func (s *Server) signedOn(w http.ResponseWriter, r *http.Request, res accounts.SignOnResult) {
	if res.Login == nil {
		http.SetCookie(w, &http.Cookie{Name: linkCookie, Value: res.LinkToken, Path: linkPath, MaxAge: 600, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
		s.render(w, http.StatusOK, "signon_link", linkData{page: s.base(w, r, "signon.link.title"), Username: res.LinkUsername})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: linkCookie, Value: "", Path: linkPath, MaxAge: -1, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	s.setSession(w, *res.Login)
	http.SetCookie(w, &http.Cookie{Name: providerCookie, Value: res.Provider, Path: "/", MaxAge: s.cookieAge(res.Login.ExpiresAt), HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, accounts.LocalPath(res.Next), http.StatusSeeOther)
}

// afterLogout is where a logout lands: the provider's end of session when
// the session signed on through one, else the home page.
func (s *Server) afterLogout(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(providerCookie)
	if err != nil || c.Value == "" {
		return "/"
	}
	http.SetCookie(w, &http.Cookie{Name: providerCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	home := strings.TrimRight(s.opts.PublicURL, "/")
	if home == "" {
		scheme := "http"
		if r.TLS != nil || s.opts.SecureCookies {
			scheme = "https"
		}
		home = scheme + "://" + r.Host
	}
	if to := s.app.Accounts.SignOutURL(r.Context(), c.Value, home+"/"); to != "" {
		return to
	}
	return "/"
}

type linkData struct {
	page
	Username, Error string
}

func (s *Server) signOnLinkPage(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(linkCookie); err != nil {
		s.render(w, http.StatusNotFound, "login", s.loginData(w, r, translate(lang(r), "signon.link.expired")))
		return
	}
	s.render(w, http.StatusOK, "signon_link", linkData{page: s.base(w, r, "signon.link.title")})
}

func (s *Server) signOnLinkSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	c, err := r.Cookie(linkCookie)
	if err != nil {
		s.render(w, http.StatusNotFound, "login", s.loginData(w, r, translate(lang(r), "signon.link.expired")))
		return
	}
	if !checkCSRF(r) {
		s.render(w, http.StatusForbidden, "signon_link", linkData{page: s.base(w, r, "signon.link.title"), Error: "Phiên làm việc của biểu mẫu đã hết hạn; xin tải lại trang."})
		return
	}
	res, err := s.app.Accounts.LinkSignOn(r.Context(), identity.Actor{IP: auth.ClientIP(r.RemoteAddr), UserAgent: r.UserAgent()}, c.Value, r.PostFormValue("password"))
	if err != nil {
		status, msg := s.userMessage(r, err)
		s.render(w, status, "signon_link", linkData{page: s.base(w, r, "signon.link.title"), Error: msg})
		return
	}
	s.signedOn(w, r, res)
}
