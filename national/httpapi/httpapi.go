// Package httpapi is the HTTP edge of the national mode (`motcua serve
// --national`): the national portal's sync endpoints in both styles of
// dvcqg/PROTOCOL.md (one adapter endpoint with sessions; three URLs with
// HTTP Basic auth), the national look-up and statistics as JSON, a status
// page, and health checks. It adapts HTTP to package national and knows no
// rule of its own.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/web/limit"
	"github.com/motcua/motcua/web/respond"
)

// MaxBody is the largest request body read (PROTOCOL.md: 413 beyond).
const MaxBody = 8 << 20

// DefaultMaxInFlight is how many sync and read requests run at once by
// default: more than the 34 provinces each sending one batch at a time,
// fewer than would queue on the database's connections without end.
const DefaultMaxInFlight = 64

// Routes of the two styles (PROTOCOL.md), below the national mode's base.
const (
	PathAuth        = "/dvcqg/adapter/auth"
	PathIntegration = "/dvcqg/adapter/integration"
	PathAdd         = "/dvcqg/them-moi"
	PathUpdate      = "/dvcqg/cap-nhat"
	PathProgress    = "/dvcqg/dong-bo-tien-trinh"
	PathAnchor      = "/dvcqg/neo-nhat-ky"
	PathAnchors     = "/api/v1/national/anchors/"
	PathLookup      = "/api/v1/national/dossiers/"
	PathStats       = "/api/v1/national/stats"
)

// Options configure the handler.
type Options struct {
	Logger *slog.Logger
	// MaxInFlight bounds the requests served at once (default
	// DefaultMaxInFlight); beyond, 503 with Retry-After.
	MaxInFlight int
	// ReadToken, when set, is the bearer token the look-up and the
	// statistics ask for; unset, they are public (the demo).
	ReadToken string
	// Ping checks the store for /readyz (nil: always ready).
	Ping func(context.Context) error
}

// Handler serves the national mode.
type Handler struct {
	svc      *national.Service
	log      *slog.Logger
	opts     Options
	mux      *http.ServeMux
	gate     *limit.Gate
	draining atomic.Bool
}

// New builds the handler and its routes.
func New(svc *national.Service, opts Options) *Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = DefaultMaxInFlight
	}
	h := &Handler{svc: svc, log: opts.Logger, opts: opts, mux: http.NewServeMux()}
	h.gate = limit.NewGate(opts.MaxInFlight, 2*time.Second, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeReply(w, http.StatusServiceUnavailable, dvcqg.Reply{ErrorCode: codeUnavailable, Message: "Cổng quốc gia đang quá tải, xin gửi lại sau ít giây."})
	}))
	work := func(pattern string, fn http.HandlerFunc) { h.mux.Handle(pattern, h.gate.Wrap(fn)) }

	// Style A: one adapter endpoint, sessions.
	work("POST "+PathAuth, h.auth)
	work("POST "+PathIntegration, h.integration)
	// Style B: three URLs, HTTP Basic auth.
	work("POST "+PathAdd, h.threeURL(h.addDossiers))
	work("POST "+PathUpdate, h.threeURL(h.updateDossiers))
	work("POST "+PathProgress, h.threeURL(h.addProgress))
	// A province's signed audit anchors, kept in the national log.
	work("POST "+PathAnchor, h.threeURL(h.receiveAnchor))
	work("GET "+PathAnchors+"{province}", h.readOnly(h.anchors))
	// The national look-up and statistics.
	work("GET "+PathLookup+"{code...}", h.readOnly(h.lookup))
	work("GET "+PathStats, h.readOnly(h.stats))
	work("GET /{$}", h.statusPage)

	h.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	h.mux.HandleFunc("GET /readyz", h.readyz)
	return h
}

// ServeHTTP serves a request, or answers 503 while the server drains.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.draining.Load() && r.URL.Path != "/healthz" {
		w.Header().Set("Retry-After", "5")
		writeReply(w, http.StatusServiceUnavailable, dvcqg.Reply{ErrorCode: codeUnavailable, Message: "Cổng quốc gia đang dừng để bảo trì, xin gửi lại sau."})
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// Drain makes every later request answer 503 (the server is stopping;
// what runs finishes).
func (h *Handler) Drain() { h.draining.Store(true) }

// InFlight is how many requests are being served.
func (h *Handler) InFlight() int { return h.gate.InUse() }

func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if h.opts.Ping != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := h.opts.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("store unavailable\n"))
			return
		}
	}
	_, _ = w.Write([]byte("ready\n"))
}

// Codes of the answers that are not the protocol's own (PROTOCOL.md says
// only their HTTP status): the status itself, which no client reads as
// success or as "already there".
const (
	codeUnavailable = "503"
	codeInternal    = "500"
)

// kindCode maps a use case's error to the protocol's code: the one table.
// Each is answered with HTTP 200, as the portal does.
var kindCode = map[errs.Kind]string{
	errs.Invalid:      dvcqg.CodeInvalid,
	errs.NotFound:     dvcqg.CodeNotFound,
	errs.Unauthorized: dvcqg.CodeAuth,
}

// fail answers an error of the use case: its code and Vietnamese message
// with HTTP 200; an outage with 503 and Retry-After; anything else with a
// logged 500 that shows nothing of the cause.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := errs.As(err); ok {
		if code, ok := kindCode[e.Kind]; ok {
			writeReply(w, http.StatusOK, dvcqg.Reply{ErrorCode: code, Message: e.Message})
			return
		}
	}
	p := respond.ProblemOf(h.log, r, err)
	code := codeInternal
	if p.Status == http.StatusServiceUnavailable {
		code = codeUnavailable
		w.Header().Set("Retry-After", strconv.Itoa(max(p.RetryAfter, 1)))
	}
	writeReply(w, p.Status, dvcqg.Reply{ErrorCode: code, Message: p.Detail})
}

// ok answers an accepted batch.
func ok(w http.ResponseWriter, o national.Outcome) {
	writeReply(w, http.StatusOK, dvcqg.Reply{ErrorCode: o.Code, Message: o.Message})
}

func writeReply(w http.ResponseWriter, status int, rep dvcqg.Reply) {
	b, err := json.Marshal(rep)
	if err != nil { // a Reply always marshals; Result is valid JSON
		status, b = http.StatusInternalServerError, []byte(`{"error_code":"500","message":"Lỗi hệ thống."}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// body reads a request's body, at most MaxBody: a body over it is
// answered 413. Whether it is JSON is known when it is decoded (see
// notJSON): a second pass over every body to check first would cost the
// ingest a fifth of its decoding.
func body(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeReply(w, http.StatusRequestEntityTooLarge, dvcqg.Reply{ErrorCode: dvcqg.CodeInvalid, Message: "Dữ liệu gửi lên quá 8 MB: xin chia thành nhiều lần gửi."})
		return nil, false
	case err != nil:
		writeReply(w, http.StatusBadRequest, dvcqg.Reply{ErrorCode: dvcqg.CodeInvalid, Message: "Không đọc được nội dung yêu cầu."})
		return nil, false
	}
	return b, true
}

// notJSON answers 400 when a body that could not be decoded is not JSON
// at all (and reports it); a body that is JSON of the wrong shape is the
// protocol's "-1", answered by the caller.
func notJSON(w http.ResponseWriter, b []byte) bool {
	if json.Valid(b) {
		return false
	}
	writeReply(w, http.StatusBadRequest, dvcqg.Reply{ErrorCode: dvcqg.CodeInvalid, Message: "Nội dung yêu cầu không phải JSON hợp lệ."})
	return true
}

// batchLen counts the elements of a JSON array without decoding them (ok
// is false when b is not an array; when b is not JSON the count means
// nothing, and the decoding that follows refuses it). A batch over the
// limit is refused before it is decoded: 8 MB of tiny records would
// otherwise become hundreds of megabytes of structs.
func batchLen(b []byte) (n int, ok bool) {
	depth, inString, escaped, empty := 0, false, false, true
	for _, c := range b {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case depth == 0 && c != '[':
			return 0, false
		}
		if depth == 1 && c != ']' {
			empty = false
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 1 {
				n++
			}
		}
	}
	if empty {
		return 0, true
	}
	return n + 1, true
}

// checkBatchLen refuses a batch of more than limit elements.
func checkBatchLen(b []byte, limit int, what string) error {
	if n, ok := batchLen(b); ok && n > limit {
		return errs.New(errs.Invalid, "national.batch_too_large", fmt.Sprintf("Mỗi lần gửi tối đa %d %s (đã gửi %d).", limit, what, n), "batch too large")
	}
	return nil
}

// unauthorized answers 401 to credentials that are missing or wrong.
func unauthorized(w http.ResponseWriter, basic bool, msg string) {
	if basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="dvcqg", charset="UTF-8"`)
	}
	writeReply(w, http.StatusUnauthorized, dvcqg.Reply{ErrorCode: dvcqg.CodeAuth, Message: msg})
}

// clientIP is the connection's address (the audit's IP).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
