package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/ui"
)

// adminForm reads the values a browser would send with the form whose
// action is action: inputs (checked check boxes only), text areas and
// selects (the selected option, else the first).
func adminForm(t *testing.T, page, action string) url.Values {
	t.Helper()
	start := strings.Index(page, `method="post" action="`+action+`"`)
	if start < 0 {
		t.Fatalf("no form with action %s in the page:\n%.2000s", action, page)
	}
	end := strings.Index(page[start:], "</form>")
	form := page[start : start+end]
	attrs := func(s string) map[string]string {
		m := map[string]string{}
		for _, a := range regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`).FindAllStringSubmatch(s, -1) {
			m[a[1]] = html.UnescapeString(a[2])
		}
		return m
	}
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input ([^>]*)>`).FindAllStringSubmatch(form, -1) {
		a := attrs(m[1])
		if a["name"] == "" || a["type"] == "file" || ((a["type"] == "checkbox" || a["type"] == "radio") && !strings.Contains(m[1], " checked")) {
			continue
		}
		v.Add(a["name"], a["value"])
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea ([^>]*)>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		v.Add(attrs(m[1])["name"], html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select ([^>]*)>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		opts := regexp.MustCompile(`<option ([^>]*)>`).FindAllStringSubmatch(m[2], -1)
		val := ""
		for i, o := range opts {
			oa := attrs(o[1])
			if i == 0 || strings.Contains(o[1], " selected") {
				val = oa["value"]
			}
		}
		v.Add(attrs(m[1])["name"], val)
	}
	return v
}

// procedureJSON is the procedure as the public API returns it.
func (f *fixture) procedureJSON(t *testing.T, code string) (catalog.Procedure, string) {
	t.Helper()
	res, body := f.do(t, "GET", "/api/v1/procedures/"+code, "", "")
	if res.StatusCode != 200 {
		t.Fatalf("GET procedure %s = %d %s", code, res.StatusCode, body)
	}
	var p catalog.Procedure
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	return p, string(body)
}

func (f *fixture) accountID(t *testing.T, username string) int64 {
	t.Helper()
	res, body := f.do(t, "GET", "/api/v1/accounts?q="+username, f.token(t, "quantri"), "")
	if res.StatusCode != 200 {
		t.Fatalf("find account %s = %d", username, res.StatusCode)
	}
	var out api.List[identity.Account]
	_ = json.Unmarshal(body, &out)
	for _, a := range out.Items {
		if a.Username == username {
			return a.ID
		}
	}
	t.Fatalf("no account %s", username)
	return 0
}

const baDinh = "000.00.50.H01" // UBND Phường Ba Đình

func TestAdminAccess(t *testing.T) {
	f := newFixture(t)
	chuyenvien := fmt.Sprint(f.accountID(t, "chuyenvien"))
	gets := []string{"/quan-tri", "/quan-tri/thu-tuc", "/quan-tri/thu-tuc?q=khai+sinh", "/quan-tri/thu-tuc/moi", "/quan-tri/thu-tuc/xuat", "/quan-tri/thu-tuc/1.001193",
		"/quan-tri/co-quan", "/quan-tri/co-quan?loai=commune_committee&xa=ba+dinh", "/quan-tri/co-quan/moi", "/quan-tri/co-quan/" + baDinh,
		"/quan-tri/tai-khoan", "/quan-tri/tai-khoan?q=tran", "/quan-tri/tai-khoan/moi", "/quan-tri/tai-khoan/" + chuyenvien, "/quan-tri/lich", "/quan-tri/lich?nam=2027", "/quan-tri/du-lieu", "/quan-tri/du-lieu/population?kiem-tra=1",
		"/quan-tri/dong-bo", "/quan-tri/dong-bo?trang-thai=failed&trang=2", "/quan-tri/tu-khoa", "/quan-tri/tu-khoa?q=so+do&sua=so+do"}
	posts := []string{"/quan-tri/thu-tuc/moi", "/quan-tri/thu-tuc/1.001193", "/quan-tri/thu-tuc/nhap", "/quan-tri/co-quan/moi", "/quan-tri/co-quan/" + baDinh,
		"/quan-tri/tai-khoan/moi", "/quan-tri/tai-khoan/" + chuyenvien + "/vai-tro", "/quan-tri/tai-khoan/" + chuyenvien + "/trang-thai", "/quan-tri/lich", "/quan-tri/lich/xoa",
		"/quan-tri/dong-bo/dong-bo-lai", "/quan-tri/dong-bo/anh-xa", "/quan-tri/tu-khoa", "/quan-tri/tu-khoa/xoa"}
	// A form that would change something if it were let through.
	form := func() url.Values {
		return url.Values{"name": {"Đã bị sửa"}, "op": {"them"}, "role": {"admin"}, "agency_id": {baDinh}, "disabled": {"1"}, "year": {"2027"},
			"days_off": {"04/01/2027 X"}, "username": {"xamnhap"}, "display_name": {"X"}, "password": {"demo"},
			"phrase": {"xâm nhập"}, "codes": {"1.001193"}, "key": {"so do"}}
	}
	_, beforeJSON := f.procedureJSON(t, "1.001193")

	t.Run("anonymous", func(t *testing.T) {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, p := range gets {
			res, err := c.Get(f.srv.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if want := "/dang-nhap?next=" + url.QueryEscape(p); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
				t.Errorf("GET %s anonymous = %d %s", p, res.StatusCode, res.Header.Get("Location"))
			}
		}
		for _, p := range posts {
			res, err := c.PostForm(f.srv.URL+p, form())
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("POST %s anonymous = %d", p, res.StatusCode)
			}
		}
	})
	for _, user := range []string{"congdan", "doanhnghiep", "tiepnhan", "chuyenvien", "lanhdao", "lanhdaotinh"} {
		t.Run(user, func(t *testing.T) {
			b := f.browser(t, user)
			for _, p := range gets {
				if st, body := b.get(p); st != http.StatusForbidden || !strings.Contains(body, "chỉ dành cho quản trị viên") {
					t.Errorf("GET %s as %s = %d", p, user, st)
				}
			}
			for _, p := range posts {
				if res, body := b.post(p, form()); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "chỉ dành cho quản trị viên") {
					t.Errorf("POST %s as %s = %d", p, user, res.StatusCode)
				}
			}
		})
	}
	t.Run("quantri", func(t *testing.T) {
		b := f.browser(t, "quantri")
		for _, p := range gets {
			if st, body := b.get(p); st != http.StatusOK {
				t.Errorf("GET %s as quantri = %d: %.500s", p, st, body)
			}
		}
		// Every form of the console carries the CSRF token; without it
		// (or with a wrong one) nothing is done.
		for _, p := range posts {
			for _, tok := range []string{"", "0123456789abcdef0123456789abcdef"} {
				fv := form()
				fv.Set("csrf", tok)
				res, err := b.c.PostForm(f.srv.URL+p, fv)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "hết hạn") {
					t.Errorf("POST %s without a valid CSRF token = %d", p, res.StatusCode)
				}
			}
		}
		for _, p := range []string{"/quan-tri", "/quan-tri/thu-tuc/1.001193", "/quan-tri/co-quan/" + baDinh, "/quan-tri/tai-khoan/moi", "/quan-tri/lich", "/quan-tri/dong-bo", "/quan-tri/tu-khoa"} {
			_, body := b.get(p)
			for _, m := range regexp.MustCompile(`(?s)<form method="post"[^>]*>.*?</form>`).FindAllString(body, -1) {
				if !strings.Contains(m, `name="csrf" value="`+b.csrf+`"`) {
					t.Errorf("%s: a form without the CSRF token: %.200s", p, m)
				}
			}
			if strings.Contains(body, "style=") || strings.Contains(body, "<script") {
				t.Errorf("%s: inline style or script (CSP)", p)
			}
		}
	})
	if _, after := f.procedureJSON(t, "1.001193"); after != beforeJSON {
		t.Errorf("refused requests changed the procedure: %s", after)
	}
	if _, body := f.do(t, "GET", "/api/v1/calendar/schedules", "", ""); strings.Contains(string(body), "2027") {
		t.Errorf("refused requests loaded a schedule: %s", body)
	}
	res, body := f.do(t, "GET", "/api/v1/accounts?q=xamnhap", f.token(t, "quantri"), "")
	if res.StatusCode != 200 || strings.Contains(string(body), "xamnhap") {
		t.Errorf("refused requests created an account: %s", body)
	}
	if acc, _ := f.do(t, "GET", "/api/v1/me", f.token(t, "chuyenvien"), ""); acc.StatusCode != 200 {
		t.Errorf("refused requests disabled chuyenvien: %d", acc.StatusCode)
	}
}

func TestAdminEditProcedure(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	st, page := b.get("/quan-tri/thu-tuc/1.001193")
	if st != 200 {
		t.Fatalf("edit page = %d", st)
	}
	for _, want := range []string{`<label for="name">Tên thủ tục</label>`, `name="components.0.code"`, `name="steps.0.role"`, `id="form_schema"`, `name="fees.0.amount"`} {
		if !strings.Contains(page, want) {
			t.Errorf("edit page lacks %s", want)
		}
	}
	before, _ := f.procedureJSON(t, "1.001193")
	v := adminForm(t, page, "/quan-tri/thu-tuc/1.001193")
	if v.Get("name") != before.Name || v.Get("components.0.name") != before.Components[0].Name {
		t.Fatalf("form values %v", v)
	}
	f.set(clock.Add(time.Minute)) // the new version is saved a minute later
	n := len(before.Components)
	v.Set("name", "Đăng ký khai sinh (đã sửa)")
	v.Set("components.0.name", "Tờ khai đăng ký khai sinh (mẫu mới)")
	v.Set(fmt.Sprintf("components.%d.code", n), "TP-MOI")
	v.Set(fmt.Sprintf("components.%d.name", n), "Giấy tờ bổ sung")
	v.Set(fmt.Sprintf("components.%d.quantity", n), "2")
	v.Set(fmt.Sprintf("components.%d.required", n), "1")
	v.Set("verification_days", strconv.Itoa(before.ProcessingTime.Days+4))
	res, _ := b.post("/quan-tri/thu-tuc/1.001193", v)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/quan-tri/thu-tuc/1.001193?da-luu=1" {
		t.Fatalf("save = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	after, _ := f.procedureJSON(t, "1.001193")
	if after.Name != "Đăng ký khai sinh (đã sửa)" || after.Components[0].Name != "Tờ khai đăng ký khai sinh (mẫu mới)" || len(after.Components) != n+1 {
		t.Fatalf("after save: %q %q %d components", after.Name, after.Components[0].Name, len(after.Components))
	}
	if vt := after.VerificationTime; vt == nil || vt.Days != before.ProcessingTime.Days+4 || vt.Hours != 0 {
		t.Errorf("verification time %+v, want %d days", vt, before.ProcessingTime.Days+4)
	}
	if c := after.Components[n]; c.Code != "TP-MOI" || c.Quantity != 2 || !c.Required || c.Form != catalog.FormEither {
		t.Errorf("added component %+v", c)
	}
	if string(after.FormSchema) == "" || len(after.Workflow.Steps) != len(before.Workflow.Steps) || len(after.Fees) != len(before.Fees) {
		t.Errorf("the rest changed: %d steps, %d fees", len(after.Workflow.Steps), len(after.Fees))
	}
	var a, bb any
	_ = json.Unmarshal(after.FormSchema, &a)
	_ = json.Unmarshal(before.FormSchema, &bb)
	if fmt.Sprint(a) != fmt.Sprint(bb) {
		t.Errorf("form schema changed")
	}
	_, page = b.get("/quan-tri/thu-tuc/1.001193?da-luu=1")
	if !strings.Contains(page, "Đã lưu thủ tục.") || !strings.Contains(page, "Phiên bản lưu lúc 16:01 23/11/2026.") {
		t.Errorf("no confirmation with the new version: %.3000s", page)
	}
	if _, pub := b.get("/thu-tuc/1.001193"); !strings.Contains(pub, "Đăng ký khai sinh (đã sửa)") {
		t.Error("the public page does not show the new name")
	}

	// Removing a component (the one added), through its Xóa box.
	f.set(clock.Add(2 * time.Minute))
	_, page = b.get("/quan-tri/thu-tuc/1.001193")
	v = adminForm(t, page, "/quan-tri/thu-tuc/1.001193")
	v.Set(fmt.Sprintf("components.%d.remove", n), "1")
	if res, _ := b.post("/quan-tri/thu-tuc/1.001193", v); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove = %d", res.StatusCode)
	}
	if p, _ := f.procedureJSON(t, "1.001193"); len(p.Components) != n {
		t.Errorf("after removing: %d components", len(p.Components))
	}

	// Saving a version that someone else has changed since is refused.
	stale := adminForm(t, page, "/quan-tri/thu-tuc/1.001193")
	f.set(clock.Add(3 * time.Minute))
	stale.Set("name", "Bản cũ")
	res, body := b.post("/quan-tri/thu-tuc/1.001193", stale)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "vừa được người khác sửa") || !strings.Contains(body, `value="Bản cũ"`) {
		t.Errorf("stale save = %d", res.StatusCode)
	}

	// "Add empty rows" saves nothing and offers more rows.
	_, page = b.get("/quan-tri/thu-tuc/1.001193")
	v = adminForm(t, page, "/quan-tri/thu-tuc/1.001193")
	v.Set("name", "Không lưu")
	v.Set("more", "1")
	res, body = b.post("/quan-tri/thu-tuc/1.001193", v)
	if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`name="components.%d.code"`, n+4)) {
		t.Errorf("more rows = %d", res.StatusCode)
	}
	if p, _ := f.procedureJSON(t, "1.001193"); p.Name != "Đăng ký khai sinh (đã sửa)" {
		t.Errorf("more rows saved: %q", p.Name)
	}
}

func TestAdminInvalidProcedure(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	_, page := b.get("/quan-tri/thu-tuc/1.001193")
	_, beforeJSON := f.procedureJSON(t, "1.001193")
	base := adminForm(t, page, "/quan-tri/thu-tuc/1.001193")
	for _, tc := range []struct {
		name   string
		change map[string]string
		want   []string // the messages, and what was typed, shown again
	}{
		{"empty name", map[string]string{"name": "  "}, []string{"Tên thủ tục là bắt buộc.", `id="e-name"`, `aria-invalid="true" aria-describedby="e-name"`}},
		{"zero processing time", map[string]string{"days": "0", "hours": ""}, []string{"Cần có thời hạn giải quyết", `id="e-processing_time"`}},
		{"days not a number", map[string]string{"days": "năm"}, []string{"Số ngày làm việc phải là số nguyên không âm.", `value="năm"`}},
		{"days and hours", map[string]string{"days": "3", "hours": "4"}, []string{"không cả hai"}},
		{"verification time not longer", map[string]string{"days": "3", "hours": "", "verification_days": "2"}, []string{"Thời hạn khi cần xác minh phải dài hơn thời hạn giải quyết.", `id="e-verification_time"`, `value="2"`}},
		{"verification days not a number", map[string]string{"verification_days": "năm"}, []string{"Số ngày làm việc phải là số nguyên không âm.", `id="e-verification_time"`}},
		{"schema not JSON", map[string]string{"form_schema": `{"type": "object",`}, []string{"không phải JSON hợp lệ", `{&#34;type&#34;: &#34;object&#34;,`, `id="e-form_schema"`}},
		{"schema of an unsupported type", map[string]string{"form_schema": `{"type":"object","properties":{"a":{"type":"array"}}}`}, []string{"properties.a.type: Kiểu array không được hỗ trợ"}},
		{"schema root not an object", map[string]string{"form_schema": `[1,2]`}, []string{"Biểu mẫu phải là một đối tượng"}},
		{"no schema", map[string]string{"form_schema": ""}, []string{"Thủ tục phải có biểu mẫu tờ khai"}},
		{"bad level", map[string]string{"level": "district"}, []string{"Cấp thực hiện phải là"}},
		{"bad fee amount", map[string]string{"fees.0.code": "LP", "fees.0.name": "Lệ phí", "fees.0.amount": "mười nghìn"}, []string{"Mức phí phải là số đồng không âm", `value="mười nghìn"`, `id="e-fees-0-amount"`}},
		{"component without a name", map[string]string{"components.0.name": ""}, []string{"Tên thành phần hồ sơ là bắt buộc.", `id="e-components-0-name"`}},
		{"duplicate component code", map[string]string{"components.1.code": base.Get("components.0.code")}, []string{"Mã thành phần hồ sơ trống hoặc bị trùng."}},
		{"every component removed", removeAll(base, "components"), []string{"Thủ tục phải có ít nhất một thành phần hồ sơ."}},
		{"shares not 100", map[string]string{"steps.0.share": "99"}, []string{"Tổng tỷ lệ thời gian các bước phải bằng 100"}},
		{"share not a number", map[string]string{"steps.0.share": "nửa"}, []string{"Tỷ lệ thời gian phải là số nguyên từ 0 đến 100."}},
		{"bad role", map[string]string{"steps.0.role": "admin"}, []string{"Vai trò của bước phải là"}},
		{"unknown bundled procedure", map[string]string{"bundle": "9.999999"}, []string{"Thủ tục liên thông &#34;9.999999&#34; chưa có trong danh mục.", `id="e-bundle"`}},
		{"bad provisional field", map[string]string{"provisional": "password"}, []string{"không thể đánh dấu tạm thời"}},
		{"quantity too large", map[string]string{"components.0.quantity": "99999"}, []string{"Số lượng phải là số nguyên từ 0 đến 1000."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := url.Values{}
			for k, x := range base {
				v[k] = append([]string(nil), x...)
			}
			v.Set("name", v.Get("name")+" (sửa thử)")
			for k, x := range tc.change {
				v.Set(k, x)
			}
			res, body := b.post("/quan-tri/thu-tuc/1.001193", v)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d: %.1500s", res.StatusCode, body)
			}
			for _, w := range append(tc.want, `role="alert"`) {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if tc.name != "empty name" && !strings.Contains(body, "(sửa thử)") {
				t.Error("what was typed is not shown again")
			}
			if _, after := f.procedureJSON(t, "1.001193"); after != beforeJSON {
				t.Error("the procedure changed")
			}
		})
	}
}

func removeAll(v url.Values, table string) map[string]string {
	m := map[string]string{}
	for i := 0; v.Has(fmt.Sprintf("%s.%d.code", table, i)); i++ {
		m[fmt.Sprintf("%s.%d.remove", table, i)] = "1"
	}
	return m
}

// TestAdminBadInput posts malformed forms to every console URL: never a
// 500, never a change.
func TestAdminBadInput(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	_, beforeJSON := f.procedureJSON(t, "1.001193")
	long := strings.Repeat("ẞ", 5000)
	for _, form := range []url.Values{
		{},
		{"days": {"-1"}, "hours": {"99999999999999999999"}, "fees.0.amount": {"1e99"}, "components.199.code": {"x"}, "components.999.code": {"y"}, "steps.0.share": {"-5"}, "form_schema": {"null"}},
		{"form_schema": {`{"type":"object","properties":{"a":{"$ref":"http://example.com/x"}}}`}, "name": {long}, "level": {"\x00"}},
		{"version": {"hôm qua"}, "name": {"X"}},
		{"op": {"xoa-het"}, "role": {"vua"}, "agency_id": {"../../etc"}, "year": {"99999"}, "days_off": {"32/13/2027\n\n\x00"}, "working_days": {"2027-02-30"}},
		{"periods.0.start": {"25:00"}, "periods.0.end": {"ab"}, "cutoff": {"-1"}, "kind": {"dragon"}, "commune_code": {"99999"}, "id": {"<script>"}},
	} {
		for _, p := range []string{"/quan-tri/thu-tuc/1.001193", "/quan-tri/thu-tuc/moi", "/quan-tri/co-quan/" + baDinh, "/quan-tri/co-quan/moi", "/quan-tri/tai-khoan/moi", "/quan-tri/tai-khoan/1/vai-tro", "/quan-tri/tai-khoan/999999/trang-thai", "/quan-tri/tai-khoan/abc/vai-tro", "/quan-tri/lich", "/quan-tri/lich/xoa", "/quan-tri/thu-tuc/nhap"} {
			res, body := b.post(p, form)
			if res.StatusCode >= 500 || res.StatusCode == http.StatusOK && strings.Contains(body, "Đã có lỗi xảy ra") {
				t.Errorf("POST %s %v = %d: %.300s", p, form, res.StatusCode, body)
			}
		}
	}
	for _, p := range []string{"/quan-tri/thu-tuc/9.999999", "/quan-tri/co-quan/nope", "/quan-tri/tai-khoan/999999", "/quan-tri/tai-khoan/-1", "/quan-tri/lich?nam=abc", "/quan-tri/lich?nam=3000", "/quan-tri/thu-tuc?cap=x&q=" + url.QueryEscape(long)} {
		if st, _ := b.get(p); st >= 500 || st == 200 && !strings.Contains(p, "cap=x") {
			t.Errorf("GET %s = %d", p, st)
		}
	}
	if _, after := f.procedureJSON(t, "1.001193"); after != beforeJSON {
		t.Error("bad input changed the procedure")
	}
}

func TestAdminCreateProcedure(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	_, page := b.get("/quan-tri/thu-tuc/moi")
	v := adminForm(t, page, "/quan-tri/thu-tuc/moi")
	v.Set("code", "2.000999")
	v.Set("name", "Cấp giấy phép thử nghiệm")
	v.Set("field", "Thử nghiệm")
	v.Set("days", "5")
	v.Set("result_name", "Giấy phép")
	v.Set("components.0.code", "TK")
	v.Set("components.0.name", "Tờ khai")
	v.Set("components.0.required", "1")
	v.Set("fees.0.code", "LP")
	v.Set("fees.0.name", "Lệ phí cấp phép")
	v.Set("fees.0.amount", "1.234.000")
	v.Set("steps.0.name", "Tiếp nhận")
	v.Set("steps.0.role", "receiver")
	v.Set("steps.0.share", "20")
	v.Set("steps.1.name", "Thẩm định")
	v.Set("steps.1.role", "specialist")
	v.Set("steps.1.share", "80")
	res, body := b.post("/quan-tri/thu-tuc/moi", v)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/quan-tri/thu-tuc/2.000999?da-luu=1" {
		t.Fatalf("create = %d: %.3000s", res.StatusCode, body)
	}
	p, _ := f.procedureJSON(t, "2.000999")
	if p.Name != "Cấp giấy phép thử nghiệm" || p.Fees[0].Amount != 1234000 || len(p.Workflow.Steps) != 2 {
		t.Errorf("created %+v", p)
	}
	if _, page := b.get("/quan-tri/thu-tuc/2.000999"); !strings.Contains(page, "1.234.000 đ") {
		t.Error("the fee is not shown in đồng")
	}
	// The same code again is refused, the existing one unchanged.
	v.Set("name", "Trùng mã")
	res, body = b.post("/quan-tri/thu-tuc/moi", v)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Mã thủ tục đã có trong danh mục.") {
		t.Errorf("duplicate = %d", res.StatusCode)
	}
	if p, _ := f.procedureJSON(t, "2.000999"); p.Name != "Cấp giấy phép thử nghiệm" {
		t.Errorf("duplicate overwrote: %q", p.Name)
	}
}

func (b *browser) upload(path, field, name string, content []byte) (*http.Response, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", b.csrf)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	res, err := b.c.Post(b.f.srv.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestAdminImportExport(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	res, err := b.c.Get(f.srv.URL + "/quan-tri/thu-tuc/xuat")
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export = %d %v", res.StatusCode, res.Header)
	}
	ps, err := catalog.Parse(bytes.NewReader(exported))
	if err != nil {
		t.Fatalf("export is not a valid catalogue: %v", err)
	}
	_, total, _ := f.app.Province.SearchProcedures(t.Context(), catalog.Query{Limit: 1})
	if len(ps) != total || total == 0 {
		t.Fatalf("export has %d procedures of %d", len(ps), total)
	}
	_, beforeJSON := f.procedureJSON(t, ps[0].Code)

	// A bad file: one procedure renamed, another invalid → nothing.
	bad := func(mutate func(ps []catalog.Procedure)) []byte {
		cp, _ := catalog.Parse(bytes.NewReader(exported))
		mutate(cp)
		var buf bytes.Buffer
		_ = catalog.Write(&buf, cp)
		return buf.Bytes()
	}
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"invalid procedure", bad(func(ps []catalog.Procedure) {
			ps[0].Name = "Đổi tên"
			ps[1].Name = ""
			ps[2].ProcessingTime.Days = 0
		}), "Tên thủ tục là bắt buộc."},
		{"duplicate code", bad(func(ps []catalog.Procedure) { ps[0].Name = "Đổi tên"; ps[1].Code = ps[2].Code }), "Mã thủ tục trùng"},
		{"not JSON", []byte("{version: 1"), "không đúng định dạng JSON"},
		{"wrong version", []byte(`{"version":2,"procedures":[]}`), "Phiên bản tệp danh mục phải là 1."},
		{"unknown bundle", bad(func(ps []catalog.Procedure) { ps[0].Name = "Đổi tên"; ps[1].Bundle = []string{"9.999999"} }), "chưa có trong danh mục"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := b.upload("/quan-tri/thu-tuc/nhap", "file", "danh-muc.json", tc.file)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, "danh mục không thay đổi") {
				t.Errorf("import = %d: %.2000s", res.StatusCode, body)
			}
			if _, after := f.procedureJSON(t, ps[0].Code); after != beforeJSON {
				t.Error("a refused import changed the catalogue")
			}
		})
	}
	if res, body := b.post("/quan-tri/thu-tuc/nhap", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Xin chọn tệp") {
		t.Errorf("import without a file = %d", res.StatusCode)
	}
	// A good file is imported whole.
	good := bad(func(ps []catalog.Procedure) { ps[0].Name = "Tên mới từ tệp nhập" })
	res, body := b.upload("/quan-tri/thu-tuc/nhap", "file", "danh-muc.json", good)
	if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf("Đã nhập %d thủ tục.", total)) {
		t.Fatalf("good import = %d: %.1000s", res.StatusCode, body)
	}
	if p, _ := f.procedureJSON(t, ps[0].Code); p.Name != "Tên mới từ tệp nhập" {
		t.Errorf("after import: %q", p.Name)
	}
}

func TestAdminAgency(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	st, list := b.get("/quan-tri/co-quan?loai=commune_committee&xa=ba+dinh")
	if st != 200 || !strings.Contains(list, `href="/quan-tri/co-quan/`+baDinh+`"`) || strings.Contains(list, "Công an tỉnh") {
		t.Errorf("filtered list = %d", st)
	}
	_, page := b.get("/quan-tri/co-quan/" + baDinh)
	v := adminForm(t, page, "/quan-tri/co-quan/"+baDinh)
	if v.Get("periods.0.start") != "07:30" || v.Get("cutoff") != "15:00" {
		t.Fatalf("agency form %v", v)
	}
	get := func() string {
		_, body := f.do(t, "GET", "/api/v1/agencies/"+baDinh, "", "")
		return string(body)
	}
	before := get()
	for _, tc := range []struct {
		change map[string]string
		want   string
	}{
		{map[string]string{"periods.0.start": "11:00", "periods.0.end": "08:00"}, "Buổi sáng: giờ bắt đầu phải trước giờ kết thúc."},
		{map[string]string{"periods.1.start": "10:00"}, "Buổi chiều phải bắt đầu sau khi buổi trước kết thúc."},
		{map[string]string{"periods.0.start": "7 giờ"}, "giờ phải có dạng HH:MM"},
		{map[string]string{"cutoff": "06:00"}, "Giờ cắt nhận hồ sơ không được sớm hơn giờ bắt đầu làm việc."},
		{map[string]string{"name": ""}, "Tên cơ quan là bắt buộc."},
		{map[string]string{"commune_code": "99999"}, "Mã xã không tồn tại."},
		{map[string]string{"periods.0.start": "", "periods.0.end": "", "periods.1.start": "", "periods.1.end": ""}, "Cần có ít nhất một buổi làm việc."},
	} {
		fv := url.Values{}
		for k, x := range v {
			fv[k] = x
		}
		for k, x := range tc.change {
			fv.Set(k, x)
		}
		res, body := b.post("/quan-tri/co-quan/"+baDinh, fv)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
			t.Errorf("%v = %d: %.2000s", tc.change, res.StatusCode, body)
		}
		if get() != before {
			t.Errorf("%v changed the agency", tc.change)
		}
	}
	v.Set("name", "UBND Phường Ba Đình (sửa)")
	v.Set("periods.0.start", "08:00")
	v.Set("periods.1.end", "17:00")
	v.Set("cutoff", "16:00")
	res, body := b.post("/quan-tri/co-quan/"+baDinh, v)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save agency = %d: %.2000s", res.StatusCode, body)
	}
	after := get()
	if !strings.Contains(after, `"name":"UBND Phường Ba Đình (sửa)"`) || !strings.Contains(after, `"start":"08:00"`) || !strings.Contains(after, `"cutoff":"16:00"`) {
		t.Errorf("agency after save: %s", after)
	}
	// The agency's hours now count in its deadlines: received at 07:45,
	// before it opens, 1 working hour is due at 09:00.
	_, due := f.do(t, "GET", "/api/v1/calendar/due?from=2026-11-24T07:45:00%2B07:00&hours=1&agency="+baDinh, "", "")
	if !strings.Contains(string(due), `"due":"2026-11-24T09:00:00+07:00"`) {
		t.Errorf("due with the new hours: %s", due)
	}
	// A new agency.
	_, page = b.get("/quan-tri/co-quan/moi")
	v = adminForm(t, page, "/quan-tri/co-quan/moi")
	v.Set("id", "000.00.98.H01")
	v.Set("name", "UBND Phường Thử")
	v.Set("commune_code", "00004")
	if res, body := b.post("/quan-tri/co-quan/moi", v); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new agency = %d: %.2000s", res.StatusCode, body)
	}
	if res, body := b.post("/quan-tri/co-quan/moi", v); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Đã có cơ quan mang mã định danh này.") {
		t.Errorf("duplicate agency = %d", res.StatusCode)
	}
}

func TestAdminAccountsAndRoles(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	if _, list := b.get("/quan-tri/tai-khoan?q=001090012345"); !strings.Contains(list, "congdan") || strings.Contains(list, "chuyenvien") {
		t.Error("search by citizen ID")
	}
	if _, list := b.get("/quan-tri/tai-khoan?loai=official&co-quan=" + baDinh); !strings.Contains(list, "chuyenvien") || strings.Contains(list, "congdan") {
		t.Error("filter by kind and agency")
	}
	// Invalid account: the errors next to the fields, values kept.
	res, body := b.post("/quan-tri/tai-khoan/moi", url.Values{"username": {"A B"}, "display_name": {""}, "citizen_id": {"123"}, "password": {"x"}, "role": {"specialist"}, "agency_id": {baDinh}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Tên đăng nhập gồm") || !strings.Contains(body, "Họ và tên là bắt buộc.") || !strings.Contains(body, `value="123"`) || !strings.Contains(body, `id="e-display_name"`) {
		t.Errorf("invalid account = %d: %.2000s", res.StatusCode, body)
	}
	// A new official without a role sees their own dossiers, not an inbox.
	res, body = b.post("/quan-tri/tai-khoan/moi", url.Values{"username": {"canbomoi"}, "display_name": {"Cán Bộ Mới"}, "citizen_id": {"001090099999"}, "password": {"demo"}, "role": {"specialist"}, "agency_id": {""}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d: %.2000s", res.StatusCode, body)
	}
	acct := res.Header.Get("Location")
	acct = acct[:strings.Index(acct, "?")]
	if _, page := b.get(acct + "?da-tao=1"); !strings.Contains(page, "Đã tạo tài khoản.") || !strings.Contains(page, "Chưa có vai trò nào.") {
		t.Errorf("account page: %.2000s", page)
	}
	official := f.browser(t, "canbomoi")
	if _, inbox := official.get("/ho-so"); strings.Contains(inbox, "Hồ sơ chờ xử lý") {
		t.Error("an official without a role sees an inbox")
	}
	// Granting the role: the official sees the inbox at once.
	res, _ = b.post(acct+"/vai-tro", url.Values{"op": {"them"}, "role": {"specialist"}, "agency_id": {baDinh}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant = %d", res.StatusCode)
	}
	if _, page := b.get(acct); !strings.Contains(page, "Chuyên viên thụ lý") || !strings.Contains(page, "Ủy ban nhân dân phường Ba Đình") {
		t.Errorf("the grant is not listed: %s", page[strings.Index(page, "<main"):])
	}
	if _, inbox := official.get("/ho-so"); !strings.Contains(inbox, "Hồ sơ chờ xử lý") {
		t.Errorf("after the grant, no inbox: %.1500s", inbox)
	}
	if res, body := b.post(acct+"/vai-tro", url.Values{"op": {"them"}, "role": {"specialist"}, "agency_id": {baDinh}}); res.StatusCode != http.StatusConflict || !strings.Contains(body, "đã có vai trò này") {
		t.Errorf("grant twice = %d", res.StatusCode)
	}
	if res, body := b.post(acct+"/vai-tro", url.Values{"op": {"them"}, "role": {"leader"}, "agency_id": {"000.00.99.H99"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Cơ quan không tồn tại.") {
		t.Errorf("grant at an unknown agency = %d", res.StatusCode)
	}
	// Revoking it: the inbox is gone.
	if res, _ := b.post(acct+"/vai-tro", url.Values{"op": {"bo"}, "role": {"specialist"}, "agency_id": {baDinh}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke = %d", res.StatusCode)
	}
	if _, inbox := official.get("/ho-so"); strings.Contains(inbox, "Hồ sơ chờ xử lý") {
		t.Error("after the revocation, still an inbox")
	}
	// Disabling: the official's session stops and login is refused.
	if res, _ := b.post(acct+"/trang-thai", url.Values{"disabled": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable = %d", res.StatusCode)
	}
	if _, page := b.get(acct); !strings.Contains(page, "Đã khóa") || !strings.Contains(page, "Mở khóa tài khoản") {
		t.Error("the account is not shown disabled")
	}
	if st, _ := official.get("/ho-so"); st != http.StatusSeeOther {
		t.Errorf("a disabled official's session still works: %d", st)
	}
	if res, _ := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"canbomoi","password":"demo"}`); res.StatusCode == 200 {
		t.Error("a disabled official can log in")
	}
	if res, _ := b.post(acct+"/trang-thai", url.Values{"disabled": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable = %d", res.StatusCode)
	}
	if res, _ := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"canbomoi","password":"demo"}`); res.StatusCode != 200 {
		t.Error("an enabled official cannot log in")
	}
	// An administrator cannot lock themselves out.
	self := fmt.Sprintf("/quan-tri/tai-khoan/%d", f.accountID(t, "quantri"))
	if res, body := b.post(self+"/trang-thai", url.Values{"disabled": {"1"}}); res.StatusCode != http.StatusConflict || !strings.Contains(body, "Không thể tự khóa") {
		t.Errorf("self-disable = %d", res.StatusCode)
	}
	if res, body := b.post(self+"/vai-tro", url.Values{"op": {"bo"}, "role": {"admin"}, "agency_id": {"000.00.00.H01"}}); res.StatusCode != http.StatusConflict || !strings.Contains(body, "Không thể tự thu hồi") {
		t.Errorf("self-revoke = %d", res.StatusCode)
	}
	// Every change is in the audit log.
	_, audit := f.do(t, "GET", "/api/v1/audit?limit=50", f.token(t, "quantri"), "")
	for _, a := range []string{"account.create", "account.grants", "account.disabled"} {
		if !strings.Contains(string(audit), `"action":"`+a+`"`) {
			t.Errorf("no %s in the audit log", a)
		}
	}
}

// Disabling an account through the console ends its sessions (API token
// and page cookie): they stay refused after it is enabled again.
func TestDisableRevokesSessions(t *testing.T) {
	f := newFixture(t)
	admin := f.browser(t, "quantri")
	token := f.token(t, "chuyenvien")
	official := f.browser(t, "chuyenvien")
	acct := fmt.Sprintf("/quan-tri/tai-khoan/%d", f.accountID(t, "chuyenvien"))
	me := func() int {
		res, _ := f.do(t, "GET", "/api/v1/me", token, "")
		return res.StatusCode
	}
	if st := me(); st != http.StatusOK {
		t.Fatalf("before: /api/v1/me = %d", st)
	}
	if st, _ := official.get("/ho-so"); st != http.StatusOK {
		t.Fatalf("before: /ho-so = %d", st)
	}
	if res, _ := admin.post(acct+"/trang-thai", url.Values{"disabled": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable = %d", res.StatusCode)
	}
	if st := me(); st != http.StatusUnauthorized {
		t.Errorf("disabled: /api/v1/me = %d, want 401", st)
	}
	if res, _ := admin.post(acct+"/trang-thai", url.Values{"disabled": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enable = %d", res.StatusCode)
	}
	if st := me(); st != http.StatusUnauthorized {
		t.Errorf("enabled again: the old token /api/v1/me = %d, want 401", st)
	}
	if st, _ := official.get("/ho-so"); st != http.StatusSeeOther {
		t.Errorf("enabled again: the old cookie /ho-so = %d, want a redirect to log in", st)
	}
	if res, _ := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"chuyenvien","password":"demo"}`); res.StatusCode != http.StatusOK {
		t.Errorf("login after enabling = %d", res.StatusCode)
	}
	_, audit := f.do(t, "GET", "/api/v1/audit?action=account.disabled&limit=5", f.token(t, "quantri"), "")
	if !strings.Contains(string(audit), `"sessions_revoked":2`) {
		t.Errorf("the audit entry does not count the revoked sessions: %s", audit)
	}
}

func TestAdminSchedule(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	holidays := func() string {
		_, body := f.do(t, "GET", "/api/v1/calendar/holidays?year=2027", "", "")
		return string(body)
	}
	before := holidays()
	st, page := b.get("/quan-tri/lich?nam=2027")
	if st != 200 || !strings.Contains(page, "01/01/2027") || !strings.Contains(page, "Tết Nguyên đán") || !strings.Contains(page, "chưa có lịch nghỉ chính thức") {
		t.Fatalf("calendar page = %d: %.3000s", st, page)
	}
	v := adminForm(t, page, "/quan-tri/lich")
	if !strings.Contains(v.Get("days_off"), "01/01/2027") {
		t.Fatalf("the form does not start from the rules' days: %q", v.Get("days_off"))
	}
	for _, tc := range []struct{ off, working, want string }{
		{"31/02/2027 Không có", "", "ngày không hợp lệ, cần dạng dd/mm/yyyy."},
		{"01/01/2026 Năm khác", "", "ngày không thuộc năm 2027."},
		{"04/01/2027 A\n04/01/2027 B", "", "ngày đã có trong ngày nghỉ."},
		{"", "05/01/2027 Thứ Ba", "ngày làm bù phải là thứ Bảy hoặc Chủ nhật (ngày này là Thứ Ba)."},
		{"09/01/2027 Nghỉ", "09/01/2027 Làm", "ngày đã có trong ngày nghỉ."},
	} {
		res, body := b.post("/quan-tri/lich", url.Values{"year": {"2027"}, "days_off": {tc.off}, "working_days": {tc.working}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) || !strings.Contains(body, `id="e-`) {
			t.Errorf("%q/%q = %d: %.2000s", tc.off, tc.working, res.StatusCode, body)
		}
		if holidays() != before {
			t.Errorf("%q/%q changed the calendar", tc.off, tc.working)
		}
	}
	res, body := b.post("/quan-tri/lich", url.Values{"year": {"2027"}, "days_off": {"01/01/2027 Tết Dương lịch\n2027-01-04 Nghỉ thêm\n"}, "working_days": {"09/01/2027 Làm bù ngày 04/01"}, "source": {"Thông báo thử"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/quan-tri/lich?nam=2027&da-luu=1" {
		t.Fatalf("save schedule = %d: %.2000s", res.StatusCode, body)
	}
	after := holidays()
	if !strings.Contains(after, `"date":"2027-01-04"`) || strings.Contains(after, "Tết Nguyên đán") {
		t.Errorf("holidays after the schedule: %s", after)
	}
	// Friday 08/01 16:00 + 1 working day: Monday 04/01 is off, but
	// Saturday 09/01 is worked.
	_, due := f.do(t, "GET", "/api/v1/calendar/due?from=2027-01-08T10:00:00%2B07:00&days=1", "", "")
	if !strings.Contains(string(due), `"due":"2027-01-09T10:00:00+07:00"`) {
		t.Errorf("due with the schedule: %s", due)
	}
	if _, page := b.get("/quan-tri/lich?nam=2027&da-luu=1"); !strings.Contains(page, "Đã lưu lịch nghỉ") || !strings.Contains(page, "04/01/2027 Nghỉ thêm") || !strings.Contains(page, "Thông báo thử") {
		t.Errorf("page after save: %.3000s", page)
	}
	if res, _ := b.post("/quan-tri/lich/xoa", url.Values{"year": {"2027"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete = %d", res.StatusCode)
	}
	if holidays() != before {
		t.Error("after removing the schedule the rules do not apply again")
	}
}

func TestAdminEnglish(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	u, _ := url.Parse(f.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: ui.LangCookie, Value: "en", Path: "/"}})
	for p, want := range map[string]string{
		"/quan-tri":                   "Procedure catalogue",
		"/quan-tri/thu-tuc/1.001193":  "Save the procedure",
		"/quan-tri/co-quan/" + baDinh: "Daily cut-off for receiving dossiers",
		"/quan-tri/tai-khoan":         "Name, username or citizen ID",
		"/quan-tri/lich?nam=2027":     "Days off in 2027",
	} {
		if st, body := b.get(p); st != 200 || !strings.Contains(body, want) || !strings.Contains(body, `<html lang="en">`) {
			t.Errorf("%s in English = %d, lacks %q", p, st, want)
		}
	}
}

// TestCalendarDueRange: the deadline calculator answers 422 with a
// Vietnamese message, never a panic or a 500, for instants outside the
// years it computes (1900–2199), whether the start or the result is out.
func TestCalendarDueRange(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"from=2026-11-24T07:45:00%2B07:00&days=3", 200},
		{"from=9999-12-31T23:59:59%2B07:00&days=30", 422},
		{"from=2199-12-31T10:00:00%2B07:00&days=30", 422},
		{"from=2199-12-31T10:00:00%2B07:00&hours=1", 200},
		{"from=1899-12-31T10:00:00%2B07:00&days=1", 422},
		{"from=0001-01-01T00:00:00Z&hours=5", 422},
	} {
		res, body := f.do(t, "GET", "/api/v1/calendar/due?"+tc.query, "", "")
		if res.StatusCode != tc.want {
			t.Errorf("%s = %d %s, want %d", tc.query, res.StatusCode, body, tc.want)
		}
		if tc.want == 422 && !strings.Contains(string(body), "1900–2199") && !strings.Contains(string(body), "2199") {
			t.Errorf("%s: no Vietnamese range message: %s", tc.query, body)
		}
	}
}

// An administrator cannot make a verified identity (issue 12): neither the
// API nor the page creates an account with identity_verified, nor a second
// citizen account of a citizen's ID — either would open the citizen's
// personal store, share links and population record. Changing an account
// keeps its verification as it is.
func TestAdminAccountIdentity(t *testing.T) {
	f := newFixture(t)
	admin := f.token(t, "quantri")
	count := func(q string) int {
		t.Helper()
		res, body := f.do(t, "GET", "/api/v1/accounts?q="+q, admin, "")
		if res.StatusCode != 200 {
			t.Fatalf("accounts?q=%s = %d", q, res.StatusCode)
		}
		var out api.List[identity.Account]
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		return out.Total
	}
	verified := func(id int64) bool {
		t.Helper()
		res, body := f.do(t, "GET", fmt.Sprintf("/api/v1/accounts/%d", id), admin, "")
		if res.StatusCode != 200 {
			t.Fatalf("account %d = %d", id, res.StatusCode)
		}
		var a identity.Account
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatal(err)
		}
		return a.IdentityVerified
	}
	account := func(username, kind, citizenID string, verified bool) string {
		return fmt.Sprintf(`{"username":%q,"display_name":"Nguyễn Văn An","kind":%q,"citizen_id":%q,"identity_verified":%v,"password":"demo-2026"}`, username, kind, citizenID, verified)
	}
	for _, tt := range []struct {
		name, body string
		status     int
		detail     string
	}{
		{"verified twin of a citizen", account("giamao", "citizen", "001090012345", true), 422, "danh tính chỉ được xác thực qua VNeID"},
		{"verified new citizen", account("giamao", "citizen", "001090077777", true), 422, "danh tính chỉ được xác thực qua VNeID"},
		{"verified official", account("giamao", "official", "", true), 422, "danh tính chỉ được xác thực qua VNeID"},
		{"unverified twin of a citizen", account("giamao", "citizen", "001090012345", false), 409, "Số định danh cá nhân này đã thuộc một tài khoản công dân khác."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := f.do(t, "POST", "/api/v1/accounts", admin, tt.body)
			if res.StatusCode != tt.status || !strings.Contains(string(body), tt.detail) {
				t.Errorf("POST /api/v1/accounts = %d: %s", res.StatusCode, body)
			}
			if tt.status == 422 && !strings.Contains(string(body), "identity_verified") {
				t.Errorf("the problem does not name identity_verified: %s", body)
			}
			if n := count("giamao"); n != 0 {
				t.Errorf("%d accounts created", n)
			}
		})
	}
	if n := count("001090012345"); n != 1 {
		t.Errorf("%d accounts of the citizen's ID", n)
	}

	// The page has no such field; a script posting one is refused too.
	b := f.browser(t, "quantri")
	res, body := b.post("/quan-tri/tai-khoan/moi", url.Values{"username": {"giamao"}, "display_name": {"Nguyễn Văn An"}, "citizen_id": {"001090012345"}, "password": {"demo"}, "identity_verified": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "danh tính chỉ được xác thực qua VNeID") {
		t.Errorf("page create with identity_verified = %d: %.2000s", res.StatusCode, body)
	}
	if n := count("giamao"); n != 0 {
		t.Errorf("%d accounts created by the page", n)
	}

	// An unverified citizen stays unverified, the verified citizen
	// verified, through the administrator's changes (roles, disabling).
	res2, created := f.do(t, "POST", "/api/v1/accounts", admin, account("congdan.moi", "citizen", "001090077777", false))
	if res2.StatusCode != 201 || field[bool](t, created, "identity_verified") {
		t.Fatalf("unverified citizen = %d: %s", res2.StatusCode, created)
	}
	for _, id := range []int64{field[int64](t, created, "id"), f.accountID(t, "congdan")} {
		acct := fmt.Sprintf("/quan-tri/tai-khoan/%d", id)
		want := verified(id)
		if res, body := f.do(t, "PUT", fmt.Sprintf("/api/v1/accounts/%d/grants", id), admin, `[]`); res.StatusCode != 200 {
			t.Errorf("grants = %d: %s", res.StatusCode, body)
		}
		for _, v := range []string{"1", "0"} {
			if res, _ := b.post(acct+"/trang-thai", url.Values{"disabled": {v}}); res.StatusCode != http.StatusSeeOther {
				t.Errorf("disabled=%s = %d", v, res.StatusCode)
			}
		}
		if got := verified(id); got != want {
			t.Errorf("account %d: verified %v, was %v", id, got, want)
		}
	}
	if !verified(f.accountID(t, "congdan")) {
		t.Error("the demo citizen is no longer verified")
	}
	// The citizen logs in again (disabling ended the session) and has
	// their personal store.
	if res, body := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"congdan","password":"demo"}`); res.StatusCode != 200 {
		t.Fatalf("login = %d", res.StatusCode)
	} else if res, body := f.do(t, "GET", "/api/v1/wallet", field[string](t, body, "token"), ""); res.StatusCode != 200 {
		t.Errorf("wallet = %d: %s", res.StatusCode, body)
	}
}
