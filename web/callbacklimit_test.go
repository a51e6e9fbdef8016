package web

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/motcua/motcua/payment"
)

// TestPaymentCallbackHeldOff: after ten badly signed callbacks from one
// source in a minute, the next ones are answered 429 with Retry-After
// until the minute is over; a well-signed callback is never held off.
func TestPaymentCallbackHeldOff(t *testing.T) {
	f := newFixture(t)
	post := func(body []byte, sig string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/payments/callback", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(payment.SignatureHeader, sig)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	body := []byte(`{"provider":"x","reference":"MCKHONGCO","amount":10000,"transaction":"FT1","paid_at":"2026-11-23T10:00:00+07:00"}`)
	audited := f.auditCount(t, "payment.callback_refused")
	for i := range 10 {
		if res := post(body, "sha256=00"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("refusal %d = %d, want 401", i+1, res.StatusCode)
		}
	}
	f.set(clock.Add(20 * time.Second))
	for range 5 {
		if res := post(body, "sha256=00"); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "41" {
			t.Fatalf("held off = %d, Retry-After %q; want 429, 41", res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	// The bank's own callback passes (here: to an unknown reference, 404).
	if res := post(body, payment.Sign([]byte(testPaymentSecret), body)); res.StatusCode != http.StatusNotFound {
		t.Errorf("well-signed callback while held off = %d, want 404", res.StatusCode)
	}
	if n := f.auditCount(t, "payment.callback_refused"); n != audited+10 {
		t.Errorf("%d refusals audited, want 10 (the held calls are counted, not audited)", n-audited)
	}
	f.set(clock.Add(61 * time.Second))
	if res := post(body, "sha256=00"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("after the hold = %d, want 401", res.StatusCode)
	}
}
