package ui

// The texts of the login sessions' page and the console's section.
func init() {
	addTexts(map[string]text{
		"nav.sessions":                    {"Phiên đăng nhập", "Sessions"},
		"sessions.current":                {"phiên này", "this session"},
		"sessions.device":                 {"Thiết bị", "Device"},
		"sessions.end":                    {"Kết thúc", "End"},
		"sessions.ended":                  {"Đã kết thúc phiên đăng nhập.", "The session has ended."},
		"sessions.intro":                  {"Các nơi tài khoản của bạn đang đăng nhập. Nếu thấy phiên lạ, hãy kết thúc phiên đó và đổi mật khẩu. Phiên không dùng trong một thời gian sẽ tự kết thúc.", "Where your account is signed in. If you see a session you do not know, end it and change your password. A session unused for a while ends by itself."},
		"sessions.ip":                     {"Địa chỉ IP", "IP address"},
		"sessions.last_used":              {"Dùng lần cuối", "Last used"},
		"sessions.signed_in":              {"Đăng nhập lúc", "Signed in"},
		"sessions.title":                  {"Phiên đăng nhập", "Login sessions"},
		"sessions.unknown_device":         {"Thiết bị không rõ", "Unknown device"},
		"admin.account.end_sessions":      {"Kết thúc mọi phiên", "End all sessions"},
		"admin.account.end_sessions_help": {"Đăng xuất tài khoản khỏi mọi thiết bị ngay lập tức; người dùng có thể đăng nhập lại.", "Signs the account out of every device at once; the user may sign in again."},
		"admin.account.sessions":          {"Phiên đăng nhập", "Login sessions"},
		"admin.account.sessions_ended":    {"Đã kết thúc mọi phiên đăng nhập của tài khoản.", "All of the account's sessions have ended."},
	})
}
