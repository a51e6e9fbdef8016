package results_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"golang.org/x/text/unicode/norm"
)

// birthForm is a declaration of congdan for his newborn son, who has no
// personal ID yet; the mother is in the population dataset.
func birthForm() map[string]any {
	return map[string]any{
		"ho_ten_nguoi_yeu_cau": "Nguyễn Văn An", "so_dinh_danh": "001090012345", "ngay_sinh": "1990-05-14", "gioi_tinh": "Nam",
		"dia_chi_cu_tru": "Số 18, ngõ 25, phố Văn Cao", "so_dien_thoai": "0912345678", "email": "congdan@example.vn", "quan_he_voi_tre": "Cha",
		"tre_em": map[string]any{"ho_ten": "Nguyễn Minh Khôi", "ngay_sinh": "2026-11-05", "gioi_tinh": "Nam", "noi_sinh": "Phường Ba Đình, Thành phố Hà Nội",
			"que_quan": "Xã Đông Anh, Thành phố Hà Nội", "dan_toc": "Kinh", "quoc_tich": "Việt Nam"},
		"me":  map[string]any{"ho_ten": "Lê Thị Mai", "ngay_sinh": "1992-09-02", "so_dinh_danh": "001192007788", "dan_toc": "Kinh", "quoc_tich": "Việt Nam", "noi_cu_tru": "Số 18, ngõ 25, phố Văn Cao"},
		"cha": map[string]any{"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-14", "so_dinh_danh": "001090012345", "dan_toc": "Kinh", "quoc_tich": "Việt Nam", "noi_cu_tru": "Số 18, ngõ 25, phố Văn Cao"},
	}
}

func submitBirth(t *testing.T, e *apptest.Env, form map[string]any) dossier.Dossier {
	t.Helper()
	in := e.SubmitInput(t, apptest.Citizen, "1.001193")
	b, err := json.Marshal(form)
	if err != nil {
		t.Fatal(err)
	}
	in.Form = b
	d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.Citizen), in)
	if err != nil {
		t.Fatal(err)
	}
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	return e.WalkToDone(t, d.Code)
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is required on CI")
		}
		t.Skip("pdftotext not installed")
	}
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(norm.NFC.String(string(out))), " ")
}

// A walked birth registration: the certificate on its template names the
// child as holder, carries the register number and the chairman (who
// completed the leader's step), leaves out the requester's contact fields;
// the child gets a personal ID, a population record and a civil-status
// record, nothing quarantined; the next one gets the next number.
func TestBirthCertificate(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	d := submitBirth(t, e, birthForm())
	r := d.Result
	if r == nil || r.Number != "1" || r.HolderName != "Nguyễn Minh Khôi" || !r.HolderIDIssued || r.Signer != "Phạm Quốc Hùng" || r.SignerTitle != "Chủ tịch" {
		t.Fatalf("result = %+v", r)
	}
	if !regexp.MustCompile(`^001226\d{6}$`).MatchString(r.HolderID) { // Hà Nội 001, male born in the 21st century 2, 2026
		t.Errorf("personal ID %q", r.HolderID)
	}
	_, pdf, err := e.App.Results.ResultPDF(e.Ctx, e.Actor(apptest.Citizen), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"GIẤY KHAI SINH", "Số: 1 ", "Họ, chữ đệm, tên: NGUYỄN MINH KHÔI", "Ngày, tháng, năm sinh: 05/11/2026",
		"Ngày năm, tháng mười một, năm hai nghìn không trăm hai mươi sáu", "Số định danh cá nhân: " + r.HolderID,
		"Họ, chữ đệm, tên người mẹ: Lê Thị Mai", "Năm sinh: 1992", "Họ, chữ đệm, tên người cha: Nguyễn Văn An",
		"Họ, chữ đệm, tên người đi đăng ký khai sinh: Nguyễn Văn An", "NGƯỜI KÝ GIẤY KHAI SINH", "CHỦ TỊCH", "Phạm Quốc Hùng"} {
		if !strings.Contains(text, norm.NFC.String(want)) {
			t.Errorf("the certificate lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "người mẹ") > strings.Index(text, "người cha") {
		t.Error("the father is printed before the mother")
	}
	for _, not := range []string{"congdan@example.vn", "0912345678", "Thư điện tử", "Số điện thoại", "Đỗ Thu Trang", "VĂN THƯ"} {
		if strings.Contains(text, not) {
			t.Errorf("the certificate carries %q", not)
		}
	}
	v, err := e.App.Results.VerifyResult(e.Ctx, r.ID)
	if err != nil || !v.Valid() || v.Result.Applicant != "Nguyễn M. K***" || v.Result.Number != "1" || v.Result.Signer != "Chủ tịch Phạm Quốc Hùng" {
		t.Errorf("verification = %+v, %v", v.Result, err)
	}
	if v.Report.Reason == "" {
		t.Error("no reason in the signature")
	}

	pop, err := e.Store.DatasetRecord(e.Ctx, registry.Population, r.HolderID)
	if err != nil || pop.Data["full_name"] != "Nguyễn Minh Khôi" || pop.Data["household_id"] == "" || pop.Data["relation_to_head"] != "Con" {
		t.Errorf("population record = %+v, %v", pop, err)
	}
	cs, err := e.Store.DatasetRecord(e.Ctx, registry.CivilStatus, d.Code)
	if err != nil || cs.Data["citizen_id"] != r.HolderID || cs.Data["full_name"] != "Nguyễn Minh Khôi" || cs.Data["mother_name"] != "Lê Thị Mai" {
		t.Errorf("civil-status record = %+v, %v", cs, err)
	}
	for _, ds := range []string{registry.Population, registry.CivilStatus, registry.Results} {
		if _, n, err := e.Store.Quarantined(e.Ctx, ds, 10); err != nil || n != 0 {
			t.Errorf("%s: %d quarantined, %v", ds, n, err)
		}
	}
	if got := submitBirth(t, e, birthForm()).Result; got == nil || got.Number != "2" || got.HolderID == r.HolderID {
		t.Errorf("second birth: %+v", got)
	}
}

// A child with a personal ID keeps it: none is issued.
func TestBirthCertificateWithID(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	f := birthForm()
	f["tre_em"].(map[string]any)["so_dinh_danh"] = "001226000123"
	r := submitBirth(t, e, f).Result
	if r == nil || r.HolderID != "001226000123" || r.HolderIDIssued {
		t.Fatalf("result = %+v", r)
	}
	if _, err := e.Store.DatasetRecord(e.Ctx, registry.CivilStatus, r.ID[:strings.LastIndexByte(r.ID, '.')]); err != nil {
		t.Errorf("civil-status record: %v", err)
	}
}

func TestPersonalIDNumber(t *testing.T) {
	tests := []struct {
		province string
		male     bool
		year     int
		serial   int
		want     string
		bad      bool
	}{
		{"001", true, 1990, 12345, "001090012345", false},
		{"001", false, 1992, 7788, "001192007788", false},
		{"079", true, 2026, 1, "079226000001", false},
		{"79", false, 2026, 999999, "079326999999", false},
		{"001", true, 2100, 0, "001400000000", false},
		{"1000", true, 2026, 1, "", true},
		{"x", true, 2026, 1, "", true},
		{"001", true, 1899, 1, "", true},
		{"001", true, 2026, 1000000, "", true},
	}
	for _, tt := range tests {
		got, err := results.PersonalIDNumber(tt.province, tt.male, tt.year, tt.serial)
		if (err != nil) != tt.bad || got != tt.want {
			t.Errorf("PersonalIDNumber(%s, %v, %d, %d) = %q, %v", tt.province, tt.male, tt.year, tt.serial, got, err)
		}
	}
}

// The registry is well formed, and every template the demo catalogue
// names for a commune procedure's result either is in it or falls back to
// the generic template.
func TestTemplates(t *testing.T) {
	tpls, err := results.Templates()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"giay-khai-sinh", "giay-chung-nhan-ket-hon", "giay-chung-nhan-dang-ky-ho-kinh-doanh", "quyet-dinh-chuyen-muc-dich"} {
		if _, ok := tpls[name]; !ok {
			t.Errorf("no template %s", name)
		}
	}
	if tpls["giay-khai-sinh"].PersonalID == nil {
		t.Error("the birth certificate issues no personal ID")
	}
}

// A newborn whose parents are not in the population dataset: the
// certificate and the civil-status record stand, the population record
// (no household) is quarantined, shown to the commune's officials only,
// and written once the mother's record is there and an official retries.
// The leader sees the draft before signing.
func TestWriteBackRetry(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	f := birthForm()
	f["me"].(map[string]any)["so_dinh_danh"] = "001192009999"
	delete(f["cha"].(map[string]any), "so_dinh_danh")
	f["quan_he_voi_tre"] = "Ông" // the grandfather registers: his household is not the child's
	in := e.SubmitInput(t, apptest.Citizen, "1.001193")
	in.Form, _ = json.Marshal(f)
	d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.Citizen), in)
	if err != nil {
		t.Fatal(err)
	}
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	for d, _ = e.Store.Dossier(e.Ctx, d.Code); d.CurrentStep().Role != "leader"; d, _ = e.Store.Dossier(e.Ctx, d.Code) {
		e.Act(t, e.StepUser(t, &d), d.Code, dossier.ActCompleteStep)
	}
	draft, err := e.App.Results.DraftPDF(e.Ctx, e.Actor(apptest.Leader), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, draft)
	for _, want := range []string{"DỰ THẢO", "NGUYỄN MINH KHÔI", "CHỦ TỊCH", "Phạm Quốc Hùng", "(Dự thảo trình ký)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the draft lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "congdan@example.vn") {
		t.Error("the draft carries the e-mail")
	}
	for _, user := range []string{apptest.Citizen, apptest.Police} {
		if _, err := e.App.Results.DraftPDF(e.Ctx, e.Actor(user), d.Code); err == nil {
			t.Errorf("%s sees the draft", user)
		}
	}
	if len(e.Audit(t, "dossier.result.draft", "dossier:"+d.Code)) != 1 {
		t.Error("the draft's read is not audited")
	}

	d = e.WalkToDone(t, d.Code)
	if d.Result == nil || d.Result.Number != "1" || !d.Result.HolderIDIssued {
		t.Fatalf("result = %+v", d.Result)
	}
	if _, err := e.Store.DatasetRecord(e.Ctx, registry.CivilStatus, d.Code); err != nil {
		t.Errorf("civil-status record: %v", err)
	}
	issues, err := e.App.Results.WriteBackIssues(e.Ctx, e.Actor(apptest.Specialist), &d)
	if err != nil || len(issues) != 1 || issues[0].Dataset != registry.Population || !strings.Contains(strings.Join(issues[0].Reasons, " "), "Số hộ") {
		t.Fatalf("issues = %+v, %v", issues, err)
	}
	if codes, err := e.App.Results.PendingWriteBacks(e.Ctx, e.Actor(apptest.Leader)); err != nil || len(codes) != 1 || codes[0] != d.Code {
		t.Errorf("the leader's pending write-backs = %v, %v", codes, err)
	}
	for _, user := range []string{apptest.Citizen, apptest.Police} {
		if codes, _ := e.App.Results.PendingWriteBacks(e.Ctx, e.Actor(user)); len(codes) != 0 {
			t.Errorf("%s sees the pending write-backs %v", user, codes)
		}
	}
	if got, _ := e.App.Results.WriteBackIssues(e.Ctx, e.Actor(apptest.Citizen), &d); len(got) != 0 {
		t.Error("the citizen sees the quarantine")
	}
	if _, err := e.App.Results.RetryWriteBack(e.Ctx, e.Actor(apptest.Citizen), d.Code); err == nil {
		t.Error("the citizen may retry")
	}
	// Still failing: quarantined again, nothing lost.
	left, err := e.App.Results.RetryWriteBack(e.Ctx, e.Actor(apptest.Specialist), d.Code)
	if err != nil || len(left) != 1 {
		t.Fatalf("retry = %+v, %v", left, err)
	}
	mother := registry.Record{Data: map[string]string{"citizen_id": "001192009999", "full_name": "Lê Thị Mai", "birth_date": "1992-09-02", "gender": "Nữ",
		"ethnicity": "Kinh", "nationality": "Việt Nam", "residence_commune": d.CommuneCode, "residence_address": "Số 18, ngõ 25, phố Văn Cao",
		"household_id": d.CommuneCode + "0000009", "relation_to_head": "Chủ hộ"}, UpdatedAt: e.Now(), Source: "test"}
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
		ds, _ := e.App.ShareData.Dataset(registry.Population)
		ds.Normalize(&mother)
		return tx.PutDatasetRecords(e.Ctx, []registry.Record{mother})
	}); err != nil {
		t.Fatal(err)
	}
	if left, err = e.App.Results.RetryWriteBack(e.Ctx, e.Actor(apptest.Specialist), d.Code); err != nil || len(left) != 0 {
		t.Fatalf("retry after the fix = %+v, %v", left, err)
	}
	if codes, _ := e.App.Results.PendingWriteBacks(e.Ctx, e.Actor(apptest.Leader)); len(codes) != 0 {
		t.Errorf("pending after the fix: %v", codes)
	}
	if rec, err := e.Store.DatasetRecord(e.Ctx, registry.Population, d.Result.HolderID); err != nil || rec.Data["household_id"] != d.CommuneCode+"0000009" {
		t.Errorf("population record = %+v, %v", rec, err)
	}
	if _, err := e.App.Results.RetryWriteBack(e.Ctx, e.Actor(apptest.Specialist), d.Code); errs.KindOf(err) != errs.NotFound {
		t.Errorf("retry with nothing quarantined: %v", err)
	}
	if len(e.Audit(t, "registry.write_back_retry", "dossier:"+d.Code)) != 2 {
		t.Error("retries not audited")
	}
}

// Each template of the registry, walked with a demo procedure that names
// it: its title, the number of its register, the chairman, no contact
// field.
func TestTemplatesWalked(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	tests := []struct {
		procedure, title, number string
		want                     []string
	}{
		{"1.000894", "GIẤY CHỨNG NHẬN KẾT HÔN", "Số: 1 ", []string{"Thông tin người chồng", "Thông tin người vợ", "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN"}},
		{"1.001612", "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH", "Số: 1", []string{"Tên hộ kinh doanh", "Chủ hộ kinh doanh", "TM. ỦY BAN NHÂN DÂN"}},
		{"DEMO-007", "QUYẾT ĐỊNH CHO PHÉP CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT", "Số: 1/QĐ-UBND", []string{"QUYẾT ĐỊNH:", "Điều 1.", "Thửa đất số", "Nơi nhận:"}},
	}
	for _, tt := range tests {
		t.Run(tt.procedure, func(t *testing.T) {
			d := e.Submit(t, apptest.Citizen, tt.procedure)
			e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
			d = e.WalkToDone(t, d.Code)
			if d.Result == nil || d.Result.Signer != "Phạm Quốc Hùng" {
				t.Fatalf("result = %+v", d.Result)
			}
			_, pdf, err := e.App.Results.ResultPDF(e.Ctx, e.Actor(apptest.Citizen), d.Code)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			for _, want := range append([]string{tt.title, tt.number, "CHỦ TỊCH", "Phạm Quốc Hùng"}, tt.want...) {
				if !strings.Contains(text, want) {
					t.Errorf("lacks %q:\n%s", want, text)
				}
			}
			for _, not := range []string{"an.nguyen@example.vn", "congdan@example.vn", "Thư điện tử", "Số điện thoại"} {
				if strings.Contains(text, not) {
					t.Errorf("carries %q", not)
				}
			}
		})
	}
}
