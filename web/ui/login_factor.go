package ui

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"rsc.io/qr"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/auth"
)

// The second step of a login (issue 14): after the password, the code of
// the account's factor, or the enrolment of one the policy requires, then
// the recovery codes, shown once. The challenge travels in a hidden field:
// it is good for minutes, once, and for nothing but this step.

type factorData struct {
	page
	Challenge, Error string
	Next             string        // where the sign-in lands (a local path)
	Secret, URL      string        // enrolment
	QR               template.HTML // the otpauth URL as a QR code (SVG)
	RecoveryCodes    []string
}

func (s *Server) loginActor(r *http.Request) identity.Actor {
	return identity.Actor{IP: auth.ClientIP(r.RemoteAddr), UserAgent: r.UserAgent()}
}

// loginNext answers a password accepted: the session's cookie, or the
// second step.
func (s *Server) loginNext(w http.ResponseWriter, r *http.Request, l accounts.Login) {
	switch {
	case l.SecondFactorRequired:
		s.render(w, http.StatusOK, "login_code", factorData{page: s.base(w, r, "login.code_title"), Challenge: l.Challenge, Next: accounts.LocalPath(r.PostFormValue("next"))})
	case l.EnrolmentRequired:
		en, err := s.app.Accounts.BeginTOTP(r.Context(), s.loginActor(r), l.Challenge)
		if err != nil {
			s.errorPage(w, r, err)
			return
		}
		d := s.enrolData(w, r, l.Challenge, en.Secret, en.URL, "")
		s.render(w, http.StatusOK, "login_enrol", d)
	default:
		s.setSession(w, l)
		http.Redirect(w, r, accounts.LocalPath(r.PostFormValue("next")), http.StatusSeeOther)
	}
}

func (s *Server) setSession(w http.ResponseWriter, l accounts.Login) {
	http.SetCookie(w, &http.Cookie{Name: auth.SessionCookie, Value: l.Token, Path: "/", MaxAge: s.cookieAge(l.ExpiresAt), HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) enrolData(w http.ResponseWriter, r *http.Request, challenge, secret, url, msg string) factorData {
	d := factorData{page: s.base(w, r, "login.enrol_title"), Challenge: challenge, Secret: secret, URL: url, Error: msg, Next: accounts.LocalPath(r.PostFormValue("next"))}
	d.QR = qrSVG(url)
	return d
}

// loginCode checks the code of the second step.
func (s *Server) loginCode(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if !checkCSRF(r) {
		s.loginAgain(w, r, http.StatusForbidden, "", translate(lang(r), "error.form_expired"))
		return
	}
	challenge := r.PostFormValue("challenge")
	l, err := s.app.Accounts.LoginSecondFactor(r.Context(), s.loginActor(r), challenge, r.PostFormValue("code"))
	if err != nil {
		status, msg := s.userMessage(r, err)
		if challengeGone(err) {
			s.loginAgain(w, r, status, "", msg)
			return
		}
		s.render(w, status, "login_code", factorData{page: s.base(w, r, "login.code_title"), Challenge: challenge, Error: msg, Next: accounts.LocalPath(r.PostFormValue("next"))})
		return
	}
	s.loginNext(w, r, l)
}

// loginEnrol confirms the enrolment with the app's first code, opens the
// session and shows the recovery codes, once.
func (s *Server) loginEnrol(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if !checkCSRF(r) {
		s.loginAgain(w, r, http.StatusForbidden, "", translate(lang(r), "error.form_expired"))
		return
	}
	challenge := r.PostFormValue("challenge")
	en, err := s.app.Accounts.ConfirmTOTP(r.Context(), s.loginActor(r), challenge, strings.TrimSpace(r.PostFormValue("code")))
	if err != nil {
		status, msg := s.userMessage(r, err)
		if challengeGone(err) {
			s.loginAgain(w, r, status, "", msg)
			return
		}
		// The secret shown again is the one the form carried, as shown.
		s.render(w, status, "login_enrol", s.enrolData(w, r, challenge, r.PostFormValue("secret"), r.PostFormValue("url"), msg))
		return
	}
	s.setSession(w, *en.Login)
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, http.StatusOK, "login_recovery", factorData{page: s.base(w, r, "login.recovery_title"), RecoveryCodes: en.RecoveryCodes, Next: accounts.LocalPath(r.PostFormValue("next"))})
}

// qrSVG draws text as a QR code in SVG ("" if it cannot be one).
func qrSVG(text string) template.HTML {
	if !strings.HasPrefix(text, "otpauth://") {
		return ""
	}
	return drawQR(text, "QR")
}

// drawQR draws text as a QR code in SVG named label for screen readers
// ("" if it cannot be one).
func drawQR(text, label string) template.HTML {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return ""
	}
	const quiet = 4
	n := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img" aria-label="%s"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n*5, n*5, template.HTMLEscapeString(label), n, n)
	for y := range c.Size {
		for x := range c.Size {
			if c.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // built here from numbers only
}

// challengeGone reports an error that ends the second step: back to the
// password.
func challengeGone(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Key == "auth.invalid_challenge"
}
