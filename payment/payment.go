// Package payment collects the fees of dossiers through a provider. The
// local provider records payments made at the counter or confirmed by
// hand; a bank or payment-gateway provider implements the same interface.
package payment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/motcua/motcua/errs"
)

// Provider collects fees by bank transfer. The confirmation that the
// money arrived never comes from the applicant: the provider calls the
// platform's callback (Callback, signed with HMAC-SHA256) when the bank
// says so, and only that callback, or a receiver recording a payment at
// the counter, marks a dossier paid.
type Provider interface {
	// Name identifies the provider in the dossier's payment record.
	Name() string
	// Request opens a payment of an order and returns the reference the
	// applicant quotes (the transfer content).
	Request(ctx context.Context, o Order) (reference string, err error)
	// Await is told that the applicant says the transfer is made. A bank
	// provider has nothing to do (its callback comes when the money
	// arrives); the demo provider simulates the bank's callback.
	Await(ctx context.Context, o Order) error
}

// Order is a payment asked of an applicant.
type Order struct {
	DossierCode string
	Amount      int64 // VND
	Reference   string
}

// Transfer is the provider of a bank transfer by VietQR to the agency's
// account, confirmed by the callback of the bank or its payment service
// (configured with its secret); it makes the reference.
type Transfer struct{}

// Name implements Provider.
func (Transfer) Name() string { return "vietqr" }

// Request implements Provider: the reference is derived from the dossier
// code, short enough for a bank transfer's content (letters and digits).
func (Transfer) Request(_ context.Context, o Order) (string, error) {
	if o.Amount <= 0 {
		return "", errs.New(errs.Invalid, "payment.amount", "Số tiền phải lớn hơn 0.", "amount must be positive")
	}
	return Reference(o.DossierCode), nil
}

// Await implements Provider: the bank calls back by itself.
func (Transfer) Await(context.Context, Order) error { return nil }

// CounterReceipt is the receipt number of a payment recorded at the
// counter (cash or card at the one-stop desk).
func CounterReceipt(reference string) string { return "BL-" + reference }

// Reference is the transfer content for a dossier: "MC" and the first 12
// hex digits of the SHA-256 of its code, upper case.
func Reference(dossierCode string) string {
	h := sha256.Sum256([]byte(dossierCode))
	return "MC" + strings.ToUpper(hex.EncodeToString(h[:6]))
}

// FormatVND writes an amount the Vietnamese way: 1.234.567 đồng.
func FormatVND(amount int64) string {
	s := fmt.Sprint(max(amount, -amount))
	var b strings.Builder
	if amount < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String() + " đồng"
}
