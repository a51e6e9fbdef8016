package dossiers_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/payment"
)

var paySecret = []byte("bi-mat-thu-nghiem-cua-ngan-hang")

// TestPaymentCallback checks the provider's callback on the store in use
// (MOTCUA_TEST_STORE=postgres runs it on PostgreSQL): a bad signature and
// a wrong amount are refused and audited and change nothing; the right one
// pays once even when delivered five times at once.
func TestPaymentCallback(t *testing.T) {
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.PaymentSecret = paySecret }))
	d := e.Submit(t, apptest.Citizen, "1.004222")
	d = e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	d = e.Act(t, e.StepUser(t, &d), d.Code, dossier.ActRequestPayment)
	if d.Payment == nil || d.Payment.Total != 10000 || d.Channel != dossier.ChannelOnline {
		t.Fatalf("online residence registration charged %+v, want 10000 once", d.Payment)
	}
	ref := d.Payment.Reference
	cb := func(amount int64, txn string) []byte {
		b, _ := json.Marshal(payment.Callback{Provider: "vietinbank", Reference: ref, Amount: amount, Transaction: txn, PaidAt: e.Now()})
		return b
	}
	tests := []struct {
		name      string
		body      []byte
		signature string
		kind      errs.Kind
		audited   string
	}{
		{"unsigned", cb(10000, "FT1"), "", errs.Unauthorized, "payment.callback_refused"},
		{"wrong secret", cb(10000, "FT1"), payment.Sign([]byte("khac"), cb(10000, "FT1")), errs.Unauthorized, "payment.callback_refused"},
		{"signature of another body", cb(10000, "FT1"), payment.Sign(paySecret, cb(10001, "FT1")), errs.Unauthorized, "payment.callback_refused"},
		{"short amount", cb(5000, "FT2"), payment.Sign(paySecret, cb(5000, "FT2")), errs.Conflict, "payment.callback_refused"},
		{"unknown reference", []byte(`{"provider":"x","reference":"MCKHONGCO","amount":10000,"transaction":"FT3","paid_at":"2026-11-23T10:00:00Z"}`),
			payment.Sign(paySecret, []byte(`{"provider":"x","reference":"MCKHONGCO","amount":10000,"transaction":"FT3","paid_at":"2026-11-23T10:00:00Z"}`)), errs.NotFound, ""},
		{"not JSON", []byte("amount=10000"), payment.Sign(paySecret, []byte("amount=10000")), errs.Invalid, ""},
	}
	for _, tc := range tests {
		before := len(e.Audit(t, "payment.callback_refused", ""))
		_, changed, err := e.App.Dossiers.PaymentCallback(e.Ctx, tc.body, tc.signature, "192.0.2.7")
		if errs.KindOf(err) != tc.kind || changed {
			t.Errorf("%s: err %v changed %v, want %v", tc.name, err, changed, tc.kind)
		}
		if after := len(e.Audit(t, "payment.callback_refused", "")); tc.audited != "" && after != before+1 {
			t.Errorf("%s: %d refusals audited, want %d", tc.name, after, before+1)
		}
		if got, _ := e.Store.Dossier(e.Ctx, d.Code); got.Status != dossier.StatusPayment || got.Version != d.Version {
			t.Fatalf("%s changed the dossier: status %d version %d", tc.name, got.Status, got.Version)
		}
	}

	// The right callback, delivered five times at once: paid once.
	good := cb(10000, "FT26112300001")
	sig := payment.Sign(paySecret, good)
	var wg sync.WaitGroup
	var mu sync.Mutex
	changes := 0
	for range 5 {
		wg.Go(func() {
			_, changed, err := e.App.Dossiers.PaymentCallback(e.Ctx, good, sig, "192.0.2.7")
			if err != nil {
				t.Errorf("callback: %v", err)
			}
			if changed {
				mu.Lock()
				changes++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	got, _ := e.Store.Dossier(e.Ctx, d.Code)
	if changes != 1 || got.Status != dossier.StatusProcessing || got.Version != d.Version+1 || got.Payment.Receipt != "FT26112300001" || got.Payment.Provider != "vietinbank" {
		t.Fatalf("%d changes, status %d, version %d (from %d), payment %+v", changes, got.Status, got.Version, d.Version, got.Payment)
	}
	if n := len(e.Audit(t, "dossier.pay", "dossier:"+d.Code)); n != 1 {
		t.Errorf("%d pay entries audited, want 1", n)
	}
	// Once paid, another transaction for the same reference changes nothing.
	other := cb(10000, "FT-KHAC")
	if _, changed, err := e.App.Dossiers.PaymentCallback(e.Ctx, other, payment.Sign(paySecret, other), ""); changed || err == nil {
		t.Errorf("a second transaction after payment: changed %v err %v", changed, err)
	}
}

// TestPaymentCallbackRefusals: a source sending badly signed callbacks is
// held off after Max refusals in the window (429 with the time left, not
// audited one by one) until the hold ends; the next refusal's audit entry
// counts the held calls; another source is not held; a well-signed
// callback from the held source is taken.
func TestPaymentCallbackRefusals(t *testing.T) {
	lim := &payment.Refusals{Max: 3, Window: time.Minute}
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.PaymentSecret, c.CallbackRefusals = paySecret, lim }))
	d := e.Submit(t, apptest.Citizen, "1.004222")
	d = e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	d = e.Act(t, e.StepUser(t, &d), d.Code, dossier.ActRequestPayment)
	good, _ := json.Marshal(payment.Callback{Provider: "vietinbank", Reference: d.Payment.Reference, Amount: 10000, Transaction: "FT1", PaidAt: e.Now()})
	const attacker, other = "198.51.100.9", "203.0.113.4"
	refused := func() int { return len(e.Audit(t, "payment.callback_refused", "")) }
	for i, tc := range []struct {
		advance time.Duration
		ip      string
		sig     string
		kind    errs.Kind // 0: taken
		after   time.Duration
		audited int // new audit entries
	}{
		{0, attacker, "sha256=00", errs.Unauthorized, 0, 1},
		{0, attacker, "", errs.Unauthorized, 0, 1},
		{0, attacker, "sha256=01", errs.Unauthorized, 0, 1}, // the third: held from now
		{time.Second, attacker, "sha256=02", errs.RateLimited, 59 * time.Second, 0},
		{time.Second, attacker, "sha256=03", errs.RateLimited, 58 * time.Second, 0},
		{0, other, "sha256=04", errs.Unauthorized, 0, 1},
		{0, attacker, payment.Sign(paySecret, good), 0, 0, 0}, // the bank, never held off
		{time.Minute, attacker, "sha256=05", errs.Unauthorized, 0, 1},
	} {
		e.Advance(tc.advance)
		before := refused()
		_, _, err := e.App.Dossiers.PaymentCallback(e.Ctx, good, tc.sig, tc.ip)
		var re *accounts.RetryError
		switch {
		case tc.kind == 0 && err != nil, tc.kind != 0 && errs.KindOf(err) != tc.kind:
			t.Fatalf("step %d: %v, want kind %v", i, err, tc.kind)
		case tc.after > 0 && (!errors.As(err, &re) || re.After != tc.after):
			t.Errorf("step %d: %v, want to retry after %v", i, err, tc.after)
		}
		if n := refused() - before; n != tc.audited {
			t.Errorf("step %d: %d refusals audited, want %d", i, n, tc.audited)
		}
	}
	held := 0
	for _, en := range e.Audit(t, "payment.callback_refused", "") {
		if d := string(en.Details); strings.Contains(d, `"held_calls"`) {
			held++
			if !strings.Contains(d, `"held_calls":2`) || !strings.Contains(d, `"refusals":1`) {
				t.Errorf("the refusal after the hold: %s, want the 2 held calls counted", d)
			}
		}
	}
	if held != 1 {
		t.Errorf("%d refusals count held calls, want the one after the hold", held)
	}
	if got, _ := e.Store.Dossier(e.Ctx, d.Code); got.Payment.PaidAt == nil {
		t.Error("the well-signed callback of a held source was not taken")
	}
}

// TestPaymentSentNeverPays: the citizen's notice asks the provider, and
// does not change the dossier; a stranger may not send it.
func TestPaymentSentNeverPays(t *testing.T) {
	var asked []payment.Order
	prov := &recordingProvider{asked: &asked}
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) { c.Payments, c.PaymentSecret = prov, paySecret }))
	d := e.Submit(t, apptest.Citizen, "1.004222")
	d = e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	d = e.Act(t, e.StepUser(t, &d), d.Code, dossier.ActRequestPayment)
	if err := e.App.Dossiers.PaymentSent(e.Ctx, e.Actor(apptest.Citizen), d.Code); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.Store.Dossier(e.Ctx, d.Code); got.Status != dossier.StatusPayment || got.Version != d.Version || got.Payment.PaidAt != nil {
		t.Fatalf("the notice changed the dossier: %+v", got.Payment)
	}
	if len(asked) != 1 || asked[0].Reference != d.Payment.Reference || asked[0].Amount != 10000 {
		t.Errorf("provider asked %+v", asked)
	}
	if err := e.App.Dossiers.PaymentSent(e.Ctx, e.Actor(apptest.Receiver), d.Code); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("receiver's notice: %v", err)
	}
}

type recordingProvider struct{ asked *[]payment.Order }

func (recordingProvider) Name() string { return "test" }
func (recordingProvider) Request(ctx context.Context, o payment.Order) (string, error) {
	return payment.Transfer{}.Request(ctx, o)
}
func (p *recordingProvider) Await(_ context.Context, o payment.Order) error {
	*p.asked = append(*p.asked, o)
	return nil
}
