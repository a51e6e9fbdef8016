package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// File returns an uploaded file's record.
func (r Reader) File(ctx context.Context, id string) (blob.File, error) {
	var f blob.File
	err := r.q.queryRow(ctx, "SELECT id, sha256, size, content_type, name, owner_id, created_at FROM files WHERE id = ?", id).
		Scan(&f.ID, &f.SHA256, &f.Size, &f.ContentType, &f.Name, &f.OwnerID, timeCol{&f.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("file.not_found", fmt.Sprintf("Không có tệp %q.", id), "no file "+id)
	}
	if err != nil {
		return f, fmt.Errorf("get file %s: %w", id, err)
	}
	return f, nil
}

// CreateFile records an uploaded file.
func (t *Tx) CreateFile(ctx context.Context, f blob.File) error {
	_, err := t.q.exec(ctx, "INSERT INTO files (id, sha256, size, content_type, name, owner_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		f.ID, f.SHA256, f.Size, f.ContentType, f.Name, f.OwnerID, t.q.ts(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("store file %s: %w", f.ID, err)
	}
	return nil
}

// NextSequence increments and returns the agency's sequence of the day.
//
// On SQLite, which has one writer, the number is taken in the transaction:
// a rolled-back submission gives its number back. On PostgreSQL the number
// is taken in a short transaction of its own (on a small pool of its own,
// so that it never waits for a connection a transaction holds): taken in
// the submission's transaction, the agency's row would stay locked until
// that commits, and every submission to the agency would wait for the one
// before it (measured: 23 of 32 connections waiting on that row, 63
// walks/s). The cost: a submission that fails after it was numbered
// leaves its number unused, a gap in the day's numbers; a number is never
// given twice.
func (t *Tx) NextSequence(ctx context.Context, agencyID, day string) (int, error) {
	q := t.q
	if t.seq != nil {
		q = q.on(t.seq)
	}
	var n int
	err := q.queryRow(ctx, `INSERT INTO dossier_seq (agency_id, day, last) VALUES (?, ?, 1)
		ON CONFLICT (agency_id, day) DO UPDATE SET last = dossier_seq.last + 1 RETURNING last`, agencyID, day).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next dossier number of %s on %s: %w", agencyID, day, err)
	}
	return n, nil
}

// dossierArgs are the indexed columns beside the JSON document.
func (q q) dossierArgs(d *dossier.Dossier) ([]any, error) {
	data, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	role, agency := "", ""
	if s := d.CurrentStep(); s != nil {
		role, agency = string(s.Role), s.AgencyID
	}
	var received, due any
	if d.ReceivedAt != nil {
		received = q.ts(*d.ReceivedAt)
	}
	if !d.Deadline.Due.IsZero() {
		due = q.ts(d.Deadline.Due)
	}
	updated := d.SubmittedAt
	if n := len(d.History); n > 0 {
		updated = d.History[n-1].At
	}
	c := countsOf(d)
	var finished, late, running any
	if c.finished != nil {
		finished = q.ts(*c.finished)
	}
	if c.late != nil {
		late = *c.late
	}
	if at, ok := d.RunningDeadline(); ok {
		running = q.ts(at)
	}
	return []any{int(d.Status), d.Applicant.AccountID, d.ReceivingAgency, d.CompetentAgency, role, agency,
		received, due, string(data), d.Version, q.ts(updated), c.commune, finished, late, running}, nil
}

// CreateDossier inserts a new dossier and sets d.ID.
func (t *Tx) CreateDossier(ctx context.Context, d *dossier.Dossier) error {
	args, err := t.q.dossierArgs(d)
	if err != nil {
		return fmt.Errorf("store dossier %s: %w", d.Code, err)
	}
	all := append([]any{d.Code, d.ProcedureCode, int(d.Channel), t.q.ts(d.SubmittedAt), d.NationalCode}, args...)
	err = t.q.queryRow(ctx, `INSERT INTO dossiers (code, procedure_code, channel, submitted_at, national_code, status, applicant_id, receiving_agency,
		competent_agency, step_role, step_agency, received_at, due_at, data, version, updated_at, commune_code, finished_at, late, running_due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, all...).Scan(&d.ID)
	if isUnique(err) && d.NationalCode != "" && strings.Contains(err.Error(), "national_code") {
		return errs.New(errs.Conflict, "dossier.national_exists", fmt.Sprintf("Hồ sơ mã %s trên Cổng Dịch vụ công quốc gia đã được tiếp nhận.", d.NationalCode),
			"national dossier code taken: "+d.NationalCode)
	}
	if isUnique(err) {
		return errs.New(errs.Conflict, "dossier.exists", fmt.Sprintf("Mã hồ sơ %s đã tồn tại.", d.Code), "dossier code taken: "+d.Code)
	}
	if err != nil {
		return fmt.Errorf("store dossier %s: %w", d.Code, err)
	}
	if err := t.applyCounts(ctx, nil, countsOf(d)); err != nil {
		return fmt.Errorf("store dossier %s: %w", d.Code, err)
	}
	return t.markAttached(ctx, d)
}

// UpdateDossier stores d if the stored version is d.Version-1.
func (t *Tx) UpdateDossier(ctx context.Context, d *dossier.Dossier) error {
	args, err := t.q.dossierArgs(d)
	if err != nil {
		return fmt.Errorf("store dossier %s: %w", d.Code, err)
	}
	// What the stored version adds to the counts: known if this
	// transaction read it (the UPDATE below checks the version), else read.
	var old *countState
	if r, ok := t.read[d.Code]; ok && r.version == d.Version-1 {
		old = &r.counts
	} else if old, err = t.storedCounts(ctx, d.Code); err != nil {
		return fmt.Errorf("store dossier %s: %w", d.Code, err)
	}
	args = append(args, d.Code, d.Version-1)
	res, err := t.q.exec(ctx, `UPDATE dossiers SET status = ?, applicant_id = ?, receiving_agency = ?, competent_agency = ?,
		step_role = ?, step_agency = ?, received_at = ?, due_at = ?, data = ?, version = ?, updated_at = ?,
		commune_code = ?, finished_at = ?, late = ?, running_due_at = ?
		WHERE code = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("store dossier %s: %w", d.Code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.Conflict, "dossier.changed", "Hồ sơ vừa được người khác cập nhật; hãy tải lại và thử lại.", "dossier "+d.Code+" changed concurrently")
	}
	if err := t.markAttached(ctx, d); err != nil {
		return err
	}
	now := countsOf(d)
	if err := t.applyCounts(ctx, old, now); err != nil {
		return fmt.Errorf("store dossier %s: %w", d.Code, err)
	}
	t.remember(d.Code, d.Version, now)
	return nil
}

// readDossier is what a transaction knows of a dossier it read or wrote.
type readDossier struct {
	version int
	counts  countState
}

func (t *Tx) remember(code string, version int, c countState) {
	if t.read == nil {
		t.read = map[string]readDossier{}
	}
	t.read[code] = readDossier{version, c}
}

// Dossier returns one dossier by code, as this transaction sees it.
func (t *Tx) Dossier(ctx context.Context, code string) (dossier.Dossier, error) {
	d, err := t.Reader.Dossier(ctx, code)
	if err == nil {
		t.remember(code, d.Version, countsOf(&d))
	}
	return d, err
}

// dossierCols are the columns scanDossier reads: the document and the
// rating, from dossiers LEFT JOIN ratings (no column name in common with
// the lists' orders).
const dossierCols = "dossiers.id, dossiers.data, ratings.account_id, ratings.stars, ratings.comment, ratings.created_at"

func scanDossier(sc interface{ Scan(...any) error }) (dossier.Dossier, error) {
	var d dossier.Dossier
	var id int64
	var data []byte
	var account, stars sql.NullInt64
	var comment sql.NullString
	var rated time.Time
	if err := sc.Scan(&id, &data, &account, &stars, &comment, timeCol{&rated}); err != nil {
		return d, err
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return d, fmt.Errorf("decode dossier: %w", err)
	}
	d.ID = id
	if stars.Valid {
		d.Rating = &dossier.Rating{DossierCode: d.Code, AccountID: account.Int64, Stars: int(stars.Int64), Comment: comment.String, At: rated}
	}
	return d, nil
}

// Dossier returns one dossier by code, with its rating.
func (r Reader) Dossier(ctx context.Context, code string) (dossier.Dossier, error) {
	d, err := scanDossier(r.q.queryRow(ctx, "SELECT "+dossierCols+" FROM dossiers LEFT JOIN ratings ON ratings.dossier_code = dossiers.code WHERE dossiers.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return d, dossier.NotFound(code)
	}
	if err != nil {
		return d, fmt.Errorf("get dossier %s: %w", code, err)
	}
	return d, nil
}

// DossiersByCode returns the dossiers of codes that exist, by code, in
// one query.
func (r Reader) DossiersByCode(ctx context.Context, codes []string) (map[string]dossier.Dossier, error) {
	out := make(map[string]dossier.Dossier, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	list, err := json.Marshal(codes)
	if err != nil {
		return nil, err
	}
	in := "(SELECT value FROM json_each(?))"
	if r.q.d == postgres {
		in = "(SELECT jsonb_array_elements_text(CAST(? AS jsonb)))"
	}
	rows, err := r.q.query(ctx, "SELECT "+dossierCols+" FROM dossiers LEFT JOIN ratings ON ratings.dossier_code = dossiers.code WHERE dossiers.code IN "+in, string(list))
	if err != nil {
		return nil, fmt.Errorf("get %d dossiers: %w", len(codes), err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDossier(rows)
		if err != nil {
			return nil, fmt.Errorf("get %d dossiers: %w", len(codes), err)
		}
		out[d.Code] = d
	}
	return out, rows.Err()
}

// DossierByNationalCode returns the dossier handed over under a national
// portal's code.
func (r Reader) DossierByNationalCode(ctx context.Context, nationalCode string) (dossier.Dossier, error) {
	if nationalCode == "" {
		return dossier.Dossier{}, dossier.NotFound(nationalCode)
	}
	d, err := scanDossier(r.q.queryRow(ctx, "SELECT "+dossierCols+" FROM dossiers LEFT JOIN ratings ON ratings.dossier_code = dossiers.code WHERE dossiers.national_code = ?", nationalCode))
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.New(errs.NotFound, "dossier.not_found", fmt.Sprintf("Không có hồ sơ mã %q của Cổng Dịch vụ công quốc gia.", nationalCode), "no dossier of national code "+nationalCode)
	}
	if err != nil {
		return d, fmt.Errorf("get dossier of national code %s: %w", nationalCode, err)
	}
	return d, nil
}

// Dossiers lists dossiers by filter, with their ratings.
func (r Reader) Dossiers(ctx context.Context, f dossier.Filter) ([]dossier.Dossier, int, error) {
	cond, args, ok := r.q.dossierWhere(f, true)
	if !ok {
		return []dossier.Dossier{}, 0, nil
	}
	order := "submitted_at DESC, id DESC"
	switch {
	case f.Overdue || !f.DueBy.IsZero():
		order = "running_due_at, id"
	case f.Inbox != nil:
		// Overdue first: the running deadlines, soonest first, then the
		// paused and those without a deadline.
		order = "CASE WHEN running_due_at IS NULL THEN 1 ELSE 0 END, running_due_at, due_at, submitted_at, id"
	}
	var total int
	if err := r.q.queryRow(ctx, "SELECT count(*) FROM dossiers"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("list dossiers: %w", err)
	}
	out := []dossier.Dossier{}
	if total == 0 || f.Offset >= total {
		return out, total, nil
	}
	// The page's ids first, sorted over the index alone, then their
	// documents and ratings: sorting whole rows would read every match's
	// document.
	rows, err := r.q.query(ctx, "SELECT "+dossierCols+" FROM dossiers LEFT JOIN ratings ON ratings.dossier_code = dossiers.code"+
		" WHERE dossiers.id IN (SELECT id FROM dossiers"+cond+" ORDER BY "+order+" LIMIT ? OFFSET ?) ORDER BY "+order,
		append(args, clampLimit(f.Limit), max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list dossiers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDossier(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list dossiers: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list dossiers: %w", err)
	}
	return out, total, nil
}

// DossierStatusCounts counts the dossiers of f by status.
func (r Reader) DossierStatusCounts(ctx context.Context, f dossier.Filter) (map[int]int, error) {
	f.Status = 0
	out := map[int]int{}
	cond, args, ok := r.q.dossierWhere(f, true)
	if !ok {
		return out, nil
	}
	rows, err := r.q.query(ctx, "SELECT status, count(*) FROM dossiers"+cond+" GROUP BY status", args...)
	if err != nil {
		return nil, fmt.Errorf("count dossiers by status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st, n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count dossiers by status: %w", err)
		}
		out[st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count dossiers by status: %w", err)
	}
	return out, nil
}

// dossierWhere builds the WHERE clause of f; ok is false when f selects
// nothing (an inbox without a handling grant).
func (q q) dossierWhere(f dossier.Filter, withStatus bool) (cond string, args []any, ok bool) {
	var where []string
	add := func(c string, a ...any) { where, args = append(where, c), append(args, a...) }
	if f.ApplicantID != 0 {
		add("applicant_id = ?", f.ApplicantID)
	}
	if f.Agency != "" {
		add("(competent_agency = ? OR receiving_agency = ?)", f.Agency, f.Agency)
	}
	if f.CompetentAgency != "" {
		add("competent_agency = ?", f.CompetentAgency)
	}
	if f.CommuneCode != "" {
		add("commune_code = ?", f.CommuneCode)
	}
	if f.ProcedureCode != "" {
		add("procedure_code = ?", f.ProcedureCode)
	}
	if f.Channel != 0 {
		add("channel = ?", f.Channel)
	}
	if c := strings.ToUpper(strings.TrimSpace(f.Code)); len(c) >= 20 && strings.Count(c, "-") == 2 {
		add("code = ?", c) // a whole code: the unique index
	} else if c != "" {
		c = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(c)
		add(`code LIKE ? ESCAPE '\'`, "%"+c+"%")
	}
	if withStatus && f.Status != 0 {
		add("status = ?", f.Status)
	}
	for _, b := range []struct {
		col, op string
		t       time.Time
	}{
		{"received_at", ">=", f.From}, {"received_at", "<", f.To},
		{"submitted_at", ">=", f.SubmittedFrom}, {"submitted_at", "<", f.SubmittedTo},
		{"finished_at", ">=", f.FinishedFrom}, {"finished_at", "<", f.FinishedTo},
	} {
		if !b.t.IsZero() {
			add(b.col+" "+b.op+" ?", q.ts(b.t))
		}
	}
	switch f.Timeliness {
	case dossier.OnTime:
		add("late = 0")
	case dossier.Late:
		add("late = 1")
	}
	if f.Overdue {
		add("running_due_at < ?", q.ts(f.Now))
	}
	if !f.DueBy.IsZero() {
		add("running_due_at >= ? AND running_due_at <= ?", q.ts(f.Now), q.ts(f.DueBy))
	}
	if f.Inbox != nil {
		var or []string
		for _, g := range inboxGrants(f.Inbox) {
			switch {
			case g.Role != identity.RoleReceiver:
				or, args = append(or, "(step_role = ? AND step_agency = ?)"), append(args, string(g.Role), g.AgencyID)
			case g.ForProvince:
				// A counter that receives for the province: every online
				// dossier waiting for a counter (dossier.IntakeCounter).
				or, args = append(or, "(step_role = ? AND step_agency IN (?, ''))"), append(args, string(g.Role), g.AgencyID)
			default:
				or, args = append(or, "(step_role = ? AND (step_agency = ? OR (step_agency = '' AND competent_agency = ?)))"), append(args, string(g.Role), g.AgencyID, g.AgencyID)
			}
			if g.Role == identity.RoleReceiver {
				or, args = append(or, "(status = ? AND receiving_agency = ?)"), append(args, int(dossier.StatusDone), g.AgencyID)
			}
		}
		if len(or) == 0 {
			return "", nil, false
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if len(where) == 0 {
		return "", args, true
	}
	return " WHERE " + strings.Join(where, " AND "), args, true
}

// inboxGrants keeps the grants that handle dossiers, without repeats.
func inboxGrants(gs []identity.Grant) []identity.Grant {
	seen := map[identity.Grant]bool{}
	var out []identity.Grant
	for _, g := range gs {
		switch g.Role {
		case identity.RoleReceiver, identity.RoleSpecialist, identity.RoleLeader, identity.RoleClerk:
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}

// AppendOutbox adds an event to publish after commit.
//
// On PostgreSQL the event is written with the audit entries as the
// transaction commits (see Tx.seal), one round trip fewer per change; its
// payload is checked now.
func (t *Tx) AppendOutbox(ctx context.Context, e store.OutboxEvent) error {
	if t.notify != nil {
		t.AfterCommit(t.notify)
	}
	if t.q.d == postgres {
		if !json.Valid(e.Payload) {
			return fmt.Errorf("outbox %s: the payload is not JSON", e.Topic)
		}
		t.outbox = append(t.outbox, e)
		return nil
	}
	_, err := t.q.exec(ctx, outboxInsert(1), outboxArgs(nil, e, t.q)...)
	if err != nil {
		return fmt.Errorf("outbox %s: %w", e.Topic, err)
	}
	return nil
}

func outboxInsert(n int) string {
	const tuple = "(?, ?, ?, ?)"
	return "INSERT INTO outbox (at, topic, key, payload) VALUES " + tuple + strings.Repeat(", "+tuple, n-1)
}

func outboxArgs(args []any, e store.OutboxEvent, q q) []any {
	return append(args, q.ts(e.At), e.Topic, e.Key, string(e.Payload))
}

// PendingOutbox returns the oldest unpublished events.
func (r Reader) PendingOutbox(ctx context.Context, limit int) ([]store.OutboxEvent, error) {
	rows, err := r.q.query(ctx, "SELECT id, at, topic, key, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?", clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	defer rows.Close()
	var out []store.OutboxEvent
	for rows.Next() {
		var e store.OutboxEvent
		var payload string
		if err := rows.Scan(&e.ID, timeCol{&e.At}, &e.Topic, &e.Key, &payload); err != nil {
			return nil, fmt.Errorf("pending outbox: %w", err)
		}
		e.Payload = []byte(payload)
		out = append(out, e)
	}
	return out, rows.Err()
}

// OutboxBacklog counts the unpublished events and finds the oldest (the
// index outbox_pending holds them first).
func (r Reader) OutboxBacklog(ctx context.Context) (store.OutboxBacklog, error) {
	var b store.OutboxBacklog
	if err := r.q.queryRow(ctx, "SELECT count(*), min(at) FROM outbox WHERE published_at IS NULL").Scan(&b.Pending, timeCol{&b.Oldest}); err != nil {
		return store.OutboxBacklog{}, fmt.Errorf("outbox backlog: %w", err)
	}
	return b, nil
}

// MarkPublished records that events were published, in one statement
// whatever their number: the ids go as one parameter (a JSON array read by
// json_each on SQLite, an array on PostgreSQL), so the statement's text,
// and SQLite's cached statement, is the same for every batch. An event
// marked already (by another node's relay) keeps its first time.
func (t *Tx) MarkPublished(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	in := "(SELECT value FROM json_each(?))"
	param := "[" + strings.Join(list, ",") + "]"
	if t.q.d == postgres {
		in = "(SELECT unnest(CAST(? AS bigint[])))"
		param = "{" + strings.Join(list, ",") + "}"
	}
	if _, err := t.q.exec(ctx, "UPDATE outbox SET published_at = ? WHERE published_at IS NULL AND id IN "+in, t.q.ts(at), param); err != nil {
		return fmt.Errorf("mark %d events published: %w", len(ids), err)
	}
	return nil
}

// CreateRating stores the rating of a dossier, once.
func (t *Tx) CreateRating(ctx context.Context, r dossier.Rating) error {
	_, err := t.q.exec(ctx, "INSERT INTO ratings (dossier_code, account_id, stars, comment, created_at) VALUES (?, ?, ?, ?, ?)",
		r.DossierCode, r.AccountID, r.Stars, r.Comment, t.q.ts(r.At))
	if isUnique(err) {
		return errs.New(errs.Conflict, "rating.exists", "Hồ sơ này đã được đánh giá.", "dossier already rated")
	}
	if err != nil {
		return fmt.Errorf("store rating of %s: %w", r.DossierCode, err)
	}
	return nil
}

// Rating returns the rating of a dossier.
func (r Reader) Rating(ctx context.Context, code string) (dossier.Rating, error) {
	var x dossier.Rating
	err := r.q.queryRow(ctx, "SELECT dossier_code, account_id, stars, comment, created_at FROM ratings WHERE dossier_code = ?", code).
		Scan(&x.DossierCode, &x.AccountID, &x.Stars, &x.Comment, timeCol{&x.At})
	if errors.Is(err, sql.ErrNoRows) {
		return x, notFound("rating.not_found", "Hồ sơ chưa được đánh giá.", "no rating for "+code)
	}
	if err != nil {
		return x, fmt.Errorf("get rating of %s: %w", code, err)
	}
	return x, nil
}

// NextRegisterNumber returns the next number of the agency's register
// series for the year (1, 2, …), taken in this transaction: the row stays
// locked until it commits, and a rollback gives the number back, so the
// series has no gap.
func (t *Tx) NextRegisterNumber(ctx context.Context, agencyID, register string, year int) (int, error) {
	var n int
	err := t.q.queryRow(ctx, `INSERT INTO register_numbers (agency_id, register, year, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (agency_id, register, year) DO UPDATE SET last = register_numbers.last + 1 RETURNING last`, agencyID, register, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next number of register %s of %s in %d: %w", register, agencyID, year, err)
	}
	return n, nil
}
