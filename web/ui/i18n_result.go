package ui

// The texts of the electronic results' verification page.
func init() {
	addTexts(map[string]text{
		"verify.about":          {"Thông tin kết quả", "About the result"},
		"verify.checks":         {"Các bước kiểm tra", "Checks"},
		"verify.date_of_issue":  {"Ngày cấp", "Date of issue"},
		"verify.does_not_match": {"Tệp không trùng khớp với kết quả đã lưu trên hệ thống.", "The file does not match the result stored by the system."},
		"verify.dossier_code":   {"Mã hồ sơ", "Dossier code"},
		"verify.failed":         {"Không đạt", "Failed"},
		"verify.issued_to":      {"Người được cấp", "Issued to"},
		"verify.issuing_agency": {"Cơ quan cấp", "Issuing agency"},
		"verify.matches":        {"Tệp trùng khớp từng byte với kết quả đã lưu trên hệ thống.", "The file is byte for byte the result stored by the system."},
		"verify.not_valid":      {"KHÔNG HỢP LỆ", "NOT VALID"},
		"verify.not_valid_help": {"Không tin cậy văn bản này: xem kiểm tra không đạt bên dưới.", "Do not trust this document: see the failed check below."},
		"verify.passed":         {"Đạt", "Passed"},
		"verify.procedure":      {"Thủ tục", "Procedure"},
		"verify.result":         {"Kết quả", "Result"},
		"verify.signer":         {"Người ký", "Signer"},
		"verify.signature_kind": {"Loại chữ ký", "Kind of signature"},
		"verify.kind_personal":  {"Chữ ký số cá nhân của người ký", "The signer's personal digital signature"},
		"verify.kind_seal":      {"Chữ ký số của cơ quan (con dấu) kèm họ tên người ký", "The agency's digital signature (seal) with the signer's name"},
		"verify.signing_time":   {"Thời điểm ký", "Signing time"},
		"verify.submit":         {"Xác thực", "Verify"},
		"verify.title":          {"Xác thực kết quả điện tử", "Verify an electronic result"},
		"verify.upload_file":    {"Tệp kết quả (PDF, tối đa 20 MB)", "Result file (PDF, at most 20 MB)"},
		"verify.upload_heading": {"Kiểm tra tệp PDF nhận được", "Check a PDF you received"},
		"verify.valid":          {"HỢP LỆ", "VALID"},
		"verify.valid_help":     {"Văn bản còn nguyên vẹn, chữ ký số hợp lệ, chứng thư còn hiệu lực và chưa bị thu hồi.", "The document is intact, its digital signature is valid, the certificate is in force and not revoked."},
		"verify.verdict":        {"Kết luận", "Verdict"},
	})
}
