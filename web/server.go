// Package web is the HTTP edge of the platform. It serves, on one mux, the
// JSON API (web/api) and the HTML pages (web/ui), which share one way to
// learn who calls (web/auth) and one way to answer an error (web/respond);
// it adds health and metrics endpoints, security headers, request logs and
// metrics. Nothing here knows a rule: it adapts HTTP to the use cases.
package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/internal/diskspace"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/auth"
	"github.com/motcua/motcua/web/respond"
	"github.com/motcua/motcua/web/ui"
)

// SessionCookie is the name of the web session cookie.
const SessionCookie = auth.SessionCookie

// Options configure the server.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// PublicURL is the address citizens reach the platform at; the QR
	// codes of printed forms point there (default: the request's host).
	PublicURL string
	// Disk makes /readyz answer 503 while the data directory has less
	// than Disk.MinFree bytes free, or for Disk.Window after a write
	// found the disk full. The store's full disks are watched whatever
	// Disk says (when it records them); add the file store's in Seen.
	Disk diskspace.Guard
	// MetricsToken is the bearer token /metrics asks for. Empty, the
	// handler has no /metrics (404); Metrics serves them on a listener of
	// the operator's own (the loopback profiler's).
	MetricsToken string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Real-IP give the client's address (none: the connection's
	// address is the client's).
	TrustedProxies auth.Proxies
	// Collectors are more metrics served on /metrics (the outbox relay's).
	Collectors []prometheus.Collector
}

// Server is the HTTP handler of the platform.
type Server struct {
	app     *platform.Services
	api     *api.Server
	mux     *http.ServeMux
	log     *slog.Logger
	opts    Options
	reg     *prometheus.Registry
	reqs    *prometheus.CounterVec
	latency *prometheus.HistogramVec
	// errs answers the errors: here, the paths and methods no route takes.
	errs *respond.Renderer
	// routes is the mux behind the compression of HTML, CSS, JS, JSON
	// and SVG answers (compress.go).
	routes http.Handler
}

// New builds the server.
func New(a *platform.Services, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if st, ok := a.Kernel.Store.(interface{ LastDiskFull() time.Time }); ok {
		opts.Disk.Seen = append(slices.Clip(opts.Disk.Seen), st.LastDiskFull)
	}
	s := &Server{app: a, mux: http.NewServeMux(), log: opts.Logger, opts: opts, reg: prometheus.NewRegistry()}
	s.reqs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_http_requests_total", Help: "HTTP requests by method, route pattern and status code."}, []string{"method", "route", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_http_request_duration_seconds", Help: "HTTP request latency by method and route pattern.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}, []string{"method", "route"})
	s.reg.MustRegister(s.reqs, s.latency, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	s.reg.MustRegister(opts.Collectors...)

	s.api = api.New(s.mux, a, api.Options{Logger: opts.Logger, SecureCookies: opts.SecureCookies, PublicURL: opts.PublicURL})
	s.errs = &respond.Renderer{Log: opts.Logger}
	if _, err := ui.New(s.mux, a, s.errs, ui.Options{Logger: opts.Logger, SecureCookies: opts.SecureCookies, PublicURL: opts.PublicURL}); err != nil {
		panic(fmt.Errorf("pages: %w", err)) // the templates are embedded: a parse error is a bug caught by every test
	}

	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if opts.MetricsToken != "" {
		s.mux.Handle("GET /metrics", s.metricsWithToken(opts.MetricsToken))
	}
	s.routes = compress(http.HandlerFunc(s.route))
	return s
}

// Metrics is the Prometheus handler without any check, for a listener
// that only the operator reaches.
func (s *Server) Metrics() http.Handler {
	return promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{})
}

// metricsWithToken serves the metrics to the holder of the bearer token:
// they tell the load, the routes and the process to whoever reads them.
func (s *Server) metricsWithToken(token string) http.Handler {
	want := sha256.Sum256([]byte(token))
	h := s.Metrics()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="motcua-metrics"`)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte("Cần mã truy cập để xem số liệu giám sát. (A metrics token is required.)\n"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// API returns the huma API (for tests that inspect the operations).
func (s *Server) API() huma.API { return s.api.API() }

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.app.Kernel.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("store unavailable\n"))
		return
	}
	if err := s.opts.Disk.Check(); err != nil {
		s.log.Warn("not ready", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready: " + err.Error() + "\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// Handler returns the whole HTTP handler with logging, metrics and
// security headers.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// The one place the client's address is found: the actor of the
		// use cases, the login throttling, the audit and the logs read
		// RemoteAddr.
		r = s.opts.TrustedProxies.Resolve(r)
		h := w.Header()
		for _, kv := range securityHeaders {
			h.Set(kv[0], kv[1])
		}
		if s.opts.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		rec.beforeHeader = func() {
			if personal(r, h) && !strings.Contains(h.Get("Cache-Control"), "no-store") {
				h.Set("Cache-Control", "no-store")
			}
		}
		r.Body = keepOpen{http.MaxBytesReader(rec, r.Body, 64<<20)}
		s.routes.ServeHTTP(rec, r)
		rec.header() // a handler that wrote nothing: Go sends its headers now
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.reqs.WithLabelValues(r.Method, route, strconv.Itoa(rec.status)).Inc()
		s.latency.WithLabelValues(r.Method, route).Observe(d.Seconds())
		if route != "GET /healthz" && route != "GET /metrics" {
			s.log.Info("http", "method", r.Method, "route", route, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes, "ms", float64(d.Microseconds())/1000, "ip", auth.ClientIP(r.RemoteAddr))
		}
	})
}

// securityHeaders are sent with every answer (a handler may narrow the
// Content-Security-Policy of its own answer, as the file views do). The
// pages use no camera, microphone, location, payment request or device
// API: the Permissions-Policy denies them to the pages and to anything a
// flaw could inject; the platform opens no cross-origin window and lends
// no resource to another site.
var securityHeaders = [][2]string{
	{"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"},
	{"Permissions-Policy", "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=(), xr-spatial-tracking=()"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
}

// personal reports whether the answer to r (with the headers h the
// handler set) may carry someone's data, so that no cache keeps it: a
// request with credentials (the token, the session cookie), a state change
// (the login's answer carries a token), an answer that sets a cookie.
// The static assets and the icon are the same for everyone and stay
// cacheable.
func personal(r *http.Request, h http.Header) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return true
	}
	if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/favicon.ico" {
		return false
	}
	if r.Header.Get("Authorization") != "" || h.Get("Set-Cookie") != "" {
		return true
	}
	_, err := r.Cookie(auth.SessionCookie)
	return err == nil
}

// keepOpen is a request body whose Close does not reach the connection's
// body. Go's server reads what a handler left of a body (up to 256 KiB,
// else it closes the connection) so that the next request starts where it
// should; when the handler closed the body early, it closes the
// connection, but it can tell only if the body closed is the one it gave
// the handler. huma closes the body it stops reading at an operation's
// MaxBodyBytes: through the limit's wrapper, the server took the rest of
// the body for the next request (TestBodyLeftUnreadIsNotARequest). A
// handler need not close a request body: the server does.
type keepOpen struct{ io.Reader }

func (keepOpen) Close() error { return nil }

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
	// beforeHeader runs once, just before the headers are sent.
	beforeHeader func()
	headerDone   bool
}

// header runs beforeHeader if the headers are not sent yet.
func (r *statusRecorder) header() {
	if !r.headerDone {
		r.headerDone = true
		if r.beforeHeader != nil {
			r.beforeHeader()
		}
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	r.header()
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.header()
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
