package ui

// The texts of the payment of fees (issue 15): the dossier page's payment
// section with its VietQR code, and the receipt.
func init() {
	addTexts(map[string]text{
		"payment.heading":          {"Thanh toán phí, lệ phí", "Payment of fees"},
		"payment.amount":           {"Số tiền phải nộp", "Amount due"},
		"payment.reference":        {"Nội dung chuyển khoản (mã thanh toán)", "Transfer content (payment reference)"},
		"payment.account":          {"Tài khoản nhận", "Beneficiary account"},
		"payment.demo_account":     {"tài khoản mô phỏng", "demo account"},
		"payment.status":           {"Trạng thái", "Status"},
		"payment.paid":             {"Đã thanh toán", "Paid"},
		"payment.receipt_no":       {"biên lai số", "receipt no."},
		"payment.receipt_download": {"Tải biên lai thu phí, lệ phí điện tử (PDF)", "Download the electronic fee receipt (PDF)"},
		"payment.qr_caption": {"Quét mã VietQR bằng ứng dụng ngân hàng: số tiền và nội dung chuyển khoản đã được điền sẵn.",
			"Scan the VietQR code with a banking app: the amount and the transfer content are filled in."},
		"payment.no_account": {"Cơ quan chưa có tài khoản nhận chuyển khoản: vui lòng nộp tại Bộ phận Một cửa.",
			"The agency has no account for transfers: please pay at the one-stop counter."},
		"payment.waiting": {"Đang chờ ngân hàng xác nhận khoản chuyển khoản. Hồ sơ sẽ tự chuyển sang đã thanh toán khi ngân hàng xác nhận; bạn có thể tải lại trang sau ít phút.",
			"Waiting for the bank to confirm the transfer. The dossier turns to paid when the bank confirms; reload the page in a few minutes."},
		"payment.sent_help": {"Sau khi chuyển khoản đúng số tiền và nội dung trên, bấm nút dưới đây. Hồ sơ chỉ được ghi nhận đã thanh toán khi ngân hàng xác nhận.",
			"Once you have transferred the amount with the content above, press the button below. The dossier is marked paid only when the bank confirms."},
		"payment.sent":     {"Tôi đã chuyển khoản", "I have made the transfer"},
		"payment.qr_label": {"Mã VietQR chuyển khoản phí, lệ phí", "VietQR code of the fee transfer"},
		// The counter's button of dossier.ActPay: the receiver records a fee
		// paid in cash (the applicant is never offered it).
		"button.pay": {"Xác nhận đã thu lệ phí", "Record fee received"},
	})
}

// The fee shown on the submission form.
func init() {
	addTexts(map[string]text{
		"submit.fee":            {"Phí, lệ phí phải nộp khi nộp hồ sơ theo cách này:", "Fees charged when filing this way:"},
		"submit.fee_none":       {"Thủ tục này không thu phí, lệ phí.", "This procedure charges no fee."},
		"submit.fee_exemptions": {"Được miễn (xuất trình giấy tờ chứng minh khi được yêu cầu):", "Exempt (show the proof when asked):"},
	})
}
