package results

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
	"github.com/motcua/motcua/wallet"
)

// DistrictKind is the kind of the import batches of the abolished district
// level's results.
const DistrictKind = "district-results"

const (
	districtChunk   = 1000     // rows per transaction
	maxDistrictScan = 20 << 20 // largest scanned file, bytes
	// districtKeyMeta holds the deployment's secret that makes the IDs of
	// the digitized documents unguessable yet stable across re-imports.
	districtKeyMeta = "district_import.key"
)

// lastDistrictDay is the last day the district level issued anything: it
// was abolished on 1/7/2025.
var lastDistrictDay = time.Date(2025, time.June, 30, 0, 0, 0, 0, time.UTC)

// DistrictRow is one result issued by the abolished district level, as
// listed for digitization. OldUnit is the pre-2025 unit it was issued
// under: a commune (5 digits) or a district (3 digits). File is the
// scanned paper, relative to the scans directory ("" = not scanned yet).
type DistrictRow struct {
	Line          int
	HolderID      string
	HolderName    string
	Title         string
	Number        string
	IssuedOn      string // DD/MM/YYYY or YYYY-MM-DD
	OldUnit       string
	Issuer        string
	ProcedureCode string
	File          string
	// Problem is why the reader could not read the line (a malformed CSV
	// line); such a row is quarantined with it.
	Problem string
}

// data is the row as kept in the quarantine.
func (r DistrictRow) data() map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{"holder_id": r.HolderID, "holder_name": r.HolderName, "title": r.Title, "number": r.Number,
		"issued_on": r.IssuedOn, "old_unit": r.OldUnit, "issuer": r.Issuer, "procedure_code": r.ProcedureCode, "file": r.File} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// DistrictReport is the outcome of one import.
type DistrictReport struct {
	Batch       registry.ImportBatch
	Quarantined []registry.QuarantinedRecord // the first 20
	// Ambiguous counts the imported rows whose old unit became several new
	// communes, none of them the holder's residence: the first was taken.
	Ambiguous int
	// Progress is the digitization of the district level's results over
	// all imports, this one included.
	Progress DistrictProgress
}

// DistrictProgress is how far the digitization of the district level's
// still-valid results is (target: 100% of them with their scanned file).
type DistrictProgress struct {
	Rows        int     `json:"rows"`
	Imported    int     `json:"imported"`
	WithFile    int     `json:"with_file"`
	Quarantined int     `json:"quarantined"`
	Percent     float64 `json:"progress_percent"` // WithFile/Rows×100, 2 decimals; 0 when there are no rows
}

// DistrictProgress sums the import batches of the district level's
// results. A file imported again counts once, by its latest finished
// import: re-imports are idempotent, so its latest counts are the truth.
func (s *Service) DistrictProgress(ctx context.Context) (DistrictProgress, error) {
	batches, err := s.db.ImportBatches(ctx, DistrictKind)
	if err != nil {
		return DistrictProgress{}, err
	}
	latest := map[string]registry.ImportBatch{} // by file
	var files []string
	for _, b := range batches { // newest first
		cur, ok := latest[b.File]
		switch {
		case !ok:
			files = append(files, b.File)
			latest[b.File] = b
		case cur.FinishedAt.IsZero() && !b.FinishedAt.IsZero():
			latest[b.File] = b // an unfinished re-run does not hide a finished import
		}
	}
	var p DistrictProgress
	for _, f := range files {
		b := latest[f]
		p.Rows += b.Total
		p.Imported += b.Imported
		p.WithFile += b.WithFile
		p.Quarantined += b.Quarantined
	}
	p.Percent = registry.Percent(p.WithFile, p.Rows)
	return p, nil
}

// ImportDistrictResults digitizes the still-valid results of the abolished
// district level: each row becomes a record of the "results" dataset and a
// document of the holder's personal store, under the new commune that took
// over its old unit, with its scanned file when there is one. A row that
// fails a check is quarantined with its reasons, never dropped. IDs are
// derived from the row, so importing the same file again changes nothing.
// file names the source (kept as "import:<file>"); scans is the directory
// the rows' files are relative to ("" = none).
func (s *Service) ImportDistrictResults(ctx context.Context, ac identity.Actor, file string, rows func() (DistrictRow, bool, error), scans string) (DistrictReport, error) {
	if !ac.System {
		if err := ac.Require(identity.PermAccountManage, ""); err != nil {
			return DistrictReport{}, err
		}
	}
	ds, err := s.data.Dataset(registry.Results)
	if err != nil {
		return DistrictReport{}, err
	}
	if ds.Remote != nil {
		return DistrictReport{}, errs.New(errs.Conflict, "registry.remote_import", "Không nhập dữ liệu vào tập do hệ thống khác quản lý.", "remote dataset")
	}
	im := &districtImport{a: s, ac: ac, ds: ds, seen: map[string]int{}}
	if scans != "" {
		if im.root, err = os.OpenRoot(scans); err != nil {
			return DistrictReport{}, errs.Wrap(errs.Invalid, "district.scans", fmt.Sprintf("Không mở được thư mục bản quét %s.", scans), "cannot open the scans directory", err)
		}
		defer im.root.Close()
	}
	if im.key, err = s.districtKey(ctx, ac); err != nil {
		return DistrictReport{}, err
	}
	now := s.Now()
	im.now, im.today = now, today(now)
	im.checker = registry.NewChecker(ds, s.data.Refs(ctx), now)
	suffix := make([]byte, 3)
	_, _ = rand.Read(suffix)
	im.rep.Batch = registry.ImportBatch{ID: fmt.Sprintf("district-%s-%x", now.UTC().Format("20060102T150405.000000"), suffix),
		Kind: DistrictKind, File: file, StartedAt: now}
	for {
		r, ok, err := rows()
		if err != nil {
			return im.rep, fmt.Errorf("import district results %s line %d: %w", file, r.Line, err)
		}
		if !ok {
			break
		}
		im.rep.Batch.Total++
		if err := im.add(ctx, r); err != nil {
			return im.rep, err
		}
		if im.pending() >= districtChunk {
			if err := im.flush(ctx); err != nil {
				return im.rep, err
			}
		}
	}
	if err := im.flush(ctx); err != nil {
		return im.rep, err
	}
	im.rep.Batch.FinishedAt = s.Now()
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutImportBatch(ctx, im.rep.Batch); err != nil {
			return err
		}
		if im.chunks > 0 {
			return nil
		}
		return s.Record(ctx, tx, ac, "district.import", "batch:"+im.rep.Batch.ID, im.details(0, 0, 0)) // an empty file
	})
	if err != nil {
		return im.rep, fmt.Errorf("import district results %s: %w", file, err)
	}
	im.rep.Progress, err = s.DistrictProgress(ctx)
	return im.rep, err
}

// districtKey returns the deployment's secret for document IDs, creating
// it on first use.
func (s *Service) districtKey(ctx context.Context, ac identity.Actor) ([]byte, error) {
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		v, err := tx.Meta(ctx, districtKeyMeta)
		if err != nil || v != "" {
			return err
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		if err := tx.SetMeta(ctx, districtKeyMeta, hex.EncodeToString(b)); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "district.key", "meta:"+districtKeyMeta, nil) // the secret itself is not logged
	})
	if err != nil {
		return nil, fmt.Errorf("district import key: %w", err)
	}
	v, err := s.db.Meta(ctx, districtKeyMeta) // the stored one, should a concurrent import have set it first
	if err != nil {
		return nil, fmt.Errorf("district import key: %w", err)
	}
	return hex.DecodeString(v)
}

// today is now's date in Vietnam, at UTC midnight like parsed dates.
func today(now time.Time) time.Time {
	y, m, d := now.In(calendar.VN).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type districtImport struct {
	a       *Service
	ac      identity.Actor
	ds      *registry.Dataset
	checker *registry.Checker
	root    *os.Root
	key     []byte
	now     time.Time
	today   time.Time
	seen    map[string]int // (holder, number, title) → line, of the rows imported from this file

	rep    DistrictReport
	chunks int
	// the chunk being gathered
	recs      []registry.Record
	docs      []wallet.Document
	bad       []registry.QuarantinedRecord
	withFile  int
	ambiguous int
	residence int // population records read to choose a commune
}

func (im *districtImport) pending() int { return len(im.docs) + len(im.bad) }

func (im *districtImport) details(stored, quarantined, withFile int) map[string]any {
	b := im.rep.Batch
	return map[string]any{"batch": b.ID, "file": b.File, "stored": stored, "quarantined": quarantined, "with_file": withFile,
		"ambiguous": im.ambiguous, "residence_reads": im.residence,
		"total": b.Total, "total_imported": b.Imported + stored, "total_quarantined": b.Quarantined + quarantined}
}

// flush stores the gathered chunk, its batch counts and its audit entry in
// one transaction.
func (im *districtImport) flush(ctx context.Context) error {
	if im.pending() == 0 {
		return nil
	}
	b := im.rep.Batch
	b.Imported += len(im.docs)
	b.Quarantined += len(im.bad)
	b.WithFile += im.withFile
	details := im.details(len(im.docs), len(im.bad), im.withFile)
	err := im.a.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutDatasetRecords(ctx, im.recs); err != nil {
			return err
		}
		for _, d := range im.docs {
			if err := tx.PutDocument(ctx, d); err != nil {
				return err
			}
		}
		if err := tx.QuarantineRecords(ctx, im.bad); err != nil {
			return err
		}
		if err := tx.PutImportBatch(ctx, b); err != nil {
			return err
		}
		return im.a.Record(ctx, tx, im.ac, "district.import", "batch:"+b.ID, details)
	})
	if err != nil {
		return fmt.Errorf("import district results %s: %w", b.File, err)
	}
	im.chunks++
	im.rep.Batch = b
	im.rep.Ambiguous += im.ambiguous
	if room := 20 - len(im.rep.Quarantined); room > 0 {
		im.rep.Quarantined = append(im.rep.Quarantined, im.bad[:min(room, len(im.bad))]...)
	}
	im.recs, im.docs, im.bad = im.recs[:0], im.docs[:0], nil
	im.withFile, im.ambiguous, im.residence = 0, 0, 0
	return nil
}

// add checks one row and gathers it as good or quarantined. An error is a
// storage failure, not a problem of the row.
func (im *districtImport) add(ctx context.Context, r DistrictRow) error {
	r.HolderID = strings.TrimSpace(r.HolderID)
	r.HolderName = strings.TrimSpace(vntext.NFC(r.HolderName))
	r.Title = strings.TrimSpace(vntext.NFC(r.Title))
	r.Number = strings.TrimSpace(vntext.NFC(r.Number))
	r.IssuedOn = strings.TrimSpace(r.IssuedOn)
	r.OldUnit = strings.TrimSpace(r.OldUnit)
	r.Issuer = strings.TrimSpace(vntext.NFC(r.Issuer))
	r.ProcedureCode = strings.TrimSpace(r.ProcedureCode)
	r.File = strings.TrimSpace(r.File)
	reasons, err := im.check(ctx, &r)
	if err != nil {
		return err
	}
	if len(reasons) > 0 {
		im.bad = append(im.bad, registry.QuarantinedRecord{Dataset: registry.Results, Batch: im.rep.Batch.ID, Line: r.Line, Key: r.Number,
			Data: r.data(), Reasons: reasons, At: im.now})
	}
	return nil
}

// check runs the row's checks; a good row is gathered, the reasons of a
// bad one are returned.
func (im *districtImport) check(ctx context.Context, r *DistrictRow) ([]string, error) {
	if r.Problem != "" {
		return []string{r.Problem}, nil
	}
	var reasons []string
	if !identity.ValidCitizenID(r.HolderID) {
		reasons = append(reasons, fmt.Sprintf("Số định danh cá nhân %q không hợp lệ: phải gồm 12 chữ số, chữ số thứ 4 từ 0 đến 5.", r.HolderID))
	}
	if r.Title == "" {
		reasons = append(reasons, "Thiếu tên giấy tờ.")
	}
	if r.Issuer == "" {
		reasons = append(reasons, "Thiếu cơ quan cấp.")
	}
	issued, msg := im.issuedOn(r.IssuedOn)
	if msg != "" {
		reasons = append(reasons, msg)
	}
	cands, msg := im.resolve(r.OldUnit)
	if msg != "" {
		reasons = append(reasons, msg)
	}
	if len(reasons) > 0 {
		return reasons, nil
	}
	dupKey := r.HolderID + "|" + r.Number + "|" + vntext.Fold(r.Title)
	if r.Number == "" { // papers without a number are told apart by their date
		dupKey += "|" + issued
	}
	if first, dup := im.seen[dupKey]; dup {
		return []string{fmt.Sprintf("Trùng với dòng %d (cùng người được cấp, số, ký hiệu và tên giấy tờ).", first)}, nil
	}

	commune, ambiguous, err := im.commune(ctx, r.HolderID, cands)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{r.HolderID, r.Title, r.Number, issued, r.OldUnit}, "|")))
	source := "import:" + im.rep.Batch.File
	rec := registry.Record{Data: map[string]string{
		"result_id": "SH-" + hex.EncodeToString(sum[:])[:24], "holder_id": r.HolderID, "holder_name": r.HolderName,
		"name": r.Title, "number": r.Number, "procedure_code": r.ProcedureCode, "issued_on": issued, "commune": commune,
	}, UpdatedAt: im.now, Source: source}
	for k, v := range rec.Data {
		if v == "" {
			delete(rec.Data, k)
		}
	}
	im.ds.Normalize(&rec)
	for _, is := range im.checker.Inspect(rec) {
		if is.Rule != registry.Live && !slices.Contains(reasons, is.Message) {
			reasons = append(reasons, is.Message)
		}
	}
	if len(reasons) > 0 {
		return reasons, nil
	}
	mac := hmac.New(sha256.New, im.key)
	mac.Write([]byte(strings.Join([]string{r.HolderID, r.Title, r.Number, issued, r.OldUnit}, "|")))
	doc := wallet.Document{ID: hex.EncodeToString(mac.Sum(nil))[:32], Owner: r.HolderID, Kind: wallet.KindDigitized,
		Title: r.Title, Number: r.Number, Issuer: r.Issuer, IssuedOn: issued, ProcedureCode: r.ProcedureCode,
		CommuneCode: commune, OldUnit: r.OldUnit, Source: source, CreatedAt: im.now}
	if r.File != "" {
		var msg string
		doc.FileID, doc.Size, doc.ContentType, msg, err = im.scan(r.File)
		if err != nil {
			return nil, err
		}
		if msg != "" {
			return []string{msg}, nil
		}
	}
	if err := doc.Validate(); err != nil {
		return []string{errs.Message(err)}, nil
	}
	im.seen[dupKey] = r.Line
	im.recs = append(im.recs, rec)
	im.docs = append(im.docs, doc)
	if doc.FileID != "" {
		im.withFile++
	}
	if ambiguous {
		im.ambiguous++
	}
	return nil, nil
}

// issuedOn parses a date of issue (DD/MM/YYYY or YYYY-MM-DD) into
// YYYY-MM-DD, or says what is wrong with it.
func (im *districtImport) issuedOn(s string) (string, string) {
	if s == "" {
		return "", "Thiếu ngày cấp."
	}
	d, err := time.Parse("2/1/2006", s)
	if err != nil {
		d, err = time.Parse(time.DateOnly, s)
	}
	switch {
	case err != nil:
		return "", fmt.Sprintf("Ngày cấp %q không hợp lệ (DD/MM/YYYY hoặc YYYY-MM-DD).", s)
	case d.Year() < 1900:
		return "", fmt.Sprintf("Ngày cấp %q trước năm 1900.", s)
	case d.After(im.today):
		return "", fmt.Sprintf("Ngày cấp %q ở tương lai.", s)
	case d.After(lastDistrictDay):
		return "", fmt.Sprintf("Ngày cấp %q sau 30/6/2025: cấp huyện đã chấm dứt hoạt động từ 1/7/2025.", s)
	}
	return d.Format(time.DateOnly), ""
}

// resolve maps an old unit code (commune: 5 digits, district: 3) to the
// new communes of the province served that took over it.
func (im *districtImport) resolve(code string) ([]unit.Commune, string) {
	var res unit.Resolution
	var err error
	switch {
	case code == "":
		return nil, "Thiếu mã đơn vị hành chính cũ."
	case len(code) == 5:
		res, err = im.a.Units.ResolveOld(code)
	case len(code) == 3:
		res, err = im.a.Units.ResolveOldDistrict(code)
	default:
		return nil, fmt.Sprintf("Mã đơn vị hành chính cũ %q không hợp lệ: mã xã cũ gồm 5 chữ số, mã huyện cũ gồm 3 chữ số.", code)
	}
	if err != nil {
		if errs.KindOf(err) == errs.Internal {
			return nil, fmt.Sprintf("Không chuyển đổi được mã đơn vị cũ %q.", code)
		}
		return nil, errs.Message(err)
	}
	var out []unit.Commune
	for _, c := range res.New {
		if c.ProvinceCode == im.a.Province.Code {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Sprintf("Đơn vị cũ %s %s (%s) không thuộc %s.", res.Old.Code, res.Old.Name, res.Old.ProvinceName, im.a.Province.Name)
	}
	return out, ""
}

// commune picks the new commune of a result: the only one, else the one
// the holder lives in now, else the first (ambiguous).
func (im *districtImport) commune(ctx context.Context, holder string, cands []unit.Commune) (string, bool, error) {
	if len(cands) == 1 {
		return cands[0].Code, false, nil
	}
	im.residence++
	recs, err := im.a.db.DatasetRecordsBySubject(ctx, registry.Population, holder, 1)
	if err != nil {
		return "", false, fmt.Errorf("residence of %s: %w", holder, err)
	}
	if len(recs) > 0 {
		home := recs[0].Data["residence_commune"]
		for _, c := range cands {
			if c.Code == home {
				return c.Code, false, nil
			}
		}
	}
	return cands[0].Code, true, nil
}

// scan stores a row's scanned file; msg says why the file is refused.
func (im *districtImport) scan(name string) (sum string, size int64, ctype, msg string, err error) {
	if im.root == nil {
		return "", 0, "", fmt.Sprintf("Có tệp bản quét %q nhưng không chỉ ra thư mục bản quét.", name), nil
	}
	if im.a.files == nil {
		return "", 0, "", "", errs.New(errs.Unavailable, "files.unavailable", "Kho tệp chưa được cấu hình.", "no file store")
	}
	rel := filepath.FromSlash(name)
	if !filepath.IsLocal(rel) {
		return "", 0, "", fmt.Sprintf("Đường dẫn tệp %q ra ngoài thư mục bản quét.", name), nil
	}
	f, err := im.root.Open(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return "", 0, "", fmt.Sprintf("Không có tệp %q trong thư mục bản quét.", name), nil
	}
	if err != nil { // e.g. a link leading out of the directory
		return "", 0, "", fmt.Sprintf("Không mở được tệp %q trong thư mục bản quét.", name), nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", 0, "", "", fmt.Errorf("scan %s: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		return "", 0, "", fmt.Sprintf("%q không phải là tệp.", name), nil
	}
	if st.Size() > maxDistrictScan {
		return "", 0, "", fmt.Sprintf("Tệp %q quá lớn (%.1f MB; tối đa %d MB).", name, float64(st.Size())/(1<<20), maxDistrictScan>>20), nil
	}
	sum, size, ctype, err = im.a.files.Put(f, "")
	if errs.KindOf(err) == errs.Invalid {
		return "", 0, "", fmt.Sprintf("Tệp %q: %s", name, errs.Message(err)), nil
	}
	if err != nil {
		return "", 0, "", "", fmt.Errorf("scan %s: %w", name, err)
	}
	return sum, size, ctype, "", nil
}
