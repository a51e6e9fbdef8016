// Package storetest is the conformance suite of the store contract: every
// implementation (SQLite, PostgreSQL) runs the same tests against a real
// database.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// Opener returns a fresh, empty, migrated store for one test.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"Meta", testMeta},
		{"Agencies", testAgencies},
		{"Accounts", testAccounts},
		{"CitizenIDs", testCitizenIDs},
		{"Sessions", testSessions},
		{"SessionLastUse", testSessionLastUse},
		{"LoginCounters", testLoginCounters},
		{"SecondFactors", testSecondFactors},
		{"LoginChallenges", testLoginChallenges},
		{"Procedures", testProcedures},
		{"Search", testSearch},
		{"Schedules", testSchedules},
		{"AuditChain", testAuditChain},
		{"Rollback", testRollback},
		{"ConcurrentWrites", testConcurrentWrites},
		{"ConcurrentFailures", testConcurrentFailures},
		{"AfterCommit", testAfterCommit},
		{"AfterCommitConcurrent", testAfterCommitConcurrent},
		{"StagedFiles", testStagedFiles},
		{"Files", testFiles},
		{"Uploads", testUploads},
		{"DossierSequence", testDossierSequence},
		{"RegisterNumbers", testRegisterNumbers},
		{"QuarantinedBatch", testQuarantinedBatch},
		{"Dossiers", testDossiers},
		{"Outbox", testOutbox},
		{"Ratings", testRatings},
		{"Stats", testStats},
		{"DomainRules", testDomainRules},
		{"DatasetRecords", testDatasetRecords},
		{"Quarantine", testQuarantine},
		{"Documents", testDocuments},
		{"National", testNational},
		{"NationalCodes", testNationalCodes},
		{"ProcedureDrafts", testProcedureDrafts},
		{"PortalSync", testPortalSync},
		{"SignOn", testSignOn},
		{"SearchTerms", testSearchTerms},
		{"Payments", testPayments},
		{"Notifications", testNotifications},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

var t0 = time.Date(2026, 3, 2, 8, 15, 30, 123456000, time.UTC)

func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func testMeta(t *testing.T, s store.Store) {
	ctx := context.Background()
	if v, err := s.Meta(ctx, "province"); err != nil || v != "" {
		t.Fatalf("unset meta = %q, %v", v, err)
	}
	update(t, s, func(tx store.Tx) error { return tx.SetMeta(ctx, "province", "01") })
	update(t, s, func(tx store.Tx) error { return tx.SetMeta(ctx, "province", "79") })
	if v, _ := s.Meta(ctx, "province"); v != "79" {
		t.Fatalf("meta = %q", v)
	}
}

// Agency returns a valid agency for tests.
func Agency(id, name string, kind unit.AgencyKind, commune string) unit.Agency {
	return unit.Agency{ID: id, Name: name, Kind: kind, ProvinceCode: "01", CommuneCode: commune, OfficeHours: calendar.DefaultOfficeHours(), UpdatedAt: t0}
}

func testAgencies(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := Agency("000.00.01.H26", "UBND phường Ba Đình", unit.KindCommuneCommittee, "00004")
	b := Agency("000.00.02.H26", "Sở Tư pháp", unit.KindDepartment, "")
	b.Sector = "tu-phap"
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutAgency(ctx, a); err != nil {
			return err
		}
		return tx.PutAgency(ctx, b)
	})
	got, err := s.Agency(ctx, a.ID)
	if err != nil || got.Name != a.Name || got.CommuneCode != "00004" || len(got.OfficeHours.Periods) != 2 || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("Agency = %+v, %v", got, err)
	}
	if got.SignatureMode != unit.SignSeal {
		t.Errorf("signature mode unset = %q, want the default %q", got.SignatureMode, unit.SignSeal)
	}
	a.Name = "Ủy ban nhân dân phường Ba Đình"
	a.SignatureMode = unit.SignPersonal
	update(t, s, func(tx store.Tx) error { return tx.PutAgency(ctx, a) })
	if got, _ := s.Agency(ctx, a.ID); got.Name != a.Name || got.SignatureMode != unit.SignPersonal {
		t.Errorf("after replace Name = %q, signature mode %q", got.Name, got.SignatureMode)
	}
	if _, err := s.Agency(ctx, "x"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("missing agency err = %v", err)
	}
	tests := []struct {
		f    unit.AgencyFilter
		want int
	}{
		{unit.AgencyFilter{}, 2},
		{unit.AgencyFilter{Kind: unit.KindDepartment}, 1},
		{unit.AgencyFilter{Kind: unit.KindDepartment, Sector: "tu-phap"}, 1},
		{unit.AgencyFilter{Kind: unit.KindDepartment, Sector: "y-te"}, 0},
		{unit.AgencyFilter{CommuneCode: "00004"}, 1},
	}
	for _, tt := range tests {
		as, err := s.Agencies(ctx, tt.f)
		if err != nil || len(as) != tt.want {
			t.Errorf("Agencies(%+v) = %d, %v; want %d", tt.f, len(as), err, tt.want)
		}
	}
}

func testAccounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	ag := Agency("000.00.01.H26", "UBND phường Ba Đình", unit.KindCommuneCommittee, "00004")
	update(t, s, func(tx store.Tx) error { return tx.PutAgency(ctx, ag) })
	off := identity.Account{Username: "chuyenvien", DisplayName: "Trần Thị Bình", Kind: identity.KindOfficial, PasswordHash: "h", CreatedAt: t0,
		Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: ag.ID}, {Role: identity.RoleLeader, AgencyID: ag.ID}}}
	cit := identity.Account{Username: "congdan", DisplayName: "Nguyễn Văn An", Kind: identity.KindCitizen, CitizenID: "001090012345", IdentityVerified: true, PasswordHash: "h", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateAccount(ctx, &off); err != nil {
			return err
		}
		return tx.CreateAccount(ctx, &cit)
	})
	if off.ID == 0 || cit.ID == 0 || off.ID == cit.ID {
		t.Fatalf("ids %d %d", off.ID, cit.ID)
	}
	got, err := s.AccountByUsername(ctx, "ChuyenVien")
	if err != nil || got.ID != off.ID || len(got.Grants) != 2 || !got.HasRole(identity.RoleLeader, ag.ID) {
		t.Fatalf("AccountByUsername = %+v, %v", got, err)
	}
	got, err = s.Account(ctx, cit.ID)
	if err != nil || !got.IdentityVerified || got.CitizenID != "001090012345" || !got.CreatedAt.Equal(t0) {
		t.Fatalf("Account = %+v, %v", got, err)
	}
	dup := identity.Account{Username: "congdan", DisplayName: "x", Kind: identity.KindCitizen, PasswordHash: "h", CreatedAt: t0}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.CreateAccount(ctx, &dup) })
	if errs.KindOf(err) != errs.Conflict {
		t.Errorf("duplicate username err = %v", err)
	}
	bad := identity.Account{Username: "x1", DisplayName: "x", Kind: identity.KindOfficial, PasswordHash: "h", CreatedAt: t0, Grants: []identity.Grant{{Role: identity.RoleAdmin, AgencyID: "nope"}}}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.CreateAccount(ctx, &bad) })
	if errs.KindOf(err) != errs.Invalid {
		t.Errorf("grant at unknown agency err = %v", err)
	}
	if _, err := s.AccountByUsername(ctx, "x1"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("failed create left the account: %v", err)
	}
	off.Grants = []identity.Grant{{Role: identity.RoleClerk, AgencyID: ag.ID}}
	off.Disabled = true
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, off) })
	got, _ = s.Account(ctx, off.ID)
	if !got.Disabled || len(got.Grants) != 1 || got.Grants[0].Role != identity.RoleClerk {
		t.Errorf("after update %+v", got)
	}
	if got.Grants[0].ForProvince {
		t.Errorf("grant at a commune counter reads as receiving for the province")
	}
	// A grant reads whether its agency's counter receives for the
	// province, as the agency says now.
	ag.ReceivesForProvince = true
	update(t, s, func(tx store.Tx) error { return tx.PutAgency(ctx, ag) })
	if got, _ := s.Agency(ctx, ag.ID); !got.ReceivesForProvince {
		t.Errorf("agency lost receives_for_province")
	}
	if got, _ = s.Account(ctx, off.ID); len(got.Grants) != 1 || !got.Grants[0].ForProvince {
		t.Errorf("grants after the counter receives for the province: %+v", got.Grants)
	}
	ag.ReceivesForProvince = false
	update(t, s, func(tx store.Tx) error { return tx.PutAgency(ctx, ag) })
	tests := []struct {
		f    identity.AccountFilter
		want int
	}{
		{identity.AccountFilter{}, 2},
		{identity.AccountFilter{Text: "nguyen van"}, 1},
		{identity.AccountFilter{Text: "001090012345"}, 1},
		{identity.AccountFilter{AgencyID: ag.ID}, 1},
		{identity.AccountFilter{Kind: identity.KindCitizen}, 1},
		{identity.AccountFilter{Limit: 1}, 2},
	}
	for _, tt := range tests {
		list, total, err := s.Accounts(ctx, tt.f)
		if err != nil || total != tt.want {
			t.Errorf("Accounts(%+v) total = %d, %v; want %d", tt.f, total, err, tt.want)
		}
		if tt.f.Limit == 1 && len(list) != 1 {
			t.Errorf("limit ignored: %d", len(list))
		}
	}
}

// A citizen ID belongs to one citizen account: a second one with it is
// refused on create and on update (409, nothing written). Officials and
// enterprises may carry a citizen's ID, and an empty ID is no one's.
func testCitizenIDs(t *testing.T, s store.Store) {
	ctx := context.Background()
	const id = "001090012345"
	citizen := func(username, cid string) identity.Account {
		return identity.Account{Username: username, DisplayName: "Nguyễn Văn An", Kind: identity.KindCitizen, CitizenID: cid, PasswordHash: "h", CreatedAt: t0}
	}
	first := citizen("congdan", id)
	first.IdentityVerified = true
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &first) })

	for _, verified := range []bool{true, false} {
		dup := citizen(fmt.Sprintf("giamao%v", verified), id)
		dup.IdentityVerified = verified
		err := s.Update(ctx, func(tx store.Tx) error { return tx.CreateAccount(ctx, &dup) })
		if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.Key != "account.citizen_id_taken" || !strings.Contains(e.Message, "định danh cá nhân") {
			t.Errorf("second citizen with the ID (verified %v): %v", verified, err)
		}
		if _, err := s.AccountByUsername(ctx, dup.Username); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("refused create left the account: %v", err)
		}
	}

	// Not citizens, or no ID: allowed.
	off := identity.Account{Username: "canbo", DisplayName: "An", Kind: identity.KindOfficial, CitizenID: id, PasswordHash: "h", CreatedAt: t0}
	ent := identity.Account{Username: "doanhnghiep", DisplayName: "Công ty An", Kind: identity.KindEnterprise, CitizenID: id, TaxCode: "0101234567", PasswordHash: "h", CreatedAt: t0}
	none1, none2 := citizen("khongso1", ""), citizen("khongso2", "")
	other := citizen("congdan2", "001090012346")
	update(t, s, func(tx store.Tx) error {
		for _, a := range []*identity.Account{&off, &ent, &none1, &none2, &other} {
			if err := tx.CreateAccount(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})

	// Update: another citizen cannot take the ID; their own is kept.
	taken := other
	taken.CitizenID = id
	err := s.Update(ctx, func(tx store.Tx) error { return tx.UpdateAccount(ctx, taken) })
	if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.Key != "account.citizen_id_taken" {
		t.Errorf("update to a taken citizen ID: %v", err)
	}
	none1.CitizenID = id
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.UpdateAccount(ctx, none1) }); errs.KindOf(err) != errs.Conflict {
		t.Errorf("update of an account without ID to a taken one: %v", err)
	}
	if got, err := s.Account(ctx, other.ID); err != nil || got.CitizenID != "001090012346" {
		t.Errorf("after the refused update: %+v, %v", got, err)
	}
	// The owner updates their own account; a freed ID may be taken.
	first.DisplayName = "Nguyễn Văn Ân"
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, first) })
	first.CitizenID = "001090012399"
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, first) })
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, taken) })
	if list, n, err := s.Accounts(ctx, identity.AccountFilter{Text: id, Kind: identity.KindCitizen}); err != nil || n != 1 || list[0].ID != other.ID {
		t.Errorf("citizens with the ID: %d, %v", n, err)
	}
}

func testSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := identity.Account{Username: "congdan", DisplayName: "An", Kind: identity.KindCitizen, CitizenID: "001090012345", PasswordHash: "h", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &a) })
	live := identity.Session{TokenHash: "h1", AccountID: a.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), IP: "127.0.0.1"}
	old := identity.Session{TokenHash: "h2", AccountID: a.ID, CreatedAt: t0, ExpiresAt: t0.Add(-time.Hour)}
	update(t, s, func(tx store.Tx) error {
		if err := tx.CreateSession(ctx, live); err != nil {
			return err
		}
		return tx.CreateSession(ctx, old)
	})
	got, err := s.Session(ctx, "h1")
	if err != nil || got.AccountID != a.ID || !got.ExpiresAt.Equal(live.ExpiresAt) {
		t.Fatalf("Session = %+v, %v", got, err)
	}
	var n int64
	update(t, s, func(tx store.Tx) error { var err error; n, err = tx.DeleteExpiredSessions(ctx, t0); return err })
	if n != 1 {
		t.Errorf("expired deleted = %d", n)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteSession(ctx, "h1") })
	if _, err := s.Session(ctx, "h1"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("deleted session err = %v", err)
	}

	// An account's sessions end together, another account's stay.
	b := identity.Account{Username: "congdan2", DisplayName: "Bình", Kind: identity.KindCitizen, CitizenID: "001090012346", PasswordHash: "h", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error { return tx.CreateAccount(ctx, &b) })
	sessions := func(acc identity.Account, hashes ...string) {
		update(t, s, func(tx store.Tx) error {
			for _, h := range hashes {
				if err := tx.CreateSession(ctx, identity.Session{TokenHash: h, AccountID: acc.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	sessions(a, "a1", "a2", "a3")
	sessions(b, "b1")
	update(t, s, func(tx store.Tx) error { var err error; n, err = tx.DeleteAccountSessions(ctx, a.ID); return err })
	if n != 3 {
		t.Errorf("account's sessions deleted = %d, want 3", n)
	}
	for _, h := range []string{"a1", "a2", "a3"} {
		if _, err := s.Session(ctx, h); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("session %s of the account: %v", h, err)
		}
	}
	if _, err := s.Session(ctx, "b1"); err != nil {
		t.Errorf("another account's session: %v", err)
	}
	update(t, s, func(tx store.Tx) error { var err error; n, err = tx.DeleteAccountSessions(ctx, a.ID); return err })
	if n != 0 {
		t.Errorf("deleted again = %d, want 0", n)
	}
	// A rolled-back deletion leaves the sessions.
	sessions(a, "a4")
	err = s.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.DeleteAccountSessions(ctx, a.ID); err != nil {
			return err
		}
		return errors.New("rollback")
	})
	if err == nil {
		t.Fatal("rollback: no error")
	}
	if _, err := s.Session(ctx, "a4"); err != nil {
		t.Errorf("session after a rolled-back deletion: %v", err)
	}
	// Disabling an account through UpdateAccount ends its sessions too;
	// enabling it does not bring them back.
	b.Disabled = true
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, b) })
	if _, err := s.Session(ctx, "b1"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("session of a disabled account: %v", err)
	}
	b.Disabled = false
	update(t, s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, b) })
	if _, err := s.Session(ctx, "b1"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("session of a re-enabled account: %v", err)
	}
	if _, err := s.Session(ctx, "a4"); err != nil {
		t.Errorf("another account's session after the disable: %v", err)
	}
}

// Procedure returns a minimal valid procedure for tests.
func Procedure(code, name, field string) catalog.Procedure {
	p := catalog.Procedure{
		Code: code, Name: name, Field: field, Level: catalog.LevelCommune, AgencyKind: "commune_committee",
		ProcessingTime: catalog.Duration{Days: 3}, OnlineLevel: catalog.OnlineFull, SupplementRule: catalog.SupplementRestart,
		Fees:        []catalog.Fee{{Code: "LP", Name: "Lệ phí", Amount: 0}},
		Components:  []catalog.Component{{Code: "TP01", Name: "Tờ khai", Required: true, Form: catalog.FormOriginal}},
		FormSchema:  json.RawMessage(`{"type":"object","properties":{"ho_ten":{"type":"string","title":"Họ tên"}},"required":["ho_ten"]}`),
		Workflow:    catalog.Workflow{Steps: []catalog.Step{{Name: "Tiếp nhận", Role: identity.RoleReceiver, Share: 10}, {Name: "Xử lý", Role: identity.RoleSpecialist, Share: 90}}},
		Result:      catalog.Result{Name: "Kết quả"},
		UpdatedAt:   t0,
		Provisional: []string{"code"},
	}
	return p
}

func testProcedures(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := Procedure("1.001193", "Đăng ký khai sinh", "Hộ tịch")
	update(t, s, func(tx store.Tx) error { return tx.PutProcedure(ctx, p) })
	got, err := s.Procedure(ctx, "1.001193")
	if err != nil || got.Name != p.Name || len(got.Workflow.Steps) != 2 || string(got.FormSchema) == "" || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("Procedure = %+v, %v", got, err)
	}
	p.Name = "Đăng ký khai sinh (sửa)"
	p.ProcessingTime = catalog.Duration{Hours: 8}
	update(t, s, func(tx store.Tx) error { return tx.PutProcedure(ctx, p) })
	list, total, err := s.Procedures(ctx, catalog.Query{Text: "sua"})
	if err != nil || total != 1 || list[0].ProcessingTime.Hours != 8 {
		t.Fatalf("after replace search = %+v %d %v", list, total, err)
	}
	if _, total, _ := s.Procedures(ctx, catalog.Query{}); total != 1 {
		t.Errorf("replace duplicated the procedure: %d", total)
	}
	all, err := s.AllProcedures(ctx)
	if err != nil || len(all) != 1 {
		t.Errorf("AllProcedures = %d, %v", len(all), err)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteProcedure(ctx, p.Code) })
	if _, err := s.Procedure(ctx, p.Code); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("deleted procedure err = %v", err)
	}
	if _, total, _ := s.Procedures(ctx, catalog.Query{Text: "khai sinh"}); total != 0 {
		t.Errorf("deleted procedure still found by search")
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteProcedure(ctx, "nope") })
	if !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("delete missing err = %v", err)
	}
}

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	ps := []catalog.Procedure{
		Procedure("1.001193", "Đăng ký khai sinh", "Hộ tịch"),
		Procedure("1.004884", "Đăng ký lại khai sinh", "Hộ tịch"),
		Procedure("1.000894", "Đăng ký kết hôn", "Hộ tịch"),
		Procedure("DEMO-001", "Dang ky khai sinh khong dau", "Thử nghiệm"),
		Procedure("2.000488", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng"),
		Procedure("1.003001", "Hòa giải tranh chấp đất đai", "Đất đai"),
	}
	ps[4].Level = catalog.LevelProvince
	update(t, s, func(tx store.Tx) error {
		for _, p := range ps {
			if err := tx.PutProcedure(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	tests := []struct {
		q         catalog.Query
		wantTotal int
		wantFirst string
	}{
		{catalog.Query{Text: "dang ky khai sinh"}, 3, "1.001193"},
		{catalog.Query{Text: "Đăng ký khai sinh"}, 3, "1.001193"},
		{catalog.Query{Text: "khai sinh"}, 3, "1.001193"},
		{catalog.Query{Text: "ĐĂNG KÝ KẾT HÔN"}, 1, "1.000894"},
		{catalog.Query{Text: "ket hon"}, 1, "1.000894"},
		{catalog.Query{Text: "dang ky khai s"}, 3, "1.001193"},
		{catalog.Query{Text: "giay phep xay dung"}, 1, "2.000488"},
		{catalog.Query{Text: "hoà giải"}, 1, "1.003001"},
		{catalog.Query{Text: "1.001193"}, 1, "1.001193"},
		{catalog.Query{Text: "hộ tịch"}, 3, ""},
		{catalog.Query{Text: "khai sinh", Field: "Hộ tịch"}, 2, "1.001193"},
		{catalog.Query{Level: catalog.LevelProvince}, 1, "2.000488"},
		{catalog.Query{Text: "không có gì"}, 0, ""},
		{catalog.Query{Text: `"; DROP TABLE procedures; --`}, 0, ""},
		{catalog.Query{Text: "***"}, 6, "1.000894"},
		{catalog.Query{}, 6, "1.000894"},
	}
	for _, tt := range tests {
		list, total, err := s.Procedures(ctx, tt.q)
		if err != nil {
			t.Errorf("Procedures(%+v): %v", tt.q, err)
			continue
		}
		if total != tt.wantTotal || len(list) != tt.wantTotal {
			t.Errorf("Procedures(%+v) total = %d, len %d; want %d", tt.q, total, len(list), tt.wantTotal)
			continue
		}
		if tt.wantFirst != "" && list[0].Code != tt.wantFirst {
			t.Errorf("Procedures(%+v) first = %s, want %s (%v)", tt.q, list[0].Code, tt.wantFirst, list)
		}
	}
	// Exact-accent matches rank before folded-only matches: the procedure
	// written without diacritics comes last for an accented query and
	// first for its own unaccented spelling.
	list, _, _ := s.Procedures(ctx, catalog.Query{Text: "Đăng ký khai sinh"})
	if list[0].Code != "1.001193" || list[1].Code != "DEMO-001" {
		t.Errorf("accented query: want the exact-accent name, then the folded phrase: %v", list)
	}
	list, _, _ = s.Procedures(ctx, catalog.Query{Text: "khai sinh hộ tịch"})
	if len(list) != 2 {
		t.Errorf("words spread over name and field must match: %v", list)
	}
	list, _, _ = s.Procedures(ctx, catalog.Query{Text: "Dang ky khai sinh khong dau"})
	if len(list) == 0 || list[0].Code != "DEMO-001" {
		t.Errorf("unaccented exact name not first: %v", list)
	}
	page, total, _ := s.Procedures(ctx, catalog.Query{Limit: 2, Offset: 4})
	if total != 6 || len(page) != 2 {
		t.Errorf("page = %d of %d", len(page), total)
	}
	for _, q := range []catalog.Query{{Text: "khai sinh", Limit: 1}, {Text: "khai sinh", Limit: 5, Offset: 50}} {
		all, want, _ := s.Procedures(ctx, catalog.Query{Text: q.Text})
		page, total, err := s.Procedures(ctx, q)
		if err != nil || total != want || want != len(all) || len(page) > q.Limit {
			t.Errorf("Procedures(%+v) = %d items of %d, %v; want total %d", q, len(page), total, err, want)
		}
	}
}

func testSchedules(t *testing.T, s store.Store) {
	ctx := context.Background()
	d := func(s string) calendar.Date { x, _ := calendar.ParseDate(s); return x }
	s26 := calendar.Schedule{Year: 2026, DaysOff: []calendar.ScheduleDay{{Date: d("2026-01-01"), Name: "Tết Dương lịch"}}}
	s25 := calendar.Schedule{Year: 2025, DaysOff: []calendar.ScheduleDay{{Date: d("2025-01-01"), Name: "Tết Dương lịch"}}}
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutSchedule(ctx, s26); err != nil {
			return err
		}
		return tx.PutSchedule(ctx, s25)
	})
	s26.DaysOff = append(s26.DaysOff, calendar.ScheduleDay{Date: d("2026-02-16"), Name: "Tết Nguyên đán"})
	update(t, s, func(tx store.Tx) error { return tx.PutSchedule(ctx, s26) })
	got, err := s.Schedules(ctx)
	if err != nil || len(got) != 2 || got[0].Year != 2025 || len(got[1].DaysOff) != 2 || got[1].DaysOff[1].Date != d("2026-02-16") {
		t.Fatalf("Schedules = %+v, %v", got, err)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteSchedule(ctx, 2025) })
	if got, _ := s.Schedules(ctx); len(got) != 1 {
		t.Errorf("after delete %d", len(got))
	}
}

func appendN(t *testing.T, s store.Store, n int, action string) {
	ctx := context.Background()
	for i := 0; i < n; i++ {
		update(t, s, func(tx store.Tx) error {
			return tx.AppendAudit(ctx, &audit.Entry{At: t0.Add(time.Duration(i) * time.Second), ActorID: 1, Actor: "quantri", Action: action, Object: fmt.Sprintf("procedure:%d", i), IP: "127.0.0.1", Details: json.RawMessage(`{"i":` + fmt.Sprint(i) + `}`)})
		})
	}
}

// LastSeq is the highest sequence number the heads of s record.
func LastSeq(t testing.TB, s store.AuditReader) int64 {
	t.Helper()
	heads, err := s.AuditHeads(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	for _, h := range heads {
		last = max(last, h.Seq)
	}
	return last
}

// Verify checks the whole audit chain of s.
func Verify(ctx context.Context, s store.AuditReader) (int64, error) {
	v := audit.NewVerifier()
	if err := s.AuditScan(ctx, v.Add); err != nil {
		return v.Count(), err
	}
	heads, err := s.AuditHeads(ctx)
	if err != nil {
		return v.Count(), err
	}
	return v.Count(), v.Finish(heads)
}

func testAuditChain(t *testing.T, s store.Store) {
	ctx := context.Background()
	appendN(t, s, 7, "procedure.import")
	n, err := Verify(ctx, s)
	if err != nil || n != 7 {
		t.Fatalf("Verify = %d, %v", n, err)
	}
	if last := LastSeq(t, s); last != 7 {
		t.Errorf("last seq = %d", last)
	}
	es, err := s.AuditEntries(ctx, audit.Filter{Limit: 3})
	if err != nil || len(es) != 3 || es[0].Seq != 7 || es[0].Chain < 1 || string(es[0].Details) != `{"i":6}` {
		t.Fatalf("AuditEntries = %+v, %v", es, err)
	}
	es, _ = s.AuditEntries(ctx, audit.Filter{BeforeSeq: 3})
	if len(es) != 2 {
		t.Errorf("before 3: %d", len(es))
	}
	es, _ = s.AuditEntries(ctx, audit.Filter{Object: "procedure:4"})
	if len(es) != 1 || es[0].Seq != 5 {
		t.Errorf("by object: %+v", es)
	}
}

func testRollback(t *testing.T, s store.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutProcedure(ctx, Procedure("1.001193", "Đăng ký khai sinh", "Hộ tịch")); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, &audit.Entry{At: t0, Actor: "x", Action: "procedure.put"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update err = %v", err)
	}
	if _, err := s.Procedure(ctx, "1.001193"); !errors.Is(err, errs.ErrNotFound) {
		t.Error("rolled-back procedure is visible")
	}
	if _, total, _ := s.Procedures(ctx, catalog.Query{Text: "khai sinh"}); total != 0 {
		t.Error("rolled-back index entry is visible")
	}
	if last := LastSeq(t, s); last != 0 {
		t.Errorf("rolled-back audit entry moved a head to %d", last)
	}
}

func testConcurrentWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := s.Update(ctx, func(tx store.Tx) error {
					return tx.AppendAudit(ctx, &audit.Entry{At: t0, ActorID: int64(w), Actor: "w", Action: "test.concurrent", Object: fmt.Sprintf("w%d:%d", w, i)})
				})
				if err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatalf("concurrent append: %v", err)
	}
	n, err := Verify(ctx, s)
	if err != nil || n != workers*each {
		t.Fatalf("Verify after concurrent appends = %d, %v", n, err)
	}
}

// testConcurrentFailures mixes concurrent writes that fail, panic and
// succeed: writes committed together must still stand or fall alone.
func testConcurrentFailures(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 60
	var wg sync.WaitGroup
	results := make([]error, n)
	panics := make([]any, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { panics[i] = recover() }()
			results[i] = s.Update(ctx, func(tx store.Tx) error {
				if err := tx.SetMeta(ctx, fmt.Sprintf("k%02d", i), "v"); err != nil {
					return err
				}
				if err := tx.AppendAudit(ctx, &audit.Entry{At: t0, Actor: "w", Action: "test.mixed", Object: fmt.Sprint(i)}); err != nil {
					return err
				}
				switch i % 3 {
				case 1:
					return errs.New(errs.Invalid, "test.fail", "lỗi", "fail")
				case 2:
					if i%6 == 5 {
						panic("test panic")
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	want := 0
	for i := range n {
		v, err := s.Meta(ctx, fmt.Sprintf("k%02d", i))
		switch {
		case i%3 == 1:
			if errs.KindOf(results[i]) != errs.Invalid || v != "" {
				t.Errorf("write %d failed with %v but left %q", i, results[i], v)
			}
		case i%6 == 5:
			if panics[i] != "test panic" || v != "" {
				t.Errorf("write %d panicked (%v) but left %q", i, panics[i], v)
			}
		default:
			want++
			if results[i] != nil || panics[i] != nil || v != "v" || err != nil {
				t.Errorf("write %d: %v %v %q", i, results[i], panics[i], v)
			}
		}
	}
	if got, err := Verify(ctx, s); err != nil || got != int64(want) {
		t.Errorf("audit chain after mixed writes: %d entries (want %d), %v", got, want, err)
	}
}
