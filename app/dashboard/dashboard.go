package dashboard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

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
	Whole       bool                 // the account sees the whole province
	Agency      province.AgencyRef   // the agency chosen ("" ID: the whole province)
	Agencies    []province.AgencyRef // the agencies the account may choose
	CommuneCode string
	CommuneName string
	Stats       dossier.Stats
	// Periods are the keys of Stats.ByPeriod with their bounds, every
	// period of [From, To) listed even when empty.
	Periods      []Period
	Names        map[string]string // agency IDs and commune codes → names
	Overdue      []dossier.Dossier // the longest overdue first, up to OverdueShown
	ByDay        bool
	ProvinceName string // the province's name
	// PortalSynced of PortalRows dossiers of the whole province are synced
	// to the national portal (PortalRows 0: none queued yet).
	PortalSynced, PortalRows int
}

// Period is one period of the dashboard with its counts.
type Period struct {
	dossier.StatsRow
	From, To time.Time
}

// OverdueShown is how many overdue dossiers the dashboard lists.
const OverdueShown = 20

// Dashboard aggregates the dossiers of the actor's scope: leaders, viewers
// and administrators; the whole province from its People's Committee or
// the service centre, their agency otherwise. The read is audited (the
// overdue list names applicants).
func (s *Service) Dashboard(ctx context.Context, ac identity.Actor, q DashboardQuery) (Dashboard, error) {
	var out Dashboard
	sc, err := s.prov.ReportScope(ctx, ac)
	if err != nil {
		return out, err
	}
	agencies, err := s.scopeAgencies(ctx, sc)
	if err != nil {
		return out, err
	}
	want := q.Agency
	if want != "" {
		ids, names := make([]string, len(agencies)), make([]string, len(agencies))
		for i, ag := range agencies {
			ids[i], names[i] = ag.ID, ag.Name
		}
		i, n := byCodeOrName(want, ids, names)
		switch {
		case n == 1:
			want = ids[i]
		case sc.Whole || n > 1:
			return out, unknownFilter("dashboard.agency", "cơ quan", "agency", want, n)
		}
	}
	agency, err := sc.Pick(want)
	if err != nil {
		return out, err
	}
	now := s.Now()
	out.Now, out.Whole, out.ByDay, out.ProvinceName = now, sc.Whole, q.ByDay, s.Province.Name
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
	out.Agency = s.prov.AgencyRef(ctx, agency)
	out.Agencies = agencies
	out.Names = map[string]string{}
	for _, ag := range out.Agencies {
		out.Names[ag.ID] = ag.Name
	}
	for _, c := range s.Province.Communes {
		out.Names[c.Code] = c.Name
	}
	if q.CommuneCode != "" {
		codes, names := make([]string, len(s.Province.Communes)), make([]string, len(s.Province.Communes))
		for i, c := range s.Province.Communes {
			codes[i], names[i] = c.Code, c.Name
		}
		i, n := byCodeOrName(q.CommuneCode, codes, names)
		if n != 1 {
			return out, unknownFilter("dashboard.commune", "xã", "commune", q.CommuneCode, n)
		}
		out.CommuneCode, out.CommuneName = codes[i], names[i]
	}
	out.Stats, err = s.db.DossierStats(ctx, dossier.StatsFilter{Agency: agency, CommuneCode: out.CommuneCode, From: from, To: to, Now: now, ByDay: q.ByDay})
	if err != nil {
		return out, err
	}
	for _, r := range out.Stats.ByAgency {
		if _, ok := out.Names[r.Key]; !ok {
			out.Names[r.Key] = s.prov.AgencyRef(ctx, r.Key).Name
		}
	}
	out.Periods = periods(from, to, q.ByDay, out.Stats.ByPeriod)
	if out.Stats.Total.Overdue > 0 {
		list, _, err := s.db.Dossiers(ctx, dossier.Filter{CompetentAgency: agency, CommuneCode: out.CommuneCode, Overdue: true, Now: now, Limit: OverdueShown})
		if err != nil {
			return out, err
		}
		out.Overdue = list
	}
	c, err := s.Store.PortalSyncCounts(ctx)
	if err != nil {
		return out, err
	}
	for _, n := range c.ByState {
		out.PortalRows += n
	}
	out.PortalSynced = c.ByState[store.PortalSynced]
	object := "province:" + s.Province.Code
	if agency != "" {
		object = "agency:" + agency
	}
	if err := s.RecordRead(ctx, ac, "dashboard.read", object, map[string]any{"from": from.Format("2006-01-02"), "to": to.Format("2006-01-02"),
		"commune": out.CommuneCode, "overdue_listed": len(out.Overdue)}); err != nil {
		return Dashboard{}, err
	}
	return out, nil
}

// periods lists every period of [from, to) with its counts.
func periods(from, to time.Time, byDay bool, rows []dossier.StatsRow) []Period {
	m := map[string]dossier.StatsRow{}
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
func (s *Service) ReportAgencies(ctx context.Context, ac identity.Actor) ([]province.AgencyRef, bool, error) {
	sc, err := s.prov.ReportScope(ctx, ac)
	if err != nil {
		return nil, false, err
	}
	out, err := s.scopeAgencies(ctx, sc)
	return out, sc.Whole, err
}

// scopeAgencies are the agencies of a reporting scope, by ID and name.
func (s *Service) scopeAgencies(ctx context.Context, sc province.Scope) ([]province.AgencyRef, error) {
	var out []province.AgencyRef
	if sc.Whole {
		ags, err := s.prov.AgencyList(ctx, unit.AgencyFilter{})
		if err != nil {
			return nil, err
		}
		for _, ag := range ags {
			out = append(out, province.AgencyRef{ID: ag.ID, Name: ag.Name})
		}
		return out, nil
	}
	for _, id := range sc.Agencies {
		out = append(out, s.prov.AgencyRef(ctx, id))
	}
	return out, nil
}

// byCodeOrName finds what a filter names, as a link gives it (the code) or
// as a person types it (the name; case, spacing and Unicode normalisation
// aside, then diacritics aside when that leaves one match). It returns the
// index in codes and names and how many matched: 1 when found, 0 when
// nothing did, more when the name is shared (its index is then -1).
func byCodeOrName(v string, codes, names []string) (int, int) {
	v = strings.TrimSpace(v)
	if i := slices.Index(codes, v); i >= 0 {
		return i, 1
	}
	key := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(vntext.NFC(s))), " ") }
	for _, k := range []func(string) string{key, vntext.Fold} {
		want, found, n := k(v), -1, 0
		for i, name := range names {
			if k(name) == want {
				found, n = i, n+1
			}
		}
		if n == 1 {
			return found, 1
		}
		if n > 1 {
			return -1, n
		}
	}
	return -1, 0
}

// unknownFilter is the error for a filter byCodeOrName could not resolve
// to one agency or commune (n matches): none, or a name several share.
func unknownFilter(field, what, whatEN, v string, n int) error {
	if n > 1 {
		return errs.New(errs.Invalid, field, fmt.Sprintf("Có %d %s cùng tên %q: chọn trong danh sách gợi ý hoặc nhập mã.", n, what, v),
			fmt.Sprintf("the %s name %q matches %d: pick from the suggestions or type the code", whatEN, v, n))
	}
	return errs.New(errs.Invalid, field, fmt.Sprintf("Không có %s %q trong tỉnh.", what, v), fmt.Sprintf("no such %s in the province", whatEN))
}
