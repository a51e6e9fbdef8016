package national

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// Batch limits (PROTOCOL.md): a call carries at most MaxBatch records or
// entries; the three-URL style sends progress MaxProgressThreeURL at a time.
const (
	MaxBatch            = 100
	MaxProgressThreeURL = 10
)

// Outcome is the answer to a batch that was accepted: Code is dvcqg.CodeOK,
// or dvcqg.CodeExists when an add met records already stored (those are
// left as they are; the client sends them as an update).
type Outcome struct {
	Code    string
	Message string
	Written int // records or entries stored by this call
	Skipped int // records older than the stored ones, existing records of an add, entries already stored
}

// AddDossiers receives new dossiers (DongBoHoSoMC with isUpdating False,
// them-moi). The batch is refused whole when a record is invalid or was
// synced by another province. The records not yet stored are stored; if
// some were, the answer is "3 … đã tồn tại" naming them, and they are left
// unchanged.
func (s *Service) AddDossiers(ctx context.Context, c Caller, recs []dvcqg.Dossier) (Outcome, error) {
	return s.putDossiers(ctx, c, recs, false)
}

// UpdateDossiers receives new states of stored dossiers (DongBoHoSoMC with
// isUpdating True, cap-nhat). The batch is refused whole when a record is
// invalid, not stored ("-4"), or another province's. A record older than
// the stored one is acknowledged and not applied.
func (s *Service) UpdateDossiers(ctx context.Context, c Caller, recs []dvcqg.Dossier) (Outcome, error) {
	return s.putDossiers(ctx, c, recs, true)
}

func (s *Service) putDossiers(ctx context.Context, c Caller, recs []dvcqg.Dossier, updating bool) (Outcome, error) {
	if err := checkBatch(len(recs), MaxBatch, "hồ sơ"); err != nil {
		return Outcome{}, err
	}
	for i := range recs {
		if p := recs[i].Validate(); len(p) > 0 {
			return Outcome{}, invalidRecord("hồ sơ", i, recs[i].MaHoSo, p)
		}
	}
	now := s.clock()
	rows, err := dossierRows(c, recs, now)
	if err != nil {
		return Outcome{}, err
	}
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Record.MaHoSo
	}
	var out Outcome
	err = s.db.Update(ctx, func(tx store.Tx) error {
		states, err := tx.NationalStates(ctx, codes)
		if err != nil {
			return err
		}
		if err := s.ownedBy(c, codes, states); err != nil {
			return err
		}
		write, existing := rows, []string(nil)
		if updating {
			for _, code := range codes {
				if _, ok := states[code]; !ok {
					return errs.New(errs.NotFound, "national.dossier_unknown",
						fmt.Sprintf("Hồ sơ %s chưa có trên Cổng: cần thêm mới trước khi cập nhật.", code), "update of an unknown dossier "+code)
				}
			}
		} else {
			write = write[:0:0]
			for _, r := range rows {
				if _, ok := states[r.Record.MaHoSo]; ok {
					existing = append(existing, r.Record.MaHoSo)
				} else {
					write = append(write, r)
				}
			}
		}
		n, err := tx.PutNationalDossiers(ctx, write)
		if err != nil {
			return err
		}
		out = dossierOutcome(len(rows), n, existing)
		action := "national.dossiers.add"
		if updating {
			action = "national.dossiers.update"
		}
		return s.record(ctx, tx, c, action, map[string]any{"records": len(recs), "written": n, "existing": len(existing), "first": codes[0]})
	})
	if err != nil {
		return Outcome{}, err
	}
	return out, nil
}

func dossierOutcome(records, written int, existing []string) Outcome {
	out := Outcome{Code: dvcqg.CodeOK, Written: written, Skipped: records - written}
	if len(existing) == 0 {
		out.Message = fmt.Sprintf("Đồng bộ thành công %d hồ sơ", records)
		if older := records - written; older > 0 {
			out.Message += fmt.Sprintf(" (%d bản ghi cũ hơn bản đã lưu, không áp dụng)", older)
		}
		return out
	}
	out.Code = dvcqg.CodeExists
	list := existing
	if len(list) > 5 {
		list = list[:5]
	}
	names := strings.Join(list, ", ")
	if len(existing) > len(list) {
		names += fmt.Sprintf(" và %d hồ sơ khác", len(existing)-len(list))
	}
	out.Message = fmt.Sprintf("Hồ sơ %s đã tồn tại", names)
	if written > 0 {
		out.Message += fmt.Sprintf("; đã thêm mới %d hồ sơ", written)
	}
	return out
}

// dossierRows are the records to store, one per code: of a code sent twice
// in a batch the newest (by order key; the later on a tie) is kept.
func dossierRows(c Caller, recs []dvcqg.Dossier, now time.Time) ([]store.NationalDossier, error) {
	rows := make([]store.NationalDossier, 0, len(recs))
	at := make(map[string]int, len(recs))
	for i := range recs {
		r := &recs[i]
		row := store.NationalDossier{Record: *r, ProvinceCode: c.Province, OrderKey: OrderKey(r), FirstSyncedAt: now, SyncedAt: now}
		for _, f := range []struct {
			to  *time.Time
			val string
		}{{&row.SubmittedAt, r.NgayNopHoSo}, {&row.ReceivedAt, r.NgayTiepNhan}, {&row.DueAt, r.NgayHenTra}, {&row.FinishedAt, r.NgayKetThucXuLy}, {&row.ReturnedAt, r.NgayTra}} {
			t, err := dvcqg.ParseTime(f.val)
			if err != nil { // Validate read them all
				return nil, fmt.Errorf("dossier %s: %w", r.MaHoSo, err)
			}
			*f.to = t
		}
		if j, ok := at[r.MaHoSo]; ok {
			if row.OrderKey >= rows[j].OrderKey {
				rows[j] = row
			}
			continue
		}
		at[r.MaHoSo] = len(rows)
		rows = append(rows, row)
	}
	return rows, nil
}

// OrderKey orders the records of one dossier: the latest of its dates
// (NgayNopHoSo, NgayTiepNhan, NgayKetThucXuLy, NgayTra, NgayTuChoi and the
// supplements' NgayBoSung and NgayTiepNhanBoSung). Valid dates are
// yyyyMMddHHmmss, which sort as text.
func OrderKey(d *dvcqg.Dossier) string {
	k := max(d.NgayNopHoSo, d.NgayTiepNhan, d.NgayKetThucXuLy, d.NgayTra, d.NgayTuChoi)
	for _, b := range d.HoSoBoSung {
		k = max(k, b.NgayBoSung, b.NgayTiepNhanBoSung)
	}
	return k
}

// AddProgress receives progress entries (CapNhatTienDoHoSoMC, at most
// MaxBatch; dong-bo-tien-trinh, at most MaxProgressThreeURL: limit). The
// batch is refused whole when an entry is invalid, its dossier not stored
// ("-4") or another province's. Entries already stored are not stored
// again.
func (s *Service) AddProgress(ctx context.Context, c Caller, entries []dvcqg.Progress, limit int) (Outcome, error) {
	if err := checkBatch(len(entries), min(limit, MaxBatch), "mục tiến độ"); err != nil {
		return Outcome{}, err
	}
	for i := range entries {
		if p := entries[i].Validate(); len(p) > 0 {
			return Outcome{}, invalidRecord("tiến độ", i, entries[i].MaHoSo, p)
		}
	}
	now := s.clock()
	rows := make([]store.NationalProgress, len(entries))
	var codes []string
	for i, e := range entries {
		at, err := dvcqg.ParseTime(e.ThoiDiemXuLy)
		if err != nil { // Validate read it
			return Outcome{}, fmt.Errorf("progress of %s: %w", e.MaHoSo, err)
		}
		rows[i] = store.NationalProgress{Entry: e, ProvinceCode: c.Province, Key: ProgressKey(e), At: at, SyncedAt: now}
		if !slices.Contains(codes, e.MaHoSo) {
			codes = append(codes, e.MaHoSo)
		}
	}
	var out Outcome
	err := s.db.Update(ctx, func(tx store.Tx) error {
		states, err := tx.NationalStates(ctx, codes)
		if err != nil {
			return err
		}
		for _, code := range codes {
			if _, ok := states[code]; !ok {
				return errs.New(errs.NotFound, "national.dossier_unknown",
					fmt.Sprintf("Không tìm thấy hồ sơ %s để cập nhật tiến độ: cần đồng bộ hồ sơ trước.", code), "progress of an unknown dossier "+code)
			}
		}
		if err := s.ownedBy(c, codes, states); err != nil {
			return err
		}
		n, err := tx.AddNationalProgress(ctx, rows)
		if err != nil {
			return err
		}
		out = Outcome{Code: dvcqg.CodeOK, Message: "Đồng bộ tiến trình thành công", Written: n, Skipped: len(rows) - n}
		return s.record(ctx, tx, c, "national.progress.add", map[string]any{"entries": len(rows), "written": n, "first": codes[0]})
	})
	if err != nil {
		return Outcome{}, err
	}
	return out, nil
}

// ProgressKey is the stored de-duplication key of an entry: a digest of
// dvcqg.Progress.Key (which may be longer than an index holds).
func ProgressKey(p dvcqg.Progress) string {
	sum := sha256.Sum256([]byte(p.Key()))
	return hex.EncodeToString(sum[:16])
}

// ownedBy refuses a batch touching a dossier another province synced: a
// province writes only its own dossiers.
func (s *Service) ownedBy(c Caller, codes []string, states map[string]store.NationalState) error {
	for _, code := range codes {
		if st, ok := states[code]; ok && st.ProvinceCode != c.Province {
			other := st.ProvinceCode
			if n := s.provinceName(other); n != "" {
				other = n
			}
			return errs.New(errs.Invalid, "national.other_province",
				fmt.Sprintf("Hồ sơ %s do %s đồng bộ: tỉnh khác không được thay đổi.", code, other), "dossier "+code+" belongs to province "+st.ProvinceCode)
		}
	}
	return nil
}

// record appends the audit entry of an accepted batch.
func (s *Service) record(ctx context.Context, tx store.Tx, c Caller, action string, details any) error {
	b, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return tx.AppendAudit(ctx, &audit.Entry{At: s.clock(), Actor: c.Username, Action: action, Object: "province:" + c.Province, IP: c.IP, Details: b})
}

func checkBatch(n, limit int, what string) error {
	switch {
	case n == 0:
		return errs.New(errs.Invalid, "national.empty", "Không có "+what+" nào để đồng bộ.", "empty batch")
	case n > limit:
		return errs.New(errs.Invalid, "national.batch_too_large", fmt.Sprintf("Mỗi lần gửi tối đa %d %s (đã gửi %d).", limit, what, n), "batch too large")
	}
	return nil
}

// invalidRecord is the refusal of a batch for its record i: the first
// problem's message, naming the record, its MaHoSo and the field.
func invalidRecord(what string, i int, code string, p dvcqg.Problems) error {
	fields := make([]errs.FieldError, len(p))
	for j, f := range p {
		f.Field = fmt.Sprintf("data[%d].%s", i, f.Field)
		fields[j] = f
	}
	msg := fmt.Sprintf("Dữ liệu %s không hợp lệ — bản ghi thứ %d, hồ sơ %s, trường %s: %s", what, i+1, quote(code), p[0].Field, p[0].Message)
	return errs.InvalidFields("national.invalid", msg, fmt.Sprintf("invalid record %d: %s", i+1, p[0].Field), fields)
}

// quote shows a code received in a message: at most 40 characters, quoted
// when empty or not printable as it is.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	for _, r := range s {
		if r < 0x20 || r == '"' || r == 0x7f || !utf8.ValidString(s) {
			return fmt.Sprintf("%q", s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}
