package ui

// The texts of issue 15's result documents: the number and signer on the
// verification page, the leader's draft, the write-backs in quarantine.
func init() {
	addTexts(map[string]text{
		"verify.number":            {"Số", "Number"},
		"result.draft_heading":     {"Dự thảo kết quả", "Draft of the result"},
		"result.draft_open":        {"Xem dự thảo kết quả (PDF) trước khi trình ký, ký", "See the draft of the result (PDF) before it is submitted for signing and signed"},
		"result.draft_personal":    {"Cơ quan ký kết quả bằng chữ ký số cá nhân: kết quả mang chữ ký số cá nhân của lãnh đạo hoàn thành bước ký.", "The agency signs its results with personal digital signatures: the result carries the personal signature of the leader who completes the signing step."},
		"result.draft_seal":        {"Kết quả mang chữ ký số của cơ quan (con dấu) kèm họ tên của lãnh đạo hoàn thành bước ký.", "The result carries the agency's digital signature (seal) with the name of the leader who completes the signing step."},
		"result.draft_help":        {"Kết quả được cấp số trong sổ và ký số khi hoàn thành bước ký.", "The result is numbered in the register and signed when the signing step is completed."},
		"result.writeback_heading": {"Dữ liệu chưa ghi được vào cơ sở dữ liệu dùng chung", "Data not written to the shared databases"},
		"result.writeback_help":    {"Các bản ghi sau bị cách ly vì chưa đạt quy tắc chất lượng. Sửa dữ liệu nguồn rồi ghi lại.", "These records were quarantined by the quality rules. Fix the source data, then write them again."},
		"result.writeback_inbox":   {"Kết quả của các hồ sơ sau có bản ghi bị cách ly: mở hồ sơ để xem lý do, sửa dữ liệu nguồn rồi ghi lại.", "The results of these dossiers have quarantined records: open a dossier to see why, fix the source data, then write again."},
		"result.writeback_retry":   {"Ghi lại dữ liệu", "Write again"},
		"verify.signed_by":         {"Người ký", "Signed by"},
	})
}
