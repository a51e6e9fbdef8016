package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// statsDossier is a dossier of the dashboard's tests.
type statsDossier struct {
	code      string
	agency    string
	commune   string
	channel   dossier.Channel
	status    dossier.Status
	submitted time.Time
	due       time.Time  // zero: not received
	finished  *time.Time // done at
	apology   bool       // an apology moved the due later
	paused    bool
}

func (x statsDossier) build() *dossier.Dossier {
	d := &dossier.Dossier{Code: x.code, ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Status: x.status,
		Channel: x.channel, Applicant: dossier.Applicant{AccountID: 9, Name: "Lê Văn Bình", CommuneCode: "99999"},
		SubmittedAt: x.submitted, CompetentAgency: x.agency, CommuneCode: x.commune, Version: 1, Current: -1,
		Steps:   []dossier.Step{{Name: "Thẩm định", Role: identity.RoleSpecialist, AgencyID: x.agency}},
		History: []dossier.Event{{At: x.submitted, Action: dossier.ActSubmit, To: dossier.StatusNew, Step: -1}}}
	if !x.due.IsZero() {
		r := x.submitted.Add(time.Hour)
		d.ReceivedAt = &r
		d.Deadline = calendar.Deadline{Due: x.due}
		if x.paused {
			p := x.due.Add(-time.Hour)
			d.Deadline.PausedAt = &p
		}
	}
	if x.status == dossier.StatusProcessing {
		d.Current = 0
	}
	if x.finished != nil {
		f := *x.finished
		d.FinishedAt = &f
		d.History = append(d.History, dossier.Event{At: f, Action: dossier.ActCompleteStep, From: dossier.StatusProcessing, To: x.status, Step: 0})
		if x.apology {
			d.Apologies = []dossier.Apology{{IssuedAt: x.due.Add(-time.Hour), OldDueAt: x.due, NewDueAt: x.due.Add(72 * time.Hour)}}
			d.Deadline.Due = x.due.Add(72 * time.Hour)
		}
	}
	if x.status == dossier.StatusRefused {
		d.History = append(d.History, dossier.Event{At: x.submitted.Add(2 * time.Hour), Action: dossier.ActRefuse, From: dossier.StatusNew, To: x.status, Step: -1})
	}
	return d
}

// testStats checks DossierStats against hand counts, and that each number
// has a dossier.Filter listing exactly those dossiers (the dashboard's
// click-through).
func testStats(t *testing.T, s store.Store) {
	ctx := context.Background()
	const a1, a2 = "000.00.50.H01", "000.00.10.H01"
	oct := time.Date(2026, 10, 5, 2, 0, 0, 0, time.UTC)
	nov := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	// 2026-10-31 18:00 UTC is 1 November in Vietnam.
	edge := time.Date(2026, 10, 31, 18, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	at := func(t time.Time) *time.Time { return &t }
	ds := []statsDossier{
		// October, a1: one on time, one late, one late despite an apology.
		{"S1", a1, "00004", dossier.ChannelOnline, dossier.StatusReturned, oct, oct.Add(72 * time.Hour), at(oct.Add(48 * time.Hour)), false, false},
		{"S2", a1, "00004", dossier.ChannelInPerson, dossier.StatusDone, oct, oct.Add(72 * time.Hour), at(oct.Add(96 * time.Hour)), false, false},
		{"S3", a1, "00008", dossier.ChannelOnline, dossier.StatusDone, oct, oct.Add(72 * time.Hour), at(oct.Add(100 * time.Hour)), true, false},
		// November (one at the month's Vietnamese edge), a1: overdue now,
		// paused past its due (not overdue), new, refused.
		{"S4", a1, "00004", dossier.ChannelOnline, dossier.StatusProcessing, edge, nov, nil, false, false},
		{"S5", a1, "00004", dossier.ChannelOnline, dossier.StatusSupplement, nov, nov.Add(time.Hour), nil, false, true},
		{"S6", a1, "00008", dossier.ChannelOnline, dossier.StatusNew, nov, time.Time{}, nil, false, false},
		{"S7", a1, "00008", dossier.ChannelPost, dossier.StatusRefused, nov, time.Time{}, nil, false, false},
		// a2: processing, not yet due; one in September (outside the period).
		{"S8", a2, "00008", dossier.ChannelInPerson, dossier.StatusProcessing, nov, now.Add(48 * time.Hour), nil, false, false},
		{"S9", a2, "00004", dossier.ChannelOnline, dossier.StatusProcessing, oct.AddDate(0, -1, 0), now.Add(-time.Hour), nil, false, false},
	}
	update(t, s, func(tx store.Tx) error {
		for _, x := range ds {
			d := x.build()
			if x.status != dossier.StatusNew {
				// Stored first as new, then changed: UpdateDossier keeps
				// the columns too.
				n := *d
				n.Status, n.FinishedAt, n.Deadline, n.ReceivedAt, n.Apologies, n.Current = dossier.StatusNew, nil, calendar.Deadline{}, nil, nil, -1
				if err := tx.CreateDossier(ctx, &n); err != nil {
					return err
				}
				d.Version = 2
				if err := tx.UpdateDossier(ctx, d); err != nil {
					return err
				}
				continue
			}
			if err := tx.CreateDossier(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	from, to := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC) // 1/10–30/11 VN
	st, err := s.DossierStats(ctx, dossier.StatsFilter{From: from, To: to, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	wantTotal := dossier.StatsRow{Submitted: 8, Online: 5, Finished: 4, OnTime: 1, Late: 2, Overdue: 2}
	if st.Total != wantTotal {
		t.Errorf("total = %+v, want %+v", st.Total, wantTotal)
	}
	wantStatus := map[int]int{2: 0, 10: 1, 9: 2, 4: 2, 5: 1, 1: 1, 3: 1}
	for k, v := range wantStatus {
		if st.ByStatus[k] != v {
			t.Errorf("status %d: %d, want %d (%v)", k, st.ByStatus[k], v, st.ByStatus)
		}
	}
	rows := func(rs []dossier.StatsRow) string { return fmt.Sprint(rs) }
	wantAgency := []dossier.StatsRow{{Key: a2, Submitted: 1, Overdue: 1}, {Key: a1, Submitted: 7, Online: 5, Finished: 4, OnTime: 1, Late: 2, Overdue: 1}}
	if rows(st.ByAgency) != rows(wantAgency) {
		t.Errorf("by agency = %v, want %v", st.ByAgency, wantAgency)
	}
	wantCommune := []dossier.StatsRow{{Key: "00004", Submitted: 4, Online: 3, Finished: 2, OnTime: 1, Late: 1, Overdue: 2}, {Key: "00008", Submitted: 4, Online: 2, Finished: 2, Late: 1}}
	if rows(st.ByCommune) != rows(wantCommune) {
		t.Errorf("by commune = %v, want %v", st.ByCommune, wantCommune)
	}
	wantPeriod := []dossier.StatsRow{{Key: "2026-10", Submitted: 3, Online: 2, Finished: 3, OnTime: 1, Late: 2}, {Key: "2026-11", Submitted: 5, Online: 3, Finished: 1}}
	if rows(st.ByPeriod) != rows(wantPeriod) {
		t.Errorf("by period = %v, want %v", st.ByPeriod, wantPeriod)
	}
	scoped, err := s.DossierStats(ctx, dossier.StatsFilter{Agency: a2, From: from, To: to, Now: now, ByDay: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := (dossier.StatsRow{Submitted: 1, Overdue: 1}); scoped.Total != w || len(scoped.ByAgency) != 1 || rows(scoped.ByPeriod) != rows([]dossier.StatsRow{{Key: "2026-11-02", Submitted: 1}}) {
		t.Errorf("scoped to %s: %+v", a2, scoped)
	}

	// Whole months come from the kept counts, other days from the
	// dossiers: both ways agree.
	byDay, err := s.DossierStats(ctx, dossier.StatsFilter{From: from, To: to, Now: now, ByDay: true})
	if err != nil || byDay.Total != st.Total || rows(byDay.ByAgency) != rows(st.ByAgency) || rows(byDay.ByCommune) != rows(st.ByCommune) || fmt.Sprint(byDay.ByStatus) != fmt.Sprint(st.ByStatus) {
		t.Errorf("by day: %+v, %v; by month: %+v", byDay, err, st)
	}
	partial, err := s.DossierStats(ctx, dossier.StatsFilter{From: time.Date(2026, 10, 5, 17, 0, 0, 0, time.UTC), To: to, Now: now})
	if w := (dossier.StatsRow{Submitted: 5, Online: 3, Finished: 4, OnTime: 1, Late: 2, Overdue: 2}); err != nil || partial.Total != w {
		t.Errorf("from 6/10: %+v, %v; want %+v", partial.Total, err, w)
	}

	// Each number lists its dossiers.
	sub := dossier.Filter{SubmittedFrom: from, SubmittedTo: to}
	fin := dossier.Filter{FinishedFrom: from, FinishedTo: to}
	with := func(f dossier.Filter, edit func(*dossier.Filter)) dossier.Filter { edit(&f); return f }
	tests := []struct {
		name string
		f    dossier.Filter
		want int
	}{
		{"submitted", sub, st.Total.Submitted},
		{"online", with(sub, func(f *dossier.Filter) { f.Channel = 2 }), st.Total.Online},
		{"status 9", with(sub, func(f *dossier.Filter) { f.Status = 9 }), st.ByStatus[9]},
		{"finished", fin, st.Total.Finished},
		{"on time", with(fin, func(f *dossier.Filter) { f.Timeliness = dossier.OnTime }), st.Total.OnTime},
		{"late", with(fin, func(f *dossier.Filter) { f.Timeliness = dossier.Late }), st.Total.Late},
		{"overdue", dossier.Filter{Overdue: true, Now: now}, st.Total.Overdue},
		{"overdue of a2", dossier.Filter{Overdue: true, Now: now, CompetentAgency: a2}, 1},
		{"commune 00008", with(sub, func(f *dossier.Filter) { f.CommuneCode = "00008" }), 4},
		{"November", dossier.Filter{SubmittedFrom: time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC), SubmittedTo: to}, 5},
		{"due within 3 days", dossier.Filter{Now: now, DueBy: now.Add(72 * time.Hour)}, 1},
		{"code part", dossier.Filter{Code: "s7"}, 1},
		{"code with a wildcard", dossier.Filter{Code: "%"}, 0},
		{"procedure", dossier.Filter{ProcedureCode: "1.001193"}, 9},
		{"procedure other", dossier.Filter{ProcedureCode: "2.000001"}, 0},
	}
	for _, tt := range tests {
		_, total, err := s.Dossiers(ctx, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if total != tt.want {
			t.Errorf("%s: total %d, want %d", tt.name, total, tt.want)
		}
	}
	// Overdue first: ordered by the running deadline.
	list, _, err := s.Dossiers(ctx, dossier.Filter{Overdue: true, Now: now})
	if err != nil || len(list) != 2 || list[0].Code != "S4" || list[1].Code != "S9" {
		t.Errorf("overdue list = %v, %v", list, err)
	}
	counts, err := s.DossierStatusCounts(ctx, with(sub, func(f *dossier.Filter) { f.Status = 4; f.CompetentAgency = a1 }))
	if err != nil || fmt.Sprint(counts) != fmt.Sprint(map[int]int{1: 1, 3: 1, 4: 1, 5: 1, 9: 2, 10: 1}) {
		t.Errorf("status counts = %v, %v", counts, err)
	}
}
