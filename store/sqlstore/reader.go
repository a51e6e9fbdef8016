package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

// Reader implements store.Reader on a pool or inside a transaction.
type Reader struct {
	q q
}

// Meta returns a setting ("" when unset).
func (r Reader) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := r.q.queryRow(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

const agencyCols = "id, name, kind, sector, province_code, commune_code, parent_id, office_hours, provisional, updated_at, receives_for_province, bank, signature_mode"

func scanAgency(sc interface{ Scan(...any) error }) (unit.Agency, error) {
	var a unit.Agency
	var hours []byte
	var bank string
	err := sc.Scan(&a.ID, &a.Name, &a.Kind, &a.Sector, &a.ProvinceCode, &a.CommuneCode, &a.ParentID, &hours, &a.Provisional, timeCol{&a.UpdatedAt}, &a.ReceivesForProvince, &bank, &a.SignatureMode)
	if err != nil {
		return a, err
	}
	if bank != "" {
		a.Bank = new(unit.BankAccount)
		if err := json.Unmarshal([]byte(bank), a.Bank); err != nil {
			return a, fmt.Errorf("agency %s bank account: %w", a.ID, err)
		}
	}
	if err := json.Unmarshal(hours, &a.OfficeHours); err != nil {
		return a, fmt.Errorf("agency %s office hours: %w", a.ID, err)
	}
	return a, nil
}

// Agency returns one agency by electronic ID.
func (r Reader) Agency(ctx context.Context, id string) (unit.Agency, error) {
	a, err := scanAgency(r.q.queryRow(ctx, "SELECT "+agencyCols+" FROM agencies WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("agency.not_found", fmt.Sprintf("Không có cơ quan mã %q.", id), "no agency "+id)
	}
	if err != nil {
		return a, fmt.Errorf("read agency %s: %w", id, err)
	}
	return a, nil
}

// Agencies lists agencies by kind, sector and commune.
func (r Reader) Agencies(ctx context.Context, f unit.AgencyFilter) ([]unit.Agency, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.Sector != "" {
		where, args = append(where, "sector = ?"), append(args, f.Sector)
	}
	if f.CommuneCode != "" {
		where, args = append(where, "commune_code = ?"), append(args, f.CommuneCode)
	}
	query := "SELECT " + agencyCols + " FROM agencies"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := r.q.query(ctx, query+" ORDER BY kind, commune_code, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	defer rows.Close()
	var out []unit.Agency
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, fmt.Errorf("list agencies: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

const accountCols = "id, username, display_name, kind, citizen_id, identity_verified, tax_code, email, phone, commune_code, disabled, password_hash, created_at, tech_id, vneid"

func scanAccount(sc interface{ Scan(...any) error }) (identity.Account, error) {
	var a identity.Account
	err := sc.Scan(&a.ID, &a.Username, &a.DisplayName, &a.Kind, &a.CitizenID, &a.IdentityVerified, &a.TaxCode, &a.Email, &a.Phone, &a.CommuneCode, &a.Disabled, &a.PasswordHash, timeCol{&a.CreatedAt}, &a.TechID, &a.VNeID)
	return a, err
}

func (r Reader) grants(ctx context.Context, ids []int64) (map[int64][]identity.Grant, error) {
	out := map[int64][]identity.Grant{}
	if len(ids) == 0 {
		return out, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := r.q.query(ctx, "SELECT g.account_id, g.role, g.agency_id, g.position, COALESCE(a.receives_for_province, false) FROM account_grants g"+
		" LEFT JOIN agencies a ON a.id = g.agency_id WHERE g.account_id IN ("+ph+") ORDER BY g.account_id, g.agency_id, g.role", args...)
	if err != nil {
		return nil, fmt.Errorf("read grants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var g identity.Grant
		if err := rows.Scan(&id, &g.Role, &g.AgencyID, &g.Position, &g.ForProvince); err != nil {
			return nil, fmt.Errorf("read grants: %w", err)
		}
		out[id] = append(out[id], g)
	}
	return out, rows.Err()
}

func (r Reader) accountWhere(ctx context.Context, where string, args ...any) (identity.Account, error) {
	a, err := scanAccount(r.q.queryRow(ctx, "SELECT "+accountCols+" FROM accounts WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("account.not_found", "Không tìm thấy tài khoản.", "account not found")
	}
	if err != nil {
		return a, fmt.Errorf("read account: %w", err)
	}
	g, err := r.grants(ctx, []int64{a.ID})
	if err != nil {
		return a, err
	}
	a.Grants = g[a.ID]
	return a, nil
}

// Account returns an account by ID, with its grants.
func (r Reader) Account(ctx context.Context, id int64) (identity.Account, error) {
	return r.accountWhere(ctx, "id = ?", id)
}

// AccountByUsername returns an account by username, with its grants.
func (r Reader) AccountByUsername(ctx context.Context, username string) (identity.Account, error) {
	return r.accountWhere(ctx, "username = ?", strings.ToLower(strings.TrimSpace(username)))
}

// Accounts lists accounts matching f, with the total count.
func (r Reader) Accounts(ctx context.Context, f identity.AccountFilter) ([]identity.Account, int, error) {
	var where []string
	var args []any
	if t := vntext.Fold(f.Text); t != "" {
		where, args = append(where, "search LIKE ?"), append(args, "%"+t+"%")
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(f.Kind))
	}
	if f.AgencyID != "" {
		where, args = append(where, "id IN (SELECT account_id FROM account_grants WHERE agency_id = ?)"), append(args, f.AgencyID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := r.q.queryRow(ctx, "SELECT count(*) FROM accounts"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count accounts: %w", err)
	}
	limit := clampLimit(f.Limit)
	rows, err := r.q.query(ctx, "SELECT "+accountCols+" FROM accounts"+cond+" ORDER BY username LIMIT ? OFFSET ?", append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []identity.Account
	var ids []int64
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, a)
		ids = append(ids, a.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list accounts: %w", err)
	}
	rows.Close()
	g, err := r.grants(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Grants = g[out[i].ID]
	}
	return out, total, nil
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 1000:
		return 1000
	}
	return n
}

// Session returns a session by token hash (expired ones included: the
// caller checks ExpiresAt against its clock).
func (r Reader) Session(ctx context.Context, tokenHash string) (identity.Session, error) {
	var s identity.Session
	err := scanSession(r.q.queryRow(ctx, "SELECT "+sessionCols+" FROM sessions WHERE token_hash = ?", tokenHash), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("session.not_found", "Phiên đăng nhập không tồn tại hoặc đã hết hạn.", "no such session")
	}
	if err != nil {
		return s, fmt.Errorf("read session: %w", err)
	}
	return s, nil
}

// Procedure returns one procedure by code.
func (r Reader) Procedure(ctx context.Context, code string) (catalog.Procedure, error) {
	var p catalog.Procedure
	var data []byte
	err := r.q.queryRow(ctx, "SELECT data FROM procedures WHERE code = ?", code).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("procedure.not_found", fmt.Sprintf("Không có thủ tục mã %q.", code), "no procedure "+code)
	}
	if err != nil {
		return p, fmt.Errorf("read procedure %s: %w", code, err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("decode procedure %s: %w", code, err)
	}
	return p, nil
}

// AllProcedures returns the whole catalogue, by code.
func (r Reader) AllProcedures(ctx context.Context) ([]catalog.Procedure, error) {
	return r.procedureDocs(ctx, "SELECT data FROM procedures ORDER BY code", "procedures")
}

// procedureDocs reads the procedures (JSON documents) a query selects.
func (r Reader) procedureDocs(ctx context.Context, query, what string) ([]catalog.Procedure, error) {
	rows, err := r.q.query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", what, err)
	}
	defer rows.Close()
	var out []catalog.Procedure
	for rows.Next() {
		var data []byte
		var p catalog.Procedure
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("list %s: %w", what, err)
		}
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("decode %s: %w", what, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Schedules returns the loaded yearly holiday schedules, by year.
func (r Reader) Schedules(ctx context.Context) ([]calendar.Schedule, error) {
	rows, err := r.q.query(ctx, "SELECT data FROM schedules ORDER BY year")
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	defer rows.Close()
	var out []calendar.Schedule
	for rows.Next() {
		var data []byte
		var s calendar.Schedule
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("list schedules: %w", err)
		}
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, fmt.Errorf("decode schedule: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

const auditCols = "seq, at, actor_id, actor, action, object, ip, details, prev_hash, hash, chain"

func scanAudit(sc interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	var details string
	err := sc.Scan(&e.Seq, timeCol{&e.At}, &e.ActorID, &e.Actor, &e.Action, &e.Object, &e.IP, &details, &e.PrevHash, &e.Hash, &e.Chain)
	if details != "" {
		e.Details = json.RawMessage(details)
	}
	return e, err
}

// AuditEntries lists audit entries, newest first.
func (r Reader) AuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	var where []string
	var args []any
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.Object != "" {
		where, args = append(where, "object = ?"), append(args, f.Object)
	}
	if f.BeforeSeq > 0 {
		where, args = append(where, "seq < ?"), append(args, f.BeforeSeq)
	}
	query := "SELECT " + auditCols + " FROM audit_log"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := r.q.query(ctx, query+" ORDER BY seq DESC LIMIT ?", append(args, clampLimit(f.Limit))...)
	if err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("list audit entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditHeads returns the head of every chain of the log, by chain.
func (r Reader) AuditHeads(ctx context.Context) ([]audit.Head, error) {
	rows, err := r.q.query(ctx, "SELECT chain, seq, hash FROM audit_chains ORDER BY chain")
	if err != nil {
		return nil, fmt.Errorf("read audit heads: %w", err)
	}
	defer rows.Close()
	var out []audit.Head
	for rows.Next() {
		var h audit.Head
		if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash); err != nil {
			return nil, fmt.Errorf("read audit heads: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// AuditScan calls fn for every entry in sequence order, in pages so that
// the scan holds no long read transaction.
func (r Reader) AuditScan(ctx context.Context, fn func(audit.Entry) error) error {
	const page = 5000
	after := int64(-1)
	for {
		rows, err := r.q.query(ctx, "SELECT "+auditCols+" FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", after, page)
		if err != nil {
			return fmt.Errorf("scan audit log: %w", err)
		}
		var batch []audit.Entry
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("scan audit log: %w", err)
			}
			batch = append(batch, e)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("scan audit log: %w", err)
		}
		for _, e := range batch {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(batch) < page {
			return nil
		}
		after = batch[len(batch)-1].Seq
	}
}
