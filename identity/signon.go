package identity

import (
	"fmt"
	"strings"

	"github.com/motcua/motcua/errs"
)

// National sign-on account types (the claim LoaiTaiKhoan).
const (
	SignOnCitizen      = 1 // keyed by SoDinhDanh
	SignOnEnterprise   = 2 // keyed by MaSoThue
	SignOnOrganization = 3 // keyed by TechID
)

// SignOnIdentity is who a national sign-on (VNeID, the national public
// service portal) says the user is, read from a verified ID token.
type SignOnIdentity struct {
	Issuer, Subject string
	Type            int // SignOn*
	CitizenID       string
	TaxCode         string
	TechID          string
	Name            string // HoVaTen, or TenDoanhNghiep for an enterprise
	Email, Phone    string
	// Level is the assurance level (loAs / IAL / acr): 1 an account
	// registered online, 2 identified against the population database.
	Level int
}

// Kind is the account kind of the identity.
func (s SignOnIdentity) Kind() Kind {
	switch s.Type {
	case SignOnEnterprise:
		return KindEnterprise
	case SignOnOrganization:
		return KindOrganization
	}
	return KindCitizen
}

// Key is what finds an existing account of the identity: the citizen ID,
// the tax code or the TechID.
func (s SignOnIdentity) Key() string {
	switch s.Type {
	case SignOnEnterprise:
		return s.TaxCode
	case SignOnOrganization:
		return s.TechID
	}
	return s.CitizenID
}

// Validate checks that the identity names its holder the way its type
// requires.
func (s *SignOnIdentity) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	var problem string
	switch {
	case s.Issuer == "" || s.Subject == "":
		problem = "thiếu mã tài khoản (sub)"
	case s.Type < SignOnCitizen || s.Type > SignOnOrganization:
		problem = fmt.Sprintf("loại tài khoản (LoaiTaiKhoan) %d không được hỗ trợ", s.Type)
	case s.Type == SignOnCitizen && !ValidCitizenID(s.CitizenID):
		problem = "số định danh cá nhân (SoDinhDanh) không hợp lệ"
	case s.Type == SignOnEnterprise && !taxCodePattern.MatchString(s.TaxCode):
		problem = "mã số thuế (MaSoThue) không hợp lệ"
	case s.Type == SignOnOrganization && s.TechID == "":
		problem = "thiếu mã định danh tổ chức (TechID)"
	case s.Name == "":
		problem = "thiếu họ tên (HoVaTen)"
	}
	if problem != "" {
		return errs.New(errs.Invalid, "signon.identity_invalid", "Thông tin định danh nhận từ cổng xác thực không hợp lệ: "+problem+".",
			"the sign-on's identity is invalid: "+problem)
	}
	if s.Email != "" && !emailPattern.MatchString(s.Email) {
		s.Email = "" // not ours to refuse a sign-on for
	}
	if s.Phone != "" && !phonePattern.MatchString(s.Phone) {
		s.Phone = ""
	}
	return nil
}
