package ui

// The texts of the procedure search (issue 15): "did you mean" on the
// portal's list and the console's page of everyday search terms.
func init() {
	addTexts(map[string]text{
		"search.did_you_mean": {"Bạn có muốn tìm:", "Did you mean:"},

		"admin.section.terms": {"Từ khóa tìm kiếm", "Search terms"},
		"admin.section.terms_about": {"Cách gọi thông dụng và theo vùng miền (sổ đỏ, giấy khai sanh, cất nhà…) gắn với thủ tục, để tìm kiếm hiểu đúng điều người dân gõ.",
			"Everyday and regional words (sổ đỏ, giấy khai sanh, cất nhà…) mapped to procedures, so that the search understands what people type."},
		"admin.terms.title": {"Từ khóa tìm kiếm", "Search terms"},
		"admin.terms.help": {"Mỗi từ khóa là một cách gọi mà người dân hay dùng, gắn với một hoặc nhiều thủ tục: khi câu tìm kiếm chứa từ khóa, các thủ tục đó được xếp lên đầu. Từ khóa không phân biệt dấu, chữ hoa hay khoảng trắng; thay đổi có hiệu lực ngay cho lần tìm tiếp theo.",
			"Each term is a way people name something, mapped to one or more procedures: when a query contains the term, those procedures rank first. Terms ignore diacritics, case and spacing; a change applies to the next search."},
		"admin.terms.add":           {"Thêm từ khóa", "Add a term"},
		"admin.terms.edit":          {"Sửa từ khóa", "Edit the term"},
		"admin.terms.phrase":        {"Từ khóa", "Term"},
		"admin.terms.codes":         {"Mã thủ tục", "Procedure codes"},
		"admin.terms.codes_help":    {"Một hoặc nhiều mã, cách nhau bởi dấu phẩy, ví dụ: 1.013978, DEMO-009.", "One or more codes separated by commas, e.g. 1.013978, DEMO-009."},
		"admin.terms.note":          {"Ghi chú", "Note"},
		"admin.terms.save":          {"Lưu từ khóa", "Save the term"},
		"admin.terms.cancel":        {"Hủy sửa", "Cancel editing"},
		"admin.terms.list":          {"Danh sách từ khóa (%d)", "Terms (%d)"},
		"admin.terms.filter":        {"Lọc theo từ khóa hoặc mã thủ tục", "Filter by term or procedure code"},
		"admin.terms.filter_button": {"Lọc", "Filter"},
		"admin.terms.caption":       {"Các từ khóa tìm kiếm", "The search terms"},
		"admin.terms.procedures":    {"Thủ tục", "Procedures"},
		"admin.terms.actions":       {"Thao tác", "Actions"},
		"admin.terms.edit_link":     {"Sửa", "Edit"},
		"admin.terms.delete":        {"Xóa", "Delete"},
		"admin.terms.none":          {"Không có từ khóa nào.", "No term."},
		"admin.terms.missing":       {"(không còn trong danh mục)", "(no longer in the catalogue)"},
		"admin.terms.saved":         {"Đã lưu từ khóa.", "The term was saved."},
		"admin.terms.deleted":       {"Đã xóa từ khóa.", "The term was deleted."},
	})
}
