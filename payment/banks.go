package payment

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/errs"
)

// Bank is a bank that takes VietQR transfers: its NAPAS BIN (the
// acquirer ID of tag 38/01/00), its short code and the name people know.
type Bank struct {
	BIN       string `json:"bin"`
	Code      string `json:"code"`
	ShortName string `json:"short_name"`
	Name      string `json:"name"`
}

// Banks are the domestic banks of the VietQR bank list (the list NAPAS
// members publish for VietQR, as public VietQR libraries copy it, read
// 2026-12): those with a 9704xx BIN, the ones an agency's fee account
// can be at. Provisional: the list changes as banks merge or rename (the
// State Treasury's accounts are at Agribank, BIDV, VietinBank and
// Vietcombank); a bank missing here is added here.
var Banks = []Bank{
	{"970405", "VBA", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"},
	{"970418", "BIDV", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"},
	{"970415", "ICB", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"},
	{"970436", "VCB", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"},
	{"970416", "ACB", "ACB", "Ngân hàng TMCP Á Châu"},
	{"970425", "ABB", "ABBANK", "Ngân hàng TMCP An Bình"},
	{"970409", "BAB", "BacABank", "Ngân hàng TMCP Bắc Á"},
	{"970438", "BVB", "BaoVietBank", "Ngân hàng TMCP Bảo Việt"},
	{"970454", "VCCB", "BVBank", "Ngân hàng TMCP Bản Việt"},
	{"970444", "CBB", "CBBank", "Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam"},
	{"970446", "COOPBANK", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam"},
	{"970431", "EIB", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"},
	{"970408", "GPB", "GPBank", "Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu"},
	{"970437", "HDB", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"},
	{"970452", "KLB", "KienLongBank", "Ngân hàng TMCP Kiên Long"},
	{"970449", "LPB", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"},
	{"970422", "MB", "MBBank", "Ngân hàng TMCP Quân đội"},
	{"970414", "MBV", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại"},
	{"970426", "MSB", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"},
	{"970428", "NAB", "NamABank", "Ngân hàng TMCP Nam Á"},
	{"970419", "NCB", "NCB", "Ngân hàng TMCP Quốc Dân"},
	{"970448", "OCB", "OCB", "Ngân hàng TMCP Phương Đông"},
	{"970430", "PGB", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"},
	{"970412", "PVCB", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"},
	{"970403", "STB", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"},
	{"970400", "SGICB", "SaigonBank", "Ngân hàng TMCP Sài Gòn Công Thương"},
	{"970440", "SEAB", "SeABank", "Ngân hàng TMCP Đông Nam Á"},
	{"970443", "SHB", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội"},
	{"970407", "TCB", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"},
	{"970423", "TPB", "TPBank", "Ngân hàng TMCP Tiên Phong"},
	{"970441", "VIB", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"},
	{"970427", "VAB", "VietABank", "Ngân hàng TMCP Việt Á"},
	{"970433", "VIETBANK", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín"},
	{"970432", "VPB", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"},
	{"970421", "VRB", "VRB", "Ngân hàng Liên doanh Việt - Nga"},
}

// BankByBIN finds a bank of Banks by its BIN.
func BankByBIN(bin string) (Bank, bool) {
	i := slices.IndexFunc(Banks, func(b Bank) bool { return b.BIN == bin })
	if i < 0 {
		return Bank{}, false
	}
	return Banks[i], true
}

// Account numbers: NAPAS carries up to 19 characters in tag 38/01/01
// (FACTS-CITIZEN §1.1); an agency's account is all digits, and no
// domestic bank's account number is shorter than 6.
const (
	AccountMinDigits = 6
	AccountMaxDigits = 19
)

// AccountHolder is an account holder's name as banks print it: upper
// case, without diacritics (đ → D), single spaces ("Công an phường Ba
// Đình" → "CONG AN PHUONG BA DINH").
// Letters other than Vietnamese ones are kept, for CheckAccount to refuse.
func AccountHolder(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// CheckAccount checks an account to receive VietQR transfers: a BIN of
// Banks, a number of 6–19 digits, a holder's name (given in any case, with
// or without diacritics). It returns the holder as banks print it and the
// bank, or the fields in error ("bin", "number", "name").
func CheckAccount(bin, number, holder string) (string, Bank, []errs.FieldError) {
	var fe []errs.FieldError
	bank, ok := BankByBIN(bin)
	if !ok {
		fe = append(fe, errs.FieldError{Field: "bin", Key: "unknown_bank", Message: "Ngân hàng không có trong danh sách ngân hàng nhận chuyển khoản VietQR."})
	}
	if n := len(number); n < AccountMinDigits || n > AccountMaxDigits || strings.Trim(number, "0123456789") != "" {
		fe = append(fe, errs.FieldError{Field: "number", Key: "invalid", Message: "Số tài khoản gồm từ 6 đến 19 chữ số."})
	}
	h := AccountHolder(holder)
	switch {
	case h == "":
		fe = append(fe, errs.FieldError{Field: "name", Key: "required", Message: "Cần tên chủ tài khoản."})
	case len(h) > 70 || strings.Trim(h, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-&()/") != "":
		fe = append(fe, errs.FieldError{Field: "name", Key: "invalid", Message: "Tên chủ tài khoản chỉ gồm chữ, số và dấu câu thông thường, tối đa 70 ký tự."})
	}
	return h, bank, fe
}
