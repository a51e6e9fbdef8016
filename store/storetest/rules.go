package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// rulesDossiers are dossiers of every status with every kind of deadline
// (none, past, at now, soon, later; running or paused) and of finishing
// (on time, late, late despite an apology, without an appointment), half
// with their own commune; submitted in October and November 2026.
func rulesDossiers(now time.Time) []*dossier.Dossier {
	dues := []time.Duration{0, -50 * time.Hour, 0, 20 * time.Hour, 100 * time.Hour} // the first: no deadline
	var out []*dossier.Dossier
	for st := dossier.StatusNew; st <= dossier.StatusReturned; st++ {
		for i, off := range dues {
			for _, paused := range []bool{false, true} {
				if i == 0 && paused {
					continue
				}
				for fin := range 4 { // 0 open; finished 1 on time, 2 late, 3 late despite an apology
					if fin > 0 && st != dossier.StatusDone && st != dossier.StatusReturned || fin == 0 && (st == dossier.StatusDone || st == dossier.StatusReturned) {
						continue
					}
					n := len(out)
					submitted := now.Add(-time.Duration(n*9+30) * time.Hour)
					d := &dossier.Dossier{Code: fmt.Sprintf("R%03d", n), ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Status: st,
						Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{AccountID: 9, Name: "Lê Văn Bình", CommuneCode: "00008"},
						SubmittedAt: submitted, CompetentAgency: "000.00.50.H01", Version: 1, Current: -1,
						Steps:   []dossier.Step{{Name: "Thẩm định", Role: identity.RoleSpecialist, AgencyID: "000.00.50.H01"}},
						History: []dossier.Event{{At: submitted, Action: dossier.ActSubmit, To: dossier.StatusNew, Step: -1}}}
					if n%2 == 0 {
						d.CommuneCode = "00004"
					}
					if i > 0 {
						due := now.Add(off)
						r := submitted.Add(time.Hour)
						d.ReceivedAt, d.Deadline = &r, calendar.Deadline{Due: due}
						if paused {
							p := due.Add(-time.Hour)
							d.Deadline.PausedAt = &p
						}
					}
					if fin > 0 {
						f := submitted.Add(24 * time.Hour)
						if i > 0 {
							f = d.Deadline.Due.Add(map[int]time.Duration{1: -time.Hour, 2: time.Hour, 3: time.Hour}[fin])
						}
						if fin == 3 && i > 0 {
							d.Apologies = []dossier.Apology{{IssuedAt: f.Add(-2 * time.Hour), OldDueAt: d.Deadline.Due, NewDueAt: d.Deadline.Due.Add(72 * time.Hour)}}
							d.Deadline.Due = d.Deadline.Due.Add(72 * time.Hour)
						}
						d.FinishedAt = &f
					}
					if st.Closed() || st == dossier.StatusDone {
						d.History = append(d.History, dossier.Event{At: submitted.Add(time.Duration(n) * time.Minute), Action: dossier.ActCompleteStep, To: st, Step: 0})
					} else if st != dossier.StatusNew {
						d.Current = 0
					}
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// testDomainRules checks that the store's SQL predicates (overdue, due by,
// finished in a period, on time or late, commune) and its dashboard counts
// select what the dossier package's rules (RunningDeadline, Overdue,
// Tally) say, on a table of dossiers stored new and then updated.
func testDomainRules(t *testing.T, s store.Store) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	ds := rulesDossiers(now)
	update(t, s, func(tx store.Tx) error {
		for _, d := range ds {
			if d.Status == dossier.StatusNew {
				if err := tx.CreateDossier(ctx, d); err != nil {
					return err
				}
				continue
			}
			n := *d
			n.Status, n.FinishedAt, n.Deadline, n.ReceivedAt, n.Apologies, n.Current = dossier.StatusNew, nil, calendar.Deadline{}, nil, nil, -1
			if err := tx.CreateDossier(ctx, &n); err != nil {
				return err
			}
			u := *d
			u.Version = 2
			if err := tx.UpdateDossier(ctx, &u); err != nil {
				return err
			}
		}
		return nil
	})
	from, to := time.Date(2026, 9, 30, 17, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC) // 1/10–30/11 VN
	mid := time.Date(2026, 11, 15, 17, 0, 0, 0, time.UTC)
	dueBy := now.Add(48 * time.Hour)
	in := func(t *time.Time, from, to time.Time) bool { return t != nil && !t.Before(from) && t.Before(to) }
	tests := []struct {
		name string
		f    dossier.Filter
		rule func(d *dossier.Dossier) bool
	}{
		{"overdue", dossier.Filter{Overdue: true, Now: now}, func(d *dossier.Dossier) bool { return d.Overdue(now) }},
		{"due by", dossier.Filter{Now: now, DueBy: dueBy}, func(d *dossier.Dossier) bool {
			due, ok := d.RunningDeadline()
			return ok && !d.Overdue(now) && !due.After(dueBy)
		}},
		{"finished in the period", dossier.Filter{FinishedFrom: from, FinishedTo: mid}, func(d *dossier.Dossier) bool { return in(d.Tally().Finished, from, mid) }},
		{"on time", dossier.Filter{Timeliness: dossier.OnTime}, func(d *dossier.Dossier) bool { l := d.Tally().Late; return l != nil && !*l }},
		{"late", dossier.Filter{Timeliness: dossier.Late}, func(d *dossier.Dossier) bool { l := d.Tally().Late; return l != nil && *l }},
		{"commune 00008", dossier.Filter{CommuneCode: "00008"}, func(d *dossier.Dossier) bool { return d.Tally().Commune == "00008" }},
	}
	for _, tt := range tests {
		var want []string
		for _, d := range ds {
			if tt.rule(d) {
				want = append(want, d.Code)
			}
		}
		tt.f.Limit = 1000
		list, total, err := s.Dossiers(ctx, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []string
		for _, d := range list {
			got = append(got, d.Code)
		}
		slices.Sort(got)
		if len(want) == 0 || total != len(want) || !slices.Equal(got, want) {
			t.Errorf("%s: store %v (total %d), rule %v", tt.name, got, total, want)
		}
	}

	// The dashboard: by month from the kept counts, by day from the
	// dossiers; both against the rules.
	var w dossier.StatsRow
	for _, d := range ds {
		ty := d.Tally()
		if in(&d.SubmittedAt, from, to) {
			w.Submitted++
			w.Online++
		}
		if in(ty.Finished, from, to) {
			w.Finished++
			if ty.Late != nil && *ty.Late {
				w.Late++
			} else if ty.Late != nil {
				w.OnTime++
			}
		}
		if d.Overdue(now) {
			w.Overdue++
		}
	}
	for _, byDay := range []bool{false, true} {
		st, err := s.DossierStats(ctx, dossier.StatsFilter{From: from, To: to, Now: now, ByDay: byDay})
		if err != nil {
			t.Fatal(err)
		}
		if st.Total != w {
			t.Errorf("stats (by day %v) = %+v, rules %+v", byDay, st.Total, w)
		}
	}
}
