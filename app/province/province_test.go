package province_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

func actor(e *apptest.Env, user string) identity.Actor {
	if user == "" {
		return apptest.Anonymous()
	}
	return e.Actor(user)
}

// The memo keeps a procedure 15 s against changes made elsewhere; a change
// made through the service is seen at once.
func TestProcedureMemo(t *testing.T) {
	e := apptest.New(t)
	prov := e.App.Province
	name := func() string {
		t.Helper()
		p, err := prov.Procedure(e.Ctx, "1.001193")
		if err != nil {
			t.Fatal(err)
		}
		return p.Name
	}
	orig := name()
	p, err := e.Store.Procedure(e.Ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	p.Name = "Đăng ký khai sinh (sửa ở nút khác)"
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error { return tx.PutProcedure(e.Ctx, p) }); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != orig {
		t.Errorf("within the memo's life: %q, want %q", got, orig)
	}
	e.Advance(16 * time.Second)
	if got := name(); got != p.Name {
		t.Errorf("after the memo's life: %q", got)
	}
	p.Name = "Đăng ký khai sinh (sửa tại đây)"
	if _, err := prov.PutProcedure(e.Ctx, e.Actor(apptest.Admin), p); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != p.Name {
		t.Errorf("after PutProcedure: %q", got)
	}
	if err := prov.DeleteProcedure(e.Ctx, e.Actor(apptest.Admin), "1.001193"); err != nil {
		t.Fatal(err)
	}
	if _, err := prov.Procedure(e.Ctx, "1.001193"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("after DeleteProcedure: %v", err)
	}
}

func TestPutProcedure(t *testing.T) {
	e := apptest.New(t)
	base, err := e.Store.Procedure(e.Ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(p *catalog.Procedure)) catalog.Procedure {
		p := base
		p.Code, p.Name = "TEST-001", "Đăng ký khai sinh (thử nghiệm)"
		f(&p)
		return p
	}
	valid := with(func(*catalog.Procedure) {})
	for _, tt := range []struct {
		name, user string
		p          catalog.Procedure
		want       errs.Kind
		field      string
	}{
		{"specialist", apptest.Specialist, valid, errs.Forbidden, ""},
		{"leader", apptest.Leader, valid, errs.Forbidden, ""},
		{"anonymous", "", valid, errs.Unauthorized, ""},
		{"no name", apptest.Admin, with(func(p *catalog.Procedure) { p.Name = "" }), errs.Invalid, "name"},
		{"unknown bundle part", apptest.Admin, with(func(p *catalog.Procedure) { p.Bundle = []string{"9.999999"} }), errs.Invalid, "bundle[0]"},
		{"admin", apptest.Admin, valid, apptest.OK, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := e.App.Province.PutProcedure(e.Ctx, actor(e, tt.user), tt.p)
			apptest.WantKind(t, err, tt.want)
			if tt.field != "" && !slices.Contains(apptest.Fields(err), tt.field) {
				t.Errorf("fields %v, want %s", apptest.Fields(err), tt.field)
			}
			if err == nil && !got.UpdatedAt.Equal(e.Now()) {
				t.Errorf("updated at %v", got.UpdatedAt)
			}
		})
	}
	if es := e.Audit(t, "procedure.put", "procedure:TEST-001"); len(es) != 1 || es[0].Actor != apptest.Admin {
		t.Errorf("%d procedure.put entries", len(es))
	}
	list, n, err := e.App.Province.SearchProcedures(e.Ctx, catalog.Query{Text: "thu nghiem"})
	if err != nil || n != 1 || list[0].Code != "TEST-001" {
		t.Errorf("search = %v %d %v", list, n, err)
	}
	if _, _, err := e.App.Province.SearchProcedures(e.Ctx, catalog.Query{Text: strings.Repeat("a", 201)}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("long search: %v", err)
	}

	// The console's save checks the version edited.
	admin := e.Actor(apptest.Admin)
	stored, _ := e.Store.Procedure(e.Ctx, "TEST-001")
	if _, err := e.App.Province.SaveProcedure(e.Ctx, admin, valid, true, time.Time{}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("create over an existing code: %v", err)
	}
	e.Advance(time.Minute)
	if _, err := e.App.Province.SaveProcedure(e.Ctx, admin, valid, false, stored.UpdatedAt.Add(-time.Second)); errs.KindOf(err) != errs.Conflict {
		t.Errorf("save of a stale version: %v", err)
	}
	if _, err := e.App.Province.SaveProcedure(e.Ctx, admin, valid, false, stored.UpdatedAt); err != nil {
		t.Errorf("save of the current version: %v", err)
	}

	if err := e.App.Province.DeleteProcedure(e.Ctx, e.Actor(apptest.Leader), "TEST-001"); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("leader deletes: %v", err)
	}
	if err := e.App.Province.DeleteProcedure(e.Ctx, admin, "TEST-001"); err != nil {
		t.Fatal(err)
	}
	if err := e.App.Province.DeleteProcedure(e.Ctx, admin, "TEST-001"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("second delete: %v", err)
	}
	if n := len(e.Audit(t, "procedure.delete", "procedure:TEST-001")); n != 1 {
		t.Errorf("%d procedure.delete entries", n)
	}
}

// An official schedule overrides the rules: a Monday given off moves a
// due date by one working day, until the schedule is deleted.
func TestSchedules(t *testing.T) {
	e := apptest.New(t)
	prov := e.App.Province
	from := time.Date(2027, 1, 4, 8, 0, 0, 0, calendar.VN) // a Monday
	due := func() time.Time {
		t.Helper()
		d, err := prov.Due(e.Ctx, "", from, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if got, want := due(), time.Date(2027, 1, 5, 8, 0, 0, 0, calendar.VN); !got.Equal(want) {
		t.Fatalf("by the rules: due %v, want %v", got, want)
	}
	sc := calendar.Schedule{Year: 2027, Source: "test", DaysOff: []calendar.ScheduleDay{
		{Date: calendar.Date{Year: 2027, Month: 1, Day: 1}, Name: "Tết Dương lịch"},
		{Date: calendar.Date{Year: 2027, Month: 1, Day: 4}, Name: "Nghỉ thử nghiệm"},
	}}
	other := sc
	other.DaysOff = []calendar.ScheduleDay{{Date: calendar.Date{Year: 2028, Month: 1, Day: 1}, Name: "x"}}
	for _, tt := range []struct {
		name, user string
		ss         []calendar.Schedule
		want       errs.Kind
	}{
		{"receiver", apptest.Receiver, []calendar.Schedule{sc}, errs.Forbidden},
		{"anonymous", "", []calendar.Schedule{sc}, errs.Unauthorized},
		{"a day of another year", apptest.Admin, []calendar.Schedule{other}, errs.Invalid},
		{"admin", apptest.Admin, []calendar.Schedule{sc}, apptest.OK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			apptest.WantKind(t, prov.LoadSchedules(e.Ctx, actor(e, tt.user), tt.ss), tt.want)
		})
	}
	if got, want := due(), time.Date(2027, 1, 5, 17, 30, 0, 0, calendar.VN); !got.Equal(want) {
		t.Errorf("with the schedule: due %v, want %v", got, want)
	}
	if ss, err := prov.Schedules(e.Ctx); err != nil || len(ss) != 1 || ss[0].Year != 2027 {
		t.Errorf("schedules = %v, %v", ss, err)
	}
	if n := len(e.Audit(t, "calendar.schedule", "schedule:2027")); n != 1 {
		t.Errorf("%d calendar.schedule entries", n)
	}
	if err := prov.DeleteSchedule(e.Ctx, e.Actor(apptest.Leader), 2027); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("leader deletes: %v", err)
	}
	if err := prov.DeleteSchedule(e.Ctx, e.Actor(apptest.Admin), 2027); err != nil {
		t.Fatal(err)
	}
	if got := due(); !got.Equal(time.Date(2027, 1, 5, 8, 0, 0, 0, calendar.VN)) {
		t.Errorf("after deleting the schedule: due %v", got)
	}
	for _, bad := range [][2]int{{-1, 0}, {1, 1}, {0, 10001}} {
		if _, err := prov.Due(e.Ctx, "", from, bad[0], bad[1]); errs.KindOf(err) != errs.Invalid {
			t.Errorf("days %d hours %d: %v", bad[0], bad[1], err)
		}
	}
}

// An agency's calendar has its office hours, and follows a change of them.
func TestAgencyCalendar(t *testing.T) {
	e := apptest.New(t)
	prov := e.App.Province
	id := e.Seeded.CommuneAgency
	c, err := prov.AgencyCalendar(e.Ctx, id)
	if err != nil || !reflect.DeepEqual(c.Hours(), calendar.DefaultOfficeHours()) {
		t.Fatalf("commune with the default hours: %v, %v", c, err)
	}
	if _, err := prov.AgencyCalendar(e.Ctx, "000.99.99.H01"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown agency: %v", err)
	}
	ag, err := prov.Agency(e.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ag.OfficeHours = calendar.OfficeHours{Periods: []calendar.Period{{Start: 8 * 60, End: 12 * 60}, {Start: 13 * 60, End: 17 * 60}}, Cutoff: 16 * 60}
	if _, err := prov.PutAgency(e.Ctx, e.Actor(apptest.Leader), ag); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("leader changes the agency: %v", err)
	}
	bad := ag
	bad.ParentID = "000.99.99.H01"
	if _, err := prov.PutAgency(e.Ctx, e.Actor(apptest.Admin), bad); errs.KindOf(err) != errs.Invalid {
		t.Errorf("unknown parent: %v", err)
	}
	if _, err := prov.PutAgency(e.Ctx, e.Actor(apptest.Admin), ag); err != nil {
		t.Fatal(err)
	}
	if n := len(e.Audit(t, "agency.put", "agency:"+id)); n != 1 {
		t.Errorf("%d agency.put entries", n)
	}
	c, err = prov.AgencyCalendar(e.Ctx, id)
	if err != nil || c.Hours().Periods[0].Start != 8*60 || c.Hours().Cutoff != 16*60 {
		t.Fatalf("after the change: %+v, %v", c.Hours(), err)
	}
	// Received on Tuesday at 07:45, a working day later: at the province's
	// hours (07:30–11:30, 13:30–17:30) Wednesday 07:45; at the agency's
	// (08:00–12:00, 13:00–17:00) the clock starts at 08:00 and ends the
	// same day.
	from := time.Date(2027, 1, 5, 7, 45, 0, 0, calendar.VN)
	for _, tt := range []struct {
		agency string
		want   time.Time
	}{
		{"", time.Date(2027, 1, 6, 7, 45, 0, 0, calendar.VN)},
		{id, time.Date(2027, 1, 5, 17, 0, 0, 0, calendar.VN)},
	} {
		if got, err := prov.Due(e.Ctx, tt.agency, from, 1, 0); err != nil || !got.Equal(tt.want) {
			t.Errorf("due at %q = %v, %v; want %v", tt.agency, got, err, tt.want)
		}
	}
}

func TestReportScope(t *testing.T) {
	e := apptest.New(t)
	for _, tt := range []struct {
		name     string
		ac       identity.Actor
		want     errs.Kind
		whole    bool
		agencies []string
	}{
		{"commune leader", e.Actor(apptest.Leader), apptest.OK, false, []string{e.Seeded.CommuneAgency}},
		{"province viewer", e.Actor(apptest.ProvinceView), apptest.OK, true, nil},
		{"administrator", e.Actor(apptest.Admin), apptest.OK, true, nil},
		{"system", identity.SystemActor("test"), apptest.OK, true, nil},
		{"specialist", e.Actor(apptest.Specialist), errs.Forbidden, false, nil},
		{"citizen", e.Actor(apptest.Citizen), errs.Forbidden, false, nil},
		{"anonymous", apptest.Anonymous(), errs.Unauthorized, false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := e.App.Province.ReportScope(e.Ctx, tt.ac)
			apptest.WantKind(t, err, tt.want)
			if err == nil && (sc.Whole != tt.whole || !slices.Equal(sc.Agencies, tt.agencies)) {
				t.Errorf("scope = %+v", sc)
			}
		})
	}
}

func TestScopePick(t *testing.T) {
	whole := province.Scope{Whole: true}
	some := province.Scope{Agencies: []string{"A", "B"}}
	for _, tt := range []struct {
		name  string
		sc    province.Scope
		ask   string
		want  errs.Kind
		agent string
	}{
		{"whole, nothing asked", whole, "", apptest.OK, ""},
		{"whole, an agency asked", whole, "C", apptest.OK, "C"},
		{"agencies, nothing asked", some, "", apptest.OK, "A"},
		{"agencies, one of them", some, "B", apptest.OK, "B"},
		{"agencies, another", some, "C", errs.Forbidden, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.sc.Pick(tt.ask)
			apptest.WantKind(t, err, tt.want)
			if got != tt.agent {
				t.Errorf("Pick(%q) = %q, want %q", tt.ask, got, tt.agent)
			}
		})
	}
}

// TestSearchInvisibleAndFullWidth: a query typed with a zero-width space,
// full-width letters or in NFD finds "Đăng ký khai sinh" (1.001193).
func TestSearchInvisibleAndFullWidth(t *testing.T) {
	e := apptest.New(t)
	for _, q := range []string{"khai sinh", "kh\u200bai sinh", "ｋｈａｉ　ｓｉｎｈ", "\ufeffĐĂNG KÝ khai sinh", norm.NFD.String("Đăng ký khai sinh")} {
		list, _, err := e.App.Province.SearchProcedures(e.Ctx, catalog.Query{Text: q})
		if err != nil || !slices.ContainsFunc(list, func(s catalog.Summary) bool { return s.Code == "1.001193" }) {
			t.Errorf("search %q = %v, %v", q, list, err)
		}
	}
}

// The fee account of an agency: only the system administrator sets it;
// a bank of the VietQR list, 6–19 digits, the holder stored as banks print
// it; each change audited with before and after; removed again.
func TestSetAgencyBank(t *testing.T) {
	e := apptest.New(t)
	prov := e.App.Province
	id := e.Seeded.CommuneAgency
	right := unit.BankAccount{BIN: "970405", Number: "3100201001234", Name: "Ủy ban nhân dân xã"}
	for _, tc := range []struct {
		name string
		user string
		bank *unit.BankAccount
		kind errs.Kind // 0: set
	}{
		{"a leader", apptest.Leader, &right, errs.Forbidden},
		{"a receiver", apptest.Receiver, &right, errs.Forbidden},
		{"a citizen", apptest.Citizen, &right, errs.Forbidden},
		{"unknown BIN", apptest.Admin, &unit.BankAccount{BIN: "970499", Number: "3100201001234", Name: "X"}, errs.Invalid},
		{"letters", apptest.Admin, &unit.BankAccount{BIN: "970405", Number: "31002A", Name: "X"}, errs.Invalid},
		{"the administrator", apptest.Admin, &right, 0},
	} {
		_, err := prov.SetAgencyBank(e.Ctx, e.Actor(tc.user), id, tc.bank)
		if tc.kind == 0 && err != nil || tc.kind != 0 && errs.KindOf(err) != tc.kind {
			t.Errorf("%s: %v, want kind %v", tc.name, err, tc.kind)
		}
	}
	ag, err := prov.Agency(e.Ctx, id)
	want := unit.BankAccount{BIN: "970405", Number: "3100201001234", Name: "UY BAN NHAN DAN XA", Bank: "Agribank"}
	if err != nil || ag.Bank == nil || *ag.Bank != want {
		t.Fatalf("stored %+v (%v), want %+v", ag.Bank, err, want)
	}
	es := e.Audit(t, "agency.bank", "agency:"+id)
	if len(es) != 1 || es[0].Actor != apptest.Admin || !strings.Contains(string(es[0].Details), `"after":{"bin":"970405"`) {
		t.Fatalf("audit %+v", es)
	}
	if _, err := prov.SetAgencyBank(e.Ctx, e.Actor(apptest.Admin), id, nil); err != nil {
		t.Fatal(err)
	}
	if ag, _ := prov.Agency(e.Ctx, id); ag.Bank != nil {
		t.Errorf("removed account still there: %+v", ag.Bank)
	}
	if _, err := prov.SetAgencyBank(e.Ctx, e.Actor(apptest.Admin), "000.99.99.H99", &right); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown agency: %v", err)
	}
}
