package results_test

import (
	"testing"

	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
)

// Form 01 prints what the system knows: the applicant's address, the
// statutory processing time and how the result is received; dots only
// where nothing is known.
func TestPrintDossierReceiptLines(t *testing.T) {
	cases := []struct {
		name                  string
		d                     dossier.Dossier
		address, time, result string
	}{
		{"post", dossier.Dossier{Applicant: dossier.Applicant{Address: "Số 18, ngõ 25, phố Văn Cao"}, ProcessingTime: catalog.Duration{Days: 1},
			Delivery: &dossier.Delivery{Method: dossier.DeliveryPost, Address: "Số 12 phố Đội Cấn"}},
			"Số 18, ngõ 25, phố Văn Cao", "1 ngày làm việc", "Qua dịch vụ bưu chính công ích, gửi đến: Số 12 phố Đội Cấn"},
		{"online, in hours", dossier.Dossier{ProcessingTime: catalog.Duration{Hours: 4}, Delivery: &dossier.Delivery{Method: dossier.DeliveryOnline}},
			"", "4 giờ làm việc", "Trực tuyến (bản điện tử trên tài khoản dịch vụ công)"},
		{"counter", dossier.Dossier{ProcessingTime: catalog.Duration{Days: 15}, Delivery: &dossier.Delivery{Method: dossier.DeliveryCounter}},
			"", "15 ngày làm việc", "Bộ phận Một cửa"},
		{"not chosen", dossier.Dossier{ProcessingTime: catalog.Duration{Days: 3}}, "", "3 ngày làm việc", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pd := results.PrintDossier(&c.d)
			if pd.ApplicantAddress != c.address || pd.StatutoryTime != c.time || pd.ResultChannel != c.result {
				t.Errorf("address %q, time %q, result %q; want %q, %q, %q", pd.ApplicantAddress, pd.StatutoryTime, pd.ResultChannel, c.address, c.time, c.result)
			}
		})
	}
}
