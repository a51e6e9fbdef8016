package dossier_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// ruleActors are every kind of actor of the fixtures.
var ruleActors = []identity.Actor{applicant, stranger, receiver, specialist, specialist2, leader, clerk, otherSpecialist, otherLeader, system}

// checkAllowed asserts, for every actor and action, that Allowed lists
// the action iff Apply with a well-formed request refuses it for no reason
// of status or actor (neither Conflict nor Forbidden), and that Allowed
// leaves d alone. It returns how many (actor, action) pairs were allowed.
func checkAllowed(t *testing.T, cal *calendar.Calendar, where string, d *dossier.Dossier, now time.Time) int {
	t.Helper()
	n := 0
	for _, actor := range ruleActors {
		before := deepCopy(d)
		got := dossier.Allowed(d, actor, now)
		if !reflect.DeepEqual(d, before) {
			t.Fatalf("%s: Allowed changed the dossier", where)
		}
		for _, a := range dossier.Actions {
			err := dossier.Apply(deepCopy(d), actor, validRequest(d, a, now), dossier.Env{Now: now, Calendar: cal})
			k := errs.KindOf(err)
			accepted := err == nil || (k != errs.Conflict && k != errs.Forbidden)
			if listed := slices.Contains(got, a); listed != accepted {
				t.Errorf("%s: %s by %s: Allowed lists it %v, Apply says %v", where, a, actor.DisplayName(), listed, err)
			}
			if accepted {
				n++
			}
		}
		for _, a := range got {
			if !slices.Contains(dossier.Actions, a) {
				t.Errorf("%s: Allowed lists %q, not among dossier.Actions", where, a)
			}
		}
	}
	return n
}

// TestAllowedMatchesApply checks Allowed against Apply in every status,
// and in the positions where more than the status decides: a step claimed
// by someone else, a payment already made, an overdue last step, a
// supplement asked before receipt.
func TestAllowedMatchesApply(t *testing.T) {
	cal := newCalendar(t)
	p := procedure(catalog.SupplementPause)
	perAction := map[dossier.Action]int{}
	type position struct {
		name string
		d    *dossier.Dossier
		now  time.Time
	}
	var ps []position
	for _, s := range allStatuses {
		d, last := reach(t, cal, p, s)
		ps = append(ps, position{fmt.Sprintf("status %d", s), d, last.Add(2 * time.Hour)})
	}
	{
		d, last := reach(t, cal, p, dossier.StatusReceived)
		apply(t, cal, d, specialist2, act(dossier.ActClaim), last.Add(time.Hour))
		ps = append(ps, position{"step claimed by another specialist", d, last.Add(2 * time.Hour)})
	}
	{
		d, last := reach(t, cal, p, dossier.StatusPayment)
		apply(t, cal, d, receiver, dossier.Request{Action: dossier.ActPay, Receipt: "BL-1", Provider: "counter"}, last.Add(time.Hour))
		ps = append(ps, position{"paid, back in processing", d, last.Add(2 * time.Hour)})
	}
	{
		d, last := reach(t, cal, p, dossier.StatusProcessing)
		apply(t, cal, d, leader, act(dossier.ActCompleteStep), last.Add(time.Hour))
		ps = append(ps, position{"last step, on time", deepCopy(d), last.Add(2 * time.Hour)})
		ps = append(ps, position{"last step, overdue", d, d.Deadline.Due.Add(time.Hour)})
	}
	{
		d := newDossier(t, p, t0)
		apply(t, cal, d, receiver, actNote(dossier.ActRequestSupplement, "thiếu bản sao"), t0.Add(time.Hour))
		ps = append(ps, position{"supplement asked before receipt", d, t0.Add(2 * time.Hour)})
	}
	for _, pos := range ps {
		for _, a := range dossier.Actions {
			for _, actor := range ruleActors {
				if slices.Contains(dossier.Allowed(pos.d, actor, pos.now), a) {
					perAction[a]++
				}
			}
		}
		checkAllowed(t, cal, pos.name, pos.d, pos.now)
	}
	for _, a := range dossier.Actions {
		if perAction[a] == 0 {
			t.Errorf("%s is allowed to no one anywhere: the matrix misses it", a)
		}
	}
	// A few facts of the table, spelled out.
	overdue := ps[len(ps)-2]
	if got := dossier.Allowed(overdue.d, clerk, overdue.now); slices.Contains(got, dossier.ActCompleteStep) || !slices.Contains(got, dossier.ActApologize) {
		t.Errorf("overdue last step: the clerk may %v, want apologize and not complete_step", got)
	}
	for _, s := range []dossier.Status{dossier.StatusSupplement, dossier.StatusPayment} {
		d, last := reach(t, cal, p, s)
		if !slices.Contains(dossier.Allowed(d, leader, last), dossier.ActStop) {
			t.Errorf("status %d: the competent leader may not stop", s)
		}
	}
}

// TestAllowedRandomWalk checks Allowed against Apply at every position of
// random walks, where claims, payments, supplements and send-backs mix.
func TestAllowedRandomWalk(t *testing.T) {
	cal := newCalendar(t)
	rng := rand.New(rand.NewPCG(20261124, 0x616c6c6f77))
	const runs, length = 12, 40
	for run := range runs {
		rule := catalog.SupplementPause
		if run%2 == 1 {
			rule = catalog.SupplementRestart
		}
		d := newDossier(t, procedure(rule), t0)
		now := t0
		for i := range length {
			now = now.Add(time.Duration(rng.IntN(240)) * time.Minute)
			checkAllowed(t, cal, fmt.Sprintf("run %d step %d (status %d)", run, i, d.Status), d, now)
			actor := ruleActors[rng.IntN(len(ruleActors))]
			as := dossier.Allowed(d, actor, now)
			if len(as) == 0 {
				continue
			}
			a := as[rng.IntN(len(as))]
			for (a == dossier.ActRefuse || a == dossier.ActWithdraw || a == dossier.ActStop) && rng.IntN(8) != 0 {
				a = as[rng.IntN(len(as))]
			}
			_ = dossier.Apply(d, actor, validRequest(d, a, now), dossier.Env{Now: now, Calendar: cal})
		}
	}
}
