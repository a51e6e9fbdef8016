// Package dvcqgclient is the province's client of the national public
// service portal (DVCQG), in the protocol of dvcqg/PROTOCOL.md: the
// national procedure catalogue (LayDanhSachTTHC, LayThuTuc) and the push
// of dossier records and progress entries (push.go), in either transport
// style the portal's systems use: one adapter endpoint with a session
// (style A, renewed when it expires) or three URLs with HTTP Basic auth
// (style B); and the province's signed audit anchors, posted to motcua's
// national mode (anchor.go, HTTP Basic).
package dvcqgclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
)

// The adapter's paths under the portal's base URL.
const (
	AuthPath        = "/dvcqg/adapter/auth"
	IntegrationPath = "/dvcqg/adapter/integration"
)

// maxAnswer bounds one answer (the whole list of a few thousand
// procedures is a few MB).
const maxAnswer = 64 << 20

// Style is how the portal's sync endpoints are reached.
type Style string

// The transport styles of dvcqg/PROTOCOL.md.
const (
	StyleAdapter  Style = "adapter"   // style A: one endpoint, a session, services
	StyleThreeURL Style = "three-url" // style B: them-moi, cap-nhat, dong-bo-tien-trinh
)

// ParseStyle reads a style's name ("" is the adapter).
func ParseStyle(s string) (Style, error) {
	switch Style(s) {
	case "", StyleAdapter:
		return StyleAdapter, nil
	case StyleThreeURL:
		return StyleThreeURL, nil
	}
	return "", fmt.Errorf("unknown national portal style %q (adapter or three-url)", s)
}

// Config is how the province reaches the portal.
type Config struct {
	URL                string // the portal's base URL
	Username, Password string // the province's credentials on the portal
	Agency             string // madonvi sent to the adapter
	Style              Style  // how dossiers are pushed (the catalogue is always read from the adapter)
	Timeout            time.Duration
}

// Client is a session with the portal.
type Client struct {
	base, username, password, agency string
	style                            Style
	http                             *http.Client

	mu      sync.Mutex
	session string
}

// New returns a client of the portal; cfg.Timeout bounds each call (≤ 0:
// 30 s).
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Style == "" {
		cfg.Style = StyleAdapter
	}
	return &Client{base: strings.TrimRight(cfg.URL, "/"), username: cfg.Username, password: cfg.Password, agency: cfg.Agency,
		style: cfg.Style, http: &http.Client{Timeout: cfg.Timeout}}
}

// List is the national catalogue's list of procedures (LayDanhSachTTHC).
func (c *Client) List(ctx context.Context) ([]dvcqg.ProcedureItem, error) {
	var out []dvcqg.ProcedureItem
	found, err := c.call(ctx, "LayDanhSachTTHC", nil, &out)
	if err == nil && !found {
		return nil, nil
	}
	return out, err
}

// Procedure is one procedure of the national catalogue (LayThuTuc); false
// when the portal does not know the code.
func (c *Client) Procedure(ctx context.Context, code string) (dvcqg.ProcedureRecord, bool, error) {
	var out []dvcqg.ProcedureRecord
	found, err := c.call(ctx, "LayThuTuc", map[string]any{"maTTHC": code}, &out)
	if err != nil || !found || len(out) == 0 {
		return dvcqg.ProcedureRecord{}, false, err
	}
	return out[0], true, nil
}

// call asks the adapter for a service and decodes its result into out;
// false when the portal answers "not found" (-4). An expired session is
// renewed once.
func (c *Client) call(ctx context.Context, service string, params map[string]any, out any) (bool, error) {
	r, err := c.exchange(ctx, service, params)
	if err != nil {
		return false, err
	}
	switch strings.TrimSpace(r.ErrorCode) {
	case "0", "00":
		if len(r.Result) == 0 || string(r.Result) == "null" {
			return true, nil
		}
		if err := json.Unmarshal(r.Result, out); err != nil {
			return false, unavailable(fmt.Sprintf("Câu trả lời %s của Cổng Dịch vụ công quốc gia không đúng định dạng.", service), "malformed "+service+" result", err)
		}
		return true, nil
	case dvcqg.CodeNotFound:
		return false, nil
	}
	return false, unavailable(fmt.Sprintf("Cổng Dịch vụ công quốc gia từ chối %s (mã %s): %s", service, r.ErrorCode, clip(r.Message, 200)),
		fmt.Sprintf("%s refused with error_code %s", service, r.ErrorCode), nil)
}

// exchange asks the adapter for a service and returns its reply; an
// expired session is renewed once, a second refusal of the session is an
// error (the province's credentials).
func (c *Client) exchange(ctx context.Context, service string, params map[string]any) (dvcqg.Reply, error) {
	for attempt := 0; ; attempt++ {
		session, err := c.login(ctx)
		if err != nil {
			return dvcqg.Reply{}, err
		}
		body := map[string]any{"session": session, "madonvi": c.agency, "service": service}
		for k, v := range params {
			body[k] = v
		}
		var r dvcqg.Reply
		if err := c.post(ctx, IntegrationPath, body, &r); err != nil {
			return r, err
		}
		if strings.TrimSpace(r.ErrorCode) != dvcqg.CodeAuth {
			return r, nil
		}
		c.mu.Lock()
		if c.session == session {
			c.session = ""
		}
		c.mu.Unlock()
		if attempt > 0 {
			return r, unavailable("Cổng Dịch vụ công quốc gia từ chối phiên làm việc của tỉnh: "+clip(r.Message, 200)+" (kiểm tra tài khoản của tỉnh trên Cổng).",
				"session refused with error_code "+r.ErrorCode, nil)
		}
	}
}

// login returns the session, logging in when there is none.
func (c *Client) login(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session != "" {
		return c.session, nil
	}
	var r dvcqg.Reply
	if err := c.post(ctx, AuthPath, map[string]string{"username": c.username, "password": c.password}, &r); err != nil {
		return "", err
	}
	if !r.OK() || r.Session == "" {
		return "", unavailable("Đăng nhập Cổng Dịch vụ công quốc gia không thành công: "+clip(r.Message, 200)+" (kiểm tra tài khoản của tỉnh trên Cổng).",
			"login refused with error_code "+r.ErrorCode, nil)
	}
	c.session = r.Session
	return c.session, nil
}

// post sends body as JSON and decodes the answer, a dvcqg.Reply with HTTP
// 200.
func (c *Client) post(ctx context.Context, path string, body, out any) error {
	return c.postAuth(ctx, path, body, out, false)
}

// postAuth is post, with the province's credentials as HTTP Basic auth
// when basic is set (style B).
func (c *Client) postAuth(ctx context.Context, path string, body, out any, basic bool) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return unavailable("Địa chỉ Cổng Dịch vụ công quốc gia không hợp lệ.", "bad national portal URL", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if basic {
		req.SetBasicAuth(c.username, c.password)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return unavailable("Không kết nối được Cổng Dịch vụ công quốc gia; xin thử lại sau.", "national portal unreachable", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return unavailable(fmt.Sprintf("Cổng Dịch vụ công quốc gia trả lời HTTP %d; xin thử lại sau.", res.StatusCode), fmt.Sprintf("national portal answered HTTP %d", res.StatusCode), nil)
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxAnswer)).Decode(out); err != nil {
		return unavailable("Câu trả lời của Cổng Dịch vụ công quốc gia không đọc được.", "unreadable national portal answer", err)
	}
	return nil
}

func unavailable(vi, en string, cause error) error {
	return errs.Wrap(errs.Unavailable, "dvcqg.unavailable", vi, en, cause)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
