package printform

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite testdata/NN.golden from the current output")

// at is a wall-clock time in Vietnam.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, ict)
}

func ptr(b bool) *bool { return &b }

// fixture is a birth registration received at the one-stop counter of
// Phường Ba Đình, Hà Nội.
func fixture() Doc {
	return Doc{
		Agency: Agency{
			ID:     "000.00.50.H01",
			Name:   "Ủy ban nhân dân Phường Ba Đình",
			Parent: "Ủy ban nhân dân Thành phố Hà Nội",
			Unit:   "Bộ phận Một cửa",
			Place:  "Hà Nội",
		},
		Dossier: Dossier{
			Code:             "000.00.50.H01-261123-00001",
			ProcedureCode:    "1.001193",
			ProcedureName:    "Đăng ký khai sinh",
			Field:            "Hộ tịch",
			ApplicantName:    "Nguyễn Văn An",
			ApplicantID:      "001090012345",
			ApplicantAddress: "Số 12 phố Đội Cấn, Phường Ba Đình, Thành phố Hà Nội",
			ApplicantPhone:   "0912345678",
			ApplicantEmail:   "nguyenvanan@example.vn",
			Channel:          "Trực tiếp",
			ReceivedAt:       at(2026, time.November, 23, 9, 15),
			DueAt:            at(2026, time.November, 24, 16, 30),
			Components: []Component{
				{Name: "Tờ khai đăng ký khai sinh", Original: true, Copies: 1},
				{Name: "Giấy chứng sinh", Original: true, Copies: 1},
				{Name: "Giấy chứng nhận kết hôn của cha, mẹ", Original: false, Copies: 1},
			},
			ResultChannel: "Bộ phận Một cửa, Ủy ban nhân dân Phường Ba Đình",
			StatutoryTime: "1 ngày làm việc",
		},
		Number:   "15/TB-UBND",
		IssuedAt: at(2026, time.November, 23, 9, 20),
		Signer:   Person{Name: "Phạm Quốc Hùng", Title: "Chủ tịch"},
		Receiver: Person{Name: "Vũ Thị Lan", Title: "Công chức tiếp nhận"},
		Missing: []string{
			"Bản sao Giấy chứng nhận kết hôn của cha, mẹ (xuất trình bản chính để đối chiếu)",
			"Văn bản ủy quyền có chứng thực, nếu người đi đăng ký không phải là cha, mẹ của trẻ",
		},
		NewDueAt: at(2026, time.November, 26, 10, 0),
		Handovers: []Handover{
			{
				From: "Bộ phận Một cửa – Vũ Thị Lan", To: "Công chức tư pháp – hộ tịch – Trần Minh Đức",
				HandedAt: at(2026, time.November, 23, 9, 30), DueAt: at(2026, time.November, 24, 10, 0),
				DoneAt: at(2026, time.November, 23, 15, 45), OnTime: ptr(true),
			},
			{
				From: "Công chức tư pháp – hộ tịch – Trần Minh Đức", To: "Lãnh đạo – Phạm Quốc Hùng",
				HandedAt: at(2026, time.November, 23, 15, 45), DueAt: at(2026, time.November, 24, 14, 0),
				DoneAt: at(2026, time.November, 24, 15, 10), OnTime: ptr(false),
				Note: "Chờ xác minh nơi cư trú",
			},
			{
				From: "Lãnh đạo – Phạm Quốc Hùng", To: "Bộ phận Một cửa – Vũ Thị Lan",
				HandedAt: at(2026, time.November, 24, 15, 10), DueAt: at(2026, time.November, 24, 16, 30),
			},
		},
		LookupURL: "https://motcua.example.vn/tra-cuu/000.00.50.H01-261123-00001",
	}
}

// fixtureFor is the fixture with the reason each form needs.
func fixtureFor(form string) Doc {
	d := fixture()
	switch form {
	case "02":
		d.Signer = d.Receiver // the counter official guides and refuses
		d.Reason = "Hồ sơ thiếu giấy tờ chứng minh quan hệ cha, mẹ, con."
	case "03":
		d.Signer = d.Receiver
		d.Reason = "Thủ tục không thuộc thẩm quyền giải quyết của Ủy ban nhân dân Phường Ba Đình " +
			"(trẻ sinh ra ở nước ngoài, đăng ký tại cơ quan đại diện)."
	case "04":
		d.Reason = "Cần xác minh thông tin cư trú của người mẹ tại địa phương khác."
	case "05":
		d.Reason = "Người nộp hồ sơ đề nghị rút hồ sơ bằng văn bản ngày 24/11/2026."
	}
	return d
}

func registerFixture(n int) Register {
	names := []string{"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Nam", "Phạm Thị Thu Hà"}
	procs := []string{"Đăng ký khai sinh", "Đăng ký thường trú", "Cấp bản sao trích lục hộ tịch"}
	statuses := []string{"Đúng hạn", "Trước hạn", "Quá hạn", "Đang xử lý"}
	r := Register{
		Agency:   fixture().Agency,
		From:     at(2026, time.November, 1, 0, 0),
		To:       at(2026, time.November, 30, 0, 0),
		IssuedAt: at(2026, time.November, 30, 17, 0),
	}
	for i := range n {
		recv := at(2026, time.November, 2+i%27, 8+i%8, (i*7)%60)
		row := RegisterRow{
			No:               i + 1,
			Code:             fmt.Sprintf("000.00.50.H01-2611%02d-%05d", 2+i%27, i+1),
			ProcedureName:    procs[i%len(procs)],
			ApplicantName:    names[i%len(names)],
			ApplicantAddress: fmt.Sprintf("Số %d phố Đội Cấn, Phường Ba Đình", 10+i),
			ReceivedAt:       recv,
			DueAt:            recv.Add(48 * time.Hour),
			HandedAt:         recv.Add(20 * time.Minute),
			Status:           statuses[i%len(statuses)],
		}
		if row.Status != "Đang xử lý" {
			row.DoneAt = recv.Add(30 * time.Hour)
			row.ReturnedAt = recv.Add(31 * time.Hour)
		}
		if i%5 == 2 {
			row.Note = "Bổ sung hồ sơ"
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

// renderers of the seven forms on the fixtures.
var renderers = map[string]func() ([]byte, error){
	"01": func() ([]byte, error) { return Receipt(fixtureFor("01")) },
	"02": func() ([]byte, error) { return SupplementRequest(fixtureFor("02")) },
	"03": func() ([]byte, error) { return Refusal(fixtureFor("03")) },
	"04": func() ([]byte, error) { return Apology(fixtureFor("04")) },
	"05": func() ([]byte, error) { return StopNotice(fixtureFor("05")) },
	"06": func() ([]byte, error) { return ControlSlip(fixtureFor("06")) },
	"07": func() ([]byte, error) { return RegisterBook(registerFixture(6)) },
}

var forms = []string{"01", "02", "03", "04", "05", "06", "07"}

// rendered caches the fixtures' PDFs: several tests read the same output.
var rendered = struct {
	sync.Mutex
	pdf map[string][]byte
}{pdf: map[string][]byte{}}

// render returns the PDF of form on its fixture, rendered once per run.
func render(t *testing.T, form string) []byte {
	t.Helper()
	rendered.Lock()
	defer rendered.Unlock()
	if b, ok := rendered.pdf[form]; ok {
		return b
	}
	b, err := renderers[form]()
	if err != nil {
		t.Fatalf("form %s: %v", form, err)
	}
	rendered.pdf[form] = b
	return b
}

// pdfPages extracts the text of each page with pdftotext (poppler-utils).
// The pure-Go extractor github.com/ledongthuc/pdf reads fpdf's Identity-H
// text wrongly (its ToUnicode range arithmetic keeps only the low byte:
// "Ộ" comes out as "Ø"), hence the external tool. Without it the test is
// skipped, except in CI, where it fails.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("pdftotext (Debian package poppler-utils) is not installed")
		}
		t.Fatal("pdftotext (Debian package poppler-utils) is required in CI")
	}
	f := filepath.Join(t.TempDir(), "form.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 1 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// normalise keeps the lines of extracted text with their whitespace
// collapsed, dropping empty lines, in NFC.
func normalise(s string) string {
	var lines []string
	for _, l := range strings.Split(norm.NFC.String(s), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// flat is s with all whitespace collapsed, for substring checks.
func flat(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, form := range forms {
		t.Run(form, func(t *testing.T) {
			pages := pdfPages(t, render(t, form))
			var b strings.Builder
			for i, p := range pages {
				fmt.Fprintf(&b, "=== page %d\n%s\n", i+1, normalise(p))
			}
			got := b.String()
			golden := filepath.Join("testdata", form+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./printform/ -update to create it)", err)
			}
			if !norm.NFC.IsNormalString(string(want)) {
				t.Errorf("%s is not NFC", golden)
			}
			if got != string(want) {
				t.Errorf("text of form %s differs from %s (go test ./printform/ -update rewrites it):\n%s",
					form, golden, diff(string(want), got))
			}

			all := flat(strings.Join(pages, "\n"))
			keys := []string{
				"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
				"Độc lập - Tự do - Hạnh phúc",
				"ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI",
				"ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH",
				"BỘ PHẬN MỘT CỬA",
				"Mẫu số " + form,
				upper(titles[form]),
			}
			if form == "07" {
				keys = append(keys, "Hà Nội, ngày 30 tháng 11 năm 2026", "Từ ngày 01/11/2026 đến ngày 30/11/2026",
					"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Đăng ký khai sinh", "Đang xử lý")
			} else {
				keys = append(keys, "Hà Nội, ngày 23 tháng 11 năm 2026", "Số: 15/TB-UBND",
					"000.00.50.H01-261123-00001", "Nguyễn Văn An", "Đăng ký khai sinh", "Tra cứu hồ sơ")
			}
			for _, k := range keys {
				if !strings.Contains(all, k) {
					t.Errorf("form %s: %q not found in the text", form, k)
				}
			}
		})
	}
}

// TestFormContent checks the strings each form must carry.
func TestFormContent(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"01": {"Bộ phận Một cửa, Ủy ban nhân dân Phường Ba Đình tiếp nhận hồ sơ của: Nguyễn Văn An",
			"Số định danh cá nhân/CCCD: 001090012345", "mã thủ tục: 1.001193",
			"Tờ khai đăng ký khai sinh", "Bản chính", "Bản sao", "Số lượng hồ sơ: 01 (bộ)",
			"Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 23/11/2026",
			"Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 24/11/2026",
			"NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Vũ Thị Lan"},
		"02": {"Hồ sơ của: Nguyễn Văn An", "Hồ sơ thiếu giấy tờ chứng minh quan hệ cha, mẹ, con.",
			"1. Bản sao Giấy chứng nhận kết hôn của cha, mẹ", "NGƯỜI HƯỚNG DẪN", "Vũ Thị Lan"},
		"03": {"từ chối tiếp nhận, giải quyết hồ sơ này", "không thuộc thẩm quyền giải quyết"},
		"04": {"Kính gửi: Nguyễn Văn An", "Cần xác minh thông tin cư trú",
			"10 giờ 00 phút, ngày 26/11/2026", "CHỦ TỊCH", "Nơi nhận:"},
		"05": {"thông báo dừng giải quyết hồ sơ nêu trên", "đề nghị rút hồ sơ", "CHỦ TỊCH"},
		"06": {"Giao: Bộ phận Một cửa – Vũ Thị Lan", "Đúng hạn", "Quá hạn",
			"Chờ xác minh nơi cư trú", "09 giờ 30 phút, ngày 23/11/2026"},
	}
	for form, keys := range want {
		all := flat(strings.Join(pdfPages(t, render(t, form)), "\n"))
		for _, k := range keys {
			if !strings.Contains(all, k) {
				t.Errorf("form %s: %q not found in:\n%s", form, k, all)
			}
		}
	}

	// The fee line appears only with a fee.
	d := fixture()
	d.Dossier.Fee = 1234567
	pdf, err := Receipt(d)
	if err != nil {
		t.Fatal(err)
	}
	if all := flat(strings.Join(pdfPages(t, pdf), "\n")); !strings.Contains(all, "Phí, lệ phí: 1.234.567 đồng") {
		t.Errorf("fee line missing:\n%s", all)
	}
	// A claimed exemption is told in words until the counter decides.
	d.Dossier.FeeNote = "Miễn lệ phí (đề nghị: Trẻ em dưới 16 tuổi) – chờ kiểm tra"
	if pdf, err = Receipt(d); err != nil {
		t.Fatal(err)
	}
	if all := flat(strings.Join(pdfPages(t, pdf), "\n")); !strings.Contains(all, "Phí, lệ phí: Miễn lệ phí (đề nghị: Trẻ em dưới 16 tuổi) – chờ kiểm tra") || strings.Contains(all, "1.234.567") {
		t.Errorf("exemption line missing:\n%s", all)
	}
}

// TestRender checks the dispatcher.
func TestRender(t *testing.T) {
	t.Parallel()
	for _, form := range forms[:6] {
		got, err := Render(form, fixtureFor(form))
		if err != nil {
			t.Fatalf("Render(%s): %v", form, err)
		}
		if !bytes.Equal(got, render(t, form)) {
			t.Errorf("Render(%s) differs from the form's own function", form)
		}
	}
	for _, bad := range []string{"", "1", "07", "08", "AB"} {
		if _, err := Render(bad, fixture()); err == nil || !strings.HasPrefix(err.Error(), "printform: ") {
			t.Errorf("Render(%q): error %v, want a printform error", bad, err)
		}
	}
}

// TestDeterministic renders each form again (TestRender does a third time
// for forms 01–06) and wants the very same bytes.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, form := range forms {
		first := render(t, form)
		again, err := renderers[form]()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("form %s: two renders of the same input differ", form)
		}
		if !bytes.Contains(first, []byte("D:20261123")) && !bytes.Contains(first, []byte("D:20261130")) {
			t.Errorf("form %s: creation date is not IssuedAt", form)
		}
	}
}

var rowSerial = regexp.MustCompile(`^(?:.*-)?(\d{5})$`)

var imageXObject = regexp.MustCompile(`/Subtype\s*/Image`)

func TestQRCode(t *testing.T) {
	t.Parallel()
	for _, form := range forms[:6] {
		d := fixtureFor(form)
		with := render(t, form)
		if n := len(imageXObject.FindAll(with, -1)); n != 1 {
			t.Errorf("form %s with LookupURL: %d image XObjects, want 1", form, n)
		}
		d.LookupURL = ""
		without, err := Render(form, d)
		if err != nil {
			t.Fatal(err)
		}
		if imageXObject.Match(without) {
			t.Errorf("form %s without LookupURL has an image XObject", form)
		}
	}
	if _, _, err := qrImage(strings.Repeat("x", 5000)); err == nil {
		t.Error("a 5000-byte URL should not fit a QR code")
	}
}

func TestDateLineAndMoney(t *testing.T) {
	t.Parallel()
	dates := []struct {
		place string
		t     time.Time
		want  string
	}{
		{"Hà Nội", at(2026, time.November, 23, 9, 0), "Hà Nội, ngày 23 tháng 11 năm 2026"},
		{"Hà Nội", at(2026, time.March, 5, 9, 0), "Hà Nội, ngày 05 tháng 3 năm 2026"},
		{"Huế", at(2026, time.February, 14, 9, 0), "Huế, ngày 14 tháng 02 năm 2026"},
		{"Cà Mau", at(2027, time.January, 1, 0, 0), "Cà Mau, ngày 01 tháng 01 năm 2027"},
		{"Đà Nẵng", at(2026, time.October, 10, 23, 59), "Đà Nẵng, ngày 10 tháng 10 năm 2026"},
		{"Hà Nội", at(2026, time.December, 9, 12, 0), "Hà Nội, ngày 09 tháng 12 năm 2026"},
		// 20:00 UTC on 31 March is 03:00 on 1 April in Vietnam.
		{"Hà Nội", time.Date(2026, time.March, 31, 20, 0, 0, 0, time.UTC), "Hà Nội, ngày 01 tháng 4 năm 2026"},
		{"", at(2026, time.November, 23, 9, 0), "Ngày 23 tháng 11 năm 2026"},
		// NFD input comes out NFC.
		{norm.NFD.String("Hà Nội"), at(2026, time.November, 23, 9, 0), "Hà Nội, ngày 23 tháng 11 năm 2026"},
	}
	for _, c := range dates {
		if got := dateLine(c.place, c.t); got != c.want {
			t.Errorf("dateLine(%q, %v) = %q, want %q", c.place, c.t, got, c.want)
		}
	}

	moneys := []struct {
		v    int64
		want string
	}{
		{0, "0 đồng"}, {5, "5 đồng"}, {999, "999 đồng"}, {1000, "1.000 đồng"}, {8000, "8.000 đồng"},
		{100000, "100.000 đồng"}, {1234567, "1.234.567 đồng"}, {-1500, "-1.500 đồng"},
		{9223372036854775807, "9.223.372.036.854.775.807 đồng"},
		{-9223372036854775808, "-9.223.372.036.854.775.808 đồng"},
	}
	for _, c := range moneys {
		if got := money(c.v); got != c.want {
			t.Errorf("money(%d) = %q, want %q", c.v, got, c.want)
		}
	}

	clocks := []struct {
		t    time.Time
		want string
	}{
		{at(2026, time.November, 23, 9, 5), "09 giờ 05 phút, ngày 23/11/2026"},
		{at(2026, time.November, 23, 16, 30), "16 giờ 30 phút, ngày 23/11/2026"},
		{time.Date(2026, time.November, 23, 17, 0, 0, 0, time.UTC), "00 giờ 00 phút, ngày 24/11/2026"},
		{time.Time{}, "..... giờ ..... phút, ngày ..../..../......"},
	}
	for _, c := range clocks {
		if got := clock(c.t); got != c.want {
			t.Errorf("clock(%v) = %q, want %q", c.t, got, c.want)
		}
	}

	results := []struct {
		h    Handover
		want string
	}{
		{Handover{}, ""},
		{Handover{OnTime: ptr(false)}, "Quá hạn"},
		{Handover{OnTime: ptr(true)}, "Đúng hạn"},
		{Handover{OnTime: ptr(true), DueAt: at(2026, 11, 24, 17, 0), DoneAt: at(2026, 11, 24, 9, 0)}, "Đúng hạn"},
		{Handover{OnTime: ptr(true), DueAt: at(2026, 11, 24, 17, 0), DoneAt: at(2026, 11, 23, 16, 0)}, "Trước hạn"},
	}
	for _, c := range results {
		if got := handoverResult(c.h); got != c.want {
			t.Errorf("handoverResult(%+v) = %q, want %q", c.h, got, c.want)
		}
	}

	if got := upper("Ủy ban nhân dân Phường Ba Đình"); got != "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH" {
		t.Errorf("upper = %q", got)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		form   string
		change func(*Doc)
		want   string
	}{
		{"no code", "01", func(d *Doc) { d.Dossier.Code = " " }, "dossier code is empty"},
		{"no issue date", "02", func(d *Doc) { d.IssuedAt = time.Time{} }, "IssuedAt"},
		{"no agency", "03", func(d *Doc) { d.Agency.Name = "" }, "agency name"},
		{"no applicant", "06", func(d *Doc) { d.Dossier.ApplicantName = "" }, "applicant name"},
		{"negative fee", "01", func(d *Doc) { d.Dossier.Fee = -1 }, "fee"},
		{"component without name", "01", func(d *Doc) { d.Dossier.Components[1].Name = "" }, "component 2"},
		{"no appointment", "01", func(d *Doc) { d.Dossier.DueAt = time.Time{} }, "appointment"},
		{"appointment before receipt", "01", func(d *Doc) {
			d.Dossier.DueAt = d.Dossier.ReceivedAt.Add(-time.Hour)
		}, "before the receipt"},
		{"nothing to supplement", "02", func(d *Doc) { d.Reason, d.Missing = "", nil }, "nothing to supplement"},
		{"no refusal reason", "03", func(d *Doc) { d.Reason = "" }, "refusal reason"},
		{"no new appointment", "04", func(d *Doc) { d.NewDueAt = time.Time{} }, "NewDueAt"},
		{"new appointment earlier", "04", func(d *Doc) { d.NewDueAt = d.Dossier.DueAt }, "not after"},
		{"no stop reason", "05", func(d *Doc) { d.Reason = "\n" }, "reason to stop"},
		{"handover without time", "06", func(d *Doc) { d.Handovers[0].HandedAt = time.Time{} }, "handover 1"},
		{"URL too long for QR", "01", func(d *Doc) { d.LookupURL = strings.Repeat("a", 4000) }, "QR"},
	}
	for _, c := range cases {
		d := fixtureFor(c.form)
		c.change(&d)
		out, err := Render(c.form, d)
		if err == nil || out != nil {
			t.Errorf("%s: got %d bytes, err %v; want an error", c.name, len(out), err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "printform: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to start with \"printform: \" and mention %q", c.name, err, c.want)
		}
	}

	regs := []struct {
		name   string
		change func(*Register)
		want   string
	}{
		{"no issue date", func(r *Register) { r.IssuedAt = time.Time{} }, "IssuedAt"},
		{"no agency", func(r *Register) { r.Agency.Name = "" }, "agency name"},
		{"period reversed", func(r *Register) { r.From, r.To = r.To, r.From }, "before it starts"},
		{"row without code", func(r *Register) { r.Rows[0].Code = "" }, "row 1"},
	}
	for _, c := range regs {
		r := registerFixture(2)
		c.change(&r)
		if _, err := RegisterBook(r); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("register, %s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

// TestOddInput renders awkward but valid input: NFD text, control
// characters, emoji, a very long word, empty lists, no optional fields.
func TestOddInput(t *testing.T) {
	t.Parallel()
	d := fixture()
	d.Agency.Parent, d.Agency.Unit, d.Agency.Place = "", "", ""
	d.Number, d.LookupURL = "", ""
	d.Dossier.ApplicantName = norm.NFD.String("Nguyễn Thị Thuỳ Dương") + "\t\x00😀"
	d.Dossier.ProcedureName = strings.Repeat("Đăngkýkhaisinh", 30)
	d.Dossier.Components = nil
	d.Dossier.ApplicantEmail, d.Dossier.ApplicantPhone = "", ""
	d.Handovers = nil
	d.Reason = "Thiếu giấy tờ\r\n\n  cần bổ sung"
	d.Missing = nil
	pdfs := map[string][]byte{}
	for _, form := range forms[:6] {
		pdf, err := Render(form, d)
		if err != nil {
			t.Fatalf("form %s: %v", form, err)
		}
		pdfs[form] = pdf
	}
	if _, err := RegisterBook(registerFixture(0)); err != nil {
		t.Errorf("empty register: %v", err)
	}
	for _, form := range forms[:6] {
		all := flat(strings.Join(pdfPages(t, pdfs[form]), "\n"))
		if !strings.Contains(all, "Nguyễn Thị Thuỳ Dương") {
			t.Errorf("form %s: NFD name not rendered as NFC:\n%s", form, all)
		}
		if !strings.Contains(all, "Ngày 23 tháng 11 năm 2026") {
			t.Errorf("form %s: date line without a place:\n%s", form, all)
		}
		if !strings.Contains(all, "Số: ......") {
			t.Errorf("form %s without number lacks \"Số: ......\":\n%s", form, all)
		}
	}
}

// pageCount counts the page objects of a PDF written by fpdf.
func pageCount(pdf []byte) int {
	return len(regexp.MustCompile(`/Type /Page[^s]`).FindAll(pdf, -1))
}

// TestRegisterPages renders 60 rows: the register spans several pages and
// every page repeats the table header.
func TestRegisterPages(t *testing.T) {
	t.Parallel()
	pdf, err := RegisterBook(registerFixture(60))
	if err != nil {
		t.Fatal(err)
	}
	n := pageCount(pdf)
	if n < 2 {
		t.Fatalf("60 rows on %d page(s), want more than 1", n)
	}
	if one := pageCount(render(t, "01")); one != 1 {
		t.Errorf("form 01 has %d pages, want 1", one)
	}
	pages := pdfPages(t, pdf)
	if len(pages) != n {
		t.Errorf("pdftotext finds %d pages, the PDF has %d", len(pages), n)
	}
	seen := map[string]bool{}
	for i, p := range pages {
		text := flat(p)
		for _, h := range []string{"STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân, tổ chức",
			"Thời gian (ngày, giờ)", "Nhận hồ sơ", "Hẹn trả kết quả", "Tình trạng", "Ghi chú", "(12)",
			fmt.Sprintf("Trang %d", i+1)} {
			if !strings.Contains(text, h) {
				t.Errorf("page %d lacks %q", i+1, h)
			}
		}
		// A code wraps after a hyphen, so its last part may stand apart.
		for _, f := range strings.Fields(text) {
			if m := rowSerial.FindStringSubmatch(f); m != nil {
				seen[m[1]] = true
			}
		}
	}
	for i := 1; i <= 60; i++ {
		if k := fmt.Sprintf("%05d", i); !seen[k] {
			t.Errorf("row %d (code …-%s) not found on any page", i, k)
		}
	}
}

// diff shows the first differing line of two texts.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n want %q\n got  %q", i+1, wl, gl)
		}
	}
	return "(no difference)"
}
