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

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

// Tx is one write transaction.
//
// What every transaction adds to shared rows is kept until it commits and
// written then, by seal: the audit entries, sealed into one of the audit
// log's chains, and the changes to the dashboard's counts, added to the
// shard of that chain. The chain's row is the last lock the transaction
// takes, and it then touches only rows of that chain, so concurrent
// transactions on PostgreSQL hold no row another waits for while they wait
// (no deadlock, whatever their number or nodes), and hold the shared rows
// for one round trip and their commit only.
type Tx struct {
	Reader
	// audit are the entries appended, in order; counts the changes to
	// dossier_counts, in order (see writeReq.run, which drops those of a
	// call rolled back to its savepoint).
	audit  []*audit.Entry
	counts []countDelta
	outbox []store.OutboxEvent // PostgreSQL: written by seal
	// read are the dossiers this transaction read or wrote, by code.
	read map[string]readDossier
	// forget are staged files seal deletes (see DB.ForgetStagedFile).
	forget []string
	// seq is the pool NextSequence numbers on outside the transaction
	// (PostgreSQL), nil to number inside it.
	seq *sql.DB
	// hooks are the AfterCommit functions of the calls run so far in this
	// transaction (see writeReq.run).
	hooks []func()
	// notify is the DB's OnOutbox function, nil if none.
	notify func()
}

// mark is how far a transaction's buffers went, to roll back to.
type mark struct{ audit, counts, outbox, hooks int }

func (t *Tx) mark() mark { return mark{len(t.audit), len(t.counts), len(t.outbox), len(t.hooks)} }

// rollbackTo forgets what was buffered after m.
func (t *Tx) rollbackTo(m mark) {
	clear(t.audit[m.audit:])
	t.audit, t.counts, t.outbox, t.hooks = t.audit[:m.audit], t.counts[:m.counts], t.outbox[:m.outbox], t.hooks[:m.hooks]
}

// AfterCommit registers fn to run once the calling Update's work has
// committed.
func (t *Tx) AfterCommit(fn func()) { t.hooks = append(t.hooks, fn) }

// SetMeta stores a setting.
func (t *Tx) SetMeta(ctx context.Context, key, value string) error {
	_, err := t.q.exec(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("store setting %s: %w", key, err)
	}
	return nil
}

// PutAgency inserts or replaces an agency.
func (t *Tx) PutAgency(ctx context.Context, a unit.Agency) error {
	hours, err := json.Marshal(a.OfficeHours)
	if err != nil {
		return fmt.Errorf("store agency %s: %w", a.ID, err)
	}
	var bank []byte
	if a.Bank != nil {
		if bank, err = json.Marshal(a.Bank); err != nil {
			return fmt.Errorf("store agency %s: %w", a.ID, err)
		}
	}
	_, err = t.q.exec(ctx, `INSERT INTO agencies (`+agencyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, sector = excluded.sector,
		province_code = excluded.province_code, commune_code = excluded.commune_code, parent_id = excluded.parent_id,
		office_hours = excluded.office_hours, provisional = excluded.provisional, updated_at = excluded.updated_at,
		receives_for_province = excluded.receives_for_province, bank = excluded.bank, signature_mode = excluded.signature_mode`,
		a.ID, a.Name, string(a.Kind), a.Sector, a.ProvinceCode, a.CommuneCode, a.ParentID, string(hours), a.Provisional, t.q.ts(a.UpdatedAt), a.ReceivesForProvince, string(bank),
		string(a.Signature()))
	if err != nil {
		return fmt.Errorf("store agency %s: %w", a.ID, err)
	}
	return nil
}

func accountSearch(a *identity.Account) string {
	return vntext.Fold(a.Username + " " + a.DisplayName + " " + a.CitizenID + " " + a.TaxCode)
}

// errCitizenIDTaken refuses a second citizen account with a citizen ID
// (the unique index accounts_citizen_id_unique, migration 00009). The ID
// is not echoed: the message may be logged.
func errCitizenIDTaken() error {
	return errs.New(errs.Conflict, "account.citizen_id_taken",
		"Số định danh cá nhân này đã thuộc một tài khoản công dân khác.", "the citizen ID belongs to another citizen account")
}

// isCitizenIDTaken reports a violation of the one-citizen-account-per-ID
// index: SQLite names the column, PostgreSQL the index.
func isCitizenIDTaken(err error) bool {
	return isUnique(err) && strings.Contains(err.Error(), "citizen_id")
}

// CreateAccount inserts an account and its grants and sets a.ID.
func (t *Tx) CreateAccount(ctx context.Context, a *identity.Account) error {
	err := t.q.queryRow(ctx, `INSERT INTO accounts (username, display_name, kind, citizen_id, identity_verified, tax_code, email, phone, commune_code, disabled, password_hash, search, created_at, tech_id, vneid)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Username, a.DisplayName, string(a.Kind), a.CitizenID, a.IdentityVerified, a.TaxCode, a.Email, a.Phone, a.CommuneCode, a.Disabled, a.PasswordHash, accountSearch(a), t.q.ts(a.CreatedAt), a.TechID, a.VNeID).Scan(&a.ID)
	if isCitizenIDTaken(err) {
		return errCitizenIDTaken()
	}
	if isUnique(err) {
		return errs.New(errs.Conflict, "account.exists", fmt.Sprintf("Tên đăng nhập %q đã được dùng.", a.Username), "username taken: "+a.Username)
	}
	if err != nil {
		return fmt.Errorf("create account %s: %w", a.Username, err)
	}
	return t.putGrants(ctx, a.ID, a.Grants)
}

func (t *Tx) putGrants(ctx context.Context, id int64, gs []identity.Grant) error {
	if _, err := t.q.exec(ctx, "DELETE FROM account_grants WHERE account_id = ?", id); err != nil {
		return fmt.Errorf("store grants: %w", err)
	}
	for _, g := range gs {
		_, err := t.q.exec(ctx, "INSERT INTO account_grants (account_id, role, agency_id, position) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", id, string(g.Role), g.AgencyID, g.Position)
		if isForeignKey(err) {
			return errs.New(errs.Invalid, "grant.unknown_agency", fmt.Sprintf("Không có cơ quan mã %q để giao vai trò.", g.AgencyID), "no agency "+g.AgencyID)
		}
		if err != nil {
			return fmt.Errorf("store grants: %w", err)
		}
	}
	return nil
}

// UpdateAccount stores an account's profile, grants, state and password;
// a disabled account's sessions are deleted.
func (t *Tx) UpdateAccount(ctx context.Context, a identity.Account) error {
	res, err := t.q.exec(ctx, `UPDATE accounts SET display_name = ?, citizen_id = ?, identity_verified = ?, tax_code = ?, email = ?, phone = ?,
		commune_code = ?, disabled = ?, password_hash = ?, search = ?, tech_id = ?, vneid = ? WHERE id = ?`,
		a.DisplayName, a.CitizenID, a.IdentityVerified, a.TaxCode, a.Email, a.Phone, a.CommuneCode, a.Disabled, a.PasswordHash, accountSearch(&a), a.TechID, a.VNeID, a.ID)
	if isCitizenIDTaken(err) {
		return errCitizenIDTaken()
	}
	if err != nil {
		return fmt.Errorf("update account %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("account.not_found", "Không tìm thấy tài khoản.", "account not found")
	}
	if a.Disabled {
		if _, err := t.DeleteAccountSessions(ctx, a.ID); err != nil {
			return err
		}
	}
	return t.putGrants(ctx, a.ID, a.Grants)
}

// CreateSession stores a session.
func (t *Tx) CreateSession(ctx context.Context, s identity.Session) error {
	if s.LastUsedAt.IsZero() {
		s.LastUsedAt = s.CreatedAt
	}
	_, err := t.q.exec(ctx, "INSERT INTO sessions ("+sessionCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		s.TokenHash, s.AccountID, t.q.ts(s.CreatedAt), t.q.ts(s.ExpiresAt), t.q.ts(s.LastUsedAt), s.IP, s.UserAgent)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// DeleteSession removes a session (logout).
func (t *Tx) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := t.q.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteAccountSessions removes every session of an account and returns
// how many there were.
func (t *Tx) DeleteAccountSessions(ctx context.Context, accountID int64) (int64, error) {
	res, err := t.q.exec(ctx, "DELETE FROM sessions WHERE account_id = ?", accountID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions of account %d: %w", accountID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// DeleteExpiredSessions removes sessions expired before now.
func (t *Tx) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := t.q.exec(ctx, "DELETE FROM sessions WHERE expires_at < ?", t.q.ts(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// PutProcedure inserts or replaces a procedure and its search index entry.
func (t *Tx) PutProcedure(ctx context.Context, p catalog.Procedure) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("store procedure %s: %w", p.Code, err)
	}
	search := procedureSearchText(&p)
	cols := "code, name, field, level, online_level, days, hours, name_lower, name_folded, data, updated_at"
	vals := "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
	set := `name = excluded.name, field = excluded.field, level = excluded.level, online_level = excluded.online_level,
		days = excluded.days, hours = excluded.hours, name_lower = excluded.name_lower, name_folded = excluded.name_folded,
		data = excluded.data, updated_at = excluded.updated_at`
	args := []any{p.Code, p.Name, p.Field, string(p.Level), string(p.OnlineLevel), p.ProcessingTime.Days, p.ProcessingTime.Hours,
		vntext.Lower(p.Name), vntext.Fold(p.Name), string(data), t.q.ts(p.UpdatedAt)}
	if t.q.d == postgres {
		cols += ", search"
		vals += ", to_tsvector('simple', ?)"
		set += ", search = excluded.search"
		args = append(args, search)
	}
	if _, err := t.q.exec(ctx, "INSERT INTO procedures ("+cols+") VALUES ("+vals+") ON CONFLICT (code) DO UPDATE SET "+set, args...); err != nil {
		return fmt.Errorf("store procedure %s: %w", p.Code, err)
	}
	if t.q.d == sqlite {
		var id int64
		if err := t.q.queryRow(ctx, "SELECT id FROM procedures WHERE code = ?", p.Code).Scan(&id); err != nil {
			return fmt.Errorf("index procedure %s: %w", p.Code, err)
		}
		if _, err := t.q.exec(ctx, "DELETE FROM procedures_fts WHERE rowid = ?", id); err != nil {
			return fmt.Errorf("index procedure %s: %w", p.Code, err)
		}
		if _, err := t.q.exec(ctx, "INSERT INTO procedures_fts (rowid, search) VALUES (?, ?)", id, search); err != nil {
			return fmt.Errorf("index procedure %s: %w", p.Code, err)
		}
	}
	return nil
}

// DeleteProcedure removes a procedure.
func (t *Tx) DeleteProcedure(ctx context.Context, code string) error {
	if t.q.d == sqlite {
		if _, err := t.q.exec(ctx, "DELETE FROM procedures_fts WHERE rowid = (SELECT id FROM procedures WHERE code = ?)", code); err != nil {
			return fmt.Errorf("unindex procedure %s: %w", code, err)
		}
	}
	res, err := t.q.exec(ctx, "DELETE FROM procedures WHERE code = ?", code)
	if err != nil {
		return fmt.Errorf("delete procedure %s: %w", code, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("procedure.not_found", fmt.Sprintf("Không có thủ tục mã %q.", code), "no procedure "+code)
	}
	return nil
}

// PutSchedule inserts or replaces the holiday schedule of a year.
func (t *Tx) PutSchedule(ctx context.Context, s calendar.Schedule) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("store schedule %d: %w", s.Year, err)
	}
	if _, err := t.q.exec(ctx, "INSERT INTO schedules (year, data) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET data = excluded.data", s.Year, string(data)); err != nil {
		return fmt.Errorf("store schedule %d: %w", s.Year, err)
	}
	return nil
}

// DeleteSchedule removes the schedule of a year (the rules apply again).
func (t *Tx) DeleteSchedule(ctx context.Context, year int) error {
	res, err := t.q.exec(ctx, "DELETE FROM schedules WHERE year = ?", year)
	if err != nil {
		return fmt.Errorf("delete schedule %d: %w", year, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("schedule.not_found", fmt.Sprintf("Chưa nạp lịch nghỉ năm %d.", year), fmt.Sprintf("no schedule for %d", year))
	}
	return nil
}

// AppendAudit appends e to the audit log in this transaction; it is sealed
// (its chain, sequence number and hashes set) as the transaction commits.
func (t *Tx) AppendAudit(ctx context.Context, e *audit.Entry) error {
	e.Truncate()
	t.audit = append(t.audit, e)
	return nil
}

// seal writes what the transaction kept for its commit (see Tx): it takes
// an audit chain, links the entries into it, and writes them, the counts
// (to the chain's shard), the outbox events and the chain's new head. On PostgreSQL that is
// two round trips: one to take a free chain (or, if every chain is taken,
// to wait for one) with the entries' sequence numbers, one for the rest.
func (t *Tx) seal(ctx context.Context) error {
	if len(t.forget) > 0 {
		if _, err := t.q.exec(ctx, "DELETE FROM staged_files WHERE sha256 IN (?"+strings.Repeat(", ?", len(t.forget)-1)+")", anys(t.forget)...); err != nil {
			return fmt.Errorf("delete staged files: %w", err)
		}
	}
	if len(t.audit) == 0 && len(t.counts) == 0 && len(t.outbox) == 0 {
		return nil
	}
	chain, hash, seqs, err := t.takeChain(ctx)
	if err != nil {
		return fmt.Errorf("seal transaction: %w", err)
	}
	for i, e := range t.audit {
		e.Link(chain, seqs[i], hash)
		hash = e.Hash
	}
	if t.q.d == sqlite {
		// In process: one cached statement per row costs less than
		// preparing statements of every size.
		for _, e := range t.audit {
			if _, err := t.q.exec(ctx, auditInsert(1), auditArgs(nil, e, t.q)...); err != nil {
				return fmt.Errorf("append audit: %w", err)
			}
		}
		n, args := t.countsArgs(0)
		for i := 0; i < n; i++ {
			row := args[i*(5+nCounts) : (i+1)*(5+nCounts)]
			if _, err := t.q.exec(ctx, countsUpsert(1), row...); err != nil {
				return fmt.Errorf("dossier counts: %w", err)
			}
		}
		if len(t.audit) > 0 {
			if _, err := t.q.exec(ctx, "UPDATE audit_chains SET seq = ?, hash = ? WHERE chain = ?", seqs[len(seqs)-1], hash, chain); err != nil {
				return fmt.Errorf("append audit: move head: %w", err)
			}
		}
		return nil
	}
	// PostgreSQL: the entries, the counts, the outbox events and the head
	// in one statement, unless there are so many rows (a bulk import)
	// that they go in chunks under the limit of 65,535 parameters first.
	type rows struct {
		name   string
		insert func(n int) string
		width  int
		args   []any
	}
	kinds := []rows{{name: "a", insert: auditInsert, width: 11}, {name: "c", insert: countsUpsert, width: 5 + nCounts}, {name: "o", insert: outboxInsert, width: 4}}
	for _, e := range t.audit {
		kinds[0].args = auditArgs(kinds[0].args, e, t.q)
	}
	_, kinds[1].args = t.countsArgs(chain)
	for _, e := range t.outbox {
		kinds[2].args = outboxArgs(kinds[2].args, e, t.q)
	}
	var parts []string
	var args []any
	for _, k := range kinds {
		for len(k.args) > sealChunk*k.width {
			if _, err := t.q.exec(ctx, k.insert(sealChunk), k.args[:sealChunk*k.width]...); err != nil {
				return fmt.Errorf("seal transaction: %w", err)
			}
			k.args = k.args[sealChunk*k.width:]
		}
		if len(k.args) > 0 {
			parts = append(parts, k.name+" AS ("+k.insert(len(k.args)/k.width)+")")
			args = append(args, k.args...)
		}
	}
	last := "SELECT 1"
	if len(t.audit) > 0 {
		last = "UPDATE audit_chains SET seq = ?, hash = ? WHERE chain = ?"
		args = append(args, seqs[len(seqs)-1], hash, chain)
	}
	stmt := last
	if len(parts) > 0 {
		stmt = "WITH " + strings.Join(parts, ", ") + " " + last
	}
	if _, err := t.q.exec(ctx, stmt, args...); err != nil {
		return fmt.Errorf("seal transaction: %w", err)
	}
	return nil
}

// sealChunk is the most rows of a kind one statement of seal writes on
// PostgreSQL: three kinds of at most 1,000 rows of at most 20 columns stay
// under the 65,535 parameters of a statement.
const sealChunk = 1000

func auditInsert(n int) string {
	const tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	return "INSERT INTO audit_log (" + auditCols + ") VALUES " + tuple + strings.Repeat(", "+tuple, n-1)
}

func auditArgs(args []any, e *audit.Entry, q q) []any {
	return append(args, e.Seq, q.ts(e.At), e.ActorID, e.Actor, e.Action, e.Object, e.IP, string(e.Details), e.PrevHash, e.Hash, e.Chain)
}

// takeChain locks an audit chain for the rest of the transaction and
// returns it, its last hash and the sequence numbers of the transaction's
// entries.
//
// SQLite has one writer and one chain; the numbers follow the last. On
// PostgreSQL the numbers come from the sequence audit_seq, drawn after
// the chain's row is locked: they increase along each chain, and the
// entries of a dossier are numbered in the order of its changes (a
// change holds the dossier's row until it commits).
func (t *Tx) takeChain(ctx context.Context) (chain int, hash string, seqs []int64, err error) {
	k := len(t.audit)
	if t.q.d == sqlite {
		var last int64
		err := t.q.queryRow(ctx, "SELECT hash, (SELECT coalesce(max(seq), 0) FROM audit_log) FROM audit_chains WHERE chain = 1").Scan(&hash, &last)
		if err != nil {
			return 0, "", nil, fmt.Errorf("read audit head: %w", err)
		}
		seqs = make([]int64, k)
		for i := range seqs {
			seqs[i] = last + 1 + int64(i)
		}
		return 1, hash, seqs, nil
	}
	const numbers = "(SELECT string_agg(nextval('audit_seq')::text, ',') FROM generate_series(1, ?::int))"
	var list sql.NullString
	err = t.q.queryRow(ctx, "SELECT c.chain, c.hash, "+numbers+" FROM (SELECT chain, hash FROM audit_chains FOR UPDATE SKIP LOCKED LIMIT 1) c", k).Scan(&chain, &hash, &list)
	if errors.Is(err, sql.ErrNoRows) {
		// Every chain is taken: wait for one, chosen at random so that
		// the waiters spread.
		err = t.q.queryRow(ctx, "SELECT c.chain, c.hash, "+numbers+" FROM (SELECT chain, hash FROM audit_chains ORDER BY random() LIMIT 1 FOR UPDATE) c", k).Scan(&chain, &hash, &list)
	}
	if err != nil {
		return 0, "", nil, fmt.Errorf("take an audit chain: %w", err)
	}
	if k == 0 {
		return chain, hash, nil, nil
	}
	for _, s := range strings.Split(list.String, ",") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, "", nil, fmt.Errorf("take an audit chain: sequence number %q: %w", s, err)
		}
		seqs = append(seqs, n)
	}
	if len(seqs) != k {
		return 0, "", nil, fmt.Errorf("take an audit chain: %d sequence numbers for %d entries", len(seqs), k)
	}
	return chain, hash, seqs, nil
}

func anys[T any](v []T) []any {
	out := make([]any, len(v))
	for i := range v {
		out[i] = v[i]
	}
	return out
}
