package ui

// The texts of the national sign-on (VNeID / the national public service
// portal).
func init() {
	addTexts(map[string]text{
		"signon.or":   {"Hoặc đăng nhập bằng định danh quốc gia", "Or sign in with your national identity"},
		"signon.with": {"Đăng nhập bằng", "Sign in with"},
		"signon.help": {"Công dân, doanh nghiệp và tổ chức dùng tài khoản định danh điện tử (VNeID) hoặc tài khoản Cổng Dịch vụ công quốc gia; không cần tạo mật khẩu riêng tại tỉnh.",
			"Citizens, businesses and organisations use their electronic identity (VNeID) or national public service portal account; no password of the province is needed."},
		"signon.link.title": {"Liên kết tài khoản", "Link your account"},
		"signon.link.help": {"Số định danh của bạn đã có tài khoản %s tại tỉnh. Nhập mật khẩu của tài khoản đó để liên kết với định danh quốc gia (chỉ một lần); sau đó bạn đăng nhập bằng định danh quốc gia.",
			"Your identity number already has the account %s here. Enter that account's password to link it to your national identity (once); you then sign in with your national identity."},
		"signon.link.password": {"Mật khẩu của tài khoản tại tỉnh", "Password of your account here"},
		"signon.link.submit":   {"Liên kết và đăng nhập", "Link and sign in"},
		"signon.link.cancel":   {"Không liên kết, quay lại trang đăng nhập", "Do not link; back to the sign-in page"},
		"signon.link.expired": {"Yêu cầu liên kết đã hết hạn hoặc không còn; xin đăng nhập lại bằng định danh quốc gia.",
			"The link request has expired or is gone; please sign in with your national identity again."},
	})
}
