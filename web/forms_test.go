package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
)

// TestWizardFormsPeopleKnow walks the birth registration wizard as a
// citizen's browser does: the fields in the legal declaration's order, the
// declaration filled in as a form (not asked as a file), pick-lists; a
// refused submission names every problem at once (fields, a bad file, the
// delivery) and keeps the good file, which the next submission uses
// without choosing it again.
func TestWizardFormsPeopleKnow(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "congdan")
	const path = "/thu-tuc/1.001193/nop"
	st, page := b.get(path)
	if st != 200 {
		t.Fatalf("wizard = %d", st)
	}
	// The legal order: the requester's name, ID, birth date …, then the
	// child (name before birth date), the mother, the father.
	order := []string{`name="ho_ten_nguoi_yeu_cau"`, `name="so_dinh_danh"`, `name="ngay_sinh"`, `name="tre_em.ho_ten"`, `name="tre_em.ngay_sinh"`,
		`name="tre_em.dan_toc"`, `name="me.ho_ten"`, `name="cha.ho_ten"`}
	last := -1
	for _, s := range order {
		i := strings.Index(page, s)
		if i <= last {
			t.Errorf("%s at %d, not after the field before it (%d)", s, i, last)
		}
		last = i
	}
	for _, want := range []string{
		`data-by-form="TP01"`, // the declaration is the form
		`name="tre_em.dan_toc" list="list-ethnicity" data-list="ethnicity"`, `<option value="Kinh">`, `<option value="Ơ Đu" data-provisional="1">`,
		`name="me.quoc_tich" list="list-nationality" data-list="nationality"`, `<option value="Việt Nam">`,
		`name="tre_em.noi_sinh" list="list-commune-01" data-list="commune"`, `data-communes-for="f-tre_em.noi_sinh"`,
		`<option value="Phường Ba Đình, Thành phố Hà Nội">`,
		`name="delivery.method" value="post"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("wizard lacks %s", want)
		}
	}
	if strings.Contains(page, `name="tp-TP01"`) {
		t.Error("the wizard asks to upload the declaration it has as a form")
	}
	if i, j := strings.Index(page, `<option value="Việt Nam">`), strings.Index(page, `<option value="Afghanistan">`); i < 0 || j < 0 || i > j {
		t.Error("Việt Nam is not the first nationality")
	}
	// One datalist per list, shared by the fields that pick from it (three
	// ethnicity and three nationality fields): the page stays light.
	for _, id := range []string{"list-ethnicity", "list-nationality", "list-commune-01"} {
		if n := strings.Count(page, `<datalist id="`+id+`">`); n != 1 {
			t.Errorf("datalist %s %d times, want once", id, n)
		}
	}
	if n := strings.Count(page, "<option"); n > 600 {
		t.Errorf("%d <option>s on the form: a list repeated per field?", n)
	}

	// Everything wrong at once: missing fields, a bad code, a file that is
	// no PDF, a post delivery without an address; the good file is kept.
	res, page := b.postMultipart(path, map[string]string{"ho_ten_nguoi_yeu_cau": "Nguyễn Văn An", "tre_em.dan_toc": "99", "me.quoc_tich": "VN",
		"pl-tre_em.noi_sinh": "79", "delivery.method": "post"},
		map[string]string{"tp-TP02": minimalPDF, "tp-TP03": "không phải PDF"})
	if res.StatusCode != 422 {
		t.Fatalf("refused submission = %d", res.StatusCode)
	}
	for what, want := range map[string]string{
		"a missing field": "Trường này là bắt buộc", "the bad code": "không có trong danh mục",
		"the bad file": `id="e-tp-TP03"`, "the delivery": `id="e-delivery"`,
		"the good file kept": `data-kept="TP02"`, "the values kept": `value="Nguyễn Văn An"`,
		"a code as its name":        `name="me.quoc_tich" list="list-nationality" data-list="nationality" value="Việt Nam"`,
		"the unknown code as typed": `name="tre_em.dan_toc" list="list-ethnicity" data-list="ethnicity" value="99"`,
		"the province chosen":       `name="tre_em.noi_sinh" list="list-commune-79"`, "its communes": `<option value="Phường Thủ Dầu Một, Thành phố Hồ Chí Minh">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("refused submission does not show %s (%s)", what, want)
		}
	}
	m := regexp.MustCompile(`name="up-TP02" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no kept file for TP02: %.600s", page)
	}
	kept := m[1]
	if strings.Contains(page, `name="up-TP03"`) {
		t.Error("the refused file is kept")
	}

	// Next try: the kept file is not chosen again.
	p, err := f.app.Province.Procedure(t.Context(), "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	flatten("", catalog.SampleData(catalog.DecodeSchema(p.FormSchema)), fields)
	fields["tre_em.dan_toc"], fields["tre_em.quoc_tich"], fields["tre_em.noi_sinh"] = "05", "VN", "00004"
	fields["up-TP02"], fields["upn-TP02"] = kept, "giay-chung-sinh.pdf"
	fields["delivery.method"], fields["delivery.address"] = "post", "Số 12 phố Đội Cấn, Phường Ba Đình, Hà Nội"
	res, _ = b.postMultipart(path, fields, map[string]string{"tp-TP03": minimalPDF})
	loc := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.HasPrefix(loc, "/ho-so/") {
		t.Fatalf("submission with the kept file = %d %s", res.StatusCode, loc)
	}
	code := strings.TrimSuffix(strings.TrimPrefix(loc, "/ho-so/"), "/da-nop") // the success page of the dossier
	d, err := f.app.Dossiers.Dossier(context.Background(), f.actor(t, "congdan"), code)
	if err != nil {
		t.Fatal(err)
	}
	var tp02 string
	for _, c := range d.Components {
		if c.Code == "TP02" {
			tp02 = c.FileID
		}
		if c.Code == "TP01" {
			t.Error("the declaration was handed in as a component")
		}
	}
	if tp02 != kept {
		t.Errorf("TP02 is file %q, want the kept %q", tp02, kept)
	}
	if d.Delivery == nil || d.Delivery.Method != dossier.DeliveryPost || d.Delivery.Address != "Số 12 phố Đội Cấn, Phường Ba Đình, Hà Nội" {
		t.Errorf("delivery %+v", d.Delivery)
	}
	form := string(d.Form)
	for _, want := range []string{`"dan_toc":"Khơ Me"`, `"quoc_tich":"Việt Nam"`, `"noi_sinh":"Phường Ba Đình, Thành phố Hà Nội"`} {
		if !strings.Contains(form, want) {
			t.Errorf("declaration lacks %s: %s", want, form)
		}
	}
	codes := map[string]string{}
	for _, c := range d.Codes {
		codes[c.Field+"@"+c.List] = c.Code
	}
	if codes["form.tre_em.dan_toc@TCTK-1019-2008"] != "05" || codes["form.tre_em.quoc_tich@ISO-3166-1"] != "VN" || codes["form.tre_em.noi_sinh@DVHC-2025"] != "00004" {
		t.Errorf("codes %v", d.Codes)
	}
	if _, page := b.get("/ho-so/" + code); !strings.Contains(page, "Qua dịch vụ bưu chính công ích: Số 12 phố Đội Cấn, Phường Ba Đình, Hà Nội") {
		t.Error("the dossier page does not say how the result is received")
	}
	if d.Applicant.Address == "" {
		t.Error("the applicant's address (the declared residence) is empty")
	}
}

// TestReceiptKnownLines: form 01 of a walk-in dossier prints the
// applicant's address, the statutory processing time and where the result
// is collected, instead of dotted blanks.
func TestReceiptKnownLines(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	f := newFixture(t)
	b := f.browser(t, "tiepnhanxa")
	if st, _ := b.get("/quay/thu-tuc/1.001193?cccd=001090012345"); st != 200 {
		t.Fatalf("counter form = %d", st)
	}
	p, err := f.app.Province.Procedure(t.Context(), "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	flatten("", catalog.SampleData(catalog.DecodeSchema(p.FormSchema)), fields)
	for k, v := range map[string]string{"applicant.name": "Nguyễn Văn An", "applicant.citizen_id": "001090012345", "commune_code": "00004",
		"applicant.address": "Số 18, ngõ 25, phố Văn Cao", "delivery.method": "counter"} {
		fields[k] = v
	}
	files := map[string]string{}
	for _, c := range p.Components {
		if c.Required && !p.FilledByForm(c) {
			files["tp-"+c.Code] = minimalPDF
		}
	}
	res, page := b.postMultipart("/quay/thu-tuc/1.001193", fields, files)
	code, ok := strings.CutPrefix(res.Header.Get("Location"), "/quay/xong/")
	if res.StatusCode != 303 || !ok {
		t.Fatalf("counter submission = %d: %.500s", res.StatusCode, page)
	}
	res, pdf := b.getRaw("/api/v1/dossiers/" + code + "/forms/01")
	if res.StatusCode != 200 {
		t.Fatalf("form 01 = %d", res.StatusCode)
	}
	file := filepath.Join(t.TempDir(), "01.pdf")
	if err := os.WriteFile(file, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(norm.NFC.String(string(out))), " ")
	for _, want := range []string{"Địa chỉ: Số 18, ngõ 25, phố Văn Cao", "Thời gian giải quyết hồ sơ theo quy định là: 1 ngày làm việc",
		"Đăng ký nhận kết quả tại: Bộ phận Một cửa"} {
		if !strings.Contains(text, want) {
			t.Errorf("form 01 lacks %q:\n%s", want, text)
		}
	}
}
