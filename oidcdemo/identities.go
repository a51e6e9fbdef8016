package oidcdemo

import (
	"fmt"
	"regexp"
	"strconv"
)

// The claims the national sign-on sends (docs/INTEROP.md, section f): the
// DVCQG names, kept in their Vietnamese spelling so that the relying
// party's tests read the same names as production code.
const (
	ClaimAccountKind  = "LoaiTaiKhoan"     // 1 citizen, 2 enterprise, 3 organisation
	ClaimCitizenID    = "SoDinhDanh"       // citizens' key (12-digit personal identification number)
	ClaimTaxCode      = "MaSoThue"         // enterprises' key
	ClaimEnterprise   = "TenDoanhNghiep"   // enterprise or organisation name
	ClaimFullName     = "HoVaTen"          // person's name
	ClaimEmail        = "ThuDienTu"        // e-mail
	ClaimPhone        = "SoDienThoai"      // phone
	ClaimBirthDate    = "NgayThangNamSinh" // yyyyMMdd (format uncertain)
	ClaimTechID       = "TechID"           // organisations' key; what the sync sends as MaDoiTuong
	ClaimLoA          = "loAs"             // assurance level of the account, "LoA1" or "LoA2" (values uncertain)
	ClaimIAL          = "IAL"              // VNeID's identity assurance level (values uncertain)
	KindCitizen       = 1
	KindEnterprise    = 2
	KindOrganisation  = 3
	acrPrefix         = "LoA" // acr_values=LoA1 on the real portal; acr = "LoA" + level
	maxAssuranceLevel = 2
)

// An Identity is one account the provider can sign in as: what VNeID or
// the national portal would know about a person, an enterprise or an
// organisation.
type Identity struct {
	// ID names the identity on the login page and in tests (the form's
	// identity=<ID>); stable and URL-safe.
	ID string
	// Sub is the subject the provider gives the relying party: opaque and
	// stable, so that an account linked to it stays linked across restarts.
	Sub string
	// Level is the assurance level of the account (1 or 2): the acr claim
	// is "LoA"+Level.
	Level int
	// Claims are put as they are into the ID token and the userinfo answer.
	Claims map[string]any
}

// Kind is the account kind the identity's LoaiTaiKhoan claim says (DVCQG
// sends it as a string, VNeID as a number), 0 when absent or unreadable.
func (id Identity) Kind() int {
	switch v := id.Claims[ClaimAccountKind].(type) {
	case int:
		return v
	case float64:
		return int(v)
	case string:
		var n int
		if _, err := fmt.Sscan(v, &n); err == nil {
			return n
		}
	}
	return 0
}

// Name is what the login page shows: the person's or the enterprise's name.
func (id Identity) Name() string {
	if s, ok := id.Claims[ClaimEnterprise].(string); ok && s != "" {
		return s
	}
	s, _ := id.Claims[ClaimFullName].(string)
	return s
}

// Key is the claim the relying party keys the account by (SoDinhDanh,
// MaSoThue or TechID, after the kind) and its value.
func (id Identity) Key() (claim, value string) {
	switch id.Kind() {
	case KindEnterprise:
		claim = ClaimTaxCode
	case KindOrganisation:
		claim = ClaimTechID
	default:
		claim = ClaimCitizenID
	}
	value, _ = id.Claims[claim].(string)
	return claim, value
}

func (id Identity) acr() string { return acrPrefix + strconv.Itoa(id.Level) }

var urlSafe = regexp.MustCompile(`^[A-Za-z0-9._~-]{1,64}$`)

func validateIdentities(ids []Identity) error {
	seenID, seenSub := map[string]bool{}, map[string]bool{}
	for _, id := range ids {
		switch {
		case !urlSafe.MatchString(id.ID):
			return fmt.Errorf("oidcdemo: identity %q: the ID must be 1 to 64 URL-safe characters", id.ID)
		case id.Sub == "":
			return fmt.Errorf("oidcdemo: identity %q: no sub", id.ID)
		case id.Level < 1 || id.Level > maxAssuranceLevel:
			return fmt.Errorf("oidcdemo: identity %q: level %d, want 1 or 2", id.ID, id.Level)
		case seenID[id.ID]:
			return fmt.Errorf("oidcdemo: identity %q listed twice", id.ID)
		case seenSub[id.Sub]:
			return fmt.Errorf("oidcdemo: identity %q: sub %q already used", id.ID, id.Sub)
		}
		seenID[id.ID], seenSub[id.Sub] = true, true
	}
	return nil
}

// DemoIdentities are the accounts of the demo sign-on. DEMO DATA: made-up
// people and enterprises matching the demo province (demo/seed.go,
// demo/people.go), never real ones.
//
//   - congdan-vneid: the demo citizen Nguyễn Văn An at level 2, with the
//     citizen ID of the local account "congdan" (001090012345): the relying
//     party must ask him to link the two, never link silently.
//   - lethimai-vneid: Lê Thị Mai, his wife, at level 2: she is in the
//     population records but has no local account, so her first sign-in
//     creates one. She comes the VNeID way: LoaiTaiKhoan is a number and
//     IAL is sent.
//   - lethimai-muc1: the same person with a level-1 account (another sub):
//     her identity is not verified by it.
//   - songhong: the demo enterprise (account "doanhnghiep"), keyed by its
//     tax code 0101234567.
//   - truongtieuhoc: an organisation (a public primary school), keyed by
//     its TechID.
func DemoIdentities() []Identity {
	return []Identity{
		{ID: "congdan-vneid", Sub: "7f3c2a10-5b1e-4c1d-9a55-0d1e8b3c0001", Level: 2, Claims: map[string]any{
			ClaimAccountKind: "1", ClaimCitizenID: "001090012345", ClaimFullName: "Nguyễn Văn An",
			ClaimBirthDate: "19900514", ClaimEmail: "congdan@example.vn", ClaimPhone: "0912345678",
			ClaimTechID: "TECH-CD-001090012345", ClaimLoA: "LoA2", ClaimIAL: "2",
		}},
		{ID: "lethimai-vneid", Sub: "7f3c2a10-5b1e-4c1d-9a55-0d1e8b3c0002", Level: 2, Claims: map[string]any{
			ClaimAccountKind: KindCitizen, ClaimCitizenID: "001192007788", ClaimFullName: "Lê Thị Mai",
			ClaimBirthDate: "19920902", ClaimPhone: "0903111222",
			ClaimTechID: "TECH-CD-001192007788", ClaimLoA: "LoA2", ClaimIAL: "2",
		}},
		{ID: "lethimai-muc1", Sub: "7f3c2a10-5b1e-4c1d-9a55-0d1e8b3c0003", Level: 1, Claims: map[string]any{
			ClaimAccountKind: "1", ClaimCitizenID: "001192007788", ClaimFullName: "Lê Thị Mai",
			ClaimBirthDate: "19920902", ClaimPhone: "0903111222",
			ClaimTechID: "TECH-CD-001192007788-L1", ClaimLoA: "LoA1", ClaimIAL: "1",
		}},
		{ID: "songhong", Sub: "7f3c2a10-5b1e-4c1d-9a55-0d1e8b3c0004", Level: 2, Claims: map[string]any{
			ClaimAccountKind: "2", ClaimTaxCode: "0101234567", ClaimEnterprise: "Công ty TNHH Thương mại Sông Hồng",
			ClaimFullName: "Nguyễn Văn An", ClaimEmail: "lienhe@songhong.example.vn", ClaimPhone: "02438123456",
			ClaimTechID: "TECH-DN-0101234567", ClaimLoA: "LoA2",
		}},
		{ID: "truongtieuhoc", Sub: "7f3c2a10-5b1e-4c1d-9a55-0d1e8b3c0005", Level: 2, Claims: map[string]any{
			ClaimAccountKind: "3", ClaimTechID: "TECH-TC-000123", ClaimEnterprise: "Trường Tiểu học Văn Cao",
			ClaimFullName: "Đỗ Thị Hương", ClaimEmail: "vanphong@thvancao.example.edu.vn", ClaimPhone: "02438765432",
			ClaimLoA: "LoA2",
		}},
	}
}
