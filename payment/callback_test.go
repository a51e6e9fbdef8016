package payment_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/payment"
)

func TestSignVerify(t *testing.T) {
	secret, body := []byte("bi-mat"), []byte(`{"reference":"MC1"}`)
	sig := payment.Sign(secret, body)
	tests := []struct {
		name         string
		secret, body []byte
		sig          string
		want         bool
	}{
		{"right", secret, body, sig, true},
		{"other body", secret, []byte(`{"reference":"MC2"}`), sig, false},
		{"other secret", []byte("khac"), body, sig, false},
		{"no secret configured", nil, body, payment.Sign(nil, body), false},
		{"no prefix", secret, body, sig[len("sha256="):], false},
		{"not hex", secret, body, "sha256=zz", false},
		{"empty", secret, body, "", false},
		{"truncated", secret, body, sig[:len(sig)-2], false},
	}
	for _, tc := range tests {
		if got := payment.Verify(tc.secret, tc.body, tc.sig); got != tc.want {
			t.Errorf("%s: Verify = %v", tc.name, got)
		}
	}
}

func TestParseCallback(t *testing.T) {
	ok := `{"provider":"vietinbank","reference":"MC0123","amount":10000,"transaction":"FT1","paid_at":"2026-11-23T10:00:00+07:00"}`
	if c, err := payment.ParseCallback([]byte(ok)); err != nil || c.Amount != 10000 || c.Reference != "MC0123" {
		t.Fatalf("ParseCallback = %+v, %v", c, err)
	}
	for _, bad := range []string{
		``, `null`, `[]`, ok + ok,
		`{"provider":"vietinbank","reference":"MC0123","amount":10000,"transaction":"FT1","paid_at":"2026-11-23T10:00:00+07:00","extra":1}`,
		`{"provider":"vietinbank","reference":"MC0123","amount":0,"transaction":"FT1","paid_at":"2026-11-23T10:00:00+07:00"}`,
		`{"provider":"vietinbank","reference":"","amount":10000,"transaction":"FT1","paid_at":"2026-11-23T10:00:00+07:00"}`,
		`{"provider":"vietinbank","reference":"MC0123","amount":10000,"transaction":"","paid_at":"2026-11-23T10:00:00+07:00"}`,
		`{"provider":"vietinbank","reference":"MC0123","amount":10000,"transaction":"FT1"}`,
		`{"provider":"","reference":"MC0123","amount":10000,"transaction":"FT1","paid_at":"2026-11-23T10:00:00+07:00"}`,
	} {
		if _, err := payment.ParseCallback([]byte(bad)); err == nil {
			t.Errorf("ParseCallback(%s): no error", bad)
		}
	}
}

// FuzzParseCallback: any body is refused or read into a callback that
// marshals back to one that parses the same.
func FuzzParseCallback(f *testing.F) {
	f.Add([]byte(`{"provider":"vietinbank","reference":"MC0123","amount":10000,"transaction":"FT1","paid_at":"2026-11-23T10:00:00+07:00"}`))
	f.Add([]byte(`{"amount":-1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := payment.ParseCallback(body)
		if err != nil {
			return
		}
		again, _ := json.Marshal(c)
		c2, err := payment.ParseCallback(again)
		if err != nil || c2.Reference != c.Reference || c2.Amount != c.Amount || !c2.PaidAt.Equal(c.PaidAt) {
			t.Fatalf("%s → %+v → %s: %v", body, c, again, err)
		}
	})
}

// TestDemoBank: the demo bank's callback comes after the delay, signed
// with the secret, for the whole amount.
func TestDemoBank(t *testing.T) {
	var mu sync.Mutex
	var got []byte
	var sig string
	at := time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)
	d := &payment.Demo{Secret: []byte("s"), Delay: time.Millisecond, Now: func() time.Time { return at }, Deliver: func(_ context.Context, b []byte, s string) error {
		mu.Lock()
		got, sig = b, s
		mu.Unlock()
		return nil
	}}
	ref, err := d.Request(t.Context(), payment.Order{DossierCode: "X-1", Amount: 7000})
	if err != nil || ref != payment.Reference("X-1") {
		t.Fatalf("Request = %q, %v", ref, err)
	}
	if err := d.Await(t.Context(), payment.Order{DossierCode: "X-1", Amount: 7000, Reference: ref}); err != nil {
		t.Fatal(err)
	}
	d.Wait()
	c, err := payment.ParseCallback(got)
	if err != nil || !payment.Verify([]byte("s"), got, sig) || c.Amount != 7000 || c.Reference != ref || !c.PaidAt.Equal(at) || c.Provider != "demo-bank" {
		t.Errorf("callback %s signed %q: %+v %v", got, sig, c, err)
	}
	if err := (&payment.Demo{}).Await(t.Context(), payment.Order{}); err == nil {
		t.Error("an unwired demo bank accepted")
	}
}
