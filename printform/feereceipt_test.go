package printform

import (
	"bytes"
	"testing"
	"time"
)

func TestFeeReceipt(t *testing.T) {
	r := FeeReceipt{
		Agency: Agency{Name: "Công an phường Ba Đình", Parent: "Công an thành phố Hà Nội", Place: "Hà Nội"},
		Number: "DEMOMC0123456789AB", PaidAt: time.Date(2026, 11, 24, 3, 5, 0, 0, time.UTC),
		Payer: "Nguyễn Văn An", PayerID: "001090012345", DossierCode: "000.00.70.H01-261124-00001", ProcedureName: "Đăng ký thường trú",
		Lines: []FeeLine{{Name: "Lệ phí đăng ký thường trú (nộp hồ sơ trực tuyến)", Amount: 10000}}, Method: "Chuyển khoản ngân hàng (VietQR)",
		Reference: "MC0123456789AB", LookupURL: "https://motcua.example/tra-cuu?ma=1",
	}
	b, err := RenderFeeReceipt(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:8])
	}
	again, _ := RenderFeeReceipt(r)
	if !bytes.Equal(b, again) {
		t.Error("the same receipt renders differently")
	}
	for _, bad := range []func(*FeeReceipt){
		func(r *FeeReceipt) { r.Payer = " " },
		func(r *FeeReceipt) { r.Lines = nil },
		func(r *FeeReceipt) { r.PaidAt = time.Time{} },
		func(r *FeeReceipt) { r.Lines = []FeeLine{{Name: "x", Amount: -5}, {Name: "y", Amount: 10}} },
	} {
		c := r
		bad(&c)
		if _, err := RenderFeeReceipt(c); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
