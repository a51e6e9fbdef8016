package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/motcua/motcua/catalog"
)

// The pages speak Vietnamese first; a visitor may switch to English. Every
// sentence of a template goes through page.T with its Vietnamese text as
// the key, and each file of pages registers the English of its sentences
// with addEnglish. TestEnglishComplete fails when a template's sentence has
// no English.

// LangCookie remembers the visitor's language.
const LangCookie = "motcua_lang"

var (
	englishMu sync.RWMutex
	english   = map[string]string{}
)

// addEnglish registers translations (Vietnamese → English); it is called
// from init functions.
func addEnglish(m map[string]string) {
	englishMu.Lock()
	defer englishMu.Unlock()
	for vi, en := range m {
		english[vi] = en
	}
}

// translate returns the English of vi when lang is "en" and one is known.
func translate(lang, vi string) string {
	if lang != "en" {
		return vi
	}
	englishMu.RLock()
	defer englishMu.RUnlock()
	if en, ok := english[vi]; ok {
		return en
	}
	return vi
}

// T is the page's text in the visitor's language.
func (p page) T(vi string) string { return translate(p.Lang, vi) }

// Tf formats the page's text in the visitor's language (fmt verbs).
func (p page) Tf(vi string, args ...any) string { return fmt.Sprintf(translate(p.Lang, vi), args...) }

// lang is the request's language: the cookie, else Vietnamese.
func lang(r *http.Request) string {
	if c, err := r.Cookie(LangCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "vi"
}

// switchLanguage sets the language cookie and goes back to the page the
// visitor came from (a local path only).
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) {
	l := r.URL.Query().Get("lang")
	if l != "en" {
		l = "vi"
	}
	http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	next := r.URL.Query().Get("next")
	if u, err := url.Parse(next); err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || u.Host != "" || strings.Contains(next, "\\") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// Duration is a processing time in the visitor's language.
func (p page) Duration(d catalog.Duration) string {
	if d.Hours > 0 {
		return p.Tf("%d giờ làm việc", d.Hours)
	}
	return p.Tf("%d ngày làm việc", d.Days)
}
