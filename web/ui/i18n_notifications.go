package ui

// The texts of the page where an applicant chooses how they are told of
// their dossiers.
func init() {
	addTexts(map[string]text{
		"nav.notifications":         {"Nhận thông báo", "Notifications"},
		"notify.title":              {"Cách nhận thông báo về hồ sơ", "How you are told about your dossiers"},
		"notify.intro":              {"Khi hồ sơ của bạn được tiếp nhận, cần bổ sung, cần nộp phí, đã có kết quả hoặc bị chậm so với ngày hẹn, hệ thống gửi thông báo theo các cách bạn chọn dưới đây. Nếu bạn chưa chọn, thông báo được gửi qua thư điện tử.", "When your dossier is received, needs more documents, has fees to pay, has its result or is late, the system tells you in the ways you choose below. Until you choose, you are told by e-mail."},
		"notify.channels":           {"Gửi thông báo qua", "Send notifications by"},
		"notify.channel.email":      {"Thư điện tử", "E-mail"},
		"notify.channel.sms":        {"Tin nhắn SMS", "SMS"},
		"notify.channel.zalo":       {"Tin nhắn Zalo", "Zalo message"},
		"notify.no_address":         {"tài khoản chưa có địa chỉ này", "your account has no such address"},
		"notify.lang":               {"Ngôn ngữ của thông báo", "Language of the notifications"},
		"notify.save":               {"Lưu lựa chọn", "Save"},
		"notify.saved":              {"Đã lưu cách nhận thông báo.", "Your choice has been saved."},
		"notify.none_offered":       {"Hệ thống hiện chưa gửi thông báo qua thư điện tử hay tin nhắn.", "The system sends no e-mail or text notifications at present."},
		"notify.sent_heading":       {"Thông báo đã gửi cho người nộp", "Notifications to the applicant"},
		"notify.event.received":     {"tiếp nhận hồ sơ", "dossier received"},
		"notify.event.supplement":   {"yêu cầu bổ sung", "supplement requested"},
		"notify.event.payment":      {"đề nghị nộp phí, lệ phí", "fees to pay"},
		"notify.event.result":       {"đã có kết quả", "result ready"},
		"notify.event.apology":      {"thư xin lỗi, hẹn lại", "apology, new date"},
		"notify.event.verification": {"gia hạn để xác minh", "time extended for a verification"},
		"notify.state.pending":      {"đang chờ gửi", "waiting to be sent"},
		"notify.state.sent":         {"đã gửi", "sent"},
		"notify.state.failed":       {"gửi không được", "could not be sent"},
	})
}
