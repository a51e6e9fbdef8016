package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/vntext"
)

// procedureSearchText is what the full-text index holds for a procedure:
// its name, field and code, folded (lower case, no diacritics, đ → d).
func procedureSearchText(p *catalog.Procedure) string {
	return vntext.Fold(p.Name + " " + p.Field + " " + p.Code)
}

// ftsQuery turns folded text into a query for the dialect's full-text
// engine: every word must appear, the last one as a prefix (so that typing
// "dang ky khai s" already finds "Đăng ký khai sinh"). Folded words are
// letters and digits only, so nothing needs escaping.
func (q q) ftsQuery(folded string) string {
	words := strings.Fields(folded)
	parts := make([]string, len(words))
	for i, w := range words {
		prefix := i == len(words)-1
		if q.d == postgres {
			parts[i] = w
			if prefix {
				parts[i] += ":*"
			}
			continue
		}
		parts[i] = `"` + w + `"`
		if prefix {
			parts[i] += "*"
		}
	}
	if q.d == postgres {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " ")
}

// Procedures searches the catalogue. Ranking tiers: the name equals the
// query with its diacritics; the name starts with it; the name contains it
// with its diacritics; the name contains it without diacritics; every word
// matches somewhere (a query typed without diacritics compares folded names
// in the first three tiers). Within a tier shorter names come first (fewer
// words besides the query), then the code. The engines' own relevance
// scores (bm25, ts_rank) are left out: computing them for every match cost
// more than the whole rest of the query and, on names this short, they
// order little more than length does.
func (r Reader) Procedures(ctx context.Context, qu catalog.Query) ([]catalog.Summary, int, error) {
	return r.procedures(ctx, qu, false)
}

// ScanSearch is Procedures without the full-text index, the baseline of
// `motcua-bench search`: every folded name is scanned with LIKE for every
// word, then ranked the same way.
func (db *DB) ScanSearch(ctx context.Context, qu catalog.Query) ([]catalog.Summary, int, error) {
	return db.procedures(ctx, qu, true)
}

func (r Reader) procedures(ctx context.Context, qu catalog.Query, scan bool) ([]catalog.Summary, int, error) {
	var where []string
	var args []any
	if qu.Field != "" {
		where, args = append(where, "p.field = ?"), append(args, vntext.NFC(qu.Field))
	}
	if qu.Level != "" {
		where, args = append(where, "p.level = ?"), append(args, string(qu.Level))
	}
	limit := clampLimit(qu.Limit)
	offset := max(qu.Offset, 0)
	cols := "p.code, p.name, p.field, p.level, p.online_level, p.days, p.hours"
	folded := vntext.Fold(qu.Text)
	var from, order string
	var orderArgs []any
	if folded == "" {
		from = "procedures p"
		order = "p.code"
	} else {
		lower := vntext.Lower(qu.Text)
		fts := r.q.ftsQuery(folded)
		pos := "instr(%s, ?)"
		if r.q.d == postgres {
			pos = "strpos(%s, ?)"
		}
		// A query typed with diacritics ranks names with the same
		// diacritics first; one typed without compares folded names.
		col, val := "p.name_lower", lower
		if lower == folded {
			col, val = "p.name_folded", folded
		}
		tier := fmt.Sprintf("CASE WHEN %s = ? THEN 0 WHEN %s = 1 THEN 1 WHEN %s > 0 THEN 2 WHEN %s > 0 THEN 3 ELSE 4 END",
			col, fmt.Sprintf(pos, col), fmt.Sprintf(pos, col), fmt.Sprintf(pos, "p.name_folded"))
		orderArgs = []any{val, val, val, folded}
		order = tier + ", length(p.name), p.code"
		args = append([]any{fts}, args...)
		switch {
		case scan:
			from = "procedures p"
			var like []string
			var likeArgs []any
			for _, w := range strings.Fields(folded) {
				like, likeArgs = append(like, "p.name_folded LIKE ?"), append(likeArgs, "%"+w+"%")
			}
			where = append(like, where...)
			args = append(likeArgs, args[1:]...)
		case r.q.d == postgres:
			from = "procedures p"
			where = append([]string{"p.search @@ to_tsquery('simple', ?)"}, where...)
		default:
			from = "procedures_fts f JOIN procedures p ON p.id = f.rowid"
			where = append([]string{"procedures_fts MATCH ?"}, where...)
		}
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	countSQL := "SELECT count(*) FROM " + from + cond
	if !scan && folded != "" && r.q.d == sqlite && len(where) == 1 {
		// Nothing but the match: count in the index alone.
		countSQL = "SELECT count(*) FROM procedures_fts WHERE procedures_fts MATCH ?"
	}
	var total int
	if err := r.q.queryRow(ctx, countSQL, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search procedures: %w", err)
	}
	out := []catalog.Summary{}
	if total <= offset {
		return out, total, nil
	}
	all := append(append(append([]any{}, args...), orderArgs...), limit, offset)
	rows, err := r.q.query(ctx, "SELECT "+cols+" FROM "+from+cond+" ORDER BY "+order+" LIMIT ? OFFSET ?", all...)
	if err != nil {
		return nil, 0, fmt.Errorf("search procedures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s catalog.Summary
		if err := rows.Scan(&s.Code, &s.Name, &s.Field, &s.Level, &s.OnlineLevel, &s.ProcessingTime.Days, &s.ProcessingTime.Hours); err != nil {
			return nil, 0, fmt.Errorf("search procedures: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search procedures: %w", err)
	}
	return out, total, nil
}
