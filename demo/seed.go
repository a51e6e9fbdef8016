// Package demo loads a demo province: real units, the agencies of a
// two-level province, demo officials and citizens, and the demo catalogue.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/calendar"
	catalogdemo "github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/catalog/search"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// Password is the password of every demo account.
const Password = "demo"

// TOTPSecret is the second factor (TOTP, RFC 6238: SHA-1, 6 digits, 30 s)
// of the demo officials the policy requires one of (SecondFactorUsers),
// seeded confirmed and published so that scripts and tests compute their
// codes (e.g. oathtool --totp -b MOTCUADEMOTOTP22). A real deployment's
// officials enrol their own.
const TOTPSecret = "MOTCUADEMOTOTP22"

// SecondFactorUsers are the demo officials whose roles (leader, clerk,
// administrator) require a second factor by default.
var SecondFactorUsers = []string{"lanhdao", "vanthu", "quantri", "truongcongan"}

// NationalPortal is the username of the demo's service account of the
// national portal (password Password).
const NationalPortal = "cong-dvcqg"

// seededKey marks a store that already holds the demo.
const seededKey = "demo_seeded"

// department is one department (sở) of the demo province.
type department struct {
	sector, name string
}

// departments are the provincial departments after the 2025 reorganisation
// (Resolution 190/2025/QH15 and the provinces' decisions); their electronic
// IDs in the demo are provisional.
var departments = []department{
	{"tu-phap", "Sở Tư pháp"},
	{"tai-chinh", "Sở Tài chính"},
	{"xay-dung", "Sở Xây dựng"},
	{"nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường"},
	{"y-te", "Sở Y tế"},
	{"giao-duc", "Sở Giáo dục và Đào tạo"},
	{"noi-vu", "Sở Nội vụ"},
	{"cong-thuong", "Sở Công Thương"},
	{"van-hoa", "Sở Văn hóa, Thể thao và Du lịch"},
	{"khoa-hoc", "Sở Khoa học và Công nghệ"},
	{"dan-toc", "Sở Dân tộc và Tôn giáo"},
}

// Agency IDs follow the shape of Decision 20/2020/QĐ-TTg (000.00.NN.Hpp);
// the numbers are the demo's own and marked provisional.
func provinceCommitteeID(p string) string { return "000.00.00.H" + p }
func serviceCentreID(p string) string     { return "000.00.01.H" + p }
func departmentID(p string, i int) string { return fmt.Sprintf("000.00.%02d.H%s", 10+i, p) }
func policeID(p string) string            { return "000.00.90.H" + p }
func insuranceID(p string) string         { return "000.00.91.H" + p }
func communeID(p string, i int) string {
	return fmt.Sprintf("000.%02d.%02d.H%s", i%100, 50+i/100, p)
}

// communePoliceID is the commune police's: the residence registration
// agency (Công an cấp xã, Law on Residence 68/2020/QH14).
func communePoliceID(p string, i int) string {
	return fmt.Sprintf("000.%02d.%02d.H%s", i%100, 70+i/100, p)
}

// DemoBIN is the bank of the demo agencies' fee accounts (VietinBank's
// NAPAS BIN); the accounts are made up and marked demo.
const DemoBIN = "970415"

// demoBank is a made-up fee account of an agency: 113 and the digits of
// its electronic ID.
func demoBank(a unit.Agency) *unit.BankAccount {
	n := "113"
	for _, r := range a.ID {
		if r >= '0' && r <= '9' {
			n += string(r)
		}
	}
	return &unit.BankAccount{BIN: DemoBIN, Number: n, Name: payment.AccountHolder(a.Name), Bank: "VietinBank", Demo: true}
}

// Accounts are the demo accounts, by username.
type Accounts struct {
	CitizenCommune string // the commune where congdan lives and whose officials handle it
	CommuneAgency  string
	ServiceCentre  string
}

// Seed loads the demo into a fresh store; on a store that already holds it,
// it does nothing. The whole demo is one transaction with its audit entry.
func Seed(ctx context.Context, a *platform.Services, s store.Store) (Accounts, error) {
	p := a.Kernel.Province
	info := Accounts{ServiceCentre: serviceCentreID(p.Code)}
	if len(p.Communes) == 0 {
		return info, fmt.Errorf("seed demo: province %s has no communes", p.Code)
	}
	home := p.Communes[0]
	info.CitizenCommune = home.Code
	info.CommuneAgency = communeID(p.Code, 0)
	done, err := s.Meta(ctx, seededKey)
	if err != nil {
		return info, err
	}
	if done != "" {
		return info, seedTerms(ctx, a, s)
	}
	procs, err := catalogdemo.Procedures()
	if err != nil {
		return info, fmt.Errorf("seed demo catalogue: %w", err)
	}
	now := a.Kernel.Now()
	hours := calendar.DefaultOfficeHours()
	short := p.ShortName()
	agencies := []unit.Agency{
		{ID: provinceCommitteeID(p.Code), Name: "Ủy ban nhân dân " + lowerType(p.Name), Kind: unit.KindProvinceCommittee},
		{ID: serviceCentreID(p.Code), Name: "Trung tâm Phục vụ hành chính công " + lowerType(p.Name), Kind: unit.KindServiceCentre, ParentID: provinceCommitteeID(p.Code), ReceivesForProvince: true},
		{ID: policeID(p.Code), Name: "Công an " + lowerType(p.Name), Kind: unit.KindPolice},
		{ID: insuranceID(p.Code), Name: "Bảo hiểm xã hội " + lowerType(p.Name), Kind: unit.KindSocialInsurance},
	}
	for i, d := range departments {
		agencies = append(agencies, unit.Agency{ID: departmentID(p.Code, i), Name: d.name + " " + short, Kind: unit.KindDepartment, Sector: d.sector, ParentID: provinceCommitteeID(p.Code)})
	}
	for i, c := range p.Communes {
		agencies = append(agencies, unit.Agency{ID: communeID(p.Code, i), Name: "Ủy ban nhân dân " + lowerType(c.Name), Kind: unit.KindCommuneCommittee, CommuneCode: c.Code},
			unit.Agency{ID: communePoliceID(p.Code, i), Name: "Công an " + lowerType(c.Name), Kind: unit.KindPolice, CommuneCode: c.Code, ParentID: policeID(p.Code)})
	}
	for i := range agencies {
		agencies[i].ProvinceCode = p.Code
		agencies[i].OfficeHours = hours
		agencies[i].Provisional = true
		agencies[i].UpdatedAt = now
		agencies[i].Bank = demoBank(agencies[i])
		if agencies[i].Kind == unit.KindCommuneCommittee {
			// The chairman (lanhdao) signs the commune's results, birth
			// certificates among them, with a personal certificate the
			// province's demo CA issues: the demo shows both ways, the
			// other agencies signing with their seal.
			agencies[i].SignatureMode = unit.SignPersonal
		}
		if err := agencies[i].Validate(a.Kernel.Units); err != nil {
			return info, fmt.Errorf("seed demo agency %s: %w", agencies[i].ID, err)
		}
	}
	commune := info.CommuneAgency
	accounts := []identity.Account{
		{Username: "congdan", DisplayName: "Nguyễn Văn An", Kind: identity.KindCitizen, CitizenID: "001090012345", IdentityVerified: true,
			Email: "congdan@example.vn", Phone: "0912345678", CommuneCode: home.Code},
		{Username: "congdan2", DisplayName: "Trần Thị Bích Ngọc", Kind: identity.KindCitizen, CitizenID: "001195004321", IdentityVerified: true,
			Phone: "0987654321", CommuneCode: p.Communes[len(p.Communes)-1].Code},
		{Username: "doanhnghiep", DisplayName: "Công ty TNHH Thương mại Sông Hồng", Kind: identity.KindEnterprise, TaxCode: "0101234567", Email: "lienhe@songhong.example.vn"},
		{Username: "tiepnhan", DisplayName: "Lê Thị Hoa", Kind: identity.KindOfficial, CitizenID: "001185001111",
			Grants: []identity.Grant{{Role: identity.RoleReceiver, AgencyID: serviceCentreID(p.Code)}}},
		{Username: "tiepnhanxa", DisplayName: "Vũ Thị Lan", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleReceiver, AgencyID: commune}}},
		{Username: "chuyenvien", DisplayName: "Trần Minh Đức", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: commune}}},
		{Username: "lanhdao", DisplayName: "Phạm Quốc Hùng", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleLeader, AgencyID: commune, Position: "Chủ tịch"}}},
		{Username: "vanthu", DisplayName: "Đỗ Thu Trang", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleClerk, AgencyID: commune}}},
		{Username: "congan", DisplayName: "Ngô Văn Tuấn", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: policeID(p.Code)}, {Role: identity.RoleSpecialist, AgencyID: communePoliceID(p.Code, 0)}}},
		// The head of the home commune's police approves residence
		// registrations and updates the residence database.
		{Username: "truongcongan", DisplayName: "Lý Văn Cường", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleLeader, AgencyID: communePoliceID(p.Code, 0), Position: "Trưởng Công an"}, {Role: identity.RoleClerk, AgencyID: communePoliceID(p.Code, 0)}}},
		{Username: "baohiem", DisplayName: "Bùi Thị Mai", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: insuranceID(p.Code)}}},
		{Username: "lanhdaotinh", DisplayName: "Đặng Văn Thành", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleViewer, AgencyID: provinceCommitteeID(p.Code)}}},
		{Username: "quantri", DisplayName: "Hoàng Văn Quản", Kind: identity.KindOfficial,
			Grants: []identity.Grant{{Role: identity.RoleAdmin, AgencyID: provinceCommitteeID(p.Code)}}},
		// The national portal's service account: it hands over the
		// dossiers submitted there (POST /api/v1/national/inbound/dossiers).
		{Username: NationalPortal, DisplayName: "Cổng Dịch vụ công quốc gia", Kind: identity.KindService,
			Grants: []identity.Grant{{Role: identity.RoleNationalPortal, AgencyID: provinceCommitteeID(p.Code)}}},
	}
	hash, err := identity.HashPassword(Password)
	if err != nil {
		return info, err
	}
	for i := range accounts {
		if err := accounts[i].Validate(); err != nil {
			return info, fmt.Errorf("seed demo account %s: %w", accounts[i].Username, err)
		}
		accounts[i].PasswordHash = hash
		accounts[i].CreatedAt = now
	}
	sys := identity.SystemActor("demo")
	err = s.Update(ctx, func(tx store.Tx) error {
		for _, ag := range agencies {
			if err := tx.PutAgency(ctx, ag); err != nil {
				return err
			}
		}
		for i := range accounts {
			if err := tx.CreateAccount(ctx, &accounts[i]); err != nil {
				return err
			}
			if slices.Contains(SecondFactorUsers, accounts[i].Username) {
				f := identity.Factor{AccountID: accounts[i].ID, Kind: identity.FactorTOTP, Secret: TOTPSecret, ConfirmedAt: now, CreatedAt: now}
				if err := tx.PutFactor(ctx, f); err != nil {
					return err
				}
			}
		}
		for _, pr := range procs {
			pr.UpdatedAt = now
			if err := tx.PutProcedure(ctx, pr); err != nil {
				return err
			}
		}
		if err := tx.PutDatasetRecords(ctx, citizenRecords(p, home.Code, p.Communes[len(p.Communes)-1].Code, now)); err != nil {
			return err
		}
		if err := tx.SetMeta(ctx, seededKey, now.UTC().Format("2006-01-02T15:04:05Z")); err != nil {
			return err
		}
		return a.Kernel.Record(ctx, tx, sys, "demo.seed", "province:"+p.Code, map[string]int{"agencies": len(agencies), "accounts": len(accounts), "procedures": len(procs)})
	})
	if err != nil {
		return info, fmt.Errorf("seed demo: %w", err)
	}
	a.Forget()
	if err := seedTerms(ctx, a, s); err != nil {
		return info, err
	}
	if _, err := People(ctx, a, s, SamplePeople, 1, 0.02); err != nil {
		return info, err
	}
	return info, nil
}

// lowerType writes a unit name inside a sentence: "Thành phố Hà Nội" →
// "thành phố Hà Nội", "Phường Ba Đình" → "phường Ba Đình".
func lowerType(name string) string {
	for _, t := range []string{"Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu"} {
		if len(name) > len(t) && name[:len(t)] == t {
			return lowerFirst(t) + name[len(t):]
		}
	}
	return name
}

func lowerFirst(s string) string {
	switch {
	case len(s) >= len("Đ") && s[:len("Đ")] == "Đ":
		return "đ" + s[len("Đ"):]
	case s != "":
		return string(s[0]|0x20) + s[1:]
	}
	return s
}

// termsKey marks a store that already holds the demo's search terms (a
// demo seeded before issue 15 gets them on its next start, once: terms
// an administrator deletes afterwards stay deleted).
const termsKey = "demo_terms_seeded"

// seedTerms writes the everyday search terms of catalog/demo/terms.json
// whose procedures are in the catalogue, once.
func seedTerms(ctx context.Context, a *platform.Services, s store.Store) error {
	done, err := s.Meta(ctx, termsKey)
	if err != nil || done != "" {
		return err
	}
	terms, err := search.ParseTerms(bytes.NewReader(catalogdemo.TermsFile()))
	if err != nil {
		return fmt.Errorf("seed demo search terms: %w", err)
	}
	now := a.Kernel.Now()
	n := 0
	err = s.Update(ctx, func(tx store.Tx) error {
		for _, t := range terms {
			var codes []string
			for _, c := range t.Codes {
				if _, err := tx.Procedure(ctx, c); err == nil {
					codes = append(codes, c)
				}
			}
			if len(codes) == 0 {
				continue
			}
			t.Codes, t.UpdatedAt = codes, now
			if err := tx.PutSearchTerm(ctx, t); err != nil {
				return err
			}
			n++
		}
		if err := tx.SetMeta(ctx, termsKey, now.UTC().Format("2006-01-02T15:04:05Z")); err != nil {
			return err
		}
		return a.Kernel.Record(ctx, tx, identity.SystemActor("demo"), "demo.seed_terms", "search_terms", map[string]int{"terms": n})
	})
	if err != nil {
		return fmt.Errorf("seed demo search terms: %w", err)
	}
	a.Forget()
	return nil
}
