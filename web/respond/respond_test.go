package respond_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/internal/diskspace"
	"github.com/motcua/motcua/web/respond"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestProblemOf(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		key        string
		detail     string
		fields     int
		retryAfter int
	}{
		{"invalid with fields", errs.InvalidFields("dossier.invalid", "Hồ sơ chưa hợp lệ.", "invalid", []errs.FieldError{{Field: "form.ho_ten", Key: "required", Message: "Bắt buộc."}}), 422, "dossier.invalid", "Hồ sơ chưa hợp lệ.", 1, 0},
		{"not found, wrapped", fmt.Errorf("read: %w", errs.New(errs.NotFound, "dossier.not_found", "Không có hồ sơ.", "no dossier")), 404, "dossier.not_found", "Không có hồ sơ.", 0, 0},
		{"conflict", errs.New(errs.Conflict, "dossier.stale", "Hồ sơ đã thay đổi.", "stale"), 409, "dossier.stale", "Hồ sơ đã thay đổi.", 0, 0},
		{"unauthorized", errs.New(errs.Unauthorized, "auth.required", "", ""), 401, "auth.required", respond.StatusText[401], 0, 0},
		{"forbidden", errs.New(errs.Forbidden, "auth.forbidden", "Không có quyền.", ""), 403, "auth.forbidden", "Không có quyền.", 0, 0},
		{"unavailable carries Retry-After", errs.New(errs.Unavailable, "result.sign", "Không ký được.", ""), 503, "result.sign", "Không ký được.", 0, respond.UnavailableRetryAfter},
		{"full disk", fmt.Errorf("submit: %w", diskspace.FullError(errors.New("database or disk is full (13)"))), 503, "store.disk_full", "Máy chủ hết dung lượng lưu trữ; dữ liệu chưa được ghi. Vui lòng thử lại sau.", 0, respond.UnavailableRetryAfter},
		{"internal is not shown", errs.Wrap(errs.Internal, "db", "chi tiết nội bộ", "", errors.New("disk")), 500, "internal", respond.StatusText[500], 0, 0},
		{"an error of no kind is internal", errors.New("boom: secret path /var/lib"), 500, "internal", respond.StatusText[500], 0, 0},
		{"rate limited carries Retry-After", &accounts.RetryError{After: 11500 * time.Millisecond, Err: errs.New(errs.RateLimited, "auth.throttled", "Thử lại sau.", "")}, 429, "auth.throttled", "Thử lại sau.", 0, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := respond.ProblemOf(quiet, nil, tt.err)
			if p.Status != tt.status || p.Key != tt.key || p.Detail != tt.detail || len(p.Errors) != tt.fields || p.RetryAfter != tt.retryAfter {
				t.Errorf("ProblemOf = %+v; want status %d key %q detail %q fields %d retry %d", p, tt.status, tt.key, tt.detail, tt.fields, tt.retryAfter)
			}
			if p.Title != http.StatusText(tt.status) {
				t.Errorf("title %q", p.Title)
			}
			if got := respond.Status(tt.err); tt.key != "internal" && got != tt.status {
				t.Errorf("Status = %d, want %d", got, tt.status)
			}
		})
	}
}

func TestWantsJSON(t *testing.T) {
	tests := []struct {
		accept string
		want   bool
	}{
		{"", false},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
		{"application/json", true},
		{"application/problem+json", true},
		{"application/json, text/html", true},
		{"text/html, application/json", false},
		{"*/*", false},
		{"application/ld+json; q=0.5", true},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/ho-so/x", nil)
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
		}
		if got := respond.WantsJSON(r); got != tt.want {
			t.Errorf("WantsJSON(%q) = %v, want %v", tt.accept, got, tt.want)
		}
	}
}

// TestRendererError: the one renderer answers a browser with the page and
// a client that asks for JSON with the problem, for the same error.
func TestRendererError(t *testing.T) {
	var pageStatus int
	var pageMsg string
	rr := &respond.Renderer{Log: quiet, Page: func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		pageStatus, pageMsg = status, msg
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<p>"+msg+"</p>")
	}}
	err := errs.InvalidFields("dossier.invalid", "Hồ sơ chưa hợp lệ.", "", []errs.FieldError{{Field: "note", Message: "Cần ghi chú."}})

	w := httptest.NewRecorder()
	rr.Error(w, httptest.NewRequest("POST", "/ho-so/x/thao-tac", nil), err)
	if w.Code != 422 || pageStatus != 422 || pageMsg != "Hồ sơ chưa hợp lệ. Cần ghi chú." || !strings.Contains(w.Body.String(), "<p>") {
		t.Errorf("page: %d %q %q", w.Code, pageMsg, w.Body.String())
	}

	pageStatus = 0
	w = httptest.NewRecorder()
	r := httptest.NewRequest("POST", "/ho-so/x/thao-tac", nil)
	r.Header.Set("Accept", "application/json")
	rr.Error(w, r, err)
	var p respond.Problem
	if jerr := json.Unmarshal(w.Body.Bytes(), &p); jerr != nil || w.Code != 422 || pageStatus != 0 ||
		w.Header().Get("Content-Type") != "application/problem+json" || p.Key != "dossier.invalid" || len(p.Errors) != 1 {
		t.Errorf("problem: %d %s %q (%v)", w.Code, w.Header().Get("Content-Type"), w.Body.String(), jerr)
	}

	w = httptest.NewRecorder()
	(&respond.Renderer{Log: quiet}).Error(w, httptest.NewRequest("GET", "/", nil), errs.New(errs.NotFound, "x", "Không có.", ""))
	if w.Code != 404 || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("without pages: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
}
