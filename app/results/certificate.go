package results

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/printform"
)

// numberer takes numbers of the agencies' register series: the write
// transaction (store.Tx).
type numberer interface {
	NextRegisterNumber(ctx context.Context, agencyID, register string, year int) (int, error)
}

// errNeedsTx: a result numbered in its register series is made inside the
// transaction that records it (the number and the record commit or roll
// back together), never ahead of it (PrepareResult).
var errNeedsTx = errs.New(errs.Conflict, "result.needs_tx", "Kết quả được cấp số trong sổ đăng ký: chỉ lập trong giao dịch ghi kết quả.",
	"a numbered result is made inside the write transaction")

// certificate draws a result on its template: the number of the agency's
// register series (taken when not a draft), the holder (and, for a birth
// registration without one, the personal ID number the population dataset
// issues), the signer. It sets res's number and holder.
func (s *Service) certificate(ctx context.Context, tx procedureReader, d *dossier.Dossier, tpl Template, ag printform.Agency,
	signer printform.Person, verify string, res *dossier.Result, draft bool) ([]byte, error) {
	issuedID := ""
	if !draft {
		n, ok := tx.(numberer)
		if !ok {
			return nil, errNeedsTx
		}
		num, err := n.NextRegisterNumber(ctx, d.CompetentAgency, tpl.Register, res.SignedAt.In(calendar.VN).Year())
		if err != nil {
			return nil, err
		}
		res.Number = strconv.Itoa(num) + tpl.NumberSuffix
		if rule := tpl.PersonalID; rule != nil && formValue(newFilling(d, "", time.Time{}, "").form, rule.Of+".so_dinh_danh") == "" {
			db, ok := tx.(dataReader)
			if !ok {
				return nil, errNeedsTx
			}
			// No number: the civil-status write-back says why (quarantine).
			if id, err := s.newbornID(ctx, db, d, rule); err == nil {
				issuedID = id
			} else {
				s.Log.Warn("no personal ID issued at birth registration", "dossier", d.Code, "error", err)
			}
		}
	}
	f := newFilling(d, ag.Name, res.SignedAt, issuedID)
	var warnings []string
	if tpl.usesData() {
		// Read in the transaction that issues the result (the draft reads
		// the store as it is).
		db, ok := tx.(dataReader)
		if !ok {
			return nil, errNeedsTx
		}
		data, found, err := s.applicantData(ctx, db, d, res.SignedAt)
		if err != nil {
			return nil, err
		}
		if !found && len(tpl.RequiresData) > 0 {
			if !draft {
				return nil, errNoData
			}
			warnings = append(warnings, noDataWarning(d))
		}
		f.data = data
	}
	secs, holder, holderID := tpl.fill(f)
	res.HolderName, res.HolderID = holder, holderID
	if !draft {
		res.HolderIDIssued = issuedID != ""
	}
	return printform.CertificateDocument(printform.Certificate{
		Agency: ag, AgencyHeading: tpl.AgencyHeading, Title: tpl.Title, Number: res.Number, DossierCode: d.Code, IssuedAt: res.SignedAt,
		Preamble: tpl.preamble(f), Intro: tpl.Intro, Sections: secs, SignerHeading: tpl.SignerHeading, Signer: signer, Notes: tpl.Notes,
		Draft: draft, Warnings: warnings, VerifyURL: verify,
	})
}

// signerOf is who signs the result: the official who completed the
// leader's step (the last one), with the position of the grant at that
// agency ("Chủ tịch"), else the role's name; when no leader's step was
// completed, whoever completed the last step.
func (s *Service) signerOf(ctx context.Context, d *dossier.Dossier) printform.Person {
	ev := leaderStep(d)
	for i := len(d.History) - 1; ev == nil && i >= 0; i-- {
		if d.History[i].Action == dossier.ActCompleteStep {
			ev = &d.History[i] // the last step, if no leader's
		}
	}
	p := printform.Person{Title: "Thủ trưởng cơ quan"}
	if ev == nil {
		return p
	}
	p.Name = ev.Actor
	if t, err := s.position(ctx, ev.ActorID, ev.AgencyID); err == nil {
		p.Title = t
	}
	return p
}

// position is the official's position at the agency, or the role's name.
func (s *Service) position(ctx context.Context, accountID int64, agencyID string) (string, error) {
	acc, err := s.db.Account(ctx, accountID)
	if err != nil {
		return "", err
	}
	for _, g := range acc.Grants {
		if g.AgencyID == agencyID && g.Position != "" {
			return g.Position, nil
		}
	}
	for _, g := range acc.Grants {
		if g.AgencyID == agencyID {
			return g.Role.Vietnamese(), nil
		}
	}
	return "", errors.New("no grant at the agency")
}

// contactLabels are the declaration's contact fields, never printed on a
// result (the requester's phone and e-mail are for the agency only).
var contactLabels = []string{"điện thoại", "thư điện tử", "email", "e-mail"}

func isContact(label string) bool {
	l := strings.ToLower(label)
	for _, c := range contactLabels {
		if strings.Contains(l, c) {
			return true
		}
	}
	return false
}

// genericFields are the declaration's fields for the generic template,
// without the contact fields.
func genericFields(p catalog.Procedure, d *dossier.Dossier) []printform.Field {
	var fields []printform.Field
	for _, an := range catalog.Answers(p.FormSchema, d.Form) {
		if isContact(an.Label) {
			continue
		}
		if an.Children != nil {
			for _, c := range an.Children {
				if !isContact(c.Label) {
					fields = append(fields, printform.Field{Label: an.Label + " – " + c.Label, Value: c.Value})
				}
			}
			continue
		}
		fields = append(fields, printform.Field{Label: an.Label, Value: an.Value})
	}
	return fields
}
