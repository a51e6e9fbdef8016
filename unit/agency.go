package unit

import (
	"fmt"
	"regexp"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/vntext"
)

// AgencyKind is the kind of a state agency.
type AgencyKind string

// Agency kinds of a province under two-level local government.
const (
	KindProvinceCommittee AgencyKind = "province_committee" // UBND tỉnh
	KindServiceCentre     AgencyKind = "service_centre"     // Trung tâm Phục vụ hành chính công tỉnh
	KindDepartment        AgencyKind = "department"         // Sở, ban, ngành (with a sector)
	KindCommuneCommittee  AgencyKind = "commune_committee"  // UBND xã, phường, đặc khu
	KindPolice            AgencyKind = "police"             // Công an tỉnh / xã
	KindSocialInsurance   AgencyKind = "social_insurance"   // Bảo hiểm xã hội
)

// Kinds lists the agency kinds.
var Kinds = []AgencyKind{KindProvinceCommittee, KindServiceCentre, KindDepartment, KindCommuneCommittee, KindPolice, KindSocialInsurance}

// Agency is a state agency of the province: the unit that receives, handles
// or signs dossiers. ID is its electronic agency ID (mã định danh điện tử,
// Decision 20/2020/QĐ-TTg), used in dossier codes and as edXML OrganId.
type Agency struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Kind         AgencyKind `json:"kind"`
	Sector       string     `json:"sector,omitempty"` // for departments: "tu-phap", "tai-chinh"…
	ProvinceCode string     `json:"province_code"`
	CommuneCode  string     `json:"commune_code,omitempty"` // for commune agencies
	ParentID     string     `json:"parent_id,omitempty"`
	// ReceivesForProvince: the agency's counter takes in online dossiers
	// submitted anywhere in the province (the provincial service centre
	// and its branches); other counters take in those their agency decides.
	ReceivesForProvince bool                 `json:"receives_for_province,omitempty"`
	OfficeHours         calendar.OfficeHours `json:"office_hours"`
	Provisional         bool                 `json:"provisional,omitempty"` // the ID is not an official one
	// Bank is the account fees are paid to by bank transfer (VietQR); nil:
	// fees are paid at the counter only.
	Bank *BankAccount `json:"bank,omitempty"`
	// SignatureMode is how the agency's electronic results are signed:
	// with its seal certificate and the signer's name (the default), or
	// with the signer's personal certificate.
	SignatureMode SignatureMode `json:"signature_mode,omitempty" enum:"seal,personal" doc:"Chữ ký trên kết quả: seal = chữ ký số của cơ quan (con dấu) kèm họ tên người ký (mặc định); personal = chữ ký số cá nhân của người ký"`
	UpdatedAt     time.Time     `json:"updated_at,omitzero"`
}

// SignatureMode is how an agency's results are signed.
type SignatureMode string

// Signature modes. The default is the agency's seal: a result signed in
// the official's own name needs that official's certificate (a token or
// a remote signing service in production).
const (
	// SignSeal: the agency's seal certificate, with the name and title of
	// the official who signs in the signature and under it on the page.
	SignSeal SignatureMode = "seal"
	// SignPersonal: the personal certificate of the official who signs.
	SignPersonal SignatureMode = "personal"
)

// SignatureModes lists the signature modes, the default first.
var SignatureModes = []SignatureMode{SignSeal, SignPersonal}

// Signature returns the agency's signature mode, the default when unset.
func (a Agency) Signature() SignatureMode {
	if a.SignatureMode == "" {
		return SignSeal
	}
	return a.SignatureMode
}

// BankAccount is an agency's account for fees (tài khoản thu phí, lệ phí).
type BankAccount struct {
	BIN    string `json:"bin"`            // the bank's 6-digit NAPAS BIN, e.g. 970415
	Number string `json:"number"`         // the account number
	Name   string `json:"name"`           // the account holder as the bank shows it
	Bank   string `json:"bank"`           // the bank's name
	Demo   bool   `json:"demo,omitempty"` // a demo account that receives nothing
}

// KindRef returns the catalogue's agency-kind reference of a: "department:tu-phap"
// for a department, the kind otherwise.
func (a Agency) KindRef() string {
	if a.Kind == KindDepartment && a.Sector != "" {
		return string(a.Kind) + ":" + a.Sector
	}
	return string(a.Kind)
}

// agencyIDPattern is the shape of an electronic agency ID: four dot-separated
// groups such as 000.00.12.H26 (Decision 20/2020/QĐ-TTg). The exact group
// lengths vary by level; the pattern is the default an administrator's data
// must follow.
var agencyIDPattern = regexp.MustCompile(`^[0-9A-Z]{2,3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$`)

// ValidAgencyID reports whether id has the shape of an electronic agency ID.
func ValidAgencyID(id string) bool { return agencyIDPattern.MatchString(id) }

// Validate checks an agency against the unit directory.
func (a *Agency) Validate(d *Directory) error {
	var fe []errs.FieldError
	add := func(field, key, msg string) { fe = append(fe, errs.FieldError{Field: field, Key: key, Message: msg}) }
	if !ValidAgencyID(a.ID) {
		add("id", "invalid_id", "Mã định danh điện tử của cơ quan không đúng dạng (ví dụ: 000.00.12.H26).")
	}
	if name, err := vntext.CleanName(a.Name); err != nil {
		key, msg, _ := vntext.Problem(err, "Tên cơ quan")
		add("name", key, msg)
	} else {
		a.Name = name
	}
	known := false
	for _, k := range Kinds {
		known = known || k == a.Kind
	}
	if !known {
		add("kind", "invalid_kind", "Loại cơ quan không hợp lệ.")
	}
	if a.Bank != nil {
		b := *a.Bank // normalized below; the caller's account is not changed
		a.Bank = &b
		// The VietQR code is made to it: a bank of the VietQR list, the
		// holder as banks print it, the bank's name from the list.
		holder, bank, bad := payment.CheckAccount(b.BIN, b.Number, b.Name)
		for _, e := range bad {
			add("bank."+e.Field, e.Key, e.Message)
		}
		if len(bad) == 0 {
			b.Name, b.Bank = holder, bank.ShortName
		}
	}
	switch a.SignatureMode {
	case "":
		a.SignatureMode = SignSeal
	case SignSeal, SignPersonal:
	default:
		add("signature_mode", "invalid", "Cách ký kết quả phải là seal (chữ ký số của cơ quan) hoặc personal (chữ ký số cá nhân).")
	}
	if a.Kind == KindDepartment && a.Sector == "" {
		add("sector", "required", "Sở, ngành phải có lĩnh vực (sector).")
	}
	if _, err := d.Province(a.ProvinceCode); err != nil {
		add("province_code", "unknown_province", "Mã tỉnh không tồn tại.")
	}
	if a.CommuneCode != "" {
		c, err := d.Commune(a.CommuneCode)
		if err != nil {
			add("commune_code", "unknown_commune", "Mã xã không tồn tại.")
		} else if c.ProvinceCode != a.ProvinceCode {
			add("commune_code", "other_province", "Xã không thuộc tỉnh của cơ quan.")
		}
	}
	if a.Kind == KindCommuneCommittee && a.CommuneCode == "" {
		add("commune_code", "required", "UBND cấp xã phải gắn với một xã.")
	}
	if len(a.OfficeHours.Periods) == 0 {
		a.OfficeHours = calendar.DefaultOfficeHours()
	} else if err := a.OfficeHours.Validate(); err != nil {
		add("office_hours", "invalid", "Giờ làm việc không hợp lệ: "+err.Error())
	}
	if len(fe) > 0 {
		return errs.InvalidFields("agency.invalid", fmt.Sprintf("Cơ quan %q không hợp lệ.", a.ID), "invalid agency "+a.ID, fe)
	}
	return nil
}
