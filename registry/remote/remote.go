// Package remote is the HTTP connector through which the platform reads a
// shared dataset hosted elsewhere: another motcua instance, or any REST
// endpoint that answers one record by key.
//
// A Client sends one GET per look-up, with a timeout per attempt, retries
// with exponential backoff and jitter on timeouts, network errors, 429 and
// 5xx, a circuit breaker (github.com/sony/gobreaker/v2) that fails fast
// after repeated outages, and an optional TTL cache of the records read
// (github.com/hashicorp/golang-lru/v2/expirable).
//
// The remote's answers are outside input: bodies are bounded, parsing
// never panics, and a record whose key is not the one asked for is
// refused.
package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
	"github.com/sony/gobreaker/v2"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/registry"
)

// The defaults of registry.Remote's zero values.
const (
	DefaultTimeout    = 2 * time.Second
	DefaultRetries    = 2
	DefaultBreakAfter = 5
	DefaultCooldown   = 30 * time.Second
	DefaultCacheSize  = 10_000
)

// Backoff between attempts: base·2^n plus up to half of it in jitter,
// capped; a Retry-After up to maxRetryAfter is waited for, a longer one
// ends the retries.
const (
	backoffBase   = 50 * time.Millisecond
	backoffCap    = time.Second
	maxRetryAfter = 2 * time.Second
	maxKey        = 256 // bytes of a key
)

// PurposeHeader carries the access's purpose to the remote.
const PurposeHeader = "X-Motcua-Purpose"

// Stats are a Client's counters, for tests and metrics.
type Stats struct {
	Gets      int64  `json:"gets"`       // calls of Get
	CacheHits int64  `json:"cache_hits"` // Gets answered from the cache
	Rejected  int64  `json:"rejected"`   // Gets refused by the open circuit, without a request
	Requests  int64  `json:"requests"`   // Gets sent to the remote, each of one or more attempts
	Attempts  int64  `json:"attempts"`   // HTTP requests made
	Retries   int64  `json:"retries"`    // attempts after the first of a Get
	Breaker   string `json:"breaker"`    // "closed", "half-open" or "open"
}

// Client reads the records of one remote dataset. It is safe for
// concurrent use, and meant to live as long as the process: with a cache,
// the expirable LRU keeps a cleaning goroutine that cannot be stopped.
type Client struct {
	t        target
	hc       *http.Client
	tmpl     string // ds.Remote.URL with {dataset} replaced
	redacted string // tmpl without the scheme's userinfo, for errors
	header   string
	token    string
	timeout  time.Duration
	retries  int

	cb    *gobreaker.CircuitBreaker[registry.Record]
	cache *expirable.LRU[string, registry.Record] // nil: no cache

	gets, hits, rejected, requests, attempts, retried atomic.Int64
}

// New makes the connector of a remote dataset (ds.Remote must be non-nil);
// hc nil = a default http.Client with sane transport limits, which follows
// redirects only within the same host and never from https to http.
// Defaults: Timeout 2 s per attempt, Retries 2 (negative: none),
// BreakAfter 5, Cooldown 30 s, CacheSize 10,000; CacheTTL 0 = no cache.
func New(ds registry.Dataset, hc *http.Client) (*Client, error) {
	name := ds.Name
	if name == "" {
		name = ds.Code
	}
	invalid := func(why string) error {
		return errs.New(errs.Invalid, "registry.remote_config",
			"Cấu hình kết nối tập dữ liệu "+name+" không hợp lệ: "+why,
			"Invalid remote configuration of dataset "+ds.Code+": "+why)
	}
	r := ds.Remote
	if r == nil {
		return nil, invalid("tập dữ liệu không có địa chỉ kết nối (remote).")
	}
	if ds.Code == "" {
		return nil, invalid("thiếu mã tập dữ liệu.")
	}
	if ds.KeyField == "" {
		return nil, invalid("thiếu trường khóa.")
	}
	if !strings.Contains(r.URL, "{key}") {
		return nil, invalid("địa chỉ kết nối phải chứa {key}.")
	}
	tmpl := strings.ReplaceAll(r.URL, "{dataset}", url.PathEscape(ds.Code))
	u, err := url.Parse(strings.ReplaceAll(tmpl, "{key}", "k"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalid("địa chỉ kết nối phải là một URL http(s) tuyệt đối.")
	}
	if r.Timeout < 0 || r.CacheTTL < 0 || r.CacheSize < 0 || r.BreakAfter < 0 || r.Cooldown < 0 {
		return nil, invalid("thời gian và số lượng không được âm.")
	}
	if r.Header != "" && !validHeader(r.Header, r.Token) {
		return nil, invalid("tên hoặc giá trị tiêu đề xác thực không hợp lệ.")
	}

	c := &Client{
		t:        target{code: ds.Code, name: name, keyField: ds.KeyField, subjectField: ds.SubjectField},
		hc:       hc,
		tmpl:     tmpl,
		redacted: strings.ReplaceAll(redact(tmpl), "{key}", "…"),
		header:   r.Header,
		token:    r.Token,
		timeout:  or(r.Timeout, DefaultTimeout),
		retries:  r.Retries,
	}
	if c.hc == nil {
		c.hc = defaultClient()
	}
	switch {
	case r.Retries == 0:
		c.retries = DefaultRetries
	case r.Retries < 0:
		c.retries = 0
	}
	breakAfter := uint32(or(r.BreakAfter, DefaultBreakAfter))
	c.cb = gobreaker.NewCircuitBreaker[registry.Record](gobreaker.Settings{
		Name:        "registry/" + ds.Code,
		MaxRequests: 1,
		Timeout:     or(r.Cooldown, DefaultCooldown),
		ReadyToTrip: func(n gobreaker.Counts) bool { return n.ConsecutiveFailures >= breakAfter },
		// Only outages count: a 404, a refusal or a bad request come
		// from a healthy remote.
		IsSuccessful: func(err error) bool { return err == nil || errs.KindOf(err) != errs.Unavailable },
		// The caller giving up says nothing of the remote.
		IsExcluded: func(err error) bool { var g *callerGone; return errors.As(err, &g) },
	})
	if r.CacheTTL > 0 {
		c.cache = expirable.NewLRU[string, registry.Record](or(r.CacheSize, DefaultCacheSize), nil, r.CacheTTL)
	}
	return c, nil
}

// Get reads the record with key from the remote dataset. The access's
// purpose, procedure and dossier are sent along (query parameters purpose,
// procedure, dossier and header X-Motcua-Purpose) so that the far side can
// check and audit them. The record is the remote's whole record: the
// caller projects the fields the access may read.
//
// Errors: registry.NotFound; Forbidden (401, 403) and Invalid (400, 422)
// from the remote; Unavailable when the remote does not answer after the
// retries, its circuit is open, its answer is malformed or about another
// key, or ctx ends (then errors.Is(err, ctx.Err())).
func (c *Client) Get(ctx context.Context, key string, a registry.Access) (registry.Record, error) {
	c.gets.Add(1)
	if key == "" || key == "." || key == ".." || len(key) > maxKey || strings.ContainsFunc(key, isControl) {
		return registry.Record{}, errs.New(errs.Invalid, "registry.remote_key",
			"Khóa tra cứu tập dữ liệu "+c.t.name+" không hợp lệ.",
			"Invalid key for dataset "+c.t.code+".")
	}
	if c.cache != nil {
		if r, ok := c.cache.Get(key); ok {
			c.hits.Add(1)
			return clone(r), nil
		}
	}
	if err := ctx.Err(); err != nil {
		return registry.Record{}, c.gone(err)
	}
	rec, err := c.cb.Execute(func() (registry.Record, error) {
		c.requests.Add(1)
		return c.fetch(ctx, key, a)
	})
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		c.rejected.Add(1)
		return registry.Record{}, errs.Wrap(errs.Unavailable, "registry.remote_circuit_open",
			"Hệ thống dữ liệu "+c.t.name+" đang tạm ngắt kết nối do lỗi liên tiếp, vui lòng thử lại sau.",
			"Dataset "+c.t.code+": circuit open after repeated failures of the remote.", err)
	}
	if err != nil {
		return registry.Record{}, err
	}
	if c.cache != nil {
		c.cache.Add(key, clone(rec))
	}
	return rec, nil
}

// Stats returns the Client's counters and the breaker's state.
func (c *Client) Stats() Stats {
	return Stats{
		Gets:      c.gets.Load(),
		CacheHits: c.hits.Load(),
		Rejected:  c.rejected.Load(),
		Requests:  c.requests.Load(),
		Attempts:  c.attempts.Load(),
		Retries:   c.retried.Load(),
		Breaker:   c.cb.State().String(),
	}
}

// fetch is one Get sent to the remote: attempts until an answer, a final
// error, the retries spent or ctx done.
func (c *Client) fetch(ctx context.Context, key string, a registry.Access) (registry.Record, error) {
	u, source := c.url(key, a)
	var cause error
	for n := 0; ; n++ {
		if n > 0 {
			c.retried.Add(1)
		}
		c.attempts.Add(1)
		rec, err := c.attempt(ctx, u, source, key, a)
		if err == nil {
			return rec, nil
		}
		if ctx.Err() != nil {
			return registry.Record{}, c.gone(ctx.Err())
		}
		var t *transient
		if !errors.As(err, &t) {
			return registry.Record{}, err
		}
		cause = t.err
		if n >= c.retries || t.retryAfter > maxRetryAfter {
			break
		}
		wait := backoff(n)
		if t.retryAfter > wait {
			wait = t.retryAfter
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return registry.Record{}, c.gone(ctx.Err())
		case <-timer.C:
		}
	}
	return registry.Record{}, errs.Wrap(errs.Unavailable, "registry.remote_unavailable",
		"Hệ thống dữ liệu "+c.t.name+" tạm thời không phản hồi, vui lòng thử lại sau.",
		"Dataset "+c.t.code+": the remote is not answering.", cause)
}

// transient is a failure worth another attempt.
type transient struct {
	err        error
	retryAfter time.Duration // asked by the remote, 0 = none
}

func (t *transient) Error() string { return t.err.Error() }
func (t *transient) Unwrap() error { return t.err }

// callerGone marks the caller's context ending: not the remote's fault.
type callerGone struct{ err error }

func (g *callerGone) Error() string { return "request abandoned: " + g.err.Error() }
func (g *callerGone) Unwrap() error { return g.err }

func (c *Client) gone(err error) error {
	return errs.Wrap(errs.Unavailable, "registry.remote_cancelled",
		"Yêu cầu tra cứu hệ thống dữ liệu "+c.t.name+" đã bị hủy.",
		"Dataset "+c.t.code+": look-up abandoned by the caller.", &callerGone{err})
}

// attempt sends one HTTP request.
func (c *Client) attempt(ctx context.Context, u *url.URL, source, key string, a registry.Access) (registry.Record, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return registry.Record{}, errs.Wrap(errs.Internal, "registry.remote_request",
			"Không tạo được yêu cầu tới hệ thống dữ liệu "+c.t.name+".",
			"Dataset "+c.t.code+": cannot build the request.", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "motcua-registry/1")
	if a.Purpose != "" {
		req.Header.Set(PurposeHeader, string(a.Purpose))
	}
	if c.header != "" {
		req.Header.Set(c.header, c.token)
	}

	timedOut := func() bool { return errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil }
	resp, err := c.hc.Do(req)
	if err != nil {
		if timedOut() {
			return registry.Record{}, &transient{err: fmt.Errorf("GET %s: no answer within %v", c.redacted, c.timeout)}
		}
		return registry.Record{}, &transient{err: c.scrub(err)}
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
		_ = resp.Body.Close()
	}()

	switch s := resp.StatusCode; {
	case s == http.StatusOK:
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		if err != nil {
			if timedOut() {
				return registry.Record{}, &transient{err: fmt.Errorf("GET %s: body not read within %v", c.redacted, c.timeout)}
			}
			return registry.Record{}, &transient{err: c.scrub(err)}
		}
		if len(body) > maxBody {
			return registry.Record{}, c.t.bad("body larger than 1 MiB")
		}
		rec, err := c.t.parse(body, key, time.Now().UTC())
		if err != nil {
			return registry.Record{}, err
		}
		rec.Source = source
		return rec, nil
	case s == http.StatusNotFound:
		return registry.Record{}, registry.NotFound(c.t.code, key)
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return registry.Record{}, errs.New(errs.Forbidden, "registry.remote_forbidden",
			"Hệ thống dữ liệu "+c.t.name+" từ chối cho phép đọc dữ liệu.",
			fmt.Sprintf("Dataset %s: the remote refused the request (status %d).", c.t.code, s))
	case s == http.StatusBadRequest || s == http.StatusUnprocessableEntity:
		return registry.Record{}, errs.New(errs.Invalid, "registry.remote_invalid",
			"Hệ thống dữ liệu "+c.t.name+" không chấp nhận yêu cầu tra cứu.",
			fmt.Sprintf("Dataset %s: the remote rejected the request (status %d).", c.t.code, s))
	case s == http.StatusTooManyRequests || s == http.StatusRequestTimeout || s >= 500:
		return registry.Record{}, &transient{
			err:        fmt.Errorf("GET %s: status %d", c.redacted, s),
			retryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	default:
		return registry.Record{}, c.t.bad(fmt.Sprintf("unexpected status %d", s))
	}
}

// url returns the request's URL and the record's source (the URL without
// its query). {key} is path-escaped, or query-escaped when the template
// puts it in the query; the access's parameters replace any of the same
// name.
func (c *Client) url(key string, a registry.Access) (*url.URL, string) {
	s := c.tmpl
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = strings.ReplaceAll(s[:i], "{key}", url.PathEscape(key)) + "?" + strings.ReplaceAll(s[i+1:], "{key}", url.QueryEscape(key))
	} else {
		s = strings.ReplaceAll(s, "{key}", url.PathEscape(key))
	}
	u, err := url.Parse(s)
	if err != nil {
		// The template parsed in New and the key is escaped: keep the
		// path as is, the request will report what is wrong.
		u = &url.URL{Opaque: s}
	}
	q := u.Query()
	set := func(name, v string) {
		if v == "" {
			q.Del(name)
		} else {
			q.Set(name, v)
		}
	}
	set("purpose", string(a.Purpose))
	set("procedure", a.Procedure)
	set("dossier", a.Dossier)
	src := *u
	src.RawQuery, src.Fragment, src.RawFragment = "", "", ""
	src.User = nil
	u.RawQuery = q.Encode()
	return u, src.String()
}

// backoff is the wait after the nth failed attempt (n from 0):
// 50 ms·2^n plus up to half of it in jitter, at most 1 s.
func backoff(n int) time.Duration {
	d := backoffBase << min(n, 10)
	d = min(d, backoffCap)
	d += rand.N(d/2 + 1)
	return min(d, backoffCap)
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		if s > 3600 {
			s = 3600
		}
		return time.Duration(s) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}

// scrub removes the request URL, which holds the key (often a citizen
// ID), from a transport error.
func (c *Client) scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, c.redacted, ue.Err)
	}
	return err
}

var defaultClient = sync.OnceValue(func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 16
	t.MaxConnsPerHost = 64
	t.IdleConnTimeout = 90 * time.Second
	t.TLSHandshakeTimeout = 5 * time.Second
	t.ExpectContinueTimeout = time.Second
	t.MaxResponseHeaderBytes = 64 << 10
	return &http.Client{
		Transport: t,
		// The token header goes with every redirected request: follow
		// only within the host, never to plain http.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			first := via[0].URL
			if len(via) >= 3 || req.URL.Host != first.Host || (first.Scheme == "https" && req.URL.Scheme != "https") {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
})

// redact drops the userinfo of a URL template.
func redact(tmpl string) string {
	if i := strings.Index(tmpl, "://"); i >= 0 {
		rest := tmpl[i+3:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
			return tmpl[:i+3] + rest[at+1:]
		}
	}
	return tmpl
}

func validHeader(name, value string) bool {
	for _, r := range name {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return !strings.ContainsAny(value, "\r\n\x00")
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

func clone(r registry.Record) registry.Record {
	r.Data = maps.Clone(r.Data)
	return r
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
