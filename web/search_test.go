package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPortalSearch: the portal's list ranks what citizens type (the right
// procedure in the first row) and, when nothing matches as typed, offers
// the catalogue's spelling as a link.
func TestPortalSearch(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "congdan")
	firstRow := func(page string) string {
		i := strings.Index(page, "<tbody>")
		j := strings.Index(page[i:], `<a href="/thu-tuc/`)
		if i < 0 || j < 0 {
			return ""
		}
		rest := page[i+j+len(`<a href="/thu-tuc/`):]
		return rest[:strings.IndexByte(rest, '"')]
	}
	for q, want := range map[string]string{
		"làm giấy khai sinh cho con": "1.001193",
		"xin so do":                  "1.013978",
		"đăng ký tạm trú cho người thuê trọ": "1.004194",
	} {
		st, page := b.get("/thu-tuc?q=" + url.QueryEscape(q))
		if st != http.StatusOK || firstRow(page) != want {
			t.Errorf("%q: %d, first %q, want %s", q, st, firstRow(page), want)
		}
	}
	st, page := b.get("/thu-tuc?q=" + url.QueryEscape("khuyeett taaat"))
	if st != http.StatusOK || !strings.Contains(page, "Bạn có muốn tìm:") || !strings.Contains(page, `href="/thu-tuc?q=`) {
		t.Errorf("no suggestion: %d %.3000s", st, page)
	}
	if _, page := b.get("/thu-tuc?q=dang+ky+khai+sinh"); strings.Contains(page, "Bạn có muốn tìm:") {
		t.Errorf("a suggestion for a query found as typed")
	}
}

// TestAPISearchSuggestion: the API's search gives the portal's "did you
// mean" as "suggestion", declared in the OpenAPI document, and none for a
// query found as typed.
func TestAPISearchSuggestion(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		q    string
		want string // "" none
	}{
		{"khuyeett taaat", "khuyết tật"},
		{"dang ky khai sinh", ""},
		{"", ""},
	} {
		res, b := f.do(t, "GET", "/api/v1/procedures?q="+url.QueryEscape(tc.q), "", "")
		var out struct {
			Total      int     `json:"total"`
			Suggestion *string `json:"suggestion"`
		}
		if err := json.Unmarshal(b, &out); res.StatusCode != 200 || err != nil {
			t.Fatalf("%q: %d %v %s", tc.q, res.StatusCode, err, b)
		}
		switch {
		case tc.want == "" && out.Suggestion != nil:
			t.Errorf("%q: suggestion %q, want none", tc.q, *out.Suggestion)
		case tc.want != "" && (out.Suggestion == nil || !strings.Contains(*out.Suggestion, tc.want)):
			t.Errorf("%q: suggestion %v, want one with %q (%s)", tc.q, out.Suggestion, tc.want, b)
		}
	}
	res, doc := f.do(t, "GET", "/api/v1/openapi.json", "", "")
	if res.StatusCode != 200 || !strings.Contains(string(doc), `"suggestion"`) {
		t.Errorf("the OpenAPI document does not declare \"suggestion\"")
	}
}

// TestAdminSearchTerms: an administrator adds a term in the console, the
// portal's search ranks its procedure first at once; a code not in the
// catalogue is refused with the field named; the term is changed, then
// deleted; each change is audited.
func TestAdminSearchTerms(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	st, page := b.get("/quan-tri/tu-khoa?q=so+do")
	if st != http.StatusOK || !strings.Contains(page, "sổ đỏ") || !strings.Contains(page, "1.013978") {
		t.Fatalf("terms page = %d: %.2000s", st, page)
	}
	res, body := b.post("/quan-tri/tu-khoa", url.Values{"phrase": {"bánh chưng"}, "codes": {"NOPE-1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, html.EscapeString(`Không có thủ tục mã "NOPE-1"`)) || !strings.Contains(body, `id="e-codes"`) {
		t.Errorf("unknown code = %d: %.2000s", res.StatusCode, body)
	}
	res, _ = b.post("/quan-tri/tu-khoa", url.Values{"phrase": {"bánh chưng"}, "codes": {"DEMO-025"}, "note": {"thử"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/quan-tri/tu-khoa?da-luu=1" {
		t.Fatalf("add = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	portal := f.browser(t, "congdan")
	if _, page := portal.get("/thu-tuc?q=banh+chung"); !strings.Contains(page, `href="/thu-tuc/DEMO-025"`) {
		t.Errorf("the new term finds nothing: %.2000s", page)
	}
	_, page = b.get("/quan-tri/tu-khoa?sua=" + url.QueryEscape("banh chung"))
	v := adminForm(t, page, "/quan-tri/tu-khoa")
	if v.Get("replace") != "banh chung" || v.Get("phrase") != "bánh chưng" || v.Get("codes") != "DEMO-025" {
		t.Fatalf("edit form = %v", v)
	}
	v.Set("phrase", "bánh tét")
	v.Set("codes", "DEMO-024, DEMO-025")
	if res, body := b.post("/quan-tri/tu-khoa", v); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change = %d: %.2000s", res.StatusCode, body)
	}
	_, page = b.get("/quan-tri/tu-khoa?q=banh&da-luu=1")
	if !strings.Contains(page, "bánh tét") || strings.Contains(page, "bánh chưng") || !strings.Contains(page, html.EscapeString("Đã lưu từ khóa.")) {
		t.Errorf("after the change: %.3000s", page)
	}
	if res, _ := b.post("/quan-tri/tu-khoa/xoa", url.Values{"key": {"banh tet"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete = %d", res.StatusCode)
	}
	if res, _ := b.post("/quan-tri/tu-khoa/xoa", url.Values{"key": {"banh tet"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("delete again = %d", res.StatusCode)
	}
	if n := f.auditCount(t, "search_term.put"); n != 2 {
		t.Errorf("%d search_term.put entries", n)
	}
	if n := f.auditCount(t, "search_term.delete"); n != 1 {
		t.Errorf("%d search_term.delete entries", n)
	}
}
