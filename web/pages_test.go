package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
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
