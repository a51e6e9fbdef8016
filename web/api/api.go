// Package api is the JSON API under /api/v1 with its OpenAPI 3.1 document
// (huma): every operation declares its access policy, denied by default,
// and answers errors as RFC 9457 problems with a Vietnamese detail. It
// adapts HTTP to the use cases and restates none of their rules.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/auth"
	"github.com/motcua/motcua/web/respond"
)

// Version is the API version reported in the OpenAPI document.
const Version = "0.1.0"

// Options configure the API.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks the login cookie Secure (served over HTTPS).
	SecureCookies bool
	// PublicURL is the address citizens reach the platform at; the QR
	// codes of printed forms point there (default: the request's host).
	PublicURL string
}

// Server is the API's operations over the use cases.
type Server struct {
	app  *platform.Services
	api  huma.API
	log  *slog.Logger
	opts Options
}

// New registers the API's operations on mux.
func New(mux *http.ServeMux, a *platform.Services, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{app: a, log: opts.Logger, opts: opts}
	cfg := huma.DefaultConfig("motcua — Hệ thống thông tin giải quyết thủ tục hành chính", Version)
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = "" // the hosted docs renderer loads third-party scripts; serve the document only
	cfg.SchemasPath = "/api/v1/schemas"
	cfg.CreateHooks = nil // no $schema links in bodies: responses are plain documents
	cfg.Formats = map[string]huma.Format{"application/json": vnJSON, "json": vnJSON}
	cfg.Info.Description = "API của nền tảng một cửa điện tử cấp tỉnh. Lỗi trả về theo RFC 9457 (problem details) với mô tả tiếng Việt."
	schemas := huma.NewMapRegistry("#/components/schemas/", schemaName)
	schemas.RegisterTypeAlias(reflect.TypeFor[calendar.TimeOfDay](), reflect.TypeFor[timeOfDay]())
	schemas.RegisterTypeAlias(reflect.TypeFor[dvcqg.Code](), reflect.TypeFor[portalCode]())
	cfg.Components.Schemas = schemas
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "Token từ POST /api/v1/auth/login"},
	}
	s.api = humago.New(mux, cfg)
	s.api.UseMiddleware(s.authorize)
	s.routes()
	return s
}

// API returns the huma API (for tests that inspect the operations).
func (s *Server) API() huma.API { return s.api }

// Access is the access policy of an operation; every operation declares
// one, and an operation without one is refused (deny by default).
type Access struct {
	Public bool                // anyone, logged in or not
	Perm   identity.Permission // required permission ("" = any logged-in account)
}

var (
	public   = Access{Public: true}
	loggedIn = Access{}
)

func needs(p identity.Permission) Access { return Access{Perm: p} }

type ctxKey int

const (
	actorKey ctxKey = iota
	tokenKey
)

// actorOf returns the actor the middleware put in the context.
func actorOf(ctx context.Context) identity.Actor {
	a, _ := ctx.Value(actorKey).(identity.Actor)
	return a
}

func tokenOf(ctx context.Context) string {
	t, _ := ctx.Value(tokenKey).(string)
	return t
}

// authorize authenticates the caller (auth.Identify, as the pages do) and
// enforces the operation's access policy before any handler runs.
func (s *Server) authorize(ctx huma.Context, next func(huma.Context)) {
	acc, ok := ctx.Operation().Metadata["access"].(Access)
	if !ok {
		s.log.Error("operation without access policy", "op", ctx.Operation().OperationID)
		_ = huma.WriteErr(s.api, ctx, http.StatusForbidden, "no access policy")
		return
	}
	caller, err := auth.Identify(ctx.Context(), s.app.Accounts, ctx)
	// A cookie is sent by the browser on its own: it authenticates only
	// safe requests; state changes need the bearer token (CSRF defence).
	if m := ctx.Method(); caller.Cookie && m != http.MethodGet && m != http.MethodHead {
		caller.Actor.Account, caller.Token, err = nil, "", nil
	}
	if err != nil && !acc.Public {
		s.writeProblem(ctx, err)
		return
	}
	actor := caller.Actor
	if !acc.Public {
		if actor.Account == nil {
			if browserNavigation(ctx) {
				// A link of the pages (a printed form, a file) opened
				// once the session has ended: log in, then back here.
				u := ctx.URL()
				ctx.SetHeader("Location", "/dang-nhap?next="+url.QueryEscape(u.RequestURI()))
				ctx.SetStatus(http.StatusSeeOther)
				return
			}
			s.writeProblem(ctx, &respond.Problem{Status: http.StatusUnauthorized, Title: http.StatusText(http.StatusUnauthorized), Detail: respond.StatusText[http.StatusUnauthorized], Key: "auth.required"})
			return
		}
		if acc.Perm != "" && !actor.Account.Can(acc.Perm, "") {
			s.writeProblem(ctx, &respond.Problem{Status: http.StatusForbidden, Title: http.StatusText(http.StatusForbidden), Detail: respond.StatusText[http.StatusForbidden], Key: "auth.forbidden"})
			return
		}
	}
	ctx = huma.WithValue(ctx, actorKey, actor)
	ctx = huma.WithValue(ctx, tokenKey, caller.Token)
	next(ctx)
}

// browserNavigation reports whether a request is a browser following a
// link: a GET whose Accept names HTML before any JSON (a script, curl and
// the API's clients ask for JSON or for anything).
func browserNavigation(ctx huma.Context) bool {
	if ctx.Method() != http.MethodGet {
		return false
	}
	for _, part := range strings.Split(ctx.Header("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch {
		case mt == "text/html":
			return true
		case mt == "application/json", strings.HasSuffix(mt, "+json"):
			return false
		}
	}
	return false
}

func (s *Server) writeProblem(ctx huma.Context, err error) {
	p := respond.ProblemOf(s.log, nil, err)
	ctx.SetHeader("Content-Type", "application/problem+json")
	if p.Status == http.StatusUnauthorized {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="motcua"`)
	}
	if p.RetryAfter > 0 {
		ctx.SetHeader("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	ctx.SetStatus(p.Status)
	_ = jsonEncode(ctx.BodyWriter(), p)
}

// problem maps a use case's error to the problem huma writes.
func problem(log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	p := respond.ProblemOf(log, nil, err)
	if p.RetryAfter > 0 {
		return huma.ErrorWithHeaders(p, http.Header{"Retry-After": {strconv.Itoa(p.RetryAfter)}})
	}
	return p
}

func init() {
	// Errors that huma itself raises (request validation, content
	// negotiation) become problems with a Vietnamese detail.
	huma.NewError = func(status int, msg string, es ...error) huma.StatusError {
		p := &respond.Problem{Status: status, Title: http.StatusText(status), Detail: respond.StatusText[status], Key: "http." + strconv.Itoa(status)}
		if p.Detail == "" {
			p.Detail = msg
		}
		for _, e := range es {
			if e == nil {
				continue
			}
			var d huma.ErrorDetailer
			if errors.As(e, &d) {
				ed := d.ErrorDetail()
				p.Errors = append(p.Errors, respond.ProblemField{Location: ed.Location, Message: ed.Message, Value: echoed(ed.Location, ed.Value)})
				continue
			}
			p.Errors = append(p.Errors, respond.ProblemField{Message: e.Error()})
		}
		return p
	}
}

// echoed is the value a problem may show back for a field at location: a
// path or query parameter, which the caller sees in the address anyway;
// never anything from the body (huma gives the whole body for a wrong
// Content-Type or bad JSON, and the object for an unknown property: the
// login's password would come back in the answer and in the logs of every
// proxy on the way).
func echoed(location string, v any) any {
	if strings.HasPrefix(location, "path.") || strings.HasPrefix(location, "query.") {
		return v
	}
	return nil
}

// register adds an operation with its access policy.
func register[I, O any](s *Server, op huma.Operation, acc Access, h func(context.Context, *I) (*O, error)) {
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata["access"] = acc
	if acc.Public {
		op.Security = []map[string][]string{} // explicitly anonymous: "security": []
	} else {
		op.Security = []map[string][]string{{"bearer": {}}}
		if acc.Perm != "" {
			op.Description = strings.TrimSpace(op.Description + "\n\nQuyền yêu cầu: `" + string(acc.Perm) + "`.")
		} else {
			op.Description = strings.TrimSpace(op.Description + "\n\nYêu cầu đăng nhập.")
		}
	}
	huma.Register(s.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, problem(s.log, err)
		}
		return out, nil
	})
}

// cookieAge is a session cookie's lifetime in seconds: relative, so that
// a browser whose clock differs from the server's keeps it as long.
func (s *Server) cookieAge(expires time.Time) int {
	return max(1, int(expires.Sub(s.app.Kernel.Now()).Seconds()))
}

// schemaName names OpenAPI schemas like huma does, prefixing the types of
// the dossier package (Dossier…) so that they do not collide with the
// catalogue's types of the same name (Component, Step), and those of the
// national portal's format (Dvcqg…).
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if strings.HasSuffix(t.PkgPath(), "/dossier") && !strings.HasPrefix(name, "Dossier") {
		return "Dossier" + name
	}
	if strings.HasSuffix(t.PkgPath(), "/dvcqg") {
		return "Dvcqg" + name // the national portal's records: Dossier, Document, Fee…
	}
	return name
}

// timeOfDay is how a calendar.TimeOfDay travels in JSON: minutes since
// midnight inside, the string "HH:MM" on the wire (see its MarshalJSON).
type timeOfDay string

// Schema documents the wire form instead of the Go integer.
func (timeOfDay) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Pattern: `^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$`,
		Description: "Giờ trong ngày dạng HH:MM, giờ Việt Nam (24:00: hết ngày)", Examples: []any{"07:30"}}
}
