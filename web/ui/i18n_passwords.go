package ui

// The texts of a forgotten password's reset.
func init() {
	addTexts(map[string]text{
		"password.forgot_link":  {"Quên mật khẩu?", "Forgot your password?"},
		"password.forgot_title": {"Quên mật khẩu", "Forgotten password"},
		"password.forgot_help": {"Nhập tên đăng nhập: nếu tài khoản có địa chỉ thư điện tử, một liên kết đặt lại mật khẩu (dùng một lần, trong 30 phút) sẽ được gửi tới đó.",
			"Enter your username: if the account has an e-mail address, a link to reset the password (once, within 30 minutes) is sent there."},
		"password.forgot_submit": {"Gửi liên kết", "Send the link"},
		"password.forgot_sent": {"Nếu tài khoản tồn tại và có địa chỉ thư điện tử, liên kết đặt lại mật khẩu đã được gửi. Xin kiểm tra hộp thư.",
			"If the account exists and has an e-mail address, the reset link has been sent. Please check your mailbox."},
		"password.reset_title":  {"Đặt lại mật khẩu", "Reset your password"},
		"password.new":          {"Mật khẩu mới (ít nhất 8 ký tự)", "New password (8 characters or more)"},
		"password.confirm":      {"Nhập lại mật khẩu mới", "New password again"},
		"password.reset_submit": {"Đặt mật khẩu mới", "Set the new password"},
		"password.mismatch":     {"Hai lần nhập mật khẩu mới không khớp.", "The two new passwords differ."},
		"password.reset_done": {"Đã đặt mật khẩu mới; các phiên đăng nhập cũ đã kết thúc. Xin đăng nhập lại.",
			"The new password is set; the old sessions have ended. Please sign in again."},
	})
}
