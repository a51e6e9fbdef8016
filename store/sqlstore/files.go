package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/store"
)

// UploadUsage counts an account's uploads since a time and the bytes of
// its uploads no dossier references yet.
func (r Reader) UploadUsage(ctx context.Context, ownerID int64, since time.Time) (store.UploadUsage, error) {
	var u store.UploadUsage
	err := r.q.queryRow(ctx, "SELECT count(*) FROM files WHERE owner_id = ? AND created_at >= ?", ownerID, r.q.ts(since)).
		Scan(&u.Count)
	if err != nil {
		return u, fmt.Errorf("upload usage of %d: %w", ownerID, err)
	}
	if u.Count > 0 {
		if err := r.q.queryRow(ctx, "SELECT min(created_at) FROM files WHERE owner_id = ? AND created_at >= ?", ownerID, r.q.ts(since)).
			Scan(timeCol{&u.Oldest}); err != nil {
			return u, fmt.Errorf("upload usage of %d: %w", ownerID, err)
		}
	}
	var unattached sql.NullInt64
	if err := r.q.queryRow(ctx, "SELECT sum(size) FROM files WHERE owner_id = ? AND attached = 0", ownerID).Scan(&unattached); err != nil {
		return u, fmt.Errorf("upload usage of %d: %w", ownerID, err)
	}
	u.UnattachedBytes = unattached.Int64
	return u, nil
}

// UnattachedFiles returns up to limit uploads created before a time that no
// dossier references, oldest first.
func (r Reader) UnattachedFiles(ctx context.Context, before time.Time, limit int) ([]blob.File, error) {
	rows, err := r.q.query(ctx, "SELECT id, sha256, size, content_type, name, owner_id, created_at FROM files WHERE attached = 0 AND created_at < ? ORDER BY created_at, id LIMIT ?",
		r.q.ts(before), clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("list unattached files: %w", err)
	}
	defer rows.Close()
	var out []blob.File
	for rows.Next() {
		var f blob.File
		if err := rows.Scan(&f.ID, &f.SHA256, &f.Size, &f.ContentType, &f.Name, &f.OwnerID, timeCol{&f.CreatedAt}); err != nil {
			return nil, fmt.Errorf("list unattached files: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list unattached files: %w", err)
	}
	return out, nil
}

// FileContentReferenced reports whether anything still refers to the
// stored content sum: an upload, a staged file, a dossier (its result) or
// a personal document. The last two are found in their JSON by the hash
// (64 hex digits: a match is the reference); they are looked at only
// when no upload refers to it.
func (r Reader) FileContentReferenced(ctx context.Context, sum string) (bool, error) {
	data, doc := "data", "doc"
	if r.q.d == postgres {
		data = "data::text"
	}
	like := "%" + escapeLike(sum) + "%"
	for _, q := range []struct {
		query string
		arg   any
	}{
		{"SELECT 1 FROM files WHERE sha256 = ? LIMIT 1", sum},
		{"SELECT 1 FROM staged_files WHERE sha256 = ? LIMIT 1", sum},
		{"SELECT 1 FROM dossiers WHERE " + data + " LIKE ? LIMIT 1", like},
		{"SELECT 1 FROM documents WHERE " + doc + " LIKE ? LIMIT 1", like},
	} {
		var one int
		err := r.q.queryRow(ctx, q.query, q.arg).Scan(&one)
		if err == nil {
			return true, nil
		}
		if err != sql.ErrNoRows {
			return false, fmt.Errorf("references to file %s: %w", sum, err)
		}
	}
	return false, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// DeleteFile deletes an upload's record (not its content: see
// FileContentReferenced).
func (t *Tx) DeleteFile(ctx context.Context, id string) error {
	if _, err := t.q.exec(ctx, "DELETE FROM files WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete file %s: %w", id, err)
	}
	return nil
}

// markAttached marks the uploads d's components reference as attached.
func (t *Tx) markAttached(ctx context.Context, d *dossier.Dossier) error {
	var ids []any
	for _, c := range d.Components {
		if c.FileID != "" {
			ids = append(ids, c.FileID)
		}
	}
	if e := d.Exemption; e != nil && e.File != nil && e.File.FileID != "" {
		ids = append(ids, e.File.FileID) // the proof of a claimed fee exemption
	}
	if len(ids) == 0 {
		return nil
	}
	_, err := t.q.exec(ctx, "UPDATE files SET attached = 1 WHERE attached = 0 AND id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...)
	if err != nil {
		return fmt.Errorf("mark files of %s attached: %w", d.Code, err)
	}
	return nil
}
