package printform

import "testing"

func TestMoneyWords(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "Không đồng"},
		{5, "Năm đồng"},
		{10, "Mười đồng"},
		{15, "Mười lăm đồng"},
		{21, "Hai mươi mốt đồng"},
		{7000, "Bảy nghìn đồng"},
		{10000, "Mười nghìn đồng"},
		{15000, "Mười lăm nghìn đồng"},
		{20000, "Hai mươi nghìn đồng"},
		{105000, "Một trăm linh năm nghìn đồng"},
		{180000, "Một trăm tám mươi nghìn đồng"},
		{1000005, "Một triệu không trăm linh năm đồng"},
		{1234567, "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"},
		{2000000000, "Hai tỷ đồng"},
		{1_000_000_000_000, "Một nghìn tỷ đồng"},
		{-20000, "Âm hai mươi nghìn đồng"},
	} {
		if got := MoneyWords(tc.n); got != tc.want {
			t.Errorf("MoneyWords(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
