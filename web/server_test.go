package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/auth"
)

// fixture is a demo server on a real SQLite store.
type fixture struct {
	clockMu sync.Mutex
	at      time.Time // the fixture's clock
	srv     *httptest.Server
	app     *platform.Services
	cfg     platform.Config // what app was built with
	opts    Options
	store   store.Store
	portal  *fakePortal // the national portal (withNational), if any
	mu      sync.Mutex
	toks    map[string]string
}

var clock = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	files, err := blob.Open(t.TempDir(), 5<<20)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{at: clock, store: db, toks: map[string]string{}}
	f.cfg = platform.Config{ProvinceCode: "01", Now: f.now, Logger: log, LoginBurst: 100, Files: files, PaymentSecret: []byte(testPaymentSecret)}
	f.opts = Options{Logger: log, PublicURL: "https://dichvucong.example.vn/"}
	a, err := platform.New(ctx, db, f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, a, db); err != nil {
		t.Fatal(err)
	}
	f.app = a
	f.srv = httptest.NewServer(New(a, f.opts).Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// rebuild builds the services anew with cfg (as a restarted server would)
// and serves them at the same address; sessions stay valid.
func (f *fixture) rebuild(t testing.TB, cfg platform.Config) {
	t.Helper()
	a, err := platform.New(context.Background(), f.store, cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.cfg, f.app = cfg, a
	f.srv.Config.Handler = New(a, f.opts).Handler()
}

func (f *fixture) now() time.Time {
	f.clockMu.Lock()
	defer f.clockMu.Unlock()
	return f.at
}

// set moves the fixture's clock (sessions may expire: log in again).
func (f *fixture) set(t time.Time) {
	f.clockMu.Lock()
	f.at = t
	f.clockMu.Unlock()
	f.mu.Lock()
	f.toks = map[string]string{}
	f.mu.Unlock()
}

func (f *fixture) token(t testing.TB, user string) string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if tok, ok := f.toks[user]; ok {
		return tok
	}
	res, body := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"`+user+`","password":"demo"}`)
	if res.StatusCode != 200 {
		t.Fatalf("login %s: %d %s", user, res.StatusCode, body)
	}
	var out struct {
		Token, Challenge     string
		SecondFactorRequired bool `json:"second_factor_required"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("login %s: %s", user, body)
	}
	if out.SecondFactorRequired {
		out.Token = f.secondFactor(t, user, out.Challenge)
	}
	if out.Token == "" {
		t.Fatalf("login %s: %s", user, body)
	}
	f.toks[user] = out.Token
	return out.Token
}

// secondFactor finishes the login of a demo official with the code of the
// demo's TOTP secret.
func (f *fixture) secondFactor(t testing.TB, user, challenge string) string {
	t.Helper()
	res, body := f.do(t, "POST", "/api/v1/auth/login/second-factor", "", `{"challenge":"`+challenge+`","code":"`+f.code(t, user)+`"}`)
	var out struct{ Token string }
	if err := json.Unmarshal(body, &out); res.StatusCode != 200 || err != nil || out.Token == "" {
		t.Fatalf("second factor of %s: %d %s", user, res.StatusCode, body)
	}
	return out.Token
}

// code is the demo TOTP code of user now. The fixture's clock stands
// still, and a code serves once (a second login in the same time step is
// a replay): the fixture first forgets the step user last used, in the
// store, behind the services' back.
func (f *fixture) code(t testing.TB, user string) string {
	t.Helper()
	ctx := context.Background()
	err := f.store.Update(ctx, func(tx store.Tx) error {
		acc, err := tx.AccountByUsername(ctx, user)
		if err != nil {
			return err
		}
		fa, err := tx.Factor(ctx, acc.ID)
		if err != nil {
			return err
		}
		fa.LastUsedStep = 0
		return tx.PutFactor(ctx, fa)
	})
	if err != nil {
		t.Fatal(err)
	}
	code, err := totp.GenerateCode(demo.TOTPSecret, f.now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func (f *fixture) do(t testing.TB, method, path, token, body string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// scenario is one HTTP exchange and what must come back.
type scenario struct {
	name     string
	method   string
	path     string
	user     string // demo account to log in as ("" = anonymous)
	body     string
	status   int
	contains []string
	absent   []string
}

func (f *fixture) run(t *testing.T, scs []scenario) {
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			tok := ""
			if sc.user != "" {
				tok = f.token(t, sc.user)
			}
			res, b := f.do(t, sc.method, sc.path, tok, sc.body)
			if res.StatusCode != sc.status {
				t.Fatalf("%s %s = %d, want %d: %s", sc.method, sc.path, res.StatusCode, sc.status, b)
			}
			for _, c := range sc.contains {
				if !bytes.Contains(b, []byte(c)) {
					t.Errorf("%s %s: body lacks %q: %.600s", sc.method, sc.path, c, b)
				}
			}
			for _, c := range sc.absent {
				if bytes.Contains(b, []byte(c)) {
					t.Errorf("%s %s: body must not contain %q", sc.method, sc.path, c)
				}
			}
			if strings.HasPrefix(sc.path, "/api/") && res.StatusCode >= 400 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("error response Content-Type = %q, want application/problem+json", res.Header.Get("Content-Type"))
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy header")
			}
		})
	}
}

func TestAPI(t *testing.T) {
	f := newFixture(t)
	f.run(t, []scenario{
		{"health", "GET", "/healthz", "", "", 200, []string{"ok"}, nil},
		{"ready", "GET", "/readyz", "", "", 200, []string{"ready"}, nil},
		{"openapi", "GET", "/api/v1/openapi.json", "", "", 200, []string{`"openapi":"3.1.0"`, "/api/v1/procedures/{code}"}, nil},
		{"provinces", "GET", "/api/v1/units/provinces", "", "", 200, []string{`"total":34`, `"code":"01"`, `"code":"96"`, "Thành phố Hà Nội"}, nil},
		{"province", "GET", "/api/v1/units/provinces/79", "", "", 200, []string{"Thành phố Hồ Chí Minh"}, nil},
		{"province unknown", "GET", "/api/v1/units/provinces/02", "", "", 404, []string{"Không có tỉnh"}, nil},
		{"province bad code", "GET", "/api/v1/units/provinces/abc", "", "", 422, []string{`"detail":"Dữ liệu gửi lên không hợp lệ."`}, nil},
		{"communes", "GET", "/api/v1/units/provinces/01/communes", "", "", 200, []string{`"total":126`, `"code":"00004"`, "Phường Ba Đình"}, nil},
		{"communes search", "GET", "/api/v1/units/provinces/01/communes?q=ba%20dinh", "", "", 200, []string{`"total":1`}, nil},
		{"commune", "GET", "/api/v1/units/communes/00004", "", "", 200, []string{"Phường Ba Đình"}, nil},
		{"old commune", "GET", "/api/v1/units/old-communes/00007", "", "", 200, []string{"00008", "00025"}, nil},
		{"agencies", "GET", "/api/v1/agencies?kind=department", "", "", 200, []string{"Sở Tư pháp Hà Nội", `"total":11`}, nil},
		{"search unaccented", "GET", "/api/v1/procedures?q=dang%20ky%20khai%20sinh", "", "", 200, []string{`"name":"Đăng ký khai sinh"`}, nil},
		{"search accented", "GET", "/api/v1/procedures?q=%C4%91%C4%83ng%20k%C3%BD%20k%E1%BA%BFt%20h%C3%B4n", "", "", 200, []string{"Đăng ký kết hôn"}, nil},
		{"procedure", "GET", "/api/v1/procedures/1.001193", "", "", 200, []string{`"form_schema"`, `"components"`, `"workflow"`, `"role":"receiver"`, `"processing_time"`, `"fees"`}, nil},
		{"procedure missing", "GET", "/api/v1/procedures/9.999999", "", "", 404, []string{"Không có thủ tục"}, nil},
		{"due", "GET", "/api/v1/calendar/due?from=2026-02-13T10:00:00%2B07:00&days=3", "", "", 200, []string{`"due":"2026-02-25T10:00:00+07:00"`}, nil},
		{"due bad", "GET", "/api/v1/calendar/due?from=2026-02-13T10:00:00%2B07:00&days=3&hours=2", "", "", 422, []string{"không hợp lệ"}, nil},
		{"holidays", "GET", "/api/v1/calendar/holidays?year=2026", "", "", 200, []string{"Tết Nguyên đán", "Giỗ Tổ Hùng Vương"}, nil},
		{"me anonymous", "GET", "/api/v1/me", "", "", 401, []string{"đăng nhập"}, nil},
		{"me citizen", "GET", "/api/v1/me", "congdan", "", 200, []string{`"citizen_id":"001090012345"`, `"kind":"citizen"`, `"identity_verified":true`}, []string{"password"}},
		{"me official", "GET", "/api/v1/me", "chuyenvien", "", 200, []string{`"role":"specialist"`, "Ủy ban nhân dân phường"}, nil},
		{"login wrong", "POST", "/api/v1/auth/login", "", `{"username":"congdan","password":"nope"}`, 401, []string{"không đúng"}, nil},
		{"login unknown", "POST", "/api/v1/auth/login", "", `{"username":"nobody","password":"demo"}`, 401, []string{"không đúng"}, nil},
		{"login malformed", "POST", "/api/v1/auth/login", "", `{"username":`, 400, nil, nil},
		{"accounts citizen forbidden", "GET", "/api/v1/accounts", "congdan", "", 403, []string{"không có quyền"}, nil},
		{"accounts receiver", "GET", "/api/v1/accounts?q=001090012345", "tiepnhan", "", 200, []string{`"total":1`, "Nguyễn Văn An"}, nil},
		{"accounts admin", "GET", "/api/v1/accounts?kind=official", "quantri", "", 200, []string{"chuyenvien"}, []string{"password_hash", "$argon2id"}},
		{"audit citizen forbidden", "GET", "/api/v1/audit", "congdan", "", 403, nil, nil},
		{"audit admin", "GET", "/api/v1/audit", "quantri", "", 200, []string{"demo.seed", "auth.login"}, nil},
		{"audit verify", "GET", "/api/v1/audit/verify", "quantri", "", 200, []string{`"ok":true`}, nil},
		{"put procedure forbidden", "PUT", "/api/v1/procedures/DEMO-X", "chuyenvien", `{}`, 403, nil, nil},
		{"put procedure anonymous", "PUT", "/api/v1/procedures/DEMO-X", "", `{}`, 401, nil, nil},
		{"put procedure invalid", "PUT", "/api/v1/procedures/DEMO-X", "quantri", `{"name":"","field":"x","level":"district","agency_kind":"commune_committee","online_level":"full","fees":[],"components":[],"form_schema":{"type":"object","properties":{"a":{"type":"array"}}},"workflow":{"steps":[]},"result":{"name":"x"}}`, 422,
			[]string{"name", "level", "components", "form_schema.properties.a.type", "workflow.steps"}, nil},
		{"import invalid", "POST", "/api/v1/catalog/import", "quantri", `{"version":1,"procedures":[{"code":"x"}]}`, 422, []string{"procedures[0]"}, nil},
		{"export", "GET", "/api/v1/catalog/export", "", "", 200, []string{`"version":1`, "1.001193"}, nil},
		{"schedule forbidden", "POST", "/api/v1/calendar/schedules", "tiepnhan", `{"year":2027,"days_off":[]}`, 403, nil, nil},
		{"schedule bad", "POST", "/api/v1/calendar/schedules", "quantri", `{"year":2027,"days_off":[{"date":"2028-01-01","name":"x"}]}`, 422, []string{"Lịch nghỉ không hợp lệ"}, nil},
		{"agency bad id", "PUT", "/api/v1/agencies/abc", "quantri", `{"name":"X","kind":"department","sector":"y-te"}`, 422, []string{"id"}, nil},
		{"bad auth header", "GET", "/api/v1/me", "", "", 401, nil, nil},
		{"metrics without a token configured", "GET", "/metrics", "", "", 404, nil, []string{"motcua_http_requests_total"}}, // TestMetricsNeedToken
	})
}

func TestProcedureLifecycle(t *testing.T) {
	f := newFixture(t)
	res, b := f.do(t, "GET", "/api/v1/procedures/1.001193", "", "")
	if res.StatusCode != 200 {
		t.Fatal(string(b))
	}
	var p map[string]any
	_ = json.Unmarshal(b, &p)
	p["name"] = "Đăng ký khai sinh (thử nghiệm)"
	p["code"] = "TEST-001"
	delete(p, "bundle")
	nb, _ := json.Marshal(p)
	admin := f.token(t, "quantri")
	f.run(t, []scenario{
		{"create", "PUT", "/api/v1/procedures/TEST-001", "quantri", string(nb), 200, []string{"thử nghiệm"}, nil},
		{"found", "GET", "/api/v1/procedures?q=thu%20nghiem", "", "", 200, []string{"TEST-001"}, nil},
		{"delete", "DELETE", "/api/v1/procedures/TEST-001", "quantri", "", 204, nil, nil},
		{"gone", "GET", "/api/v1/procedures/TEST-001", "", "", 404, nil, nil},
		{"delete again", "DELETE", "/api/v1/procedures/TEST-001", "quantri", "", 404, nil, nil},
		{"audit shows it", "GET", "/api/v1/audit?object=procedure:TEST-001", "quantri", "", 200, []string{"procedure.put", "procedure.delete", `"actor":"quantri"`}, nil},
	})
	_ = admin
}

func TestScheduleOverridesRules(t *testing.T) {
	f := newFixture(t)
	// Without a schedule, 2027-01-04 (Monday) is a working day; an official
	// schedule that gives it off moves a due date by one working day.
	due := func() string {
		_, b := f.do(t, "GET", "/api/v1/calendar/due?from=2027-01-04T08:00:00%2B07:00&days=1", "", "")
		var out struct{ Due string }
		_ = json.Unmarshal(b, &out)
		return out.Due
	}
	if got := due(); got != "2027-01-05T08:00:00+07:00" {
		t.Fatalf("before schedule due = %s", got)
	}
	f.run(t, []scenario{
		{"load", "POST", "/api/v1/calendar/schedules", "quantri", `{"year":2027,"source":"test","days_off":[{"date":"2027-01-01","name":"Tết Dương lịch"},{"date":"2027-01-04","name":"Nghỉ thử nghiệm"}],"working_days":[]}`, 200, []string{`"loaded":1`}, nil},
		{"listed", "GET", "/api/v1/calendar/schedules", "", "", 200, []string{"Nghỉ thử nghiệm"}, nil},
	})
	if got := due(); got != "2027-01-05T17:30:00+07:00" {
		t.Fatalf("after schedule due = %s", got)
	}
	f.run(t, []scenario{{"delete", "DELETE", "/api/v1/calendar/schedules/2027", "quantri", "", 204, nil, nil}})
	if got := due(); got != "2027-01-05T08:00:00+07:00" {
		t.Fatalf("after delete due = %s", got)
	}
}

func TestLogoutAndCookie(t *testing.T) {
	f := newFixture(t)
	res, b := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"congdan","password":"demo"}`)
	if res.StatusCode != 200 {
		t.Fatal(string(b))
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie = %+v", cookie)
	}
	var out struct{ Token string }
	_ = json.Unmarshal(b, &out)
	// The cookie authenticates a safe request…
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/me", nil)
	req.AddCookie(cookie)
	r2, _ := http.DefaultClient.Do(req)
	r2.Body.Close()
	if r2.StatusCode != 200 {
		t.Fatalf("cookie GET /me = %d", r2.StatusCode)
	}
	// …but never a state change (CSRF).
	req, _ = http.NewRequest("POST", f.srv.URL+"/api/v1/auth/logout", nil)
	req.AddCookie(cookie)
	r3, _ := http.DefaultClient.Do(req)
	r3.Body.Close()
	if r3.StatusCode != 401 {
		t.Fatalf("cookie POST logout = %d, want 401", r3.StatusCode)
	}
	if r, _ := f.do(t, "POST", "/api/v1/auth/logout", out.Token, ""); r.StatusCode != 204 {
		t.Fatalf("logout = %d", r.StatusCode)
	}
	if r, _ := f.do(t, "GET", "/api/v1/me", out.Token, ""); r.StatusCode != 401 {
		t.Fatalf("after logout /me = %d", r.StatusCode)
	}
}

func TestLoginRateLimited(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := clock
	a, _ := platform.New(ctx, db, platform.Config{ProvinceCode: "01", Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := demo.Seed(ctx, a, db); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(a, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	post := func(pw string) *http.Response {
		res, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"quantri","password":"`+pw+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	for i := 0; i < 5; i++ {
		if r := post("wrong"); r.StatusCode != 401 {
			t.Fatalf("attempt %d = %d", i, r.StatusCode)
		}
	}
	r := post("demo")
	if r.StatusCode != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("6th attempt = %d, Retry-After %q; want 429", r.StatusCode, r.Header.Get("Retry-After"))
	}
	now = now.Add(13 * time.Second) // one attempt refilled
	if r := post("demo"); r.StatusCode != 200 {
		t.Fatalf("after waiting = %d", r.StatusCode)
	}
}

// TestLoginBodyBounded: a login body over 4 KiB is refused (413) before it
// is decoded and before the login is tried; a login of normal size passes.
func TestLoginBodyBounded(t *testing.T) {
	f := newFixture(t)
	padded := `{"username":"quantri","password":"demo"` + strings.Repeat(" ", 1<<20-64) + "}"
	if r, body := f.do(t, "POST", "/api/v1/auth/login", "", padded); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("1 MiB login = %d %s, want 413", r.StatusCode, body)
	}
	if r, body := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"quantri","password":"demo"}`); r.StatusCode != 200 {
		t.Fatalf("login = %d %s", r.StatusCode, body)
	}
}

// A spoofed X-Forwarded-For does not escape the per-address limit unless
// the connection comes from a trusted proxy: then the header's address is
// the client's, and each address has its own budget.
func TestLoginSpoofedForwardedFor(t *testing.T) {
	for _, tt := range []struct {
		name    string
		proxies string
		want    int
	}{
		{"no trusted proxy", "", 429},
		{"loopback trusted", "127.0.0.0/8,::1", 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, err := sqlstore.OpenSQLite(ctx, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			a, _ := platform.New(ctx, db, platform.Config{ProvinceCode: "01", Now: func() time.Time { return clock }, Logger: log, LoginBurst: 1})
			if _, err := demo.Seed(ctx, a, db); err != nil {
				t.Fatal(err)
			}
			ps, err := auth.ParseProxies(tt.proxies)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(New(a, Options{Logger: log, TrustedProxies: ps}).Handler())
			defer srv.Close()
			post := func(user, pw, xff string) *http.Response {
				req, _ := http.NewRequest("POST", srv.URL+"/api/v1/auth/login", strings.NewReader(`{"username":"`+user+`","password":"`+pw+`"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", xff)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res
			}
			// 20 failures (the address's budget with LoginBurst 1), each
			// with another username and another forged address.
			for i := range 20 {
				if r := post(fmt.Sprintf("nobody%d", i), "x", fmt.Sprintf("198.51.100.%d", i+1)); r.StatusCode != 401 {
					t.Fatalf("attempt %d = %d", i+1, r.StatusCode)
				}
			}
			r := post("quantri", "demo", "198.51.100.99")
			if r.StatusCode != tt.want {
				t.Fatalf("21st attempt = %d, want %d", r.StatusCode, tt.want)
			}
			if tt.want == 429 && r.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		})
	}
}

// Every operation declares an access policy, and every non-public one
// refuses anonymous callers: the check cannot be forgotten on a new route.
func TestEveryOperationHasAccessPolicy(t *testing.T) {
	f := newFixture(t)
	s := New(f.app, Options{})
	n := 0
	for path, item := range s.API().OpenAPI().Paths {
		ops := map[string]any{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "DELETE": item.Delete, "PATCH": item.Patch}
		for method, v := range ops {
			hop := opOf(v)
			if hop == nil {
				continue
			}
			n++
			acc, ok := hop.Metadata["access"].(api.Access)
			if !ok {
				t.Errorf("%s %s has no access policy", method, path)
				continue
			}
			if acc.Public {
				continue
			}
			url := strings.NewReplacer("{code}", "01", "{id}", "1", "{year}", "2027").Replace(path)
			res, _ := f.do(t, method, url, "", "")
			if res.StatusCode != 401 {
				t.Errorf("anonymous %s %s = %d, want 401", method, path, res.StatusCode)
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d operations found", n)
	}
}
