package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/web/auth"
)

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// List is the shape of every list: {"items": [...], "total": N}.
type List[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total" doc:"Number of matching items (all pages)"`
}

type listOut[T any] struct {
	Body List[T]
}

func list[T any](items []T, total int) *listOut[T] {
	if items == nil {
		items = []T{}
	}
	return &listOut[T]{Body: List[T]{Items: items, Total: total}}
}

type bodyOut[T any] struct {
	Body T
}

func body[T any](v T) *bodyOut[T] { return &bodyOut[T]{Body: v} }

// ProvinceItem is a province in lists.
type ProvinceItem struct {
	Code         string `json:"code" example:"01"`
	Name         string `json:"name" example:"Thành phố Hà Nội"`
	Type         string `json:"type" example:"thành phố trung ương"`
	CommuneCount int    `json:"commune_count"`
}

func (s *Server) routes() {
	tagUnits := []string{"Đơn vị hành chính"}
	register(s, huma.Operation{OperationID: "list-provinces", Method: http.MethodGet, Path: "/api/v1/units/provinces", Summary: "Danh sách 34 tỉnh, thành phố", Tags: tagUnits}, public,
		func(ctx context.Context, _ *struct{}) (*listOut[ProvinceItem], error) {
			ps := s.app.Kernel.Units.Provinces()
			out := make([]ProvinceItem, len(ps))
			for i, p := range ps {
				out[i] = ProvinceItem{Code: p.Code, Name: p.Name, Type: p.Type, CommuneCount: len(p.Communes)}
			}
			return list(out, len(out)), nil
		})
	register(s, huma.Operation{OperationID: "get-province", Method: http.MethodGet, Path: "/api/v1/units/provinces/{code}", Summary: "Một tỉnh, thành phố", Tags: tagUnits}, public,
		func(ctx context.Context, in *struct {
			Code string `path:"code" pattern:"^[0-9]{2}$"`
		}) (*bodyOut[ProvinceItem], error) {
			p, err := s.app.Kernel.Units.Province(in.Code)
			if err != nil {
				return nil, err
			}
			return body(ProvinceItem{Code: p.Code, Name: p.Name, Type: p.Type, CommuneCount: len(p.Communes)}), nil
		})
	register(s, huma.Operation{OperationID: "list-communes", Method: http.MethodGet, Path: "/api/v1/units/provinces/{code}/communes", Summary: "Các xã, phường, đặc khu của một tỉnh", Tags: tagUnits}, public,
		func(ctx context.Context, in *struct {
			Code string `path:"code" pattern:"^[0-9]{2}$"`
			Q    string `query:"q" maxLength:"100" doc:"Tên (có hoặc không dấu)"`
		}) (*listOut[unit.Commune], error) {
			cs, err := s.app.Kernel.Units.FindCommunes(in.Code, in.Q)
			if err != nil {
				return nil, err
			}
			return list(cs, len(cs)), nil
		})
	register(s, huma.Operation{OperationID: "get-commune", Method: http.MethodGet, Path: "/api/v1/units/communes/{code}", Summary: "Một xã, phường, đặc khu", Tags: tagUnits}, public,
		func(ctx context.Context, in *struct {
			Code string `path:"code" pattern:"^[0-9]{5}$"`
		}) (*bodyOut[unit.Commune], error) {
			c, err := s.app.Kernel.Units.Commune(in.Code)
			if err != nil {
				return nil, err
			}
			return body(c), nil
		})
	register(s, huma.Operation{OperationID: "resolve-old-commune", Method: http.MethodGet, Path: "/api/v1/units/old-communes/{code}", Summary: "Xã cũ (trước 1/7/2025) nay thuộc xã nào", Tags: tagUnits}, public,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"5"`
		}) (*bodyOut[unit.Resolution], error) {
			r, err := s.app.Kernel.Units.ResolveOld(in.Code)
			if err != nil {
				return nil, err
			}
			return body(r), nil
		})

	tagAgencies := []string{"Cơ quan"}
	register(s, huma.Operation{OperationID: "list-agencies", Method: http.MethodGet, Path: "/api/v1/agencies", Summary: "Các cơ quan của tỉnh", Tags: tagAgencies}, public,
		func(ctx context.Context, in *struct {
			Kind    string `query:"kind" enum:"province_committee,service_centre,department,commune_committee,police,social_insurance,"`
			Sector  string `query:"sector" maxLength:"50"`
			Commune string `query:"commune" maxLength:"5"`
		}) (*listOut[unit.Agency], error) {
			as, err := s.app.Province.Agencies(ctx, unit.AgencyFilter{Kind: unit.AgencyKind(in.Kind), Sector: in.Sector, CommuneCode: in.Commune})
			if err != nil {
				return nil, err
			}
			return list(as, len(as)), nil
		})
	register(s, huma.Operation{OperationID: "get-agency", Method: http.MethodGet, Path: "/api/v1/agencies/{id}", Summary: "Một cơ quan", Tags: tagAgencies}, public,
		func(ctx context.Context, in *struct {
			ID string `path:"id" maxLength:"20"`
		}) (*bodyOut[unit.Agency], error) {
			a, err := s.app.Province.Agency(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})
	register(s, huma.Operation{OperationID: "put-agency", Method: http.MethodPut, Path: "/api/v1/agencies/{id}", Summary: "Tạo hoặc sửa một cơ quan", Tags: tagAgencies, SkipValidateBody: true}, needs(identity.PermAgencyManage),
		func(ctx context.Context, in *struct {
			ID   string `path:"id" maxLength:"20"`
			Body unit.Agency
		}) (*bodyOut[unit.Agency], error) {
			in.Body.ID = in.ID
			a, err := s.app.Province.PutAgency(ctx, actorOf(ctx), in.Body)
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})
	register(s, huma.Operation{OperationID: "put-agency-bank", Method: http.MethodPut, Path: "/api/v1/agencies/{id}/bank", Summary: "Đặt tài khoản nhận phí, lệ phí (VietQR) của một cơ quan", Tags: tagAgencies,
		Description: "Quản trị hệ thống. Mã BIN của một ngân hàng trong danh sách VietQR, số tài khoản 6–19 chữ số, tên chủ tài khoản (lưu chữ in hoa không dấu như ngân hàng in). Ghi nhật ký agency.bank."}, needs(identity.PermAgencyManage),
		func(ctx context.Context, in *struct {
			ID   string `path:"id" maxLength:"20"`
			Body agencyBankIn
		}) (*bodyOut[unit.Agency], error) {
			a, err := s.app.Province.SetAgencyBank(ctx, actorOf(ctx), in.ID, &unit.BankAccount{BIN: in.Body.BIN, Number: in.Body.Number, Name: in.Body.Name})
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})
	register(s, huma.Operation{OperationID: "delete-agency-bank", Method: http.MethodDelete, Path: "/api/v1/agencies/{id}/bank", Summary: "Bỏ tài khoản nhận phí, lệ phí của một cơ quan (nộp tại quầy)", Tags: tagAgencies}, needs(identity.PermAgencyManage),
		func(ctx context.Context, in *struct {
			ID string `path:"id" maxLength:"20"`
		}) (*bodyOut[unit.Agency], error) {
			a, err := s.app.Province.SetAgencyBank(ctx, actorOf(ctx), in.ID, nil)
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})

	s.catalogRoutes()
	s.calendarRoutes()
	s.authRoutes()
	s.sessionRoutes()
	s.notificationRoutes()
	s.auditRoutes()
	s.dossierRoutes()
	s.paymentRoutes()
	s.registryRoutes()
	s.nationalRoutes()
	s.nationalCatalogRoutes()
	s.portalSyncRoutes()
}

// agencyBankIn is an agency's fee account as the administrator gives it.
type agencyBankIn struct {
	BIN    string `json:"bin" pattern:"^[0-9]{6}$" doc:"NAPAS BIN of a bank of the VietQR list, e.g. 970415 (VietinBank)"`
	Number string `json:"number" minLength:"6" maxLength:"19" doc:"Account number, 6–19 digits"`
	Name   string `json:"name" minLength:"1" maxLength:"200" doc:"Account holder; stored upper case without diacritics, as banks print it"`
}

// procedureSearch is a page of the catalogue's search with its "did you
// mean" (catalog/search), as the portal's list shows it.
type procedureSearch struct {
	List[catalog.Summary]
	Suggestion string `json:"suggestion,omitempty" doc:"The query as the catalogue spells it, when a word was not found as typed (Bạn có muốn tìm: …); absent otherwise"`
}

func (s *Server) catalogRoutes() {
	tag := []string{"Thủ tục hành chính"}
	register(s, huma.Operation{OperationID: "search-procedures", Method: http.MethodGet, Path: "/api/v1/procedures", Summary: "Tìm thủ tục (tiếng Việt có hoặc không dấu)", Tags: tag}, public,
		func(ctx context.Context, in *struct {
			Q      string `query:"q" maxLength:"200" doc:"Từ khóa, ví dụ: dang ky khai sinh"`
			Field  string `query:"field" maxLength:"200" doc:"Lĩnh vực"`
			Level  string `query:"level" enum:"province,commune,"`
			Limit  int    `query:"limit" minimum:"0" maximum:"1000" default:"50"`
			Offset int    `query:"offset" minimum:"0"`
		}) (*bodyOut[procedureSearch], error) {
			r, err := s.app.Province.Search(ctx, catalog.Query{Text: in.Q, Field: in.Field, Level: catalog.Level(in.Level), Limit: in.Limit, Offset: in.Offset})
			if err != nil {
				return nil, err
			}
			return body(procedureSearch{List: list(r.Items, r.Total).Body, Suggestion: r.Suggestion}), nil
		})
	register(s, huma.Operation{OperationID: "get-procedure", Method: http.MethodGet, Path: "/api/v1/procedures/{code}", Summary: "Một thủ tục: thành phần hồ sơ, biểu mẫu, quy trình, phí, thời hạn", Tags: tag}, public,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"40"`
		}) (*bodyOut[catalog.Procedure], error) {
			p, err := s.app.Province.Procedure(ctx, in.Code)
			if err != nil {
				return nil, err
			}
			return body(p), nil
		})
	register(s, huma.Operation{OperationID: "put-procedure", Method: http.MethodPut, Path: "/api/v1/procedures/{code}", Summary: "Tạo hoặc sửa một thủ tục", Tags: tag, SkipValidateBody: true}, needs(identity.PermCatalogManage),
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"40"`
			Body catalog.Procedure
		}) (*bodyOut[catalog.Procedure], error) {
			if in.Body.Code != "" && in.Body.Code != in.Code {
				return nil, errs.New(errs.Invalid, "procedure.code_mismatch", "Mã thủ tục trong đường dẫn và trong nội dung khác nhau.", "code in path and body differ")
			}
			in.Body.Code = in.Code
			p, err := s.app.Province.PutProcedure(ctx, actorOf(ctx), in.Body)
			if err != nil {
				return nil, err
			}
			return body(p), nil
		})
	register(s, huma.Operation{OperationID: "delete-procedure", Method: http.MethodDelete, Path: "/api/v1/procedures/{code}", Summary: "Xóa một thủ tục", Tags: tag, DefaultStatus: 204}, needs(identity.PermCatalogManage),
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"40"`
		}) (*struct{}, error) {
			return nil, s.app.Province.DeleteProcedure(ctx, actorOf(ctx), in.Code)
		})
	register(s, huma.Operation{OperationID: "import-catalog", Method: http.MethodPost, Path: "/api/v1/catalog/import", Summary: "Nhập danh mục thủ tục (JSON, tất cả hoặc không)", Tags: tag, MaxBodyBytes: 64 << 20, SkipValidateBody: true}, needs(identity.PermCatalogManage),
		func(ctx context.Context, in *struct {
			RawBody []byte `contentType:"application/json"`
		}) (*bodyOut[map[string]int], error) {
			ps, err := catalog.Parse(strings.NewReader(string(in.RawBody)))
			if err != nil {
				return nil, err
			}
			n, err := s.app.Province.ImportCatalog(ctx, actorOf(ctx), ps)
			if err != nil {
				return nil, err
			}
			return body(map[string]int{"imported": n}), nil
		})
	register(s, huma.Operation{OperationID: "export-catalog", Method: http.MethodGet, Path: "/api/v1/catalog/export", Summary: "Xuất toàn bộ danh mục thủ tục (JSON)", Tags: tag,
		Description: "Công khai: thủ tục hành chính là thông tin được công bố, mỗi thủ tục như GET /api/v1/procedures/{code}; định dạng như khi nhập."}, public,
		func(ctx context.Context, _ *struct{}) (*bodyOut[catalog.File], error) {
			ps, err := s.app.Province.ExportCatalog(ctx)
			if err != nil {
				return nil, err
			}
			if ps == nil {
				ps = []catalog.Procedure{}
			}
			return body(catalog.File{Version: 1, Procedures: ps}), nil
		})
}

// DueOut is a computed due instant.
type DueOut struct {
	From  time.Time `json:"from"`
	Start time.Time `json:"start" doc:"Khi thời hạn bắt đầu tính (sau giờ hành chính hoặc sau giờ cắt thì sang ngày làm việc tiếp theo)"`
	Due   time.Time `json:"due"`
	Days  int       `json:"days,omitempty"`
	Hours int       `json:"hours,omitempty"`
}

func (s *Server) calendarRoutes() {
	tag := []string{"Lịch làm việc"}
	register(s, huma.Operation{OperationID: "calendar-due", Method: http.MethodGet, Path: "/api/v1/calendar/due", Summary: "Tính hạn giải quyết theo ngày/giờ làm việc", Tags: tag}, public,
		func(ctx context.Context, in *struct {
			From   time.Time `query:"from" required:"true" doc:"RFC 3339, ví dụ 2026-02-13T10:00:00+07:00"`
			Days   int       `query:"days" minimum:"0" maximum:"3650"`
			Hours  int       `query:"hours" minimum:"0" maximum:"10000"`
			Agency string    `query:"agency" maxLength:"20" doc:"Dùng giờ làm việc của cơ quan này"`
		}) (*bodyOut[DueOut], error) {
			due, err := s.app.Province.Due(ctx, in.Agency, in.From, in.Days, in.Hours)
			if err != nil {
				return nil, err
			}
			c, err := s.app.Province.AgencyCalendar(ctx, in.Agency)
			if err != nil {
				return nil, err
			}
			return body(DueOut{From: in.From.In(calendar.VN), Start: c.Start(in.From), Due: due, Days: in.Days, Hours: in.Hours}), nil
		})
	register(s, huma.Operation{OperationID: "calendar-holidays", Method: http.MethodGet, Path: "/api/v1/calendar/holidays", Summary: "Các ngày nghỉ lễ, Tết, nghỉ bù trong năm", Tags: tag}, public,
		func(ctx context.Context, in *struct {
			Year int `query:"year" required:"true" minimum:"1901" maximum:"2199"`
		}) (*listOut[calendar.Holiday], error) {
			hs := s.app.Province.Calendar().Holidays(in.Year)
			return list(hs, len(hs)), nil
		})
	register(s, huma.Operation{OperationID: "list-schedules", Method: http.MethodGet, Path: "/api/v1/calendar/schedules", Summary: "Lịch nghỉ chính thức đã nạp theo năm", Tags: tag}, public,
		func(ctx context.Context, _ *struct{}) (*listOut[calendar.Schedule], error) {
			ss, err := s.app.Province.Schedules(ctx)
			if err != nil {
				return nil, err
			}
			return list(ss, len(ss)), nil
		})
	register(s, huma.Operation{OperationID: "load-schedules", Method: http.MethodPost, Path: "/api/v1/calendar/schedules", Summary: "Nạp lịch nghỉ chính thức (một năm hoặc danh sách)", Tags: tag, SkipValidateBody: true}, needs(identity.PermCalendarManage),
		func(ctx context.Context, in *struct {
			RawBody []byte `contentType:"application/json"`
		}) (*bodyOut[map[string]int], error) {
			ss, err := calendar.ParseSchedules(strings.NewReader(string(in.RawBody)))
			if err != nil {
				return nil, errs.Wrap(errs.Invalid, "schedule.invalid", "Lịch nghỉ không hợp lệ: "+err.Error(), "invalid schedule", err)
			}
			if err := s.app.Province.LoadSchedules(ctx, actorOf(ctx), ss); err != nil {
				return nil, err
			}
			return body(map[string]int{"loaded": len(ss)}), nil
		})
	register(s, huma.Operation{OperationID: "delete-schedule", Method: http.MethodDelete, Path: "/api/v1/calendar/schedules/{year}", Summary: "Bỏ lịch nghỉ đã nạp của một năm", Tags: tag, DefaultStatus: 204}, needs(identity.PermCalendarManage),
		func(ctx context.Context, in *struct {
			Year int `path:"year" minimum:"1901" maximum:"2199"`
		}) (*struct{}, error) {
			return nil, s.app.Province.DeleteSchedule(ctx, actorOf(ctx), in.Year)
		})
}

// maxLoginBody bounds the login request, which anyone may send: its two
// fields hold at most 320 characters. With huma's default of 1 MiB, a body
// padded with whitespace cost about 25 ms of CPU to validate and decode
// before the login's throttle was asked (motcua-bench storm: a third of
// the server's CPU during the storm); the login page reads 8 KiB.
const maxLoginBody = 4 << 10

// LoginIn is the login request.
type LoginIn struct {
	Username string `json:"username" minLength:"1" maxLength:"64"`
	Password string `json:"password" minLength:"1" maxLength:"256"`
}

// MeOut is the caller's account with its roles and permissions.
type MeOut struct {
	identity.Account
	Roles       []RoleOut             `json:"roles"`
	Permissions []identity.Permission `json:"permissions"`
}

// RoleOut is a role at an agency, with names.
type RoleOut struct {
	Role       identity.Role `json:"role"`
	RoleName   string        `json:"role_name"`
	AgencyID   string        `json:"agency_id"`
	AgencyName string        `json:"agency_name"`
}

// AccountIn is a new account as the administrator describes it: the ID
// and the creation time are the platform's, so the request has none. Its
// identity is unverified: identity_verified true is refused (422) rather
// than ignored, so that a script relying on it notices.
type AccountIn struct {
	Username         string           `json:"username"`
	DisplayName      string           `json:"display_name"`
	Kind             identity.Kind    `json:"kind" enum:"citizen,enterprise,official,service"`
	CitizenID        string           `json:"citizen_id,omitempty"`
	IdentityVerified bool             `json:"identity_verified,omitempty" doc:"Must be false or absent: identity is verified through VNeID level 2 or with the ID card at a counter, never by an administrator (true is refused with 422)"`
	TaxCode          string           `json:"tax_code,omitempty"`
	Email            string           `json:"email,omitempty"`
	Phone            string           `json:"phone,omitempty"`
	CommuneCode      string           `json:"commune_code,omitempty"`
	Grants           []identity.Grant `json:"grants,omitempty"`
	Disabled         bool             `json:"disabled,omitempty"`
	Password         string           `json:"password"`
}

func (in AccountIn) newAccount() accounts.NewAccount {
	return accounts.NewAccount{Password: in.Password, Account: identity.Account{Username: in.Username, DisplayName: in.DisplayName, Kind: in.Kind,
		CitizenID: in.CitizenID, IdentityVerified: in.IdentityVerified, TaxCode: in.TaxCode, Email: in.Email, Phone: in.Phone,
		CommuneCode: in.CommuneCode, Grants: in.Grants, Disabled: in.Disabled}}
}

func (s *Server) me(ctx context.Context, acc identity.Account) MeOut {
	out := MeOut{Account: acc, Permissions: acc.PermissionsOf(), Roles: []RoleOut{}}
	if out.Grants == nil {
		out.Grants = []identity.Grant{}
	}
	if out.Permissions == nil {
		out.Permissions = []identity.Permission{}
	}
	for _, g := range acc.Grants {
		r := RoleOut{Role: g.Role, RoleName: g.Role.Vietnamese(), AgencyID: g.AgencyID}
		if a, err := s.app.Province.Agency(ctx, g.AgencyID); err == nil {
			r.AgencyName = a.Name
		}
		out.Roles = append(out.Roles, r)
	}
	return out
}

func (s *Server) authRoutes() {
	tag := []string{"Tài khoản"}
	register(s, huma.Operation{OperationID: "login", Method: http.MethodPost, Path: "/api/v1/auth/login", Summary: "Đăng nhập bằng tên đăng nhập và mật khẩu",
		Description: "Tài khoản có xác thực hai lớp (hoặc phải đăng ký theo chính sách) không nhận token: câu trả lời có `challenge` và `second_factor_required` (gửi mã tới /api/v1/auth/login/second-factor) hoặc `enrolment_required` (đăng ký qua /api/v1/auth/second-factor/totp).",
		Tags:        tag, MaxBodyBytes: maxLoginBody}, public,
		func(ctx context.Context, in *struct{ Body LoginIn }) (*loginOut, error) {
			l, err := s.app.Accounts.Login(ctx, actorOf(ctx), in.Body.Username, in.Body.Password)
			if err != nil {
				return nil, err
			}
			return s.loginOut(ctx, l), nil
		})
	type logoutOut struct {
		SetCookie http.Cookie `header:"Set-Cookie"`
	}
	register(s, huma.Operation{OperationID: "logout", Method: http.MethodPost, Path: "/api/v1/auth/logout", Summary: "Đăng xuất", Tags: tag, DefaultStatus: 204}, loggedIn,
		func(ctx context.Context, _ *struct{}) (*logoutOut, error) {
			if err := s.app.Accounts.Logout(ctx, actorOf(ctx), tokenOf(ctx)); err != nil {
				return nil, err
			}
			return &logoutOut{SetCookie: http.Cookie{Name: auth.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode}}, nil
		})
	s.factorRoutes(tag)
	register(s, huma.Operation{OperationID: "me", Method: http.MethodGet, Path: "/api/v1/me", Summary: "Tài khoản đang đăng nhập, vai trò và cơ quan", Tags: tag}, loggedIn,
		func(ctx context.Context, _ *struct{}) (*bodyOut[MeOut], error) {
			acc, err := s.app.Accounts.Me(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return body(s.me(ctx, acc)), nil
		})
	register(s, huma.Operation{OperationID: "list-accounts", Method: http.MethodGet, Path: "/api/v1/accounts", Summary: "Tìm tài khoản (theo tên, số định danh, cơ quan)", Tags: tag}, needs(identity.PermAccountRead),
		func(ctx context.Context, in *struct {
			Q      string `query:"q" maxLength:"100"`
			Agency string `query:"agency" maxLength:"20"`
			Kind   string `query:"kind" enum:"citizen,enterprise,official,service,"`
			Limit  int    `query:"limit" minimum:"0" maximum:"1000" default:"50"`
			Offset int    `query:"offset" minimum:"0"`
		}) (*listOut[identity.Account], error) {
			as, total, err := s.app.Accounts.Accounts(ctx, actorOf(ctx), identity.AccountFilter{Text: in.Q, AgencyID: in.Agency, Kind: identity.Kind(in.Kind), Limit: in.Limit, Offset: in.Offset})
			if err != nil {
				return nil, err
			}
			return list(as, total), nil
		})
	register(s, huma.Operation{OperationID: "get-account", Method: http.MethodGet, Path: "/api/v1/accounts/{id}", Summary: "Một tài khoản", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			ID int64 `path:"id" minimum:"1"`
		}) (*bodyOut[identity.Account], error) {
			a, err := s.app.Accounts.Account(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})
	register(s, huma.Operation{OperationID: "create-account", Method: http.MethodPost, Path: "/api/v1/accounts", Summary: "Tạo tài khoản", Tags: tag, DefaultStatus: 201}, needs(identity.PermAccountManage),
		func(ctx context.Context, in *struct{ Body AccountIn }) (*bodyOut[identity.Account], error) {
			a, err := s.app.Accounts.CreateAccount(ctx, actorOf(ctx), in.Body.newAccount())
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})
	register(s, huma.Operation{OperationID: "set-grants", Method: http.MethodPut, Path: "/api/v1/accounts/{id}/grants", Summary: "Giao vai trò cho cán bộ (thay toàn bộ)", Tags: tag}, needs(identity.PermAccountManage),
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id" minimum:"1"`
			Body []identity.Grant
		}) (*bodyOut[identity.Account], error) {
			a, err := s.app.Accounts.SetGrants(ctx, actorOf(ctx), in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return body(a), nil
		})
}

func (s *Server) auditRoutes() {
	tag := []string{"Nhật ký"}
	register(s, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/audit", Summary: "Nhật ký kiểm toán, mới nhất trước", Tags: tag}, needs(identity.PermAuditRead),
		func(ctx context.Context, in *struct {
			Before int64  `query:"before" minimum:"0"`
			Actor  int64  `query:"actor" minimum:"0"`
			Action string `query:"action" maxLength:"100"`
			Object string `query:"object" maxLength:"200"`
			Limit  int    `query:"limit" minimum:"0" maximum:"1000" default:"100"`
		}) (*listOut[audit.Entry], error) {
			es, err := s.app.AuditLog.Entries(ctx, actorOf(ctx), audit.Filter{BeforeSeq: in.Before, ActorID: in.Actor, Action: in.Action, Object: in.Object, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			return list(es, len(es)), nil
		})
	register(s, huma.Operation{OperationID: "verify-audit", Method: http.MethodGet, Path: "/api/v1/audit/verify", Summary: "Kiểm tra tính toàn vẹn của chuỗi nhật ký", Tags: tag}, needs(identity.PermAuditRead),
		func(ctx context.Context, _ *struct{}) (*bodyOut[auditlog.VerifyReport], error) {
			r, err := s.app.AuditLog.Verify(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return body(r), nil
		})
}
