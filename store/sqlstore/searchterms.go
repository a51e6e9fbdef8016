package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/vntext"
)

// The everyday terms of the procedure search (issue 15): a phrase people
// type and the codes of the procedures they mean, keyed by the folded
// phrase. The search index is built in memory from them and the
// catalogue, so the table is only read whole.

// SearchTerms returns every term, by key.
func (r Reader) SearchTerms(ctx context.Context) ([]catalog.SearchTerm, error) {
	rows, err := r.q.query(ctx, "SELECT phrase, codes, note, updated_at FROM search_terms ORDER BY key")
	if err != nil {
		return nil, fmt.Errorf("read search terms: %w", err)
	}
	defer rows.Close()
	out := []catalog.SearchTerm{}
	for rows.Next() {
		var t catalog.SearchTerm
		var codes string
		if err := rows.Scan(&t.Phrase, &codes, &t.Note, timeCol{&t.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("read search terms: %w", err)
		}
		if err := json.Unmarshal([]byte(codes), &t.Codes); err != nil {
			return nil, fmt.Errorf("decode search term %q: %w", t.Phrase, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read search terms: %w", err)
	}
	return out, nil
}

// PutSearchTerm inserts or replaces a term by its folded phrase.
func (t *Tx) PutSearchTerm(ctx context.Context, st catalog.SearchTerm) error {
	key := vntext.Fold(st.Phrase)
	if key == "" {
		return fmt.Errorf("store search term %q: empty phrase", st.Phrase)
	}
	codes, err := json.Marshal(st.Codes)
	if err != nil {
		return fmt.Errorf("store search term %q: %w", st.Phrase, err)
	}
	_, err = t.q.exec(ctx, `INSERT INTO search_terms (key, phrase, codes, note, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET phrase = excluded.phrase, codes = excluded.codes, note = excluded.note, updated_at = excluded.updated_at`,
		key, st.Phrase, string(codes), st.Note, t.q.ts(st.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store search term %q: %w", st.Phrase, err)
	}
	return nil
}

// DeleteSearchTerm deletes a term by key.
func (t *Tx) DeleteSearchTerm(ctx context.Context, key string) error {
	res, err := t.q.exec(ctx, "DELETE FROM search_terms WHERE key = ?", key)
	if err != nil {
		return fmt.Errorf("delete search term %q: %w", key, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return notFound("search_term.not_found", fmt.Sprintf("Không có từ khóa %q.", key), "no search term "+key)
	}
	return nil
}
