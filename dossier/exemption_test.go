package dossier_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// TestDecideExemption: the counter decides a pending claim while the
// dossier waits for reception, once; a refusal needs a reason; the
// dossier is unchanged on error; receiving waits for the decision; the
// fee case follows the decision.
func TestDecideExemption(t *testing.T) {
	cal := newCalendar(t)
	p := procedure(catalog.SupplementPause)
	p.FeeExemptions = []catalog.FeeExemption{{Code: "MG03", Name: "Thành viên hộ nghèo", Proof: "Giấy chứng nhận hộ nghèo"}}
	claimed := func(s dossier.Status) *dossier.Dossier {
		d, _ := reach(t, cal, p, s)
		c, err := dossier.ClaimExemption(p, "MG03", &dossier.Component{Code: "fee_exemption", FileID: "f1", SHA256: "ab"}, 20000, false)
		if err != nil {
			t.Fatal(err)
		}
		d.Exemption = c
		return d
	}
	at := t0.Add(time.Hour)
	for _, tc := range []struct {
		name     string
		status   dossier.Status
		actor    identity.Actor
		confirm  bool
		reason   string
		version  int
		kind     errs.Kind // 0: decided
		decision string
		fee      catalog.FeeCase
	}{
		{"confirmed by the receiver", dossier.StatusNew, receiver, true, "", 0, 0, dossier.ExemptionConfirmed, catalog.FeeCase{Exemption: "MG03", Proven: true}},
		{"refused with a reason", dossier.StatusNew, receiver, false, "Giấy đã hết hạn", 0, 0, dossier.ExemptionRefused, catalog.FeeCase{}},
		{"refused without", dossier.StatusNew, receiver, false, "  ", 0, errs.Invalid, "", catalog.FeeCase{Exemption: "MG03"}},
		{"by the applicant", dossier.StatusNew, applicant, true, "", 0, errs.Forbidden, "", catalog.FeeCase{Exemption: "MG03"}},
		{"by a specialist", dossier.StatusNew, specialist, true, "", 0, errs.Forbidden, "", catalog.FeeCase{Exemption: "MG03"}},
		{"from a stale version", dossier.StatusNew, receiver, true, "", 99, errs.Conflict, "", catalog.FeeCase{Exemption: "MG03"}},
		{"after reception", dossier.StatusProcessing, receiver, true, "", 0, errs.Conflict, "", catalog.FeeCase{Exemption: "MG03"}},
	} {
		d := claimed(tc.status)
		if may := dossier.MayDecideExemption(d, tc.actor); may != (tc.kind == 0 || tc.kind == errs.Invalid || tc.version != 0) {
			t.Errorf("%s: MayDecideExemption = %v", tc.name, may)
		}
		before := *d
		err := dossier.DecideExemption(d, tc.actor, tc.confirm, tc.reason, tc.version, at)
		want := tc.fee
		want.Channel, want.Applicant = d.Channel.FeeChannel(), d.Applicant.Type.Kind()
		switch {
		case tc.kind != 0:
			if errs.KindOf(err) != tc.kind || !reflect.DeepEqual(*d, before) {
				t.Errorf("%s: %v, want kind %v and the dossier unchanged", tc.name, err, tc.kind)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case d.Exemption.Decision != tc.decision || d.Version != before.Version+1 || d.Status != tc.status || before.Exemption.Decision != "":
			t.Errorf("%s: %+v version %d status %d", tc.name, d.Exemption, d.Version, d.Status)
		case d.History[len(d.History)-1].Action != dossier.ActFeeExemption:
			t.Errorf("%s: last event %+v", tc.name, d.History[len(d.History)-1])
		}
		if got := d.FeeCase(); tc.kind == 0 && got != want {
			t.Errorf("%s: fee case %+v, want %+v", tc.name, got, want)
		}
		if err == nil {
			if err := dossier.DecideExemption(d, receiver, true, "", 0, at); errs.KindOf(err) != errs.Conflict {
				t.Errorf("%s: decided twice: %v", tc.name, err)
			}
		}
	}
	// Reception waits for the decision.
	d := claimed(dossier.StatusNew)
	if err := dossier.Apply(d, receiver, dossier.Request{Action: dossier.ActReceive}, dossier.Env{Now: at, Calendar: cal}); errs.KindOf(err) != errs.Conflict {
		t.Errorf("received with the claim pending: %v", err)
	}
	if slices.Contains(dossier.Allowed(d, receiver, at), dossier.ActReceive) {
		t.Error("receive offered with the claim pending")
	}
	if err := dossier.DecideExemption(d, receiver, true, "", 0, at); err != nil {
		t.Fatal(err)
	}
	if err := dossier.Apply(d, receiver, dossier.Request{Action: dossier.ActReceive}, dossier.Env{Now: at, Calendar: cal}); err != nil {
		t.Errorf("received once decided: %v", err)
	}
	// A claim needs an exemption of the procedure, and its paper unless
	// the data is shared.
	if _, err := dossier.ClaimExemption(p, "MG99", nil, 0, true); errs.KindOf(err) != errs.Invalid {
		t.Errorf("unknown exemption: %v", err)
	}
	if _, err := dossier.ClaimExemption(p, "MG03", nil, 0, false); errs.KindOf(err) != errs.Invalid {
		t.Errorf("no proof: %v", err)
	}
	// The paper shown at the counter is its proof.
	if c, err := dossier.ClaimExemption(p, "MG03", nil, 0, true); err != nil || c.File != nil {
		t.Errorf("paper seen at the counter: %+v %v", c, err)
	}
	p.FeeExemptions[0].ProofData = &catalog.DataRef{Dataset: "population", Field: "residence"}
	if c, err := dossier.ClaimExemption(p, "MG03", nil, 0, false); err != nil || c.ProofData == nil {
		t.Errorf("proof in the shared data: %+v %v", c, err)
	}
}
