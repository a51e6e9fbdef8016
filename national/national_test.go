package national_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/testclock"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/nationaltest"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

var (
	units = unit.MustLoad()
	t0    = time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.VN)
)

// clock is a clock the test moves.
func newService(t *testing.T, db *sqlstore.DB, c *testclock.Clock) *national.Service {
	t.Helper()
	cat, err := national.DemoCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := national.New(national.Config{Store: db, Units: units, Catalogue: cat, Accounts: national.DemoAccounts(units),
		Clock: c.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

var (
	hanoi = national.Caller{Province: "01", Username: "tinh-01"}
	hcm   = national.Caller{Province: "79", Username: "tinh-79"}
)

func TestOrderKey(t *testing.T) {
	d := nationaltest.Dossier("X-1", t0)
	if got := national.OrderKey(&d); got != "20261123100000" {
		t.Errorf("OrderKey = %s, want the reception 20261123100000", got)
	}
	d.HoSoBoSung = []dvcqg.Supplement{{HoSoBoSungID: "b", NgayBoSung: "20261124080000", NgayTiepNhanBoSung: "20261125080000"}}
	if got := national.OrderKey(&d); got != "20261125080000" {
		t.Errorf("OrderKey with a supplement = %s", got)
	}
	d = nationaltest.Finished(d, t0.Add(96*time.Hour))
	if got := national.OrderKey(&d); got != "20261127090000" {
		t.Errorf("OrderKey finished = %s", got)
	}
}

// wantErr checks an error's kind and that its message says each of says.
func wantErr(t *testing.T, err error, kind errs.Kind, says ...string) {
	t.Helper()
	if err == nil || errs.KindOf(err) != kind {
		t.Fatalf("err = %v, want kind %v", err, kind)
	}
	for _, s := range says {
		if !strings.Contains(errs.Message(err), s) {
			t.Errorf("message %q does not say %q", errs.Message(err), s)
		}
	}
}

// TestReceiveDossiers walks the rules of PROTOCOL.md on a dossier batch:
// add, add again ("3"), a mixed add, update of an unknown dossier ("-4"),
// an older record (acknowledged, not applied), another province's
// dossier, an invalid record (the batch refused whole).
func TestReceiveDossiers(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		c := testclock.New(t0)
		svc := newService(t, db, c)
		a, b := nationaltest.Dossier(nationaltest.Code("01", 1), t0), nationaltest.Dossier(nationaltest.Code("01", 2), t0)

		o, err := svc.AddDossiers(ctx, hanoi, []dvcqg.Dossier{a})
		if err != nil || o.Code != dvcqg.CodeOK || !strings.Contains(o.Message, "thành công") || o.Written != 1 {
			t.Fatalf("add = %+v, %v", o, err)
		}
		c.Add(time.Minute)
		// Added again with b: a is left as it is and named, b is stored.
		a2 := a
		a2.ChuHoSo = "Người Khác"
		o, err = svc.AddDossiers(ctx, hanoi, []dvcqg.Dossier{a2, b})
		if err != nil || o.Code != dvcqg.CodeExists || !strings.Contains(o.Message, "đã tồn tại") || !strings.Contains(o.Message, a.MaHoSo) || o.Written != 1 {
			t.Fatalf("add existing = %+v, %v", o, err)
		}
		if l, _ := svc.Lookup(ctx, a.MaHoSo); l.Record.ChuHoSo != a.ChuHoSo {
			t.Errorf("an add changed the existing dossier: %s", l.Record.ChuHoSo)
		}
		if _, err := svc.Lookup(ctx, b.MaHoSo); err != nil {
			t.Errorf("the new dossier of a mixed add: %v", err)
		}

		unknown := nationaltest.Dossier(nationaltest.Code("01", 9), t0)
		_, err = svc.UpdateDossiers(ctx, hanoi, []dvcqg.Dossier{a, unknown})
		wantErr(t, err, errs.NotFound, unknown.MaHoSo)

		done := nationaltest.Finished(a, t0.Add(48*time.Hour))
		if o, err := svc.UpdateDossiers(ctx, hanoi, []dvcqg.Dossier{done}); err != nil || o.Code != dvcqg.CodeOK || o.Written != 1 {
			t.Fatalf("update = %+v, %v", o, err)
		}
		// The older record arrives late: acknowledged, not applied.
		o, err = svc.UpdateDossiers(ctx, hanoi, []dvcqg.Dossier{a})
		if err != nil || o.Code != dvcqg.CodeOK || o.Written != 0 || o.Skipped != 1 {
			t.Fatalf("older update = %+v, %v", o, err)
		}
		l, err := svc.Lookup(ctx, a.MaHoSo)
		if err != nil || l.Record.TrangThaiHoSo != 10 || l.Province != "01" || l.ProvinceName != "Thành phố Hà Nội" || !l.ReceivedAt.Equal(t0) {
			t.Fatalf("after an older update: %+v, %v", l, err)
		}

		_, err = svc.UpdateDossiers(ctx, hcm, []dvcqg.Dossier{done})
		wantErr(t, err, errs.Invalid, a.MaHoSo, "Hà Nội")
		_, err = svc.AddDossiers(ctx, hcm, []dvcqg.Dossier{a})
		wantErr(t, err, errs.Invalid, a.MaHoSo)

		// One bad record refuses the batch: the good one is not stored.
		good, bad := nationaltest.Dossier(nationaltest.Code("01", 3), t0), nationaltest.Dossier(nationaltest.Code("01", 4), t0)
		bad.TrangThaiHoSo = 11
		_, err = svc.AddDossiers(ctx, hanoi, []dvcqg.Dossier{good, bad})
		wantErr(t, err, errs.Invalid, "TrangThaiHoSo", bad.MaHoSo, "bản ghi thứ 2")
		if _, err := svc.Lookup(ctx, good.MaHoSo); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("a refused batch stored its good record: %v", err)
		}

		// A code twice in a batch: the newer record is kept.
		n1 := nationaltest.Dossier(nationaltest.Code("01", 5), t0)
		n2 := nationaltest.Finished(n1, t0.Add(24*time.Hour))
		if o, err := svc.AddDossiers(ctx, hanoi, []dvcqg.Dossier{n2, n1}); err != nil || o.Written != 1 {
			t.Fatalf("add twice in a batch = %+v, %v", o, err)
		}
		if l, _ := svc.Lookup(ctx, n1.MaHoSo); l.Record.TrangThaiHoSo != 10 {
			t.Errorf("twice in a batch kept status %d, want the newer 10", l.Record.TrangThaiHoSo)
		}

		_, err = svc.AddDossiers(ctx, hanoi, make([]dvcqg.Dossier, national.MaxBatch+1))
		wantErr(t, err, errs.Invalid, "tối đa 100")
		_, err = svc.AddDossiers(ctx, hanoi, nil)
		wantErr(t, err, errs.Invalid)
	})
}

// TestReceiveProgress: entries of unknown dossiers are refused ("-4"),
// of another province's refused, duplicates stored once, the three-URL
// limit of ten applied, and the entries read back by time.
func TestReceiveProgress(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		svc := newService(t, db, testclock.New(t0))
		a := nationaltest.Dossier(nationaltest.Code("01", 1), t0)
		if _, err := svc.AddDossiers(ctx, hanoi, []dvcqg.Dossier{a}); err != nil {
			t.Fatal(err)
		}
		p1, p2 := nationaltest.Progress(a.MaHoSo, t0.Add(2*time.Hour), 2), nationaltest.Progress(a.MaHoSo, t0.Add(time.Hour), 1)
		o, err := svc.AddProgress(ctx, hanoi, []dvcqg.Progress{p1, p2, p1}, national.MaxBatch)
		if err != nil || o.Code != dvcqg.CodeOK || o.Message != "Đồng bộ tiến trình thành công" || o.Written != 2 || o.Skipped != 1 {
			t.Fatalf("progress = %+v, %v", o, err)
		}
		if o, err := svc.AddProgress(ctx, hanoi, []dvcqg.Progress{p2}, national.MaxProgressThreeURL); err != nil || o.Written != 0 {
			t.Fatalf("progress again = %+v, %v", o, err)
		}
		l, err := svc.Lookup(ctx, a.MaHoSo)
		if err != nil || len(l.Progress) != 2 || l.Progress[0].NoiDungXuLy != "Bước xử lý 1" || l.Progress[1].NoiDungXuLy != "Bước xử lý 2" {
			t.Fatalf("look-up progress = %+v, %v", l.Progress, err)
		}

		_, err = svc.AddProgress(ctx, hanoi, []dvcqg.Progress{p1, nationaltest.Progress("KHONG-CO-1", t0, 1)}, national.MaxBatch)
		wantErr(t, err, errs.NotFound, "KHONG-CO-1")
		_, err = svc.AddProgress(ctx, hcm, []dvcqg.Progress{p1}, national.MaxBatch)
		wantErr(t, err, errs.Invalid, a.MaHoSo)
		bad := p1
		bad.NguoiXuLy = strings.Repeat("x", 51)
		_, err = svc.AddProgress(ctx, hanoi, []dvcqg.Progress{p2, bad}, national.MaxBatch)
		wantErr(t, err, errs.Invalid, "NguoiXuLy", a.MaHoSo, "bản ghi thứ 2")
		eleven := make([]dvcqg.Progress, 11)
		for i := range eleven {
			eleven[i] = nationaltest.Progress(a.MaHoSo, t0.Add(time.Duration(i)*time.Minute), i)
		}
		_, err = svc.AddProgress(ctx, hanoi, eleven, national.MaxProgressThreeURL)
		wantErr(t, err, errs.Invalid, "tối đa 10")
		if o, err := svc.AddProgress(ctx, hanoi, eleven, national.MaxBatch); err != nil || o.Written != 11 {
			t.Fatalf("eleven in the adapter style = %+v, %v", o, err)
		}
	})
}

// TestStats: every province listed, counts and shares by province, the
// period bounding the submissions, the totals.
func TestStats(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		svc := newService(t, db, testclock.New(t0))
		late := nationaltest.Finished(nationaltest.Dossier(nationaltest.Code("79", 2), t0), t0.Add(100*time.Hour))
		inPerson := nationaltest.Dossier(nationaltest.Code("79", 3), t0.AddDate(0, 1, 0))
		inPerson.KenhThucHien = 1
		for _, step := range []struct {
			c    national.Caller
			recs []dvcqg.Dossier
		}{
			{hanoi, []dvcqg.Dossier{nationaltest.Finished(nationaltest.Dossier(nationaltest.Code("01", 1), t0), t0.Add(24*time.Hour))}},
			{hcm, []dvcqg.Dossier{late, inPerson}},
		} {
			if _, err := svc.AddDossiers(ctx, step.c, step.recs); err != nil {
				t.Fatal(err)
			}
		}
		st, err := svc.Stats(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Provinces) != 34 {
			t.Fatalf("%d provinces, want 34", len(st.Provinces))
		}
		by := map[string]national.ProvinceStats{}
		for _, p := range st.Provinces {
			by[p.Province] = p
		}
		if p := by["01"]; p.Synced != 1 || p.Finished != 1 || p.OnTime != 1 || p.OnlineShare != 1 || p.LastSyncAt == nil {
			t.Errorf("Hà Nội = %+v", p)
		}
		if p := by["79"]; p.Synced != 2 || p.Received != 2 || p.Finished != 1 || p.OnTime != 0 || p.Online != 1 || p.OnlineShare != 0.5 {
			t.Errorf("Hồ Chí Minh = %+v", p)
		}
		if p := by["04"]; p.Synced != 0 || p.LastSyncAt != nil {
			t.Errorf("a province that synced nothing = %+v", p)
		}
		if tot := st.Totals; tot.Synced != 3 || tot.Online != 2 || tot.OnlineShare != 0.6667 || tot.Name != "Toàn quốc" {
			t.Errorf("totals = %+v", tot)
		}
		nov, err := svc.Stats(ctx, "2026-11-01", "2026-11-30")
		if err != nil || nov.Totals.Synced != 2 {
			t.Errorf("November = %+v, %v", nov.Totals, err)
		}
		for _, bad := range [][2]string{{"2026-13-01", ""}, {"", "23/11/2026"}, {"2026-12-01", "2026-11-01"}} {
			_, err := svc.Stats(ctx, bad[0], bad[1])
			wantErr(t, err, errs.Invalid)
		}
	})
}

func TestAccounts(t *testing.T) {
	demo := national.DemoAccounts(units)
	if c, err := demo.Check("tinh-01", "matkhau-01"); err != nil || c.Province != "01" {
		t.Errorf("demo check = %+v, %v", c, err)
	}
	for _, bad := range [][2]string{{"tinh-01", "matkhau-79"}, {"tinh-99", "matkhau-99"}, {"", ""}} {
		if _, err := demo.Check(bad[0], bad[1]); errs.KindOf(err) != errs.Unauthorized {
			t.Errorf("Check(%q, %q) = %v, want Unauthorized", bad[0], bad[1], err)
		}
	}
	hash, err := identity.HashPassword("mat-khau-rat-dai")
	if err != nil {
		t.Fatal(err)
	}
	file := `{"01": {"username": "hanoi", "password_hash": "` + hash + `"}, "79": {"username": "hcm", "password": "mot-mat-khau"}}`
	acc, err := national.LoadAccounts(strings.NewReader(file), units)
	if err != nil {
		t.Fatal(err)
	}
	if got := acc.Provinces(); len(got) != 2 || got[0] != "01" || got[1] != "79" {
		t.Errorf("Provinces = %v", got)
	}
	for range 2 { // the second check is the remembered digest's
		if c, err := acc.Check("hanoi", "mat-khau-rat-dai"); err != nil || c.Province != "01" {
			t.Fatalf("hashed check = %+v, %v", c, err)
		}
	}
	if _, err := acc.Check("hanoi", "sai"); errs.KindOf(err) != errs.Unauthorized {
		t.Errorf("wrong password after a good one = %v", err)
	}
	if c, err := acc.Check("hcm", "mot-mat-khau"); err != nil || c.Province != "79" {
		t.Errorf("plain check = %+v, %v", c, err)
	}
	if _, err := acc.Check("tinh-01", "matkhau-01"); err == nil {
		t.Error("the demo credentials work beside an accounts file")
	}
	for name, bad := range map[string]string{
		"not JSON":        `{`,
		"unknown field":   `{"01": {"username": "a", "password": "12345678", "role": "x"}}`,
		"unknown code":    `{"99": {"username": "a", "password": "12345678"}}`,
		"no username":     `{"01": {"password": "12345678"}}`,
		"both":            `{"01": {"username": "a", "password": "12345678", "password_hash": "` + hash + `"}}`,
		"neither":         `{"01": {"username": "a"}}`,
		"short password":  `{"01": {"username": "a", "password": "1234"}}`,
		"not argon2id":    `{"01": {"username": "a", "password_hash": "$2a$10$abc"}}`,
		"username twice":  `{"01": {"username": "a", "password": "12345678"}, "79": {"username": "a", "password": "12345678"}}`,
		"no account":      `{}`,
		"an array":        `[]`,
		"trailing object": `{"01": 5}`,
	} {
		if _, err := national.LoadAccounts(strings.NewReader(bad), units); errs.KindOf(err) != errs.Invalid {
			t.Errorf("%s: LoadAccounts = %v, want Invalid", name, err)
		}
	}
}

func TestSessions(t *testing.T) {
	c := testclock.New(t0)
	s := national.NewSessions(30*time.Minute, c.Now)
	tok, err := s.New(hanoi)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(tok); err != nil || got.Province != "01" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	for _, bad := range []string{"", tok + "x", "khong-co"} {
		if _, err := s.Get(bad); errs.KindOf(err) != errs.Unauthorized {
			t.Errorf("Get(%q) = %v, want Unauthorized", bad, err)
		}
	}
	c.Add(30 * time.Minute)
	_, err = s.Get(tok)
	wantErr(t, err, errs.Unauthorized, "hết hạn")
	// A province that logs in again and again keeps at most
	// MaxSessionsPerProvince sessions; the oldest go first.
	var toks []string
	for range national.MaxSessionsPerProvince + 5 {
		c.Add(time.Second)
		tok, err := s.New(hanoi)
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
	}
	other, _ := s.New(hcm)
	if n := s.Len(); n != national.MaxSessionsPerProvince+1 {
		t.Errorf("%d sessions held, want %d", n, national.MaxSessionsPerProvince+1)
	}
	if _, err := s.Get(toks[0]); err == nil {
		t.Error("the oldest session survived the bound")
	}
	if _, err := s.Get(toks[len(toks)-1]); err != nil {
		t.Errorf("the newest session: %v", err)
	}
	if _, err := s.Get(other); err != nil {
		t.Errorf("another province's session: %v", err)
	}
}

func TestCatalogue(t *testing.T) {
	cat, err := national.DemoCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	p, err := cat.Procedure("1.001193")
	if err != nil || p.TenTTHC != "Đăng ký khai sinh" || p.LinhVuc[0].MaLinhVuc != "LV-HO-TICH" || p.LinhVuc[0].TenLinhVuc != "Hộ tịch" ||
		p.CapThucHien != "Cấp xã" || !p.DuLieuMau {
		t.Errorf("Procedure = %+v, %v", p, err)
	}
	if _, err := cat.Procedure("9.999999"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown procedure = %v", err)
	}
	demo, _ := cat.Procedure("DEMO-001")
	if !strings.Contains(strings.Join(demo.TamThoi, ","), "MATTHC") {
		t.Errorf("a demo code is not marked provisional: %v", demo.TamThoi)
	}
	if l := cat.List(); len(l) != cat.Len() || len(l) < 50 || l[0].MaTTHC != "1.001193" {
		t.Errorf("List = %d procedures", len(l))
	}
	for in, want := range map[string]string{"Đăng ký, quản lý cư trú": "LV-DANG-KY-QUAN-LY-CU-TRU", "Giáo dục và Đào tạo": "LV-GIAO-DUC-VA-DAO-TAO", "": "LV"} {
		if got := national.FieldCode(in); got != want {
			t.Errorf("FieldCode(%q) = %q, want %q", in, got, want)
		}
	}
}
