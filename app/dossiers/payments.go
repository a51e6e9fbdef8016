package dossiers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/printform"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// ProviderCounter is the provider of a payment recorded at the counter.
const ProviderCounter = "counter"

// paymentMatches checks a provider's confirmation against the payment
// asked (nil: a payment at the counter, nothing to check).
func paymentMatches(p *dossier.Payment, paid *payment.Callback) error {
	switch {
	case paid == nil:
		return nil
	case paid.Reference != p.Reference:
		return errs.New(errs.Conflict, "payment.reference", "Mã thanh toán không khớp với hồ sơ.", "reference does not match the dossier's")
	case paid.Amount != p.Total:
		return errs.New(errs.Conflict, "payment.amount_mismatch",
			fmt.Sprintf("Số tiền nhận được (%s) khác số tiền phải nộp (%s).", payment.FormatVND(paid.Amount), payment.FormatVND(p.Total)), "amount received differs from the amount due")
	}
	return nil
}

// Fees are the fees a dossier is charged under its procedure: the one rate
// of each charge for its channel and applicant (catalog.FeesFor).
func (s *Service) Fees(ctx context.Context, d *dossier.Dossier) ([]catalog.Fee, error) {
	p, err := s.prov.Procedure(ctx, d.ProcedureCode)
	if err != nil {
		return nil, err
	}
	return p.FeesFor(d.FeeCase())
}

// PaymentInfo is what the applicant needs to pay a dossier by transfer.
type PaymentInfo struct {
	Code      string            `json:"code"`
	Lines     []dossier.FeeLine `json:"lines"`
	Amount    int64             `json:"amount" doc:"VND"`
	Reference string            `json:"reference" doc:"the transfer content to quote"`
	Paid      bool              `json:"paid"`
	PaidAt    *time.Time        `json:"paid_at,omitempty"`
	Receipt   string            `json:"receipt,omitempty"`
	// Account is the competent agency's account (nil: pay at the counter).
	Account *unit.BankAccount `json:"account,omitempty"`
	// VietQR is the payload of the bank-transfer QR code ("" without an
	// account or once paid).
	VietQR string `json:"vietqr,omitempty"`
}

// Payment returns the payment asked of a dossier, with the VietQR code to
// the competent agency's account, to those who may see the dossier.
func (s *Service) Payment(ctx context.Context, ac identity.Actor, code string) (PaymentInfo, error) {
	d, err := s.Dossier(ctx, ac, code)
	if err != nil {
		return PaymentInfo{}, err
	}
	p := d.Payment
	if p == nil {
		return PaymentInfo{}, errs.New(errs.NotFound, "payment.none", "Hồ sơ chưa có yêu cầu thanh toán.", "no payment asked")
	}
	info := PaymentInfo{Code: d.Code, Lines: p.Lines, Amount: p.Total, Reference: p.Reference, Paid: p.PaidAt != nil, Receipt: p.Receipt}
	if p.PaidAt != nil {
		at := p.PaidAt.In(calendar.VN) // sent with its +07:00 offset
		info.PaidAt = &at
	}
	ag, err := s.prov.Agency(ctx, d.CompetentAgency)
	if err != nil {
		return PaymentInfo{}, err
	}
	info.Account = ag.Bank
	if ag.Bank != nil && !info.Paid {
		q := payment.VietQR{BIN: ag.Bank.BIN, Account: ag.Bank.Number, Amount: p.Total, Purpose: p.Reference}
		if info.VietQR, err = q.Payload(); err != nil {
			return PaymentInfo{}, fmt.Errorf("vietqr of agency %s: %w", ag.ID, err)
		}
	}
	return info, nil
}

// PaymentSent is the applicant saying the transfer is made: the provider
// is told (the demo bank then confirms by its callback), the dossier does
// not change, the statement is audited. It never marks the dossier paid.
func (s *Service) PaymentSent(ctx context.Context, ac identity.Actor, code string) error {
	d, err := s.Dossier(ctx, ac, code)
	if err != nil {
		return err
	}
	if ac.Account == nil || d.Applicant.AccountID != ac.Account.ID {
		return errs.New(errs.Forbidden, "payment.forbidden", "Chỉ người nộp hồ sơ báo đã chuyển khoản.", "only the applicant reports a transfer")
	}
	if d.Status != dossier.StatusPayment || d.Payment == nil || d.Payment.PaidAt != nil {
		return errs.New(errs.Conflict, "payment.not_due", "Hồ sơ không chờ thanh toán.", "no payment due")
	}
	if err := s.Store.Update(ctx, func(tx store.Tx) error {
		return s.Record(ctx, tx, ac, "payment.sent", "dossier:"+d.Code, map[string]any{"reference": d.Payment.Reference, "amount": d.Payment.Total})
	}); err != nil {
		return err
	}
	return s.payments.Await(ctx, payment.Order{DossierCode: d.Code, Amount: d.Payment.Total, Reference: d.Payment.Reference})
}

// PaymentCallback takes a provider's signed confirmation (the body and its
// SignatureHeader). A bad signature is refused and audited; the dossier
// is marked paid by the platform on the provider's behalf; the same
// confirmation again changes nothing (changed is false).
func (s *Service) PaymentCallback(ctx context.Context, body []byte, signature, ip string) (d dossier.Dossier, changed bool, err error) {
	if !payment.Verify(s.paySecret, body, signature) {
		return d, false, s.refuseCallback(ctx, len(body), ip)
	}
	cb, err := payment.ParseCallback(body)
	if err != nil {
		return d, false, err
	}
	code, err := s.db.PaymentDossier(ctx, cb.Reference)
	if err != nil {
		return d, false, err
	}
	// Already paid by this very transaction: a repeated delivery.
	done := func() (dossier.Dossier, bool) {
		cur, err := s.db.Dossier(ctx, code)
		if err == nil && cur.Payment != nil && cur.Payment.PaidAt != nil && cur.Payment.Reference == cb.Reference && cur.Payment.Receipt == cb.Transaction {
			return cur, true
		}
		return cur, false
	}
	if cur, ok := done(); ok {
		return cur, false, nil
	}
	ac := identity.SystemActor("payment:" + cb.Provider)
	d, err = s.act(ctx, ac, code, dossier.Request{Action: dossier.ActPay}, &cb)
	if err != nil {
		if cur, ok := done(); ok { // a concurrent delivery won
			return cur, false, nil
		}
		var e *errs.Error
		if errors.As(err, &e) && e.Key == "payment.amount_mismatch" {
			_ = s.Store.Update(ctx, func(tx store.Tx) error {
				return s.Record(ctx, tx, ac, "payment.callback_refused", "dossier:"+code, map[string]any{"reason": "amount", "amount": cb.Amount, "transaction": cb.Transaction})
			})
		}
		return d, false, err
	}
	return d, true, nil
}

// refuseCallback answers a callback with a bad signature from ip: 401 and
// audited, until the source has been refused Refusals.Max times in a
// window; then 429 with Retry-After, neither audited nor logged one by
// one, until the hold ends. The hold is logged once when it starts; the
// number of calls it answered goes into the next refusal's audit entry.
func (s *Service) refuseCallback(ctx context.Context, size int, ip string) error {
	now := s.Now()
	if wait, held := s.refusals.Held(ip, now); held {
		return &accounts.RetryError{After: wait, Err: errs.New(errs.RateLimited, "payment.callback_held",
			"Quá nhiều thông báo thanh toán sai chữ ký từ nguồn này; vui lòng thử lại sau.", "too many badly signed callbacks from this source")}
	}
	c := s.refusals.Refused(ip, now)
	detail := map[string]any{"reason": "bad signature", "bytes": size, "refusals": c.N}
	if c.WasHeld > 0 {
		detail["held_calls"] = c.WasHeld // answered 429 during the last hold
	}
	if c.Holds {
		detail["held_for_seconds"] = int(c.HoldFor.Seconds())
		s.Log.Warn("payment callback: source held off after refusals", "ip", ip, "refusals", c.N, "hold", c.HoldFor)
	}
	if err := s.Store.Update(ctx, func(tx store.Tx) error {
		return s.Record(ctx, tx, identity.SystemActor(ip), "payment.callback_refused", "payment:callback", detail)
	}); err != nil {
		return err
	}
	return errs.New(errs.Unauthorized, "payment.signature", "Chữ ký của thông báo thanh toán không hợp lệ.", "bad callback signature")
}

// PaymentReceipt renders the electronic receipt of a paid dossier, for
// those who may see it (the applicant, its officials).
func (s *Service) PaymentReceipt(ctx context.Context, ac identity.Actor, code, lookupBase string) ([]byte, error) {
	d, err := s.Dossier(ctx, ac, code)
	if err != nil {
		return nil, err
	}
	p := d.Payment
	if p == nil || p.PaidAt == nil {
		return nil, errs.New(errs.Conflict, "payment.not_paid", "Hồ sơ chưa được thanh toán nên chưa có biên lai.", "not paid yet")
	}
	r := printform.FeeReceipt{
		Agency: s.prov.PrintAgency(ctx, d.CompetentAgency, ""), Number: p.Receipt, PaidAt: *p.PaidAt,
		Payer: d.Applicant.Name, PayerID: d.Applicant.CitizenID, DossierCode: d.Code, ProcedureName: d.ProcedureName,
		Method: "Chuyển khoản ngân hàng (VietQR)", Reference: p.Reference, LookupURL: lookupBase + "/api/v1/public/dossiers/" + d.Code,
	}
	if d.Applicant.Type == dossier.ApplicantEnterprise {
		r.PayerID = d.Applicant.TaxCode
	}
	if p.Provider == ProviderCounter {
		r.Method = "Nộp tại Bộ phận Một cửa"
	}
	for _, l := range p.Lines {
		r.Lines = append(r.Lines, printform.FeeLine{Name: l.Name, Amount: l.Amount})
	}
	return printform.RenderFeeReceipt(r)
}

// dueFee is the fee form 01 prints: the payment asked, else what the
// dossier's channel and applicant will be charged, or its claimed
// exemption in words (0 and "" when that cannot be told).
func (s *Service) dueFee(ctx context.Context, d *dossier.Dossier) (int64, string) {
	if d.Payment != nil {
		return d.Payment.Total, ""
	}
	q, err := s.FeeQuote(ctx, d)
	if err != nil {
		s.Log.Warn("form 01: fees", "code", d.Code, "error", err)
		return 0, ""
	}
	return q.Total, q.Note()
}
