package sharedata

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

// Datasets lists the shared datasets.
func (s *Service) Datasets() []registry.Dataset { return s.datasets }

// Dataset returns a shared dataset by code.
func (s *Service) Dataset(code string) (*registry.Dataset, error) {
	for i := range s.datasets {
		if s.datasets[i].Code == code {
			return &s.datasets[i], nil
		}
	}
	return nil, errs.New(errs.NotFound, "registry.dataset_not_found", "Không có tập dữ liệu "+code+".", "no dataset "+code)
}

// Access is who ac is to the registry.
func Access(ac identity.Actor, purpose registry.Purpose, procedure, dossierCode string) registry.Access {
	acc := registry.Access{Purpose: purpose, Procedure: procedure, Dossier: dossierCode, System: ac.System}
	if ac.Account == nil {
		return acc
	}
	for _, g := range ac.Account.Grants {
		if !slices.Contains(acc.Roles, g.Role) {
			acc.Roles = append(acc.Roles, g.Role)
		}
	}
	if ac.Account.Kind == identity.KindCitizen && ac.Account.IdentityVerified && ac.Account.CitizenID != "" {
		acc.Citizen = ac.Account.CitizenID
	}
	return acc
}

// Fetch reads one record by key from where the dataset lives.
func (s *Service) Fetch(ctx context.Context, ds *registry.Dataset, key string, acc registry.Access) (registry.Record, error) {
	if ds.Remote != nil {
		return s.sources[ds.Code].Get(ctx, key, acc)
	}
	return s.db.DatasetRecord(ctx, ds.Code, key)
}

// about returns the records of a dataset about one person, newest first:
// one read by key where the key is the person (the population), else by
// subject, which a remote dataset cannot answer.
func (s *Service) about(ctx context.Context, ds *registry.Dataset, subject string, acc registry.Access) ([]registry.Record, error) {
	if ds.KeyField != ds.SubjectField {
		if ds.Remote != nil {
			return nil, nil
		}
		return s.db.DatasetRecordsBySubject(ctx, ds.Code, subject, 20)
	}
	rec, err := s.Fetch(ctx, ds, subject, acc)
	if errs.KindOf(err) == errs.NotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []registry.Record{rec}, nil
}

// aboutOnce is about, remembering its answers for one use case: the
// components of a procedure often name the same record (the residence of
// the applicant for two papers).
type aboutOnce map[string][]registry.Record

func (m aboutOnce) get(ctx context.Context, a *Service, ds *registry.Dataset, subject string, acc registry.Access) ([]registry.Record, error) {
	k := ds.Code + "/" + subject
	if recs, ok := m[k]; ok {
		return recs, nil
	}
	recs, err := a.about(ctx, ds, subject, acc)
	if err == nil {
		m[k] = recs
	}
	return recs, err
}

// LookupQuery is a read of one record.
type LookupQuery struct {
	Dataset   string
	Key       string
	Purpose   registry.Purpose
	Procedure string // the procedure the read serves
	Dossier   string // the dossier it serves
}

// Lookup reads one record for an entitled reader, limited to the fields
// the dataset's policy grants for the purpose; the read (purpose,
// procedure, dossier, official, fields) is audited.
func (s *Service) Lookup(ctx context.Context, ac identity.Actor, q LookupQuery) (registry.Record, error) {
	if ac.Account == nil && !ac.System {
		return registry.Record{}, ac.Require(identity.PermDossierHandle, "")
	}
	ds, err := s.Dataset(q.Dataset)
	if err != nil {
		return registry.Record{}, err
	}
	if q.Purpose == "" {
		return registry.Record{}, errs.InvalidFields("registry.purpose", "Phải nêu mục đích tra cứu.", "a purpose is required",
			[]errs.FieldError{{Field: "purpose", Key: "required", Message: "Phải nêu mục đích tra cứu."}})
	}
	if err := s.boundToWork(ctx, ac, &q); err != nil {
		return registry.Record{}, err
	}
	acc := Access(ac, q.Purpose, q.Procedure, q.Dossier)
	fields, err := ds.Allowed(acc)
	if err != nil {
		return registry.Record{}, err
	}
	rec, err := s.Fetch(ctx, ds, strings.TrimSpace(q.Key), acc)
	found := err == nil
	if err != nil && errs.KindOf(err) != errs.NotFound {
		return registry.Record{}, fmt.Errorf("look up %s: %w", ds.Code, err)
	}
	if found && !ds.Permits(acc, rec) {
		found, err = false, registry.NotFound(ds.Code, q.Key) // a citizen does not learn of others' records
	}
	details := lookupDetails(ds, acc, q.Key, fields, found)
	if aerr := s.RecordRead(ctx, ac, "registry.lookup", "dataset:"+ds.Code, details); aerr != nil {
		return registry.Record{}, aerr
	}
	if !found {
		return registry.Record{}, err
	}
	return registry.Project(rec, fields), nil
}

// boundToWork checks that an official's look-up serves real work: the
// dossier named exists, the official is working on it now (its open step,
// or its reception), and the key belongs to its applicant or is written in
// it; the procedure is the dossier's. Citizens reading their own records
// and the platform itself are not bound to a dossier.
func (s *Service) boundToWork(ctx context.Context, ac identity.Actor, q *LookupQuery) error {
	if ac.System || ac.Account == nil || ac.Account.Kind != identity.KindOfficial {
		return nil
	}
	field := func(name, msg string) error {
		return errs.InvalidFields("registry.dossier", msg, "a look-up must serve a dossier", []errs.FieldError{{Field: name, Key: "dossier", Message: msg}})
	}
	q.Dossier = strings.TrimSpace(q.Dossier)
	if q.Dossier == "" {
		return field("dossier", "Cán bộ chỉ tra cứu dữ liệu dùng chung cho một hồ sơ đang xử lý: hãy nêu mã hồ sơ.")
	}
	d, err := s.Store.Dossier(ctx, q.Dossier)
	if errs.KindOf(err) == errs.NotFound {
		return field("dossier", fmt.Sprintf("Không có hồ sơ mã %q.", q.Dossier))
	}
	if err != nil {
		return fmt.Errorf("look-up for dossier %s: %w", q.Dossier, err)
	}
	if q.Procedure != "" && q.Procedure != d.ProcedureCode {
		return field("procedure", fmt.Sprintf("Hồ sơ %s thuộc thủ tục %s, không phải %s.", d.Code, d.ProcedureCode, q.Procedure))
	}
	q.Procedure = d.ProcedureCode
	if !dossier.WorksOn(&d, ac) {
		return errs.New(errs.Forbidden, "registry.not_handling", fmt.Sprintf("Bạn không đang xử lý hồ sơ %s nên không được tra cứu dữ liệu cho hồ sơ này.", d.Code), "not working on dossier "+d.Code)
	}
	if !dossier.Names(&d, q.Key) {
		return errs.New(errs.Forbidden, "registry.not_in_dossier", fmt.Sprintf("Mã tra cứu không phải của người nộp hay của người, tài sản có tên trong hồ sơ %s.", d.Code), "key not named in dossier "+d.Code)
	}
	return nil
}

func lookupDetails(ds *registry.Dataset, acc registry.Access, key string, fields []string, found bool) map[string]any {
	return map[string]any{"dataset": ds.Code, "key": key, "purpose": acc.Purpose, "procedure": acc.Procedure,
		"dossier": acc.Dossier, "fields": fields, "found": found, "personal": ds.Personal()}
}

// Prefill is what the shared datasets know of a form's mapped fields.
type Prefill struct {
	// Values are keyed like the schema's "x-prefill" ("population.full_name").
	Values map[string]string `json:"values"`
	// Datasets are the codes of the datasets read.
	Datasets []string `json:"datasets"`
	// Refused says, to a citizen whose identity is not verified, why
	// nothing is prefilled and how to have it verified ("" otherwise).
	Refused string `json:"refused,omitempty"`
}

// prefillRefused is Prefill.Refused.
const prefillRefused = "Tài khoản chưa được xác thực định danh (mức 2) nên không thể điền sẵn thông tin từ cơ sở dữ liệu dùng chung. " +
	"Hãy đăng nhập bằng tài khoản định danh điện tử VNeID mức 2, hoặc xác thực tại bộ phận một cửa; bạn vẫn có thể tự nhập thông tin và tải giấy tờ lên."

// Prefill reads, for a citizen with a verified identity, the dataset
// fields the procedure's form maps ("x-prefill") from the records about
// them; anyone else gets nothing. The reads are audited as one entry.
func (s *Service) Prefill(ctx context.Context, ac identity.Actor, procedureCode string) (Prefill, error) {
	out := Prefill{Values: map[string]string{}}
	acc := Access(ac, registry.PurposePrefill, procedureCode, "")
	if acc.Citizen == "" {
		if ac.Account != nil && ac.Account.Kind == identity.KindCitizen {
			out.Refused = prefillRefused
		}
		return out, nil
	}
	p, err := s.prov.Procedure(ctx, procedureCode)
	if err != nil {
		return out, err
	}
	want := map[string][]string{} // dataset → fields asked for
	for _, key := range catalog.PrefillKeys(p.FormSchema) {
		dsCode, field, ok := strings.Cut(key, ".")
		if ok && !slices.Contains(want[dsCode], field) {
			want[dsCode] = append(want[dsCode], field)
		}
	}
	read := map[string][]string{}
	for _, code := range slices.Sorted(maps.Keys(want)) {
		ds, err := s.Dataset(code)
		if err != nil {
			continue // a form may name a dataset this province lacks
		}
		fields, err := ds.Allowed(acc)
		if err != nil {
			continue
		}
		recs, err := s.about(ctx, ds, acc.Citizen, acc)
		if err != nil {
			return out, fmt.Errorf("prefill %s from %s: %w", procedureCode, code, err)
		}
		if len(recs) == 0 {
			continue
		}
		rec := registry.Project(recs[0], fields)
		for f, v := range rec.Data {
			out.Values[code+"."+f] = v
		}
		if code == registry.Population {
			out.Values["population.address"] = s.FullAddress(rec.Data["residence_address"], rec.Data["residence_commune"])
		}
		out.Datasets = append(out.Datasets, code)
		read[code] = slices.Sorted(maps.Keys(rec.Data))
	}
	if len(read) == 0 {
		return out, nil
	}
	err = s.RecordRead(ctx, ac, "registry.prefill", "procedure:"+procedureCode,
		map[string]any{"purpose": registry.PurposePrefill, "procedure": procedureCode, "subject": acc.Citizen, "fields": read})
	return out, err
}

// PrefillWindow is how long a prefill served stays the evidence that a
// submission's form was filled from the datasets it read.
const PrefillWindow = 24 * time.Hour

// Prefilled returns which of the datasets claimed (in the order claimed,
// once each) the server itself prefilled the procedure's form from for ac
// within PrefillWindow: its own record of the prefill (the audit entry
// "registry.prefill" of ac's account for the procedure, about ac's verified
// citizen ID). A claim of anything else — a dataset not read, an unknown
// code, another procedure, another person — is not reuse and is dropped.
func (s *Service) Prefilled(ctx context.Context, ac identity.Actor, procedureCode string, claimed []string) ([]string, error) {
	acc := Access(ac, registry.PurposePrefill, procedureCode, "")
	if acc.Citizen == "" || len(claimed) == 0 {
		return nil, nil
	}
	entries, err := s.Store.AuditEntries(ctx, audit.Filter{ActorID: ac.Account.ID, Action: "registry.prefill", Object: "procedure:" + procedureCode, Limit: 20})
	if err != nil {
		return nil, fmt.Errorf("prefills of %s: %w", procedureCode, err)
	}
	since := s.Now().Add(-PrefillWindow)
	served := map[string]bool{}
	for _, e := range entries { // newest first
		if e.At.Before(since) {
			break
		}
		var d struct {
			Subject string              `json:"subject"`
			Fields  map[string][]string `json:"fields"`
		}
		if json.Unmarshal(e.Details, &d) != nil || d.Subject != acc.Citizen {
			continue
		}
		for code := range d.Fields {
			served[code] = true
		}
	}
	var out []string
	for _, code := range claimed {
		if code = strings.TrimSpace(code); served[code] && !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, nil
}

// FullAddress is an address line with its commune and province.
func (s *Service) FullAddress(line, commune string) string {
	parts := []string{}
	if line != "" {
		parts = append(parts, line)
	}
	if c, err := s.Units.Commune(commune); err == nil {
		parts = append(parts, c.Name)
		if p, err := s.Units.Province(c.ProvinceCode); err == nil {
			parts = append(parts, p.Name)
		}
	}
	return strings.Join(parts, ", ")
}

// replacement resolves the data reference of component c for the
// applicant: the record must exist, be visible to the submitter and match
// the component's item. It returns nil when no record fits, and the
// details of the read for the audit.
func (s *Service) replacement(ctx context.Context, reads aboutOnce, ac identity.Actor, p *catalog.Procedure, c catalog.Component, applicantID, key string) (*dossier.DataRef, map[string]any, error) {
	ds, err := s.Dataset(c.ReplaceableBy.Dataset)
	if err != nil {
		return nil, nil, err
	}
	item, ok := ds.Items[c.ReplaceableBy.Field]
	if !ok {
		return nil, nil, fmt.Errorf("component %s of %s: dataset %s has no item %q", c.Code, p.Code, ds.Code, c.ReplaceableBy.Field)
	}
	acc := Access(ac, registry.PurposeReplace, p.Code, "")
	if ac.Account != nil && ac.Account.HasRole(identity.RoleReceiver, "") {
		acc.Citizen = "" // a counter acts for the walk-in under its own grant
	}
	if _, err := ds.Allowed(acc); err != nil {
		return nil, nil, err
	}
	var cands []registry.Record
	if key != "" {
		rec, err := s.Fetch(ctx, ds, key, acc)
		if err != nil && errs.KindOf(err) != errs.NotFound {
			return nil, nil, err
		}
		if err == nil && (ds.Permits(acc, rec) || rec.Subject == applicantID) {
			cands = append(cands, rec)
		}
	} else if applicantID != "" {
		if cands, err = reads.get(ctx, s, ds, applicantID, acc); err != nil {
			return nil, nil, err
		}
	}
	for _, rec := range cands {
		if item.FilterField != "" && rec.Data[item.FilterField] != item.FilterValue {
			continue
		}
		if applicantID != "" && rec.Subject != applicantID && acc.Citizen != "" {
			continue
		}
		ref := &dossier.DataRef{Dataset: ds.Code, NationalCode: ds.NationalCode, DatasetName: ds.Name, Key: rec.Key,
			Item: c.ReplaceableBy.Field, ItemName: item.Name, Values: map[string]string{}, Labels: map[string]string{}, ReadAt: s.Now()}
		for _, f := range item.Fields {
			if v := rec.Data[f]; v != "" {
				ref.Values[f] = v
				if fd, ok := ds.Field(f); ok {
					ref.Labels[f] = fd.Label
				}
			}
		}
		return ref, lookupDetails(ds, acc, rec.Key, item.Fields, true), nil
	}
	return nil, nil, nil
}

// ReplaceComponents turns the data references of a submission into
// components, and fills each replaceable component the applicant left
// empty with the record about them when there is one: the citizen uploads
// nothing the state already holds. The reads are returned for the audit.
func (s *Service) ReplaceComponents(ctx context.Context, ac identity.Actor, p *catalog.Procedure, applicantID string, in []dossier.ComponentInput, ups []dossier.Component) ([]dossier.Component, []map[string]any, []errs.FieldError) {
	var fe []errs.FieldError
	var reads []map[string]any
	byCode := map[string]catalog.Component{}
	for _, c := range p.Components {
		byCode[c.Code] = c
	}
	given, once := map[string]bool{}, aboutOnce{}
	for i, c := range in {
		given[ups[i].Code] = true
		if c.Data == nil {
			continue
		}
		comp, ok := byCode[ups[i].Code]
		if !ok || comp.ReplaceableBy == nil || comp.ReplaceableBy.Dataset != c.Data.Dataset {
			ups[i].Data = &dossier.DataRef{Dataset: c.Data.Dataset} // CheckComponents reports it
			continue
		}
		ref, read, err := s.replacement(ctx, once, ac, p, comp, applicantID, strings.TrimSpace(c.Data.Key))
		switch {
		case err != nil:
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("components[%d].data", i), Key: "unavailable", Message: errs.Message(err)})
		case ref == nil:
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("components[%d].data", i), Key: "not_found",
				Message: fmt.Sprintf("Không tìm thấy dữ liệu thay thế cho thành phần %q trong %s; xin tải giấy tờ lên.", comp.Name, comp.ReplaceableBy.Dataset)})
		default:
			ups[i].Data, ups[i].FileID = ref, ""
			reads = append(reads, read)
		}
	}
	if applicantID == "" {
		return ups, reads, fe
	}
	for _, comp := range p.Components {
		if given[comp.Code] || comp.ReplaceableBy == nil || !comp.Required {
			continue
		}
		ref, read, err := s.replacement(ctx, once, ac, p, comp, applicantID, "")
		if err != nil || ref == nil {
			continue // CheckComponents reports the missing component
		}
		ups = append(ups, dossier.Component{Code: comp.Code, Data: ref})
		reads = append(reads, read)
	}
	return ups, reads, fe
}

// QualityReport measures a hosted dataset by the five rules.
func (s *Service) QualityReport(ctx context.Context, ac identity.Actor, code string) (registry.Report, error) {
	if !ac.System {
		if err := ac.Require(identity.PermAuditRead, ""); err != nil {
			return registry.Report{}, err
		}
	}
	ds, err := s.Dataset(code)
	if err != nil {
		return registry.Report{}, err
	}
	if ds.Remote != nil {
		return registry.Report{}, errs.New(errs.Conflict, "registry.remote_quality", "Tập dữ liệu "+ds.Name+" do hệ thống khác quản lý; chất lượng được đo tại nơi quản lý.", "remote dataset")
	}
	c := registry.NewChecker(ds, s.Refs(ctx), s.Now())
	if err := s.db.ScanDataset(ctx, ds.Code, func(r registry.Record) error { c.Add(r); return nil }); err != nil {
		return registry.Report{}, err
	}
	rep := c.Report()
	if err := s.RecordRead(ctx, ac, "registry.quality", "dataset:"+ds.Code, map[string]any{"purpose": registry.PurposeQuality, "total": rep.Total}); err != nil {
		return rep, err
	}
	return rep, nil
}

// unitRefs answers the quality checks' reference questions.
type unitRefs struct {
	a   *Service
	ctx context.Context
}

func (u unitRefs) CommuneExists(code string) bool {
	_, err := u.a.Units.Commune(code)
	return err == nil
}

func (u unitRefs) AgencyExists(id string) bool {
	_, err := u.a.prov.Agency(u.ctx, id)
	return err == nil
}

func (u unitRefs) OldProvinceExists(code string) bool {
	_, err := u.a.Units.ResolveOldProvince(code)
	return err == nil
}

func (s *Service) Refs(ctx context.Context) registry.Refs { return unitRefs{a: s, ctx: ctx} }

// ImportResult is the outcome of a dataset import.
type ImportResult struct {
	Batch       registry.ImportBatch
	Quarantined []registry.QuarantinedRecord // the first few, for the report
}

// importChunk records are stored per transaction.
const importChunk = 5000

// ImportRecords loads records into a hosted dataset: each record is
// checked by the rules that can be judged one record at a time (correct,
// complete, unified, not a repeated key of the same file); failing ones are
// quarantined with their reasons, never dropped. Each chunk is one
// transaction with its audit entry; the batch's counts are kept.
func (s *Service) ImportRecords(ctx context.Context, ac identity.Actor, code, file string, next func() (registry.Record, int, bool, error)) (ImportResult, error) {
	if !ac.System {
		if err := ac.Require(identity.PermAccountManage, ""); err != nil {
			return ImportResult{}, err
		}
	}
	ds, err := s.Dataset(code)
	if err != nil {
		return ImportResult{}, err
	}
	if ds.Remote != nil {
		return ImportResult{}, errs.New(errs.Conflict, "registry.remote_import", "Không nhập dữ liệu vào tập do hệ thống khác quản lý.", "remote dataset")
	}
	now := s.Now()
	res := ImportResult{Batch: registry.ImportBatch{ID: fmt.Sprintf("%s-%s", code, now.UTC().Format("20060102T150405.000000")), Kind: "dataset:" + code, File: file, StartedAt: now}}
	checker := registry.NewChecker(ds, s.Refs(ctx), now)
	seen := map[string]int{} // key → line, within this file
	var good []registry.Record
	var bad []registry.QuarantinedRecord
	flush := func() error {
		if len(good) == 0 && len(bad) == 0 {
			return nil
		}
		b := res.Batch
		b.Imported += len(good)
		b.Quarantined += len(bad)
		err := s.Store.Update(ctx, func(tx store.Tx) error {
			if err := tx.PutDatasetRecords(ctx, good); err != nil {
				return err
			}
			if err := tx.QuarantineRecords(ctx, bad); err != nil {
				return err
			}
			if err := tx.PutImportBatch(ctx, b); err != nil {
				return err
			}
			return s.Record(ctx, tx, ac, "registry.import", "dataset:"+code, map[string]any{"batch": b.ID, "file": file, "stored": len(good), "quarantined": len(bad)})
		})
		if err != nil {
			return fmt.Errorf("import %s: %w", code, err)
		}
		res.Batch = b
		if room := 20 - len(res.Quarantined); room > 0 {
			res.Quarantined = append(res.Quarantined, bad[:min(room, len(bad))]...)
		}
		good, bad = good[:0], bad[:0]
		return nil
	}
	for {
		rec, line, ok, err := next()
		if err != nil {
			return res, fmt.Errorf("import %s line %d: %w", code, line, err)
		}
		if !ok {
			break
		}
		res.Batch.Total++
		if rec.Data == nil {
			rec.Data = map[string]string{}
		}
		ds.Normalize(&rec)
		if rec.UpdatedAt.IsZero() {
			rec.UpdatedAt = now
		}
		if rec.Source == "" {
			rec.Source = "import:" + file
		}
		var reasons []string
		for _, is := range checker.Inspect(rec) {
			if is.Rule != registry.Live { // stale data is still the best there is
				reasons = append(reasons, is.Message)
			}
		}
		if first, dup := seen[rec.Key]; dup && rec.Key != "" {
			reasons = append(reasons, fmt.Sprintf("Trùng khóa %s với dòng %d.", rec.Key, first))
		} else if rec.Key != "" {
			seen[rec.Key] = line
		}
		if len(reasons) > 0 {
			bad = append(bad, registry.QuarantinedRecord{Dataset: code, Batch: res.Batch.ID, Line: line, Key: rec.Key, Data: rec.Data, Reasons: reasons, At: now})
		} else {
			good = append(good, rec)
		}
		if len(good)+len(bad) >= importChunk {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	res.Batch.FinishedAt = s.Now()
	err = s.Store.Update(ctx, func(tx store.Tx) error { return tx.PutImportBatch(ctx, res.Batch) })
	return res, err
}

// DatasetInfo is a dataset with its size, for the console.
type DatasetInfo struct {
	registry.Dataset
	Records     int
	Quarantined int
}

// DatasetInfos lists the datasets with their sizes (administrators).
func (s *Service) DatasetInfos(ctx context.Context, ac identity.Actor) ([]DatasetInfo, error) {
	if err := ac.Require(identity.PermAuditRead, ""); err != nil {
		return nil, err
	}
	var out []DatasetInfo
	for _, ds := range s.datasets {
		info := DatasetInfo{Dataset: ds}
		if ds.Remote == nil {
			var err error
			if info.Records, err = s.db.DatasetCount(ctx, ds.Code); err != nil {
				return nil, err
			}
			if _, info.Quarantined, err = s.db.Quarantined(ctx, ds.Code, 0); err != nil {
				return nil, err
			}
		}
		out = append(out, info)
	}
	return out, nil
}

// StoredDocuments turns the personal-store documents of a submission into
// components: the document must be the holder's and have a file.
func (s *Service) StoredDocuments(ctx context.Context, holder string, in []dossier.ComponentInput, ups []dossier.Component) ([]dossier.Component, []string, []errs.FieldError) {
	var fe []errs.FieldError
	var ids []string
	for i, c := range in {
		id := strings.TrimSpace(c.DocumentID)
		if id == "" {
			continue
		}
		doc, err := s.db.Document(ctx, id)
		if err != nil || holder == "" || doc.Owner != holder || doc.FileID == "" {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("components[%d].document_id", i), Key: "unknown",
				Message: "Không tìm thấy giấy tờ này trong kho dữ liệu của người nộp."})
			continue
		}
		ups[i].FileID, ups[i].SHA256, ups[i].Size, ups[i].ContentType, ups[i].DocumentID = "kho-"+doc.ID, doc.FileID, doc.Size, doc.ContentType, doc.ID
		ids = append(ids, doc.ID)
	}
	return ups, ids, fe
}

// Replacements shows who starts a dossier which of the procedure's
// replaceable components the shared datasets already cover (by component
// code): a verified citizen their own (walkIn ""), a counter officer the
// walk-in applicant's of citizen ID walkIn. The reads are audited as one
// entry.
func (s *Service) Replacements(ctx context.Context, ac identity.Actor, procedureCode, walkIn string) (map[string]*dossier.DataRef, error) {
	out := map[string]*dossier.DataRef{}
	holder := Access(ac, registry.PurposeReplace, procedureCode, "").Citizen
	if walkIn != "" {
		holder = ""
		if ac.Account != nil && ac.Account.HasRole(identity.RoleReceiver, "") && identity.ValidCitizenID(walkIn) {
			holder = walkIn
		}
	}
	if holder == "" {
		return out, nil
	}
	p, err := s.prov.Procedure(ctx, procedureCode)
	if err != nil {
		return out, err
	}
	var keys []string
	once := aboutOnce{}
	for _, c := range p.Components {
		if c.ReplaceableBy == nil {
			continue
		}
		ref, _, err := s.replacement(ctx, once, ac, &p, c, holder, "")
		if err != nil {
			if errs.KindOf(err) == errs.Forbidden || errs.KindOf(err) == errs.NotFound {
				continue
			}
			return out, err
		}
		if ref != nil {
			out[c.Code] = ref
			if k := ref.Dataset + "/" + ref.Key; !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return out, nil
	}
	return out, s.RecordRead(ctx, ac, "registry.lookup", "procedure:"+procedureCode,
		map[string]any{"purpose": registry.PurposeReplace, "procedure": procedureCode, "subject": holder, "records": keys})
}

// Quarantine lists the records refused by imports and write-backs, newest
// first, for administrators; the read of personal data is audited.
func (s *Service) Quarantine(ctx context.Context, ac identity.Actor, code string, limit int) ([]registry.QuarantinedRecord, int, error) {
	if err := ac.Require(identity.PermAuditRead, ""); err != nil {
		return nil, 0, err
	}
	if _, err := s.Dataset(code); err != nil {
		return nil, 0, err
	}
	list, n, err := s.db.Quarantined(ctx, code, limit)
	if err != nil {
		return nil, 0, err
	}
	return list, n, s.RecordRead(ctx, ac, "registry.quarantine.read", "dataset:"+code, map[string]any{"returned": len(list)})
}
