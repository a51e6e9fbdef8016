package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// auditCount counts the audit entries of an action.
func (f *fixture) auditCount(t *testing.T, action string) int {
	t.Helper()
	es, err := f.store.AuditEntries(context.Background(), audit.Filter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// stored returns a dossier as stored.
func (f *fixture) stored(t *testing.T, code string) dossier.Dossier {
	t.Helper()
	d, err := f.store.Dossier(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// getRaw fetches path with the browser's cookies and returns the response
// with its body.
func (b *browser) getRaw(path string) (*http.Response, string) {
	res, err := b.c.Get(b.f.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	b.saw(string(body))
	return res, string(body)
}

// TestDossierFiles: each component links to its file, served inline with
// its type to the applicant and the officials the dossier passes through,
// 404 to others, and every read is audited.
func TestDossierFiles(t *testing.T) {
	f := newFixture(t)
	st, dv, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	d := f.stored(t, dv.Code)
	if len(d.Components) == 0 {
		t.Fatal("no component")
	}
	fileURL := "/ho-so/" + d.Code + "/tep/" + d.Components[0].FileID
	citizen := f.browser(t, "congdan")
	if _, page := citizen.get("/ho-so/" + d.Code); !strings.Contains(page, `href="`+fileURL+`"`) {
		t.Fatalf("the dossier page does not link %s", fileURL)
	}
	before := f.auditCount(t, "dossier.file.read")
	for _, tc := range []struct {
		user   string
		path   string
		status int
	}{
		{"congdan", fileURL, 200},
		{"tiepnhan", fileURL, 200},   // any counter while the dossier waits to be received
		{"chuyenvien", fileURL, 200}, // the competent agency
		{"congdan2", fileURL, 404},
		{"congan", fileURL, 404},
		{"congdan", "/ho-so/" + d.Code + "/tep/khong-co", 404},
		{"congdan", "/ho-so/000.00.50.H01-261123-99999/tep/" + d.Components[0].FileID, 404},
	} {
		t.Run(tc.user+tc.path, func(t *testing.T) {
			res, got := f.browser(t, tc.user).getRaw(tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if tc.status != 200 {
				return
			}
			if got != minimalPDF {
				t.Errorf("bytes served differ from the upload (%d bytes)", len(got))
			}
			h := res.Header
			if h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline") || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", h)
			}
		})
	}
	if n := f.auditCount(t, "dossier.file.read") - before; n != 3 {
		t.Errorf("%d file reads audited, want 3", n)
	}
	anon := &browser{t: t, f: f, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if res, _ := anon.getRaw(fileURL); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous = %d, want a redirect to the login page", res.StatusCode)
	}
}

// TestDossierPageFormData: the declaration is shown as a definition list
// labelled with the schema's titles, nested groups included; the page
// speaks English after the switch.
func TestDossierPageFormData(t *testing.T) {
	f := newFixture(t)
	st, dv, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	b := f.browser(t, "congdan")
	_, page := b.get("/ho-so/" + dv.Code)
	for _, want := range []string{`class="formdata"`, "<dt>Họ, chữ đệm và tên người yêu cầu</dt>", "<dt>Thông tin trẻ em</dt>", "Tờ khai", "Phím tắt", `accesskey="h"`} {
		if !strings.Contains(page, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
	b.get("/ngon-ngu?lang=en&next=/")
	_, page = b.get("/ho-so/" + dv.Code)
	for _, want := range []string{"Dossier " + dv.Code, "Withdraw", "I confirm that I withdraw the dossier", "Declaration", "Status"} {
		if !strings.Contains(page, want) {
			t.Errorf("English dossier page lacks %q: %s", want, page[strings.Index(page, "<main"):])
		}
	}
}

// supplementRequested brings a new online dossier of congdan to "supplement
// requested" and returns its code.
func supplementRequested(t *testing.T, f *fixture) string {
	t.Helper()
	st, dv, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	for _, a := range []struct{ user, body string }{
		{"tiepnhan", `{"action":"receive"}`},
		{"chuyenvien", `{"action":"request_supplement","note":"Nộp lại giấy chứng sinh rõ nét"}`},
	} {
		if st, _, b := f.act(t, a.user, dv.Code, a.body); st != 200 {
			t.Fatalf("%s: %d %s", a.body, st, b)
		}
	}
	return dv.Code
}

// TestSupplementFromPortal: the applicant hands in the requested files with
// a note from the dossier page; the dossier goes back to processing with the
// new components, audited; bad input changes nothing.
func TestSupplementFromPortal(t *testing.T) {
	f := newFixture(t)
	code := supplementRequested(t, f)
	citizen := f.browser(t, "congdan")
	_, page := citizen.get("/ho-so/" + code)
	for _, want := range []string{`action="/ho-so/` + code + `/bo-sung"`, "Nộp lại giấy chứng sinh rõ nét", `name="tp-TP02"`, "Gửi bổ sung"} {
		if !strings.Contains(page, want) {
			t.Errorf("supplement form lacks %q", want)
		}
	}
	old := f.stored(t, code)
	const newPDF = "%PDF-1.4\n% giay chung sinh ban ro net\n" + "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
	noToken := *citizen
	noToken.csrf = ""
	for _, tc := range []struct {
		name   string
		b      *browser
		user   string
		files  map[string]string
		status int
		want   string
	}{
		{"no CSRF token", &noToken, "", map[string]string{"tp-TP02": newPDF}, 403, "hết hạn"},
		{"not a PDF", citizen, "", map[string]string{"tp-TP02": "xin chào"}, 422, "Giấy chứng sinh"},
		{"another citizen", nil, "congdan2", map[string]string{"tp-TP02": newPDF}, 404, ""},
		{"specialist", nil, "chuyenvien", map[string]string{"tp-TP02": newPDF}, 403, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			if b == nil {
				b = f.browser(t, tc.user)
			}
			// The current version, so that what is refused is the rest.
			res, page := b.postMultipart("/ho-so/"+code+"/bo-sung", map[string]string{"note": "Đã nộp lại", "version": strconv.Itoa(old.Version)}, tc.files)
			if res.StatusCode != tc.status || !strings.Contains(page, tc.want) {
				t.Fatalf("status %d, want %d with %q: %.300s", res.StatusCode, tc.status, tc.want, page)
			}
			if d := f.stored(t, code); d.Version != old.Version || d.Status != dossier.StatusSupplement {
				t.Errorf("refused supplement changed the dossier: v%d status %d", d.Version, d.Status)
			}
		})
	}
	auditsBefore := f.auditCount(t, "dossier.components")
	res, _ := citizen.postMultipart("/ho-so/"+code+"/bo-sung", map[string]string{"note": "Đã nộp lại bản rõ nét"}, map[string]string{"tp-TP02": newPDF})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/ho-so/"+code {
		t.Fatalf("supplement = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	d := f.stored(t, code)
	if d.Status != dossier.StatusProcessing {
		t.Errorf("status after the supplement = %d, want 4", d.Status)
	}
	var newID string
	for i, c := range d.Components {
		if c.Code == "TP02" {
			newID = c.FileID
			if c.FileID == old.Components[i].FileID || c.Name == "" {
				t.Errorf("TP02 not replaced: %+v", c)
			}
		} else if c.FileID != old.Components[i].FileID {
			t.Errorf("component %s changed", c.Code)
		}
	}
	if len(d.Components) != len(old.Components) || newID == "" {
		t.Fatalf("components %+v", d.Components)
	}
	if ev := d.History[len(d.History)-1]; ev.Action != dossier.ActSupplement || ev.Note != "Đã nộp lại bản rõ nét" {
		t.Errorf("last event %+v", ev)
	}
	if n := f.auditCount(t, "dossier.components") - auditsBefore; n != 1 {
		t.Errorf("%d component audits, want 1", n)
	}
	if _, got := f.browser(t, "chuyenvien").getRaw("/ho-so/" + code + "/tep/" + newID); got != newPDF {
		t.Error("the handler does not get the new file's bytes")
	}
	if _, page := citizen.get("/ho-so/" + code); strings.Contains(page, "/bo-sung\"") {
		t.Error("supplement form still offered after the supplement")
	}
}

// TestSupplementAPIComponents: the use case refuses components with another
// action and files the actor did not upload.
func TestSupplementAPIComponents(t *testing.T) {
	f := newFixture(t)
	code := supplementRequested(t, f)
	_, mine := f.upload(t, "congdan", "application/pdf", minimalPDF)
	_, theirs := f.upload(t, "congdan2", "application/pdf", minimalPDF)
	for _, tc := range []struct {
		name  string
		in    string
		want  int
		field string
	}{
		{"someone else's file", `{"action":"supplement","components":[{"code":"TP02","file_id":"` + theirs + `"}]}`, 422, "components[0].file_id"},
		{"unknown component", `{"action":"supplement","components":[{"code":"TP99","file_id":"` + mine + `"}]}`, 422, "components[0].code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in struct {
				Action     string
				Components []struct{ Code, FileID string }
			}
			_ = json.Unmarshal([]byte(tc.in), &in)
			ai := appActionInput(in.Action, in.Components)
			_, err := f.app.Dossiers.Act(context.Background(), f.actor(t, "congdan"), code, ai)
			if err == nil || !strings.Contains(errFields(err), tc.field) {
				t.Fatalf("err = %v, want a problem with %s", err, tc.field)
			}
		})
	}
	ai := appActionInput("withdraw", []struct{ Code, FileID string }{{"TP02", mine}})
	ai.Note = "thử"
	if _, err := f.app.Dossiers.Act(context.Background(), f.actor(t, "congdan"), code, ai); err == nil || !strings.Contains(errFields(err), "components") {
		t.Errorf("components with withdraw: err = %v", err)
	}
	if d := f.stored(t, code); d.Status != dossier.StatusSupplement {
		t.Errorf("status %d after refused actions", d.Status)
	}
}

// TestWithdrawNeedsConfirmation: withdrawing from the page needs a reason
// and the confirmation box; without them nothing changes.
func TestWithdrawNeedsConfirmation(t *testing.T) {
	f := newFixture(t)
	st, dv, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	citizen := f.browser(t, "congdan")
	if _, page := citizen.get("/ho-so/" + dv.Code); !strings.Contains(page, `name="xac-nhan"`) || !strings.Contains(page, "Tôi xác nhận rút hồ sơ") {
		t.Fatal("no withdrawal form with a confirmation box")
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"nothing", url.Values{}, 422, "Cần ghi rõ lý do rút hồ sơ."},
		{"reason only", url.Values{"note": {"Không còn nhu cầu"}}, 422, "Tôi xác nhận rút hồ sơ"},
		{"confirmation only", url.Values{"xac-nhan": {"1"}}, 422, "Cần ghi rõ lý do"},
		{"bad token", url.Values{"note": {"x"}, "xac-nhan": {"1"}, "csrf": {"00000000000000000000000000000000"}}, 403, "hết hạn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("action", "withdraw")
			res, page := citizen.post("/ho-so/"+dv.Code+"/thao-tac", tc.form)
			if res.StatusCode != tc.status || !strings.Contains(page, tc.want) || !strings.Contains(page, `role="alert"`) {
				t.Fatalf("status %d, want %d with %q", res.StatusCode, tc.status, tc.want)
			}
			if d := f.stored(t, dv.Code); d.Status != dossier.StatusNew {
				t.Fatalf("status %d", d.Status)
			}
		})
	}
	res, _ := citizen.post("/ho-so/"+dv.Code+"/thao-tac", url.Values{"action": {"withdraw"}, "note": {"Không còn nhu cầu"}, "xac-nhan": {"1"}})
	if res.StatusCode != 303 {
		t.Fatalf("confirmed withdrawal = %d", res.StatusCode)
	}
	if d := f.stored(t, dv.Code); d.Status != dossier.StatusWithdrawn || d.Reason != "Không còn nhu cầu" {
		t.Errorf("status %d reason %q", d.Status, d.Reason)
	}
}

// TestDossierPageKeyboard: the note field is focused first and has an
// access key, the first action too, and the keys are documented.
func TestDossierPageKeyboard(t *testing.T) {
	f := newFixture(t)
	st, dv, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	_, page := f.browser(t, "tiepnhanxa").get("/ho-so/" + dv.Code)
	for _, want := range []string{`accesskey="n" aria-describedby="phim-tat" autofocus`, `value="receive" accesskey="s"`, "<kbd>N</kbd>", `src="/static/app.js?v=`} {
		if !strings.Contains(page, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
	if strings.Index(page, `id="note"`) > strings.Index(page, `value="receive"`) {
		t.Error("the note comes after the buttons in the tab order")
	}
}

// actor is the app actor of a demo account.
func (f *fixture) actor(t *testing.T, user string) identity.Actor {
	t.Helper()
	acc, err := f.store.AccountByUsername(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return identity.Actor{Account: &acc, IP: "127.0.0.1"}
}

func appActionInput(action string, comps []struct{ Code, FileID string }) dossier.Request {
	in := dossier.Request{Action: dossier.Action(action)}
	for _, c := range comps {
		in.Files = append(in.Files, dossier.ComponentInput{Code: c.Code, FileID: c.FileID})
	}
	return in
}

// errFields lists the fields an error names.
func errFields(err error) string {
	e, ok := errs.As(err)
	if !ok {
		return ""
	}
	var names []string
	for _, fe := range e.Fields {
		names = append(names, fe.Field)
	}
	return strings.Join(names, " ")
}
