package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/catalog"
)

func TestPages(t *testing.T) {
	f := newFixture(t)
	f.run(t, []scenario{
		{name: "home", method: "GET", path: "/", status: 200,
			contains: []string{`<html lang="vi">`, `<form method="get" action="/thu-tuc" role="search"`, `name="q"`, "Tìm thủ tục hành chính", "Hộ tịch", "Đăng nhập"}},
		{name: "search without diacritics", method: "GET", path: "/thu-tuc?q=dang+ky+khai+sinh", status: 200,
			contains: []string{"Đăng ký khai sinh", `href="/thu-tuc/1.001193"`}},
		{name: "by field", method: "GET", path: "/thu-tuc?linh-vuc=H%E1%BB%99+t%E1%BB%8Bch", status: 200, contains: []string{"trong lĩnh vực Hộ tịch", "1.001193"}, absent: []string{"Không tìm thấy"}},
		{name: "by level", method: "GET", path: "/thu-tuc?cap=province", status: 200, contains: []string{"Cấp tỉnh"}, absent: []string{"<td>Cấp xã</td>"}},
		{name: "no match", method: "GET", path: "/thu-tuc?q=zzzzqqq", status: 200, contains: []string{"Không tìm thấy thủ tục nào."}},
		{name: "procedure", method: "GET", path: "/thu-tuc/1.001193", status: 200,
			contains: []string{"<h1>Đăng ký khai sinh</h1>", "Thành phần hồ sơ", "Luật Hộ tịch", "Cơ sở dữ liệu quốc gia về dân cư", "Miễn phí"}},
		{name: "unknown procedure", method: "GET", path: "/thu-tuc/9.999999", status: 404, contains: []string{"Không có thủ tục"}},
		{name: "lookup form", method: "GET", path: "/tra-cuu", status: 200, contains: []string{`name="ma"`}},
		{name: "lookup unknown", method: "GET", path: "/tra-cuu?ma=000.00.50.H01-261123-99999", status: 404, contains: []string{"Không tìm thấy hồ sơ"}},
		{name: "stylesheet", method: "GET", path: "/static/app.css", status: 200, contains: []string{":focus-visible"}},
	})
}

// TestLoginPage logs in through the HTML form as a browser does: the form
// carries the CSRF token of its cookie, the session cookie comes back, the
// pages then show the account; a form without the token is refused.
func TestLoginPage(t *testing.T) {
	f := newFixture(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string) {
		res, err := c.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	post := func(path string, form url.Values) (*http.Response, string) {
		res, err := c.PostForm(f.srv.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	_, page := get("/dang-nhap")
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("login form without CSRF token: %s", page)
	}
	csrf := m[1]
	if res, body := post("/dang-nhap", url.Values{"username": {"congdan"}, "password": {"demo"}}); res.StatusCode != 403 || !strings.Contains(body, "hết hạn") {
		t.Errorf("login without token = %d", res.StatusCode)
	}
	if res, body := post("/dang-nhap", url.Values{"csrf": {csrf}, "username": {"congdan"}, "password": {"sai"}}); res.StatusCode != 401 || !strings.Contains(body, `role="alert"`) {
		t.Errorf("wrong password = %d: %.300s", res.StatusCode, body)
	}
	// The sign-in lands where it started (a local path only).
	for next, want := range map[string]string{"/thu-tuc/1.001193/nop": "/thu-tuc/1.001193/nop", "https://evil.example/": "/", "//evil.example/": "/"} {
		res, _ := post("/dang-nhap", url.Values{"csrf": {csrf}, "username": {"congdan"}, "password": {"demo"}, "next": {next}})
		if res.StatusCode != 303 || res.Header.Get("Location") != want {
			t.Errorf("login with next %s = %d %s, want %s", next, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	res, _ := post("/dang-nhap", url.Values{"csrf": {csrf}, "username": {"congdan"}, "password": {"demo"}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/" {
		t.Fatalf("login = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, home := get("/"); !strings.Contains(home, "Nguyễn Văn An") || !strings.Contains(home, "Đăng xuất") {
		t.Errorf("home after login does not show the account")
	}
	// The session cookie works for the API's reads (GET), not for changes.
	if st, _ := get("/api/v1/me"); st != 200 {
		t.Errorf("GET /api/v1/me with the cookie = %d", st)
	}
	if res, _ := post("/dang-xuat", url.Values{"csrf": {"0123456789abcdef0123456789abcdef"}}); res.StatusCode != 403 {
		t.Errorf("logout with a wrong token = %d", res.StatusCode)
	}
	if res, _ := post("/dang-xuat", url.Values{"csrf": {csrf}}); res.StatusCode != 303 {
		t.Errorf("logout = %d", res.StatusCode)
	}
	if _, home := get("/"); strings.Contains(home, "Nguyễn Văn An") {
		t.Error("still signed in after logout")
	}
}

// browser is a client with a cookie jar that logs in through the login form.
// Like a browser posting from the page it shows, it repeats the dossier
// version of the last page it received in the forms it posts to a dossier
// (unless the form sets its own).
type browser struct {
	t       *testing.T
	f       *fixture
	c       *http.Client
	csrf    string
	version string
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// saw remembers the dossier version of a page received.
func (b *browser) saw(page string) {
	if m := versionField.FindStringSubmatch(page); m != nil {
		b.version = m[1]
	}
}

// pageVersion is the version a form posted to path carries when it does
// not set one: the last dossier page's, for the dossier's forms.
func (b *browser) pageVersion(path string) (string, bool) {
	return b.version, b.version != "" && strings.HasPrefix(path, "/ho-so/")
}

func (f *fixture) browser(t *testing.T, user string) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, page := b.get("/dang-nhap")
	b.csrf = regexp.MustCompile(`name="csrf" value="([0-9a-f]{32})"`).FindStringSubmatch(page)[1]
	res, page := b.post("/dang-nhap", url.Values{"username": {user}, "password": {"demo"}})
	if m := regexp.MustCompile(`name="challenge" value="([^"]+)"`).FindStringSubmatch(page); res.StatusCode == 200 && m != nil {
		res = b.secondFactor(user, m[1])
	}
	if res.StatusCode != 303 {
		t.Fatalf("login %s = %d", user, res.StatusCode)
	}
	return b
}

// secondFactor gives the demo TOTP code of user on the page of the
// login's second step.
func (b *browser) secondFactor(user, challenge string) *http.Response {
	res, _ := b.post("/dang-nhap/ma-xac-thuc", url.Values{"challenge": {challenge}, "code": {b.f.code(b.t, user)}})
	return res
}

func (b *browser) get(path string) (int, string) {
	res, err := b.c.Get(b.f.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	b.saw(string(body))
	return res.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	if form.Get("csrf") == "" && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	if v, ok := b.pageVersion(path); ok && !form.Has("version") {
		form.Set("version", v)
	}
	res, err := b.c.PostForm(b.f.srv.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	b.saw(string(body))
	return res, string(body)
}

// TestWorkbenchPages handles a dossier through the pages: the citizen sees
// it in "my dossiers", the receiver and the commune's officials find it in
// their inbox and press the buttons of the dossier page until it is
// returned; a refused action shows the reason on the page.
func TestWorkbenchPages(t *testing.T) {
	f := newFixture(t)
	st, d, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	citizen := f.browser(t, "congdan")
	if st, page := citizen.get("/ho-so"); st != 200 || !strings.Contains(page, d.Code) || !strings.Contains(page, "Hồ sơ của tôi") {
		t.Fatalf("my dossiers = %d", st)
	}
	if st, _ := (&browser{t: t, f: f, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}).get("/ho-so"); st != 303 {
		t.Errorf("anonymous /ho-so = %d, want a redirect to the login page", st)
	}
	steps := []struct{ user, action, want string }{
		{"tiepnhan", "receive", "Được tiếp nhận"},
		{"chuyenvien", "complete_step", "Đang xử lý"},
		{"lanhdao", "complete_step", "Đang xử lý"},
		{"vanthu", "complete_step", "Đã xử lý xong"},
		{"tiepnhan", "return", "Đã trả kết quả"},
	}
	for _, s := range steps {
		b := f.browser(t, s.user)
		if st, inbox := b.get("/ho-so"); st != 200 || !strings.Contains(inbox, d.Code) || !strings.Contains(inbox, "Hồ sơ chờ xử lý") {
			t.Fatalf("%s inbox = %d, lacks %s", s.user, st, d.Code)
		}
		st, page := b.get("/ho-so/" + d.Code)
		if st != 200 || !strings.Contains(page, `value="`+s.action+`"`) {
			t.Fatalf("%s dossier page = %d, no %s button", s.user, st, s.action)
		}
		res, _ := b.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {s.action}, "note": {"Đã kiểm tra"}})
		if res.StatusCode != 303 {
			t.Fatalf("%s %s = %d", s.user, s.action, res.StatusCode)
		}
		if _, page := b.get("/ho-so/" + d.Code); !strings.Contains(page, s.want) {
			t.Fatalf("after %s the page does not show %q", s.action, s.want)
		}
	}
	_, page := citizen.get("/ho-so/" + d.Code)
	for _, want := range []string{"Đã trả kết quả", "Mẫu 01", "Mẫu 06", "Lịch sử", "Đúng hạn", "Đã kiểm tra"} {
		if !strings.Contains(page, want) {
			t.Errorf("citizen's dossier page lacks %q", want)
		}
	}
	// The citizen rates the service from the page, once.
	if !strings.Contains(page, `action="/ho-so/`+d.Code+`/danh-gia"`) {
		t.Fatal("no rating form on the returned dossier's page")
	}
	if res, _ := citizen.post("/ho-so/"+d.Code+"/danh-gia", url.Values{"stars": {"5"}, "comment": {"Rất hài lòng"}}); res.StatusCode != 303 {
		t.Fatalf("rating = %d", res.StatusCode)
	}
	if _, page := citizen.get("/ho-so/" + d.Code); !strings.Contains(page, "5/5 sao") || strings.Contains(page, `/danh-gia"`) {
		t.Error("after rating, the page should show it and no longer offer the form")
	}
	// A refused action shows why, in Vietnamese, and changes nothing.
	res, page := citizen.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"withdraw"}, "note": {"Không còn nhu cầu"}, "xac-nhan": {"1"}})
	if res.StatusCode != 409 || !strings.Contains(page, `role="alert"`) || !strings.Contains(page, "Không thể thực hiện") {
		t.Errorf("withdraw a returned dossier = %d", res.StatusCode)
	}
	if res, _ := citizen.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"withdraw"}, "csrf": {"00000000000000000000000000000000"}}); res.StatusCode != 403 {
		t.Errorf("action with a wrong CSRF token = %d", res.StatusCode)
	}
	other := f.browser(t, "congdan2")
	if st, _ := other.get("/ho-so/" + d.Code); st != 404 {
		t.Errorf("another citizen's page = %d", st)
	}
}

// sampleForm is a complete submission form of procedure as a browser posts
// it: the sample declaration (catalog.SampleData) in the wizard's dotted
// field names, and a PDF for every required component ("tp-<code>").
func (f *fixture) sampleForm(t *testing.T, procedure string) (fields, files map[string]string) {
	t.Helper()
	p, err := f.app.Province.Procedure(t.Context(), procedure)
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	fields, files = map[string]string{}, map[string]string{}
	flatten("", catalog.SampleData(schema), fields)
	for _, c := range p.Components {
		if c.Required {
			files["tp-"+c.Code] = minimalPDF
		}
	}
	return fields, files
}

// flatten turns a declaration into the wizard's dotted field names.
func flatten(prefix string, v map[string]any, out map[string]string) {
	for k, x := range v {
		switch y := x.(type) {
		case map[string]any:
			flatten(prefix+k+".", y, out)
		case bool:
			if y {
				out[prefix+k] = "on"
			}
		default:
			out[prefix+k] = fmt.Sprint(y)
		}
	}
}

func (b *browser) postMultipart(path string, fields map[string]string, files map[string]string) (*http.Response, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", b.csrf)
	if v, ok := b.pageVersion(path); ok && fields["version"] == "" {
		_ = mw.WriteField("version", v)
	}
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for name, content := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+name+`"; filename="giay-to.pdf"`)
		h.Set("Content-Type", "application/pdf")
		w, _ := mw.CreatePart(h)
		_, _ = w.Write([]byte(content))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	b.saw(string(body))
	return res, string(body)
}

// TestSubmissionWizard fills the form generated from the procedure's schema
// and uploads the components through the page, as a citizen's browser does.
func TestSubmissionWizard(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "congdan")
	st, page := b.get("/thu-tuc/1.001193/nop")
	if st != 200 || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `type="file"`) || !strings.Contains(page, `type="date"`) {
		t.Fatalf("wizard page = %d", st)
	}
	fields, files := f.sampleForm(t, "1.001193")
	// Missing the required declaration fields: the page comes back with the
	// messages next to the fields and the values kept.
	res, page := b.postMultipart("/thu-tuc/1.001193/nop", map[string]string{"ho_ten_nguoi_yeu_cau": "Nguyễn Văn An"}, files)
	if res.StatusCode != 422 || !strings.Contains(page, `aria-invalid="true"`) || !strings.Contains(page, "Trường này là bắt buộc") || !strings.Contains(page, `value="Nguyễn Văn An"`) {
		t.Fatalf("incomplete submission = %d: %.400s", res.StatusCode, page)
	}
	res, _ = b.postMultipart("/thu-tuc/1.001193/nop", fields, files)
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "/ho-so/000.00.50.H01-") {
		t.Fatalf("submission = %d %s", res.StatusCode, loc)
	}
	// The success page: the code, the appointment (estimated before
	// receipt, in Vietnam's time), the proof of submission to print.
	code, ok := strings.CutSuffix(strings.TrimPrefix(loc, "/ho-so/"), "/da-nop")
	if !ok {
		t.Fatalf("submission lands on %s, want the success page", loc)
	}
	st, page = b.get(loc)
	for _, want := range []string{"Đã nộp hồ sơ thành công", `<strong class="code">` + code + "</strong>", "Ngày hẹn trả kết quả", "dự kiến", "data-print", `href="/tra-cuu?ma=` + code + `"`, "Mới đăng ký"} {
		if st != 200 || !strings.Contains(page, want) {
			t.Errorf("success page = %d, no %q: %.3000s", st, want, page)
		}
	}
	if !regexp.MustCompile(`<strong>\d\d:\d\d \d\d/\d\d/20\d\d</strong>`).MatchString(page) {
		t.Errorf("no due date dd/mm/yyyy on the success page")
	}
	if st, page := b.get("/ho-so/" + code); st != 200 || !strings.Contains(page, "Mới đăng ký") || !strings.Contains(page, "(dự kiến)") {
		t.Errorf("dossier page after submission = %d", st)
	}
}
