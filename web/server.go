// Package web is the HTTP edge of the platform: the HTML pages, the JSON API under /api/v1
// (with its OpenAPI 3.1 document), health and metrics endpoints, security
// headers, request logs and metrics. It adapts HTTP to the app use cases.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/identity"
)

// Version is the API version reported in the OpenAPI document.
const Version = "0.1.0"

// SessionCookie is the name of the web session cookie.
const SessionCookie = "motcua_session"

// Options configure the server.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// PublicURL is the address citizens reach the platform at; the QR
	// codes of printed forms point there (default: the request's host).
	PublicURL string
}

// Server is the HTTP handler of the platform.
type Server struct {
	app     *platform.Services
	api     huma.API
	mux     *http.ServeMux
	log     *slog.Logger
	pages   pages
	opts    Options
	reg     *prometheus.Registry
	reqs    *prometheus.CounterVec
	latency *prometheus.HistogramVec
}

// New builds the server.
func New(a *platform.Services, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Server{app: a, mux: http.NewServeMux(), log: opts.Logger, opts: opts, reg: prometheus.NewRegistry()}
	s.reqs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_http_requests_total", Help: "HTTP requests by method, route pattern and status code."}, []string{"method", "route", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_http_request_duration_seconds", Help: "HTTP request latency by method and route pattern.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"method", "route"})
	s.reg.MustRegister(s.reqs, s.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	cfg := huma.DefaultConfig("motcua — Hệ thống thông tin giải quyết thủ tục hành chính", Version)
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = "" // the hosted docs renderer loads third-party scripts; serve the document only
	cfg.SchemasPath = "/api/v1/schemas"
	cfg.CreateHooks = nil // no $schema links in bodies: responses are plain documents
	cfg.Info.Description = "API của nền tảng một cửa điện tử cấp tỉnh. Lỗi trả về theo RFC 9457 (problem details) với mô tả tiếng Việt."
	schemas := huma.NewMapRegistry("#/components/schemas/", schemaName)
	schemas.RegisterTypeAlias(reflect.TypeFor[calendar.TimeOfDay](), reflect.TypeFor[timeOfDay]())
	cfg.Components.Schemas = schemas
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "Token từ POST /api/v1/auth/login"},
	}
	s.api = humago.New(s.mux, cfg)
	s.api.UseMiddleware(s.authorize)
	s.routes()
	if err := s.pageRoutes(); err != nil {
		panic(err) // the templates are embedded: a parse error is a bug caught by every test
	}

	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	return s
}

// API returns the huma API (for tests that inspect the operations).
func (s *Server) API() huma.API { return s.api }

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.app.Kernel.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("store unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// Handler returns the whole HTTP handler with logging, metrics and
// security headers.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if s.opts.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		r.Body = http.MaxBytesReader(rec, r.Body, 64<<20)
		s.mux.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.reqs.WithLabelValues(r.Method, route, itoa(rec.status)).Inc()
		s.latency.WithLabelValues(r.Method, route).Observe(d.Seconds())
		if route != "GET /healthz" && route != "GET /metrics" {
			s.log.Info("http", "method", r.Method, "route", route, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes, "ms", float64(d.Microseconds())/1000, "ip", clientIP(r.RemoteAddr))
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func itoa(n int) string {
	var b [8]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 || i == 0 {
			break
		}
	}
	return string(b[i:])
}

func clientIP(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return host
}

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
func actorOf(ctx context.Context) app.Actor {
	a, _ := ctx.Value(actorKey).(app.Actor)
	return a
}

func tokenOf(ctx context.Context) string {
	t, _ := ctx.Value(tokenKey).(string)
	return t
}

// authorize authenticates the caller and enforces the operation's access
// policy before any handler runs.
func (s *Server) authorize(ctx huma.Context, next func(huma.Context)) {
	acc, ok := ctx.Operation().Metadata["access"].(Access)
	if !ok {
		s.log.Error("operation without access policy", "op", ctx.Operation().OperationID)
		_ = huma.WriteErr(s.api, ctx, http.StatusForbidden, "no access policy")
		return
	}
	actor := app.Actor{IP: clientIP(ctx.RemoteAddr()), UserAgent: ctx.Header("User-Agent")}
	token, fromCookie := "", false
	if h := ctx.Header("Authorization"); h != "" {
		t, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			s.writeProblem(ctx, &Problem{Status: http.StatusUnauthorized, Title: http.StatusText(http.StatusUnauthorized), Detail: "Tiêu đề Authorization phải có dạng 'Bearer <token>'.", Key: "auth.bad_header"})
			return
		}
		token = strings.TrimSpace(t)
	} else if c := ctx.Header("Cookie"); c != "" {
		if cs, err := http.ParseCookie(c); err == nil {
			for _, ck := range cs {
				if ck.Name == SessionCookie {
					token, fromCookie = ck.Value, true
				}
			}
		}
	}
	// A cookie is sent by the browser on its own: it authenticates only
	// safe requests; state changes need the bearer token (CSRF defence).
	m := ctx.Method()
	if fromCookie && m != http.MethodGet && m != http.MethodHead {
		token = ""
	}
	if token != "" {
		account, err := s.app.Accounts.Authenticate(ctx.Context(), token)
		switch {
		case err == nil:
			actor.Account = account
		case !acc.Public:
			s.writeProblem(ctx, problem(s.log, err))
			return
		}
	}
	if !acc.Public {
		if actor.Account == nil {
			s.writeProblem(ctx, &Problem{Status: http.StatusUnauthorized, Title: http.StatusText(http.StatusUnauthorized), Detail: vietStatus[http.StatusUnauthorized], Key: "auth.required"})
			return
		}
		if acc.Perm != "" && !actor.Account.Can(acc.Perm, "") {
			s.writeProblem(ctx, &Problem{Status: http.StatusForbidden, Title: http.StatusText(http.StatusForbidden), Detail: vietStatus[http.StatusForbidden], Key: "auth.forbidden"})
			return
		}
	}
	ctx = huma.WithValue(ctx, actorKey, actor)
	ctx = huma.WithValue(ctx, tokenKey, token)
	next(ctx)
}

func (s *Server) writeProblem(ctx huma.Context, err error) {
	p, ok := err.(*Problem)
	if !ok {
		p = &Problem{Status: http.StatusInternalServerError, Title: http.StatusText(http.StatusInternalServerError), Detail: vietStatus[http.StatusInternalServerError], Key: "internal"}
	}
	ctx.SetHeader("Content-Type", "application/problem+json")
	if p.Status == http.StatusUnauthorized {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="motcua"`)
	}
	ctx.SetStatus(p.Status)
	_ = jsonEncode(ctx.BodyWriter(), p)
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

// schemaName names OpenAPI schemas like huma does, prefixing the types of
// the dossier package (Dossier…) so that they do not collide with the
// catalogue's types of the same name (Component, Step).
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if strings.HasSuffix(t.PkgPath(), "/dossier") && !strings.HasPrefix(name, "Dossier") {
		return "Dossier" + name
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
