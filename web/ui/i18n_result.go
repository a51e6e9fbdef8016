package ui

// English of the electronic results: the verification page and the link on
// the dossier page.
func init() {
	addEnglish(map[string]string{
		"Xác thực kết quả điện tử": "Verify an electronic result",
		"Kết luận":                 "Verdict",
		"HỢP LỆ":                   "VALID",
		"KHÔNG HỢP LỆ":             "NOT VALID",
		"Văn bản còn nguyên vẹn, chữ ký số hợp lệ, chứng thư còn hiệu lực và chưa bị thu hồi.": "The document is intact, its digital signature is valid, the certificate is in force and not revoked.",
		"Không tin cậy văn bản này: xem kiểm tra không đạt bên dưới.":                          "Do not trust this document: see the failed check below.",
		"Tệp trùng khớp từng byte với kết quả đã lưu trên hệ thống.":                           "The file is byte for byte the result stored by the system.",
		"Tệp không trùng khớp với kết quả đã lưu trên hệ thống.":                               "The file does not match the result stored by the system.",
		"Các bước kiểm tra":               "Checks",
		"Đạt":                             "Passed",
		"Không đạt":                       "Failed",
		"Người ký":                        "Signer",
		"Thời điểm ký":                    "Signing time",
		"Thông tin kết quả":               "About the result",
		"Kết quả":                         "Result",
		"Người được cấp":                  "Issued to",
		"Cơ quan cấp":                     "Issuing agency",
		"Ngày cấp":                        "Date of issue",
		"Kiểm tra tệp PDF nhận được":      "Check a PDF you received",
		"Tệp kết quả (PDF, tối đa 20 MB)": "Result file (PDF, at most 20 MB)",
		"Xác thực":                        "Verify",
		"Kết quả điện tử":                 "Electronic result",
		"Tải kết quả điện tử (đã ký số)": "Download the electronic result (digitally signed)",
		"Xác thực kết quả":               "Verify the result",
		// check titles (pki.Report.Checks)
		"Phạm vi ký":         "Signed range",
		"Toàn vẹn nội dung":  "Integrity",
		"Chữ ký số":          "Digital signature",
		"Chứng thư số":       "Certificate chain",
		"Thời hạn chứng thư": "Certificate validity",
		"Tình trạng thu hồi": "Revocation",
	})
}
