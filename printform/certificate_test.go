package printform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func birthCertificate() Certificate {
	d := fixture()
	return Certificate{
		Agency: d.Agency, Title: "Giấy khai sinh", Number: "12", DossierCode: d.Dossier.Code, IssuedAt: at(2026, 11, 27, 10, 15),
		Sections: []Section{
			{Lines: []Line{
				{{Label: "Họ, chữ đệm, tên", Value: "NGUYỄN MINH KHÔI", Bold: true}},
				{{Label: "Ngày, tháng, năm sinh", Value: "05/11/2026", Bold: true}},
				{{Label: "ghi bằng chữ", Value: DateWords(at(2026, 11, 5, 0, 0))}},
				{{Label: "Giới tính", Value: "Nam"}, {Label: "Dân tộc", Value: "Kinh"}, {Label: "Quốc tịch", Value: "Việt Nam"}},
				{{Label: "Nơi sinh", Value: "Bệnh viện Phụ sản Hà Nội, Phường Giảng Võ, Thành phố Hà Nội"}},
				{{Label: "Quê quán", Value: ""}},
				{{Label: "Số định danh cá nhân", Value: "001226123456", Bold: true}},
			}},
			{Lines: []Line{
				{{Label: "Họ, chữ đệm, tên người mẹ", Value: "Lê Thị Mai", Bold: true}},
				{{Label: "Năm sinh", Value: "1992"}, {Label: "Dân tộc", Value: "Kinh"}, {Label: "Quốc tịch", Value: "Việt Nam"}},
			}},
		},
		SignerHeading: "Người ký Giấy khai sinh",
		Signer:        Person{Name: "Phạm Quốc Hùng", Title: "Chủ tịch"},
		VerifyURL:     "https://dichvucong.example.vn/xac-thuc/000.00.50.H01-261123-00001.0123456789abcdef",
	}
}

func decision() Certificate {
	c := birthCertificate()
	c.AgencyHeading, c.Title, c.Number = true, "Quyết định cho phép chuyển mục đích sử dụng đất", "7/QĐ-UBND"
	c.Preamble = []string{"Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;"}
	c.Intro = "QUYẾT ĐỊNH:"
	c.Sections = []Section{{Lines: []Line{{{Value: "Điều 1. Cho phép chuyển mục đích sử dụng đất."}}, {{Label: "Diện tích (m²)", Value: "50"}}}}}
	c.SignerHeading, c.Notes = "TM. Ủy ban nhân dân", []string{"Như Điều 3;", "Lưu: VT, hồ sơ."}
	return c
}

// residenceDraft is the draft of a residence confirmation (CT07) whose
// applicant has no residence record: the warning, the lines in dots.
func residenceDraft() Certificate {
	c := birthCertificate()
	c.AgencyHeading, c.Title, c.Draft = true, "Xác nhận thông tin về cư trú", true
	c.Agency.Name, c.Agency.Parent, c.Agency.Unit = "Công an Phường Ba Đình", "Công an Thành phố Hà Nội", ""
	c.Warnings = []string{"CHƯA CÓ DỮ LIỆU: không tìm thấy thông tin cư trú của người yêu cầu (số định danh cá nhân 001099000001) trong Cơ sở dữ liệu về cư trú."}
	c.Sections = []Section{{Lines: []Line{{{Label: "1. Họ, chữ đệm và tên", Bold: true}}, {{Label: "4. Nơi thường trú"}}}}}
	c.SignerHeading, c.Signer = "Thủ trưởng cơ quan đăng ký cư trú", Person{Name: "Lý Văn Cường", Title: "Trưởng Công an"}
	return c
}

func TestCertificateGolden(t *testing.T) {
	t.Parallel()
	draft := birthCertificate()
	draft.Draft = true
	tests := []struct {
		name      string
		c         Certificate
		want, not []string
	}{
		{"birth", birthCertificate(), []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "GIẤY KHAI SINH", "Số: 12", "NGUYỄN MINH KHÔI",
			"Ngày năm, tháng mười một, năm hai nghìn không trăm hai mươi sáu", "NGƯỜI KÝ GIẤY KHAI SINH", "CHỦ TỊCH", "Phạm Quốc Hùng",
			"Hà Nội, ngày 27 tháng 11 năm 2026", "(Đã ký số)"}, []string{"ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH\n", "DỰ THẢO"}},
		{"birth-draft", draft, []string{"DỰ THẢO", "(dự thảo)", "(Dự thảo trình ký)"}, []string{"Đã ký số", "Số: 12"}},
		{"decision", decision(), []string{"ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH", "Số: 7/QĐ-UBND", "QUYẾT ĐỊNH CHO PHÉP CHUYỂN MỤC ĐÍCH SỬ DỤNG ĐẤT",
			"QUYẾT ĐỊNH:", "TM. ỦY BAN NHÂN DÂN", "Nơi nhận:"}, nil},
		{"residence-no-data-draft", residenceDraft(), []string{"DỰ THẢO", "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ", "CHƯA CÓ DỮ LIỆU", "001099000001",
			"Nơi thường trú: ....", "THỦ TRƯỞNG CƠ QUAN ĐĂNG KÝ CƯ TRÚ"}, []string{"Đã ký số"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf, err := CertificateDocument(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, pdf)
			var b strings.Builder
			for i, p := range pages {
				b.WriteString("=== page " + string(rune('1'+i)) + "\n" + normalise(p) + "\n")
			}
			got := b.String()
			golden := filepath.Join("testdata", "certificate-"+tt.name+".golden")
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
				t.Errorf("text differs from %s (go test ./printform/ -update rewrites it):\n%s", golden, diff(string(want), got))
			}
			all := flat(strings.Join(pages, "\n"))
			for _, k := range tt.want {
				if !strings.Contains(all, norm.NFC.String(k)) {
					t.Errorf("lacks %q", k)
				}
			}
			for _, k := range tt.not {
				if strings.Contains(got, norm.NFC.String(k)) {
					t.Errorf("carries %q", k)
				}
			}
		})
	}
}

func TestCertificateBadInput(t *testing.T) {
	c := birthCertificate()
	c.Title, c.VerifyURL, c.Sections = "", "", nil
	_, err := CertificateDocument(c)
	if err == nil || !strings.Contains(err.Error(), "title") || !strings.Contains(err.Error(), "no section") {
		t.Fatalf("err = %v", err)
	}
	signed := residenceDraft()
	signed.Draft = false
	if _, err := CertificateDocument(signed); err == nil || !strings.Contains(err.Error(), "warnings") {
		t.Fatalf("a signed certificate with a warning: err = %v", err)
	}
}

func TestDateWords(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2026, 11, 5, "Ngày năm, tháng mười một, năm hai nghìn không trăm hai mươi sáu"},
		{2005, 4, 15, "Ngày mười lăm, tháng tư, năm hai nghìn không trăm linh năm"},
		{2021, 1, 21, "Ngày hai mươi mốt, tháng một, năm hai nghìn không trăm hai mươi mốt"},
		{1999, 12, 24, "Ngày hai mươi tư, tháng mười hai, năm một nghìn chín trăm chín mươi chín"},
		{2010, 10, 10, "Ngày mười, tháng mười, năm hai nghìn không trăm mười"},
		{2000, 2, 29, "Ngày hai mươi chín, tháng hai, năm hai nghìn"},
		{2100, 3, 30, "Ngày ba mươi, tháng ba, năm hai nghìn một trăm"},
	}
	for _, tt := range tests {
		if got := DateWords(at(tt.y, tt.m, tt.d, 0, 0)); got != tt.want {
			t.Errorf("DateWords(%d-%d-%d) = %q, want %q", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}
