package results

import (
	"context"
	"strings"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/printform"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

// DraftPDF is the result of a dossier not yet done as it will be issued,
// for the official who will sign it to review (the leader's "ký" step):
// the template filled from the declaration, "DỰ THẢO" instead of the
// number, the viewer as signer with the position at the agency; not
// signed, not stored, no number taken. Only officials who handle dossiers
// at the competent agency may see it; the read is audited.
func (s *Service) DraftPDF(ctx context.Context, ac identity.Actor, code string) ([]byte, error) {
	d, err := s.db.Dossier(ctx, code)
	if err != nil {
		return nil, err
	}
	if !dossier.VisibleTo(&d, ac) {
		return nil, dossier.NotFound(code)
	}
	if err := ac.Require(identity.PermDossierHandle, d.CompetentAgency); err != nil {
		return nil, err
	}
	if d.Status == dossier.StatusDone || d.Result != nil {
		return nil, errs.New(errs.Conflict, "result.issued", "Hồ sơ đã có kết quả: xem kết quả đã ký.", "the result is issued already")
	}
	p, err := s.db.Procedure(ctx, d.ProcedureCode)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	ag := s.prov.PrintAgency(ctx, d.CompetentAgency, "")
	signer := printform.Person{Name: ac.Account.DisplayName, Title: "Thủ trưởng cơ quan"}
	if t, err := s.position(ctx, ac.Account.ID, d.CompetentAgency); err == nil {
		signer.Title = t
	}
	verify := s.publicURL + VerifyPath + "du-thao"
	var pdf []byte
	if tpl, ok := templates[p.Result.Template]; ok {
		pdf, err = s.certificate(ctx, s.db, &d, tpl, ag, signer, verify, &dossier.Result{SignedAt: now}, true)
	} else {
		name := p.Result.Name
		if strings.TrimSpace(name) == "" {
			name = "Kết quả giải quyết thủ tục hành chính"
		}
		pdf, err = printform.ResultDocument(printform.Result{Agency: ag, Dossier: PrintDossier(&d), Title: "Dự thảo – " + name,
			Fields: genericFields(p, &d), IssuedAt: now, Signer: signer, VerifyURL: verify})
	}
	if err != nil {
		return nil, err
	}
	var details map[string]any
	if read := dataRead(p.Result.Template, &d); read != nil {
		details = map[string]any{"data_read": read}
	}
	if err := s.RecordRead(ctx, ac, "dossier.result.draft", "dossier:"+code, details); err != nil {
		return nil, err
	}
	return pdf, nil
}

// WriteBackIssues lists what a dossier's result could not write to the
// shared datasets (quarantined with the reasons), for the officials who
// handle dossiers at its competent agency; others get none.
func (s *Service) WriteBackIssues(ctx context.Context, ac identity.Actor, d *dossier.Dossier) ([]registry.QuarantinedRecord, error) {
	if d.Result == nil || ac.Require(identity.PermDossierHandle, d.CompetentAgency) != nil {
		return nil, nil
	}
	return s.db.QuarantinedBatch(ctx, "result:"+d.Code)
}

// RetryWriteBack writes a result's shared records again once what made
// them fail was fixed (the parent's population record, the population
// dataset back): the quarantined records of the dossier are released and
// the write-back runs again, quarantining anew what still fails. It
// returns what is still quarantined.
func (s *Service) RetryWriteBack(ctx context.Context, ac identity.Actor, code string) ([]registry.QuarantinedRecord, error) {
	var left []registry.QuarantinedRecord
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		d, err := tx.Dossier(ctx, code)
		if err != nil {
			return err
		}
		if !dossier.VisibleTo(&d, ac) {
			return dossier.NotFound(code)
		}
		if err := ac.Require(identity.PermDossierHandle, d.CompetentAgency); err != nil {
			return err
		}
		n, err := tx.ReleaseQuarantinedBatch(ctx, "result:"+code)
		if err != nil {
			return err
		}
		if d.Result == nil || n == 0 {
			return errs.New(errs.NotFound, "writeback.none", "Hồ sơ không có dữ liệu ghi lại bị cách ly.", "nothing quarantined for this dossier")
		}
		p, err := tx.Procedure(ctx, d.ProcedureCode)
		if err != nil {
			return err
		}
		if err := s.writeShared(ctx, tx, ac, &d, p); err != nil {
			return err
		}
		if left, err = tx.QuarantinedBatch(ctx, "result:"+code); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "registry.write_back_retry", "dossier:"+code, map[string]any{"released": n, "quarantined": len(left)})
	})
	return left, err
}

// PendingWriteBacks lists the dossiers (codes, the latest first) whose
// result has records in quarantine that the viewer may fix and retry: the
// dossiers of agencies where the viewer handles dossiers. The officials'
// inbox shows them, so that no quarantined write-back goes unseen.
func (s *Service) PendingWriteBacks(ctx context.Context, ac identity.Actor) ([]string, error) {
	if ac.Account == nil || ac.Account.Kind != identity.KindOfficial {
		return nil, nil
	}
	batches, err := s.db.QuarantinedBatches(ctx, "result:", 200)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, b := range batches {
		code := strings.TrimPrefix(b, "result:")
		d, err := s.db.Dossier(ctx, code)
		if err != nil {
			continue // the batch of an import named so, or a dossier purged
		}
		if ac.Require(identity.PermDossierHandle, d.CompetentAgency) == nil {
			out = append(out, code)
		}
	}
	return out, nil
}
