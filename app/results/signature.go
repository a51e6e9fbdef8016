package results

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/printform"
	"github.com/motcua/motcua/unit"
)

// PersonalSigner is what signs a result in the name of the official who
// signs it (an agency configured with unit.SignPersonal): the key behind
// pki.Signer.Key is a crypto.Signer, so it may live anywhere. Here it is
// the province CA (pki.Authority.PersonalSigner), which issues the
// official a certificate and holds its key. In production the official's
// key is on a token or at a licensed CA's remote signing service (Ban Cơ
// yếu Chính phủ, a commercial CA): an implementation of this interface
// returns the official's certificate from that service and a Key whose
// Sign sends the digest there; nothing else changes
// (docs/result-documents.md).
type PersonalSigner interface {
	PersonalSigner(o pki.Official, now time.Time) (s pki.Signer, issued bool, err error)
}

// Typed errors of a personal signature: the result is not signed rather
// than signed with another identity.
func errSignerUnknown(code string) error {
	return errs.New(errs.Conflict, "result.signer_unknown",
		"Cơ quan ký kết quả bằng chữ ký số cá nhân nhưng hồ sơ "+code+" chưa có lãnh đạo hoàn thành bước ký duyệt: chưa xác định được người ký, kết quả chưa được ký.",
		"personal signature: no official completed the leader's step, so the signer is unknown")
}

func errSignerNoGrant(name, agency string) error {
	return errs.New(errs.Conflict, "result.signer_no_grant",
		fmt.Sprintf("Không ký được kết quả bằng chữ ký số cá nhân: %s, người ký duyệt hồ sơ, không còn được phân công tại %s. Xin phân công lại bước ký duyệt hoặc đề nghị quản trị hệ thống đổi cách ký của cơ quan.", name, agency),
		"personal signature: the official who completed the leader's step no longer holds a grant at the agency")
}

// leaderStep is the last completion of a leader's step of the dossier, nil
// when none.
func leaderStep(d *dossier.Dossier) *dossier.Event {
	for i := len(d.History) - 1; i >= 0; i-- {
		e := &d.History[i]
		if e.Action == dossier.ActCompleteStep && e.Step >= 0 && e.Step < len(d.Steps) && d.Steps[e.Step].Role == identity.RoleLeader {
			return e
		}
	}
	return nil
}

// signatureMode is the competent agency's signature mode; an agency not
// in the directory signs with its seal, as before modes existed.
func (s *Service) signatureMode(ctx context.Context, agencyID string) (unit.SignatureMode, error) {
	a, err := s.prov.Agency(ctx, agencyID)
	if errs.KindOf(err) == errs.NotFound {
		return unit.SignSeal, nil
	}
	if err != nil {
		return "", err
	}
	return a.Signature(), nil
}

// resultSigner is who signs d's result in mode: the competent agency's
// seal certificate (issued first if it has none), with the name and
// title of the official who signs in the signature's /Name; or the
// personal certificate of the official who completed the leader's step,
// who must still hold a grant at the step's agency.
func (s *Service) resultSigner(ctx context.Context, d *dossier.Dossier, mode unit.SignatureMode, ag printform.Agency, signer printform.Person, now time.Time) (pki.Signer, error) {
	if mode != unit.SignPersonal {
		sig, _, err := s.pki.SignerOrIssue(pki.Agency{ID: d.CompetentAgency, Name: ag.Name}, now)
		if err != nil {
			return pki.Signer{}, err
		}
		if signer.Name != "" { // the agency's seal certificate, and the name of who signs with it
			sig.Name = signer.Name + ", " + signer.Title + " – " + ag.Name
		}
		return sig, nil
	}
	ev := leaderStep(d)
	if ev == nil || ev.ActorID == 0 {
		return pki.Signer{}, errSignerUnknown(d.Code)
	}
	agencyID := ev.AgencyID
	if agencyID == "" {
		agencyID = d.CompetentAgency
	}
	agName := s.prov.AgencyRef(ctx, agencyID).Name
	if agName == "" {
		agName = ag.Name
	}
	acc, err := s.db.Account(ctx, ev.ActorID)
	if errs.KindOf(err) == errs.NotFound {
		return pki.Signer{}, errSignerNoGrant(ev.Actor, agName)
	}
	if err != nil {
		return pki.Signer{}, err
	}
	var grant *identity.Grant
	for i, g := range acc.Grants {
		if g.AgencyID == agencyID && (grant == nil || g.Position != "" && grant.Position == "") {
			grant = &acc.Grants[i]
		}
	}
	if grant == nil || acc.Disabled {
		return pki.Signer{}, errSignerNoGrant(acc.DisplayName, agName)
	}
	title := grant.Position
	if title == "" {
		title = grant.Role.Vietnamese()
	}
	sig, _, err := s.personal.PersonalSigner(pki.Official{AccountID: acc.ID, Name: acc.DisplayName, Title: title, AgencyID: agencyID, AgencyName: agName}, now)
	return sig, err
}
