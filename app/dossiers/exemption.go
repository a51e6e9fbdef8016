package dossiers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// claimExemption makes the submission's claim of a fee exemption: one of
// the procedure's, its proof an upload of the submitting account (unless
// the exemption's proof is in a shared dataset), the normal fee kept for
// a refusal. A counter receiving at once has the paper in hand: the upload
// is optional (a scan kept with the dossier), and the receiver confirms the
// claim in the submission's transaction (confirmAtCounter).
func (s *Service) claimExemption(ctx context.Context, owner int64, p *catalog.Procedure, in SubmitInput, ch dossier.Channel, kind dossier.ApplicantType) (*dossier.ExemptionClaim, []errs.FieldError) {
	x := in.Exemption
	if x == nil || strings.TrimSpace(x.Code) == "" {
		return nil, nil
	}
	var file *dossier.Component
	if id := strings.TrimSpace(x.FileID); id != "" {
		f, err := s.db.File(ctx, id)
		if err != nil || f.OwnerID != owner {
			return nil, []errs.FieldError{{Field: "exemption.file_id", Key: "unknown", Message: "Không tìm thấy tệp đã tải lên (hãy tải tệp lên trước khi nộp)."}}
		}
		file = &dossier.Component{Code: "fee_exemption", Name: "Giấy tờ chứng minh được miễn lệ phí", FileID: f.ID, SHA256: f.SHA256, Size: f.Size, ContentType: f.ContentType}
	}
	fees, err := p.FeesFor(catalog.FeeCase{Channel: ch.FeeChannel(), Applicant: kind.Kind()})
	if err != nil {
		return nil, []errs.FieldError{{Field: "exemption", Key: "fee", Message: err.Error()}}
	}
	c, err := dossier.ClaimExemption(p, strings.TrimSpace(x.Code), file, catalog.FeeTotal(fees), in.Receive)
	if e, ok := errs.As(err); ok {
		return nil, e.Fields
	}
	return c, nil
}

// ExemptionDecision is the counter's decision on a claimed fee exemption.
type ExemptionDecision struct {
	Confirm bool
	Reason  string // required to refuse
	Version int    // the dossier's version the decision was made from (0: not checked)
}

// DecideExemption records the counter's decision on the dossier's claimed
// fee exemption during reception (dossier.DecideExemption: whoever may
// receive it), in one transaction with its audit entries, outbox event
// and, for a refusal, the applicant's notice of the fee (the payment
// notice, with the reason). Confirmed: no fee is asked; refused: the
// normal fee.
func (s *Service) DecideExemption(ctx context.Context, ac identity.Actor, code string, in ExemptionDecision) (dossier.Dossier, error) {
	if ac.Account == nil && !ac.System {
		return dossier.Dossier{}, ac.Require(identity.PermDossierHandle, "")
	}
	var out dossier.Dossier
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := visibleDossier(ctx, tx, ac, code)
		if err != nil {
			return err
		}
		d.NameAgencies(s.agencyName(ctx))
		if err := dossier.DecideExemption(&d, ac, in.Confirm, in.Reason, in.Version, s.Now()); err != nil {
			return err
		}
		out = d
		return s.exemptionDecided(ctx, tx, ac, &out)
	})
	if err != nil {
		return dossier.Dossier{}, fmt.Errorf("decide fee exemption: %w", err)
	}
	return out, nil
}

// confirmAtCounter confirms the claim of a dossier just created in tx by
// the counter that receives it at once: its receiver saw the paper.
func (s *Service) confirmAtCounter(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, now time.Time) error {
	if err := dossier.DecideExemption(d, ac, true, "", d.Version, now); err != nil {
		return err
	}
	return s.exemptionDecided(ctx, tx, ac, d)
}

// exemptionDecided stores d once its claim is decided, with the decision's
// audit entry and the dossier's event.
func (s *Service) exemptionDecided(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier) error {
	if err := tx.UpdateDossier(ctx, d); err != nil {
		return err
	}
	e := d.Exemption
	if err := s.Record(ctx, tx, ac, "fee_exemption."+e.Decision, "dossier:"+d.Code,
		map[string]any{"exemption": e.Code, "name": e.Name, "reason": e.Reason, "fee": e.Fee}); err != nil {
		return err
	}
	return s.dossierChanged(ctx, tx, ac, d, dossier.ActFeeExemption)
}

// FeeQuote is the fee of the dossier as the applicant and form 01 are told
// it before it is asked: the amount, or the exemption in words.
func (s *Service) FeeQuote(ctx context.Context, d *dossier.Dossier) (catalog.FeeQuote, error) {
	p, err := s.prov.Procedure(ctx, d.ProcedureCode)
	if err != nil {
		return catalog.FeeQuote{}, err
	}
	return p.Quote(d.FeeCase())
}
