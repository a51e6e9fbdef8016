package ui

// The texts of an agency's fee account in the console (issue 15).
func init() {
	addTexts(map[string]text{
		"admin.bank.link":  {"Tài khoản nhận phí, lệ phí (VietQR)", "Fee account (VietQR)"},
		"admin.bank.title": {"Tài khoản nhận phí, lệ phí", "Fee account"},
		"admin.bank.help": {"Người nộp hồ sơ chuyển khoản phí, lệ phí vào tài khoản này bằng mã VietQR. Không có tài khoản: phí, lệ phí nộp tại Bộ phận Một cửa.",
			"Applicants pay fees to this account with a VietQR code. Without an account, fees are paid at the one-stop counter."},
		"admin.bank.current":     {"Tài khoản hiện tại:", "Current account:"},
		"admin.bank.none":        {"Cơ quan chưa có tài khoản nhận chuyển khoản.", "The agency has no account for transfers."},
		"admin.bank.bank":        {"Ngân hàng", "Bank"},
		"admin.bank.choose":      {"— Chọn ngân hàng —", "— Choose a bank —"},
		"admin.bank.number":      {"Số tài khoản", "Account number"},
		"admin.bank.number_help": {"Từ 6 đến 19 chữ số, không có dấu cách.", "6 to 19 digits, without spaces."},
		"admin.bank.holder":      {"Tên chủ tài khoản", "Account holder"},
		"admin.bank.holder_help": {"Được lưu bằng chữ in hoa không dấu, như ngân hàng in (ví dụ: UY BAN NHAN DAN XA …).",
			"Stored in capitals without diacritics, as banks print it (e.g. UY BAN NHAN DAN XA …)."},
		"admin.bank.save":    {"Lưu tài khoản", "Save the account"},
		"admin.bank.saved":   {"Đã lưu tài khoản nhận phí, lệ phí.", "Fee account saved."},
		"admin.bank.remove":  {"Bỏ tài khoản (nộp tại quầy)", "Remove the account (pay at the counter)"},
		"admin.bank.removed": {"Đã bỏ tài khoản: phí, lệ phí nộp tại Bộ phận Một cửa.", "Account removed: fees are paid at the counter."},
	})
}
