// Package identity holds people, organisations and officials, their roles
// scoped to agencies, the permissions roles give, and credentials.
package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/vntext"
)

// Role names an official's role; it is always held at one agency.
type Role string

// Official roles.
const (
	RoleReceiver   Role = "receiver"   // one-stop counter (bộ phận một cửa)
	RoleSpecialist Role = "specialist" // chuyên viên thụ lý
	RoleLeader     Role = "leader"     // lãnh đạo phê duyệt
	RoleClerk      Role = "clerk"      // văn thư
	RoleAdmin      Role = "admin"      // quản trị hệ thống
	RoleViewer     Role = "viewer"     // xem báo cáo
	// RoleNationalPortal is the national public service portal (DVCQG)
	// handing over the dossiers submitted there for this province's
	// procedures: held only by a service account, at the agency on whose
	// behalf the province takes them in (the demo: the province's
	// People's Committee). It gives no access to dossiers.
	RoleNationalPortal Role = "national_portal"
)

// Roles lists every role.
var Roles = []Role{RoleReceiver, RoleSpecialist, RoleLeader, RoleClerk, RoleAdmin, RoleViewer, RoleNationalPortal}

// Vietnamese returns the role's Vietnamese name.
func (r Role) Vietnamese() string {
	switch r {
	case RoleReceiver:
		return "Cán bộ tiếp nhận (một cửa)"
	case RoleSpecialist:
		return "Chuyên viên thụ lý"
	case RoleLeader:
		return "Lãnh đạo"
	case RoleClerk:
		return "Văn thư"
	case RoleAdmin:
		return "Quản trị hệ thống"
	case RoleViewer:
		return "Người xem báo cáo"
	case RoleNationalPortal:
		return "Cổng Dịch vụ công quốc gia (hệ thống)"
	}
	return string(r)
}

// Kind is the kind of an account.
type Kind string

// Account kinds (the national portal's applicant types 1, 2; officials;
// other systems).
const (
	KindCitizen    Kind = "citizen"
	KindEnterprise Kind = "enterprise"
	KindOfficial   Kind = "official"
	// KindService is another system calling this one's API on its own
	// users' behalf (another province node reading a dataset hosted
	// here): it holds roles like an official, but its reads serve the
	// other system's dossiers, which this one cannot see, so they are not
	// bound to a dossier here; they are audited with what it states.
	KindService Kind = "service"
	// KindOrganization is an organisation other than an enterprise (the
	// national sign-on's account type 3), known by its TechID.
	KindOrganization Kind = "organization"
)

// Grant is a role held at an agency.
type Grant struct {
	Role     Role   `json:"role"`
	AgencyID string `json:"agency_id"`
	// Position is the official's position (chức vụ) at the agency, e.g.
	// "Chủ tịch", printed under the signature of the results the official
	// signs; empty: the role's name.
	Position string `json:"position,omitempty"`
	// ForProvince: the agency is a counter configured to receive online
	// dossiers for the whole province (unit.Agency.ReceivesForProvince).
	// The store sets it from the agency when it reads the grant; it is
	// neither stored with the grant nor taken from a request.
	ForProvince bool `json:"-"`
}

// Account is a user of the platform.
type Account struct {
	ID               int64     `json:"id"`
	Username         string    `json:"username"`
	DisplayName      string    `json:"display_name"`
	Kind             Kind      `json:"kind"`
	CitizenID        string    `json:"citizen_id,omitempty"` // 12-digit personal ID (citizens, officials)
	IdentityVerified bool      `json:"identity_verified"`    // identity checked (VNeID level 2 or at a counter)
	TaxCode          string    `json:"tax_code,omitempty"`   // enterprises
	Email            string    `json:"email,omitempty"`
	Phone            string    `json:"phone,omitempty"`
	CommuneCode      string    `json:"commune_code,omitempty"` // residence
	Grants           []Grant   `json:"grants"`
	Disabled         bool      `json:"disabled"`
	PasswordHash     string    `json:"-"`
	CreatedAt        time.Time `json:"created_at"`
	// TechID is the national sign-on's identifier of the account's holder
	// (TechID), sent to the national portal as MaDoiTuong.
	TechID string `json:"tech_id,omitempty"`
	// VNeID: the holder signs on through the national identity at the
	// level the province requires (TaiKhoanDuocXacThucVoiVNeID).
	VNeID bool `json:"vneid,omitempty"`
}

// HasRole reports whether the account holds role at agency ("" = any agency).
func (a *Account) HasRole(role Role, agencyID string) bool {
	for _, g := range a.Grants {
		if g.Role == role && (agencyID == "" || g.AgencyID == agencyID) {
			return true
		}
	}
	return false
}

var (
	usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)
	taxCodePattern  = regexp.MustCompile(`^[0-9]{10}(-[0-9]{3})?$`)
	phonePattern    = regexp.MustCompile(`^(\+84|0)[0-9]{9,10}$`)
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// ValidTaxCode reports whether s has the shape of an enterprise tax code:
// 10 digits, a branch 10 digits, a hyphen and 3 digits.
func ValidTaxCode(s string) bool { return taxCodePattern.MatchString(s) }

// Validate checks an account's fields (not its grants' agencies, which the
// use case checks against the store).
func (a *Account) Validate() error {
	var fe []errs.FieldError
	add := func(field, key, msg string) { fe = append(fe, errs.FieldError{Field: field, Key: key, Message: msg}) }
	a.Username = strings.ToLower(strings.TrimSpace(a.Username))
	if !usernamePattern.MatchString(a.Username) {
		add("username", "invalid", "Tên đăng nhập gồm 3–64 ký tự chữ thường không dấu, số, dấu chấm, gạch.")
	}
	if name, err := vntext.CleanName(a.DisplayName); err != nil {
		key, msg, _ := vntext.Problem(err, "Họ và tên")
		add("display_name", key, msg)
	} else {
		a.DisplayName = name
	}
	switch a.Kind {
	case KindCitizen:
		if a.CitizenID == "" {
			add("citizen_id", "required", "Công dân phải có số định danh cá nhân.")
		}
	case KindEnterprise:
		if !taxCodePattern.MatchString(a.TaxCode) {
			add("tax_code", "invalid", "Mã số doanh nghiệp gồm 10 chữ số (chi nhánh: 10 chữ số, gạch, 3 chữ số).")
		}
	case KindOrganization:
		if a.TechID == "" && !taxCodePattern.MatchString(a.TaxCode) {
			add("tech_id", "required", "Tổ chức phải có mã định danh (TechID) hoặc mã số thuế.")
		}
	case KindOfficial, KindService:
	default:
		add("kind", "invalid", "Loại tài khoản phải là citizen, enterprise, organization, official hoặc service.")
	}
	if a.CitizenID != "" && !ValidCitizenID(a.CitizenID) {
		add("citizen_id", "invalid", "Số định danh cá nhân phải gồm 12 chữ số hợp lệ.")
	}
	if a.Email != "" && !emailPattern.MatchString(a.Email) {
		add("email", "invalid", "Địa chỉ thư điện tử không hợp lệ.")
	}
	if a.Phone != "" && !phonePattern.MatchString(a.Phone) {
		add("phone", "invalid", "Số điện thoại không hợp lệ.")
	}
	for i, g := range a.Grants {
		if !slices.Contains(Roles, g.Role) {
			add(fmt.Sprintf("grants[%d].role", i), "invalid", "Vai trò không hợp lệ.")
		}
		if g.AgencyID == "" {
			add(fmt.Sprintf("grants[%d].agency_id", i), "required", "Vai trò phải gắn với một cơ quan.")
		}
		if a.Kind != KindOfficial && a.Kind != KindService {
			add(fmt.Sprintf("grants[%d]", i), "not_official", "Chỉ tài khoản cán bộ hoặc hệ thống mới được giao vai trò.")
		} else if g.Role == RoleNationalPortal && a.Kind != KindService {
			add(fmt.Sprintf("grants[%d].role", i), "service_only", "Vai trò Cổng Dịch vụ công quốc gia chỉ giao cho tài khoản hệ thống.")
		}
	}
	if len(fe) > 0 {
		return errs.InvalidFields("account.invalid", "Thông tin tài khoản không hợp lệ.", "invalid account", fe)
	}
	return nil
}

// Session is a login session; the token itself is never stored, only its
// SHA-256 hash.
type Session struct {
	TokenHash string    `json:"-"`
	AccountID int64     `json:"account_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// LastUsedAt is when the session last authenticated a request, to the
	// minute (it is written at most once a minute).
	LastUsedAt time.Time `json:"last_used_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
}

// PublicID is a session's identifier safe to show and to name in a URL:
// derived from the token's hash, it neither is nor leads to the token.
func (s Session) PublicID() string { return SessionPublicID(s.TokenHash) }

// SessionPublicID is the public ID of the session whose token hashes to
// tokenHash: 16 hex digits of its own hash.
func SessionPublicID(tokenHash string) string {
	sum := sha256.Sum256([]byte("motcua session " + tokenHash))
	return hex.EncodeToString(sum[:8])
}
