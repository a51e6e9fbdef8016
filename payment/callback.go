package payment

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/errs"
)

// SignatureHeader carries a callback's signature: "sha256=" and the hex
// HMAC-SHA256 of the body under the secret shared with the provider.
const SignatureHeader = "X-Motcua-Signature"

// Callback is a provider's confirmation that a transfer arrived.
type Callback struct {
	Provider    string    `json:"provider"`
	Reference   string    `json:"reference"`   // the transfer content the applicant quoted
	Amount      int64     `json:"amount"`      // VND received
	Transaction string    `json:"transaction"` // the bank's transaction number: the receipt number
	PaidAt      time.Time `json:"paid_at"`
}

// Sign returns the signature header value of body.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's under secret, in constant
// time. An empty secret verifies nothing.
func Verify(secret, body []byte, signature string) bool {
	got, ok := strings.CutPrefix(signature, "sha256=")
	if len(secret) == 0 || !ok {
		return false
	}
	sum, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(sum, m.Sum(nil))
}

// ParseCallback reads a callback body: one JSON object with every field,
// nothing else.
func ParseCallback(body []byte) (Callback, error) {
	var c Callback
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	bad := func(en string) (Callback, error) {
		return Callback{}, errs.New(errs.Invalid, "payment.callback", "Thông báo thanh toán không hợp lệ.", en)
	}
	if err := dec.Decode(&c); err != nil {
		return bad("callback: " + err.Error())
	}
	if dec.More() {
		return bad("callback: more than one object")
	}
	switch {
	case c.Provider == "" || len(c.Provider) > 40:
		return bad("callback: bad provider")
	case c.Reference == "" || len(c.Reference) > 25:
		return bad("callback: bad reference")
	case c.Amount <= 0:
		return bad("callback: bad amount")
	case c.Transaction == "" || len(c.Transaction) > 64:
		return bad("callback: bad transaction")
	case c.PaidAt.IsZero():
		return bad("callback: no paid_at")
	}
	return c, nil
}

// Demo is the demo's bank: Request gives the reference as Transfer does;
// Await confirms the whole amount after Delay by a signed callback to
// Deliver (the platform's callback handler), as a bank would once the
// citizen's transfer lands. It is for demos and tests only.
type Demo struct {
	Secret  []byte
	Delay   time.Duration
	Now     func() time.Time
	Deliver func(ctx context.Context, body []byte, signature string) error

	mu      sync.Mutex
	pending sync.WaitGroup
}

// Name implements Provider.
func (*Demo) Name() string { return "demo-bank" }

// Request implements Provider.
func (*Demo) Request(ctx context.Context, o Order) (string, error) { return Transfer{}.Request(ctx, o) }

// Await implements Provider: the callback goes out after Delay, in the
// background.
func (d *Demo) Await(_ context.Context, o Order) error {
	if d.Deliver == nil {
		return errs.New(errs.Unavailable, "payment.demo", "Ngân hàng mô phỏng chưa được nối với hệ thống.", "demo bank not wired")
	}
	d.pending.Add(1)
	time.AfterFunc(d.Delay, func() {
		defer d.pending.Done()
		d.mu.Lock()
		defer d.mu.Unlock()
		now := time.Now
		if d.Now != nil {
			now = d.Now
		}
		c := Callback{Provider: d.Name(), Reference: o.Reference, Amount: o.Amount, Transaction: "DEMO" + o.Reference, PaidAt: now()}
		body, _ := json.Marshal(c)
		_ = d.Deliver(context.Background(), body, Sign(d.Secret, body))
	})
	return nil
}

// Wait waits for the callbacks scheduled so far (for tests and shutdown).
func (d *Demo) Wait() { d.pending.Wait() }
