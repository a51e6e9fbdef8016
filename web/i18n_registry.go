package web

// English of the shared data: reuse in the submission form, the marks on
// the dossier page, the personal document store and its shared pages.
func init() {
	addEnglish(map[string]string{
		"Lấy từ kho dữ liệu cá nhân":  "Taken from the personal document store",
		"Thay thế bằng dữ liệu":       "Replaced by data",
		"mã":                          "key",
		"Cơ sở dữ liệu đã khai thác:": "Databases used:",
		"Kho dữ liệu":                 "My documents",
		"Giấy tờ này được người sở hữu chia sẻ từ kho dữ liệu cá nhân trên Cổng dịch vụ công của tỉnh.": "The holder shared this document from their personal document store on the province's public service portal.",
		"Người được cấp (số định danh)":               "Holder (personal ID)",
		"Số, ký hiệu":                                 "Number",
		"Xem giấy tờ":                                 "View the document",
		"Kiểm tra chữ ký số và hiệu lực":              "Check its digital signature and validity",
		"Dùng dữ liệu đã có, không cần tải lên:":      "Use the data the state already holds, no upload needed:",
		"Hoặc chọn giấy tờ trong kho dữ liệu cá nhân": "Or choose a document from your personal store",
		"— Không chọn —":                              "— None —",
		"Hoặc tải tệp lên":                            "Or upload a file",
		"Kho dữ liệu cá nhân":                         "Personal document store",
		"Giấy tờ được chia sẻ":                        "Shared document",
		"Kết quả điện tử":                             "Electronic result",
		"Kết quả số hóa":                              "Digitized result",
		"Giấy tờ đã nộp":                              "Document handed in",
		"Kết quả giải quyết thủ tục hành chính điện tử và giấy tờ đã được số hóa của bạn. Dùng lại khi nộp hồ sơ mới: chọn giấy tờ ở phần thành phần hồ sơ, không cần tải lên lại.": "Your electronic results and digitized documents. Reuse them in a new application: choose the document among the components, no need to upload it again.",
		"Đơn vị hành chính cũ":     "Former administrative unit",
		"Trang xác thực":           "Verification page",
		"Liên kết chia sẻ:":        "Share link:",
		"Thu hồi liên kết chia sẻ": "Revoke the share link",
		"Tạo liên kết chia sẻ":     "Create a share link",
		"Kho dữ liệu của bạn chưa có giấy tờ nào. Kết quả các hồ sơ đã giải quyết sẽ tự động được lưu vào đây.": "Your store holds no document yet. The results of your completed applications are saved here automatically.",
	})
}
