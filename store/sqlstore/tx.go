package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

// Tx is one write transaction.
type Tx struct {
	Reader
	// head is the audit chain's head as this transaction moved it, nil
	// until the transaction appends; the row is locked when first read and
	// written back once, before commit (flushHead).
	head *auditHead
	// hooks are the AfterCommit functions of the calls run so far in this
	// transaction (see writeReq.run).
	hooks []func()
}

// AfterCommit registers fn to run once the calling Update's work has
// committed.
func (t *Tx) AfterCommit(fn func()) { t.hooks = append(t.hooks, fn) }

type auditHead struct {
	seq  int64
	hash string
	read int64 // seq when read: flushHead writes only a moved head
}

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
	_, err = t.q.exec(ctx, `INSERT INTO agencies (`+agencyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, sector = excluded.sector,
		province_code = excluded.province_code, commune_code = excluded.commune_code, parent_id = excluded.parent_id,
		office_hours = excluded.office_hours, provisional = excluded.provisional, updated_at = excluded.updated_at`,
		a.ID, a.Name, string(a.Kind), a.Sector, a.ProvinceCode, a.CommuneCode, a.ParentID, string(hours), a.Provisional, t.q.ts(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store agency %s: %w", a.ID, err)
	}
	return nil
}

func accountSearch(a *identity.Account) string {
	return vntext.Fold(a.Username + " " + a.DisplayName + " " + a.CitizenID + " " + a.TaxCode)
}

// CreateAccount inserts an account and its grants and sets a.ID.
func (t *Tx) CreateAccount(ctx context.Context, a *identity.Account) error {
	err := t.q.queryRow(ctx, `INSERT INTO accounts (username, display_name, kind, citizen_id, identity_verified, tax_code, email, phone, commune_code, disabled, password_hash, search, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Username, a.DisplayName, string(a.Kind), a.CitizenID, a.IdentityVerified, a.TaxCode, a.Email, a.Phone, a.CommuneCode, a.Disabled, a.PasswordHash, accountSearch(a), t.q.ts(a.CreatedAt)).Scan(&a.ID)
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
		_, err := t.q.exec(ctx, "INSERT INTO account_grants (account_id, role, agency_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", id, string(g.Role), g.AgencyID)
		if isForeignKey(err) {
			return errs.New(errs.Invalid, "grant.unknown_agency", fmt.Sprintf("Không có cơ quan mã %q để giao vai trò.", g.AgencyID), "no agency "+g.AgencyID)
		}
		if err != nil {
			return fmt.Errorf("store grants: %w", err)
		}
	}
	return nil
}

// UpdateAccount stores an account's profile, grants, state and password.
func (t *Tx) UpdateAccount(ctx context.Context, a identity.Account) error {
	res, err := t.q.exec(ctx, `UPDATE accounts SET display_name = ?, citizen_id = ?, identity_verified = ?, tax_code = ?, email = ?, phone = ?,
		commune_code = ?, disabled = ?, password_hash = ?, search = ? WHERE id = ?`,
		a.DisplayName, a.CitizenID, a.IdentityVerified, a.TaxCode, a.Email, a.Phone, a.CommuneCode, a.Disabled, a.PasswordHash, accountSearch(&a), a.ID)
	if err != nil {
		return fmt.Errorf("update account %d: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("account.not_found", "Không tìm thấy tài khoản.", "account not found")
	}
	return t.putGrants(ctx, a.ID, a.Grants)
}

// CreateSession stores a session.
func (t *Tx) CreateSession(ctx context.Context, s identity.Session) error {
	_, err := t.q.exec(ctx, "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?)",
		s.TokenHash, s.AccountID, t.q.ts(s.CreatedAt), t.q.ts(s.ExpiresAt), s.IP, s.UserAgent)
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

// AppendAudit seals e after the head and appends it, in this transaction.
func (t *Tx) AppendAudit(ctx context.Context, e *audit.Entry) error {
	if t.head == nil {
		if err := t.lockHead(ctx); err != nil {
			return err
		}
	}
	e.Seal(t.head.seq, t.head.hash)
	_, err := t.q.exec(ctx, "INSERT INTO audit_log ("+auditCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.Seq, t.q.ts(e.At), e.ActorID, e.Actor, e.Action, e.Object, e.IP, string(e.Details), e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	t.head.seq, t.head.hash = e.Seq, e.Hash
	return nil
}

// AuditHead is the head as this transaction sees it.
func (t *Tx) AuditHead(ctx context.Context) (int64, string, error) {
	if t.head != nil {
		return t.head.seq, t.head.hash, nil
	}
	return t.Reader.AuditHead(ctx)
}

// lockHead reads the audit chain's head, locking its row until the
// transaction ends.
func (t *Tx) lockHead(ctx context.Context) error {
	var h auditHead
	if err := t.q.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1"+t.q.forUpdate()).Scan(&h.seq, &h.hash); err != nil {
		return fmt.Errorf("append audit: read head: %w", err)
	}
	h.read = h.seq
	t.head = &h
	return nil
}

// flushHead writes the moved head back.
func (t *Tx) flushHead(ctx context.Context) error {
	if t.head == nil || t.head.seq == t.head.read {
		return nil // nothing appended: the row is as read
	}
	if _, err := t.q.exec(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", t.head.seq, t.head.hash); err != nil {
		return fmt.Errorf("append audit: move head: %w", err)
	}
	return nil
}
