package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/dashboard"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, calendar.VN) }

// The dashboard counts four dossiers submitted online: three at the demo
// commune (one received, one refused, one new), one at congdan2's commune
// (received); a month later the two received are overdue. A commune's
// leader sees his agency, the province's viewer and the administrator the
// whole province, a citizen and a specialist nothing.
func TestDashboard(t *testing.T) {
	e := apptest.New(t)
	var ds []dossier.Dossier
	for _, user := range []string{apptest.Citizen, apptest.Citizen, apptest.Citizen, apptest.Citizen2} {
		ds = append(ds, e.Submit(t, user, "1.001193"))
	}
	e.Act(t, apptest.Receiver, ds[0].Code, dossier.ActReceive)
	e.Act(t, apptest.Receiver, ds[3].Code, dossier.ActReceive)
	e.Act(t, apptest.Receiver, ds[1].Code, dossier.ActRefuse)
	other := ds[3].CompetentAgency
	commune := e.Seeded.CommuneAgency
	if other == commune {
		t.Fatal("congdan2's dossier went to the demo commune")
	}
	e.SetClock(apptest.Start.AddDate(0, 1, 0))
	otherName := e.App.Province.AgencyRef(e.Ctx, other).Name
	if otherName == "" {
		t.Fatalf("agency %s has no name", other)
	}

	for _, tt := range []struct {
		name                                 string
		ac                                   identity.Actor
		q                                    dashboard.DashboardQuery
		want                                 errs.Kind
		submitted, online, finished, overdue int
		whole                                bool
		object                               string // of the audit entry
	}{
		{"province viewer", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{}, apptest.OK, 4, 4, 1, 2, true, "province:01"},
		{"administrator", e.Actor(apptest.Admin), dashboard.DashboardQuery{}, apptest.OK, 4, 4, 1, 2, true, "province:01"},
		{"commune leader", e.Actor(apptest.Leader), dashboard.DashboardQuery{}, apptest.OK, 3, 3, 1, 1, false, "agency:" + commune},
		{"viewer picks an agency", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{Agency: other}, apptest.OK, 1, 1, 0, 1, true, "agency:" + other},
		{"viewer picks a commune", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{CommuneCode: "00004"}, apptest.OK, 3, 3, 1, 1, true, "province:01"},
		// The filters are typed: names, as well as the links' codes.
		{"viewer types an agency's name", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{Agency: " " + strings.ToUpper(otherName)}, apptest.OK, 1, 1, 0, 1, true, "agency:" + other},
		{"without diacritics", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{Agency: vntext.Fold(otherName)}, apptest.OK, 1, 1, 0, 1, true, "agency:" + other},
		{"viewer types a commune's name", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{CommuneCode: "phuong ba dinh"}, apptest.OK, 3, 3, 1, 1, true, "province:01"},
		{"an agency the province lacks", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{Agency: "Sở Không Có"}, errs.Invalid, 0, 0, 0, 0, false, ""},
		{"a commune the province lacks", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{CommuneCode: "Phường Không Có"}, errs.Invalid, 0, 0, 0, 0, false, ""},
		{"leader types another agency's name", e.Actor(apptest.Leader), dashboard.DashboardQuery{Agency: otherName}, errs.Forbidden, 0, 0, 0, 0, false, ""},
		{"december", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{From: day(2026, 12, 1), To: day(2026, 12, 31)}, apptest.OK, 0, 0, 0, 2, true, "province:01"},
		{"november by day", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{From: day(2026, 11, 1), To: day(2026, 11, 30), ByDay: true}, apptest.OK, 4, 4, 1, 2, true, "province:01"},
		{"system", identity.SystemActor("test"), dashboard.DashboardQuery{}, apptest.OK, 4, 4, 1, 2, true, "province:01"},
		{"leader picks another agency", e.Actor(apptest.Leader), dashboard.DashboardQuery{Agency: other}, errs.Forbidden, 0, 0, 0, 0, false, ""},
		{"period ends before it starts", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{From: day(2026, 12, 1), To: day(2026, 11, 1)}, errs.Invalid, 0, 0, 0, 0, false, ""},
		{"too many days", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{From: day(2026, 1, 1), To: day(2026, 12, 31), ByDay: true}, errs.Invalid, 0, 0, 0, 0, false, ""},
		{"commune of another province", e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{CommuneCode: "79001"}, errs.Invalid, 0, 0, 0, 0, false, ""},
		{"citizen", e.Actor(apptest.Citizen), dashboard.DashboardQuery{}, errs.Forbidden, 0, 0, 0, 0, false, ""},
		{"specialist", e.Actor(apptest.Specialist), dashboard.DashboardQuery{}, errs.Forbidden, 0, 0, 0, 0, false, ""},
		{"anonymous", apptest.Anonymous(), dashboard.DashboardQuery{}, errs.Unauthorized, 0, 0, 0, 0, false, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.Audit(t, "dashboard.read", ""))
			db, err := e.App.Dashboard.Dashboard(e.Ctx, tt.ac, tt.q)
			apptest.WantKind(t, err, tt.want)
			reads := e.Audit(t, "dashboard.read", "")
			if err != nil {
				if len(reads) != before {
					t.Error("a refused read was audited")
				}
				return
			}
			tot := db.Stats.Total
			if tot.Submitted != tt.submitted || tot.Online != tt.online || tot.Finished != tt.finished || tot.Overdue != tt.overdue || db.Whole != tt.whole {
				t.Errorf("total %+v, whole %v", tot, db.Whole)
			}
			if len(db.Overdue) != tt.overdue {
				t.Errorf("%d overdue listed, want %d", len(db.Overdue), tt.overdue)
			}
			if len(reads) != before+1 || reads[0].Object != tt.object {
				t.Errorf("audit: %d entries, last on %s", len(reads)-before, reads[0].Object)
			}
		})
	}

	// Periods: twelve months up to the current one by default, every day
	// of the month by day.
	db, err := e.App.Dashboard.Dashboard(e.Ctx, e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(db.Periods); n != 12 || db.Periods[11].Key != "2026-12" || db.Periods[10].Submitted != 4 {
		t.Errorf("%d periods: %+v", n, db.Periods)
	}
	db, err = e.App.Dashboard.Dashboard(e.Ctx, e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{From: day(2026, 11, 1), To: day(2026, 11, 30), ByDay: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(db.Periods); n != 30 || db.Periods[22].Key != "2026-11-23" || db.Periods[22].Submitted != 4 {
		t.Errorf("%d periods by day", n)
	}

	// A name two agencies share is neither: the message says so, and the
	// code still picks one.
	twin, err := e.App.Province.Agency(e.Ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	twin.ID = "000.00.98.H01"
	if _, err := e.App.Province.PutAgency(e.Ctx, e.Actor(apptest.Admin), twin); err != nil {
		t.Fatal(err)
	}
	_, err = e.App.Dashboard.Dashboard(e.Ctx, e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{Agency: otherName})
	apptest.WantKind(t, err, errs.Invalid)
	if msg := errs.Message(err); !strings.Contains(msg, "Có 2 cơ quan cùng tên") {
		t.Errorf("shared name: %q", msg)
	}
	if db, err := e.App.Dashboard.Dashboard(e.Ctx, e.Actor(apptest.ProvinceView), dashboard.DashboardQuery{Agency: other}); err != nil || db.Agency.ID != other {
		t.Errorf("by code: %+v, %v", db.Agency, err)
	}
}

func TestReportAgencies(t *testing.T) {
	e := apptest.New(t)
	for _, tt := range []struct {
		name  string
		user  string
		want  errs.Kind
		whole bool
		n     int // agencies listed (-1: all of them)
	}{
		{"commune leader", apptest.Leader, apptest.OK, false, 1},
		{"province viewer", apptest.ProvinceView, apptest.OK, true, -1},
		{"citizen", apptest.Citizen, errs.Forbidden, false, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ags, whole, err := e.App.Dashboard.ReportAgencies(e.Ctx, e.Actor(tt.user))
			apptest.WantKind(t, err, tt.want)
			all, _ := e.App.Province.Agencies(e.Ctx, unit.AgencyFilter{})
			if tt.n == -1 {
				tt.n = len(all)
			}
			if whole != tt.whole || len(ags) != tt.n {
				t.Errorf("whole %v, %d agencies; want %v, %d", whole, len(ags), tt.whole, tt.n)
			}
		})
	}
}
