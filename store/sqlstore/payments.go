package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/errs"
)

// PaymentDossier returns the dossier of a payment reference.
func (r Reader) PaymentDossier(ctx context.Context, reference string) (string, error) {
	var code string
	err := r.q.queryRow(ctx, "SELECT dossier_code FROM payment_refs WHERE reference = ?", reference).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("payment.not_found", "Không có khoản thanh toán với mã "+reference+".", "no payment reference "+reference)
	}
	if err != nil {
		return "", fmt.Errorf("read payment reference %s: %w", reference, err)
	}
	return code, nil
}

// PutPaymentRef records a payment reference of a dossier.
func (t *Tx) PutPaymentRef(ctx context.Context, reference, dossierCode string, at time.Time) error {
	if _, err := t.q.exec(ctx, "INSERT INTO payment_refs (reference, dossier_code, created_at) VALUES (?, ?, ?) ON CONFLICT (reference) DO NOTHING",
		reference, dossierCode, t.q.ts(at)); err != nil {
		return fmt.Errorf("store payment reference %s: %w", reference, err)
	}
	var code string
	if err := t.q.queryRow(ctx, "SELECT dossier_code FROM payment_refs WHERE reference = ?", reference).Scan(&code); err != nil {
		return fmt.Errorf("store payment reference %s: %w", reference, err)
	}
	if code != dossierCode {
		return errs.New(errs.Conflict, "payment.reference_taken", "Mã thanh toán đã dùng cho hồ sơ khác.", "payment reference "+reference+" belongs to another dossier")
	}
	return nil
}
