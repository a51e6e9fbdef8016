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

// Provider collects fees.
type Provider interface {
	// Name identifies the provider in the dossier's payment record.
	Name() string
	// Request opens a payment of amount VND for the dossier and returns
	// the reference the applicant quotes (the transfer content).
	Request(ctx context.Context, dossierCode string, amount int64) (reference string, err error)
	// Confirm checks that the payment with the reference was made and
	// returns the provider's receipt number.
	Confirm(ctx context.Context, reference string, amount int64) (receipt string, err error)
}

// Local is the provider of the demo and of payments at the counter: a
// payment is confirmed when an authorised person records it.
type Local struct{}

// Name implements Provider.
func (Local) Name() string { return "local" }

// Request implements Provider: the reference is derived from the dossier
// code, short enough for a bank transfer's content (letters and digits).
func (Local) Request(_ context.Context, dossierCode string, amount int64) (string, error) {
	if amount <= 0 {
		return "", errs.New(errs.Invalid, "payment.amount", "Số tiền phải lớn hơn 0.", "amount must be positive")
	}
	return Reference(dossierCode), nil
}

// Confirm implements Provider.
func (Local) Confirm(_ context.Context, reference string, amount int64) (string, error) {
	if reference == "" || amount <= 0 {
		return "", errs.New(errs.Invalid, "payment.reference", "Thiếu mã thanh toán.", "missing reference")
	}
	return "BL-" + reference, nil
}

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
