package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/dossier"
)

// receivedDossier is a new online dossier of congdan received at the
// counter (version 2, the specialist's step open).
func receivedDossier(t *testing.T, f *fixture) string {
	t.Helper()
	st, d, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	return d.Code
}

// TestStalePage: two officials open the same dossier page; one acts, the
// other then posts from the page as it was: 409, the reason with a link to
// the fresh page, and only the first action in the history and the audit.
// The page shown with the refusal is the fresh one: posting from it works.
func TestStalePage(t *testing.T) {
	f := newFixture(t)
	code := receivedDossier(t, f)
	specialist, leader := f.browser(t, "chuyenvien"), f.browser(t, "lanhdao")
	specialist.get("/ho-so/" + code)
	_, page := leader.get("/ho-so/" + code)
	m := regexp.MustCompile(`<option value="(\d+)">Trần Minh Đức</option>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the leader's page offers no assignee")
	}
	if n, forms := strings.Count(page, `name="version" value="2"`), strings.Count(page, `action="/ho-so/`+code+`/`); n != forms || n < 2 {
		t.Fatalf("%d of the page's %d dossier forms carry the version 2", n, forms)
	}
	before := f.stored(t, code)

	if res, _ := specialist.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"claim"}}); res.StatusCode != 303 {
		t.Fatalf("claim = %d", res.StatusCode)
	}
	res, page := leader.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"assign"}, "assignee_id": {m[1]}, "note": {"Giao đồng chí Đức"}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale assign = %d, want 409", res.StatusCode)
	}
	for _, want := range []string{`role="alert"`, "Hồ sơ đã được cập nhật sau khi bạn mở (bạn mở phiên bản 2, hiện tại là phiên bản 3).", `<a href="/ho-so/` + code + `">Tải lại hồ sơ</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the refusal lacks %q", want)
		}
	}
	after := f.stored(t, code)
	if after.Version != before.Version+1 || len(after.History) != len(before.History)+1 || after.History[len(after.History)-1].Action != dossier.ActClaim {
		t.Fatalf("after the refusal: version %d, %d events (last %s); want version %d and only the claim added",
			after.Version, len(after.History), after.History[len(after.History)-1].Action, before.Version+1)
	}
	if n := f.auditCount(t, "dossier.assign"); n != 0 {
		t.Errorf("%d assignments audited, want 0", n)
	}
	if !strings.Contains(page, `name="version" value="3"`) {
		t.Fatal("the page shown with the refusal is not the fresh one")
	}
	if res, _ := leader.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"assign"}, "assignee_id": {m[1]}}); res.StatusCode != 303 {
		t.Errorf("assign from the fresh page = %d", res.StatusCode)
	}
}

// TestStaleForms: every form of the dossier page is refused with 409 when
// it carries another version than the dossier's or none, and nothing
// changes.
func TestStaleForms(t *testing.T) {
	f := newFixture(t)
	code := receivedDossier(t, f)
	before := f.stored(t, code)
	stale := strconv.Itoa(before.Version - 1)
	const (
		staleMsg   = "Hồ sơ đã được cập nhật sau khi bạn mở"
		missingMsg = "Biểu mẫu không ghi phiên bản hồ sơ bạn đã xem."
	)
	for _, tc := range []struct {
		name, user, path string
		form             url.Values
		want             string
	}{
		{"action", "chuyenvien", "thao-tac", url.Values{"action": {"complete_step"}, "version": {stale}}, staleMsg},
		{"action without version", "chuyenvien", "thao-tac", url.Values{"action": {"complete_step"}, "version": {""}}, missingMsg},
		{"action with a bad version", "chuyenvien", "thao-tac", url.Values{"action": {"claim"}, "version": {"hai"}}, missingMsg},
		{"action with version 0", "chuyenvien", "thao-tac", url.Values{"action": {"claim"}, "version": {"0"}}, missingMsg},
		{"newer version", "chuyenvien", "thao-tac", url.Values{"action": {"claim"}, "version": {"9"}}, "bạn mở phiên bản 9, hiện tại là phiên bản 2"},
		{"send back", "chuyenvien", "thao-tac", url.Values{"action": {"send_back"}, "to_step": {"1"}, "note": {"Xem lại"}, "version": {stale}}, staleMsg},
		{"request supplement", "chuyenvien", "thao-tac", url.Values{"action": {"request_supplement"}, "note": {"Bản rõ nét"}, "version": {stale}}, staleMsg},
		{"assign", "lanhdao", "thao-tac", url.Values{"action": {"assign"}, "assignee_id": {"1"}, "version": {stale}}, staleMsg},
		{"apologize", "lanhdao", "thao-tac", url.Values{"action": {"apologize"}, "new_due_at": {"2027-01-05T10:00"}, "note": {"Chờ xác minh"}, "version": {stale}}, staleMsg},
		{"withdraw", "congdan", "thao-tac", url.Values{"action": {"withdraw"}, "note": {"Không còn nhu cầu"}, "xac-nhan": {"1"}, "version": {stale}}, staleMsg},
		{"withdraw without version", "congdan", "thao-tac", url.Values{"action": {"withdraw"}, "note": {"Không còn nhu cầu"}, "xac-nhan": {"1"}, "version": {""}}, missingMsg},
		{"rate", "congdan", "danh-gia", url.Values{"stars": {"5"}, "version": {stale}}, staleMsg},
		{"rate without version", "congdan", "danh-gia", url.Values{"stars": {"5"}, "version": {""}}, missingMsg},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, page := f.browser(t, tc.user).post("/ho-so/"+code+"/"+tc.path, tc.form)
			if res.StatusCode != http.StatusConflict || !strings.Contains(page, tc.want) || !strings.Contains(page, `<a href="/ho-so/`+code+`">`) {
				t.Fatalf("status %d, want 409 with %q and the link", res.StatusCode, tc.want)
			}
		})
	}
	// The supplement is refused before its files are stored.
	t.Run("supplement", func(t *testing.T) {
		citizen := f.browser(t, "congdan")
		res, page := citizen.postMultipart("/ho-so/"+code+"/bo-sung", map[string]string{"note": "Đã nộp lại", "version": stale}, map[string]string{"tp-TP02": minimalPDF})
		if res.StatusCode != http.StatusConflict || !strings.Contains(page, staleMsg) {
			t.Fatalf("status %d, want 409", res.StatusCode)
		}
		if n := f.auditCount(t, "file.upload"); n != len(before.Components) {
			t.Errorf("%d uploads audited, want the %d of the submission only", n, len(before.Components))
		}
	})
	after := f.stored(t, code)
	if after.Version != before.Version || len(after.History) != len(before.History) || after.Status != before.Status {
		t.Errorf("refused forms changed the dossier: version %d→%d, %d→%d events", before.Version, after.Version, len(before.History), len(after.History))
	}
	for _, a := range []string{"dossier.complete_step", "dossier.claim", "dossier.send_back", "dossier.request_supplement", "dossier.assign", "dossier.apologize", "dossier.withdraw", "dossier.rate", "dossier.supplement"} {
		if n := f.auditCount(t, a); n != 0 {
			t.Errorf("%d %s audited", n, a)
		}
	}
}

// doIfMatch is fixture.do with an If-Match header ("" = none).
func (f *fixture) doIfMatch(t *testing.T, method, path, user, body, ifMatch string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.token(t, user))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// TestAPIVersion: GET gives the version as ETag; an action with If-Match
// of another version is refused with a 409 problem in Vietnamese and
// nothing changes or is audited; the current one applies and gives the
// new ETag; without If-Match the action applies as before.
func TestAPIVersion(t *testing.T) {
	f := newFixture(t)
	code := receivedDossier(t, f)
	res, _ := f.doIfMatch(t, "GET", "/api/v1/dossiers/"+code, "chuyenvien", "", "")
	if res.StatusCode != 200 || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("GET = %d, ETag %q, want 200 and \"2\"", res.StatusCode, res.Header.Get("ETag"))
	}
	path := "/api/v1/dossiers/" + code + "/actions"
	for _, tc := range []struct {
		name, user, body, ifMatch string
		status                    int
		etag                      string   // of a success
		want                      []string // in the body
		audit                     string   // the action's audit entry, counted
		audited                   int
	}{
		{"older", "chuyenvien", `{"action":"claim"}`, `"1"`, 409, "", []string{`"key":"dossier.stale"`, `"status":409`, "Hồ sơ đã được cập nhật sau khi bạn mở (bạn mở phiên bản 1, hiện tại là phiên bản 2). Vui lòng tải lại hồ sơ và thực hiện lại."}, "dossier.claim", 0},
		{"newer, weak", "chuyenvien", `{"action":"claim"}`, `W/"5"`, 409, "", []string{`"key":"dossier.stale"`}, "dossier.claim", 0},
		{"not an entity tag", "chuyenvien", `{"action":"claim"}`, `2`, 422, "", []string{`"key":"dossier.if_match"`, "header.If-Match"}, "dossier.claim", 0},
		{"a list", "chuyenvien", `{"action":"claim"}`, `"1", "2"`, 422, "", []string{"If-Match"}, "dossier.claim", 0},
		{"stale before forbidden", "congdan", `{"action":"withdraw","note":"x"}`, `"1"`, 409, "", []string{"dossier.stale"}, "dossier.withdraw", 0},
		{"current", "chuyenvien", `{"action":"claim"}`, `"2"`, 200, `"3"`, []string{`"version":3`}, "dossier.claim", 1},
		{"any", "chuyenvien", `{"action":"complete_step"}`, `*`, 200, `"4"`, []string{`"version":4`}, "dossier.complete_step", 1},
		{"none: as before", "lanhdao", `{"action":"complete_step"}`, "", 200, `"5"`, []string{`"version":5`}, "dossier.complete_step", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.stored(t, code)
			res, b := f.doIfMatch(t, "POST", path, tc.user, tc.body, tc.ifMatch)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, b)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("body lacks %q: %s", w, b)
				}
			}
			if n := f.auditCount(t, tc.audit); n != tc.audited {
				t.Errorf("%d %s audited, want %d", n, tc.audit, tc.audited)
			}
			after := f.stored(t, code)
			if tc.status != 200 {
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
					t.Errorf("content type %q", ct)
				}
				if after.Version != before.Version || len(after.History) != len(before.History) {
					t.Errorf("refused action changed the dossier: version %d→%d", before.Version, after.Version)
				}
				return
			}
			if got := res.Header.Get("ETag"); got != tc.etag || after.Version != before.Version+1 {
				t.Errorf("ETag %q version %d, want %s", got, after.Version, tc.etag)
			}
		})
	}
}

// TestAPIVersionDeclared: the OpenAPI document declares If-Match on the
// action and ETag on the dossier's GET and the action's response.
func TestAPIVersionDeclared(t *testing.T) {
	f := newFixture(t)
	res, b := f.do(t, "GET", "/api/v1/openapi.json", "", "")
	if res.StatusCode != 200 {
		t.Fatalf("openapi = %d", res.StatusCode)
	}
	type op struct {
		Parameters []struct{ Name, In string }
		Responses  map[string]struct {
			Headers map[string]json.RawMessage
		}
	}
	var doc struct {
		Paths map[string]map[string]op
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	act := doc.Paths["/api/v1/dossiers/{code}/actions"]["post"]
	found := false
	for _, p := range act.Parameters {
		found = found || (p.Name == "If-Match" && p.In == "header")
	}
	if !found {
		t.Errorf("act-on-dossier parameters %+v lack the If-Match header", act.Parameters)
	}
	for name, o := range map[string]op{"get-dossier": doc.Paths["/api/v1/dossiers/{code}"]["get"], "act-on-dossier": act} {
		if _, ok := o.Responses["200"].Headers["ETag"]; !ok {
			t.Errorf("%s: the 200 response declares no ETag header", name)
		}
	}
}
