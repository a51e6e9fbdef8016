package dvcqg_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dvcqg"
)

// A LayThuTuc answer as the systems in use read it, values as strings or
// numbers.
const birthRecord = `{"MATTHC":"1.001193","TENTTHC":"Đăng ký  khai sinh ",
 "LINHVUCTHUCHIEN":[{"MALINHVUC":"G09-TP03","TENLINHVUC":"Hộ tịch"}],
 "CAPTHUCHIEN":[{"CAPTHUCHIEN":"4","TENCAP":"Cấp Xã"}],
 "CACHTHUCTHUCHIEN":[
   {"KENH":2,"THOIGIAN":[{"THOIGIANGIAIQUYET":"0.5","DONVITINH":"Ngày làm việc","PHILEPHI":[]}]},
   {"KENH":"1","THOIGIAN":[{"THOIGIANGIAIQUYET":1,"DONVITINH":"Ngày làm việc","MOTA":"","PHILEPHI":[
     {"MAPHILEPHI":"LP01","SOTIEN":"8.000","DONVI":"Đồng","MOTA":"Lệ phí đăng ký khai sinh"},
     {"MAPHILEPHI":"LP01","SOTIEN":0,"DONVI":"Đồng","MOTA":"Miễn lệ phí đúng hạn"}]}]}],
 "CANCUPHAPLY":[{"SOVANBAN":"60/2014/QH13","TENVANBAN":"Luật Hộ tịch"},{"SOVANBAN":"123/2015/NĐ-CP","TENVANBAN":"Nghị định số 123/2015/NĐ-CP"}],
 "THANHPHANHOSO":[{"TRUONGHOP":"","GIAYTO":[
   {"MAGIAYTO":"GT01","TENGIAYTO":"Tờ khai đăng ký khai sinh","SOBANCHINH":"1","SOBANSAO":"0","TENMAUDON":"Tờ khai"},
   {"MAGIAYTO":"","TENGIAYTO":"Giấy chứng sinh","SOBANCHINH":"0","SOBANSAO":1}]}],
 "KETQUATHUCHIEN":[{"MAKETQUA":"KQ01","TENKETQUA":"Giấy khai sinh"}],
 "TRANGTHAI":1, "MOTADOITUONGTHUCHIEN":"Công dân"}`

func TestProcedureRecordFields(t *testing.T) {
	var r dvcqg.ProcedureRecord
	if err := json.Unmarshal([]byte(birthRecord), &r); err != nil {
		t.Fatal(err)
	}
	f := r.Fields(dvcqg.ProcedureItem{MaTTHC: "1.001193", TenTTHC: "Tên trong danh sách", TenLinhVuc: "Lĩnh vực trong danh sách"})
	want := dvcqg.NationalFields{Code: "1.001193", Name: "Đăng ký khai sinh", Field: "Hộ tịch", Level: catalog.LevelCommune, InForce: true,
		ProcessingTime: &catalog.Duration{Days: 1},
		Fees:           []catalog.Fee{{Code: "LP01", Name: "Lệ phí đăng ký khai sinh", Amount: 8000}, {Code: "LP02", Name: "Miễn lệ phí đúng hạn", Amount: 0}},
		LegalBasis:     []string{"Luật Hộ tịch số 60/2014/QH13", "Nghị định số 123/2015/NĐ-CP"},
		Components: []catalog.Component{{Code: "GT01", Name: "Tờ khai đăng ký khai sinh", Required: true, Form: catalog.FormOriginal, Template: "Tờ khai"},
			{Code: "TP02", Name: "Giấy chứng sinh", Required: true, Form: catalog.FormCopy}},
		Result: "Giấy khai sinh"}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("Fields =\n%+v\nwant\n%+v", f, want)
	}
}

func TestNationalFieldsUnread(t *testing.T) {
	for _, tc := range []struct {
		name   string
		record string
		check  func(dvcqg.NationalFields) bool
	}{
		{"months are not working days", `{"CACHTHUCTHUCHIEN":[{"KENH":1,"THOIGIAN":[{"THOIGIANGIAIQUYET":"2","DONVITINH":"Tháng"}]}]}`,
			func(f dvcqg.NationalFields) bool { return f.ProcessingTime == nil && f.Fees != nil && len(f.Fees) == 0 }},
		{"hours", `{"CACHTHUCTHUCHIEN":[{"KENH":1,"THOIGIAN":[{"THOIGIANGIAIQUYET":"4","DONVITINH":"Giờ làm việc"}]}]}`,
			func(f dvcqg.NationalFields) bool {
				return f.ProcessingTime != nil && *f.ProcessingTime == catalog.Duration{Hours: 4}
			}},
		{"a fee that is not an amount", `{"CACHTHUCTHUCHIEN":[{"KENH":1,"THOIGIAN":[{"THOIGIANGIAIQUYET":"3","DONVITINH":"Ngày","PHILEPHI":[{"MAPHILEPHI":"LP","SOTIEN":"Theo quy định","DONVI":"Đồng"}]}]}]}`,
			func(f dvcqg.NationalFields) bool { return f.Fees == nil && f.ProcessingTime != nil }},
		{"a fee in dollars", `{"CACHTHUCTHUCHIEN":[{"KENH":1,"THOIGIAN":[{"THOIGIANGIAIQUYET":"3","DONVITINH":"Ngày","PHILEPHI":[{"MAPHILEPHI":"LP","SOTIEN":"10","DONVI":"USD"}]}]}]}`,
			func(f dvcqg.NationalFields) bool { return f.Fees == nil }},
		{"no ways: nothing said", `{}`, func(f dvcqg.NationalFields) bool {
			return f.Fees == nil && f.ProcessingTime == nil && f.LegalBasis == nil
		}},
		{"withdrawn", `{"TRANGTHAI":"0"}`, func(f dvcqg.NationalFields) bool { return !f.InForce }},
		{"several cases: no paper required", `{"THANHPHANHOSO":[{"GIAYTO":[{"MAGIAYTO":"A","TENGIAYTO":"Giấy A"}]},{"GIAYTO":[{"MAGIAYTO":"A","TENGIAYTO":"Giấy A'"},{"MAGIAYTO":"B","TENGIAYTO":"Giấy B"}]}]}`,
			func(f dvcqg.NationalFields) bool {
				return len(f.Components) == 3 && !f.Components[0].Required && f.Components[1].Code == "TP02" && f.Components[2].Code == "B"
			}},
	} {
		var r dvcqg.ProcedureRecord
		if err := json.Unmarshal([]byte(tc.record), &r); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if f := r.Fields(dvcqg.ProcedureItem{MaTTHC: "1.000001"}); !tc.check(f) {
			t.Errorf("%s: %+v", tc.name, f)
		}
	}
}

func TestLevels(t *testing.T) {
	for in, want := range map[string]struct {
		level   catalog.Level
		central bool
	}{
		`"Cấp Xã"`: {catalog.LevelCommune, false},
		`[{"CAPTHUCHIEN":"2","TENCAP":"Cấp Tỉnh"}]`:   {catalog.LevelProvince, false},
		`{"TENCAP":"Cấp Tỉnh"}`:                       {catalog.LevelProvince, false},
		`[{"TENCAP":"Cấp Tỉnh"},{"TENCAP":"Cấp Xã"}]`: {"", false},
		`[{"TENCAP":"Cấp Bộ"}]`:                       {"", true},
		`[{"TENCAP":"Cấp Bộ"},{"TENCAP":"Cấp Tỉnh"}]`: {catalog.LevelProvince, false},
		`[{"TENCAP":"Cấp Huyện"}]`:                    {"", false},
		`2`:                                           {"", false},
		`null`:                                        {"", false},
	} {
		var l dvcqg.Levels
		if err := json.Unmarshal([]byte(in), &l); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if level, central := l.Level(); level != want.level || central != want.central {
			t.Errorf("%s: %q %v, want %q %v", in, level, central, want.level, want.central)
		}
	}
	var l dvcqg.Levels
	if err := json.Unmarshal([]byte(`true`), &l); err == nil {
		t.Error("a boolean level read")
	}
}

// FuzzProcedureRecord: whatever the portal answers, reading a record and
// its fields never panics, and what it says is within the catalogue's
// bounds.
func FuzzProcedureRecord(f *testing.F) {
	f.Add([]byte(birthRecord))
	f.Add([]byte(`{"CACHTHUCTHUCHIEN":[{"KENH":1,"THOIGIAN":[{"THOIGIANGIAIQUYET":"1e308","DONVITINH":"Ngày"}]}],"CAPTHUCHIEN":7}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r dvcqg.ProcedureRecord
		if json.Unmarshal(b, &r) != nil {
			return
		}
		n := r.Fields(dvcqg.ProcedureItem{})
		if pt := n.ProcessingTime; pt != nil && (pt.Days < 0 || pt.Hours < 0 || pt.Days > 3650 || pt.Hours > 29200 || (pt.Days == 0) == (pt.Hours == 0)) {
			t.Errorf("processing time %+v", *pt)
		}
		for _, x := range n.Fees {
			if x.Amount < 0 || x.Code == "" || x.Name == "" {
				t.Errorf("fee %+v", x)
			}
		}
	})
}
