package dossier_test

import (
	"testing"

	"github.com/motcua/motcua/dossier"
)

func TestCheckDelivery(t *testing.T) {
	cases := []struct {
		name     string
		in       *dossier.Delivery
		field    string // "" = valid
		wantAddr string
		wantName string
	}{
		{"not chosen", nil, "", "", ""},
		{"counter, address dropped", &dossier.Delivery{Method: " counter ", Address: "Số 1"}, "", "", "UBND Phường Ba Đình"},
		{"online", &dossier.Delivery{Method: "online"}, "", "", "Trực tuyến (bản điện tử trên tài khoản dịch vụ công)"},
		{"post with address", &dossier.Delivery{Method: "post", Address: "  Số 12 phố Đội Cấn, Ba Đình "}, "", "Số 12 phố Đội Cấn, Ba Đình",
			"Qua dịch vụ bưu chính công ích, gửi đến: Số 12 phố Đội Cấn, Ba Đình"},
		{"post without address", &dossier.Delivery{Method: "post"}, "delivery.address", "", ""},
		{"post, address too short", &dossier.Delivery{Method: "post", Address: "Số 1"}, "delivery.address", "", ""},
		{"post, control character", &dossier.Delivery{Method: "post", Address: "Số 12\x07 phố Huế"}, "delivery.address", "", ""},
		{"unknown method", &dossier.Delivery{Method: "drone"}, "delivery.method", "", ""},
		{"empty method", &dossier.Delivery{}, "delivery.method", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fe := dossier.CheckDelivery(c.in)
			switch {
			case c.field == "" && len(fe) > 0:
				t.Fatalf("errors %v, want none", fe)
			case c.field != "" && (len(fe) != 1 || fe[0].Field != c.field || fe[0].Message == ""):
				t.Fatalf("errors %v, want one on %s", fe, c.field)
			case c.field != "" || c.in == nil:
				return
			}
			if c.in.Address != c.wantAddr {
				t.Errorf("address %q, want %q", c.in.Address, c.wantAddr)
			}
			if got := c.in.Name("UBND Phường Ba Đình"); got != c.wantName {
				t.Errorf("name %q, want %q", got, c.wantName)
			}
		})
	}
}
