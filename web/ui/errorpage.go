package ui

import "net/http"

// errorData is what the error page shows: the status's title and
// explanation in Vietnamese, then in English, whatever the visitor's
// language (a visitor who lands on an error may not have chosen one yet),
// the reason given by the use case, and the ways on: the home page, the
// procedures, the look-up, and the login page (back here after it) when
// signing in would help.
type errorData struct {
	page
	Status int
	// TitleKey and ExplainKey are the status's texts: its title and what
	// to do ("error.status_404", "error.explain_404").
	TitleKey, ExplainKey string
	// Error is the reason given by the use case (in Vietnamese), shown
	// when it says more than the status's title.
	Error string
	// Login links the login page with next set to this page: the visitor
	// is anonymous, and the page needs (or may need) an account.
	Login bool
	Next  string
}

// errorTexts are the keys of the title and the explanation of the
// statuses the error page knows; another status uses its class's (400 or
// 500).
var errorTexts = map[int][2]string{
	400: {"error.status_400", "error.explain_400"},
	401: {"error.status_401", "error.explain_401"},
	403: {"error.status_403", "error.explain_403"},
	404: {"error.status_404", "error.explain_404"},
	405: {"error.status_405", "error.explain_405"},
	409: {"error.status_409", "error.explain_409"},
	413: {"error.status_413", "error.explain_413"},
	415: {"error.status_415", "error.explain_415"},
	422: {"error.status_422", "error.explain_422"},
	429: {"error.status_429", "error.explain_429"},
	500: {"error.status_500", "error.explain_500"},
	503: {"error.status_503", "error.explain_503"},
}

func errorKeys(status int) [2]string {
	if k, ok := errorTexts[status]; ok {
		return k
	}
	if status >= 500 {
		return errorTexts[500]
	}
	return errorTexts[400]
}

// showError is the pages' error page for status with the use case's
// message msg (respond.Renderer's Page).
func (s *Server) showError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	keys := errorKeys(status)
	d := errorData{page: s.base(w, r, keys[0]), Status: status, TitleKey: keys[0], ExplainKey: keys[1], Next: returnTo(r)}
	if msg != "" && msg != translate("vi", keys[0]) {
		d.Error = msg
	}
	d.Login = d.User == nil && (status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound && r.Method == http.MethodGet)
	s.render(w, status, "error", d)
}

// NotFound answers a request no route knows: the not-found page, or a
// problem to a client that asks for JSON.
func (s *Server) NotFound(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errs.Status(w, r, http.StatusNotFound)
}
