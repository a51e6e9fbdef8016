package remote

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/registry"
)

const citizen = "001099012345"

// dataset is a population-like remote dataset served at base.
func dataset(base string, r registry.Remote) registry.Dataset {
	if r.URL == "" {
		r.URL = base + "/api/v1/registry/{dataset}/records/{key}"
	}
	return registry.Dataset{
		Code: "population", Name: "Cơ sở dữ liệu quốc gia về dân cư",
		KeyField: "citizen_id", SubjectField: "citizen_id",
		Remote: &r,
	}
}

// server answers with the responses in turn (the last one repeated) and
// counts its hits.
type server struct {
	*httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	seq  []reply
	last *http.Request
}

type reply struct {
	status int
	body   string
	header map[string]string
	sleep  time.Duration // before answering, or until the request ends
}

func newServer(t *testing.T, seq ...reply) *server {
	t.Helper()
	s := &server{seq: seq}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.hits.Add(1)) - 1
		s.mu.Lock()
		s.last = r.Clone(context.Background())
		rp := s.seq[min(n, len(s.seq)-1)]
		s.mu.Unlock()
		if rp.sleep > 0 {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(rp.sleep):
			}
		}
		for k, v := range rp.header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rp.status)
		_, _ = w.Write([]byte(rp.body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) set(seq ...reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq = seq
	s.hits.Store(0)
}

func (s *server) request() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func newClient(t *testing.T, ds registry.Dataset) *Client {
	t.Helper()
	c, err := New(ds, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var access = registry.Access{Purpose: registry.PurposeReplace, Procedure: "1.001193", Dossier: "H40.01-250701-0001"}

func key(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Key
	}
	return ""
}

func ok(body string) reply { return reply{status: 200, body: body} }

const motcuaRecord = `{"dataset":"population","key":"001099012345","subject":"001099012345",
	"data":{"citizen_id":"001099012345","full_name":"Nguyễn Văn An","birth_date":"1999-03-02"},
	"updated_at":"2025-06-30T10:00:00+07:00","source":"import:dan-cu.csv"}`

func TestGetShapes(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 6, 30, 10, 0, 0, 0, time.FixedZone("", 7*3600))
	tests := []struct {
		name    string
		body    string
		want    map[string]string
		subject string
		at      time.Time // zero: the time of fetch
		errKind errs.Kind
		errKey  string
	}{
		{
			name: "motcua record", body: motcuaRecord,
			want:    map[string]string{"citizen_id": citizen, "full_name": "Nguyễn Văn An", "birth_date": "1999-03-02"},
			subject: citizen, at: at,
		},
		{
			name: "motcua record projected without the key field",
			body: `{"key":"001099012345","subject":"001099012345","data":{"full_name":"Nguyễn Văn An"},"updated_at":"2025-06-30T10:00:00+07:00"}`,
			want: map[string]string{"full_name": "Nguyễn Văn An"}, subject: citizen, at: at,
		},
		{
			name: "plain REST object",
			body: `{"citizen_id":"001099012345","area":120.50,"floors":3,"big":12345678901234567890,"active":true,"dead":false,
				"note":null,"owner":{"name":"An", "share": [1, 2]},"tags":["a", "b"],"updated_at":"2025-06-30T10:00:00+07:00"}`,
			want: map[string]string{
				"citizen_id": citizen, "area": "120.50", "floors": "3", "big": "12345678901234567890",
				"active": "true", "dead": "false", "owner": `{"name":"An","share":[1,2]}`, "tags": `["a","b"]`,
				"updated_at": "2025-06-30T10:00:00+07:00",
			},
			subject: citizen, at: at,
		},
		{
			name: "plain object without the key field", body: `{"full_name":"An","updated_at":"30/06/2025"}`,
			want: map[string]string{"full_name": "An", "updated_at": "30/06/2025"},
		},
		{
			name: "array of one object", body: `[{"citizen_id":"001099012345","full_name":"An"}]`,
			want: map[string]string{"citizen_id": citizen, "full_name": "An"}, subject: citizen,
		},
		{
			name: "object with a single array field", body: `{"items":[{"citizen_id":"001099012345","full_name":"An"}]}`,
			want: map[string]string{"citizen_id": citizen, "full_name": "An"}, subject: citizen,
		},
		{name: "empty array", body: `[]`, errKind: errs.NotFound, errKey: "registry.not_found"},
		{name: "empty wrapped array", body: ` {"results": []} `, errKind: errs.NotFound, errKey: "registry.not_found"},
		{name: "empty object", body: `{}`, errKind: errs.NotFound, errKey: "registry.not_found"},
		{name: "key mismatch", body: `{"citizen_id":"001099099999","full_name":"Trần Thị B"}`, errKind: errs.Unavailable, errKey: "registry.remote_key_mismatch"},
		{name: "key mismatch in an array", body: `[{"citizen_id":"001099099999"}]`, errKind: errs.Unavailable, errKey: "registry.remote_key_mismatch"},
		{name: "motcua key mismatch", body: `{"key":"001099099999","data":{"full_name":"B"}}`, errKind: errs.Unavailable, errKey: "registry.remote_key_mismatch"},
		{name: "motcua key and key field disagree", body: `{"key":"001099012345","data":{"citizen_id":"001099099999"}}`, errKind: errs.Unavailable, errKey: "registry.remote_key_mismatch"},
		{name: "numeric key mismatch", body: `{"citizen_id":1099012345}`, errKind: errs.Unavailable, errKey: "registry.remote_key_mismatch"},
		{name: "two records", body: `[{"citizen_id":"001099012345"},{"citizen_id":"001099012345"}]`, errKind: errs.Unavailable, errKey: "registry.remote_bad_response"},
		{name: "array of a scalar", body: `["001099012345"]`, errKind: errs.Unavailable, errKey: "registry.remote_bad_response"},
		{name: "not JSON", body: `<html>Bảo trì hệ thống</html>`, errKind: errs.Unavailable, errKey: "registry.remote_bad_response"},
		{name: "scalar", body: `"001099012345"`, errKind: errs.Unavailable, errKey: "registry.remote_bad_response"},
		{name: "empty body", body: ``, errKind: errs.Unavailable, errKey: "registry.remote_bad_response"},
		{name: "too large", body: `{"citizen_id":"001099012345","x":"` + strings.Repeat("a", maxBody) + `"}`, errKind: errs.Unavailable, errKey: "registry.remote_bad_response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, ok(tt.body))
			c := newClient(t, dataset(s.URL, registry.Remote{}))
			before := time.Now().UTC()
			rec, err := c.Get(t.Context(), citizen, access)
			if tt.errKey != "" {
				if err == nil || errs.KindOf(err) != tt.errKind || key(err) != tt.errKey {
					t.Fatalf("err = %v (kind %v), want %v %s", err, errs.KindOf(err), tt.errKind, tt.errKey)
				}
				if strings.Contains(err.Error(), "001099099999") {
					t.Errorf("error leaks the other person's key: %v", err)
				}
				if st := c.Stats(); st.Attempts != 1 {
					t.Errorf("attempts = %d, want 1 (not retried)", st.Attempts)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Dataset != "population" || rec.Key != citizen || rec.Subject != tt.subject {
				t.Errorf("record = %s/%s subject %q", rec.Dataset, rec.Key, rec.Subject)
			}
			if !maps.Equal(rec.Data, tt.want) {
				t.Errorf("data = %v\nwant %v", rec.Data, tt.want)
			}
			if tt.at.IsZero() {
				if rec.UpdatedAt.Before(before) || rec.UpdatedAt.After(time.Now()) {
					t.Errorf("updated_at = %v, want the time of fetch", rec.UpdatedAt)
				}
			} else if !rec.UpdatedAt.Equal(tt.at) {
				t.Errorf("updated_at = %v, want %v", rec.UpdatedAt, tt.at)
			}
			if want := s.URL + "/api/v1/registry/population/records/" + citizen; rec.Source != want {
				t.Errorf("source = %q, want %q", rec.Source, want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		seq      []reply
		kind     errs.Kind // checked when errKey != ""
		errKey   string
		attempts int64
	}{
		{name: "404", seq: []reply{{status: 404}}, kind: errs.NotFound, errKey: "registry.not_found", attempts: 1},
		{name: "400 not retried", seq: []reply{{status: 400}, ok(motcuaRecord)}, kind: errs.Invalid, errKey: "registry.remote_invalid", attempts: 1},
		{name: "422", seq: []reply{{status: 422}}, kind: errs.Invalid, errKey: "registry.remote_invalid", attempts: 1},
		{name: "401", seq: []reply{{status: 401}}, kind: errs.Forbidden, errKey: "registry.remote_forbidden", attempts: 1},
		{name: "403", seq: []reply{{status: 403}, ok(motcuaRecord)}, kind: errs.Forbidden, errKey: "registry.remote_forbidden", attempts: 1},
		{name: "500 500 200", seq: []reply{{status: 500}, {status: 500}, ok(motcuaRecord)}, attempts: 3},
		{name: "429 then 200", seq: []reply{{status: 429}, ok(motcuaRecord)}, attempts: 2},
		{name: "502 503 504", seq: []reply{{status: 502}, {status: 503}, {status: 504}, ok(motcuaRecord)}, kind: errs.Unavailable, errKey: "registry.remote_unavailable", attempts: 3},
		{name: "503 with a long Retry-After", seq: []reply{{status: 503, header: map[string]string{"Retry-After": "120"}}, ok(motcuaRecord)}, kind: errs.Unavailable, errKey: "registry.remote_unavailable", attempts: 1},
		{name: "unexpected status", seq: []reply{{status: 418}, ok(motcuaRecord)}, kind: errs.Unavailable, errKey: "registry.remote_bad_response", attempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, tt.seq...)
			c := newClient(t, dataset(s.URL, registry.Remote{}))
			rec, err := c.Get(t.Context(), citizen, access)
			st := c.Stats()
			if st.Attempts != tt.attempts || st.Retries != tt.attempts-1 || s.hits.Load() != tt.attempts {
				t.Errorf("attempts = %d, retries = %d, hits = %d; want %d attempts", st.Attempts, st.Retries, s.hits.Load(), tt.attempts)
			}
			if tt.errKey == "" {
				if err != nil || rec.Key != citizen {
					t.Fatalf("Get = %v, %v", rec.Key, err)
				}
				return
			}
			if errs.KindOf(err) != tt.kind || key(err) != tt.errKey {
				t.Fatalf("err = %v (kind %v), want %v %s", err, errs.KindOf(err), tt.kind, tt.errKey)
			}
			if strings.Contains(err.Error(), citizen) && tt.kind != errs.NotFound {
				t.Errorf("error holds the key: %v", err)
			}
		})
	}
}

func TestUnavailableMessage(t *testing.T) {
	t.Parallel()
	s := newServer(t, reply{status: 500})
	c := newClient(t, dataset(s.URL, registry.Remote{Retries: -1}))
	_, err := c.Get(t.Context(), citizen, access)
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Unavailable {
		t.Fatalf("err = %v", err)
	}
	if want := "Hệ thống dữ liệu Cơ sở dữ liệu quốc gia về dân cư tạm thời không phản hồi, vui lòng thử lại sau."; e.Message != want {
		t.Errorf("message = %q", e.Message)
	}
	if e.Err == nil || !strings.Contains(e.Err.Error(), "status 500") {
		t.Errorf("cause = %v", e.Err)
	}
	if st := c.Stats(); st.Attempts != 1 {
		t.Errorf("Retries -1: attempts = %d, want 1", st.Attempts)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	s := newServer(t, reply{status: 429, header: map[string]string{"Retry-After": "1"}}, ok(motcuaRecord))
	c := newClient(t, dataset(s.URL, registry.Remote{}))
	start := time.Now()
	if _, err := c.Get(t.Context(), citizen, access); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second || d > 1500*time.Millisecond {
		t.Errorf("took %v, want about the 1 s asked", d)
	}
}

func TestSlowServer(t *testing.T) {
	t.Parallel()
	s := newServer(t, reply{status: 200, body: motcuaRecord, sleep: 2 * time.Second})
	c := newClient(t, dataset(s.URL, registry.Remote{Timeout: 100 * time.Millisecond}))
	start := time.Now()
	_, err := c.Get(t.Context(), citizen, access)
	if errs.KindOf(err) != errs.Unavailable || key(err) != "registry.remote_unavailable" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "no answer within 100ms") {
		t.Errorf("err = %v", err)
	}
	if st := c.Stats(); st.Attempts != 3 || st.Retries != 2 {
		t.Errorf("stats = %+v, want 3 attempts", st)
	}
	// 3 × 100 ms + backoff of at most 75 + 150 ms.
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestBreaker(t *testing.T) {
	t.Parallel()
	s := newServer(t, reply{status: 503})
	c := newClient(t, dataset(s.URL, registry.Remote{Retries: 1, BreakAfter: 3, Cooldown: 200 * time.Millisecond}))
	ctx := t.Context()
	for i := range 3 {
		if st := c.Stats(); st.Breaker != "closed" {
			t.Fatalf("before Get %d: breaker %s", i, st.Breaker)
		}
		if _, err := c.Get(ctx, citizen, access); key(err) != "registry.remote_unavailable" {
			t.Fatalf("Get %d: %v", i, err)
		}
	}
	if st := c.Stats(); st.Breaker != "open" || st.Attempts != 6 || s.hits.Load() != 6 {
		t.Fatalf("after 3 failing Gets: %+v, hits %d", st, s.hits.Load())
	}
	_, err := c.Get(ctx, citizen, access)
	if errs.KindOf(err) != errs.Unavailable || key(err) != "registry.remote_circuit_open" {
		t.Fatalf("open circuit: %v", err)
	}
	if e, _ := errs.As(err); !strings.Contains(e.Message, "đang tạm ngắt kết nối") {
		t.Errorf("message = %q", e.Message)
	}
	if st := c.Stats(); s.hits.Load() != 6 || st.Rejected != 1 || st.Requests != 3 {
		t.Fatalf("open circuit sent a request: %+v, hits %d", st, s.hits.Load())
	}

	// Half-open, the remote still down: one request, open again.
	time.Sleep(250 * time.Millisecond)
	if st := c.Stats(); st.Breaker != "half-open" {
		t.Fatalf("after cooldown: %s", st.Breaker)
	}
	if _, err := c.Get(ctx, citizen, access); key(err) != "registry.remote_unavailable" {
		t.Fatalf("half-open Get: %v", err)
	}
	if st := c.Stats(); st.Breaker != "open" {
		t.Fatalf("failed half-open Get: %s", st.Breaker)
	}

	// Healthy again: after the cooldown one Get closes the circuit.
	s.set(ok(motcuaRecord))
	time.Sleep(250 * time.Millisecond)
	if _, err := c.Get(ctx, citizen, access); err != nil {
		t.Fatalf("healthy: %v", err)
	}
	if st := c.Stats(); st.Breaker != "closed" || s.hits.Load() != 1 {
		t.Fatalf("after recovery: %+v, hits %d", st, s.hits.Load())
	}
}

// Answers of a healthy remote (not found, refusals) never open the circuit.
func TestBreakerIgnoresHealthyAnswers(t *testing.T) {
	t.Parallel()
	for _, status := range []int{404, 400, 403} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			s := newServer(t, reply{status: status})
			c := newClient(t, dataset(s.URL, registry.Remote{BreakAfter: 1}))
			for range 3 {
				if _, err := c.Get(t.Context(), citizen, access); err == nil {
					t.Fatal("no error")
				}
			}
			if st := c.Stats(); st.Breaker != "closed" || s.hits.Load() != 3 {
				t.Fatalf("%+v, hits %d", st, s.hits.Load())
			}
		})
	}
}

func TestCache(t *testing.T) {
	t.Parallel()
	s := newServer(t, ok(motcuaRecord))
	c := newClient(t, dataset(s.URL, registry.Remote{CacheTTL: 150 * time.Millisecond, BreakAfter: 1, Retries: -1}))
	ctx := t.Context()
	first, err := c.Get(ctx, citizen, access)
	if err != nil {
		t.Fatal(err)
	}
	first.Data["full_name"] = "changed by the caller"
	second, err := c.Get(ctx, citizen, registry.Access{Purpose: registry.PurposeAppraisal})
	if err != nil {
		t.Fatal(err)
	}
	if s.hits.Load() != 1 || c.Stats().CacheHits != 1 {
		t.Fatalf("hits %d, stats %+v: want 1 request and 1 cache hit", s.hits.Load(), c.Stats())
	}
	if second.Data["full_name"] != "Nguyễn Văn An" || len(second.Data) != 3 {
		t.Errorf("cached record = %v", second.Data)
	}

	// A cache hit skips the open circuit.
	s.set(reply{status: 500})
	if _, err := c.Get(ctx, "001099000001", access); key(err) != "registry.remote_unavailable" {
		t.Fatalf("other key: %v", err)
	}
	if c.Stats().Breaker != "open" {
		t.Fatal("breaker not open")
	}
	if _, err := c.Get(ctx, citizen, access); err != nil {
		t.Fatalf("cached key with the circuit open: %v", err)
	}

	time.Sleep(200 * time.Millisecond) // past the TTL; the circuit stays open (cooldown 30 s)
	if _, err := c.Get(ctx, citizen, access); key(err) != "registry.remote_circuit_open" {
		t.Fatalf("after TTL: %v, want a miss refused by the open circuit", err)
	}
}

func TestCacheExpiry(t *testing.T) {
	t.Parallel()
	s := newServer(t, ok(motcuaRecord))
	c := newClient(t, dataset(s.URL, registry.Remote{CacheTTL: 100 * time.Millisecond}))
	ctx := t.Context()
	for range 3 {
		if _, err := c.Get(ctx, citizen, access); err != nil {
			t.Fatal(err)
		}
	}
	if s.hits.Load() != 1 {
		t.Fatalf("within TTL: %d hits", s.hits.Load())
	}
	time.Sleep(150 * time.Millisecond)
	if _, err := c.Get(ctx, citizen, access); err != nil {
		t.Fatal(err)
	}
	if s.hits.Load() != 2 {
		t.Fatalf("after TTL: %d hits, want 2", s.hits.Load())
	}
	if st := c.Stats(); st.Gets != 4 || st.CacheHits != 2 || st.Requests != 2 {
		t.Errorf("stats = %+v", st)
	}

	// Not found is not cached.
	s.set(reply{status: 404})
	for range 2 {
		if _, err := c.Get(ctx, "001099000002", access); errs.KindOf(err) != errs.NotFound {
			t.Fatal(err)
		}
	}
	if s.hits.Load() != 2 {
		t.Errorf("not found: %d hits, want 2", s.hits.Load())
	}
}

func TestNoCache(t *testing.T) {
	t.Parallel()
	s := newServer(t, ok(motcuaRecord))
	c := newClient(t, dataset(s.URL, registry.Remote{}))
	for range 2 {
		if _, err := c.Get(t.Context(), citizen, access); err != nil {
			t.Fatal(err)
		}
	}
	if s.hits.Load() != 2 || c.Stats().CacheHits != 0 {
		t.Errorf("hits %d, stats %+v", s.hits.Load(), c.Stats())
	}
}

func TestRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tmpl, key string
		access          registry.Access
		path            string // escaped
		query           url.Values
	}{
		{
			name: "access sent", key: citizen, access: access,
			path:  "/api/v1/registry/population/records/" + citizen,
			query: url.Values{"purpose": {"replace"}, "procedure": {"1.001193"}, "dossier": {"H40.01-250701-0001"}},
		},
		{
			name: "key escaped in the path", key: "12/AB c?d#e", access: registry.Access{Purpose: registry.PurposeAppraisal},
			path:  "/api/v1/registry/population/records/12%2FAB%20c%3Fd%23e",
			query: url.Values{"purpose": {"appraisal"}},
		},
		{
			name: "key in the template's query", tmpl: "/lookup?api=v2&id={key}", key: "1&purpose=exchange",
			access: registry.Access{Purpose: registry.PurposePrefill, Dossier: "D1"},
			path:   "/lookup",
			query:  url.Values{"api": {"v2"}, "id": {"1&purpose=exchange"}, "purpose": {"prefill"}, "dossier": {"D1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, reply{status: 404})
			r := registry.Remote{Header: "Authorization", Token: "Bearer s3cret"}
			if tt.tmpl != "" {
				r.URL = s.URL + tt.tmpl
			}
			c := newClient(t, dataset(s.URL, r))
			if _, err := c.Get(t.Context(), tt.key, tt.access); errs.KindOf(err) != errs.NotFound {
				t.Fatal(err)
			}
			req := s.request()
			if req.Method != http.MethodGet || req.URL.EscapedPath() != tt.path {
				t.Errorf("%s %s, want GET %s", req.Method, req.URL.EscapedPath(), tt.path)
			}
			if got := req.URL.Query(); !maps.EqualFunc(got, tt.query, func(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }) {
				t.Errorf("query = %v, want %v", got, tt.query)
			}
			for h, want := range map[string]string{
				"Accept": "application/json", "Authorization": "Bearer s3cret", PurposeHeader: string(tt.access.Purpose),
			} {
				if got := req.Header.Get(h); got != want {
					t.Errorf("header %s = %q, want %q", h, got, want)
				}
			}
		})
	}
}

func TestCustomTokenHeader(t *testing.T) {
	t.Parallel()
	s := newServer(t, ok(motcuaRecord))
	c, err := New(dataset(s.URL, registry.Remote{Header: "X-Api-Key", Token: "k-123"}), &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(t.Context(), citizen, registry.Access{System: true}); err != nil {
		t.Fatal(err)
	}
	req := s.request()
	if req.Header.Get("X-Api-Key") != "k-123" || req.Header.Get("Authorization") != "" || req.Header.Get(PurposeHeader) != "" {
		t.Errorf("headers = %v", req.Header)
	}
	if len(req.URL.Query()) != 0 {
		t.Errorf("query = %v, want none for an access without purpose", req.URL.Query())
	}
}

// The default client does not carry the token to another host.
func TestRedirectToOtherHost(t *testing.T) {
	t.Parallel()
	other := newServer(t, ok(motcuaRecord))
	s := newServer(t, reply{status: http.StatusFound, header: map[string]string{"Location": other.URL + "/steal"}})
	c := newClient(t, dataset(s.URL, registry.Remote{Header: "Authorization", Token: "Bearer s3cret"}))
	if _, err := c.Get(t.Context(), citizen, access); key(err) != "registry.remote_bad_response" {
		t.Fatalf("err = %v", err)
	}
	if other.hits.Load() != 0 {
		t.Fatal("redirect to another host followed")
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	s := newServer(t, reply{status: 200, body: motcuaRecord, sleep: 5 * time.Second})
	c := newClient(t, dataset(s.URL, registry.Remote{BreakAfter: 1}))

	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Get(ctx, citizen, access)
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("returned after %v", d)
	}
	if !errors.Is(err, context.Canceled) || key(err) != "registry.remote_cancelled" {
		t.Fatalf("err = %v", err)
	}
	if st := c.Stats(); st.Breaker != "closed" || st.Attempts != 1 {
		t.Errorf("a caller's cancellation counted against the remote: %+v", st)
	}

	// Cancelled during the backoff.
	s.set(reply{status: 503, header: map[string]string{"Retry-After": "2"}})
	ctx, cancel = context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	if _, err := c.Get(ctx, citizen, access); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("backoff: returned after %v", d)
	}

	// Already cancelled: no request.
	hits := s.hits.Load()
	if _, err := c.Get(ctx, citizen, access); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if s.hits.Load() != hits || c.Stats().Breaker != "closed" {
		t.Errorf("hits %d → %d, breaker %s", hits, s.hits.Load(), c.Stats().Breaker)
	}
}

func TestInvalidKey(t *testing.T) {
	t.Parallel()
	s := newServer(t, ok(motcuaRecord))
	c := newClient(t, dataset(s.URL, registry.Remote{}))
	for _, k := range []string{"", ".", "..", "a\nb", strings.Repeat("1", maxKey+1)} {
		if _, err := c.Get(t.Context(), k, access); errs.KindOf(err) != errs.Invalid {
			t.Errorf("key %q: %v", k, err)
		}
	}
	if s.hits.Load() != 0 {
		t.Errorf("%d requests for invalid keys", s.hits.Load())
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	good := "https://other.example/api/v1/registry/{dataset}/records/{key}"
	tests := []struct {
		name string
		ds   func(*registry.Dataset)
		ok   bool
	}{
		{name: "good", ok: true},
		{name: "no remote", ds: func(d *registry.Dataset) { d.Remote = nil }},
		{name: "no key", ds: func(d *registry.Dataset) { d.Remote.URL = "https://other.example/records" }},
		{name: "relative", ds: func(d *registry.Dataset) { d.Remote.URL = "/records/{key}" }},
		{name: "ftp", ds: func(d *registry.Dataset) { d.Remote.URL = "ftp://other.example/{key}" }},
		{name: "negative timeout", ds: func(d *registry.Dataset) { d.Remote.Timeout = -1 }},
		{name: "negative cache", ds: func(d *registry.Dataset) { d.Remote.CacheTTL = -time.Second }},
		{name: "bad header", ds: func(d *registry.Dataset) { d.Remote.Header = "X Key" }},
		{name: "bad token", ds: func(d *registry.Dataset) { d.Remote.Header, d.Remote.Token = "X-Key", "a\r\nHost: evil" }},
		{name: "no key field", ds: func(d *registry.Dataset) { d.KeyField = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := dataset("", registry.Remote{URL: good})
			if tt.ds != nil {
				tt.ds(&ds)
			}
			c, err := New(ds, nil)
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v", err)
			}
			if err != nil && errs.KindOf(err) != errs.Invalid {
				t.Errorf("kind = %v", errs.KindOf(err))
			}
			if c != nil && (c.timeout != DefaultTimeout || c.retries != DefaultRetries || c.cache != nil || c.hc == nil) {
				t.Errorf("defaults: timeout %v retries %d cache %v", c.timeout, c.retries, c.cache != nil)
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if !strings.HasSuffix(r.URL.Path, "/"+citizen) {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"citizen_id":"001099012345","n":1}`))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, dataset(srv.URL, registry.Remote{CacheTTL: time.Minute, CacheSize: 2, BreakAfter: 1}))
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			k := citizen
			if i%2 == 1 {
				k = fmt.Sprintf("0010990000%02d", i)
			}
			rec, err := c.Get(t.Context(), k, access)
			if k == citizen && (err != nil || rec.Key != k || rec.Data["n"] != "1") {
				t.Errorf("Get %s: %v %v", k, rec, err)
			}
			if k != citizen && errs.KindOf(err) != errs.NotFound {
				t.Errorf("Get %s: %v", k, err)
			}
			_ = c.Stats()
		})
	}
	wg.Wait()
	st := c.Stats()
	if st.Gets != 40 || st.CacheHits+st.Requests != 40 || st.Requests != hits.Load() || st.Breaker != "closed" {
		t.Errorf("stats = %+v, hits %d", st, hits.Load())
	}
}

func TestBackoff(t *testing.T) {
	for n := range 20 {
		d := backoff(n)
		base := min(backoffBase<<min(n, 10), backoffCap)
		if d < base || d > min(base+base/2, backoffCap) {
			t.Errorf("backoff(%d) = %v", n, d)
		}
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"": 0, "2": 2 * time.Second, " 1 ": time.Second, "-3": 0, "abc": 0, "99999999": time.Hour,
		"Tue, 01 Jul 2025 08:00:01 GMT": time.Second, "Tue, 01 Jul 2025 07:00:00 GMT": 0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"https://u:p@h/x/{key}":     "https://h/x/{key}",
		"https://h/x/{key}?a=b@c":   "https://h/x/{key}?a=b@c",
		"http://h:8080/{key}":       "http://h:8080/{key}",
		"https://a@b@h/p@q/{key}":   "https://h/p@q/{key}",
		"https://h/records/{key}#x": "https://h/records/{key}#x",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
