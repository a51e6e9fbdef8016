package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/internal/testclock"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/httpapi"
	"github.com/motcua/motcua/national/nationaltest"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

var (
	units = unit.MustLoad()
	t0    = time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.VN)
)

// env is a national mode over a real store, behind a test server.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	h        *httpapi.Handler
	clock    *testclock.Clock
	sessions map[string]string // by province code
}

func newEnv(t *testing.T, db *sqlstore.DB, opts httpapi.Options) *env {
	t.Helper()
	cat, err := national.DemoCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	c := testclock.New(t0)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := national.New(national.Config{Store: db, Units: units, Catalogue: cat, Accounts: national.DemoAccounts(units), Clock: c.Now, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	opts.Logger, opts.Ping = log, db.Ping
	h := httpapi.New(svc, opts)
	e := &env{t: t, srv: httptest.NewServer(h), h: h, clock: c, sessions: map[string]string{}}
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request; basic is "user:password" for HTTP Basic ("" none).
func (e *env) do(method, path, body, basic string) (int, http.Header, []byte) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if u, p, ok := strings.Cut(basic, ":"); ok {
		req.SetBasicAuth(u, p)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

// login opens an adapter session for a province.
func (e *env) login(code string) string {
	e.t.Helper()
	status, _, b := e.do("POST", httpapi.PathAuth, `{"username":"tinh-`+code+`","password":"matkhau-`+code+`"}`, "")
	var rep dvcqg.Reply
	if err := json.Unmarshal(b, &rep); status != 200 || err != nil || rep.ErrorCode != "0" || rep.Session == "" {
		e.t.Fatalf("login %s = %d %s", code, status, b)
	}
	e.sessions[code] = rep.Session
	return rep.Session
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// call is an adapter call of province code's session.
func (e *env) call(code, service string, fields map[string]any) string {
	m := map[string]any{"session": e.sessions[code], "madonvi": "000.00.01.H" + code, "service": service}
	for k, v := range fields {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return mustJSON(m)
}

func progress(code string, n int, from time.Time) []dvcqg.Progress {
	out := make([]dvcqg.Progress, n)
	for i := range out {
		out[i] = nationaltest.Progress(code, from.Add(time.Duration(i)*time.Minute), i)
	}
	return out
}

// scenario is one request of the protocol and what it must answer.
type scenario struct {
	name   string
	method string // POST unless set
	path   string
	basic  string              // "user:password" of the three-URL style
	body   func(e *env) string // the request body
	status int
	code   string   // the reply's error_code ("" when the answer is not a dvcqg.Reply)
	says   []string // what the message (or the body) contains
	check  func(t *testing.T, e *env, body []byte)
}

func (sc scenario) run(t *testing.T, e *env) {
	t.Helper()
	method := sc.method
	if method == "" {
		method = "POST"
	}
	body := ""
	if sc.body != nil {
		body = sc.body(e)
	}
	status, hdr, b := e.do(method, sc.path, body, sc.basic)
	if status != sc.status {
		t.Fatalf("%s: status %d, want %d: %s", sc.name, status, sc.status, b)
	}
	text := string(b)
	if sc.code != "" {
		var rep dvcqg.Reply
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatalf("%s: not a reply: %s", sc.name, b)
		}
		if rep.ErrorCode != sc.code {
			t.Fatalf("%s: error_code %q (%s), want %q", sc.name, rep.ErrorCode, rep.Message, sc.code)
		}
		if !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
			t.Errorf("%s: Content-Type %q", sc.name, hdr.Get("Content-Type"))
		}
		text = rep.Message
	}
	for _, s := range sc.says {
		if !strings.Contains(text, s) {
			t.Errorf("%s: %q does not say %q", sc.name, text, s)
		}
	}
	if sc.check != nil {
		sc.check(t, e, b)
	}
}

const (
	hanoiBasic = "tinh-01:matkhau-01"
	hcmBasic   = "tinh-79:matkhau-79"
)

// lookup reads a dossier through the national look-up.
func (e *env) lookup(code string) national.Lookup {
	e.t.Helper()
	status, _, b := e.do("GET", httpapi.PathLookup+code, "", "")
	var l national.Lookup
	if status != 200 || json.Unmarshal(b, &l) != nil {
		e.t.Fatalf("look-up %s = %d %s", code, status, b)
	}
	return l
}

// TestProtocol runs the protocol of dvcqg/PROTOCOL.md in order, in both
// styles, on SQLite and PostgreSQL: each service's success, "3" exists,
// "-4" unknown, "-1" invalid naming the field, "-2" bad and expired
// sessions, Basic auth, 413, 400, the batch limits, out-of-order and
// duplicate deliveries, the look-up across provinces, the statistics.
func TestProtocol(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db, httpapi.Options{})
		e.login("01")
		e.login("79")
		a := nationaltest.Dossier(nationaltest.Code("01", 1), t0)
		aDone := nationaltest.Finished(a, t0.Add(48*time.Hour))
		b := nationaltest.Dossier(nationaltest.Code("79", 1), t0)
		unknown := nationaltest.Dossier(nationaltest.Code("01", 99), t0)
		badDate := nationaltest.Dossier(nationaltest.Code("01", 2), t0)
		badDate.NgayNopHoSo = "2026-11-23"
		tooMany := make([]dvcqg.Dossier, 101)
		for i := range tooMany {
			tooMany[i] = nationaltest.Dossier(nationaltest.Code("01", 100+i), t0)
		}
		static := func(s string) func(*env) string { return func(*env) string { return s } }
		adapter := func(code, service string, fields map[string]any) func(*env) string {
			return func(e *env) string { return e.call(code, service, fields) }
		}
		dossiers := func(recs ...dvcqg.Dossier) []dvcqg.Dossier { return recs }
		huge := static(`[` + strings.Repeat(`{"MaHoSo":"x"},`, 8<<20/15+10) + `{}]`)

		for _, sc := range []scenario{
			// Style A: log in.
			{name: "auth: wrong password", path: httpapi.PathAuth, body: static(`{"username":"tinh-01","password":"sai"}`), status: 401, code: "-2", says: []string{"không đúng"}},
			{name: "auth: unknown user", path: httpapi.PathAuth, body: static(`{"username":"tinh-99","password":"matkhau-99"}`), status: 401, code: "-2"},
			{name: "auth: no password", path: httpapi.PathAuth, body: static(`{"username":"tinh-01"}`), status: 401, code: "-2"},
			{name: "auth: not JSON", path: httpapi.PathAuth, body: static(`username=tinh-01`), status: 400, code: "-1", says: []string{"JSON"}},

			// Style A: dossiers.
			{name: "A add", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "False", "data": dossiers(a)}),
				status: 200, code: "0", says: []string{"Đồng bộ thành công 1 hồ sơ"}},
			{name: "A add again: exists", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "False", "data": dossiers(a)}),
				status: 200, code: "3", says: []string{"đã tồn tại", a.MaHoSo}},
			{name: "A update unknown", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "True", "data": dossiers(unknown)}),
				status: 200, code: "-4", says: []string{unknown.MaHoSo}},
			{name: "A update", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "True", "data": dossiers(aDone)}),
				status: 200, code: "0", says: []string{"thành công"}},
			{name: "A update older: acknowledged, not applied", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "True", "data": dossiers(a)}),
				status: 200, code: "0", says: []string{"thành công", "không áp dụng"},
				check: func(t *testing.T, e *env, _ []byte) {
					if l := e.lookup(a.MaHoSo); l.Record.TrangThaiHoSo != 10 {
						t.Errorf("the older record was applied: status %d", l.Record.TrangThaiHoSo)
					}
				}},
			{name: "A isUpdating as a JSON boolean", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": true, "data": dossiers(aDone)}),
				status: 200, code: "0"},
			{name: "A invalid date", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "False", "data": dossiers(badDate)}),
				status: 200, code: "-1", says: []string{"NgayNopHoSo", badDate.MaHoSo}},
			{name: "A isUpdating missing", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"data": dossiers(a)}),
				status: 200, code: "-1", says: []string{"isUpdating"}},
			{name: "A isUpdating not a flag", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "Yes", "data": dossiers(a)}),
				status: 200, code: "-1", says: []string{"isUpdating"}},
			{name: "A madonvi missing", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"madonvi": nil, "isUpdating": "False", "data": dossiers(a)}),
				status: 200, code: "-1", says: []string{"madonvi"}},
			{name: "A madonvi malformed", path: httpapi.PathIntegration, body: adapter("01", "TraCuuHoSo", map[string]any{"madonvi": "<script>", "mahoso": a.MaHoSo}),
				status: 200, code: "-1", says: []string{"madonvi"}},
			{name: "A data missing", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "False"}),
				status: 200, code: "-1", says: []string{"data"}},
			{name: "A data not an array", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "False", "data": map[string]any{"MaHoSo": a.MaHoSo}}),
				status: 200, code: "-1", says: []string{"mảng JSON"}},
			{name: "A a field of the wrong type", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "False", "data": []any{map[string]any{"MaHoSo": 5}}}),
				status: 200, code: "-1", says: []string{"MaHoSo"}},
			{name: "A over 100 dossiers", path: httpapi.PathIntegration, body: adapter("01", "DongBoHoSoMC", map[string]any{"isUpdating": "False", "data": tooMany}),
				status: 200, code: "-1", says: []string{"tối đa 100"}},

			// Style A: progress.
			{name: "A progress, 100 entries", path: httpapi.PathIntegration, body: adapter("01", "CapNhatTienDoHoSoMC", map[string]any{"data": progress(a.MaHoSo, 100, t0)}),
				status: 200, code: "0", says: []string{"Đồng bộ tiến trình thành công"}},
			{name: "A progress again: stored once", path: httpapi.PathIntegration, body: adapter("01", "CapNhatTienDoHoSoMC", map[string]any{"data": progress(a.MaHoSo, 3, t0)}),
				status: 200, code: "0", check: func(t *testing.T, e *env, _ []byte) {
					if n := len(e.lookup(a.MaHoSo).Progress); n != 100 {
						t.Errorf("%d entries after a duplicate delivery, want 100", n)
					}
				}},
			{name: "A progress over 100", path: httpapi.PathIntegration, body: adapter("01", "CapNhatTienDoHoSoMC", map[string]any{"data": progress(a.MaHoSo, 101, t0)}),
				status: 200, code: "-1", says: []string{"tối đa 100"}},
			{name: "A progress of an unknown dossier", path: httpapi.PathIntegration, body: adapter("01", "CapNhatTienDoHoSoMC", map[string]any{"data": progress(unknown.MaHoSo, 1, t0)}),
				status: 200, code: "-4", says: []string{unknown.MaHoSo}},
			{name: "A progress invalid", path: httpapi.PathIntegration, body: func(e *env) string {
				p := progress(a.MaHoSo, 2, t0)
				p[1].TrangThai = 0
				return e.call("01", "CapNhatTienDoHoSoMC", map[string]any{"data": p})
			}, status: 200, code: "-1", says: []string{"TrangThai", a.MaHoSo, "bản ghi thứ 2"}},

			// Style A: look-ups.
			{name: "A TraCuuHoSo", path: httpapi.PathIntegration, body: adapter("01", "TraCuuHoSo", map[string]any{"mahoso": a.MaHoSo}),
				status: 200, code: "0", check: func(t *testing.T, _ *env, b []byte) {
					var rep struct {
						Result struct {
							HoSo         dvcqg.Dossier
							QuaTrinhXuLy []dvcqg.Progress
						}
					}
					if err := json.Unmarshal(b, &rep); err != nil || rep.Result.HoSo.MaHoSo != a.MaHoSo || rep.Result.HoSo.TrangThaiHoSo != 10 || len(rep.Result.QuaTrinhXuLy) != 100 {
						t.Errorf("TraCuuHoSo result = %.300s, %v", b, err)
					}
				}},
			{name: "A TraCuuHoSo unknown", path: httpapi.PathIntegration, body: adapter("01", "TraCuuHoSo", map[string]any{"mahoso": unknown.MaHoSo}),
				status: 200, code: "-4"},
			{name: "A TraCuuHoSo without mahoso", path: httpapi.PathIntegration, body: adapter("01", "TraCuuHoSo", nil), status: 200, code: "-1", says: []string{"mahoso"}},
			{name: "A LayThuTuc", path: httpapi.PathIntegration, body: adapter("01", "LayThuTuc", map[string]any{"maTTHC": "1.001193"}),
				status: 200, code: "0", says: []string{"demo"}, check: func(t *testing.T, _ *env, b []byte) {
					var rep struct {
						Result []struct {
							TENTTHC         string
							LINHVUCTHUCHIEN []struct{ MALINHVUC, TENLINHVUC string }
							DULIEUMAU       bool
						}
					}
					if err := json.Unmarshal(b, &rep); err != nil || len(rep.Result) != 1 || rep.Result[0].TENTTHC != "Đăng ký khai sinh" ||
						rep.Result[0].LINHVUCTHUCHIEN[0].TENLINHVUC != "Hộ tịch" || !rep.Result[0].DULIEUMAU {
						t.Errorf("LayThuTuc result = %s, %v", b, err)
					}
				}},
			{name: "A LayThuTuc unknown", path: httpapi.PathIntegration, body: adapter("01", "LayThuTuc", map[string]any{"maTTHC": "9.999999"}), status: 200, code: "-4"},
			{name: "A LayDanhSachTTHC", path: httpapi.PathIntegration, body: adapter("01", "LayDanhSachTTHC", nil), status: 200, code: "0",
				check: func(t *testing.T, _ *env, b []byte) {
					var rep struct {
						Result []struct{ MATTHC, TENTTHC, MALINHVUC, TENLINHVUC, CAPTHUCHIEN string }
					}
					if err := json.Unmarshal(b, &rep); err != nil || len(rep.Result) < 50 || rep.Result[0].MALINHVUC == "" || rep.Result[0].CAPTHUCHIEN == "" {
						t.Errorf("LayDanhSachTTHC result = %.300s, %v", b, err)
					}
				}},
			{name: "A unknown service", path: httpapi.PathIntegration, body: adapter("01", "XoaHoSo", nil), status: 200, code: "-1", says: []string{"XoaHoSo"}},
			{name: "A no service", path: httpapi.PathIntegration, body: adapter("01", "", nil), status: 200, code: "-1", says: []string{"service"}},

			// Style A: sessions and bodies.
			{name: "A bad session", path: httpapi.PathIntegration, body: static(`{"session":"khong-hop-le","madonvi":"x","service":"LayDanhSachTTHC"}`),
				status: 200, code: "-2", says: []string{"Phiên làm việc không hợp lệ hoặc đã hết hạn"}},
			{name: "A no session", path: httpapi.PathIntegration, body: static(`{"service":"LayDanhSachTTHC"}`), status: 200, code: "-2"},
			{name: "A session of the wrong type", path: httpapi.PathIntegration, body: static(`{"session":5,"service":"LayDanhSachTTHC"}`), status: 200, code: "-1"},
			{name: "A envelope an array", path: httpapi.PathIntegration, body: static(`[1,2]`), status: 200, code: "-1"},
			{name: "A not JSON", path: httpapi.PathIntegration, body: static(`{"session":`), status: 400, code: "-1", says: []string{"JSON"}},
			{name: "A body over 8 MB", path: httpapi.PathIntegration, body: huge, status: 413, code: "-1", says: []string{"8 MB"}},
			{name: "A GET", method: "GET", path: httpapi.PathIntegration, status: 405},

			// Style B.
			{name: "B no credentials", path: httpapi.PathAdd, body: static(mustJSON(dossiers(b))), status: 401, code: "-2",
				check: func(t *testing.T, e *env, _ []byte) {
					_, hdr, _ := e.do("POST", httpapi.PathAdd, "[]", "")
					if !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
						t.Errorf("WWW-Authenticate = %q", hdr.Get("WWW-Authenticate"))
					}
				}},
			{name: "B wrong password", path: httpapi.PathAdd, basic: "tinh-79:matkhau-01", body: static(mustJSON(dossiers(b))), status: 401, code: "-2", says: []string{"không đúng"}},
			{name: "B add", path: httpapi.PathAdd, basic: hcmBasic, body: static(mustJSON(dossiers(b))), status: 200, code: "0", says: []string{"thành công"}},
			{name: "B add again: exists", path: httpapi.PathAdd, basic: hcmBasic, body: static(mustJSON(dossiers(b))), status: 200, code: "3", says: []string{"đã tồn tại"}},
			{name: "B update unknown", path: httpapi.PathUpdate, basic: hcmBasic, body: static(mustJSON(dossiers(nationaltest.Dossier(nationaltest.Code("79", 99), t0)))), status: 200, code: "-4"},
			{name: "B update", path: httpapi.PathUpdate, basic: hcmBasic, body: static(mustJSON(dossiers(nationaltest.Finished(b, t0.Add(time.Hour))))), status: 200, code: "0"},
			{name: "B update another province's dossier", path: httpapi.PathUpdate, basic: hcmBasic, body: static(mustJSON(dossiers(aDone))), status: 200, code: "-1",
				says: []string{a.MaHoSo, "Hà Nội"}},
			{name: "B invalid field", path: httpapi.PathAdd, basic: hcmBasic, body: func(*env) string {
				d := nationaltest.Dossier(nationaltest.Code("79", 5), t0)
				d.DinhDanhCHS[0].SoDinhDanh = "123"
				return mustJSON(dossiers(d))
			}, status: 200, code: "-1", says: []string{"DinhDanhCHS[0].SoDinhDanh", nationaltest.Code("79", 5)}},
			{name: "B progress, 10 entries", path: httpapi.PathProgress, basic: hcmBasic, body: static(mustJSON(progress(b.MaHoSo, 10, t0))), status: 200, code: "0",
				check: func(t *testing.T, _ *env, body []byte) {
					var rep dvcqg.Reply
					if _ = json.Unmarshal(body, &rep); rep.Message != "Đồng bộ tiến trình thành công" {
						t.Errorf("message %q", rep.Message)
					}
				}},
			{name: "B progress, 11 entries", path: httpapi.PathProgress, basic: hcmBasic, body: static(mustJSON(progress(b.MaHoSo, 11, t0))), status: 200, code: "-1", says: []string{"tối đa 10"}},
			{name: "B progress of an unknown dossier", path: httpapi.PathProgress, basic: hcmBasic, body: static(mustJSON(progress("KHONG-CO-1", 1, t0))), status: 200, code: "-4"},
			{name: "B empty array", path: httpapi.PathProgress, basic: hcmBasic, body: static(`[]`), status: 200, code: "-1"},
			{name: "B add over 100", path: httpapi.PathAdd, basic: hcmBasic, body: static(mustJSON(tooMany)), status: 200, code: "-1", says: []string{"tối đa 100", "đã gửi 101"}},
			{name: "B not JSON", path: httpapi.PathAdd, basic: hcmBasic, body: static(`MaHoSo=1`), status: 400, code: "-1"},
			{name: "B not JSON, long", path: httpapi.PathProgress, basic: hcmBasic, body: static(`[1,2,3,4,5,6,7,8,9,10,11,`), status: 400, code: "-1"},
			{name: "B body over 8 MB", path: httpapi.PathAdd, basic: hcmBasic, body: huge, status: 413, code: "-1"},

			// The look-up and the statistics.
			{name: "look-up of Hồ Chí Minh's dossier", method: "GET", path: httpapi.PathLookup + b.MaHoSo, status: 200,
				says: []string{`"province":"79"`, `"province_name":"Thành phố Hồ Chí Minh"`}, check: func(t *testing.T, e *env, _ []byte) {
					if l := e.lookup(b.MaHoSo); l.Record.TrangThaiHoSo != 10 || len(l.Progress) != 10 || l.ReceivedAt.IsZero() {
						t.Errorf("look-up = %+v", l)
					}
				}},
			{name: "look-up of Hà Nội's dossier", method: "GET", path: httpapi.PathLookup + a.MaHoSo, status: 200, says: []string{`"province":"01"`}},
			{name: "look-up unknown", method: "GET", path: httpapi.PathLookup + unknown.MaHoSo, status: 404, says: []string{"Không tìm thấy"}},
			{name: "stats", method: "GET", path: httpapi.PathStats, status: 200, check: func(t *testing.T, _ *env, b []byte) {
				var st national.Stats
				if err := json.Unmarshal(b, &st); err != nil || st.Totals.Synced != 2 || st.Totals.Finished != 2 || len(st.Provinces) != 34 {
					t.Errorf("stats = %s, %v", b, err)
				}
			}},
			{name: "stats of a period", method: "GET", path: httpapi.PathStats + "?from=2026-12-01", status: 200, says: []string{`"synced":0`}},
			{name: "stats bad date", method: "GET", path: httpapi.PathStats + "?from=23-11-2026", status: 422, says: []string{"YYYY-MM-DD"}},
			{name: "status page", method: "GET", path: "/", status: 200, says: []string{"Cổng Dịch vụ công quốc gia — chế độ nhận đồng bộ (mô phỏng)", "Thành phố Hồ Chí Minh", "tinh-01"}},
			{name: "healthz", method: "GET", path: "/healthz", status: 200},
			{name: "readyz", method: "GET", path: "/readyz", status: 200},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
		}

		// Thirty minutes later the session has expired: "-2", and a new
		// login works.
		e.clock.Add(national.DefaultSessionTTL)
		scenario{name: "A expired session", path: httpapi.PathIntegration, body: adapter("01", "TraCuuHoSo", map[string]any{"mahoso": a.MaHoSo}),
			status: 200, code: "-2", says: []string{"hết hạn"}}.run(t, e)
		e.login("01")
		scenario{name: "A after logging in again", path: httpapi.PathIntegration, body: adapter("01", "TraCuuHoSo", map[string]any{"mahoso": a.MaHoSo}),
			status: 200, code: "0"}.run(t, e)
	})
}

// TestSaturated: beyond MaxInFlight requests at once the national mode
// answers 503 with Retry-After; while draining, every request does.
func TestSaturated(t *testing.T) {
	db, err := sqlstore.OpenSQLite(context.Background(), t.TempDir(), sqlstore.WithSync(sqlstore.SyncNormal))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := newEnv(t, db, httpapi.Options{MaxInFlight: 1})
	// A request whose body never ends holds the only slot.
	pr, pw := io.Pipe()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", e.srv.URL+httpapi.PathAdd, pr)
	req.SetBasicAuth("tinh-01", "matkhau-01")
	done := make(chan struct{})
	go func() {
		defer close(done)
		if res, err := e.srv.Client().Do(req); err == nil {
			res.Body.Close()
		}
	}()
	_, _ = pw.Write([]byte("["))
	for start := time.Now(); e.h.InFlight() == 0; time.Sleep(time.Millisecond) {
		if time.Since(start) > 5*time.Second {
			t.Fatal("the first request never started")
		}
	}
	status, hdr, b := e.do("POST", httpapi.PathProgress, "[]", hanoiBasic)
	if status != 503 || hdr.Get("Retry-After") == "" || !bytes.Contains(b, []byte(`"error_code":"503"`)) {
		t.Errorf("saturated = %d %q %s", status, hdr.Get("Retry-After"), b)
	}
	pw.Close()
	<-done
	e.h.Drain()
	if status, hdr, _ := e.do("POST", httpapi.PathProgress, "[]", hanoiBasic); status != 503 || hdr.Get("Retry-After") == "" {
		t.Errorf("draining = %d", status)
	}
	if status, _, _ := e.do("GET", "/healthz", "", ""); status != 200 {
		t.Errorf("healthz while draining = %d", status)
	}
}

// TestReadToken: with a read token, the look-up and the statistics ask
// for it; the sync endpoints keep their own credentials.
func TestReadToken(t *testing.T) {
	db, err := sqlstore.OpenSQLite(context.Background(), t.TempDir(), sqlstore.WithSync(sqlstore.SyncNormal))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e := newEnv(t, db, httpapi.Options{ReadToken: "mot-ma-truy-cap-du-dai"})
	for _, path := range []string{httpapi.PathStats, httpapi.PathLookup + "X-1"} {
		if status, hdr, _ := e.do("GET", path, "", ""); status != 401 || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("GET %s without the token = %d", path, status)
		}
		req, _ := http.NewRequestWithContext(context.Background(), "GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer mot-ma-truy-cap-du-dai")
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == 401 {
			t.Errorf("GET %s with the token = 401", path)
		}
	}
}

// TestAnchors: a province's signed audit anchor is kept in the national
// log under the caller's province and read back newest first; unsigned,
// malformed or headless anchors are refused with "-1".
func TestAnchors(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db, httpapi.Options{})
		hash := strings.Repeat("ab", 32)
		anchor := func(at string) string {
			return `{"at":"` + at + `","heads":[{"chain":1,"seq":42,"hash":"` + hash + `"}],"certs":["MIIB"],"signature":"c2ln"}`
		}
		for _, sc := range []scenario{
			{name: "no credentials", path: httpapi.PathAnchor, body: func(*env) string { return anchor("2026-12-03T10:00:00Z") }, status: 401, code: "-2"},
			{name: "anchor", path: httpapi.PathAnchor, basic: hanoiBasic, body: func(*env) string { return anchor("2026-12-03T10:00:00Z") }, status: 200, code: "0", says: []string{"thành công"}},
			{name: "a later anchor", path: httpapi.PathAnchor, basic: hanoiBasic, body: func(*env) string { return anchor("2026-12-03T10:10:00Z") }, status: 200, code: "0"},
			{name: "unsigned", path: httpapi.PathAnchor, basic: hanoiBasic, body: func(*env) string {
				return `{"at":"2026-12-03T10:00:00Z","heads":[{"chain":1,"seq":1,"hash":"` + hash + `"}]}`
			}, status: 200, code: "-1", says: []string{"chưa được ký"}},
			{name: "no heads", path: httpapi.PathAnchor, basic: hanoiBasic, body: func(*env) string {
				return `{"at":"2026-12-03T10:00:00Z","heads":[],"certs":["MIIB"],"signature":"c2ln"}`
			}, status: 200, code: "-1"},
			{name: "bad hash", path: httpapi.PathAnchor, basic: hanoiBasic, body: func(*env) string {
				return `{"at":"2026-12-03T10:00:00Z","heads":[{"chain":1,"seq":1,"hash":"zz"}],"certs":["MIIB"],"signature":"c2ln"}`
			}, status: 200, code: "-1"},
			{name: "not JSON", path: httpapi.PathAnchor, basic: hanoiBasic, body: func(*env) string { return "neo" }, status: 400, code: "-1"},
			{name: "read back", method: "GET", path: httpapi.PathAnchors + "01", status: 200, check: func(t *testing.T, e *env, b []byte) {
				var out struct{ Anchors []struct{ At string } }
				if err := json.Unmarshal(b, &out); err != nil || len(out.Anchors) != 2 || out.Anchors[0].At != "2026-12-03T10:10:00Z" {
					t.Errorf("anchors of 01: %v %s", err, b)
				}
			}},
			{name: "none for another province", method: "GET", path: httpapi.PathAnchors + "79", status: 200, says: []string{`"anchors":[]`}},
			{name: "unknown province", method: "GET", path: httpapi.PathAnchors + "99", status: 404},
		} {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
		}
	})
}
