package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

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
}

// ProblemField is one field's problem.
type ProblemField struct {
	Location string `json:"location" doc:"Where the problem is, e.g. body.procedures[0].code"`
	Key      string `json:"key,omitempty"`
	Message  string `json:"message" doc:"Vietnamese message"`
	Value    any    `json:"value,omitempty"`
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

// vietStatus is the Vietnamese detail used when nothing more precise is known.
var vietStatus = map[int]string{
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

func init() {
	// Errors that huma itself raises (request validation, content
	// negotiation) become problems with a Vietnamese detail.
	huma.NewError = func(status int, msg string, es ...error) huma.StatusError {
		p := &Problem{Status: status, Title: http.StatusText(status), Detail: vietStatus[status], Key: "http." + strconv.Itoa(status)}
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
				p.Errors = append(p.Errors, ProblemField{Location: ed.Location, Message: ed.Message, Value: ed.Value})
				continue
			}
			p.Errors = append(p.Errors, ProblemField{Message: e.Error()})
		}
		return p
	}
}

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

// problem maps a use-case error to an HTTP problem: the one place where
// error kinds become status codes. Internal errors are logged, not shown.
func problem(log *slog.Logger, err error) error {
	if err == nil {
		return nil
	}
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		log.Error("request failed", "err", err)
		return &Problem{Status: http.StatusInternalServerError, Title: http.StatusText(http.StatusInternalServerError), Detail: vietStatus[http.StatusInternalServerError], Key: "internal"}
	}
	status := kindStatus[e.Kind]
	p := &Problem{Status: status, Title: http.StatusText(status), Detail: e.Message, Key: e.Key}
	if p.Detail == "" {
		p.Detail = vietStatus[status]
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, ProblemField{Location: f.Field, Key: f.Key, Message: f.Message})
	}
	var re *accounts.RetryError
	if errors.As(err, &re) {
		secs := int(re.After.Seconds()) + 1
		return huma.ErrorWithHeaders(p, http.Header{"Retry-After": {strconv.Itoa(secs)}})
	}
	return p
}
