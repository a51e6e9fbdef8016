package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/store"
)

// The national mode's tables (migration 00013). A batch is written in one
// statement: the national side receives from 34 provinces at once, and a
// round trip per row would be most of its cost.

const nationalDossierCols = `code, province_code, procedure_code, status, channel, submitted_at, received_at, due_at,
	finished_at, returned_at, order_key, record, first_synced_at, synced_at`

// nationalDossierWidth is the number of nationalDossierCols.
const nationalDossierWidth = 14

// PutNationalDossiers inserts the records not stored and replaces the
// stored ones of the same province whose order key is not greater.
func (t *Tx) PutNationalDossiers(ctx context.Context, recs []store.NationalDossier) (int, error) {
	if len(recs) == 0 {
		return 0, nil
	}
	args := make([]any, 0, nationalDossierWidth*len(recs))
	for _, r := range recs {
		rec, err := json.Marshal(r.Record)
		if err != nil {
			return 0, fmt.Errorf("store national dossier %s: %w", r.Record.MaHoSo, err)
		}
		args = append(args, r.Record.MaHoSo, r.ProvinceCode, r.Record.MaTTHC, int(r.Record.TrangThaiHoSo), int(r.Record.KenhThucHien),
			t.q.ts(r.SubmittedAt), t.q.tsOrNull(r.ReceivedAt), t.q.tsOrNull(r.DueAt), t.q.tsOrNull(r.FinishedAt), t.q.tsOrNull(r.ReturnedAt),
			r.OrderKey, string(rec), t.q.ts(r.FirstSyncedAt), t.q.ts(r.SyncedAt))
	}
	// The WHERE of the update is the rule of PROTOCOL.md: an older record
	// (a stray retry) is not applied, an equal one is (last writer wins);
	// a record another province stored is not replaced (package national
	// refuses the batch before it gets here; this holds under a race).
	query := "INSERT INTO national_dossiers (" + nationalDossierCols + ") VALUES " + tuples(nationalDossierWidth, len(recs)) + `
		ON CONFLICT (code) DO UPDATE SET procedure_code = excluded.procedure_code, status = excluded.status, channel = excluded.channel,
		submitted_at = excluded.submitted_at, received_at = excluded.received_at, due_at = excluded.due_at, finished_at = excluded.finished_at,
		returned_at = excluded.returned_at, order_key = excluded.order_key, record = excluded.record, synced_at = excluded.synced_at
		WHERE excluded.order_key >= national_dossiers.order_key AND excluded.province_code = national_dossiers.province_code`
	res, err := t.q.execBatch(ctx, query, len(recs), args)
	if err != nil {
		return 0, fmt.Errorf("store %d national dossiers: %w", len(recs), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store %d national dossiers: %w", len(recs), err)
	}
	return int(n), nil
}

// nationalProgressWidth is the number of columns of a progress entry.
const nationalProgressWidth = 7

// AddNationalProgress inserts the entries whose (code, key) is not stored.
func (t *Tx) AddNationalProgress(ctx context.Context, entries []store.NationalProgress) (int, error) {
	if len(entries) == 0 {
		return 0, nil
	}
	args := make([]any, 0, nationalProgressWidth*len(entries))
	for _, e := range entries {
		entry, err := json.Marshal(e.Entry)
		if err != nil {
			return 0, fmt.Errorf("store national progress of %s: %w", e.Entry.MaHoSo, err)
		}
		args = append(args, e.Entry.MaHoSo, e.Key, e.ProvinceCode, int(e.Entry.TrangThai), t.q.ts(e.At), string(entry), t.q.ts(e.SyncedAt))
	}
	query := "INSERT INTO national_progress (code, key, province_code, status, at, entry, synced_at) VALUES " +
		tuples(nationalProgressWidth, len(entries)) + " ON CONFLICT (code, key) DO NOTHING"
	res, err := t.q.execBatch(ctx, query, len(entries), args)
	if err != nil {
		return 0, fmt.Errorf("store %d national progress entries: %w", len(entries), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store %d national progress entries: %w", len(entries), err)
	}
	return int(n), nil
}

// NationalStates returns the stored province and order key of the codes
// stored.
func (r Reader) NationalStates(ctx context.Context, codes []string) (map[string]store.NationalState, error) {
	out := make(map[string]store.NationalState, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	query := "SELECT code, province_code, order_key FROM national_dossiers WHERE code IN (?" + strings.Repeat(", ?", len(codes)-1) + ")"
	rows, err := r.q.queryBatch(ctx, query, len(codes), anys(codes))
	if err != nil {
		return nil, fmt.Errorf("read %d national dossiers: %w", len(codes), err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var s store.NationalState
		if err := rows.Scan(&code, &s.ProvinceCode, &s.OrderKey); err != nil {
			return nil, fmt.Errorf("read national dossiers: %w", err)
		}
		out[code] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read national dossiers: %w", err)
	}
	return out, nil
}

// NationalDossier returns a stored record.
func (r Reader) NationalDossier(ctx context.Context, code string) (store.NationalDossier, error) {
	var d store.NationalDossier
	var rec string
	var code2, procedure string
	var status, channel int
	err := r.q.queryRow(ctx, "SELECT "+nationalDossierCols+" FROM national_dossiers WHERE code = ?", code).Scan(
		&code2, &d.ProvinceCode, &procedure, &status, &channel, timeCol{&d.SubmittedAt}, timeCol{&d.ReceivedAt}, timeCol{&d.DueAt},
		timeCol{&d.FinishedAt}, timeCol{&d.ReturnedAt}, &d.OrderKey, &rec, timeCol{&d.FirstSyncedAt}, timeCol{&d.SyncedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("national.dossier_not_found", fmt.Sprintf("Không tìm thấy hồ sơ %s.", code), "no national dossier "+code)
	}
	if err != nil {
		return d, fmt.Errorf("read national dossier %s: %w", code, err)
	}
	if err := json.Unmarshal([]byte(rec), &d.Record); err != nil {
		return d, fmt.Errorf("read national dossier %s: %w", code, err)
	}
	return d, nil
}

// NationalProgress returns a dossier's entries by ThoiDiemXuLy, then
// arrival.
func (r Reader) NationalProgress(ctx context.Context, code string) ([]store.NationalProgress, error) {
	rows, err := r.q.query(ctx, "SELECT key, province_code, at, entry, synced_at FROM national_progress WHERE code = ? ORDER BY at, id", code)
	if err != nil {
		return nil, fmt.Errorf("read national progress of %s: %w", code, err)
	}
	defer rows.Close()
	var out []store.NationalProgress
	for rows.Next() {
		var p store.NationalProgress
		var entry string
		if err := rows.Scan(&p.Key, &p.ProvinceCode, timeCol{&p.At}, &entry, timeCol{&p.SyncedAt}); err != nil {
			return nil, fmt.Errorf("read national progress of %s: %w", code, err)
		}
		if err := json.Unmarshal([]byte(entry), &p.Entry); err != nil {
			return nil, fmt.Errorf("read national progress of %s: %w", code, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read national progress of %s: %w", code, err)
	}
	return out, nil
}

// NationalStats counts the records of f by province.
func (r Reader) NationalStats(ctx context.Context, f store.NationalStatsFilter) ([]store.NationalProvinceStats, error) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where = append(where, "submitted_at >= ?")
		args = append(args, r.q.ts(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "submitted_at < ?")
		args = append(args, r.q.ts(f.To))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := r.q.query(ctx, `SELECT province_code, count(*), count(received_at), count(finished_at),
		coalesce(sum(CASE WHEN finished_at IS NOT NULL AND (due_at IS NULL OR finished_at <= due_at) THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN channel = 2 THEN 1 ELSE 0 END), 0), max(synced_at)
		FROM national_dossiers`+cond+` GROUP BY province_code ORDER BY province_code`, args...)
	if err != nil {
		return nil, fmt.Errorf("national statistics: %w", err)
	}
	defer rows.Close()
	var out []store.NationalProvinceStats
	for rows.Next() {
		var s store.NationalProvinceStats
		if err := rows.Scan(&s.ProvinceCode, &s.Synced, &s.Received, &s.Finished, &s.OnTime, &s.Online, timeCol{&s.LastSyncAt}); err != nil {
			return nil, fmt.Errorf("national statistics: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("national statistics: %w", err)
	}
	return out, nil
}

// tsOrNull is ts, or NULL for the zero time.
func (q q) tsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return q.ts(t)
}

// tuples is n placeholder tuples of width columns: "(?, ?), (?, ?)".
func tuples(width, n int) string {
	one := "(?" + strings.Repeat(", ?", width-1) + ")"
	var b strings.Builder
	b.Grow(n * (len(one) + 2))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// batchCached reports whether a statement of n rows is worth a cached
// statement on SQLite: the sizes the national mode's clients send whole
// (one, ten or a hundred); odd sizes are prepared each time.
func batchCached(n int) bool { return n == 1 || n == 10 || n == 100 }

func (q q) execBatch(ctx context.Context, query string, n int, args []any) (sql.Result, error) {
	if batchCached(n) {
		return q.exec(ctx, query, args...)
	}
	return q.db.ExecContext(ctx, q.rebind(query), args...)
}

func (q q) queryBatch(ctx context.Context, query string, n int, args []any) (*sql.Rows, error) {
	if batchCached(n) {
		return q.query(ctx, query, args...)
	}
	return q.db.QueryContext(ctx, q.rebind(query), args...)
}
