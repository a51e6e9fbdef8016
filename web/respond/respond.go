// Package respond is the one place where a use case's error becomes an
// HTTP answer: its kind gives the status, its Vietnamese message the text,
// internal errors are logged and never shown. A client that asks for JSON
// (the API, scripts) gets an RFC 9457 problem; a browser gets the pages'
// error page.
package respond

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/errs"
)

// Problem is an RFC 9457 problem details document with a Vietnamese detail.
type Problem struct {
	Type   string         `json:"type,omitempty" doc:"URI identifying the problem type"`
	Title  string         `json:"title" doc:"Short summary (HTTP status text)"`
	Status int            `json:"status" doc:"HTTP status code"`
	Detail string         `json:"detail" doc:"Explanation for the user, in Vietnamese"`
	Key    string         `json:"key,omitempty" doc:"Stable translation key of the problem"`
	Errors []ProblemField `json:"errors,omitempty" doc:"Per-field problems"`
	// RetryAfter is sent as the Retry-After header (seconds; 0 = none).
	RetryAfter int `json:"-"`
}

// ProblemField is one field's problem.
type ProblemField struct {
	Location string `json:"location" doc:"Where the problem is, e.g. body.procedures[0].code"`
	Key      string `json:"key,omitempty"`
	Message  string `json:"message" doc:"Vietnamese message"`
	// Value is the value received, for a path or query parameter only:
	// nothing sent in a body (a password) is ever shown back.
	Value any `json:"value,omitempty" doc:"Giá trị đã nhận của tham số đường dẫn hoặc truy vấn (không bao giờ lấy từ nội dung gửi lên)"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Key, p.Detail) }

// GetStatus returns the HTTP status.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType makes JSON problems application/problem+json.
func (p *Problem) ContentType(ct string) string {
	if ct == "application/json" {
		return "application/problem+json"
	}
	return ct
}

// StatusText is the Vietnamese detail used when nothing more precise is known.
var StatusText = map[int]string{
	http.StatusBadRequest:            "Yêu cầu không hợp lệ.",
	http.StatusUnauthorized:          "Bạn cần đăng nhập để thực hiện thao tác này.",
	http.StatusForbidden:             "Tài khoản của bạn không có quyền thực hiện thao tác này.",
	http.StatusNotFound:              "Không tìm thấy nội dung yêu cầu.",
	http.StatusMethodNotAllowed:      "Phương thức không được hỗ trợ.",
	http.StatusNotAcceptable:         "Định dạng phản hồi yêu cầu không được hỗ trợ.",
	http.StatusConflict:              "Yêu cầu xung đột với trạng thái hiện tại.",
	http.StatusRequestEntityTooLarge: "Dữ liệu gửi lên quá lớn.",
	http.StatusUnsupportedMediaType:  "Định dạng dữ liệu gửi lên không được hỗ trợ.",
	http.StatusUnprocessableEntity:   "Dữ liệu gửi lên không hợp lệ.",
	http.StatusTooManyRequests:       "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.",
	http.StatusInternalServerError:   "Hệ thống gặp lỗi. Vui lòng thử lại sau.",
	http.StatusServiceUnavailable:    "Hệ thống tạm thời không phục vụ được. Vui lòng thử lại sau.",
}

// kindStatus maps the error kinds to HTTP statuses: the one table.
var kindStatus = map[errs.Kind]int{
	errs.Invalid:      http.StatusUnprocessableEntity,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Forbidden:    http.StatusForbidden,
	errs.RateLimited:  http.StatusTooManyRequests,
	errs.Unavailable:  http.StatusServiceUnavailable,
	errs.Internal:     http.StatusInternalServerError,
}

// UnavailableRetryAfter is the Retry-After, in seconds, of a 503 answer to
// an Unavailable error (a full disk, a database that refuses connections).
const UnavailableRetryAfter = 30

// Status is the HTTP status of an error's kind (500 for an error of no kind).
func Status(err error) int {
	if e, ok := errs.As(err); ok {
		return kindStatus[e.Kind]
	}
	return http.StatusInternalServerError
}

// ProblemOf maps an error to a problem. Internal errors (and errors of no
// kind) are logged with what was asked, and shown as the generic 500.
func ProblemOf(log *slog.Logger, r *http.Request, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		if r != nil {
			log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		} else {
			log.Error("request failed", "error", err)
		}
		return &Problem{Status: http.StatusInternalServerError, Title: http.StatusText(http.StatusInternalServerError), Detail: StatusText[http.StatusInternalServerError], Key: "internal"}
	}
	status := kindStatus[e.Kind]
	p = &Problem{Status: status, Title: http.StatusText(status), Detail: e.Message, Key: e.Key}
	if e.Kind == errs.Unavailable {
		// Not the caller's fault, and an operator must see it (a full
		// disk, a database refusing connections): logged with its cause.
		p.RetryAfter = UnavailableRetryAfter
		if r != nil {
			log.Warn("service unavailable", "method", r.Method, "path", r.URL.Path, "key", e.Key, "error", err)
		} else {
			log.Warn("service unavailable", "key", e.Key, "error", err)
		}
	}
	if p.Detail == "" {
		p.Detail = StatusText[status]
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, ProblemField{Location: f.Field, Key: f.Key, Message: f.Message})
	}
	var re *accounts.RetryError
	if errors.As(err, &re) {
		p.RetryAfter = int(re.After.Seconds()) + 1
	}
	return p
}

// Message is the problem's text for a page: the detail and each field's
// message.
func (p *Problem) Message() string {
	msg := p.Detail
	for _, f := range p.Errors {
		msg += " " + f.Message
	}
	return msg
}

// Headers sets the headers a problem carries (Retry-After, and
// WWW-Authenticate on 401 when bearer is true).
func (p *Problem) Headers(h http.Header, bearer bool) {
	if p.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	if bearer && p.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="motcua"`)
	}
}

// WantsJSON reports whether the client prefers JSON to HTML: an Accept
// header naming a JSON type before (or without) text/html.
func WantsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch {
		case mt == "text/html":
			return false
		case mt == "application/json", mt == "application/problem+json", strings.HasSuffix(mt, "+json"):
			return true
		}
	}
	return false
}

// Renderer answers an error as a problem or as a page.
type Renderer struct {
	Log *slog.Logger
	// Page writes the HTML error page (the pages set it).
	Page func(w http.ResponseWriter, r *http.Request, status int, message string)
}

// Error answers err: a JSON problem to a client that asks for JSON or when
// no page renderer is set, the error page otherwise.
func (rr *Renderer) Error(w http.ResponseWriter, r *http.Request, err error) {
	p := ProblemOf(rr.Log, r, err)
	p.Headers(w.Header(), false)
	if rr.Page == nil || WantsJSON(r) {
		WriteProblem(w, p)
		return
	}
	rr.Page(w, r, p.Status, p.Message())
}

// Status answers a bare HTTP status, with no use case's error behind it
// (a path no route knows, a method a route does not take): its generic
// problem to a client that asks for JSON, to a path of the API (/api/) or
// when no page renderer is set; the error page otherwise.
func (rr *Renderer) Status(w http.ResponseWriter, r *http.Request, status int) {
	msg := StatusText[status]
	if msg == "" {
		msg = http.StatusText(status)
	}
	if rr.Page == nil || WantsJSON(r) || strings.HasPrefix(r.URL.Path, "/api/") {
		WriteProblem(w, &Problem{Status: status, Title: http.StatusText(status), Detail: msg})
		return
	}
	rr.Page(w, r, status, msg)
}

// WriteProblem writes p as application/problem+json.
func WriteProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}
