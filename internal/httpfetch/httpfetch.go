// Package httpfetch downloads the files another system names by URL (the
// papers of a dossier submitted on the national portal), from the hosts an
// operator allowed only, with a time limit for the whole download and a
// size limit, and tells the caller's mistakes (a host not allowed, an
// address the host does not serve) apart from an outage (a timeout, a
// host down), as typed errors.
package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/errs"
)

// DefaultTimeout bounds one file's whole download: connection, headers and
// body.
const DefaultTimeout = 30 * time.Second

// maxRedirects is how many redirects a download follows, each to an
// allowed host.
const maxRedirects = 3

// Fetcher downloads files from an allow-list of hosts.
type Fetcher struct {
	hosts   map[string]bool // "host" (any port) or "host:port", lower case
	client  *http.Client
	maxSize int64
}

// New returns a fetcher for hosts (names or addresses, each optionally
// with a port: without one, any port of the host is allowed), with a
// timeout per download (≤ 0: DefaultTimeout) and files of at most maxSize
// bytes (≤ 0: no limit here; the file store has its own).
func New(hosts []string, timeout time.Duration, maxSize int64) *Fetcher {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	f := &Fetcher{hosts: map[string]bool{}, maxSize: maxSize}
	for _, h := range hosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			f.hosts[h] = true
		}
	}
	f.client = &http.Client{Timeout: timeout, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errs.New(errs.Invalid, "fetch.redirects", "Địa chỉ tệp chuyển hướng quá nhiều lần.", "too many redirects")
		}
		if !f.Allowed(r.URL) {
			return hostRefused(r.URL)
		}
		return nil
	}}
	return f
}

// Hosts lists the allowed hosts (for the logs and the docs).
func (f *Fetcher) Hosts() []string {
	out := make([]string, 0, len(f.hosts))
	for h := range f.hosts {
		out = append(out, h)
	}
	return out
}

// Allowed reports whether u is an http(s) address on an allowed host.
func (f *Fetcher) Allowed(u *url.URL) bool {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return f.hosts[host] || (u.Port() != "" && f.hosts[net.JoinHostPort(host, u.Port())])
}

func hostRefused(u *url.URL) error {
	return errs.New(errs.Invalid, "fetch.host_not_allowed",
		fmt.Sprintf("Máy chủ %q không nằm trong danh sách được phép tải tệp hồ sơ.", u.Hostname()),
		"host "+u.Hostname()+" is not allowed")
}

// Fetch downloads rawURL: the body (closed by the caller; an error reading
// it is typed like Fetch's own) and the Content-Type the host declared.
// A host not allowed, an address that is not http(s), an answer 4xx or a
// declared length over the limit are errs.Invalid; a timeout, a host that
// cannot be reached or answers 5xx are errs.Unavailable.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (io.ReadCloser, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, "", errs.New(errs.Invalid, "fetch.url", "Đường dẫn tệp không phải địa chỉ http(s) hợp lệ.", "not an http(s) URL")
	}
	if !f.Allowed(u) {
		return nil, "", hostRefused(u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", errs.Wrap(errs.Invalid, "fetch.url", "Đường dẫn tệp không hợp lệ.", "bad URL", err)
	}
	res, err := f.client.Do(req)
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return nil, "", e // a redirect refused
		}
		return nil, "", unavailable(u, err)
	}
	switch {
	case res.StatusCode >= 500:
		res.Body.Close()
		return nil, "", errs.New(errs.Unavailable, "fetch.unavailable",
			fmt.Sprintf("Máy chủ %s đang lỗi (%d), chưa tải được tệp; xin gửi lại sau.", u.Hostname(), res.StatusCode), fmt.Sprintf("file host answered %d", res.StatusCode))
	case res.StatusCode != http.StatusOK:
		res.Body.Close()
		return nil, "", errs.New(errs.Invalid, "fetch.status",
			fmt.Sprintf("Không tải được tệp: máy chủ %s trả lời %d.", u.Hostname(), res.StatusCode), fmt.Sprintf("file host answered %d", res.StatusCode))
	case f.maxSize > 0 && res.ContentLength > f.maxSize:
		res.Body.Close()
		return nil, "", errs.New(errs.Invalid, "file.too_large", fmt.Sprintf("Tệp quá lớn: tối đa %d MB.", f.maxSize>>20), fmt.Sprintf("file larger than %d bytes", f.maxSize))
	}
	return body{res.Body, u}, res.Header.Get("Content-Type"), nil
}

// unavailable is the error of a download that failed on the way: a
// timeout or a host that cannot be reached.
func unavailable(u *url.URL, err error) error {
	msg := fmt.Sprintf("Không kết nối được máy chủ %s để tải tệp; hồ sơ chưa được nhận, xin gửi lại sau.", u.Hostname())
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		msg = fmt.Sprintf("Tải tệp từ máy chủ %s quá thời gian chờ; hồ sơ chưa được nhận, xin gửi lại sau.", u.Hostname())
	}
	return errs.Wrap(errs.Unavailable, "fetch.unavailable", msg, "file download failed", err)
}

// body types the errors of reading a download's body.
type body struct {
	io.ReadCloser
	u *url.URL
}

func (b body) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = unavailable(b.u, err)
	}
	return n, err
}
