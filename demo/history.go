package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// historyKey marks a store that already holds the demo's history.
const historyKey = "demo_history_seeded"

// HistoryPerDay is how many dossiers a working day of the demo's history
// brings to the demo commune, on average.
const HistoryPerDay = 3

// History loads months of past dossiers into the demo commune (the one
// whose officials are the demo accounts), so that the leaders' dashboard,
// the lists and the officials' inboxes show a working commune rather than
// an empty one: dossiers submitted on working days over the months before
// today, online and at the counter, of the commune's usual procedures
// (birth registration first), walked by the demo officials through the
// workflow engine itself (dossier.Apply, with the commune's calendar): most
// returned on time, some late after a letter of apology, a few refused at
// reception, the recent ones still in progress and a few stalled past their
// appointment. It is deterministic (seed) and runs once per store; it
// writes no audit entry or outbox event per dossier (nothing is sent for a
// past that did not happen), one audit entry for the whole.
func History(ctx context.Context, a *platform.Services, s store.Store, months int, seed uint64) (int, error) {
	if months <= 0 {
		return 0, nil
	}
	done, err := s.Meta(ctx, historyKey)
	if err != nil || done != "" {
		return 0, err
	}
	p := a.Kernel.Province
	if len(p.Communes) == 0 {
		return 0, fmt.Errorf("demo history: province %s has no communes", p.Code)
	}
	commune, communeCode := communeID(p.Code, 0), p.Communes[0].Code
	cal, err := a.Province.AgencyCalendar(ctx, commune)
	if err != nil {
		return 0, fmt.Errorf("demo history: %w", err)
	}
	actors := map[identity.Role]identity.Actor{}
	for role, user := range map[identity.Role]string{identity.RoleReceiver: "tiepnhanxa", identity.RoleSpecialist: "chuyenvien", identity.RoleLeader: "lanhdao", identity.RoleClerk: "vanthu"} {
		acc, err := s.AccountByUsername(ctx, user)
		if err != nil {
			return 0, fmt.Errorf("demo history: account %s: %w", user, err)
		}
		actors[role] = identity.ActorOf(&acc)
	}
	citizens := map[string]identity.Account{}
	for _, user := range []string{"congdan", "congdan2"} {
		if acc, err := s.AccountByUsername(ctx, user); err == nil {
			citizens[user] = acc
		}
	}
	procs, err := historyProcedures(ctx, s)
	if err != nil {
		return 0, err
	}
	if len(procs) == 0 {
		return 0, fmt.Errorf("demo history: no commune procedure handled by the commune's officials in the catalogue")
	}

	now := a.Kernel.Now()
	today := dayStart(now)
	first := today.AddDate(0, -months, 0)
	rng := rand.New(rand.NewPCG(seed, 0x6d6f74637561))
	perDay := rand.New(rand.NewPCG(seed, 0x646179)) // the days' counts, apart from the dossiers' draws
	var ds []*dossier.Dossier
	for day := first; day.Before(today); day = day.AddDate(0, 0, 1) {
		if !cal.IsWorkingDay(calendar.DateOf(day)) {
			continue
		}
		n := 1 + perDay.IntN(2*HistoryPerDay-1) // 1 … 2×HistoryPerDay−1, HistoryPerDay on average
		for seq := 1; seq <= n; seq++ {
			at := day.Add(7*time.Hour + 30*time.Minute + time.Duration(rng.IntN(9*60))*time.Minute)
			d, err := historyDossier(rng, procs, actors, citizens, cal, commune, communeCode, at, seq, now)
			if err != nil {
				return 0, fmt.Errorf("demo history %s: %w", at.Format(time.DateOnly), err)
			}
			ds = append(ds, d)
		}
	}
	sys := identity.SystemActor("demo")
	err = s.Update(ctx, func(tx store.Tx) error {
		for _, d := range ds {
			if err := tx.CreateDossier(ctx, d); err != nil {
				return fmt.Errorf("dossier %s: %w", d.Code, err)
			}
		}
		if err := tx.SetMeta(ctx, historyKey, now.UTC().Format(time.RFC3339)); err != nil {
			return err
		}
		return a.Kernel.Record(ctx, tx, sys, "demo.history", "agency:"+commune, map[string]int{"dossiers": len(ds), "months": months})
	})
	if err != nil {
		return 0, fmt.Errorf("demo history: %w", err)
	}
	return len(ds), nil
}

// historyProcedures are the commune's procedures whose every step is the
// commune's own (receiver, specialist, leader, clerk), birth registration
// first: drawn more often, as it is at a commune's counter.
func historyProcedures(ctx context.Context, s store.Store) ([]catalog.Procedure, error) {
	all, err := s.AllProcedures(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo history: %w", err)
	}
	var out []catalog.Procedure
	for _, p := range all {
		if p.Level != catalog.LevelCommune || p.AgencyKind != "commune_committee" || len(p.Workflow.Steps) < 2 {
			continue
		}
		ok := true
		for i, st := range p.Workflow.Steps {
			known := st.Role == identity.RoleReceiver && i == 0 || st.Role == identity.RoleSpecialist || st.Role == identity.RoleLeader || st.Role == identity.RoleClerk
			if !known || (st.Agency != "" && st.Agency != "competent") {
				ok = false
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	for i, p := range out {
		if p.Code == "1.001193" { // birth registration: the commonest
			out[0], out[i] = out[i], out[0]
		}
	}
	return out, nil
}

// surnames and given names of the demo's applicants (common ones).
var (
	surnames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middles  = []string{"Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quốc", "Thanh", "Hữu", "Kim"}
	givens   = []string{"An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"}
)

// historyDossier is one past dossier submitted at at, walked as far as its
// drawn fate and now allow.
func historyDossier(rng *rand.Rand, procs []catalog.Procedure, actors map[identity.Role]identity.Actor, citizens map[string]identity.Account,
	cal *calendar.Calendar, commune, communeCode string, at time.Time, seq int, now time.Time) (*dossier.Dossier, error) {
	p := &procs[0]
	if rng.IntN(3) != 0 { // a third birth registrations, the rest spread
		p = &procs[rng.IntN(len(procs))]
	}
	app := dossier.Applicant{Name: surnames[rng.IntN(len(surnames))] + " " + middles[rng.IntN(len(middles))] + " " + givens[rng.IntN(len(givens))],
		CitizenID: fmt.Sprintf("001%d%02d%06d", rng.IntN(2)+2*rng.IntN(2), 60+rng.IntN(45)%40, rng.IntN(1000000)), CommuneCode: communeCode}
	ch, counter := dossier.ChannelInPerson, commune
	if rng.IntN(10) < 6 {
		ch, counter = dossier.ChannelOnline, ""
		if acc, ok := citizens[[]string{"congdan", "congdan2"}[rng.IntN(2)]]; ok && rng.IntN(8) == 0 {
			app = dossier.Applicant{AccountID: acc.ID, Name: acc.DisplayName, CitizenID: acc.CitizenID, CommuneCode: acc.CommuneCode, Email: acc.Email, Phone: acc.Phone}
		}
	}
	stepAgencies := make([]string, len(p.Workflow.Steps))
	for i := range stepAgencies {
		stepAgencies[i] = commune
	}
	stepAgencies[0] = counter
	d, err := dossier.New(p, app, json.RawMessage(`{}`), nil, ch, counter, commune, stepAgencies, at)
	if err != nil {
		return nil, err
	}
	d.Code = dossier.Code(commune, at, seq)
	d.NameAgencies(func(string) string { return "" })

	t := at
	act := func(role identity.Role, a dossier.Action, when time.Time, req dossier.Request) (bool, error) {
		when = when.Truncate(time.Second) // as a clock shows it
		if !when.Before(now) {
			return false, nil // the future: the dossier waits there
		}
		req.Action = a
		if err := dossier.Apply(d, actors[role], req, dossier.Env{Now: when, Calendar: cal}); err != nil {
			return false, fmt.Errorf("%s %s at %s: %w", d.Code, a, when.Format(time.RFC3339), err)
		}
		t = when
		return true, nil
	}
	wait := func(minutes int) time.Time { return t.Add(time.Duration(minutes) * time.Minute) }

	// Reception: at once at the counter, within a working day online.
	receiveAt := wait(5 + rng.IntN(20))
	if ch == dossier.ChannelOnline {
		receiveAt = wait(30 + rng.IntN(20*60))
	}
	if rng.IntN(25) == 0 {
		_, err := act(identity.RoleReceiver, dossier.ActRefuse, receiveAt, dossier.Request{Note: "Hồ sơ không thuộc thẩm quyền giải quyết của xã."})
		return d, err
	}
	if ok, err := act(identity.RoleReceiver, dossier.ActReceive, receiveAt, dossier.Request{}); !ok || err != nil {
		return d, err
	}
	fate := rng.IntN(100) // < 8: late after an apology; < 12: stalled at a step
	for d.Status != dossier.StatusDone {
		st := d.CurrentStep()
		last := d.Current == len(d.Steps)-1
		if fate >= 8 && fate < 12 && d.Current == len(d.Steps)/2 {
			return d, nil // stalled: waits past its appointment
		}
		due := st.Deadline.Due
		span := due.Sub(t)
		if span < time.Hour {
			span = time.Hour
		}
		doneAt := t.Add(time.Duration(float64(span) * (0.15 + 0.6*rng.Float64())))
		if last && fate < 8 {
			apologyAt := d.Deadline.Due.Add(-2 * time.Hour)
			if apologyAt.Before(t) {
				apologyAt = t.Add(10 * time.Minute)
			}
			newDue := d.Deadline.Due.Add(72 * time.Hour)
			if ok, err := act(identity.RoleLeader, dossier.ActApologize, apologyAt, dossier.Request{Note: "Cần xác minh thêm thông tin với cơ quan liên quan.", NewDueAt: newDue}); !ok || err != nil {
				return d, err
			}
			doneAt = d.Apologies[len(d.Apologies)-1].OldDueAt.Add(time.Duration(4+rng.IntN(40)) * time.Hour)
		}
		if ok, err := act(st.Role, dossier.ActCompleteStep, doneAt, dossier.Request{Note: "Đã xử lý"}); !ok || err != nil {
			return d, err
		}
	}
	_, err = act(identity.RoleReceiver, dossier.ActReturn, wait(60+rng.IntN(3*24*60)), dossier.Request{})
	return d, err
}

// dayStart is the start of t's day in Vietnam.
func dayStart(t time.Time) time.Time {
	y, m, d := t.In(calendar.VN).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, calendar.VN)
}
