package results

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/wallet"
)

// writeBack runs in the transaction that issues d's result: the result
// joins the platform's results dataset and the holder's personal store,
// and, when the procedure says so, its data joins a shared dataset (a
// birth registration adds a civil-status record) so that the next
// procedure can reuse it. A record the quality rules refuse is
// quarantined with its reasons, never dropped; the result stands.
func (s *Service) writeBack(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier) error {
	r := d.Result
	holder := d.Applicant.CitizenID
	issuedOn := r.SignedAt.In(calendar.VN).Format("2006-01-02")
	holderID, holderName, number := holder, d.Applicant.Name, d.Code
	if r.HolderID != "" && r.HolderName != "" {
		holderID, holderName = r.HolderID, r.HolderName
	}
	if r.Number != "" {
		number = r.Number
	}
	p, err := tx.Procedure(ctx, d.ProcedureCode)
	if err != nil {
		p = catalog.Procedure{} // deleted since: no write-back to a shared dataset
	}
	if holder != "" {
		rec := registry.Record{Data: map[string]string{
			"result_id": r.ID, "holder_id": holderID, "holder_name": holderName, "name": r.Name, "number": number,
			"procedure_code": d.ProcedureCode, "dossier_code": d.Code, "issued_on": issuedOn, "agency_id": r.AgencyID, "commune": d.CommuneCode,
		}, UpdatedAt: r.SignedAt, Source: "result:" + d.Code}
		if err := s.putChecked(ctx, tx, ac, registry.Results, rec, d.Code); err != nil {
			return err
		}
		tok := make([]byte, 16)
		if _, err := rand.Read(tok); err != nil {
			return fmt.Errorf("write back %s: %w", d.Code, err)
		}
		doc := wallet.Document{ID: hex.EncodeToString(tok), Owner: holder, Kind: wallet.KindResult, Title: r.Name, Number: d.Code,
			Issuer: s.prov.PrintAgency(ctx, r.AgencyID, "").Name, IssuedOn: issuedOn, ProcedureCode: d.ProcedureCode, DossierCode: d.Code,
			ResultID: r.ID, FileID: r.SHA256, ContentType: "application/pdf", Size: r.Size, CommuneCode: d.CommuneCode,
			Source: "platform", CreatedAt: r.SignedAt}
		if err := doc.Validate(); err != nil {
			return fmt.Errorf("write back %s: %w", d.Code, err)
		}
		if err := tx.PutDocument(ctx, doc); err != nil {
			return err
		}
		if err := s.Record(ctx, tx, ac, "wallet.add", "document:"+doc.ID, map[string]any{"owner": holder, "dossier": d.Code, "result_id": r.ID}); err != nil {
			return err
		}
	}
	return s.writeShared(ctx, tx, ac, d, p)
}

// writeShared writes what a result adds to the shared datasets: the
// newborn given a personal ID joins the population dataset, and the
// procedure's write-back record (the civil-status record) its dataset.
// Run again by RetryWriteBack after what was quarantined was fixed.
func (s *Service) writeShared(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, p catalog.Procedure) error {
	r := d.Result
	issuedOn := r.SignedAt.In(calendar.VN).Format("2006-01-02")
	if tpl, ok := templates[p.Result.Template]; ok && tpl.PersonalID != nil && r.HolderIDIssued {
		// The newborn joins the population dataset with the number it was
		// given, before the civil-status record that names it.
		if err := s.writeNewborn(ctx, tx, ac, d, tpl.PersonalID); err != nil {
			return err
		}
	}
	if p.Result.WriteBack == nil {
		return nil // no write-back (or the procedure was deleted since)
	}
	wb := p.Result.WriteBack
	var form any
	_ = json.Unmarshal(d.Form, &form)
	rec := registry.Record{Data: map[string]string{}, UpdatedAt: r.SignedAt, Source: "result:" + d.Code}
	for field, src := range wb.Fields {
		if v := writeBackValue(src, d, form, issuedOn); v != "" {
			rec.Data[field] = v
		}
	}
	return s.putChecked(ctx, tx, ac, wb.Dataset, rec, d.Code)
}

// putChecked stores one record of a hosted dataset if it passes the
// record-level quality rules, else quarantines it; both are audited.
func (s *Service) putChecked(ctx context.Context, tx store.Tx, ac identity.Actor, code string, rec registry.Record, dossierCode string) error {
	ds, err := s.data.Dataset(code)
	if err != nil || ds.Remote != nil {
		s.Log.Warn("write back: dataset not hosted here", "dataset", code, "dossier", dossierCode)
		return nil
	}
	ds.Normalize(&rec)
	var reasons []string
	for _, is := range registry.NewChecker(ds, s.data.Refs(ctx), s.Now()).Inspect(rec) {
		reasons = append(reasons, is.Message)
	}
	if len(reasons) > 0 {
		q := registry.QuarantinedRecord{Dataset: code, Batch: "result:" + dossierCode, Key: rec.Key, Data: rec.Data, Reasons: reasons, At: s.Now()}
		if err := tx.QuarantineRecords(ctx, []registry.QuarantinedRecord{q}); err != nil {
			return err
		}
		if err := s.Record(ctx, tx, ac, "registry.quarantine", "dataset:"+code, map[string]any{"dossier": dossierCode, "key": rec.Key, "reasons": reasons}); err != nil {
			return err
		}
		// Never silent: the officials of the dossier's agency see it on the
		// dossier's page (WriteBackIssues) and are told through the outbox.
		payload, err := json.Marshal(map[string]any{"code": dossierCode, "dataset": code, "key": rec.Key, "reasons": reasons})
		if err != nil {
			return err
		}
		return tx.AppendOutbox(ctx, store.OutboxEvent{At: q.At, Topic: "registry.write_back_quarantined", Key: fmt.Sprintf("%s/%s/%s/%d", dossierCode, code, rec.Key, q.At.UnixNano()), Payload: payload})
	}
	if err := tx.PutDatasetRecords(ctx, []registry.Record{rec}); err != nil {
		return err
	}
	return s.Record(ctx, tx, ac, "registry.write_back", "dataset:"+code, map[string]any{"purpose": registry.PurposeWriteBack, "dossier": dossierCode, "key": rec.Key})
}

// writeBackValue reads one source of a write-back field.
func writeBackValue(src string, d *dossier.Dossier, form any, issuedOn string) string {
	kind, rest, _ := strings.Cut(src, ":")
	switch kind {
	case "const":
		return rest
	case "form":
		v := form
		for _, part := range strings.Split(rest, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return ""
			}
			v = m[part]
		}
		return catalog.AnswerText(v, "")
	}
	switch src {
	case "dossier:code":
		return d.Code
	case "dossier:commune":
		return d.CommuneCode
	case "result:id":
		return d.Result.ID
	case "result:issued_on":
		return issuedOn
	case "result:agency":
		return d.Result.AgencyID
	case "result:number":
		return d.Result.Number
	case "result:holder_id": // the holder's number, issued at registration when the declaration had none
		return d.Result.HolderID
	case "applicant:citizen_id":
		return d.Applicant.CitizenID
	case "applicant:name":
		return d.Applicant.Name
	}
	return ""
}
