package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/motcua/motcua/catalog"
)

// contractInvalid marks a request that breaks the document on purpose
// (an anonymous call to a protected operation, a value out of range): the
// document must refuse it as the server does.
const contractInvalid = "X-Contract-Invalid"

// contract checks every API exchange that reaches the server against the
// OpenAPI document the server publishes.
type contract struct {
	doc    *openapi3.T
	router routers.Router

	mu         sync.Mutex
	violations []string
	seen       map[string]map[int]int // "GET /api/v1/x/{id}" → status → exchanges
	exchanges  int
}

// newContractFixture is a fixture whose server validates every request and
// response under /api/v1 against /api/v1/openapi.json.
func newContractFixture(t *testing.T) (*fixture, *contract) {
	t.Helper()
	f := newFixture(t)
	withPKI(t, f)
	withNational(t, f)
	s := New(f.app, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicURL: "https://dichvucong.example.vn/"})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != 200 {
		t.Fatalf("openapi.json = %d", rec.Code)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("load the document: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := &contract{doc: doc, router: router, seen: map[string]map[int]int{}}
	f.srv.Close()
	f.srv = httptest.NewServer(c.wrap(s.Handler()))
	t.Cleanup(f.srv.Close)
	return f, c
}

// operations lists the document's operations as "METHOD /path".
func (c *contract) operations() []string {
	var ops []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			ops = append(ops, method+" "+path)
		}
	}
	sort.Strings(ops)
	return ops
}

func (c *contract) violation(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violations = append(c.violations, fmt.Sprintf(format, args...))
}

// documentPath reports whether path is served by huma outside the
// operations (the document itself and its schemas).
func documentPath(path string) bool {
	return strings.HasPrefix(path, "/api/v1/openapi") || strings.HasPrefix(path, "/api/v1/schemas/")
}

// wrap validates the exchanges of next under /api/v1.
func (c *contract) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") || documentPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			c.violation("%s %s: read the request: %v", r.Method, r.URL.Path, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		// The document describes the bodies, not their compression
		// (TestStaticCacheAndCompression): the plain body is checked.
		r.Header.Del("Accept-Encoding")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		// Replay the response to the client unchanged.
		h := w.Header()
		for k, v := range rec.Header() {
			h[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())

		c.check(r, body, rec)
	})
}

func (c *contract) check(r *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	ctx := context.Background()
	invalid := r.Header.Get(contractInvalid) != ""
	req := r.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.violation("%s %s: no operation in the document (%v)", r.Method, r.URL.Path, err)
		return
	}
	op := r.Method + " " + route.Path
	c.mu.Lock()
	c.exchanges++
	if c.seen[op] == nil {
		c.seen[op] = map[int]int{}
	}
	c.seen[op][rec.Code]++
	c.mu.Unlock()

	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: &openapi3filter.Options{
		MultiError:         true,
		AuthenticationFunc: bearerOnly,
	}}
	err = openapi3filter.ValidateRequest(ctx, in)
	switch {
	case err != nil && !invalid:
		c.violation("%s → %d: the request breaks the document: %s", op, rec.Code, short(err))
	case err == nil && invalid:
		c.violation("%s → %d: the server refuses a request that the document allows (%.200s)", op, rec.Code, body)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		c.violation("%s → %d: the response breaks the document: %s", op, rec.Code, short(err))
	}
}

// bearerOnly checks the "bearer" scheme: an Authorization header carrying
// a bearer token.
func bearerOnly(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecuritySchemeName == "bearer" && strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
		return nil
	}
	return errors.New("no bearer token")
}

// short keeps a validation error readable: kin-openapi appends the whole
// schema and value to each error.
func short(err error) string {
	var parts []string
	var me openapi3.MultiError
	if errors.As(err, &me) {
		for _, e := range me {
			parts = append(parts, short(e))
		}
		if len(parts) > 8 {
			parts = append(parts[:8], fmt.Sprintf("and %d more", len(parts)-8))
		}
		return strings.Join(parts, "; ")
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return "/" + strings.Join(se.JSONPointer(), "/") + ": " + se.Reason
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Err != nil {
		prefix := re.Reason
		if re.Parameter != nil {
			prefix = "parameter " + re.Parameter.Name + " " + prefix
		}
		return strings.TrimSpace(prefix + " " + short(re.Err))
	}
	var rse *openapi3filter.ResponseError
	if errors.As(err, &rse) && rse.Err != nil {
		return strings.TrimSpace(rse.Reason + " " + short(rse.Err))
	}
	s := err.Error()
	if i := strings.Index(s, "\n"); i > 0 {
		s = s[:i]
	}
	return s
}

// send makes one API call as user ("" = anonymous) and checks its status.
func (f *fixture) send(t *testing.T, want int, user, method, path, ctype string, body []byte, invalid bool) []byte {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.token(t, user))
	}
	if invalid {
		req.Header.Set(contractInvalid, "1")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s as %q = %d, want %d: %.400s", method, path, user, res.StatusCode, want, b)
	}
	return b
}

// call sends a JSON body (or none) that the document allows.
func (f *fixture) call(t *testing.T, want int, user, method, path, body string) []byte {
	t.Helper()
	if body == "" {
		return f.send(t, want, user, method, path, "", nil, false)
	}
	return f.send(t, want, user, method, path, "application/json", []byte(body), false)
}

// refused sends a request that breaks the document on purpose.
func (f *fixture) refused(t *testing.T, want int, user, method, path, body string) []byte {
	t.Helper()
	ctype := ""
	var b []byte
	if body != "" {
		ctype, b = "application/json", []byte(body)
	}
	return f.send(t, want, user, method, path, ctype, b, true)
}

func scan(t *testing.T, format string) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.Black)
	}
	var b bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func field[T any](t *testing.T, b []byte, name string) T {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %.200s", err, b)
	}
	var v T
	if err := json.Unmarshal(m[name], &v); err != nil {
		t.Fatalf("field %s: %v: %.200s", name, err, m[name])
	}
	return v
}

// TestOpenAPIContract walks the API end to end — public look-ups, log-in,
// administration, a dossier from submission to its return and rating, the
// shared data, the personal store — and checks every request and response
// against the OpenAPI document the server publishes.
func TestOpenAPIContract(t *testing.T) {
	f, c := newContractFixture(t)
	walkPublic(t, f)
	walkAccounts(t, f)
	walkSessions(t, f)
	walkAdministration(t, f)
	atSpecialist := walkDossier(t, f)
	walkRegistry(t, f, atSpecialist)
	walkMoreDossiers(t, f)
	walkNational(t, f)
	walkSecondFactor(t, f)

	// Log out last: the session of a fresh log-in ends.
	tok := field[string](t, f.call(t, 200, "", "POST", "/api/v1/auth/login", `{"username":"congdan2","password":"demo"}`), "token")
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/auth/logout", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 204 {
		t.Fatalf("logout = %d", res.StatusCode)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	pairs := 0
	for _, st := range c.seen {
		pairs += len(st)
	}
	var missed []string
	for _, op := range c.operations() {
		if c.seen[op] == nil {
			missed = append(missed, op)
		}
	}
	t.Logf("validated %d exchanges: %d of %d operations, %d operation × status pairs", c.exchanges, len(c.seen), len(c.operations()), pairs)
	for _, op := range missed {
		t.Errorf("the walk does not call %s: add it to the walk", op)
	}
	slices.Sort(c.violations)
	c.violations = slices.Compact(c.violations)
	for _, v := range c.violations {
		t.Error(v)
	}
}

func walkPublic(t *testing.T, f *fixture) {
	f.call(t, 200, "", "GET", "/api/v1/units/provinces", "")
	f.call(t, 200, "", "GET", "/api/v1/units/provinces/01", "")
	f.call(t, 404, "", "GET", "/api/v1/units/provinces/02", "")
	f.refused(t, 422, "", "GET", "/api/v1/units/provinces/abc", "")
	f.call(t, 200, "", "GET", "/api/v1/units/provinces/01/communes?q=ba%20dinh", "")
	f.call(t, 200, "", "GET", "/api/v1/units/communes/00004", "")
	f.call(t, 200, "", "GET", "/api/v1/units/old-communes/00007", "")
	f.call(t, 200, "", "GET", "/api/v1/agencies?kind=department", "")
	f.call(t, 200, "", "GET", "/api/v1/agencies/000.00.50.H01", "")
	f.call(t, 200, "", "GET", "/api/v1/procedures?q=dang%20ky%20khai%20sinh&limit=5", "")
	f.call(t, 200, "", "GET", "/api/v1/procedures?q=khuyeett%20taaat", "") // with a suggestion
	f.call(t, 200, "", "GET", "/api/v1/procedures/1.001193", "")
	f.call(t, 404, "", "GET", "/api/v1/procedures/9.999999", "")
	f.call(t, 200, "", "GET", "/api/v1/catalog/export", "")
	f.call(t, 200, "", "GET", "/api/v1/calendar/due?from=2026-02-13T10:00:00%2B07:00&days=3&agency=000.00.50.H01", "")
	f.call(t, 200, "", "GET", "/api/v1/calendar/holidays?year=2026", "")
	f.call(t, 200, "", "GET", "/api/v1/calendar/schedules", "")
}

func walkAccounts(t *testing.T, f *fixture) {
	f.call(t, 401, "", "POST", "/api/v1/auth/login", `{"username":"congdan","password":"sai"}`)
	me := f.call(t, 200, "congdan", "GET", "/api/v1/me", "")
	f.refused(t, 401, "", "GET", "/api/v1/me", "")
	f.call(t, 200, "congdan", "GET", fmt.Sprintf("/api/v1/accounts/%d", field[int64](t, me, "id")), "")
	f.call(t, 200, "tiepnhan", "GET", "/api/v1/accounts?q=001090012345", "")
	f.call(t, 403, "congdan", "GET", "/api/v1/accounts", "")
	f.call(t, 422, "quantri", "POST", "/api/v1/accounts", `{"username":"chuyenvien2","display_name":"Trần Thị Hoa","kind":"official","citizen_id":"001190012399","identity_verified":true,"grants":[],"disabled":false,"password":"demo-2026"}`)
	f.call(t, 409, "quantri", "POST", "/api/v1/accounts", `{"username":"congdan.hai","display_name":"Nguyễn Văn An","kind":"citizen","citizen_id":"001090012345","password":"demo-2026"}`)
	acc := f.call(t, 201, "quantri", "POST", "/api/v1/accounts", `{"username":"chuyenvien2","display_name":"Trần Thị Hoa","kind":"official","citizen_id":"001190012399","identity_verified":false,"grants":[],"disabled":false,"password":"demo-2026"}`)
	f.call(t, 200, "quantri", "PUT", fmt.Sprintf("/api/v1/accounts/%d/grants", field[int64](t, acc, "id")), `[{"role":"specialist","agency_id":"000.00.50.H01"}]`)
}

// walkSessions lists the caller's sessions, ends another of them (opened
// by a second log-in) and an account's all.
func walkSessions(t *testing.T, f *fixture) {
	f.call(t, 200, "", "POST", "/api/v1/auth/login", `{"username":"congdan","password":"demo"}`)
	type session struct {
		ID      string `json:"id"`
		Current bool   `json:"current"`
	}
	list := field[[]session](t, f.call(t, 200, "congdan", "GET", "/api/v1/me/sessions", ""), "items")
	other := ""
	for _, x := range list {
		if !x.Current {
			other = x.ID
		}
	}
	if len(list) < 2 || other == "" {
		t.Fatalf("sessions = %+v, want the current one and another", list)
	}
	f.refused(t, 401, "", "GET", "/api/v1/me/sessions", "")
	f.call(t, 200, "congdan", "GET", "/api/v1/me/notifications", "")
	f.call(t, 422, "congdan", "PUT", "/api/v1/me/notifications", `{"channels":["fax"],"lang":"vi"}`)
	f.call(t, 200, "congdan", "PUT", "/api/v1/me/notifications", `{"channels":[],"lang":"en"}`)
	f.refused(t, 401, "", "PUT", "/api/v1/me/notifications", `{"channels":[]}`)
	f.call(t, 204, "congdan", "DELETE", "/api/v1/me/sessions/"+other, "")
	f.call(t, 404, "congdan", "DELETE", "/api/v1/me/sessions/"+other, "")
	acc := field[int64](t, f.call(t, 200, "congdan2", "GET", "/api/v1/me", ""), "id")
	f.call(t, 403, "congdan", "POST", fmt.Sprintf("/api/v1/accounts/%d/sessions/end", acc), "")
	f.call(t, 404, "quantri", "POST", "/api/v1/accounts/999999/sessions/end", "")
	if n := field[int](t, f.call(t, 200, "quantri", "POST", fmt.Sprintf("/api/v1/accounts/%d/sessions/end", acc), ""), "ended"); n != 1 {
		t.Errorf("ended %d sessions of congdan2, want 1", n)
	}
	f.mu.Lock()
	delete(f.toks, "congdan2") // its session ended: the next call logs in anew
	f.mu.Unlock()
}

func walkAdministration(t *testing.T, f *fixture) {
	// A copy of a procedure under a new code (outside the original's
	// bundle): created, deleted, imported.
	p := f.call(t, 200, "", "GET", "/api/v1/procedures/1.001193", "")
	var proc map[string]any
	if err := json.Unmarshal(p, &proc); err != nil {
		t.Fatal(err)
	}
	proc["code"], proc["name"] = "TEST-001", "Đăng ký khai sinh (thử nghiệm)"
	delete(proc, "bundle")
	nb, _ := json.Marshal(proc)
	f.call(t, 200, "quantri", "PUT", "/api/v1/procedures/TEST-001", string(nb))
	f.call(t, 204, "quantri", "DELETE", "/api/v1/procedures/TEST-001", "")
	f.call(t, 404, "quantri", "DELETE", "/api/v1/procedures/TEST-001", "")
	f.call(t, 200, "quantri", "POST", "/api/v1/catalog/import", `{"version":1,"procedures":[`+string(nb)+`]}`)
	f.call(t, 403, "chuyenvien", "PUT", "/api/v1/procedures/TEST-001", string(nb))
	// A procedure of a bundle, as GET returns it, and the whole catalogue
	// as exported, go back unchanged.
	f.call(t, 200, "quantri", "PUT", "/api/v1/procedures/DEMO-029", string(f.call(t, 200, "", "GET", "/api/v1/procedures/DEMO-029", "")))
	f.call(t, 200, "quantri", "POST", "/api/v1/catalog/import", string(f.call(t, 200, "", "GET", "/api/v1/catalog/export", "")))
	f.refused(t, 400, "", "POST", "/api/v1/auth/login", `{"username":`)

	f.call(t, 200, "quantri", "POST", "/api/v1/calendar/schedules", `{"year":2027,"source":"test","days_off":[{"date":"2027-01-01","name":"Tết Dương lịch"}],"working_days":[]}`)
	f.call(t, 204, "quantri", "DELETE", "/api/v1/calendar/schedules/2027", "")

	// Office hours: what GET returns, PUT takes back; minutes are not times.
	const ba = "/api/v1/agencies/000.00.50.H01"
	ag := f.call(t, 200, "", "GET", ba, "")
	var agency map[string]any
	if err := json.Unmarshal(ag, &agency); err != nil {
		t.Fatal(err)
	}
	agency["office_hours"] = map[string]any{"periods": []any{map[string]any{"start": "07:00", "end": "11:30"}, map[string]any{"start": "13:00", "end": "17:00"}}, "cutoff": "16:00"}
	nb, _ = json.Marshal(agency)
	put := f.call(t, 200, "quantri", "PUT", ba, string(nb))
	if !strings.Contains(string(put), `"cutoff":"16:00"`) {
		t.Errorf("PUT office hours: %s", put)
	}
	f.call(t, 200, "quantri", "PUT", ba, string(ag))
	minutes := strings.Replace(string(ag), `"cutoff":"15:00"`, `"cutoff":900`, 1)
	if minutes == string(ag) {
		t.Fatalf("no 15:00 cut-off in %s", ag)
	}
	f.refused(t, 422, "quantri", "PUT", ba, minutes)
	// The signature mode: one of two, as the document says.
	seal := strings.Replace(string(ag), `"signature_mode":"personal"`, `"signature_mode":"seal"`, 1)
	if seal == string(ag) {
		t.Fatalf("the demo commune does not sign personally: %s", ag)
	}
	if put := f.call(t, 200, "quantri", "PUT", ba, seal); !strings.Contains(string(put), `"signature_mode":"seal"`) {
		t.Errorf("PUT signature mode: %s", put)
	}
	f.refused(t, 422, "quantri", "PUT", ba, strings.Replace(string(ag), `"signature_mode":"personal"`, `"signature_mode":"stamp"`, 1))
	f.call(t, 200, "quantri", "PUT", ba, string(ag))

	// The fee account (VietQR): set, refused, removed, set again.
	bank := `{"bin":"970415","number":"113000005001","name":"Ủy ban nhân dân phường Ba Đình"}`
	if b := f.call(t, 200, "quantri", "PUT", ba+"/bank", bank); !strings.Contains(string(b), `"name":"UY BAN NHAN DAN PHUONG BA DINH"`) {
		t.Errorf("PUT bank: %s", b)
	}
	f.call(t, 422, "quantri", "PUT", ba+"/bank", `{"bin":"970499","number":"113000005001","name":"X"}`)
	f.refused(t, 422, "quantri", "PUT", ba+"/bank", `{"bin":"9704","number":"1","name":""}`)
	f.call(t, 403, "chuyenvien", "PUT", ba+"/bank", bank)
	f.call(t, 200, "quantri", "DELETE", ba+"/bank", "")
	f.call(t, 200, "quantri", "PUT", ba+"/bank", bank)

	f.call(t, 200, "quantri", "GET", "/api/v1/audit?limit=20", "")
	f.call(t, 200, "quantri", "GET", "/api/v1/audit/verify", "")
}

// walkDossier returns the code of a dossier it left at the commune
// specialist's step.
func walkDossier(t *testing.T, f *fixture) string {
	// Files: a PDF and the usual scans.
	ids := map[string]string{}
	for _, up := range []struct {
		ctype string
		data  []byte
	}{{"application/pdf", []byte(minimalPDF)}, {"image/png", scan(t, "png")}, {"image/jpeg", scan(t, "jpeg")}} {
		ids[up.ctype] = field[string](t, f.send(t, 201, "congdan", "POST", "/api/v1/files?name=giay-to", up.ctype, up.data, false), "id")
	}
	f.send(t, 422, "congdan", "POST", "/api/v1/files", "application/pdf", []byte("không phải PDF"), false)
	f.send(t, 401, "", "POST", "/api/v1/files", "application/pdf", []byte(minimalPDF), true)

	// Submit the sample form: a PNG for the first component, PDFs for the others.
	f.call(t, 200, "congdan", "GET", "/api/v1/procedures/1.001193/prefill", "")
	sub := f.submission(t, "1.001193", ids["application/pdf"], map[string]map[string]any{"TP01": {"file_id": ids["image/png"]}}, nil)
	d := f.call(t, 201, "congdan", "POST", "/api/v1/dossiers", sub)
	code := field[string](t, d, "code")
	f.call(t, 422, "congdan", "POST", "/api/v1/dossiers", `{"procedure_code":"1.001193","form":{}}`)
	f.call(t, 200, "congdan", "GET", "/api/v1/dossiers", "")
	f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code, "")
	f.call(t, 404, "congdan2", "GET", "/api/v1/dossiers/"+code, "")
	f.call(t, 200, "", "GET", "/api/v1/public/dossiers/"+code, "")

	// The officials: receive, the steps, the return.
	f.call(t, 403, "chuyenvien", "POST", "/api/v1/dossiers/"+code+"/actions", `{"action":"receive"}`)
	f.call(t, 200, "tiepnhan", "POST", "/api/v1/dossiers/"+code+"/actions", `{"action":"receive","note":"Hồ sơ đầy đủ"}`)
	f.call(t, 200, "chuyenvien", "GET", "/api/v1/dossiers?inbox=1", "")
	f.handleToDone(t, code)
	f.call(t, 200, "tiepnhan", "POST", "/api/v1/dossiers/"+code+"/actions", `{"action":"return"}`)
	f.call(t, 409, "tiepnhan", "POST", "/api/v1/dossiers/"+code+"/actions", `{"action":"return"}`)
	f.refused(t, 422, "tiepnhan", "POST", "/api/v1/dossiers/"+code+"/actions", `{"action":"explode"}`)
	for _, form := range []struct{ form, user string }{{"01", "congdan"}, {"06", "chuyenvien"}} {
		f.call(t, 200, form.user, "GET", "/api/v1/dossiers/"+code+"/forms/"+form.form, "")
	}
	f.call(t, 409, "congdan", "GET", "/api/v1/dossiers/"+code+"/forms/03", "")
	f.call(t, 200, "lanhdao", "GET", "/api/v1/agencies/000.00.50.H01/register?from=2026-11-01&to=2026-11-30", "")

	// Rating: once, 1–5 stars; then the dossier shows it.
	f.refused(t, 422, "congdan", "POST", "/api/v1/dossiers/"+code+"/rating", `{"stars":0}`)
	f.call(t, 201, "congdan", "POST", "/api/v1/dossiers/"+code+"/rating", `{"stars":5,"comment":"Nhanh chóng, chu đáo"}`)
	f.call(t, 409, "congdan", "POST", "/api/v1/dossiers/"+code+"/rating", `{"stars":4}`)
	f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code, "")
	f.call(t, 200, "", "GET", "/api/v1/public/dossiers/"+code, "")

	// The personal store holds the signed result; share it.
	var docs struct{ Items []struct{ ID string } }
	if err := json.Unmarshal(f.call(t, 200, "congdan", "GET", "/api/v1/wallet", ""), &docs); err != nil || len(docs.Items) == 0 {
		t.Fatalf("wallet: %v %+v", err, docs)
	}
	f.call(t, 200, "congdan", "POST", "/api/v1/wallet/"+url.PathEscape(docs.Items[0].ID)+"/share", `{"shared":true}`)

	// Another dossier: supplement (the clock stops), send back, refuse.
	d2 := field[string](t, f.call(t, 201, "congdan", "POST", "/api/v1/dossiers", sub), "code")
	act := func(user, body string) []byte {
		return f.call(t, 200, user, "POST", "/api/v1/dossiers/"+d2+"/actions", body)
	}
	act("tiepnhan", `{"action":"receive"}`)
	act("chuyenvien", `{"action":"request_supplement","note":"Bổ sung bản sao giấy chứng sinh"}`)
	f.call(t, 200, "chuyenvien", "GET", "/api/v1/dossiers/"+d2, "")
	act("congdan", `{"action":"supplement","components":[{"code":"TP02","file_id":"`+ids["image/jpeg"]+`"}]}`)
	act("chuyenvien", `{"action":"complete_step"}`)
	act("lanhdao", `{"action":"send_back","note":"Kiểm tra lại họ tên"}`)
	d3 := field[string](t, f.call(t, 201, "congdan", "POST", "/api/v1/dossiers", sub), "code")
	f.call(t, 200, "tiepnhan", "POST", "/api/v1/dossiers/"+d3+"/actions", `{"action":"refuse","note":"Không thuộc thẩm quyền"}`)
	f.call(t, 200, "congdan", "GET", "/api/v1/dossiers?status=3", "")
	return d2
}

func walkRegistry(t *testing.T, f *fixture, d string) {
	const an = "001090012345"
	f.call(t, 200, "quantri", "GET", "/api/v1/registry/datasets", "")
	f.call(t, 200, "chuyenvien", "GET", "/api/v1/registry/population/records/"+an+"?purpose=appraisal&procedure=1.001193&dossier="+d, "")
	f.call(t, 403, "lanhdao", "GET", "/api/v1/registry/population/records/"+an+"?purpose=appraisal&dossier="+d, "")
	f.call(t, 200, "congdan", "GET", "/api/v1/registry/population/records/"+an+"?purpose=prefill", "")
	f.call(t, 404, "chuyenvien", "GET", "/api/v1/registry/khong-co/records/"+an+"?purpose=appraisal", "")
	f.refused(t, 422, "chuyenvien", "GET", "/api/v1/registry/population/records/"+an, "")
	f.call(t, 200, "quantri", "GET", "/api/v1/registry/population/quality", "")
}

// submission is the JSON of a submission of procedure with the sample
// form: file for each required component, or what with gives for a code.
func (f *fixture) submission(t *testing.T, procedure, file string, with map[string]map[string]any, extra map[string]any) string {
	t.Helper()
	var p struct {
		FormSchema map[string]any `json:"form_schema"`
		Components []struct {
			Code     string
			Required bool
		}
	}
	if err := json.Unmarshal(f.call(t, 200, "", "GET", "/api/v1/procedures/"+procedure, ""), &p); err != nil {
		t.Fatal(err)
	}
	comps := []map[string]any{}
	for _, c := range p.Components {
		if w, ok := with[c.Code]; ok {
			w["code"] = c.Code
			comps = append(comps, w)
		} else if c.Required {
			comps = append(comps, map[string]any{"code": c.Code, "file_id": file})
		}
	}
	body := map[string]any{"procedure_code": procedure, "form": catalog.SampleData(p.FormSchema), "components": comps}
	for k, v := range extra {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	return string(b)
}

// walkMoreDossiers reaches the other shapes of a dossier: data instead of
// a file, a stored document, counters, the fee, claim, withdraw, stop, a
// bundle across agencies, lateness and the apology.
func walkMoreDossiers(t *testing.T, f *fixture) {
	file := field[string](t, f.send(t, 201, "congdan", "POST", "/api/v1/files", "application/octet-stream", []byte(minimalPDF+"% them\n"), false), "id")
	submit := func(user, procedure string, with map[string]map[string]any, extra map[string]any) string {
		t.Helper()
		return field[string](t, f.call(t, 201, user, "POST", "/api/v1/dossiers", f.submission(t, procedure, file, with, extra)), "code")
	}
	act := func(user, code, body string) []byte {
		t.Helper()
		return f.call(t, 200, user, "POST", "/api/v1/dossiers/"+code+"/actions", body)
	}

	// The residence component replaced by the population data; the form
	// prefilled.
	code := submit("congdan", "1.001193", map[string]map[string]any{"TP03": {"data": map[string]any{"dataset": "population"}}}, map[string]any{"prefilled": []string{"population"}})
	f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code, "")

	// A fee exemption claimed (the child's birth date is in the population
	// data: no paper), refused without a reason, confirmed at reception.
	code = submit("congdan", "1.004222", nil, map[string]any{"exemption": map[string]any{"code": "MG01"}})
	if b := f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code, ""); !strings.Contains(string(b), `"exemption":{"code":"MG01"`) {
		t.Errorf("the claim is not shown: %s", b)
	}
	f.call(t, 422, "tiepnhan", "POST", "/api/v1/dossiers/"+code+"/fee-exemption", `{"decision":"refuse"}`)
	f.call(t, 403, "congdan", "POST", "/api/v1/dossiers/"+code+"/fee-exemption", `{"decision":"confirm"}`)
	f.call(t, 200, "tiepnhan", "POST", "/api/v1/dossiers/"+code+"/fee-exemption", `{"decision":"confirm"}`)
	f.call(t, 409, "tiepnhan", "POST", "/api/v1/dossiers/"+code+"/fee-exemption", `{"decision":"refuse","reason":"đổi ý"}`)
	act("tiepnhan", code, `{"action":"receive"}`)

	// A document of the personal store, in one click.
	var docs struct{ Items []struct{ ID string } }
	if err := json.Unmarshal(f.call(t, 200, "congdan", "GET", "/api/v1/wallet", ""), &docs); err != nil || len(docs.Items) == 0 {
		t.Fatalf("wallet: %v %+v", err, docs)
	}
	submit("congdan", "1.004884", map[string]map[string]any{"TP01": {"document_id": docs.Items[0].ID}}, nil)

	// Counters: a walk-in at the commune, a postal dossier at the centre.
	walkIn := map[string]any{"applicant": map[string]any{"name": "Lê Văn Bình", "citizen_id": "001085004567", "address": "12 Phan Đình Phùng"}, "commune_code": "00004"}
	fileOf := func(user string) string {
		return field[string](t, f.send(t, 201, user, "POST", "/api/v1/files", "application/pdf", []byte(minimalPDF+"% "+user+"\n"), false), "id")
	}
	f.call(t, 201, "tiepnhanxa", "POST", "/api/v1/dossiers", f.submission(t, "1.001193", fileOf("tiepnhanxa"), nil, walkIn))
	walkIn["channel"] = 3
	f.call(t, 201, "tiepnhan", "POST", "/api/v1/dossiers", f.submission(t, "1.001193", fileOf("tiepnhan"), nil, walkIn))

	// Claim, withdraw, stop.
	code = submit("congdan", "1.001193", nil, nil)
	act("congdan", code, `{"action":"withdraw","note":"Nộp nhầm"}`)
	code = submit("congdan", "1.001193", nil, nil)
	act("tiepnhan", code, `{"action":"receive"}`)
	act("chuyenvien", code, `{"action":"claim"}`)
	act("lanhdao", code, `{"action":"stop","note":"Người nộp đề nghị dừng"}`)

	// The fee: asked for, then paid.
	ps, err := f.app.Province.ExportCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	paid := false
	for _, p := range ps {
		fee := int64(0)
		for _, x := range p.Fees {
			fee += x.Amount
		}
		if fee > 0 && p.Level == "commune" && p.OnlineLevel != "none" && p.Workflow.Steps[1].Role == "specialist" && p.AgencyKind == "commune_committee" && (len(p.Applicants) == 0 || p.Applicants[0] == "citizen") {
			code = submit("congdan", p.Code, nil, nil)
			act("tiepnhan", code, `{"action":"receive"}`)
			act("chuyenvien", code, `{"action":"request_payment"}`)
			walkPayment(t, f, code)
			paid = true
			break
		}
	}
	if !paid {
		t.Error("no commune procedure with a fee in the demo catalogue")
	}

	// A bundle handled by the commune, the police and social insurance.
	code = submit("congdan", "DEMO-029", nil, nil)
	act("tiepnhan", code, `{"action":"receive"}`)
	for i := 0; ; i++ {
		var d struct {
			Status         int
			HandlingAgency struct{ Name string }  `json:"handling_agency"`
			CurrentStep    *struct{ Role string } `json:"current_step"`
		}
		if err := json.Unmarshal(f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code, ""), &d); err != nil {
			t.Fatal(err)
		}
		if d.Status == 9 {
			break
		}
		if i > 10 || d.CurrentStep == nil {
			t.Fatalf("bundle walk stuck: %+v", d)
		}
		user := map[string]string{"specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}[d.CurrentStep.Role]
		if d.CurrentStep.Role == "specialist" && strings.Contains(d.HandlingAgency.Name, "Công an") {
			user = "congan"
		} else if d.CurrentStep.Role == "specialist" && strings.Contains(d.HandlingAgency.Name, "Bảo hiểm") {
			user = "baohiem"
		}
		act(user, code, `{"action":"complete_step"}`)
	}

	// Late: past the appointment the last step needs the apology first.
	code = submit("congdan", "1.001193", nil, nil)
	act("tiepnhan", code, `{"action":"receive"}`)
	act("chuyenvien", code, `{"action":"complete_step"}`)
	act("lanhdao", code, `{"action":"complete_step"}`)
	due := field[time.Time](t, f.call(t, 200, "vanthu", "GET", "/api/v1/dossiers/"+code, ""), "due_at")
	late := due.Add(48 * time.Hour)
	f.set(late)
	f.call(t, 409, "vanthu", "POST", "/api/v1/dossiers/"+code+"/actions", `{"action":"complete_step"}`)
	act("vanthu", code, `{"action":"apologize","note":"Chậm do phải xác minh thông tin","new_due_at":"`+late.Add(72*time.Hour).Format(time.RFC3339)+`"}`)
	act("vanthu", code, `{"action":"complete_step"}`)
	f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code+"/forms/04", "")
	f.call(t, 200, "quantri", "GET", "/api/v1/accounts?kind=official&limit=5", "")
}
