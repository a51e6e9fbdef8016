package ui

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/motcua/motcua/catalog"
)

// The pages speak Vietnamese first; a visitor may switch to English.
//
// Every text of a page has a stable key named after where it is and what it
// says — "nav.sign_in", "dossier.reload", "admin.procedure.save" — as in
// miniflux's internal/locale; the catalogue gives each key its Vietnamese
// and its English. Vietnamese is a language like English, not the key:
// rewording a sentence touches the catalogue only. Templates call
// {{.T "dossier.reload"}} and {{.Tf "procedure.count" .Total}}, Go code
// p.T, p.Tf or translate(lang, key).
//
// The catalogue is Go maps, one file per area (i18n_pages.go, i18n_admin.go,
// i18n_counter.go …), each registering map[key]text{VI, EN} from init rather
// than JSON files per language: the two languages of a key sit side by side
// in review, a key repeated in a file does not compile (across files,
// addTexts panics), nothing is loaded or can fail at start, and the names
// the domain gives in Vietnamese (statuses, actions, roles, printed forms…)
// are registered from the domain's own functions in i18n_domain.go, keyed by
// the domain's stable codes ("status.3", "action.receive", "role.leader"),
// so that their Vietnamese is written once. The domain's error messages are
// not in the catalogue: they come from the use cases with their own
// Vietnamese and English (errs.Error).
//
// The rule of T, Tf and translate:
//   - a key (isKey: lowercase ASCII words of letters, digits and "_" joined
//     by dots, at least one dot, no space) is looked up: its text in the
//     visitor's language, or its Vietnamese when that language has none;
//   - anything else is a data value — an agency's name, a procedure's title,
//     a label of a form's schema — and is shown as is;
//   - a key missing from the catalogue is shown as is as well, so a page
//     never fails for a text, and missingText reports it: a warning in the
//     log (once per key), a failure in this package's tests. The tests also
//     check, without rendering, that every key the templates and the Go code
//     use has both texts (i18n_test.go).

// LangCookie remembers the visitor's language.
const LangCookie = "motcua_lang"

// text is a key's text in each language.
type text struct{ VI, EN string }

// texts is the catalogue, by key; written only by init functions.
var texts = map[string]text{}

// addTexts registers texts by key; it is called from init functions, and a
// key registered twice is a programming error.
func addTexts(m map[string]text) {
	for k, t := range m {
		if !isKey(k) {
			panic(fmt.Sprintf("ui: text key %q is not a key", k))
		}
		if _, ok := texts[k]; ok {
			panic(fmt.Sprintf("ui: text key %q registered twice", k))
		}
		texts[k] = t
	}
}

var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// isKey reports whether s is shaped like a key of the catalogue rather
// than a text to show as is.
func isKey(s string) bool { return keyShape.MatchString(s) }

// hasText reports whether the catalogue has key.
func hasText(key string) bool { _, ok := texts[key]; return ok }

// keyOr is key when the catalogue has it, else other (a text to show as
// is): the domain's names are translated by their code's key, and a code
// the catalogue does not know shows the domain's own name.
func keyOr(key, other string) string {
	if hasText(key) {
		return key
	}
	return other
}

// missingText reports a key the catalogue lacks; the tests replace it.
var missingText = func(key string) {
	if _, seen := missingLogged.LoadOrStore(key, true); !seen {
		slog.Warn("ui: no text for key", "key", key)
	}
}

var missingLogged sync.Map

// translate is the text of key in lang ("en", else Vietnamese); see the
// rule above for what is not a key of the catalogue.
func translate(lang, key string) string {
	t, ok := texts[key]
	if !ok {
		if isKey(key) {
			missingText(key)
		}
		return key
	}
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.VI
}

// T is the text of key in the visitor's language.
func (p page) T(key string) string { return translate(p.Lang, key) }

// Tf formats the text of key in the visitor's language (fmt verbs).
func (p page) Tf(key string, args ...any) string {
	return fmt.Sprintf(translate(p.Lang, key), args...)
}

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
		return p.Tf("procedure.working_hours", d.Hours)
	}
	return p.Tf("procedure.working_days", d.Days)
}
