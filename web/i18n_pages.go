package web

// English of the layout and of the portal's and workbench's pages.
func init() {
	addEnglish(map[string]string{
		"Dịch vụ công":               "Public services",
		"Bỏ qua, đến nội dung chính": "Skip to main content",
		"Điều hướng chính":           "Main navigation",
		"Thủ tục hành chính":         "Administrative procedures",
		"Tra cứu hồ sơ":              "Track a dossier",
		"Hồ sơ":                      "Dossiers",
		"Đăng xuất":                  "Sign out",
		"Đăng nhập":                  "Sign in",
		"Hệ thống thông tin giải quyết thủ tục hành chính": "Administrative Procedure Information System",
		"Trang chủ":       "Home",
		"Bảng điều khiển": "Dashboard",
		"Quản trị":        "Administration",
		"Lỗi":             "Error",
	})
}
