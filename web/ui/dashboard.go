package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/app/dashboard"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/registry"
)

// dashboardRoutes mounts the leaders' dashboard.
func (s *Server) dashboardRoutes() {
	s.mux.HandleFunc("GET /bang-dieu-khien", s.dashboardPage)
}

// formatCount writes n with thousands separators: 1.234 in Vietnamese,
// 1,234 in English.
func formatCount(lang string, n int) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatPercent writes num/den as a percentage rounded to two decimals
// (Decision 766/QĐ-TTg): "87,5 %" in Vietnamese, "87.5%" in English; a
// zero denominator gives "chưa có" ("none yet").
func formatPercent(lang string, num, den int) string {
	if den == 0 {
		return translate(lang, "dashboard.none_yet")
	}
	v := registry.Percent(num, den)
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if lang == "en" {
		return s + "%"
	}
	return strings.Replace(s, ".", ",", 1) + " %"
}

// dashDate writes the day of t in Vietnam as dd/mm/yyyy.
func dashDate(t time.Time) string { return vnFormat(t, layoutDate) }

// dashCell is a number of the dashboard and the list of the dossiers behind it.
type dashCell struct {
	N    int
	Text string
	Href string
}

// dashRow is one line of the dashboard's tables.
type dashRow struct {
	Key, Name                                          string
	Href                                               string // the dashboard narrowed to this line ("" for periods)
	Submitted, Online, Finished, OnTime, Late, Overdue dashCell
	OnlineShare, OnTimeRate                            string
}

// dashBar is one bar of a chart.
type dashBar struct {
	Label, Value, Href string
	Y, Width, TextY    int
}

// dashChart is a horizontal bar chart drawn as inline SVG (no script, no
// inline style), always with a table of the same numbers beside it.
type dashChart struct {
	ID, Title, Desc string
	Height          int
	Bars            []dashBar
}

// The charts' geometry in the units of their viewBox (640 wide): labels
// end at 290, bars start at 298 and are at most chartBarMax long.
const (
	chartBarMax = 280
	chartRow    = 28
)

func newDashChart(id, title, desc string, bars []dashBar, values []int) dashChart {
	top := 1
	for _, v := range values {
		top = max(top, v)
	}
	for i := range bars {
		bars[i].Y = i * chartRow
		bars[i].TextY = i*chartRow + 18
		bars[i].Width = values[i] * chartBarMax / top
		if values[i] > 0 && bars[i].Width == 0 {
			bars[i].Width = 1
		}
	}
	return dashChart{ID: id, Title: title, Desc: desc, Bars: bars, Height: max(len(bars)*chartRow, chartRow)}
}

type dashOverdue struct {
	Code, Procedure, Applicant, Agency string
	DueAt                              time.Time
	Late                               string // how long overdue, in words
}

type dashboardData struct {
	page
	D                  dashboard.Dashboard
	FromDate, ToDate   string // the form's values (yyyy-mm-dd, To included)
	PeriodText         string
	Scope              string // the agency's name or the province's
	Total              dashRow
	Statuses           []dashRow // Key = status number, Name = status name
	StatusChart        dashChart
	PeriodChart        dashChart
	Agencies, Communes []dashRow
	Periods            []dashRow
	Overdue            []dashOverdue
	OverdueHref        string
	// The filters are text inputs with suggestions (datalists of names):
	// AgencyValue and CommuneValue are the names chosen ("" for the whole
	// province, all communes), AgencyNames the agencies one may choose (none
	// when there is only one), CommuneNames the province's communes.
	AgencyValue, CommuneValue string
	AgencyNames, CommuneNames []string
	ByDay                     bool
	ShowAgencyTable           bool
	NowText                   string
	// PortalShare is the share of the province's dossiers synced to the
	// national portal ("" when none was queued), of PortalRows.
	PortalShare, PortalSynced, PortalRows string
}

// Num formats a count for the visitor's language.
func (d dashboardData) Num(n int) string { return formatCount(d.Lang, n) }

// dashboardPage is /bang-dieu-khien: dossiers by status, on-time rate,
// online share, the overdue, by agency, commune and period; every number
// links to the list of its dossiers (/ho-so?pham-vi=1&…).
func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request) {
	acc := s.signedIn(w, r)
	if acc == nil {
		return
	}
	ctx := r.Context()
	ac := pageActor(r, acc)
	qs := r.URL.Query()
	q := dashboard.DashboardQuery{Agency: strings.TrimSpace(qs.Get("co-quan")), CommuneCode: strings.TrimSpace(qs.Get("xa")), ByDay: qs.Get("theo") == "ngay"}
	if f, ok := listDate(qs.Get("tu")); ok {
		if t, ok := listDate(qs.Get("den")); ok {
			q.From, q.To = f, t
		}
	}
	d, err := s.app.Dashboard.Dashboard(ctx, ac, q)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data := dashboardData{page: s.base(w, r, "dashboard.title"), D: d, ByDay: d.ByDay}
	lastDay := d.To.AddDate(0, 0, -1)
	data.FromDate, data.ToDate = vnFormat(d.From, layoutISODate), vnFormat(lastDay, layoutISODate)
	data.PeriodText = dashDate(d.From) + " – " + dashDate(lastDay)
	data.NowText = vnFormat(d.Now, layoutDatetime)
	if d.PortalRows > 0 {
		data.PortalShare = formatPercent(data.Lang, d.PortalSynced, d.PortalRows)
		data.PortalSynced, data.PortalRows = formatCount(data.Lang, d.PortalSynced), formatCount(data.Lang, d.PortalRows)
	}
	data.Scope = d.Agency.Name
	if d.Agency.ID == "" {
		data.Scope = d.ProvinceName
	}
	if d.CommuneName != "" {
		data.Scope += " — " + d.CommuneName
	}
	lang := data.Lang

	// Links to the list: the scope, then what each number counts.
	scopeV := func() url.Values {
		v := url.Values{"pham-vi": {"1"}}
		if d.Agency.ID != "" {
			v.Set("co-quan", d.Agency.ID)
		}
		if d.CommuneCode != "" {
			v.Set("xa", d.CommuneCode)
		}
		return v
	}
	list := func(v url.Values) string { return "/ho-so?" + v.Encode() }
	dates := func(v url.Values, prefix string, from, to time.Time) url.Values {
		v.Set(prefix+"-tu", vnFormat(from, layoutISODate))
		v.Set(prefix+"-den", vnFormat(to.AddDate(0, 0, -1), layoutISODate))
		return v
	}
	num := func(n int, v url.Values) dashCell { return dashCell{N: n, Text: formatCount(lang, n), Href: list(v)} }
	// row builds a table line; narrow adds the line's own filter.
	row := func(r dossier.StatsRow, from, to time.Time, narrow func(url.Values), withOverdue bool) dashRow {
		mk := func(edit func(url.Values)) url.Values {
			v := scopeV()
			narrow(v)
			edit(v)
			return v
		}
		out := dashRow{Key: r.Key,
			Submitted:   num(r.Submitted, mk(func(v url.Values) { dates(v, "nop", from, to) })),
			Online:      num(r.Online, mk(func(v url.Values) { dates(v, "nop", from, to).Set("kenh", strconv.Itoa(int(dossier.ChannelOnline))) })),
			Finished:    num(r.Finished, mk(func(v url.Values) { dates(v, "xong", from, to) })),
			OnTime:      num(r.OnTime, mk(func(v url.Values) { dates(v, "xong", from, to).Set("han", "dung") })),
			Late:        num(r.Late, mk(func(v url.Values) { dates(v, "xong", from, to).Set("han", "tre") })),
			OnlineShare: formatPercent(lang, r.Online, r.Submitted), OnTimeRate: formatPercent(lang, r.OnTime, r.OnTime+r.Late)}
		if withOverdue {
			out.Overdue = num(r.Overdue, mk(func(v url.Values) { v.Set("qua-han", "1") }))
		}
		return out
	}
	none := func(url.Values) {}
	st := d.Stats
	data.Total = row(st.Total, d.From, d.To, none, true)
	data.OverdueHref = data.Total.Overdue.Href

	// Statuses, with their chart.
	var bars []dashBar
	var values []int
	for s := dossier.StatusNew; s <= dossier.StatusReturned; s++ {
		n := st.ByStatus[int(s)]
		v := dates(scopeV(), "nop", d.From, d.To)
		v.Set("trang-thai", strconv.Itoa(int(s)))
		c := num(n, v)
		data.Statuses = append(data.Statuses, dashRow{Key: strconv.Itoa(int(s)), Name: data.T(statusKey(int(s))), Submitted: c})
		bars = append(bars, dashBar{Label: data.T(statusKey(int(s))), Value: c.Text, Href: c.Href})
		values = append(values, n)
	}
	data.StatusChart = newDashChart("bieu-do-trang-thai", data.T("dashboard.by_status_chart"),
		data.T("dashboard.chart_help"), bars, values)

	// Periods, with their chart of the submitted.
	bars, values = nil, nil
	for _, p := range d.Periods {
		sr := row(p.StatsRow, p.From, p.To, none, false)
		sr.Name = vnFormat(p.From, layoutMonth)
		if d.ByDay {
			sr.Name = dashDate(p.From)
		}
		data.Periods = append(data.Periods, sr)
		bars = append(bars, dashBar{Label: sr.Name, Value: sr.Submitted.Text, Href: sr.Submitted.Href})
		values = append(values, p.Submitted)
	}
	data.PeriodChart = newDashChart("bieu-do-ky", data.T("dashboard.by_period_chart"),
		data.T("dashboard.chart_help"), bars, values)

	// By agency and by commune: each line narrows the dashboard too.
	here := func(edit func(url.Values)) string {
		v := url.Values{"tu": {data.FromDate}, "den": {data.ToDate}}
		if d.ByDay {
			v.Set("theo", "ngay")
		}
		if d.Agency.ID != "" {
			v.Set("co-quan", d.Agency.ID)
		}
		if d.CommuneCode != "" {
			v.Set("xa", d.CommuneCode)
		}
		edit(v)
		return "/bang-dieu-khien?" + v.Encode()
	}
	for _, r := range st.ByAgency {
		sr := row(r, d.From, d.To, func(v url.Values) { v.Set("co-quan", r.Key) }, true)
		sr.Name = dashName(d.Names[r.Key], r.Key)
		sr.Href = here(func(v url.Values) { v.Set("co-quan", r.Key) })
		data.Agencies = append(data.Agencies, sr)
	}
	data.ShowAgencyTable = d.Whole || len(d.Agencies) > 1
	for _, r := range st.ByCommune {
		sr := row(r, d.From, d.To, func(v url.Values) { v.Set("xa", r.Key) }, true)
		sr.Name = dashName(d.Names[r.Key], r.Key)
		if r.Key == "" {
			sr.Name = data.T("dashboard.commune_unknown")
		} else {
			sr.Href = here(func(v url.Values) { v.Set("xa", r.Key) })
		}
		data.Communes = append(data.Communes, sr)
	}
	for _, o := range d.Overdue {
		due := o.Deadline.Due
		days := int(d.Now.Sub(due).Hours() / 24)
		late := data.T("dashboard.overdue_less_than_day")
		if days >= 1 {
			late = data.Tf("dashboard.overdue_days", days)
		}
		data.Overdue = append(data.Overdue, dashOverdue{Code: o.Code, Procedure: o.ProcedureName, Applicant: o.Applicant.Name,
			Agency: dashName(d.Names[o.CompetentAgency], o.CompetentAgency), DueAt: due, Late: late})
	}
	data.AgencyValue, data.CommuneValue = d.Agency.Name, d.CommuneName
	if d.Agency.ID == "" {
		data.AgencyValue = ""
	}
	if d.Whole || len(d.Agencies) > 1 {
		for _, a := range d.Agencies {
			data.AgencyNames = append(data.AgencyNames, a.Name)
		}
	}
	for _, c := range s.app.Kernel.Province.Communes {
		data.CommuneNames = append(data.CommuneNames, c.Name)
	}
	s.render(w, http.StatusOK, "dashboard", data)
}

func dashName(name, id string) string {
	if name == "" {
		return id
	}
	return name
}
