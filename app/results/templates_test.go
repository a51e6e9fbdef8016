package results

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/printform"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// templateFixtures are declarations of the demo procedures whose results
// have a template, with the requester's contact fields filled in (they
// must not be printed).
var templateFixtures = map[string]string{
	"giay-khai-sinh": `{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345","so_dien_thoai":"0912345678","email":"congdan@example.vn","quan_he_voi_tre":"Cha",
		"tre_em":{"ho_ten":"Nguyễn Minh Khôi","ngay_sinh":"2026-11-05","gioi_tinh":"Nam","noi_sinh":"Phường Giảng Võ, Thành phố Hà Nội","co_so_y_te":"Bệnh viện Phụ sản Hà Nội","que_quan":"Xã Đông Anh, thành phố Hà Nội","dan_toc":"Kinh","quoc_tich":"Việt Nam"},
		"me":{"ho_ten":"Lê Thị Mai","ngay_sinh":"1992-09-02","so_dinh_danh":"001192007788","dan_toc":"Kinh","quoc_tich":"Việt Nam","noi_cu_tru":"Số 18, ngõ 25, phố Văn Cao, phường Ba Đình, thành phố Hà Nội"},
		"cha":{"ho_ten":"Nguyễn Văn An","ngay_sinh":"1990-05-14","dan_toc":"Kinh","quoc_tich":"Việt Nam","noi_cu_tru":"Số 18, ngõ 25, phố Văn Cao, phường Ba Đình, thành phố Hà Nội"}}`,
	"giay-chung-nhan-ket-hon": `{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345","so_dien_thoai":"0912345678","email":"congdan@example.vn",
		"ben_nam":{"ho_ten":"Nguyễn Văn An","ngay_sinh":"1990-05-14","so_dinh_danh":"001090012345","dan_toc":"Kinh","quoc_tich":"Việt Nam","noi_cu_tru":"Số 18, ngõ 25, phố Văn Cao"},
		"ben_nu":{"ho_ten":"Trần Thị Bích Ngọc","ngay_sinh":"1995-11-20","so_dinh_danh":"001195004321","dan_toc":"Tày","quoc_tich":"Việt Nam","noi_cu_tru":"Thôn Đông"}}`,
	"giay-chung-nhan-dang-ky-ho-kinh-doanh": `{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345","ngay_sinh":"1990-05-14","gioi_tinh":"Nam","dia_chi_cu_tru":"Số 18, ngõ 25, phố Văn Cao",
		"so_dien_thoai":"0912345678","email":"congdan@example.vn","ten_ho_kinh_doanh":"Hộ kinh doanh Phở An","dia_chi_dia_diem_kinh_doanh":"Số 5, phố Đội Cấn",
		"nganh_nghe_kinh_doanh":"Dịch vụ ăn uống","von_kinh_doanh":150000000,"so_lao_dong":4}`,
	"xac-nhan-thong-tin-cu-tru": `{"ho_ten_nguoi_yeu_cau":"Lê Thị Mai","so_dinh_danh":"001192007788","so_dien_thoai":"0912345678","email":"congdan@example.vn",
		"dia_chi_cu_tru":"điều người yêu cầu tự khai, không được in","noi_dung_de_nghi":"Xác nhận thông tin về cư trú hiện tại"}`,
	"quyet-dinh-chuyen-muc-dich": `{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345","so_dien_thoai":"0912345678","email":"congdan@example.vn",
		"thua_dat":{"so_to_ban_do":12,"so_thua":345,"dien_tich_m2":168.5,"dia_chi_thua_dat":"Thôn Đông, xã Đông Anh","muc_dich_su_dung":"BHK"},
		"muc_dich_hien_tai":"Đất trồng cây hằng năm khác","muc_dich_de_nghi":"Đất ở tại nông thôn","dien_tich_chuyen_m2":100}`,
}

// templateData is what applicantData reads for the templates drawn from
// the datasets: the record of the applicant (a wife, not the household's
// head, with a temporary residence).
var templateData = map[string]map[string]string{
	"xac-nhan-thong-tin-cu-tru": {"population.full_name": "Lê Thị Mai", "population.birth_date": "1992-09-02", "population.gender": "Nữ",
		"population.citizen_id": "001192007788", "population.relation_to_head": "Vợ",
		"residence.permanent": "Số 18, ngõ 25, phố Văn Cao, Phường Ba Đình, Thành phố Hà Nội",
		"residence.temporary": "Phòng 302, nhà B, số 7 phố Đội Cấn, Phường Ngọc Hà, Thành phố Hà Nội",
		"residence.current":   "Phòng 302, nhà B, số 7 phố Đội Cấn, Phường Ngọc Hà, Thành phố Hà Nội", "residence.head_name": "Nguyễn Văn An",
		"residence.permanent_period": "từ ngày 10/01/2019", "residence.temporary_period": "từ ngày 15/08/2025 đến ngày 15/08/2027"},
}

// TestTemplateGolden fills each template of the registry from a
// declaration and compares the text of the PDF with testdata/<name>.golden
// (go test ./app/results/ -run TestTemplateGolden -update rewrites them).
func TestTemplateGolden(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is required on CI")
		}
		t.Skip("pdftotext not installed")
	}
	if len(templateFixtures) != len(templates) {
		t.Errorf("%d fixtures for %d templates: every template needs one", len(templateFixtures), len(templates))
	}
	issued := time.Date(2026, 11, 27, 10, 15, 0, 0, calendar.VN)
	ag := printform.Agency{ID: "000.00.50.H01", Name: "Ủy ban nhân dân Phường Ba Đình", Parent: "Ủy ban nhân dân Thành phố Hà Nội", Place: "Hà Nội"}
	for name, form := range templateFixtures {
		t.Run(name, func(t *testing.T) {
			tpl, ok := templates[name]
			if !ok {
				t.Fatalf("no template %s", name)
			}
			if !json.Valid([]byte(form)) {
				t.Fatal("fixture is not JSON")
			}
			d := &dossier.Dossier{Code: "000.00.50.H01-261123-00001", Form: json.RawMessage(form),
				Applicant: dossier.Applicant{Name: "Nguyễn Văn An", CitizenID: "001090012345", Phone: "0912345678", Email: "congdan@example.vn"}}
			issuedID := ""
			if tpl.PersonalID != nil {
				issuedID = "001226123456"
			}
			f := newFilling(d, ag.Name, issued, issuedID)
			f.data = templateData[name]
			if tpl.usesData() != (f.data != nil) {
				t.Fatalf("template reads data: %v, fixture has data: %v", tpl.usesData(), f.data != nil)
			}
			secs, holder, holderID := tpl.fill(f)
			pdf, err := printform.CertificateDocument(printform.Certificate{Agency: ag, AgencyHeading: tpl.AgencyHeading, Title: tpl.Title,
				Number: "12" + tpl.NumberSuffix, DossierCode: d.Code, IssuedAt: issued, Preamble: tpl.preamble(f), Intro: tpl.Intro, Sections: secs,
				SignerHeading: tpl.SignerHeading, Signer: printform.Person{Name: "Phạm Quốc Hùng", Title: "Chủ tịch"}, Notes: tpl.Notes,
				VerifyURL: "https://dichvucong.example.vn/xac-thuc/" + d.Code + ".0123456789abcdef"})
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "r.pdf")
			if err := os.WriteFile(file, pdf, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "-layout", file, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, l := range strings.Split(norm.NFC.String(string(out)), "\n") {
				if l = strings.Join(strings.Fields(l), " "); l != "" {
					lines = append(lines, l)
				}
			}
			got := "holder: " + holder + " " + holderID + "\n" + strings.Join(lines, "\n") + "\n"
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", name, golden, got)
			}
			for _, not := range []string{"0912345678", "congdan@example.vn", "tự khai"} {
				if strings.Contains(got, not) {
					t.Errorf("%s prints the requester's %s", name, not)
				}
			}
		})
	}
}

// FuzzTemplateFill: any declaration a citizen sends fills every template
// and draws it without error or panic.
func FuzzTemplateFill(f *testing.F) {
	for _, form := range templateFixtures {
		f.Add([]byte(form))
	}
	f.Add([]byte(`{"tre_em":{"ngay_sinh":"0000-13-45","ho_ten":["x"]},"me":null,"von_kinh_doanh":"-9e999"}`))
	f.Add([]byte(`[]`))
	issued := time.Date(2026, 11, 27, 10, 15, 0, 0, calendar.VN)
	ag := printform.Agency{Name: "Ủy ban nhân dân Phường Ba Đình", Place: "Hà Nội"}
	f.Fuzz(func(t *testing.T, form []byte) {
		d := &dossier.Dossier{Code: "000.00.50.H01-261123-00001", Form: form, Applicant: dossier.Applicant{Name: "A"}}
		for name, tpl := range templates {
			fl := newFilling(d, ag.Name, issued, "")
			secs, _, _ := tpl.fill(fl)
			if _, err := printform.CertificateDocument(printform.Certificate{Agency: ag, Title: tpl.Title, DossierCode: d.Code, IssuedAt: issued,
				Sections: secs, Preamble: tpl.preamble(fl), VerifyURL: "https://x.example/xac-thuc/1"}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
	})
}

// TestPlaceOfBirth: the birth certificate's "Nơi sinh" is the medical
// facility and the commune when the child was born in one, the commune
// alone otherwise (Circular 04/2020/TT-BTP Art. 31).
func TestPlaceOfBirth(t *testing.T) {
	tpl := templates["giay-khai-sinh"]
	tests := []struct {
		name, child, want string
	}{
		{"facility", `{"noi_sinh":"Phường Giảng Võ, Thành phố Hà Nội","co_so_y_te":"Bệnh viện Phụ sản Hà Nội"}`, "Bệnh viện Phụ sản Hà Nội, Phường Giảng Võ, Thành phố Hà Nội"},
		{"at home", `{"noi_sinh":"Xã Đông Anh, Thành phố Hà Nội"}`, "Xã Đông Anh, Thành phố Hà Nội"},
		{"facility blank", `{"noi_sinh":"Xã Đông Anh, Thành phố Hà Nội","co_so_y_te":"  "}`, "Xã Đông Anh, Thành phố Hà Nội"},
		{"nothing", `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &dossier.Dossier{Form: json.RawMessage(`{"tre_em":` + tt.child + `}`)}
			secs, _, _ := tpl.fill(newFilling(d, "", time.Now(), ""))
			got, found := "", false
			for _, l := range secs[0].Lines {
				if l[0].Label == "Nơi sinh" {
					got, found = l[0].Value, true
				}
			}
			if !found || got != tt.want {
				t.Errorf("Nơi sinh = %q (found %v), want %q", got, found, tt.want)
			}
		})
	}
}

func TestCheckSource(t *testing.T) {
	tests := []struct {
		src string
		ok  bool
	}{
		{"data:population.full_name", true},
		{"data:population.temporary_address", true},
		{"data:residence.permanent", true},
		{"data:residence.head_name", true},
		{"data:residence.temporary_period", true},
		{"data:population.temporary_until", true},
		{"result:valid_until", true},
		{"data:population.no_such_field", false},
		{"data:land.parcel_id", false},
		{"data:residence.previous", false},
		{"data:", false},
		{"form:", false},
	}
	for _, tt := range tests {
		if err := checkSource(tt.src); (err == nil) != tt.ok {
			t.Errorf("checkSource(%q) = %v, want ok %v", tt.src, err, tt.ok)
		}
	}
}

// TestBirthReRegistration: the re-registration of a birth (1.004884) prints
// the Giấy khai sinh of the person its declaration names
// (nguoi_duoc_dang_ky), who is also the holder — never dots or the requester.
func TestBirthReRegistration(t *testing.T) {
	tpl := templates["giay-khai-sinh"]
	d := &dossier.Dossier{Form: json.RawMessage(`{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345",
		"nguoi_duoc_dang_ky":{"ho_ten":"Nguyễn Thị Hoa","ngay_sinh":"1960-03-08","gioi_tinh":"Nữ","noi_sinh":"Xã Đông Anh, Thành phố Hà Nội",
		"so_dinh_danh":"001160001234","dan_toc":"Kinh","quoc_tich":"Việt Nam"}}`)}
	secs, holder, holderID := tpl.fill(newFilling(d, "", time.Now(), ""))
	if holder != "Nguyễn Thị Hoa" || holderID != "001160001234" {
		t.Errorf("holder = %q %q, want the re-registered person", holder, holderID)
	}
	got := map[string]string{}
	for _, l := range secs[0].Lines {
		for _, f := range l {
			got[f.Label] = f.Value
		}
	}
	for label, want := range map[string]string{
		"Họ, chữ đệm, tên": "NGUYỄN THỊ HOA", "Giới tính": "Nữ", "Dân tộc": "Kinh", "Quốc tịch": "Việt Nam",
		"Nơi sinh": "Xã Đông Anh, Thành phố Hà Nội", "Số định danh cá nhân": "001160001234",
	} {
		if got[label] != want {
			t.Errorf("%s = %q, want %q", label, got[label], want)
		}
	}
}
