package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/motcua/motcua/catalog"
)

// Drafts of procedures the national catalogue has and the province's does
// not yet (issue 13): kept apart from procedures, so that nothing offers
// or searches a procedure still missing its form, workflow or competent
// agency, and nothing reading the catalogue meets an invalid one.

// ProcedureDraft returns a procedure's draft.
func (r Reader) ProcedureDraft(ctx context.Context, code string) (catalog.Procedure, error) {
	var p catalog.Procedure
	var data []byte
	err := r.q.queryRow(ctx, "SELECT data FROM procedure_drafts WHERE code = ?", code).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("procedure.draft_not_found", fmt.Sprintf("Không có bản nháp thủ tục mã %q.", code), "no draft of procedure "+code)
	}
	if err != nil {
		return p, fmt.Errorf("read procedure draft %s: %w", code, err)
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("decode procedure draft %s: %w", code, err)
	}
	return p, nil
}

// ProcedureDrafts returns every draft, by code.
func (r Reader) ProcedureDrafts(ctx context.Context) ([]catalog.Procedure, error) {
	return r.procedureDocs(ctx, "SELECT data FROM procedure_drafts ORDER BY code", "procedure drafts")
}

// PutProcedureDraft inserts or replaces a draft.
func (t *Tx) PutProcedureDraft(ctx context.Context, p catalog.Procedure) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("store procedure draft %s: %w", p.Code, err)
	}
	_, err = t.q.exec(ctx, `INSERT INTO procedure_drafts (code, data, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`, p.Code, string(data), t.q.ts(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store procedure draft %s: %w", p.Code, err)
	}
	return nil
}

// DeleteProcedureDraft deletes a draft (none: no error).
func (t *Tx) DeleteProcedureDraft(ctx context.Context, code string) error {
	if _, err := t.q.exec(ctx, "DELETE FROM procedure_drafts WHERE code = ?", code); err != nil {
		return fmt.Errorf("delete procedure draft %s: %w", code, err)
	}
	return nil
}
