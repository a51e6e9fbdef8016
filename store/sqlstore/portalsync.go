package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

const portalSyncCols = "code, state, version, synced_version, known, progress_sent, attempts, last_error, queued_at, next_at, synced_at, updated_at"

func scanPortalSync(sc interface{ Scan(...any) error }) (store.PortalSync, error) {
	var s store.PortalSync
	var known int
	err := sc.Scan(&s.Code, &s.State, &s.Version, &s.SyncedVersion, &known, &s.ProgressSent, &s.Attempts, &s.LastError,
		timeCol{&s.QueuedAt}, timeCol{&s.NextAt}, timeCol{&s.SyncedAt}, timeCol{&s.UpdatedAt})
	s.Known = known != 0
	return s, err
}

// QueuePortalSync upserts the dossier's row: a synced row becomes pending
// and due at at; a pending or failed one keeps when it is due (a lease or
// a back-off), its version raised.
func (t *Tx) QueuePortalSync(ctx context.Context, code string, version int, at time.Time) error {
	ts := t.q.ts(at)
	_, err := t.q.exec(ctx, `INSERT INTO portal_sync (code, state, version, queued_at, next_at, updated_at) VALUES (?, 'pending', ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET
		version = CASE WHEN excluded.version > portal_sync.version THEN excluded.version ELSE portal_sync.version END,
		queued_at = CASE WHEN portal_sync.state = 'synced' THEN excluded.queued_at ELSE portal_sync.queued_at END,
		next_at = CASE WHEN portal_sync.state = 'synced' THEN excluded.next_at ELSE portal_sync.next_at END,
		state = CASE WHEN portal_sync.state = 'synced' THEN 'pending' ELSE portal_sync.state END,
		updated_at = excluded.updated_at`, code, version, ts, ts, ts)
	if err != nil {
		return fmt.Errorf("queue portal sync of %s: %w", code, err)
	}
	return nil
}

// ClaimPortalSync leases due rows (claimDue), oldest queued first.
func (t *Tx) ClaimPortalSync(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.PortalSync, error) {
	out, err := claimDue(ctx, t, "portal_sync", "code", "state <> 'synced'", "next_at", portalSyncCols, scanPortalSync, now, lease, limit)
	if err != nil {
		return nil, fmt.Errorf("claim portal sync: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].QueuedAt.Before(out[j].QueuedAt) })
	return out, nil
}

// claimDue leases up to limit due rows of a work queue (table, keyed by
// key): the rows where pending holds and next_at has come, in order, get
// next_at = now+lease and are returned with cols. On PostgreSQL rows
// another transaction is claiming are skipped (SKIP LOCKED); SQLite has one
// writer.
func claimDue[T any](ctx context.Context, t *Tx, table, key, pending, order, cols string, scan func(interface{ Scan(...any) error }) (T, error), now time.Time, lease time.Duration, limit int) ([]T, error) {
	lock := ""
	if t.q.d == postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := t.q.query(ctx, `UPDATE `+table+` SET next_at = ? WHERE `+key+` IN (SELECT `+key+` FROM `+table+`
		WHERE `+pending+` AND next_at <= ? ORDER BY `+order+` LIMIT ?`+lock+`) RETURNING `+cols,
		t.q.ts(now.Add(lease)), t.q.ts(now), clampLimit(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// PutPortalSync settles a claimed row (PutPortalSyncs of one).
func (t *Tx) PutPortalSync(ctx context.Context, s store.PortalSync) error {
	return t.PutPortalSyncs(ctx, []store.PortalSync{s})
}

// settled is a settled row as PutPortalSyncs sends it, in JSON: times in
// the dialect's text.
type settled struct {
	Code          string  `json:"code"`
	OK            bool    `json:"ok"`
	State         string  `json:"state"`
	SyncedVersion int     `json:"synced_version"`
	Known         int     `json:"known"`
	ProgressSent  int     `json:"progress_sent"`
	Attempts      int     `json:"attempts"`
	LastError     string  `json:"last_error"`
	SyncedAt      *string `json:"synced_at"`
	NextAt        string  `json:"next_at"`
	UpdatedAt     string  `json:"updated_at"`
}

// PutPortalSyncs settles claimed rows in one statement. A success of an
// older version than the row's leaves it pending, due at once, its lag
// counted from the change that raised the version (the row's updated_at).
func (t *Tx) PutPortalSyncs(ctx context.Context, rows []store.PortalSync) error {
	if len(rows) == 0 {
		return nil
	}
	text := func(at time.Time) string {
		if t.q.d == postgres {
			return at.UTC().Format(time.RFC3339Nano)
		}
		return t.q.ts(at).(string)
	}
	list := make([]settled, len(rows))
	for i, s := range rows {
		if s.State != store.PortalSynced && s.State != store.PortalFailed && s.State != store.PortalPending {
			return fmt.Errorf("put portal sync of %s: state %q", s.Code, s.State)
		}
		x := settled{Code: s.Code, OK: s.State == store.PortalSynced, State: s.State, SyncedVersion: s.SyncedVersion, ProgressSent: s.ProgressSent,
			Attempts: s.Attempts, LastError: s.LastError, NextAt: text(s.NextAt), UpdatedAt: text(s.UpdatedAt)}
		if s.Known {
			x.Known = 1
		}
		if !s.SyncedAt.IsZero() {
			v := text(s.SyncedAt)
			x.SyncedAt = &v
		}
		list[i] = x
	}
	data, err := json.Marshal(list)
	if err != nil {
		return err
	}
	from := `(SELECT json_extract(value, '$.code') AS code, json_extract(value, '$.ok') AS ok, json_extract(value, '$.state') AS state,
		json_extract(value, '$.synced_version') AS synced_version, json_extract(value, '$.known') AS known,
		json_extract(value, '$.progress_sent') AS progress_sent, json_extract(value, '$.attempts') AS attempts,
		json_extract(value, '$.last_error') AS last_error, json_extract(value, '$.synced_at') AS synced_at,
		json_extract(value, '$.next_at') AS next_at, json_extract(value, '$.updated_at') AS updated_at FROM json_each(?)) AS x`
	if t.q.d == postgres {
		from = `jsonb_to_recordset(CAST(? AS jsonb)) AS x(code text, ok boolean, state text, synced_version int, known int, progress_sent int,
			attempts int, last_error text, synced_at timestamptz, next_at timestamptz, updated_at timestamptz)`
	}
	newer := "x.ok AND portal_sync.version > x.synced_version"
	if t.q.d != postgres {
		newer = "x.ok = 1 AND portal_sync.version > x.synced_version"
	}
	_, err = t.q.exec(ctx, `UPDATE portal_sync SET synced_version = x.synced_version, known = x.known, progress_sent = x.progress_sent,
		attempts = x.attempts, last_error = x.last_error, synced_at = x.synced_at,
		state = CASE WHEN `+newer+` THEN 'pending' ELSE x.state END,
		next_at = CASE WHEN `+newer+` THEN x.updated_at ELSE x.next_at END,
		queued_at = CASE WHEN `+newer+` THEN portal_sync.updated_at ELSE portal_sync.queued_at END,
		updated_at = x.updated_at
		FROM `+from+` WHERE portal_sync.code = x.code`, string(data))
	if err != nil {
		return fmt.Errorf("put portal sync of %d dossiers: %w", len(rows), err)
	}
	return nil
}

// ResyncPortal queues rows again from the first progress entry.
func (t *Tx) ResyncPortal(ctx context.Context, codes []string, all bool, at time.Time) (int, error) {
	ts := t.q.ts(at)
	var res sql.Result
	var err error
	switch {
	case len(codes) == 0 && !all:
		res, err = t.q.exec(ctx, `UPDATE portal_sync SET state = 'pending', progress_sent = 0, attempts = 0, queued_at = ?, next_at = ?, updated_at = ?
			WHERE state = 'failed'`, ts, ts, ts)
	default:
		where, args := "WHERE true", []any{ts, ts, ts}
		if len(codes) > 0 {
			list, jerr := json.Marshal(codes)
			if jerr != nil {
				return 0, jerr
			}
			in := "(SELECT value FROM json_each(?))"
			if t.q.d == postgres {
				in = "(SELECT jsonb_array_elements_text(CAST(? AS jsonb)))"
			}
			where, args = "WHERE code IN "+in, append(args, string(list))
		}
		res, err = t.q.exec(ctx, `INSERT INTO portal_sync (code, state, version, queued_at, next_at, updated_at)
			SELECT code, 'pending', version, ?, ?, ? FROM dossiers `+where+`
			ON CONFLICT (code) DO UPDATE SET state = 'pending', version = excluded.version, progress_sent = 0, attempts = 0,
			last_error = '', queued_at = excluded.queued_at, next_at = excluded.next_at, updated_at = excluded.updated_at`, args...)
	}
	if err != nil {
		return 0, fmt.Errorf("resync portal: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PortalSync reads a dossier's row.
func (r Reader) PortalSync(ctx context.Context, code string) (store.PortalSync, error) {
	s, err := scanPortalSync(r.q.queryRow(ctx, "SELECT "+portalSyncCols+" FROM portal_sync WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return s, errs.New(errs.NotFound, "portal_sync.not_found", "Hồ sơ "+code+" chưa được đưa vào hàng đợi đồng bộ.", "no portal sync of "+code)
	}
	if err != nil {
		return s, fmt.Errorf("read portal sync of %s: %w", code, err)
	}
	return s, nil
}

// PortalSyncs lists rows: failed, then pending, then synced, oldest first.
func (r Reader) PortalSyncs(ctx context.Context, f store.PortalSyncFilter) ([]store.PortalSync, int, error) {
	where, args := "", []any{}
	if f.State != "" {
		where, args = " WHERE state = ?", append(args, f.State)
	}
	var total int
	if err := r.q.queryRow(ctx, "SELECT count(*) FROM portal_sync"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count portal sync: %w", err)
	}
	rows, err := r.q.query(ctx, "SELECT "+portalSyncCols+" FROM portal_sync"+where+
		" ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, queued_at, code LIMIT ? OFFSET ?",
		append(args, clampLimit(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list portal sync: %w", err)
	}
	defer rows.Close()
	var out []store.PortalSync
	for rows.Next() {
		s, err := scanPortalSync(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list portal sync: %w", err)
		}
		out = append(out, s)
	}
	return out, total, rows.Err()
}

// PortalSyncCounts counts the rows by state.
func (r Reader) PortalSyncCounts(ctx context.Context) (store.PortalSyncCounts, error) {
	c := store.PortalSyncCounts{ByState: map[string]int{}}
	rows, err := r.q.query(ctx, "SELECT state, count(*), min(queued_at) FROM portal_sync GROUP BY state")
	if err != nil {
		return c, fmt.Errorf("count portal sync: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		var oldest time.Time
		if err := rows.Scan(&state, &n, timeCol{&oldest}); err != nil {
			return c, fmt.Errorf("count portal sync: %w", err)
		}
		c.ByState[state] = n
		if state != store.PortalSynced && !oldest.IsZero() && (c.OldestQueued.IsZero() || oldest.Before(c.OldestQueued)) {
			c.OldestQueued = oldest
		}
	}
	return c, rows.Err()
}
