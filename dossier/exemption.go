package dossier

import (
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/vntext"
)

// ActFeeExemption is the history event of the counter's decision on a
// claimed fee exemption. It is not one of Actions: DecideExemption is its
// own use case, made during reception (status 1).
const ActFeeExemption Action = "fee_exemption"

// The decisions on a claimed fee exemption ("" while pending).
const (
	ExemptionConfirmed = "confirmed"
	ExemptionRefused   = "refused"
)

// ExemptionClaim is the applicant's claim of one of the procedure's fee
// exemptions (catalog.FeeExemption) and the counter's decision on it. The
// dossier is charged nothing once it is confirmed, its normal fee once it
// is refused, and no fee may be asked while it is pending (FeeCase).
type ExemptionClaim struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Proof string `json:"proof"` // the paper the exemption names
	// ProofData is the shared dataset the official may read instead.
	ProofData *catalog.DataRef `json:"proof_data,omitempty"`
	// File is the proof the applicant uploaded (nil: shown at the counter,
	// or read from ProofData).
	File *Component `json:"file,omitempty"`
	// Fee is what the dossier is charged without the exemption (đồng), at
	// the claim: what a refusal asks.
	Fee       int64      `json:"fee"`
	Decision  string     `json:"decision,omitempty"`
	Reason    string     `json:"reason,omitempty"` // of a refusal
	DecidedBy string     `json:"decided_by,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

// Pending reports whether the claim waits for the counter's decision.
func (c *ExemptionClaim) Pending() bool { return c != nil && c.Decision == "" }

// ClaimExemption makes the claim of exemption code of procedure p: an
// exemption of p, with its proof uploaded (file) unless the official can
// read it in a shared dataset or saw the paper at the counter (seen). fee
// is the dossier's fee without it.
func ClaimExemption(p *catalog.Procedure, code string, file *Component, fee int64, seen bool) (*ExemptionClaim, error) {
	for _, e := range p.FeeExemptions {
		if e.Code != code {
			continue
		}
		if file == nil && e.ProofData == nil && !seen {
			return nil, invalid("exemption.proof_file", "required", fmt.Sprintf("Cần đính kèm giấy tờ chứng minh được miễn lệ phí: %s.", e.Proof))
		}
		return &ExemptionClaim{Code: e.Code, Name: e.Name, Proof: e.Proof, ProofData: e.ProofData, File: file, Fee: fee}, nil
	}
	return nil, invalid("exemption.code", "unknown", "Trường hợp miễn phí, lệ phí không có trong thủ tục này.")
}

// exemptionRule is who may decide a claim, and when: whoever may receive
// the dossier, while it waits for reception, once. It returns the agency
// the actor acts for.
func exemptionRule(d *Dossier, actor identity.Actor) (string, error) {
	switch {
	case d.Exemption == nil:
		return "", conflict("exemption_none", "Hồ sơ không có đề nghị miễn lệ phí.", "no fee exemption claimed")
	case !d.Exemption.Pending():
		return "", conflict("exemption_decided", "Đề nghị miễn lệ phí đã được kiểm tra.", "the claim was decided already")
	case d.Status != StatusNew:
		return "", conflict("exemption_not_reception", "Đề nghị miễn lệ phí được kiểm tra khi tiếp nhận hồ sơ.", "a claim is decided during reception")
	}
	return stepHolder(d, actor)
}

// MayDecideExemption reports whether actor may decide the dossier's claim
// now (the page offers the control exactly then).
func MayDecideExemption(d *Dossier, actor identity.Actor) bool {
	_, err := exemptionRule(d, actor)
	return err == nil
}

// DecideExemption records the counter's decision on the dossier's pending
// claim: whoever may receive the dossier, while it waits for reception,
// confirms it (the proof was seen: no fee) or refuses it with a reason
// (the normal fee). It adds an ActFeeExemption event and a version; the
// dossier is unchanged on error.
func DecideExemption(d *Dossier, actor identity.Actor, confirm bool, reason string, version int, now time.Time) error {
	wrap := func(err error) error { return fmt.Errorf("fee exemption of dossier %s: %w", d.Code, err) }
	if err := CheckVersion(d, version); err != nil {
		return wrap(err)
	}
	ag, err := exemptionRule(d, actor)
	if err != nil {
		return wrap(err)
	}
	note, err := vntext.CleanNote(reason)
	if err != nil {
		key, msg, _ := vntext.Problem(err, "Lý do")
		return wrap(invalid("reason", key, msg))
	}
	note = strings.TrimSpace(note)
	if !confirm && note == "" {
		return wrap(invalid("reason", "required", "Cần ghi rõ lý do không chấp nhận đề nghị miễn lệ phí."))
	}
	c := *d.Exemption
	t := now
	c.Decision, c.Reason, c.DecidedBy, c.DecidedAt = ExemptionConfirmed, "", actor.DisplayName(), &t
	if !confirm {
		c.Decision, c.Reason = ExemptionRefused, note
	}
	d.Exemption = &c
	d.History = append(d.History, Event{At: now, ActorID: actor.ID(), Actor: actor.DisplayName(), AgencyID: ag,
		Action: ActFeeExemption, From: d.Status, To: d.Status, Step: d.Current, Note: c.Reason})
	d.Version++
	return nil
}
