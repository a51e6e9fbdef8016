package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// offeredRE finds the actions the dossier page offers as buttons: those of
// the actions form, and the assignment, apology and withdrawal forms.
var offeredRE = regexp.MustCompile(`<button type="submit" name="action" value="([a-z_]+)"`)

// offered lists the actions a dossier page offers: its action buttons, and
// the supplement form (posted to …/bo-sung).
func offered(page, code string) []dossier.Action {
	var out []dossier.Action
	for _, m := range offeredRE.FindAllStringSubmatch(page, -1) {
		out = append(out, dossier.Action(m[1]))
	}
	if strings.Contains(page, `action="/ho-so/`+code+`/bo-sung"`) {
		out = append(out, dossier.ActSupplement)
	}
	return out
}

// plausible is a well-formed request for a on d at now: what the page's
// forms and app.Act would send.
func plausible(d *dossier.Dossier, a dossier.Action, now time.Time) dossier.Request {
	r := dossier.Request{Action: a, Note: "Lý do của " + string(a)}
	switch a {
	case dossier.ActAssign:
		if s := d.CurrentStep(); s != nil {
			r.Assignee = &identity.Account{ID: 1 << 40, DisplayName: "Cán bộ được giao", Grants: []identity.Grant{{Role: s.Role, AgencyID: s.AgencyID}}}
		}
	case dossier.ActApologize:
		r.NewDueAt = now.Add(72 * time.Hour)
		if d.Deadline.Due.After(now) {
			r.NewDueAt = d.Deadline.Due.Add(72 * time.Hour)
		}
	case dossier.ActRequestPayment:
		r.Fees, r.PaymentReference = []dossier.FeeLine{{Code: "LP", Name: "Lệ phí", Amount: 50000}}, "REF-1"
	case dossier.ActPay:
		r.Receipt, r.Provider = "BL-1", "thu"
	}
	return r
}

// accepts reports whether the engine accepts a from actor on d at now, by
// status and actor: a refusal for the parameters (Invalid) counts as
// accepted, since the page asks for them in its forms.
func accepts(d dossier.Dossier, actor identity.Actor, a dossier.Action, env dossier.Env) (bool, error) {
	err := dossier.Apply(&d, actor, plausible(&d, a, env.Now), env) // d is a copy; Apply clones its slices
	return err == nil || errs.KindOf(err) == errs.Invalid, err
}

// allowedPosition is a dossier walked through the API to a status, and in
// some statuses to a position where more than the status decides.
type allowedPosition struct{ name, code string }

// walkPositions submits dossiers of procedure 1.001193 (and of a procedure
// with a fee, for the payment) and walks each to its position.
func (f *fixture) walkPositions(t *testing.T) []allowedPosition {
	t.Helper()
	var ps []allowedPosition
	walk := func(name, procedure string, steps ...string) {
		t.Helper()
		st, d, b := f.submit(t, "congdan", procedure, "")
		if st != 201 {
			t.Fatalf("%s: submit = %d %s", name, st, b)
		}
		for _, s := range steps {
			user, body, _ := strings.Cut(s, " ")
			if st, _, b := f.act(t, user, d.Code, body); st != 200 {
				t.Fatalf("%s: %s %s = %d %s", name, user, body, st, b)
			}
		}
		ps = append(ps, allowedPosition{name, d.Code})
	}
	const (
		receive    = `tiepnhan {"action":"receive"}`
		specialist = `chuyenvien {"action":"complete_step"}`
		leader     = `lanhdao {"action":"complete_step"}`
		clerk      = `vanthu {"action":"complete_step"}`
	)
	walk("new", "1.001193")
	walk("supplement before receipt", "1.001193", `tiepnhan {"action":"request_supplement","note":"Thiếu bản sao"}`)
	walk("refused", "1.001193", `tiepnhan {"action":"refuse","note":"Không thuộc thẩm quyền"}`)
	walk("withdrawn", "1.001193", `congdan {"action":"withdraw","note":"Nộp nhầm"}`)
	walk("received", "1.001193", receive)
	walk("claimed by the specialist", "1.001193", receive, `chuyenvien {"action":"claim"}`)
	walk("at the leader's step", "1.001193", receive, specialist)
	walk("at the clerk's step", "1.001193", receive, specialist, leader)
	walk("supplement", "1.001193", receive, `chuyenvien {"action":"request_supplement","note":"Bản sao mờ"}`)
	walk("stopped", "1.001193", receive, `lanhdao {"action":"stop","note":"Giả mạo"}`)
	walk("done", "1.001193", receive, specialist, leader, clerk)
	walk("returned", "1.001193", receive, specialist, leader, clerk, `tiepnhan {"action":"return"}`)
	if fee := f.feeProcedure(t); fee != "" {
		walk("payment", fee, receive, `chuyenvien {"action":"request_payment"}`)
		walk("paid", fee, receive, `chuyenvien {"action":"request_payment"}`, `tiepnhan {"action":"pay"}`)
	} else {
		t.Log("no commune procedure with a fee in the demo catalogue: payment not covered")
	}
	return ps
}

// feeProcedure is a commune procedure of the demo catalogue with a fee,
// handled like 1.001193 (receiver, then the commune's specialist).
func (f *fixture) feeProcedure(t *testing.T) string {
	ps, err := f.app.Province.ExportCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		fee := int64(0)
		for _, x := range p.Fees {
			fee += x.Amount
		}
		if fee > 0 && p.Level == "commune" && p.OnlineLevel != "none" && p.Workflow.Steps[1].Role == "specialist" && p.AgencyKind == "commune_committee" && (len(p.Applicants) == 0 || p.Applicants[0] == "citizen") {
			return p.Code
		}
	}
	return ""
}

// TestAllowedOnPage renders the dossier page for every viewer (the
// applicant, another citizen, the receivers of the centre and of the
// commune, the commune's specialist, leader and clerk, an official of
// another agency, a provincial viewer, the administrator, anonymous) in
// every status and the positions beyond it, on time and overdue, and
// checks that the page offers an action iff the engine accepts it from
// that viewer (the actor built as app.Act builds it). A page the viewer may
// not see offers nothing, and the API refuses every action on it.
func TestAllowedOnPage(t *testing.T) {
	f := newFixture(t)
	f.set(time.Date(2026, 11, 24, 9, 0, 0, 0, calendar.VN)) // Tuesday
	ps := f.walkPositions(t)
	viewers := []string{"congdan", "congdan2", "tiepnhan", "tiepnhanxa", "chuyenvien", "lanhdao", "vanthu", "congan", "lanhdaotinh", "quantri", ""}
	ctx := context.Background()
	seen := map[dossier.Action]int{}

	check := func(when string) {
		browsers := map[string]*browser{"": {t: t, f: f, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}}
		actors := map[string]identity.Actor{"": {}}
		for _, v := range viewers[:len(viewers)-1] {
			browsers[v] = f.browser(t, v)
			acc, err := f.store.AccountByUsername(ctx, v)
			if err != nil {
				t.Fatal(err)
			}
			actors[v] = identity.ActorOf(&acc)
		}
		for _, p := range ps {
			d := f.stored(t, p.code)
			cal, err := f.app.Province.AgencyCalendar(ctx, d.CompetentAgency)
			if err != nil {
				t.Fatal(err)
			}
			env := dossier.Env{Now: f.now(), Calendar: cal}
			for _, v := range viewers {
				where := fmt.Sprintf("%s, %s (status %d), viewer %q", when, p.name, d.Status, v)
				st, page := browsers[v].get("/ho-so/" + p.code)
				if st != 200 {
					// Hidden: nothing offered, and nothing accepted.
					want := http.StatusNotFound
					if v == "" {
						want = http.StatusSeeOther
					}
					if st != want {
						t.Errorf("%s: page = %d, want %d", where, st, want)
					}
					for _, a := range dossier.Actions {
						if v == "" {
							if ok, err := accepts(d, actors[v], a, env); ok {
								t.Errorf("%s: the engine accepts %s from anonymous (%v)", where, a, err)
							}
							continue
						}
						if st, _, b := f.act(t, v, p.code, `{"action":"`+string(a)+`","note":"x"}`); st != http.StatusNotFound {
							t.Errorf("%s: %s through the API = %d %s, want 404", where, a, st, b)
						}
					}
					continue
				}
				got := offered(page, p.code)
				for _, a := range dossier.Actions {
					ok, err := accepts(d, actors[v], a, env)
					if on := slices.Contains(got, a); on != ok {
						t.Errorf("%s: %s offered %v, engine accepts %v (%v)", where, a, on, ok, err)
					}
					if ok {
						seen[a]++
					}
				}
				for _, a := range got {
					if !slices.Contains(dossier.Actions, a) {
						t.Errorf("%s: the page offers %q, not an action", where, a)
					}
				}
				if slices.Contains(got, dossier.ActAssign) && !strings.Contains(page, `name="assignee_id"`) {
					t.Errorf("%s: assignment offered without the choice of assignee", where)
				}
			}
		}
	}
	check("on time")
	// Past every due: the last step cannot close before an apology.
	var due time.Time
	for _, p := range ps {
		if d := f.stored(t, p.code); d.Deadline.Due.After(due) {
			due = d.Deadline.Due
		}
	}
	f.set(due.Add(48 * time.Hour))
	check("overdue")

	// The divergences the page had from the engine, spelled out.
	code := func(name string) string {
		for _, p := range ps {
			if p.name == name {
				return p.code
			}
		}
		t.Fatalf("no position %q", name)
		return ""
	}
	for _, tc := range []struct {
		user, position string
		want, not      []dossier.Action
	}{
		{"lanhdao", "supplement", []dossier.Action{dossier.ActStop}, nil},
		{"chuyenvien", "received", []dossier.Action{dossier.ActCompleteStep, dossier.ActRequestSupplement}, []dossier.Action{dossier.ActStop, dossier.ActAssign}},
		{"vanthu", "at the clerk's step", []dossier.Action{dossier.ActApologize}, []dossier.Action{dossier.ActCompleteStep}},
		{"chuyenvien", "new", nil, []dossier.Action{dossier.ActReceive, dossier.ActRefuse, dossier.ActRequestSupplement}},
		{"lanhdao", "done", nil, []dossier.Action{dossier.ActReturn}},
	} {
		_, page := f.browser(t, tc.user).get("/ho-so/" + code(tc.position))
		got := offered(page, code(tc.position))
		for _, a := range tc.want {
			if !slices.Contains(got, a) {
				t.Errorf("%s, %s: %s not offered (%v)", tc.user, tc.position, a, got)
			}
		}
		for _, a := range tc.not {
			if slices.Contains(got, a) {
				t.Errorf("%s, %s: %s offered (%v)", tc.user, tc.position, a, got)
			}
		}
		if slices.Contains(got, dossier.ActApologize) && !strings.Contains(page, "<details open>") {
			t.Errorf("%s, %s: the overdue dossier's apology is folded away", tc.user, tc.position)
		}
	}
	t.Logf("%d positions × %d viewers × %d actions, twice; accepted and offered: %v", len(ps), len(viewers), len(dossier.Actions), seen)
	for _, a := range dossier.Actions {
		if seen[a] == 0 && (f.feeProcedure(t) != "" || a != dossier.ActPay) {
			t.Errorf("%s was never accepted: the matrix does not cover it", a)
		}
	}
}
