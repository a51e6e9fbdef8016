package dossiers_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/notifications"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/notify"
)

// nobody is a sender that sends nothing: the test reads the queue.
type nobody struct{}

func (nobody) Send(context.Context, notifications.Message) error { return errors.New("not sent") }

// TestFeeExemptionClaim claims the exemptions of an online residence
// registration (10,000 đ) on the store in use: a claim needs an
// exemption of the procedure and its proof (unless the official reads it
// in the population data); the dossier cannot be received, nor its fee
// asked, before the counter decides; only whoever may receive it decides;
// confirmed, no fee is asked; refused (with a reason), the normal fee is
// asked and the applicant is told why. Exactly one fee either way.
func TestFeeExemptionClaim(t *testing.T) {
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) {
		c.Notifications = notifications.Config{Senders: map[notify.Channel]notifications.Sender{notify.Email: nobody{}, notify.SMS: nobody{}}}
	}))
	submit := func(x *dossiers.ExemptionInput) (dossier.Dossier, error) {
		in := e.SubmitInput(t, apptest.Citizen, "1.004222")
		in.Exemption = x
		return e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.Citizen), in)
	}
	proof := e.UploadPDF(t, apptest.Citizen, "giay chung nhan ho ngheo")
	for _, tc := range []struct {
		name  string
		x     *dossiers.ExemptionInput
		field string // "" accepted
	}{
		{"unknown exemption", &dossiers.ExemptionInput{Code: "MG99", FileID: proof}, "exemption.code"},
		{"poor household without its paper", &dossiers.ExemptionInput{Code: "MG03"}, "exemption.proof_file"},
		{"someone else's upload", &dossiers.ExemptionInput{Code: "MG03", FileID: e.UploadPDF(t, apptest.Citizen2, "x")}, "exemption.file_id"},
		{"child: read in the population data", &dossiers.ExemptionInput{Code: "MG01"}, ""},
		{"poor household with its paper", &dossiers.ExemptionInput{Code: "MG03", FileID: proof}, ""},
	} {
		d, err := submit(tc.x)
		e2, _ := errs.As(err)
		switch {
		case tc.field == "" && err != nil:
			t.Fatalf("%s: %v", tc.name, err)
		case tc.field != "" && (e2 == nil || len(e2.Fields) == 0 || e2.Fields[0].Field != tc.field):
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		case tc.field == "" && (d.Exemption == nil || !d.Exemption.Pending() || d.Exemption.Code != tc.x.Code || d.Exemption.Fee != 10000):
			t.Errorf("%s: claim %+v", tc.name, d.Exemption)
		}
	}

	type step struct {
		name    string
		user    string
		confirm bool
		reason  string
		kind    errs.Kind // 0: decided
	}
	for _, tc := range []struct {
		name     string
		steps    []step
		decision string
		fee      int64  // asked by request_payment; 0: none may be asked
		note     string // line 7 of form 01 once decided ("": the amount)
		toldWhy  bool   // the applicant is told of the refusal
	}{
		{"confirmed", []step{
			{"a specialist (does not see it yet)", apptest.Specialist, true, "", errs.NotFound},
			{"the citizen", apptest.Citizen, true, "", errs.Forbidden},
			{"the receiver", apptest.Receiver, true, "", 0},
			{"again", apptest.Receiver, false, "đổi ý", errs.Conflict},
		}, dossier.ExemptionConfirmed, 0, "Miễn lệ phí (Thành viên hộ nghèo)", false},
		{"refused", []step{
			{"without a reason", apptest.Receiver, false, " ", errs.Invalid},
			{"with a reason", apptest.Receiver, false, "Giấy chứng nhận hộ nghèo đã hết hạn", 0},
		}, dossier.ExemptionRefused, 10000, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := submit(&dossiers.ExemptionInput{Code: "MG03", FileID: e.UploadPDF(t, apptest.Citizen, tc.name)})
			if err != nil {
				t.Fatal(err)
			}
			// Pending: neither received nor charged.
			if _, err := e.App.Dossiers.Act(e.Ctx, e.Actor(apptest.Receiver), d.Code, dossier.Request{Action: dossier.ActReceive}); errs.KindOf(err) != errs.Conflict {
				t.Fatalf("received with the claim pending: %v", err)
			}
			if fees, err := e.App.Dossiers.Fees(e.Ctx, &d); err == nil {
				t.Fatalf("fees %v while the claim is pending", fees)
			}
			if q, err := e.App.Dossiers.FeeQuote(e.Ctx, &d); err != nil || q.Note() != "Miễn lệ phí (đề nghị: Thành viên hộ nghèo) – chờ kiểm tra" {
				t.Errorf("pending quote %q (%v)", q.Note(), err)
			}
			for _, s := range tc.steps {
				_, err := e.App.Dossiers.DecideExemption(e.Ctx, e.Actor(s.user), d.Code, dossiers.ExemptionDecision{Confirm: s.confirm, Reason: s.reason})
				if s.kind == 0 && err != nil || s.kind != 0 && errs.KindOf(err) != s.kind {
					t.Fatalf("%s: %v, want kind %v", s.name, err, s.kind)
				}
			}
			got, _ := e.Store.Dossier(e.Ctx, d.Code)
			if got.Exemption.Decision != tc.decision || got.Version != d.Version+1 || got.Status != dossier.StatusNew {
				t.Fatalf("after the decision: %+v, version %d, status %d", got.Exemption, got.Version, got.Status)
			}
			if n := len(e.Audit(t, "fee_exemption."+tc.decision, "dossier:"+d.Code)); n != 1 {
				t.Errorf("%d fee_exemption.%s entries", n, tc.decision)
			}
			if n := len(e.Audit(t, "dossier.fee_exemption", "dossier:"+d.Code)); n != 1 {
				t.Errorf("%d dossier.fee_exemption entries", n)
			}
			if q, err := e.App.Dossiers.FeeQuote(e.Ctx, &got); err != nil || q.Note() != tc.note || q.Total != tc.fee {
				t.Errorf("quote once decided: %q %d (%v), want %q %d", q.Note(), q.Total, err, tc.note, tc.fee)
			}
			d = e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
			pdf, err := e.App.Dossiers.Form(e.Ctx, e.Actor(apptest.Receiver), d.Code, "01", "https://dvc.example.vn")
			if err != nil || len(pdf) == 0 {
				t.Fatalf("form 01: %v", err)
			}
			d, err = e.App.Dossiers.Act(e.Ctx, e.Actor(e.StepUser(t, &d)), d.Code, dossier.Request{Action: dossier.ActRequestPayment})
			switch {
			case tc.fee == 0 && errs.KindOf(err) != errs.Conflict:
				t.Errorf("payment asked of an exempt dossier: %v", err)
			case tc.fee > 0 && (err != nil || d.Payment == nil || d.Payment.Total != tc.fee || len(d.Payment.Lines) != 1):
				t.Errorf("payment %+v (%v), want one fee of %d", d.Payment, err, tc.fee)
			}
			ns, err := e.Store.Notifications(e.Ctx, d.Code)
			if err != nil {
				t.Fatal(err)
			}
			told := false
			for _, n := range ns {
				if strings.Contains(n.Key, "/exemption_refused/") {
					told = true
					if n.Event != notify.Payment || n.Channel == notify.Email && !strings.Contains(n.Body, "Giấy chứng nhận hộ nghèo đã hết hạn") {
						t.Errorf("notice %+v", n)
					}
				}
			}
			if told != tc.toldWhy {
				t.Errorf("applicant told of the refusal: %v, want %v", told, tc.toldWhy)
			}
		})
	}
}

// TestFeeExemptionAtCounter: a walk-in at a commune counter shows the paper
// of an exemption; the counter submits and receives at once, the claim
// confirmed by the receiver in the same transaction (the upload optional);
// no fee may then be asked. Without a claim the in-person fee is asked.
func TestFeeExemptionAtCounter(t *testing.T) {
	e := apptest.New(t)
	walkIn := func(x *dossiers.ExemptionInput) dossiers.SubmitInput {
		in := e.SubmitInput(t, apptest.CommuneDesk, "1.004222")
		in.Applicant = &dossier.Applicant{Name: "Lê Văn Bình", CitizenID: "001085004567", Address: "12 Phan Đình Phùng"}
		in.CommuneCode, in.Receive, in.Channel, in.Exemption = "00004", true, dossier.ChannelInPerson, x
		return in
	}
	for _, tc := range []struct {
		name  string
		x     *dossiers.ExemptionInput
		kind  errs.Kind // 0: received
		field string
	}{
		{"paper seen, no scan", &dossiers.ExemptionInput{Code: "MG03"}, 0, ""},
		{"paper seen, scan kept", &dossiers.ExemptionInput{Code: "MG03", FileID: e.UploadPDF(t, apptest.CommuneDesk, "scan")}, 0, ""},
		{"an exemption the procedure lacks", &dossiers.ExemptionInput{Code: "MG99"}, errs.Invalid, "exemption.code"},
		{"the citizen's upload", &dossiers.ExemptionInput{Code: "MG03", FileID: e.UploadPDF(t, apptest.Citizen, "theirs")}, errs.Invalid, "exemption.file_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.CommuneDesk), walkIn(tc.x))
			if tc.kind != 0 {
				if errs.KindOf(err) != tc.kind || !hasFields(err, []string{tc.field}) {
					t.Fatalf("%v, want %v on %s", err, tc.kind, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			x := d.Exemption
			if d.Status != dossier.StatusReceived || x == nil || x.Decision != dossier.ExemptionConfirmed || x.DecidedBy == "" || (x.File != nil) != (tc.x.FileID != "") {
				t.Fatalf("status %d, claim %+v", d.Status, x)
			}
			if got := actions(t, e, "dossier:"+d.Code); !slices.Equal(got, []string{"dossier.submit", "fee_exemption.confirmed", "dossier.fee_exemption", "dossier.receive"}) {
				t.Errorf("audit %v", got)
			}
			if _, err := e.App.Dossiers.Act(e.Ctx, e.Actor(e.StepUser(t, &d)), d.Code, dossier.Request{Action: dossier.ActRequestPayment}); errs.KindOf(err) != errs.Conflict {
				t.Errorf("payment asked of an exempt dossier: %v", err)
			}
		})
	}
	d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.CommuneDesk), walkIn(nil))
	if err != nil || d.Exemption != nil || d.Status != dossier.StatusReceived {
		t.Fatalf("without a claim: %+v %v", d.Exemption, err)
	}
	if d, err = e.App.Dossiers.Act(e.Ctx, e.Actor(e.StepUser(t, &d)), d.Code, dossier.Request{Action: dossier.ActRequestPayment}); err != nil || d.Payment == nil || d.Payment.Total == 0 {
		t.Errorf("in-person fee: %+v %v", d.Payment, err)
	}
}
