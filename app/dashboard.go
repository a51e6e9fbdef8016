package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// DossierQuery is a list request: the caller's own dossiers (applicants),
// the inbox (Inbox: waiting for the caller's roles), or the dossiers of the
// caller's reporting scope (Scope: leaders, viewers, administrators), with
// the filters of the inbox and of the dashboard's click-through.
type DossierQuery struct {
	Inbox  bool
	Scope  bool
	Status int
	// Overdue keeps the dossiers whose running deadline has passed;
	// DueSoon those due within DueSoonWithin of working time.
	Overdue, DueSoon bool
	ProcedureCode    string
	Code             string // part of the dossier's code
	Channel          int
	Agency           string // competent agency (Scope: within the caller's scope)
	CommuneCode      string
	// Submitted and finished in [From, To).
	SubmittedFrom, SubmittedTo time.Time
	FinishedFrom, FinishedTo   time.Time
	Timeliness                 store.Timeliness
	Limit, Offset              int
}

// DossierList is a page of a list with its total and the count of each
// status under the same filters.
type DossierList struct {
	Items    []dossier.Dossier
	Total    int
	ByStatus map[int]int
}

// Dossiers lists the caller's own dossiers (applicants), with Inbox those
// waiting for the caller's roles at their agencies (overdue first), with
// Scope those of the caller's reporting scope.
func (a *App) Dossiers(ctx context.Context, ac Actor, q DossierQuery) ([]dossier.Dossier, int, error) {
	l, err := a.list(ctx, ac, q, false)
	return l.Items, l.Total, err
}

// DossierList is Dossiers with the counts by status.
func (a *App) DossierList(ctx context.Context, ac Actor, q DossierQuery) (DossierList, error) {
	return a.list(ctx, ac, q, true)
}

func (a *App) list(ctx context.Context, ac Actor, q DossierQuery, counts bool) (DossierList, error) {
	var out DossierList
	if ac.Account == nil {
		return out, ac.require(identity.PermDossierHandle, "")
	}
	now := a.now()
	f := store.DossierFilter{Status: q.Status, Limit: q.Limit, Offset: q.Offset, ProcedureCode: q.ProcedureCode, Code: q.Code,
		Channel: q.Channel, CompetentAgency: q.Agency, CommuneCode: q.CommuneCode, SubmittedFrom: q.SubmittedFrom, SubmittedTo: q.SubmittedTo,
		FinishedFrom: q.FinishedFrom, FinishedTo: q.FinishedTo, Timeliness: q.Timeliness, Overdue: q.Overdue, Now: now}
	if q.DueSoon {
		f.DueBy = a.Calendar().AddWorkingTime(now, DueSoonWithin)
	}
	action, object := "dossier.list", fmt.Sprintf("account:%d", ac.Account.ID)
	switch {
	case q.Inbox:
		f.Inbox = append([]identity.Grant{}, ac.Account.Grants...)
		action = "dossier.inbox"
	case q.Scope:
		sc, err := a.reportScope(ctx, ac)
		if err != nil {
			return out, err
		}
		agency, err := sc.pick(q.Agency)
		if err != nil {
			return out, err
		}
		f.CompetentAgency = agency
		if agency != "" {
			object = "agency:" + agency
		} else {
			object = "province:" + a.province.Code
		}
	default:
		f.ApplicantID = ac.Account.ID
		action = ""
	}
	list, total, err := a.store.Dossiers(ctx, f)
	if err != nil {
		return out, err
	}
	out.Items, out.Total = list, total
	if counts {
		if out.ByStatus, err = a.store.DossierStatusCounts(ctx, f); err != nil {
			return out, err
		}
	}
	if action != "" && len(list) > 0 {
		if err := a.recordRead(ctx, ac, action, object, map[string]any{"count": len(list)}); err != nil {
			return DossierList{}, err
		}
	}
	return out, nil
}

// scope is what an account may see on the dashboard: the whole province,
// or the dossiers of some agencies.
type scope struct {
	whole    bool
	agencies []string // in the order of the grants
}

// pick returns the competent agency to filter on: "" for the whole
// province (only with a whole scope), want if it is in the scope, else the
// first agency of the scope.
func (s scope) pick(want string) (string, error) {
	switch {
	case want == "" && s.whole:
		return "", nil
	case want == "":
		return s.agencies[0], nil
	case s.whole || slices.Contains(s.agencies, want):
		return want, nil
	}
	return "", errs.New(errs.Forbidden, "report.scope", "Bạn không có quyền xem số liệu của cơ quan này.", "agency outside the account's reporting scope")
}

// reportScope is the reporting scope of the actor: leaders, viewers and
// administrators see their agency; at the province's People's Committee
// or the service centre (or as administrators) the whole province.
func (a *App) reportScope(ctx context.Context, ac Actor) (scope, error) {
	var sc scope
	if err := ac.require(identity.PermReportRead, ""); err != nil {
		return sc, err
	}
	if ac.System {
		sc.whole = true
		return sc, nil
	}
	for _, g := range ac.Account.Grants {
		switch g.Role {
		case identity.RoleAdmin:
			sc.whole = true
		case identity.RoleLeader, identity.RoleViewer:
			ag, err := a.agency(ctx, g.AgencyID)
			if err != nil {
				return sc, fmt.Errorf("reporting scope: %w", err)
			}
			if ag.Kind == unit.KindProvinceCommittee || ag.Kind == unit.KindServiceCentre {
				sc.whole = true
			} else if !slices.Contains(sc.agencies, g.AgencyID) {
				sc.agencies = append(sc.agencies, g.AgencyID)
			}
		}
	}
	if !sc.whole && len(sc.agencies) == 0 {
		return sc, errs.New(errs.Forbidden, "auth.forbidden", "Tài khoản của bạn không có quyền thực hiện thao tác này.", "permission report.read required")
	}
	return sc, nil
}

// DashboardQuery chooses the dashboard's scope and period.
type DashboardQuery struct {
	// From and To are dates (Vietnam time) of the period, To included;
	// zero: the twelve months up to the end of the current month.
	From, To    time.Time
	Agency      string // competent agency; "" = the whole scope
	CommuneCode string
	ByDay       bool // periods by day (default by month)
}

// Dashboard is the leaders' first dashboard.
type Dashboard struct {
	From, To    time.Time // the period, To excluded (midnight, Vietnam time)
	Now         time.Time
	Whole       bool        // the account sees the whole province
	Agency      AgencyRef   // the agency chosen ("" ID: the whole province)
	Agencies    []AgencyRef // the agencies the account may choose
	CommuneCode string
	CommuneName string
	Stats       store.Stats
	// Periods are the keys of Stats.ByPeriod with their bounds, every
	// period of [From, To) listed even when empty.
	Periods      []Period
	Names        map[string]string // agency IDs and commune codes → names
	Overdue      []dossier.Dossier // the longest overdue first, up to OverdueShown
	ByDay        bool
	ProvinceName string // the province's name
}

// Period is one period of the dashboard with its counts.
type Period struct {
	store.StatsRow
	From, To time.Time
}

// OverdueShown is how many overdue dossiers the dashboard lists.
const OverdueShown = 20

// Dashboard aggregates the dossiers of the actor's scope: leaders, viewers
// and administrators; the whole province from its People's Committee or
// the service centre, their agency otherwise. The read is audited (the
// overdue list names applicants).
func (a *App) Dashboard(ctx context.Context, ac Actor, q DashboardQuery) (Dashboard, error) {
	var out Dashboard
	sc, err := a.reportScope(ctx, ac)
	if err != nil {
		return out, err
	}
	agency, err := sc.pick(q.Agency)
	if err != nil {
		return out, err
	}
	now := a.now()
	out.Now, out.Whole, out.ByDay, out.ProvinceName = now, sc.whole, q.ByDay, a.province.Name
	from, to := q.From, q.To
	if from.IsZero() || to.IsZero() {
		t := now.In(calendar.VN)
		end := time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, calendar.VN)
		from, to = end.AddDate(-1, 0, 0), end
	} else {
		from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, calendar.VN)
		to = time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, calendar.VN)
	}
	if !to.After(from) {
		return out, errs.New(errs.Invalid, "dashboard.period", "Ngày kết thúc phải sau ngày bắt đầu.", "the period ends before it starts")
	}
	if to.Sub(from) > 3*366*24*time.Hour || (q.ByDay && to.Sub(from) > 93*24*time.Hour) {
		return out, errs.New(errs.Invalid, "dashboard.period", "Khoảng thời gian quá dài (tối đa 3 năm, hoặc 93 ngày khi xem theo ngày).", "period too long")
	}
	out.From, out.To = from, to
	out.Agency = a.AgencyRef(ctx, agency)
	if out.Agencies, _, err = a.ReportAgencies(ctx, ac); err != nil {
		return out, err
	}
	out.Names = map[string]string{}
	for _, ag := range out.Agencies {
		out.Names[ag.ID] = ag.Name
	}
	for _, c := range a.province.Communes {
		out.Names[c.Code] = c.Name
	}
	if q.CommuneCode != "" {
		name, ok := out.Names[q.CommuneCode]
		if !ok {
			return out, errs.New(errs.Invalid, "dashboard.commune", fmt.Sprintf("Không có xã mã %q trong tỉnh.", q.CommuneCode), "no such commune in the province")
		}
		out.CommuneCode, out.CommuneName = q.CommuneCode, name
	}
	out.Stats, err = a.store.DossierStats(ctx, store.StatsFilter{Agency: agency, CommuneCode: q.CommuneCode, From: from, To: to, Now: now, ByDay: q.ByDay})
	if err != nil {
		return out, err
	}
	for _, r := range out.Stats.ByAgency {
		if _, ok := out.Names[r.Key]; !ok {
			out.Names[r.Key] = a.AgencyRef(ctx, r.Key).Name
		}
	}
	out.Periods = periods(from, to, q.ByDay, out.Stats.ByPeriod)
	if out.Stats.Total.Overdue > 0 {
		list, _, err := a.store.Dossiers(ctx, store.DossierFilter{CompetentAgency: agency, CommuneCode: q.CommuneCode, Overdue: true, Now: now, Limit: OverdueShown})
		if err != nil {
			return out, err
		}
		out.Overdue = list
	}
	object := "province:" + a.province.Code
	if agency != "" {
		object = "agency:" + agency
	}
	if err := a.recordRead(ctx, ac, "dashboard.read", object, map[string]any{"from": from.Format("2006-01-02"), "to": to.Format("2006-01-02"),
		"commune": q.CommuneCode, "overdue_listed": len(out.Overdue)}); err != nil {
		return Dashboard{}, err
	}
	return out, nil
}

// periods lists every period of [from, to) with its counts.
func periods(from, to time.Time, byDay bool, rows []store.StatsRow) []Period {
	m := map[string]store.StatsRow{}
	for _, r := range rows {
		m[r.Key] = r
	}
	var out []Period
	for t := from; t.Before(to); {
		next := time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, calendar.VN)
		key := t.Format("2006-01")
		if byDay {
			next, key = t.AddDate(0, 0, 1), t.Format("2006-01-02")
		}
		if next.After(to) {
			next = to
		}
		r := m[key]
		r.Key = key
		out = append(out, Period{StatsRow: r, From: t, To: next})
		t = next
	}
	return out
}

// ReportAgencies lists the agencies whose dossiers the actor may follow,
// and whether the actor sees the whole province (then every agency).
func (a *App) ReportAgencies(ctx context.Context, ac Actor) ([]AgencyRef, bool, error) {
	sc, err := a.reportScope(ctx, ac)
	if err != nil {
		return nil, false, err
	}
	var out []AgencyRef
	if sc.whole {
		ags, err := a.agenciesMatching(ctx, store.AgencyFilter{})
		if err != nil {
			return nil, false, err
		}
		for _, ag := range ags {
			out = append(out, AgencyRef{ID: ag.ID, Name: ag.Name})
		}
		return out, true, nil
	}
	for _, id := range sc.agencies {
		out = append(out, a.AgencyRef(ctx, id))
	}
	return out, false, nil
}
