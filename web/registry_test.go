package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/registry"
	"golang.org/x/text/unicode/norm"
)

// TestRegistryLookups: who may read which fields of the population
// dataset, for which purpose, and the audit of every read.
func TestRegistryLookups(t *testing.T) {
	f := newFixture(t)
	const an = "001090012345" // congdan
	// congdan's birth registration, received: at the commune specialist's step.
	st, d0, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", d0.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	appraise := "/api/v1/registry/population/records/" + an + "?purpose=appraisal&procedure=1.001193&dossier=" + d0.Code
	scs := []scenario{
		{"official appraises for a dossier at his step", "GET", appraise, "chuyenvien", "", 200, []string{`"household_id"`}, nil},
		{"official names no dossier", "GET", "/api/v1/registry/population/records/" + an + "?purpose=appraisal&procedure=1.001193", "chuyenvien", "", 422, []string{"mã hồ sơ"}, nil},
		{"official names a dossier that does not exist", "GET", "/api/v1/registry/population/records/" + an + "?purpose=appraisal&procedure=1.001193&dossier=NONEXISTENT", "chuyenvien", "", 422, []string{"Không có hồ sơ"}, nil},
		{"official not at the dossier's step", "GET", appraise, "lanhdao", "", 403, []string{"không đang xử lý"}, nil},
		{"official of another agency", "GET", appraise, "congan", "", 403, nil, nil},
		{"official reads someone the dossier does not name", "GET", "/api/v1/registry/population/records/001195004321?purpose=appraisal&dossier=" + d0.Code, "chuyenvien", "", 403, []string{"không phải của người nộp"}, []string{"Lê"}},
		{"citizen reads own for prefill", "GET", "/api/v1/registry/population/records/" + an + "?purpose=prefill", "congdan", "", 200, []string{`"Nguyễn Văn An"`}, nil},
		{"citizen may not read another", "GET", "/api/v1/registry/population/records/001195004321?purpose=prefill", "congdan", "", 404, nil, nil},
		{"citizen may not appraise", "GET", "/api/v1/registry/population/records/" + an + "?purpose=appraisal", "congdan", "", 403, []string{"Không có quyền"}, nil},
		{"purpose is required", "GET", "/api/v1/registry/population/records/" + an, "chuyenvien", "", 422, nil, nil},
		{"unknown dataset", "GET", "/api/v1/registry/khong-co/records/" + an + "?purpose=appraisal", "chuyenvien", "", 404, nil, nil},
		{"anonymous", "GET", "/api/v1/registry/population/records/" + an + "?purpose=prefill", "", "", 401, nil, nil},
		{"enterprise has no own population record", "GET", "/api/v1/registry/population/records/" + an + "?purpose=prefill", "doanhnghiep", "", 403, nil, nil},
		{"datasets for auditors", "GET", "/api/v1/registry/datasets", "quantri", "", 200, []string{`"CSDLQGDC"`}, nil},
		{"datasets not for citizens", "GET", "/api/v1/registry/datasets", "congdan", "", 403, nil, nil},
		{"quality report", "GET", "/api/v1/registry/population/quality", "quantri", "", 200, []string{`"unified"`}, nil},
		{"quality not for officials", "GET", "/api/v1/registry/population/quality", "chuyenvien", "", 403, nil, nil},
	}
	f.run(t, scs)

	// A citizen's prefill read is limited to the prefill fields.
	_, b = f.do(t, "GET", "/api/v1/registry/population/records/"+an+"?purpose=prefill", f.token(t, "congdan"), "")
	var rec registry.Record
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if _, ok := rec.Data["household_id"]; ok || rec.Data["residence_commune"] == "" {
		t.Errorf("prefill projection = %v", rec.Data)
	}
	// Every read is audited with its purpose, procedure, dossier.
	es, err := f.store.AuditEntries(context.Background(), audit.Filter{Action: "registry.lookup", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range es {
		var d map[string]any
		_ = json.Unmarshal(e.Details, &d)
		if d["purpose"] == "appraisal" && d["procedure"] == "1.001193" && d["dossier"] == d0.Code && e.Actor == "chuyenvien" {
			found = true
		}
	}
	if !found || len(es) < 4 {
		t.Errorf("audit of look-ups: %d entries, appraisal entry found %v", len(es), found)
	}
}

// TestPrefillAndReplacement is the contract: congdan submits a
// procedure with a replaceable component and uploads nothing for it; the
// dossier records the database used and the reused item; the result
// written back is found by the next procedure, and the personal store
// offers it in one click.
func TestPrefillAndReplacement(t *testing.T) {
	f := newFixture(t)
	withPKI(t, f)
	// Prefill from the population dataset for a verified citizen.
	res, b := f.do(t, "GET", "/api/v1/procedures/1.001193/prefill", f.token(t, "congdan"), "")
	var pre struct {
		Values   map[string]string
		Datasets []string
	}
	if err := json.Unmarshal(b, &pre); err != nil || res.StatusCode != 200 {
		t.Fatalf("prefill = %d %s", res.StatusCode, b)
	}
	if pre.Values["population.full_name"] != "Nguyễn Văn An" || pre.Values["population.birth_date"] != "1990-05-14" ||
		!strings.Contains(pre.Values["population.address"], "Số 18, ngõ 25, phố Văn Cao, ") || !slices.Equal(pre.Datasets, []string{"population"}) {
		t.Errorf("prefill = %+v", pre)
	}
	if _, b := f.do(t, "GET", "/api/v1/procedures/1.001193/prefill", f.token(t, "doanhnghiep"), ""); !strings.Contains(string(b), `"values":{}`) {
		t.Errorf("enterprise prefill = %s", b)
	}
	if f.auditCount(t, "registry.prefill") != 1 {
		t.Error("prefill not audited")
	}

	// Submit birth registration: TP03 (residence, replaceable, required)
	// is not uploaded.
	p, err := f.store.Procedure(context.Background(), "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	form := catalog.SampleData(schema)
	form["tre_em"].(map[string]any)["so_dinh_danh"] = "001226000777"
	form["cha"] = map[string]any{"ho_ten": "Nguyễn Văn An"}
	var comps []map[string]any
	for _, c := range p.Components {
		if c.Required && c.ReplaceableBy == nil {
			st, id := f.upload(t, "congdan", "application/pdf", minimalPDF)
			if st != 201 {
				t.Fatalf("upload = %d", st)
			}
			comps = append(comps, map[string]any{"code": c.Code, "file_id": id})
		}
	}
	body, _ := json.Marshal(map[string]any{"procedure_code": "1.001193", "form": form, "components": comps, "prefilled": []string{"population"}})
	res, b = f.do(t, "POST", "/api/v1/dossiers", f.token(t, "congdan"), string(body))
	if res.StatusCode != 201 {
		t.Fatalf("submit without the replaceable component = %d %s", res.StatusCode, b)
	}
	var d dossierView
	_ = json.Unmarshal(b, &d)
	stored := f.stored(t, d.Code)
	var tp03 *dossier.Component
	for i := range stored.Components {
		if stored.Components[i].Code == "TP03" {
			tp03 = &stored.Components[i]
		}
	}
	if tp03 == nil || tp03.Data == nil || !tp03.Reused || tp03.FileID != "" || tp03.Data.Key != "001090012345" || tp03.Data.Values["full_name"] == "" || tp03.Data.Values["residence_address"] != "" {
		t.Fatalf("TP03 = %+v", tp03)
	}
	if !slices.Equal(stored.Databases, []string{"CSDLQGDC"}) {
		t.Errorf("databases = %v", stored.Databases)
	}
	es, _ := f.store.AuditEntries(context.Background(), audit.Filter{Action: "registry.lookup", Limit: 100})
	if len(es) == 0 || !strings.Contains(string(es[0].Details), d.Code) || !strings.Contains(string(es[0].Details), `"replace"`) {
		t.Errorf("replacement read not audited with the dossier: %d entries", len(es))
	}
	// The officials see the reused item marked.
	_, page := f.browser(t, "chuyenvien").get("/ho-so/" + d.Code)
	if !strings.Contains(page, "Thay thế bằng dữ liệu") || !strings.Contains(page, "CSDLQGDC") {
		t.Error("the dossier page does not mark the replaced component")
	}

	// Refused replacements: a component that is not replaceable, and
	// somebody else's record.
	for _, tc := range []struct{ name, comps string }{
		{"not replaceable", `[{"code":"TP01","data":{"dataset":"population"}}]`},
		{"another person's record", `[{"code":"TP03","data":{"dataset":"population","key":"001195004321"}}]`},
		{"wrong dataset", `[{"code":"TP03","data":{"dataset":"land"}}]`},
	} {
		if st, _, b := f.submit(t, "congdan", "1.001193", `{"components":`+tc.comps+`}`); st != 422 {
			t.Errorf("%s: submit = %d %s", tc.name, st, b)
		}
	}

	// Handle it to the end: the result is written back.
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	d = f.handleToDone(t, d.Code)
	birth, err := f.store.DatasetRecord(context.Background(), registry.CivilStatus, d.Code)
	if err != nil || birth.Subject != "001226000777" || birth.Data["kind"] != registry.KindBirth || birth.Data["father_name"] != "Nguyễn Văn An" || birth.Source != "result:"+d.Code {
		t.Fatalf("birth record written back = %+v, %v", birth, err)
	}
	stored = f.stored(t, d.Code)
	if r, err := f.store.DatasetRecord(context.Background(), registry.Results, stored.Result.ID); err != nil || r.Subject != "001226000777" { // the holder: the child
		t.Errorf("results record = %+v, %v", r, err)
	}
	// The child's next procedure can reuse the birth record.
	recs, err := f.store.DatasetRecordsBySubject(context.Background(), registry.CivilStatus, "001226000777", 5)
	if err != nil || len(recs) != 1 {
		t.Errorf("child's civil-status records = %v, %v", recs, err)
	}

	// The personal store holds the result; share it and reuse it.
	res, b = f.do(t, "GET", "/api/v1/wallet", f.token(t, "congdan"), "")
	var docs struct {
		Items []struct {
			ID, Title string
			ResultID  string `json:"result_id"`
			Shared    bool
		}
	}
	_ = json.Unmarshal(b, &docs)
	if res.StatusCode != 200 || len(docs.Items) != 1 || docs.Items[0].ResultID != stored.Result.ID {
		t.Fatalf("wallet = %d %s", res.StatusCode, b)
	}
	doc := docs.Items[0].ID
	if res, _ := f.do(t, "GET", "/api/v1/wallet", f.token(t, "chuyenvien"), ""); res.StatusCode != 403 {
		t.Errorf("official's wallet = %d", res.StatusCode)
	}
	anon := f.browser(t, "congdan2")
	if st, _ := anon.get("/chia-se/" + doc); st != 404 {
		t.Errorf("unshared document page = %d", st)
	}
	citizen := f.browser(t, "congdan")
	_, page = citizen.get("/kho-du-lieu")
	if !strings.Contains(page, "Giấy khai sinh") || !strings.Contains(page, "/xac-thuc/"+stored.Result.ID) {
		t.Error("the store page does not list the result")
	}
	if res, _ := citizen.post("/kho-du-lieu/"+doc+"/chia-se", url.Values{"shared": {"1"}}); res.StatusCode != 303 {
		t.Fatalf("share = %d", res.StatusCode)
	}
	if st, page := anon.get("/chia-se/" + doc); st != 200 || !strings.Contains(page, "001******345") || strings.Contains(page, "001090012345") {
		t.Errorf("shared page = %d", st)
	}
	if res, pdf := anon.getRaw("/chia-se/" + doc + "/tep"); res.StatusCode != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Errorf("shared file = %d", res.StatusCode)
	}
	if res, _ := f.do(t, "POST", "/api/v1/wallet/"+doc+"/share", f.token(t, "congdan2"), `{"shared":false}`); res.StatusCode != 404 {
		t.Errorf("another citizen unshares = %d", res.StatusCode)
	}
	// The holder revokes the link: the page and the file are gone.
	if res, _ := citizen.post("/kho-du-lieu/"+doc+"/chia-se", url.Values{"shared": {"0"}}); res.StatusCode != 303 {
		t.Fatalf("revoke = %d", res.StatusCode)
	}
	if st, _ := anon.get("/chia-se/" + doc); st != 404 {
		t.Errorf("revoked share page = %d", st)
	}
	if res, _ := anon.getRaw("/chia-se/" + doc + "/tep"); res.StatusCode != 404 {
		t.Errorf("revoked share file = %d", res.StatusCode)
	}
	// Reuse in one click: the wizard offers the document, the dossier
	// marks the component as taken from the store.
	_, page = citizen.get("/thu-tuc/1.004884/nop")
	if !strings.Contains(page, `name="kho-TP02"`) || !strings.Contains(page, `value="`+doc+`"`) {
		t.Error("the wizard does not offer the stored document")
	}
	if issued := stored.Result.SignedAt.In(calendar.VN).Format("02/01/2006"); !strings.Contains(page, " — "+issued+"</option>") {
		t.Errorf("the wizard does not date the stored document %s the Vietnamese way", issued)
	}
	st, d2, b := f.submit(t, "congdan", "1.004884", `{"components":[{"code":"TP02","document_id":"`+doc+`"}]}`)
	if st != 201 {
		t.Fatalf("submit with a stored document = %d %s", st, b)
	}
	s2 := f.stored(t, d2.Code)
	var tp01 *dossier.Component
	for i := range s2.Components {
		if s2.Components[i].Code == "TP02" {
			tp01 = &s2.Components[i]
		}
	}
	if tp01 == nil || !tp01.FromStore || !tp01.Reused || tp01.DocumentID != doc {
		t.Fatalf("TP01 = %+v", tp01)
	}
	if st, _, _ := f.submit(t, "congdan2", "1.004884", `{"components":[{"code":"TP02","document_id":"`+doc+`"}]}`); st != 422 {
		t.Errorf("another citizen reuses the document = %d", st)
	}
	if res, body := f.browser(t, "chuyenvien").getRaw("/ho-so/" + d2.Code); res.StatusCode != 200 || !strings.Contains(body, "Lấy từ kho dữ liệu cá nhân") {
		t.Error("the dossier page does not mark the stored document")
	}
}

// TestWizardReplacement: the wizard prefills a verified citizen's form,
// offers the data for the replaceable component instead of an upload, and
// the submission without that file succeeds.
func TestWizardReplacement(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "congdan")
	_, page := b.get("/thu-tuc/1.001193/nop")
	for _, want := range []string{`value="Nguyễn Văn An"`, `name="dl-TP03" value="1" checked`, "Thông tin cư trú", `name="prefilled" value="population"`} {
		if !strings.Contains(page, want) {
			t.Errorf("wizard lacks %q", want)
		}
	}
	if strings.Contains(page, `name="tp-TP03" accept="application/pdf,image/jpeg,image/png" required`) {
		t.Error("the replaced component's file is still required")
	}
	// A submission with mistakes comes back with the data still offered
	// (read only then, not on every submission).
	reads := f.auditCount(t, "registry.lookup")
	res, page := b.postMultipart("/thu-tuc/1.001193/nop", map[string]string{"ho_ten_nguoi_yeu_cau": "Nguyễn Văn An"}, nil)
	if res.StatusCode != 422 || !strings.Contains(page, `name="dl-TP03" value="1" checked`) || f.auditCount(t, "registry.lookup") != reads+1 {
		t.Errorf("form shown again = %d, data offered %v", res.StatusCode, strings.Contains(page, `name="dl-TP03"`))
	}
	// At a counter, the walk-in's data is offered the same way, and the
	// form is prefilled from the population dataset.
	_, page = f.browser(t, "tiepnhan").get("/quay/thu-tuc/1.001193?cccd=001090012345")
	for _, want := range []string{`name="dl-TP03" value="1" checked`, `value="Nguyễn Văn An"`, "Số 18, ngõ 25, phố Văn Cao"} {
		if !strings.Contains(page, want) {
			t.Errorf("counter form lacks %q", want)
		}
	}
	// congdan2 has no household record in the demo: the upload stays
	// required.
	_, page = f.browser(t, "congdan2").get("/thu-tuc/1.004222/nop")
	if strings.Contains(page, `name="dl-TP02"`) {
		t.Error("land parcel offered to a citizen who has none")
	}
}

// TestAdminDataPages: the console lists the datasets with their sizes,
// shows a dataset's policy, runs the quality report and lists the
// quarantine (read audited).
func TestAdminDataPages(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	st, page := b.get("/quan-tri/du-lieu")
	if st != 200 || !strings.Contains(page, "CSDLQGDC") || !strings.Contains(page, "Cơ sở dữ liệu hộ tịch điện tử") || !strings.Contains(page, "Tiến độ số hóa") {
		t.Fatalf("data page = %d", st)
	}
	st, page = b.get("/quan-tri/du-lieu/population")
	if st != 200 || !strings.Contains(page, "Điền sẵn tờ khai") || !strings.Contains(page, "Công dân (dữ liệu của chính mình)") || strings.Contains(page, "Tỷ lệ đạt") {
		t.Fatalf("dataset page = %d", st)
	}
	st, page = b.get("/quan-tri/du-lieu/population?kiem-tra=1")
	for _, want := range []string{"Tỷ lệ đạt", "Thống nhất", "Sống", "%"} {
		if st != 200 || !strings.Contains(page, want) {
			t.Errorf("quality report page = %d, lacks %q", st, want)
		}
	}
	if f.auditCount(t, "registry.quarantine.read") == 0 || f.auditCount(t, "registry.quality") != 1 {
		t.Error("console reads not audited")
	}
	if st, _ := b.get("/quan-tri/du-lieu/khong-co"); st != 404 {
		t.Errorf("unknown dataset page = %d", st)
	}
}

// TestBirthRegistrationJoinedUp walks a demo birth dossier: the leader
// reviews the draft at the signing step; the birth certificate issued
// names the child as holder, carries the register number and the
// chairman's title and name, leaves out the requester's contact fields and
// is valid for pdfsig; the child gets a personal ID and a civil-status
// record; nothing is quarantined.
func TestBirthRegistrationJoinedUp(t *testing.T) {
	f := newFixture(t)
	ca := withPKI(t, f)
	form := `{"form":{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345","dia_chi_cu_tru":"Số 18, ngõ 25, phố Văn Cao",
		"so_dien_thoai":"0912345678","email":"congdan@example.vn","quan_he_voi_tre":"Cha",
		"tre_em":{"ho_ten":"Nguyễn Minh Khôi","ngay_sinh":"2026-11-05","gioi_tinh":"Nam","noi_sinh":"Phường Ba Đình, Thành phố Hà Nội","dan_toc":"Kinh","quoc_tich":"Việt Nam"},
		"me":{"ho_ten":"Lê Thị Mai","ngay_sinh":"1992-09-02","so_dinh_danh":"001192007788","dan_toc":"Kinh","quoc_tich":"Việt Nam","noi_cu_tru":"Số 18, ngõ 25, phố Văn Cao"}}}`
	st, d, b := f.submit(t, "congdan", "1.001193", form)
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	users := map[string]string{"specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}
	for d = f.get(t, "chuyenvien", d.Code); d.CurrentStep != nil && d.CurrentStep.Role != "leader"; {
		if st, next, b := f.act(t, users[d.CurrentStep.Role], d.Code, `{"action":"complete_step"}`); st != 200 {
			t.Fatalf("complete_step = %d %s", st, b)
		} else {
			d = next
		}
	}
	leader := f.browser(t, "lanhdao")
	if _, page := leader.get("/ho-so/" + d.Code); !strings.Contains(page, "/ho-so/"+d.Code+"/du-thao") {
		t.Error("the leader's page does not link the draft")
	} else if !strings.Contains(page, "kết quả mang chữ ký số cá nhân của lãnh đạo hoàn thành bước ký") { // the demo communes sign personally
		t.Error("the leader's page does not say the result will carry the leader's personal signature")
	}
	res, draftBody := leader.getRaw("/ho-so/" + d.Code + "/du-thao")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(pdfText(t, []byte(draftBody)), "DỰ THẢO") {
		t.Errorf("draft = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if st, _ := f.browser(t, "congdan").get("/ho-so/" + d.Code + "/du-thao"); st == 200 {
		t.Error("the citizen sees the draft")
	}
	f.handleToDone(t, d.Code)
	stored := f.stored(t, d.Code)
	r := stored.Result
	if r == nil || r.Number != "1" || r.HolderName != "Nguyễn Minh Khôi" || len(r.HolderID) != 12 {
		t.Fatalf("result = %+v", r)
	}
	res, pdf := f.browser(t, "congdan").getRaw("/ho-so/" + d.Code + "/ket-qua")
	if res.StatusCode != 200 {
		t.Fatalf("download = %d", res.StatusCode)
	}
	text := pdfText(t, []byte(pdf))
	for _, want := range []string{"GIẤY KHAI SINH", "Số: 1 ", "NGUYỄN MINH KHÔI", "Số định danh cá nhân: " + r.HolderID, "NGƯỜI KÝ GIẤY KHAI SINH", "CHỦ TỊCH", "Phạm Quốc Hùng"} {
		if !strings.Contains(text, want) {
			t.Errorf("the birth certificate lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"congdan@example.vn", "0912345678", "Đỗ Thu Trang"} {
		if strings.Contains(text, not) {
			t.Errorf("the birth certificate carries %q", not)
		}
	}
	pdfsigCheck(t, ca, []byte(pdf))
	_, page := (&browser{t: t, f: f, c: &http.Client{}}).get("/xac-thuc/" + r.ID)
	if !strings.Contains(page, "Nguyễn M. K***") || !strings.Contains(page, "Chủ tịch Phạm Quốc Hùng") {
		t.Errorf("the verification page does not name the child and the signer:\n%s", page)
	}
	rec, err := f.store.DatasetRecord(context.Background(), registry.CivilStatus, d.Code)
	if err != nil || rec.Data["citizen_id"] != r.HolderID || rec.Data["full_name"] != "Nguyễn Minh Khôi" {
		t.Errorf("civil-status record = %+v, %v", rec, err)
	}
	if _, err := f.store.DatasetRecord(context.Background(), registry.Population, r.HolderID); err != nil {
		t.Errorf("population record of the child: %v", err)
	}
	for _, ds := range []string{registry.CivilStatus, registry.Population} {
		if _, n, err := f.store.Quarantined(context.Background(), ds, 10); err != nil || n != 0 {
			t.Errorf("%s: %d quarantined, %v", ds, n, err)
		}
	}
	if f.auditCount(t, "registry.quarantine") != 0 || f.auditCount(t, "registry.write_back") != 3 {
		t.Error("write-backs (results, population, civil status) not audited")
	}
}

// pdfText is the text of a PDF by pdftotext, spaces folded (skipped
// without pdftotext, unless CI is set).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is required on CI")
		}
		t.Skip("pdftotext not installed")
	}
	file := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(norm.NFC.String(string(out))), " ")
}

// TestCounterReplacement: a counter officer files a walk-in's dossier
// without scanning the paper the population data replaces; the record
// found is the walk-in's, read under the receiver's grant and audited.
func TestCounterReplacement(t *testing.T) {
	f := newFixture(t)
	if n, err := f.store.DatasetCount(context.Background(), registry.Population); err != nil || n != demo.SamplePeople+3 {
		t.Errorf("demo population = %d, %v; want the sample and the 3 demo people", n, err)
	}
	p, err := f.store.Procedure(context.Background(), "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	_ = json.Unmarshal(p.FormSchema, &schema)
	var comps []map[string]any
	for _, c := range p.Components {
		if c.Required && c.ReplaceableBy == nil {
			st, id := f.upload(t, "tiepnhan", "application/pdf", minimalPDF)
			if st != 201 {
				t.Fatalf("upload = %d", st)
			}
			comps = append(comps, map[string]any{"code": c.Code, "file_id": id})
		}
	}
	body, _ := json.Marshal(map[string]any{"procedure_code": "1.001193", "form": catalog.SampleData(schema), "components": comps,
		"applicant": map[string]any{"name": "Nguyễn Văn An", "citizen_id": "001090012345"}, "commune_code": "00004"})
	res, b := f.do(t, "POST", "/api/v1/dossiers", f.token(t, "tiepnhan"), string(body))
	if res.StatusCode != 201 {
		t.Fatalf("walk-in submission without the residence paper = %d %s", res.StatusCode, b)
	}
	var d dossierView
	_ = json.Unmarshal(b, &d)
	stored := f.stored(t, d.Code)
	i := slices.IndexFunc(stored.Components, func(c dossier.Component) bool { return c.Code == "TP03" })
	if i < 0 || stored.Components[i].Data == nil || stored.Components[i].Data.Key != "001090012345" {
		t.Fatalf("TP03 = %+v", stored.Components)
	}
	es, _ := f.store.AuditEntries(context.Background(), audit.Filter{Action: "registry.lookup", Limit: 10})
	if len(es) == 0 || es[0].Actor != "tiepnhan" || !strings.Contains(string(es[0].Details), d.Code) {
		t.Errorf("the counter's read is not audited with the dossier")
	}
	// A walk-in without a population record still needs the paper.
	body, _ = json.Marshal(map[string]any{"procedure_code": "1.001193", "form": catalog.SampleData(schema), "components": comps,
		"applicant": map[string]any{"name": "Lê Văn Bình", "citizen_id": "001085004567"}, "commune_code": "00004"})
	if res, b := f.do(t, "POST", "/api/v1/dossiers", f.token(t, "tiepnhan"), string(body)); res.StatusCode != 422 || !strings.Contains(string(b), "TP03") {
		t.Errorf("walk-in without data and without the paper = %d %s", res.StatusCode, b)
	}
}

// TestAPIClaimedReuse: "prefilled" of a submission is a claim the server
// checks against the prefill it served: the databases the dossier names
// (DSKetNoiCSDL) never include a dataset it did not read.
func TestAPIClaimedReuse(t *testing.T) {
	f := newFixture(t)
	claims := `{"prefilled":["population","land","xyz"]}`
	databases := func(t *testing.T) []string {
		t.Helper()
		st, d, b := f.submit(t, "congdan", "1.001193", claims)
		if st != 201 {
			t.Fatalf("submit = %d %s", st, b)
		}
		var out struct{ Databases []string }
		_ = json.Unmarshal(b, &out)
		if stored := f.stored(t, d.Code).Databases; !slices.Equal(stored, out.Databases) {
			t.Errorf("stored databases %v, answered %v", stored, out.Databases)
		}
		return out.Databases
	}
	if got := databases(t); len(got) != 0 {
		t.Errorf("databases without a prefill = %v, want none", got)
	}
	res, b := f.do(t, "GET", "/api/v1/procedures/1.001193/prefill", f.token(t, "congdan"), "")
	if res.StatusCode != 200 || !strings.Contains(string(b), `"population"`) {
		t.Fatalf("prefill = %d %s", res.StatusCode, b)
	}
	if got := databases(t); !slices.Equal(got, []string{"CSDLQGDC"}) {
		t.Errorf("databases after the prefill = %v, want [CSDLQGDC]", got)
	}
}
