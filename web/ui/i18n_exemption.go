package ui

// The texts of a claimed fee exemption (issue 15): the submission form's
// choice and the dossier page's claim with the counter's decision.
func init() {
	addTexts(map[string]text{
		"exemption.heading": {"Đề nghị miễn lệ phí", "Fee exemption claim"},
		"exemption.choose":  {"Trường hợp được miễn (nếu có)", "Exemption that applies (if any)"},
		"exemption.none":    {"Không đề nghị miễn", "No exemption claimed"},
		"exemption.proof_file": {"Giấy tờ chứng minh được miễn (PDF, JPEG, PNG)",
			"Proof of the exemption (PDF, JPEG, PNG)"},
		"exemption.help": {"Cán bộ tiếp nhận kiểm tra giấy tờ chứng minh khi tiếp nhận hồ sơ. Đến lúc đó phí, lệ phí ghi: “Miễn lệ phí (đề nghị: …) – chờ kiểm tra”. Nếu không được chấp nhận, bạn nộp mức phí thông thường và được báo lý do.",
			"The receiving official checks the proof when the dossier is received. Until then the fee reads “Fee exempted (claimed: …) – to be checked”. If the claim is refused, you pay the normal fee and are told why."},
		"exemption.counter_help": {"Người nộp xuất trình giấy tờ chứng minh tại quầy: khi bấm tiếp nhận, cán bộ xác nhận miễn lệ phí (ghi vào lịch sử hồ sơ và nhật ký). Không chấp nhận thì để “Không đề nghị miễn”: hồ sơ nộp mức phí thông thường.",
			"The applicant shows the proof at the counter: on receiving, you confirm the exemption (recorded in the dossier's history and the audit log). If you do not accept it, leave “No exemption claimed”: the normal fee applies."},
		"exemption.counter_scan": {"Bản chụp giấy tờ chứng minh (không bắt buộc; PDF, JPEG, PNG)",
			"Scan of the proof (optional; PDF, JPEG, PNG)"},
		"exemption.at_counter":     {"Miễn lệ phí (%s) – xác nhận khi tiếp nhận", "Fee exempted (%s) – confirmed on receipt"},
		"exemption.proof_data":     {"cán bộ kiểm tra trong dữ liệu dùng chung", "the official checks the shared data"},
		"exemption.proof":          {"Giấy tờ chứng minh", "Proof"},
		"exemption.view_proof":     {"Xem giấy tờ đã nộp", "View the proof handed in"},
		"exemption.pending":        {"Miễn lệ phí (đề nghị: %s) – chờ kiểm tra", "Fee exempted (claimed: %s) – to be checked"},
		"exemption.confirmed":      {"Đã xác nhận miễn lệ phí (%s) — %s", "Fee exemption confirmed (%s) — %s"},
		"exemption.refused":        {"Không chấp nhận miễn lệ phí — %s. Lý do: %s", "Fee exemption refused — %s. Reason: %s"},
		"exemption.fee_if_refused": {"Mức phí nếu không được miễn: %s", "Fee if not exempted: %s"},
		"exemption.reason":         {"Lý do không chấp nhận (bắt buộc khi không chấp nhận)", "Reason for refusing (required to refuse)"},
		"exemption.confirm":        {"Xác nhận miễn lệ phí", "Confirm the exemption"},
		"exemption.refuse":         {"Không chấp nhận miễn lệ phí", "Refuse the exemption"},
		"exemption.decide_help": {"Kiểm tra giấy tờ chứng minh (hoặc dữ liệu dùng chung) trước khi tiếp nhận hồ sơ.",
			"Check the proof (or the shared data) before receiving the dossier."},
	})
}
