// Package ui is the server-rendered HTML pages: the citizens' portal, the
// officials' workbench and counter, the leaders' dashboard and the
// administrators' console. Vietnamese first, English by a switch; every
// form works without JavaScript and carries a CSRF token. The pages show
// what the use cases and the domain say (what is allowed, what is due) and
// restate none of their rules.
package ui

import (
	"log/slog"
	"net/http"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/web/respond"
)

// Options configure the pages.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// PublicURL is the address citizens reach the platform at; the QR
	// codes of printed forms point there (default: the request's host).
	PublicURL string
}

// Server is the pages over the use cases.
type Server struct {
	app   *platform.Services
	mux   *http.ServeMux
	log   *slog.Logger
	pages pages
	opts  Options
	errs  *respond.Renderer
}

// New registers the pages on mux; errs answers their errors (its Page is
// set to the pages' error page).
func New(mux *http.ServeMux, a *platform.Services, errs *respond.Renderer, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{app: a, mux: mux, log: opts.Logger, opts: opts, errs: errs}
	errs.Page = s.showError
	if err := s.pageRoutes(); err != nil {
		return nil, err
	}
	return s, nil
}
