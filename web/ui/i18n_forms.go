package ui

// The texts of the submission form's pick-lists, kept files, the
// declaration filled in as a form and the choice of how to receive the
// result.
func init() {
	addTexts(map[string]text{
		"submit.file_not_stored": {"Không lưu được tệp.", "The file could not be stored."},
		"submit.by_form": {"Đã điền ở mục 1: tờ khai điện tử thay cho bản giấy, không cần tải lên.",
			"Filled in above: the electronic declaration replaces the paper, nothing to upload."},
		"submit.file_kept":         {"Tệp đã tải lên, được giữ lại", "File uploaded and kept"},
		"submit.replace_file":      {"Hoặc chọn tệp khác để thay", "Or choose another file instead"},
		"submit.delivery":          {"Nhận kết quả", "Receiving the result"},
		"submit.delivery_counter":  {"Tại Bộ phận Một cửa", "At the one-stop counter"},
		"submit.delivery_post":     {"Qua dịch vụ bưu chính công ích, gửi đến địa chỉ dưới đây", "By public post, to the address below"},
		"submit.delivery_online":   {"Trực tuyến: bản điện tử trong tài khoản dịch vụ công", "Online: the electronic copy in your account"},
		"submit.delivery_address":  {"Địa chỉ nhận kết quả (khi gửi qua bưu chính)", "Address for the result (by post)"},
		"submit.province":          {"Tỉnh, thành phố", "Province"},
		"submit.type_or_choose":    {"Gõ để tìm hoặc chọn trong danh sách", "Type to search or choose from the list"},
		"dossier.delivery":         {"Nhận kết quả", "Result"},
		"dossier.delivery_counter": {"Tại Bộ phận Một cửa", "At the one-stop counter"},
		"dossier.delivery_post":    {"Qua dịch vụ bưu chính công ích", "By public post"},
		"dossier.delivery_online":  {"Trực tuyến, bản điện tử trong tài khoản", "Online, the electronic copy in the account"},
	})
}
