package ui

// The texts of the national catalogue's sync in the administrators'
// console.
func init() {
	addTexts(map[string]text{
		"admin.national.title": {"Đồng bộ danh mục thủ tục quốc gia", "Sync with the national procedure catalogue"},
		"admin.national.link":  {"Đồng bộ danh mục quốc gia", "Sync with the national catalogue"},
		"admin.national.help": {"Đọc danh mục thủ tục hành chính trên Cổng Dịch vụ công quốc gia và so sánh với danh mục của tỉnh. Chỉ thông tin do trung ương công bố (tên, lĩnh vực, cấp thực hiện, thời hạn giải quyết, phí, lệ phí, căn cứ pháp lý) được cập nhật; biểu mẫu tờ khai, quy trình, thành phần hồ sơ và cơ quan giải quyết do tỉnh cấu hình được giữ nguyên. Thủ tục mới được nhập dưới dạng bản nháp để tỉnh hoàn thiện rồi công bố.",
			"Reads the procedure catalogue of the national public service portal and compares it with the province's. Only what the national level publishes (name, field, level, processing time, fees, legal basis) is updated; the declaration forms, workflows, components and handling agencies the province configured are kept. New procedures come in as drafts for the province to complete and publish."},
		"admin.national.show":             {"Xem thay đổi", "Show the changes"},
		"admin.national.changes":          {"Các thay đổi", "Changes"},
		"admin.national.summary":          {"Danh mục quốc gia có %d thủ tục cấp tỉnh, cấp xã: %d thủ tục mới, %d thủ tục thay đổi, %d thủ tục bãi bỏ, %d không đổi.", "The national catalogue has %d province and commune procedures: %d new, %d changed, %d withdrawn, %d unchanged."},
		"admin.national.fetched_at":       {"(đọc lúc %s)", "(read at %s)"},
		"admin.national.new":              {"Thủ tục mới (nhập dưới dạng bản nháp)", "New procedures (imported as drafts)"},
		"admin.national.draft_updated":    {"cập nhật bản nháp đã có", "updates the existing draft"},
		"admin.national.code":             {"Mã thủ tục", "Procedure code"},
		"admin.national.name":             {"Tên thủ tục", "Procedure name"},
		"admin.national.missing":          {"Tỉnh cần bổ sung", "The province must add"},
		"admin.national.changed":          {"Thủ tục có thông tin thay đổi", "Procedures whose information changed"},
		"admin.national.information":      {"Thông tin", "Information"},
		"admin.national.province_value":   {"Hiện tại của tỉnh", "The province's now"},
		"admin.national.national_value":   {"Theo danh mục quốc gia", "In the national catalogue"},
		"admin.national.withdrawn":        {"Thủ tục bị bãi bỏ (không nhận hồ sơ mới; hồ sơ đang giải quyết không bị ảnh hưởng)", "Procedures withdrawn (no new dossiers; dossiers in progress are not affected)"},
		"admin.national.draft_dropped":    {"bản nháp sẽ bị xoá", "the draft is deleted"},
		"admin.national.local_only":       {"Thủ tục có mã tạm của tỉnh, không có trên danh mục quốc gia (giữ nguyên):", "Procedures under a provisional code of the province, not in the national catalogue (kept as they are):"},
		"admin.national.central":          {"%d thủ tục cấp trung ương không thuộc tỉnh (không nhập).", "%d procedures of central level are not the province's (not imported)."},
		"admin.national.published_drafts": {"%d bản nháp đã được công bố sẽ được dọn.", "%d drafts published since are cleaned up."},
		"admin.national.confirm_help":     {"Chỉ các thay đổi trên được áp dụng, trong một lần. Nếu danh mục quốc gia hoặc danh mục của tỉnh thay đổi trong lúc này, hệ thống yêu cầu xem lại.", "Exactly the changes above are applied, at once. If the national or the province's catalogue changes meanwhile, you are asked to look again."},
		"admin.national.apply":            {"Áp dụng các thay đổi", "Apply the changes"},
		"admin.national.cancel":           {"Hủy", "Cancel"},
		"admin.national.no_change":        {"Danh mục của tỉnh đã khớp với danh mục quốc gia.", "The province's catalogue matches the national one."},
		"admin.national.applied":          {"Đã áp dụng: %d thủ tục mới (bản nháp), %d thủ tục cập nhật, %d thủ tục bãi bỏ.", "Applied: %d new procedures (drafts), %d updated, %d withdrawn."},
		"admin.national.drafts":           {"Bản nháp chờ hoàn thiện", "Drafts to complete"},
		"admin.national.drafts_help":      {"Bản nháp chưa thuộc danh mục: tỉnh bổ sung biểu mẫu tờ khai, quy trình, cơ quan có thẩm quyền và mức độ trực tuyến rồi lưu để công bố.", "A draft is not in the catalogue yet: add the declaration form, the workflow, the competent agency and the online level, then save it to publish it."},
		"admin.national.no_draft":         {"Không có bản nháp nào.", "No draft."},
		"admin.national.complete":         {"Hoàn thiện và công bố", "Complete and publish"},

		"admin.national.field.name":            {"Tên thủ tục", "Name"},
		"admin.national.field.field":           {"Lĩnh vực", "Field"},
		"admin.national.field.level":           {"Cấp thực hiện", "Level"},
		"admin.national.field.processing_time": {"Thời hạn giải quyết", "Processing time"},
		"admin.national.field.fees":            {"Phí, lệ phí", "Fees"},
		"admin.national.field.legal_basis":     {"Căn cứ pháp lý", "Legal basis"},
		"admin.national.field.withdrawn":       {"Hiệu lực", "In force"},

		"admin.procedure.from_draft": {"Bản nháp từ danh mục thủ tục quốc gia: bổ sung biểu mẫu tờ khai, quy trình, cơ quan có thẩm quyền và mức độ trực tuyến rồi lưu để công bố.",
			"A draft from the national procedure catalogue: add the declaration form, the workflow, the competent agency and the online level, then save to publish it."},
	})
}
