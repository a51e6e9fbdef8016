package ui

// The texts of the pages that guide: the error pages (Vietnamese first,
// English second on the same page), the page after a submission, and the
// pages' description for search engines.
func init() {
	addTexts(map[string]text{
		"error.home":        {"Trang chủ", "Home page"},
		"error.status_code": {"Mã lỗi", "Error code"},
		"error.status_400":  {"Yêu cầu không hợp lệ", "Bad request"},
		"error.explain_400": {"Địa chỉ hoặc dữ liệu gửi lên không đúng. Xin kiểm tra lại đường dẫn hoặc quay lại trang trước.", "The address or the data sent is not right. Check the link or go back to the previous page."},
		"error.status_401":  {"Cần đăng nhập", "Sign-in required"},
		"error.explain_401": {"Trang này chỉ dành cho người đã đăng nhập. Sau khi đăng nhập, bạn sẽ được đưa trở lại đây.", "This page is for signed-in users. After signing in you will be brought back here."},
		"error.status_403":  {"Không có quyền truy cập", "Access denied"},
		"error.explain_403": {"Tài khoản của bạn không có quyền xem trang hoặc thực hiện thao tác này. Nếu bạn cho rằng đây là nhầm lẫn, xin liên hệ bộ phận một cửa.", "Your account may not see this page or take this action. If you think this is a mistake, contact the one-stop counter."},
		"error.status_404":  {"Không tìm thấy trang", "Page not found"},
		"error.explain_404": {"Trang bạn tìm không tồn tại hoặc đã được chuyển đi. Xin kiểm tra lại địa chỉ, hoặc tìm thủ tục và tra cứu hồ sơ từ các liên kết dưới đây.", "The page you are looking for does not exist or has moved. Check the address, or find a procedure or track a dossier from the links below."},
		"error.status_405":  {"Thao tác không được hỗ trợ", "Method not allowed"},
		"error.explain_405": {"Địa chỉ này không nhận cách gửi yêu cầu này. Xin dùng các nút và biểu mẫu trên trang.", "This address does not take this kind of request. Use the buttons and forms of the pages."},
		"error.status_409":  {"Hồ sơ đã thay đổi", "Conflict"},
		"error.explain_409": {"Yêu cầu không phù hợp với tình trạng hiện tại. Xin tải lại trang để xem tình trạng mới nhất.", "The request does not fit the current state. Reload the page to see the latest state."},
		"error.status_413":  {"Dữ liệu gửi lên quá lớn", "Too large"},
		"error.explain_413": {"Tệp hoặc dữ liệu gửi lên vượt quá giới hạn cho phép.", "The file or data sent is larger than allowed."},
		"error.status_415":  {"Định dạng không được hỗ trợ", "Unsupported format"},
		"error.explain_415": {"Định dạng dữ liệu gửi lên không được hỗ trợ.", "The format of the data sent is not supported."},
		"error.status_422":  {"Dữ liệu chưa hợp lệ", "Invalid data"},
		"error.explain_422": {"Một số thông tin chưa đúng. Xin quay lại, sửa các mục được nêu và gửi lại.", "Some information is not right. Go back, correct what is named and send again."},
		"error.status_429":  {"Quá nhiều yêu cầu", "Too many requests"},
		"error.explain_429": {"Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Xin đợi một lát rồi thử lại.", "You sent too many requests in a short time. Wait a moment and try again."},
		"error.status_500":  {"Hệ thống gặp lỗi", "Something went wrong"},
		"error.explain_500": {"Đã có lỗi ngoài ý muốn; lỗi đã được ghi lại để xử lý. Xin thử lại sau ít phút.", "An unexpected error happened and was recorded. Try again in a few minutes."},
		"error.status_503":  {"Hệ thống tạm ngừng phục vụ", "Service unavailable"},
		"error.explain_503": {"Hệ thống đang bảo trì hoặc quá tải. Xin thử lại sau ít phút.", "The system is under maintenance or overloaded. Try again in a few minutes."},

		"meta.procedure":   {"%s — thành phần hồ sơ, thời hạn giải quyết, lệ phí và nộp hồ sơ trực tuyến tại %s.", "%s — documents, processing time, fees and online submission in %s."},
		"meta.description": {"Cổng dịch vụ công %s: tìm thủ tục hành chính, nộp hồ sơ trực tuyến, theo dõi tiến độ và nhận kết quả điện tử.", "Public service portal of %s: find administrative procedures, submit applications online, track them and receive electronic results."},
	})
}
