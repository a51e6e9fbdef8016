package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// StageFile keeps a file made in this transaction until it is written to
// the file store after the commit; its hash must be its content's.
func (t *Tx) StageFile(ctx context.Context, f store.StagedFile) error {
	if sum := sha256.Sum256(f.Content); hex.EncodeToString(sum[:]) != f.SHA256 {
		return errs.New(errs.Invalid, "file.hash_mismatch", "Mã băm của tệp không khớp với nội dung.", "staged file: hash does not match the content")
	}
	_, err := t.q.exec(ctx, "INSERT INTO staged_files (sha256, content_type, content, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
		f.SHA256, f.ContentType, f.Content, t.q.ts(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("stage file %s: %w", f.SHA256, err)
	}
	return nil
}

// DeleteStagedFile forgets a staged file (once written to the file store).
func (t *Tx) DeleteStagedFile(ctx context.Context, sum string) error {
	if _, err := t.q.exec(ctx, "DELETE FROM staged_files WHERE sha256 = ?", sum); err != nil {
		return fmt.Errorf("delete staged file %s: %w", sum, err)
	}
	return nil
}

const stagedCols = "sha256, content_type, content, created_at"

func scanStaged(sc interface{ Scan(...any) error }) (store.StagedFile, error) {
	var f store.StagedFile
	err := sc.Scan(&f.SHA256, &f.ContentType, &f.Content, timeCol{&f.CreatedAt})
	return f, err
}

// StagedFile returns a staged file by hash.
func (r Reader) StagedFile(ctx context.Context, sum string) (store.StagedFile, error) {
	f, err := scanStaged(r.q.queryRow(ctx, "SELECT "+stagedCols+" FROM staged_files WHERE sha256 = ?", sum))
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("file.not_staged", "Không có tệp đang chờ ghi với mã này.", "no staged file "+sum)
	}
	if err != nil {
		return f, fmt.Errorf("get staged file %s: %w", sum, err)
	}
	return f, nil
}

// StagedFiles returns up to limit staged files, oldest first.
func (r Reader) StagedFiles(ctx context.Context, limit int) ([]store.StagedFile, error) {
	rows, err := r.q.query(ctx, "SELECT "+stagedCols+" FROM staged_files ORDER BY created_at, sha256 LIMIT ?", clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list staged files: %w", err)
	}
	defer rows.Close()
	var out []store.StagedFile
	for rows.Next() {
		f, err := scanStaged(rows)
		if err != nil {
			return nil, fmt.Errorf("list staged files: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
