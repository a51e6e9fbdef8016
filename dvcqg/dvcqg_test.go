package dvcqg_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func at(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, calendar.VN) }

func ptr[T any](v T) *T { return &v }

// walked is a dossier submitted online with a reused component and a
// shared-database record, asked for a supplement, paid through the
// gateway, decided and returned.
func walked() *dossier.Dossier {
	return &dossier.Dossier{
		Code: "000.00.50.H01-261123-00001", ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Field: "Hộ tịch",
		Status: dossier.StatusReturned, Channel: dossier.ChannelOnline,
		Applicant: dossier.Applicant{AccountID: 7, Name: "Nguyễn Văn An", CitizenID: "001090012345", Address: "12 Phan Đình Phùng", Phone: "0912345678", Email: "an@example.vn"},
		Components: []dossier.Component{
			{Code: "TP1", Name: "Tờ khai đăng ký khai sinh", FileID: "f0a1", ContentType: "application/pdf"},
			{Code: "TP2", Name: "Giấy chứng sinh", DocumentID: "doc-77", Reused: true, FromStore: true},
			{Code: "TP3", Name: "Thông tin cư trú", Data: &dossier.DataRef{Dataset: "population", NationalCode: "CSDLQGDC", Key: "001090012345"}, Reused: true},
		},
		Databases:       []string{"CSDLQGDC"},
		SubmittedAt:     at(23, 8, 0),
		ReceivingAgency: "000.00.50.H01", CompetentAgency: "000.00.50.H01",
		ReceivedAt: ptr(at(23, 9, 30)),
		Deadline:   calendar.Deadline{Due: at(24, 9, 30)},
		Steps: []dossier.Step{
			{Name: "Tiếp nhận", Role: identity.RoleReceiver, AgencyID: "000.00.50.H01", StartedAt: ptr(at(23, 8, 0))},
			{Name: "Thẩm định", Role: identity.RoleSpecialist, AgencyID: "000.00.50.H01", StartedAt: ptr(at(23, 9, 30)), Deadline: calendar.Deadline{Due: at(23, 16, 0)}},
		},
		Current:    -1,
		Payment:    &dossier.Payment{Lines: []dossier.FeeLine{{Code: "LP1", Name: "Lệ phí đăng ký khai sinh", Amount: 8000}}, Total: 8000, PaidAt: ptr(at(23, 11, 0)), Provider: "demo"},
		FinishedAt: ptr(at(23, 15, 0)), ReturnedAt: ptr(at(23, 16, 0)),
		Result: &dossier.Result{ID: "000.00.50.H01-261123-00001.abc", Name: "Giấy khai sinh"},
		History: []dossier.Event{
			{At: at(23, 8, 0), ActorID: 7, Actor: "Nguyễn Văn An", Action: dossier.ActSubmit, To: dossier.StatusNew, Step: -1},
			{At: at(23, 9, 30), Actor: "Vũ Thị Lan", AgencyID: "000.00.50.H01", Action: dossier.ActReceive, From: 1, To: 2, Step: 0},
			{At: at(23, 10, 0), Actor: "Trần Minh Đức", AgencyID: "000.00.50.H01", Action: dossier.ActRequestSupplement, From: 2, To: 5, Step: 1, Note: "Bổ sung bản sao giấy đăng ký kết hôn"},
			{At: at(23, 10, 30), ActorID: 7, Actor: "Nguyễn Văn An", Action: dossier.ActSupplement, From: 5, To: 4, Step: -1},
			{At: at(23, 15, 0), Actor: "Trần Minh Đức Với Một Cái Tên Rất Dài Quá Năm Mươi Ký Tự Để Cắt", AgencyID: "000.00.50.H01", Action: dossier.ActCompleteStep, From: 4, To: 9, Step: 1},
			{At: at(23, 16, 0), Actor: "Vũ Thị Lan", AgencyID: "000.00.50.H01", Action: dossier.ActReturn, From: 9, To: 10, Step: -1},
		},
		Version: 7,
	}
}

func source() dvcqg.Source {
	return dvcqg.Source{
		Mapping: dvcqg.Mapping{Databases: map[string]string{"CSDLQGDC": "7"}, Fields: map[string]string{"Hộ tịch": "G09-TP01"}, Provisional: []string{"databases.CSDLQGDC", "fields.Hộ tịch"}},
		AgencyName: func(id string) string {
			return map[string]string{"000.00.50.H01": "Ủy ban nhân dân Phường Ba Đình"}[id]
		},
		FileURL: func(d *dossier.Dossier, c dossier.Component) string {
			return "https://dichvucong.example.vn/tep/" + d.Code + "/" + c.FileID
		},
		ResultURL: func(d *dossier.Dossier) string {
			return "https://dichvucong.example.vn/xac-thuc/" + d.Result.ID + "/tep"
		},
		VNeID: true,
	}
}

// TestFromDossierGolden: the record and progress of a walked dossier, as
// sent to the portal (testdata/walked.golden; go test -update rewrites it).
func TestFromDossierGolden(t *testing.T) {
	d := walked()
	rec := dvcqg.FromDossier(d, source())
	prog := dvcqg.ProgressOf(d, source())
	if p := rec.Validate(); len(p) > 0 {
		t.Errorf("own record fails validation: %+v", p)
	}
	for i := range prog {
		if p := prog[i].Validate(); len(p) > 0 {
			t.Errorf("progress %d fails validation: %+v", i, p)
		}
	}
	got, err := json.MarshalIndent(map[string]any{"HoSo": rec, "QuaTrinhXuLy": prog}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "walked.golden")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./dvcqg -update)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("record differs from %s:\n%s", golden, got)
	}
	// The round trip through JSON keeps the record.
	var back dvcqg.Dossier
	raw, _ := json.Marshal(rec)
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != string(raw) {
		t.Errorf("round trip changed the record:\n%s\n%s", raw, again)
	}
}

func TestStatusesInOrder(t *testing.T) {
	prog := dvcqg.ProgressOf(walked(), source())
	var got []int
	for _, p := range prog {
		got = append(got, int(p.TrangThai))
	}
	want := []int{1, 2, 5, 4, 9, 10}
	if len(got) != len(want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v", got, want)
		}
	}
}

func TestTime(t *testing.T) {
	utc := time.Date(2026, 11, 23, 2, 30, 15, 0, time.UTC)
	if s := dvcqg.FormatTime(utc); s != "20261123093015" {
		t.Errorf("FormatTime = %q", s)
	}
	for _, tc := range []struct {
		in   string
		ok   bool
		want time.Time
	}{
		{"20261123093015", true, utc},
		{"", true, time.Time{}},
		{"2026-11-23", false, time.Time{}},
		{"20260230090000", false, time.Time{}},
		{"99991231235959", false, time.Time{}},
		{"18991231235959", false, time.Time{}},
		{"202611230930", false, time.Time{}},
	} {
		got, err := dvcqg.ParseTime(tc.in)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseTime(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestCode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{`"2"`, 2, true}, {`2`, 2, true}, {`""`, 0, true}, {`null`, 0, true}, {`" 10 "`, 10, true},
		{`"x"`, 0, false}, {`2.5`, 0, false}, {`"99999999999"`, 0, false}, {`true`, 0, false},
	} {
		var c dvcqg.Code
		err := json.Unmarshal([]byte(tc.in), &c)
		if (err == nil) != tc.ok || (tc.ok && int(c) != tc.want) {
			t.Errorf("Code(%s) = %d, %v", tc.in, c, err)
		}
	}
	if b, _ := json.Marshal(dvcqg.Code(4)); string(b) != `"4"` {
		t.Errorf("Code marshals as %s", b)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*dvcqg.Dossier)
		field  string
	}{
		{"valid", func(*dvcqg.Dossier) {}, ""},
		{"no code", func(d *dvcqg.Dossier) { d.MaHoSo = "" }, "MaHoSo"},
		{"code with spaces", func(d *dvcqg.Dossier) { d.MaHoSo = "a b c" }, "MaHoSo"},
		{"status 11", func(d *dvcqg.Dossier) { d.TrangThaiHoSo = 11 }, "TrangThaiHoSo"},
		{"status 0", func(d *dvcqg.Dossier) { d.TrangThaiHoSo = 0 }, "TrangThaiHoSo"},
		{"channel 4", func(d *dvcqg.Dossier) { d.KenhThucHien = 4 }, "KenhThucHien"},
		{"bad date", func(d *dvcqg.Dossier) { d.NgayNopHoSo = "2026-11-23T08:00:00+07:00" }, "NgayNopHoSo"},
		{"received without NgayTiepNhan", func(d *dvcqg.Dossier) { d.NgayTiepNhan = "" }, "NgayTiepNhan"},
		{"returned without NgayTra", func(d *dvcqg.Dossier) { d.NgayTra = "" }, "NgayTra"},
		{"no applicant", func(d *dvcqg.Dossier) { d.ChuHoSo = "  " }, "ChuHoSo"},
		{"file path not a URL", func(d *dvcqg.Dossier) { d.TaiLieuNop[0].DuongDan = "/etc/passwd" }, "TaiLieuNop[0].DuongDanTaiTepTin"},
		{"reused result without its code", func(d *dvcqg.Dossier) { d.TaiLieuNop[1].MaKetQuaThayThe = "" }, "TaiLieuNop[1].MaKetQuaThayThe"},
		{"ID of 10 digits", func(d *dvcqg.Dossier) { d.DinhDanhCHS[0].SoDinhDanh = "0010900123" }, "DinhDanhCHS[0].SoDinhDanh"},
		{"summary too long", func(d *dvcqg.Dossier) { d.TrichYeuHoSo = strings.Repeat("ạ", 1001) }, "TrichYeuHoSo"},
		{"negative fee", func(d *dvcqg.Dossier) { d.DanhSachLePhi[0].Gia = -1 }, "DanhSachLePhi[0].Gia"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := dvcqg.FromDossier(walked(), source())
			tc.change(&rec)
			p := rec.Validate()
			if tc.field == "" {
				if len(p) > 0 {
					t.Fatalf("problems %+v", p)
				}
				return
			}
			found := false
			for _, f := range p {
				found = found || f.Field == tc.field
				if f.Message == "" {
					t.Errorf("problem without a message: %+v", f)
				}
			}
			if !found {
				t.Errorf("problems %+v, want one on %s", p, tc.field)
			}
			if errs.KindOf(p.Err("Hồ sơ")) != errs.Invalid {
				t.Errorf("Err kind %v", errs.KindOf(p.Err("Hồ sơ")))
			}
		})
	}
}

func TestDecodeBatches(t *testing.T) {
	for _, tc := range []struct {
		in string
		n  int
	}{
		{`[{"MaHoSo":"A-1"}]`, 1},
		{`[]`, -1},
		{`{"MaHoSo":"A-1"}`, -1},
		{`[{"MaHoSo":"A-1"}] [1]`, -1},
		{`[{"MaHoSo":"A-1","TrangThaiHoSo":"x"}]`, -1},
		{`[` + strings.TrimSuffix(strings.Repeat(`{},`, 101), ",") + `]`, -1},
	} {
		got, err := dvcqg.DecodeDossiers([]byte(tc.in))
		if tc.n < 0 {
			if errs.KindOf(err) != errs.Invalid {
				t.Errorf("%.40s: err %v", tc.in, err)
			}
			continue
		}
		if err != nil || len(got) != tc.n {
			t.Errorf("%.40s: %d, %v", tc.in, len(got), err)
		}
	}
}

func TestMappingValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    dvcqg.Mapping
		ok   bool
	}{
		{"empty", dvcqg.Mapping{}, true},
		{"real", dvcqg.Mapping{Procedures: map[string]string{"DEMO-01": "1.000001"}, Databases: map[string]string{"CSDLQGDC": "7"}, Statuses: map[int]int{8: 8}, Provisional: []string{"databases.CSDLQGDC"}}, true},
		{"bad code", dvcqg.Mapping{Procedures: map[string]string{"DEMO 01": "1.000001"}}, false},
		{"status 11", dvcqg.Mapping{Statuses: map[int]int{11: 1}}, false},
		{"two statuses to one", dvcqg.Mapping{Statuses: map[int]int{5: 4, 6: 4}}, false},
		{"provisional names nothing", dvcqg.Mapping{Provisional: []string{"databases.X"}}, false},
	} {
		err := tc.m.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	m := dvcqg.Mapping{Procedures: map[string]string{"DEMO-01": "1.000001"}, Statuses: map[int]int{8: 0}}
	if m.Procedure("DEMO-01") != "1.000001" || m.Procedure("1.001193") != "1.001193" || m.Status(8) != 0 || m.Status(4) != 4 || m.Database("X") != "X" {
		t.Error("mapping look-ups")
	}
}

// FuzzDecode: whatever another system posts, decoding and validating
// neither panics nor accepts a record its own checks refuse.
func FuzzDecode(f *testing.F) {
	rec, _ := json.Marshal([]dvcqg.Dossier{dvcqg.FromDossier(walked(), source())})
	f.Add(rec)
	f.Add([]byte(`[{"MaHoSo":"A","TrangThaiHoSo":2,"NgayNopHoSo":"20261301000000"}]`))
	f.Add([]byte(`[{"TaiLieuNop":[{"DuongDanTaiTepTin":"http://%zz"}]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := dvcqg.DecodeDossiers(b)
		if err != nil {
			return
		}
		for i := range ds {
			_ = ds[i].Validate()
		}
		ps, err := dvcqg.DecodeProgress(b)
		if err != nil {
			return
		}
		for i := range ps {
			_ = ps[i].Validate()
		}
	})
}
