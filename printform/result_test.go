package printform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func resultFixture() Result {
	d := fixture()
	return Result{
		Agency:  d.Agency,
		Dossier: d.Dossier,
		Title:   "Giấy khai sinh",
		Fields: []Field{
			{"Họ, chữ đệm, tên của trẻ", "Nguyễn Minh Khôi"},
			{"Ngày sinh", "05/11/2026"},
			{"Giới tính", "Nam"},
			{"Nơi sinh", ""},
		},
		Number:    "125/GKS-UBND",
		IssuedAt:  at(2026, 11, 27, 10, 15),
		Signer:    Person{Name: "Phạm Quốc Hùng", Title: "Chủ tịch"},
		VerifyURL: "https://dichvucong.example.vn/xac-thuc/000.00.50.H01-261123-00001.0123456789abcdef",
	}
}

func TestResultGolden(t *testing.T) {
	t.Parallel()
	pdf, err := ResultDocument(resultFixture())
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdf)
	var b strings.Builder
	for i, p := range pages {
		b.WriteString("=== page " + string(rune('1'+i)) + "\n" + normalise(p) + "\n")
	}
	got := b.String()
	golden := filepath.Join("testdata", "result.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./printform/ -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("text of the result differs from %s (go test ./printform/ -update rewrites it):\n%s", golden, diff(string(want), got))
	}
	all := flat(strings.Join(pages, "\n"))
	for _, k := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY KHAI SINH",
		"ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH", "Nguyễn Minh Khôi", "ngày 27 tháng 11 năm 2026", "Xác thực kết quả"} {
		if !strings.Contains(all, norm.NFC.String(k)) {
			t.Errorf("result lacks %q", k)
		}
	}
	if strings.Contains(all, "Mẫu số") {
		t.Error("the result carries a form number")
	}
	again, _ := ResultDocument(resultFixture())
	if string(again) != string(pdf) {
		t.Error("the result is not deterministic")
	}
}

func TestResultBadInput(t *testing.T) {
	r := resultFixture()
	r.Title, r.VerifyURL, r.Dossier.Code = "", "", ""
	_, err := ResultDocument(r)
	if err == nil || !strings.Contains(err.Error(), "result name") || !strings.Contains(err.Error(), "verification URL") {
		t.Fatalf("err = %v", err)
	}
	r = resultFixture()
	r.Fields = []Field{{strings.Repeat("x", 5000), "\x00\xff" + strings.Repeat("y ", 3000)}}
	if _, err := ResultDocument(r); err != nil {
		t.Fatalf("long field: %v", err)
	}
}
