package web

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
)

// minimalPDF is a small valid PDF document.
const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func (f *fixture) upload(t *testing.T, user, ctype, content string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/files?name=giay-to.pdf", strings.NewReader(content))
	req.Header.Set("Content-Type", ctype)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.token(t, user))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out struct{ ID string }
	_ = json.Unmarshal(b, &out)
	if res.StatusCode == 201 && out.ID == "" {
		t.Fatalf("upload: no id in %s", b)
	}
	return res.StatusCode, out.ID
}

type dossierView struct {
	Code           string
	Status         int
	DueAt          *time.Time                `json:"due_at"`
	ReceivedAt     *time.Time                `json:"received_at"`
	HandlingAgency struct{ ID, Name string } `json:"handling_agency"`
	CurrentStep    *struct {
		Name string
		Role string
	} `json:"current_step"`
	History []json.RawMessage
	Version int
	Overdue bool
	DueSoon bool `json:"due_soon"`
	Steps   []struct {
		OnTime *bool `json:"on_time"`
	}
	Payment *struct{ Total int64 }
}

func (f *fixture) submit(t *testing.T, user, procedure string, extra string) (int, dossierView, []byte) {
	t.Helper()
	res, b := f.do(t, "POST", "/api/v1/dossiers", f.token(t, user), f.submissionBody(t, user, procedure, extra))
	var d dossierView
	_ = json.Unmarshal(b, &d)
	return res.StatusCode, d, b
}

// submissionBody is the JSON of a submission of procedure by user with the
// sample form, a PDF uploaded for each required component, and extra's
// fields over it.
func (f *fixture) submissionBody(t *testing.T, user, procedure string, extra string) string {
	t.Helper()
	res, b := f.do(t, "GET", "/api/v1/procedures/"+procedure, "", "")
	if res.StatusCode != 200 {
		t.Fatalf("procedure %s: %d", procedure, res.StatusCode)
	}
	var p struct {
		FormSchema map[string]any `json:"form_schema"`
		Components []struct {
			Code     string
			Required bool
		}
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	var comps []map[string]string
	for _, c := range p.Components {
		if c.Required {
			st, id := f.upload(t, user, "application/pdf", minimalPDF)
			if st != 201 {
				t.Fatalf("upload = %d", st)
			}
			comps = append(comps, map[string]string{"code": c.Code, "file_id": id})
		}
	}
	body := map[string]any{"procedure_code": procedure, "form": catalog.SampleData(p.FormSchema), "components": comps}
	if extra != "" {
		_ = json.Unmarshal([]byte(extra), &body)
	}
	raw, _ := json.Marshal(body)
	return string(raw)
}

func (f *fixture) act(t *testing.T, user, code, body string) (int, dossierView, []byte) {
	t.Helper()
	res, b := f.do(t, "POST", "/api/v1/dossiers/"+code+"/actions", f.token(t, user), body)
	var d dossierView
	_ = json.Unmarshal(b, &d)
	return res.StatusCode, d, b
}

// handleToDone has the demo commune's officials complete the steps of a
// received dossier until it is done (status 9).
func (f *fixture) handleToDone(t *testing.T, code string) dossierView {
	t.Helper()
	users := map[string]string{"specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}
	d := f.get(t, "chuyenvien", code)
	for i := 0; d.Status != 9; i++ {
		if i > 10 || d.CurrentStep == nil {
			t.Fatalf("walk stuck: %+v", d)
		}
		st, next, b := f.act(t, users[d.CurrentStep.Role], code, `{"action":"complete_step"}`)
		if st != 200 {
			t.Fatalf("complete_step = %d %s", st, b)
		}
		d = next
	}
	return d
}

func (f *fixture) get(t *testing.T, user, code string) dossierView {
	t.Helper()
	res, b := f.do(t, "GET", "/api/v1/dossiers/"+code, f.token(t, user), "")
	if res.StatusCode != 200 {
		t.Fatalf("get %s as %s = %d %s", code, user, res.StatusCode, b)
	}
	var d dossierView
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDossierContractWalk is the walk of the contract: a
// commune-level procedure submitted online by congdan, received at the
// province centre by tiepnhan, handled by the commune's officials in turn,
// then returned.
func TestDossierContractWalk(t *testing.T) {
	f := newFixture(t)
	st, d, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	// 2026-11-23 09:00 UTC is 16:00 in Vietnam; the code uses the commune
	// committee's ID and the Vietnamese date.
	if !regexp.MustCompile(`^000\.00\.50\.H01-261123-00001$`).MatchString(d.Code) || d.Status != 1 || d.DueAt == nil {
		t.Fatalf("submitted = %+v", d)
	}
	if st, _, b := f.act(t, "chuyenvien", d.Code, `{"action":"receive"}`); st != 403 {
		t.Fatalf("specialist receive = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"return"}`); st != 409 || !strings.Contains(string(b), "Mới đăng ký") {
		t.Fatalf("return before done = %d %s", st, b)
	}
	st, d, b = f.act(t, "tiepnhan", d.Code, `{"action":"receive","note":"Hồ sơ đầy đủ"}`)
	if st != 200 || d.Status != 2 || d.ReceivedAt == nil || d.DueAt == nil {
		t.Fatalf("receive = %d %s", st, b)
	}
	// Received at 16:00, after the cut-off: the clock starts Tuesday 07:30;
	// 1.001193 takes 3 working days (provisional data aside, the due is
	// computed by the calendar).
	if d.DueAt.In(calendar.VN).Before(time.Date(2026, 11, 24, 7, 30, 0, 0, calendar.VN)) {
		t.Errorf("due %v before the next working morning", d.DueAt)
	}
	users := map[string]string{"specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}
	for i := 0; d.Status != 9; i++ {
		if i > 10 || d.CurrentStep == nil {
			t.Fatalf("walk stuck: %+v", d)
		}
		user := users[d.CurrentStep.Role]
		if user == "" {
			t.Fatalf("no demo user for role %q", d.CurrentStep.Role)
		}
		wrong := "vanthu"
		if user == "vanthu" {
			wrong = "chuyenvien"
		}
		before := d.Version
		if st, _, _ := f.act(t, wrong, d.Code, `{"action":"complete_step"}`); st != 403 {
			t.Fatalf("%s completing %s's step = %d", wrong, user, st)
		}
		if v := f.get(t, user, d.Code).Version; v != before {
			t.Fatalf("a refused action changed the version %d → %d", before, v)
		}
		st, d, b = f.act(t, user, d.Code, `{"action":"complete_step","note":"Đã xử lý"}`)
		if st != 200 {
			t.Fatalf("%s complete_step = %d %s", user, st, b)
		}
	}
	if d.CurrentStep != nil {
		t.Errorf("done dossier has an open step: %+v", d.CurrentStep)
	}
	st, d, b = f.act(t, "tiepnhan", d.Code, `{"action":"return"}`)
	if st != 200 || d.Status != 10 {
		t.Fatalf("return = %d %s", st, b)
	}
	if st, _, _ := f.act(t, "tiepnhan", d.Code, `{"action":"return"}`); st != 409 {
		t.Errorf("second return = %d, want 409", st)
	}
	for i, s := range d.Steps[1:] {
		if s.OnTime == nil || !*s.OnTime {
			t.Errorf("step %d on_time = %v, want true", i+1, s.OnTime)
		}
	}

	// The forms of Circular 03/2025 that apply, as PDF; the others answer 409.
	for _, tt := range []struct {
		form, user string
		status     int
	}{{"01", "congdan", 200}, {"06", "chuyenvien", 200}, {"07", "vanthu", 200}, {"03", "congdan", 409}, {"04", "congdan", 409}, {"09", "congdan", 422}} {
		res, b := f.do(t, "GET", "/api/v1/dossiers/"+d.Code+"/forms/"+tt.form, f.token(t, tt.user), "")
		if res.StatusCode != tt.status {
			t.Errorf("form %s as %s = %d, want %d: %.200s", tt.form, tt.user, res.StatusCode, tt.status, b)
		}
		if tt.status == 200 && (res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(b), "%PDF-")) {
			t.Errorf("form %s: %s, %.20q", tt.form, res.Header.Get("Content-Type"), b)
		}
		// The QR code and its link point at the public look-up on the
		// configured public address.
		if tt.form == "01" {
			if urls := pdfURLs(t, b); !strings.Contains(urls, "https://dichvucong.example.vn/api/v1/public/dossiers/"+d.Code) {
				t.Errorf("form 01 does not link to the public look-up at the public URL: %q", urls)
			}
		}
	}
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+d.Code+"/forms/07", f.token(t, "congdan"), ""); res.StatusCode != 403 {
		t.Errorf("citizen reads the register: %d", res.StatusCode)
	}
	if res, b := f.do(t, "GET", "/api/v1/agencies/000.00.50.H01/register?from=2026-11-01&to=2026-11-30", f.token(t, "lanhdao"), ""); res.StatusCode != 200 || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("register = %d", res.StatusCode)
	}

	// Rating: the applicant only, once, 1–5 stars.
	for _, tt := range []struct {
		user, body string
		status     int
	}{
		{"tiepnhan", `{"stars":5}`, 404},
		{"congdan", `{"stars":0}`, 422},
		{"congdan", `{"stars":5,"comment":"Nhanh chóng, chu đáo"}`, 201},
		{"congdan", `{"stars":4}`, 409},
	} {
		if res, b := f.do(t, "POST", "/api/v1/dossiers/"+d.Code+"/rating", f.token(t, tt.user), tt.body); res.StatusCode != tt.status {
			t.Errorf("rating %s by %s = %d, want %d: %s", tt.body, tt.user, res.StatusCode, tt.status, b)
		}
	}
	if _, b := f.do(t, "GET", "/api/v1/dossiers/"+d.Code, f.token(t, "congdan"), ""); !strings.Contains(string(b), `"stars":5`) {
		t.Error("the dossier does not show its rating")
	}

	// The public look-up shows the status without personal data.
	res, pub := f.do(t, "GET", "/api/v1/public/dossiers/"+d.Code, "", "")
	if res.StatusCode != 200 || !strings.Contains(string(pub), `"status":10`) || strings.Contains(string(pub), "001090012345") || strings.Contains(string(pub), "Nguyễn Văn An") {
		t.Errorf("public look-up = %d %s", res.StatusCode, pub)
	}
	// Another citizen may not read it; its applicant may.
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+d.Code, f.token(t, "congdan2"), ""); res.StatusCode != 404 {
		t.Errorf("congdan2 reads another's dossier: %d", res.StatusCode)
	}
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+d.Code, "", ""); res.StatusCode != 401 {
		t.Errorf("anonymous read: %d", res.StatusCode)
	}
	if got := f.get(t, "congdan", d.Code); got.Status != 10 || len(got.History) != 6 {
		t.Errorf("applicant view: status %d, %d events", got.Status, len(got.History))
	}
	// The chain of audit entries holds every change and read.
	if res, b := f.do(t, "GET", "/api/v1/audit/verify", f.token(t, "quantri"), ""); res.StatusCode != 200 || !strings.Contains(string(b), `"ok":true`) {
		t.Errorf("audit verify = %d %s", res.StatusCode, b)
	}
}

func TestDossierSubmissionErrors(t *testing.T) {
	f := newFixture(t)
	_, pdf := f.upload(t, "congdan", "application/pdf", minimalPDF)
	_, other := f.upload(t, "congdan2", "application/pdf", minimalPDF)
	f.run(t, []scenario{
		{name: "anonymous", method: "POST", path: "/api/v1/dossiers", body: `{"procedure_code":"1.001193"}`, status: 401},
		{name: "unknown procedure", method: "POST", path: "/api/v1/dossiers", user: "congdan", body: `{"procedure_code":"9.999999"}`, status: 404},
		{name: "empty form and no components", method: "POST", path: "/api/v1/dossiers", user: "congdan", body: `{"procedure_code":"1.001193","form":{}}`, status: 422,
			contains: []string{`"form.`, `"components"`, "Thiếu thành phần hồ sơ bắt buộc"}},
		{name: "another's file", method: "POST", path: "/api/v1/dossiers", user: "congdan", body: `{"procedure_code":"1.001193","components":[{"code":"TP1","file_id":"` + other + `"}]}`, status: 422,
			contains: []string{"components[0]"}},
		{name: "unknown component", method: "POST", path: "/api/v1/dossiers", user: "congdan", body: `{"procedure_code":"1.001193","components":[{"code":"NOPE","file_id":"` + pdf + `"}]}`, status: 422,
			contains: []string{"không có thành phần hồ sơ mã"}},
		{name: "official without applicant", method: "POST", path: "/api/v1/dossiers", user: "chuyenvien", body: `{"procedure_code":"1.001193"}`, status: 403},
		{name: "walk-in with bad CCCD", method: "POST", path: "/api/v1/dossiers", user: "tiepnhan", body: `{"procedure_code":"1.001193","applicant":{"name":"Lê Văn Bình","citizen_id":"123"},"commune_code":"00004"}`, status: 422,
			contains: []string{"applicant.citizen_id"}},
		{name: "unknown dossier", method: "GET", path: "/api/v1/dossiers/000.00.50.H01-261123-99999", user: "congdan", status: 404},
		{name: "public unknown dossier", method: "GET", path: "/api/v1/public/dossiers/nope", status: 404},
		{name: "bad action", method: "POST", path: "/api/v1/dossiers/x/actions", user: "tiepnhan", body: `{"action":"explode"}`, status: 422},
	})
	if st, _ := f.upload(t, "congdan", "application/pdf", "hello, not a pdf"); st != 422 && st != 400 {
		t.Errorf("text as PDF = %d", st)
	}
	if st, _ := f.upload(t, "", "application/pdf", minimalPDF); st != 401 {
		t.Errorf("anonymous upload = %d", st)
	}
}

// TestDossierLifecycle drives the other transitions: supplement with the
// clock stopped, payment, lateness and the apology, send back, withdraw,
// stop, and a walk-in dossier received at a counter.
func TestDossierLifecycle(t *testing.T) {
	f := newFixture(t)
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, calendar.VN) // Tuesday 09:00
	f.set(start)
	st, d, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	code := d.Code
	if _, d, _ = f.act(t, "tiepnhan", code, `{"action":"receive"}`); d.Status != 2 {
		t.Fatalf("receive: %+v", d)
	}
	due := *d.DueAt
	// A one-working-day procedure is due soon from its receipt.
	if !d.DueSoon || d.Overdue {
		t.Errorf("after receipt: due_soon %v overdue %v", d.DueSoon, d.Overdue)
	}

	// Inbox: the specialist sees it.
	res, inbox := f.do(t, "GET", "/api/v1/dossiers?inbox=1", f.token(t, "chuyenvien"), "")
	if res.StatusCode != 200 || !strings.Contains(string(inbox), code) {
		t.Fatalf("inbox = %d %s", res.StatusCode, inbox)
	}
	if _, b := f.do(t, "GET", "/api/v1/dossiers?inbox=1", f.token(t, "congan"), ""); strings.Contains(string(b), code) {
		t.Error("police inbox shows a commune dossier")
	}

	// Supplement: requested by the specialist, the clock stops for a
	// working day, the applicant supplements, the deadline moves by that day.
	if st, _, b := f.act(t, "chuyenvien", code, `{"action":"request_supplement"}`); st != 422 {
		t.Fatalf("supplement without note = %d %s", st, b)
	}
	if st, d, b = f.act(t, "chuyenvien", code, `{"action":"request_supplement","note":"Bổ sung bản sao giấy chứng sinh"}`); st != 200 || d.Status != 5 {
		t.Fatalf("request_supplement = %d %s", st, b)
	}
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+code+"/forms/02", f.token(t, "congdan"), ""); res.StatusCode != 200 {
		t.Errorf("form 02 = %d", res.StatusCode)
	}
	f.set(start.Add(24 * time.Hour))
	if st, _, _ := f.act(t, "chuyenvien", code, `{"action":"supplement"}`); st != 403 {
		t.Errorf("specialist supplements = %d", st)
	}
	// The supplement hands in a document through the API: a code the
	// procedure does not have, or a file someone else uploaded, is refused.
	_, mine := f.upload(t, "congdan", "application/pdf", minimalPDF+"% bo sung\n")
	_, theirs := f.upload(t, "congdan2", "application/pdf", minimalPDF+"% cua nguoi khac\n")
	for _, bad := range []string{
		`{"action":"supplement","components":[{"code":"XX99","file_id":"` + mine + `"}]}`,
		`{"action":"supplement","components":[{"code":"TP02","file_id":"` + theirs + `"}]}`,
	} {
		if st, _, b := f.act(t, "congdan", code, bad); st != 422 {
			t.Errorf("%s = %d %s", bad, st, b)
		}
	}
	if st, d, b = f.act(t, "congdan", code, `{"action":"supplement","components":[{"code":"TP02","file_id":"`+mine+`"}]}`); st != 200 || d.Status != 4 {
		t.Fatalf("supplement = %d %s", st, b)
	}
	if !strings.Contains(string(b), mine) {
		t.Errorf("supplemented file %s not in the dossier: %s", mine, b)
	}
	if got := d.DueAt.Sub(due); got != 24*time.Hour {
		t.Errorf("due moved by %v, want one working day (24h here)", got)
	}

	// Send back needs a handling step before the current one.
	if st, _, _ := f.act(t, "chuyenvien", code, `{"action":"send_back","note":"x"}`); st != 422 {
		t.Errorf("send back from the first handling step = %d", st)
	}
	if _, d, _ = f.act(t, "chuyenvien", code, `{"action":"complete_step"}`); d.CurrentStep == nil || d.CurrentStep.Role != "leader" {
		t.Fatalf("after specialist: %+v", d.CurrentStep)
	}
	if st, d, b = f.act(t, "lanhdao", code, `{"action":"send_back","note":"Kiểm tra lại họ tên"}`); st != 200 || d.CurrentStep.Role != "specialist" {
		t.Fatalf("send_back = %d %s", st, b)
	}
	f.act(t, "chuyenvien", code, `{"action":"complete_step"}`)
	f.act(t, "lanhdao", code, `{"action":"complete_step"}`)

	// Late: past the deadline the last step cannot finish without form 04.
	late := d.DueAt.Add(48 * time.Hour)
	f.set(late)
	if v := f.get(t, "vanthu", code); !v.Overdue || v.DueSoon {
		t.Errorf("past the due: overdue %v due_soon %v", v.Overdue, v.DueSoon)
	}
	if st, _, b := f.act(t, "vanthu", code, `{"action":"complete_step"}`); st != 409 || !strings.Contains(string(b), "mẫu 04") {
		t.Fatalf("late finish = %d %s", st, b)
	}
	newDue := late.Add(72 * time.Hour).Format(time.RFC3339)
	if st, _, b := f.act(t, "vanthu", code, `{"action":"apologize","note":"Chậm do xác minh","new_due_at":"`+late.Add(-time.Hour).Format(time.RFC3339)+`"}`); st != 422 {
		t.Errorf("apology with a past date = %d %s", st, b)
	}
	if st, _, b := f.act(t, "vanthu", code, `{"action":"apologize","note":"Chậm do xác minh","new_due_at":"9999-12-31T23:00:00+07:00"}`); st != 422 || !strings.Contains(string(b), "1900–2199") {
		t.Errorf("apology to year 9999 = %d %s", st, b)
	}
	if st, _, b := f.act(t, "vanthu", code, `{"action":"apologize","note":"Chậm do phải xác minh thông tin","new_due_at":"`+newDue+`"}`); st != 200 {
		t.Fatalf("apologize = %d %s", st, b)
	}
	if st, d, b = f.act(t, "vanthu", code, `{"action":"complete_step"}`); st != 200 || d.Status != 9 {
		t.Fatalf("finish after apology = %d %s", st, b)
	}
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+code+"/forms/04", f.token(t, "congdan"), ""); res.StatusCode != 200 {
		t.Errorf("form 04 = %d", res.StatusCode)
	}
	if last := d.Steps[len(d.Steps)-1]; last.OnTime == nil || *last.OnTime {
		t.Errorf("late clerk step on_time = %v, want false", last.OnTime)
	}

	// Withdraw: only the applicant, and not once done.
	f.set(start)
	_, d2, _ := f.submit(t, "congdan", "1.001193", "")
	if st, _, _ := f.act(t, "tiepnhan", d2.Code, `{"action":"withdraw"}`); st != 403 {
		t.Errorf("receiver withdraws = %d", st)
	}
	if st, d2, _ = f.act(t, "congdan", d2.Code, `{"action":"withdraw","note":"Nộp nhầm"}`); st != 200 || d2.Status != 7 {
		t.Errorf("withdraw = %d %+v", st, d2)
	}
	if st, _, _ := f.act(t, "congdan", code, `{"action":"withdraw"}`); st != 409 {
		t.Errorf("withdraw a done dossier = %d", st)
	}

	// Refuse at the counter, with a reason.
	_, d3, _ := f.submit(t, "congdan", "1.001193", "")
	if st, _, _ := f.act(t, "tiepnhan", d3.Code, `{"action":"refuse"}`); st != 422 {
		t.Errorf("refuse without reason = %d", st)
	}
	if st, d3, _ = f.act(t, "tiepnhan", d3.Code, `{"action":"refuse","note":"Không thuộc thẩm quyền"}`); d3.Status != 3 {
		t.Errorf("refuse = %d %+v", st, d3)
	}
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+d3.Code+"/forms/03", f.token(t, "congdan"), ""); res.StatusCode != 200 {
		t.Errorf("form 03 = %d", res.StatusCode)
	}

	// Stop: only the competent agency's leader.
	_, d4, _ := f.submit(t, "congdan", "1.001193", "")
	f.act(t, "tiepnhan", d4.Code, `{"action":"receive"}`)
	if st, _, _ := f.act(t, "chuyenvien", d4.Code, `{"action":"stop","note":"x"}`); st != 403 {
		t.Errorf("specialist stops = %d", st)
	}
	if st, d4, _ = f.act(t, "lanhdao", d4.Code, `{"action":"stop","note":"Người nộp đã mất năng lực hành vi"}`); d4.Status != 8 {
		t.Errorf("stop = %d %+v", st, d4)
	}
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+d4.Code+"/forms/05", f.token(t, "congdan"), ""); res.StatusCode != 200 {
		t.Errorf("form 05 = %d", res.StatusCode)
	}

	// A walk-in at the commune counter: received there, numbered there.
	st, d5, b := f.submit(t, "tiepnhanxa", "1.001193", `{"applicant":{"name":"Lê Văn Bình","citizen_id":"001085004567","address":"12 Phan Đình Phùng"},"commune_code":"00004"}`)
	if st != 201 || !strings.HasPrefix(d5.Code, "000.00.50.H01-") {
		t.Fatalf("walk-in submit = %d %s", st, b)
	}
	// By post, at the province centre, for a commune of the province: the
	// code is the centre's, the competent agency the commune's.
	var post struct {
		Code            string
		Channel         int
		CompetentAgency struct{ ID string } `json:"competent_agency"`
	}
	st, _, b = f.submit(t, "tiepnhan", "1.001193", `{"applicant":{"name":"Phạm Thị Thu","citizen_id":"001190007788"},"commune_code":"00004","channel":3}`)
	if err := json.Unmarshal(b, &post); st != 201 || err != nil || post.Channel != 3 || post.CompetentAgency.ID != "000.00.50.H01" || strings.HasPrefix(post.Code, "000.00.50.H01-") {
		t.Fatalf("postal submit = %d %s", st, b)
	}
	if st, _, b := f.submit(t, "tiepnhan", "1.001193", `{"applicant":{"name":"Phạm Thị Thu","citizen_id":"001190007788"},"commune_code":"79001"}`); st != 422 || !strings.Contains(string(b), "commune_code") {
		t.Errorf("commune of another province = %d %s", st, b)
	}
	if st, d5, b = f.act(t, "tiepnhanxa", d5.Code, `{"action":"receive"}`); st != 200 || d5.Status != 2 {
		t.Fatalf("walk-in receive = %d %s", st, b)
	}
}

// TestDossierPayment asks for and records the fee of a procedure that has one.
func TestDossierPayment(t *testing.T) {
	f := newFixture(t)
	ps, err := f.app.Province.ExportCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	code := ""
	for _, p := range ps {
		fee := int64(0)
		for _, x := range p.Fees {
			fee += x.Amount
		}
		if fee > 0 && p.Level == "commune" && p.OnlineLevel != "none" && p.Workflow.Steps[1].Role == "specialist" && p.AgencyKind == "commune_committee" && (len(p.Applicants) == 0 || p.Applicants[0] == "citizen") {
			code = p.Code
			break
		}
	}
	if code == "" {
		t.Skip("no commune procedure with a fee in the demo catalogue")
	}
	st, d, b := f.submit(t, "congdan", code, "")
	if st != 201 {
		t.Fatalf("submit %s = %d %s", code, st, b)
	}
	f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`)
	if st, d, b = f.act(t, "chuyenvien", d.Code, `{"action":"request_payment"}`); st != 200 || d.Status != 6 || d.Payment == nil || d.Payment.Total <= 0 {
		t.Fatalf("request_payment = %d %s", st, b)
	}
	if st, _, _ := f.act(t, "chuyenvien", d.Code, `{"action":"complete_step"}`); st != 409 {
		t.Errorf("complete while waiting for payment = %d", st)
	}
	// The applicant's own click never pays (issue 15); the counter takes
	// the fee (or the bank's callback confirms it: TestPaymentJourney).
	if st, _, b := f.act(t, "congdan", d.Code, `{"action":"pay"}`); st != 403 {
		t.Fatalf("applicant's pay = %d %s", st, b)
	}
	if st, d, b = f.act(t, "tiepnhan", d.Code, `{"action":"pay"}`); st != 200 || d.Status != 4 {
		t.Fatalf("pay at the counter = %d %s", st, b)
	}
	if st, _, _ := f.act(t, "chuyenvien", d.Code, `{"action":"request_payment"}`); st != 409 {
		t.Errorf("second payment request = %d", st)
	}
}

// TestDossierInterconnected walks the bundle "birth registration +
// permanent residence + health insurance card for a child under 6": its
// steps go from the commune to the police and to social insurance, each
// done by that agency's official only.
func TestDossierInterconnected(t *testing.T) {
	f := newFixture(t)
	st, d, b := f.submit(t, "congdan", "DEMO-029", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`)
	users := map[string]string{"leader": "lanhdao", "clerk": "vanthu"}
	agencies := map[string]bool{}
	for i := 0; ; i++ {
		d = f.get(t, "congdan", d.Code)
		if d.Status == 9 || i > 10 {
			break
		}
		user := users[d.CurrentStep.Role]
		if d.CurrentStep.Role == "specialist" {
			switch {
			case strings.Contains(d.HandlingAgency.Name, "Công an"):
				user = "congan"
			case strings.Contains(d.HandlingAgency.Name, "Bảo hiểm"):
				user = "baohiem"
			default:
				user = "chuyenvien"
			}
		}
		agencies[d.HandlingAgency.ID] = true
		if user != "chuyenvien" && d.CurrentStep.Role == "specialist" {
			if st, _, _ := f.act(t, "chuyenvien", d.Code, `{"action":"complete_step"}`); st != 403 {
				t.Errorf("commune specialist completes the %s step: %d", d.HandlingAgency.Name, st)
			}
		}
		if st, _, b := f.act(t, user, d.Code, `{"action":"complete_step"}`); st != 200 {
			t.Fatalf("%s on %q at %s: %d %s", user, d.CurrentStep.Name, d.HandlingAgency.Name, st, b)
		}
	}
	if d.Status != 9 || len(agencies) != 3 {
		t.Fatalf("status %d after passing through %d agencies: %v", d.Status, len(agencies), agencies)
	}
	// The police official sees the dossier (a step was theirs); another
	// commune's official does not.
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+d.Code, f.token(t, "congan"), ""); res.StatusCode != 200 {
		t.Errorf("police read = %d", res.StatusCode)
	}
}

// FuzzSubmitForm submits arbitrary declarations: the answer is 201 or a
// problem (4xx) listing the fields, never a 500, and a refused submission
// leaves no dossier behind.
func FuzzSubmitForm(f *testing.F) {
	f.Add(`{}`)
	f.Add(`{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345"}`)
	f.Add(`{"tre_em":{"ngay_sinh":"2026-13-45"}}`)
	f.Add(`[1,2,3]`)
	f.Add(`"x"`)
	f.Add(`{"so_dinh_danh":12}`)
	fx := newFixture(f)
	tok := fx.token(f, "congdan")
	f.Fuzz(func(t *testing.T, form string) {
		if !json.Valid([]byte(form)) {
			return
		}
		_, before := fx.do(t, "GET", "/api/v1/dossiers?limit=1", tok, "")
		res, b := fx.do(t, "POST", "/api/v1/dossiers", tok, `{"procedure_code":"1.001193","form":`+form+`}`)
		if res.StatusCode >= 500 || (res.StatusCode != 201 && res.StatusCode != 422 && res.StatusCode != 400) {
			t.Fatalf("form %s: %d %s", form, res.StatusCode, b)
		}
		if res.StatusCode != 201 {
			if _, after := fx.do(t, "GET", "/api/v1/dossiers?limit=1", tok, ""); string(after) != string(before) {
				t.Fatalf("a refused submission changed the list")
			}
		}
	})
}

// pdfURLs lists the links of a PDF with pdfinfo -url (poppler-utils; the
// links sit in compressed object streams).
func pdfURLs(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdfinfo")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdfinfo (Debian package poppler-utils) is not installed")
		}
		t.Fatal("pdfinfo (Debian package poppler-utils) is required in CI")
	}
	f := filepath.Join(t.TempDir(), "form.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-url", f).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo -url: %v %s", err, out)
	}
	return string(out)
}

// TestRegisterDates: the agency register's days are checked at the
// boundary: 422 with a Vietnamese message naming the field for a date that
// does not exist, years outside 1900–2199, from after to, or a period over
// a year — never a 500, never a register of such a period.
func TestRegisterDates(t *testing.T) {
	f := newFixture(t)
	tok := f.token(t, "lanhdao")
	for _, tc := range []struct {
		name, query string
		want        int
		field, msg  string // of the 422's first error
	}{
		{"a month", "from=2026-11-01&to=2026-11-30", 200, "", ""},
		{"a leap year", "from=2024-01-01&to=2024-12-31", 200, "", ""},
		{"from after to", "from=2026-11-30&to=2026-11-01", 422, "to", "không được trước ngày bắt đầu"},
		{"over a year", "from=2025-01-01&to=2026-11-30", 422, "to", "tối đa một năm"},
		{"30 February", "from=2026-02-30&to=2026-03-01", 422, "from", "không phải một ngày có thật"},
		{"month 13", "from=2026-11-01&to=2026-13-01", 422, "to", "không phải một ngày có thật"},
		{"not a date", "from=h%C3%B4m-nay&to=2026-11-01", 422, "from", "không phải một ngày có thật"},
		{"before 1900", "from=1899-12-31&to=1900-01-05", 422, "from", "1900–2199"},
		{"year 9999", "from=9999-01-01&to=9999-12-01", 422, "from", "1900–2199"},
		{"year 0", "from=0000-01-01&to=0000-12-01", 422, "from", "1900–2199"},
	} {
		res, b := f.do(t, "GET", "/api/v1/agencies/000.00.50.H01/register?"+tc.query, tok, "")
		if res.StatusCode != tc.want {
			t.Errorf("%s: %d, want %d: %.300s", tc.name, res.StatusCode, tc.want, b)
			continue
		}
		if tc.want == 200 {
			if !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("%s: not a PDF", tc.name)
			}
			continue
		}
		var p struct {
			Detail string
			Errors []struct{ Location, Message string }
		}
		if err := json.Unmarshal(b, &p); err != nil || len(p.Errors) == 0 || p.Errors[0].Location != tc.field || !strings.Contains(p.Errors[0].Message, tc.msg) || !strings.Contains(p.Detail, "Khoảng ngày") {
			t.Errorf("%s: problem %s, want field %s with %q", tc.name, b, tc.field, tc.msg)
		}
	}
}

// TestOnlineIntakeQueues: a commune counter's inbox holds the online
// dossiers its commune decides, not the whole province's; the provincial
// service centre, configured to receive for the province, holds them all
// until an administrator turns that off. Lists are summaries without the
// declaration (issue 12, item 4).
func TestOnlineIntakeQueues(t *testing.T) {
	f := newFixture(t)
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, calendar.VN)
	f.set(start)
	st, home, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	var communes struct{ Items []struct{ Code string } }
	_, cb := f.do(t, "GET", "/api/v1/units/provinces/01/communes?limit=200", "", "")
	if err := json.Unmarshal(cb, &communes); err != nil || len(communes.Items) < 2 {
		t.Fatalf("communes: %v %s", err, cb)
	}
	far := communes.Items[len(communes.Items)-1].Code
	st, away, b := f.submit(t, "congdan2", "1.001193", `{"commune_code":"`+far+`"}`)
	if st != 201 {
		t.Fatalf("submit in %s = %d %s", far, st, b)
	}
	inbox := func(user string) string {
		t.Helper()
		res, b := f.do(t, "GET", "/api/v1/dossiers?inbox=1&limit=200", f.token(t, user), "")
		if res.StatusCode != 200 {
			t.Fatalf("inbox of %s = %d %s", user, res.StatusCode, b)
		}
		return string(b)
	}
	commune, centre := inbox("tiepnhanxa"), inbox("tiepnhan")
	if !strings.Contains(commune, home.Code) || strings.Contains(commune, away.Code) {
		t.Errorf("commune counter's inbox: want %s and not %s: %s", home.Code, away.Code, commune)
	}
	if !strings.Contains(centre, home.Code) || !strings.Contains(centre, away.Code) {
		t.Errorf("province centre's inbox: want both %s and %s", home.Code, away.Code)
	}
	for _, leak := range []string{`"form"`, `"components"`, `"citizen_id"`, `"history"`, "001195004321"} {
		if strings.Contains(centre, leak) {
			t.Errorf("inbox list carries %s", leak)
		}
	}
	if !strings.Contains(centre, `"applicant_name":"Trần Thị Bích Ngọc"`) {
		t.Errorf("inbox list lacks the applicant's name: %s", centre)
	}
	if res, _ := f.do(t, "GET", "/api/v1/dossiers/"+away.Code, f.token(t, "tiepnhanxa"), ""); res.StatusCode != 404 {
		t.Errorf("another commune's dossier read by a commune counter = %d", res.StatusCode)
	}
	if st, _, b := f.act(t, "tiepnhanxa", away.Code, `{"action":"receive"}`); st != 404 {
		t.Errorf("another commune's dossier received by a commune counter = %d %s", st, b)
	}

	// The administrator turns the centre's province-wide intake off: from
	// the next session read on, it holds only its own agency's dossiers.
	var centreID string
	for _, ag := range f.agencies(t) {
		if ag["kind"] == "service_centre" {
			centreID = ag["id"].(string)
			if ag["receives_for_province"] != true {
				t.Errorf("demo service centre does not receive for the province: %v", ag)
			}
			ag["receives_for_province"] = false
			body, _ := json.Marshal(ag)
			if res, b := f.do(t, "PUT", "/api/v1/agencies/"+centreID, f.token(t, "quantri"), string(body)); res.StatusCode != 200 {
				t.Fatalf("put agency = %d %s", res.StatusCode, b)
			}
		}
	}
	f.set(start.Add(time.Minute))
	if centre := inbox("tiepnhan"); strings.Contains(centre, away.Code) || strings.Contains(centre, home.Code) {
		t.Errorf("centre %s no longer receiving for the province still lists online dossiers: %s", centreID, centre)
	}
	if st, d, b := f.act(t, "tiepnhanxa", home.Code, `{"action":"receive"}`); st != 200 || d.Status != 2 {
		t.Errorf("own commune's dossier received by its counter = %d %s", st, b)
	}
}

func (f *fixture) agencies(t *testing.T) []map[string]any {
	t.Helper()
	res, b := f.do(t, "GET", "/api/v1/agencies?limit=500", "", "")
	var out struct{ Items []map[string]any }
	if err := json.Unmarshal(b, &out); res.StatusCode != 200 || err != nil {
		t.Fatalf("agencies = %d %v", res.StatusCode, err)
	}
	return out.Items
}
