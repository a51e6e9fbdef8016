package ui

import (
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
)

// English of the layout, the portal's pages and the names the domain gives
// in Vietnamese (statuses, actions, roles, levels).
func init() {
	addEnglish(map[string]string{
		// layout
		"Dịch vụ công":               "Public services",
		"Bỏ qua, đến nội dung chính": "Skip to main content",
		"Điều hướng chính":           "Main navigation",
		"Thủ tục hành chính":         "Administrative procedures",
		"Tra cứu hồ sơ":              "Track a dossier",
		"Hồ sơ":                      "Dossiers",
		"Đăng xuất":                  "Sign out",
		"Đăng nhập":                  "Sign in",
		"Hệ thống thông tin giải quyết thủ tục hành chính": "Administrative Procedure Information System",
		"Trang chủ":          "Home",
		"Lỗi":                "Error",
		"Bảng điều khiển":    "Dashboard",
		"Quản trị":           "Administration",
		"Tiếp nhận tại quầy": "Counter intake",
		// home, search, procedure
		"Dịch vụ công trực tuyến":        "Online public services",
		"Tìm thủ tục hành chính":         "Find an administrative procedure",
		"Ví dụ: đăng ký khai sinh":       "For example: đăng ký khai sinh (birth registration)",
		"Tìm kiếm":                       "Search",
		"Thủ tục theo lĩnh vực":          "Procedures by field",
		"Thủ tục theo cấp thực hiện":     "Procedures by level",
		"Cấp xã":                         "Commune level",
		"Cấp tỉnh":                       "Province level",
		"%d thủ tục":                     "%d procedures",
		"phù hợp với “%s”":               "matching “%s”",
		"trong lĩnh vực %s":              "in the field %s",
		"Danh sách thủ tục":              "List of procedures",
		"Mã":                             "Code",
		"Tên thủ tục":                    "Procedure",
		"Lĩnh vực":                       "Field",
		"Cấp":                            "Level",
		"Thời hạn":                       "Time limit",
		"Trực tuyến":                     "Online",
		"Không tìm thấy thủ tục nào.":    "No procedure found.",
		"Mã thủ tục":                     "Procedure code",
		"Cấp thực hiện":                  "Level",
		"Thời hạn giải quyết":            "Processing time",
		"Mức độ trực tuyến":              "Online level",
		"Phí, lệ phí":                    "Fees and charges",
		"Kết quả":                        "Result",
		"Nộp hồ sơ trực tuyến":           "Apply online",
		"Thành phần hồ sơ":               "Dossier components",
		"Giấy tờ":                        "Document",
		"Bắt buộc":                       "Required",
		"Hình thức":                      "Form",
		"Có":                             "Yes",
		"Không":                          "No",
		"có thể thay bằng dữ liệu từ %s": "can be replaced by data from %s",
		"Trình tự thực hiện":             "Steps",
		"Căn cứ pháp lý":                 "Legal basis",
		"Một số thông tin của thủ tục này đang được rà soát:": "Some information about this procedure is under review:",
		"%d giờ làm việc":        "%d working hours",
		"%d ngày làm việc":       "%d working days",
		"Toàn trình":             "Fully online",
		"Một phần":               "Partly online",
		"Miễn phí":               "Free of charge",
		"Bản chính":              "Original",
		"Bản sao":                "Copy",
		"Bản chính hoặc bản sao": "Original or copy",
		"Cơ sở dữ liệu quốc gia về dân cư": "National population database",
		"Cơ sở dữ liệu hộ tịch điện tử":    "Electronic civil-status database",
		// login, look-up
		"Tên đăng nhập":      "Username",
		"Mật khẩu":           "Password",
		"Mã hồ sơ":           "Dossier code",
		"Tra cứu":            "Look up",
		"Thủ tục":            "Procedure",
		"Trạng thái":         "Status",
		"quá hạn":            "overdue",
		"Ngày nộp":           "Submitted",
		"Ngày tiếp nhận":     "Received",
		"Chưa tiếp nhận":     "Not yet received",
		"Ngày hẹn trả":       "Due",
		"Cơ quan đang xử lý": "Handling agency",
	})
	// The domain's names.
	addEnglish(map[string]string{
		dossier.StatusNew.Name():        "Registered",
		dossier.StatusReceived.Name():   "Received",
		dossier.StatusRefused.Name():    "Not accepted",
		dossier.StatusProcessing.Name(): "Being processed",
		dossier.StatusSupplement.Name(): "Supplement requested",
		dossier.StatusPayment.Name():    "Payment requested",
		dossier.StatusWithdrawn.Name():  "Withdrawn by the applicant",
		dossier.StatusStopped.Name():    "Processing stopped",
		dossier.StatusDone.Name():       "Processed",
		dossier.StatusReturned.Name():   "Result returned",
	})
	actions := map[dossier.Action]string{
		dossier.ActSubmit: "submit", dossier.ActReceive: "receive", dossier.ActRefuse: "refuse", dossier.ActRequestSupplement: "request a supplement",
		dossier.ActSupplement: "supplement", dossier.ActClaim: "take over", dossier.ActAssign: "assign", dossier.ActCompleteStep: "complete the step",
		dossier.ActSendBack: "send back to the previous step", dossier.ActRequestPayment: "request payment", dossier.ActPay: "pay", dossier.ActWithdraw: "withdraw",
		dossier.ActStop: "stop processing", dossier.ActApologize: "apologise and set a new date", dossier.ActReturn: "return the result",
	}
	m := map[string]string{}
	for a, en := range actions {
		m[dossier.ActionName(a)] = en
		m[upperFirst(dossier.ActionName(a))] = upperFirst(en)
	}
	for _, r := range identity.Roles {
		m[r.Vietnamese()] = map[identity.Role]string{
			identity.RoleReceiver: "Counter officer (one-stop)", identity.RoleSpecialist: "Case specialist", identity.RoleLeader: "Leader",
			identity.RoleClerk: "Clerk", identity.RoleAdmin: "System administrator", identity.RoleViewer: "Report viewer",
		}[r]
	}
	addEnglish(m)
}
