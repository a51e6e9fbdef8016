package province

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/search"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/vntext"
)

// indexAge is how long a search index serves before it is rebuilt from
// the store: changes made through this service drop it at once; this
// bounds how long another node's changes take to show.
const indexAge = time.Minute

// searchIndex is the in-memory index of the catalogue and its terms.
type searchIndex struct {
	mu       sync.Mutex
	idx      *search.Index
	built    time.Time
	gen      uint64 // bumped by every change: a build begun before one is not kept
	building bool   // a rebuild of an aged index is under way
}

// catalogChanged forgets what the service keeps of the catalogue: the
// procedure memo and the search index.
func (s *Service) catalogChanged() {
	s.procs.Clear()
	s.index.mu.Lock()
	s.index.idx = nil
	s.index.gen++
	s.index.mu.Unlock()
}

// searchIndex returns the index. With none (at start, after a change) it
// is built at once, one build at a time, searches meanwhile waiting; one
// older than indexAge keeps serving while it is rebuilt behind.
func (s *Service) searchIndex(ctx context.Context) (*search.Index, error) {
	now := s.Now()
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	if ix := s.index.idx; ix != nil {
		if aged := now.Sub(s.index.built) >= indexAge || now.Before(s.index.built); aged && !s.index.building {
			s.index.building = true
			go s.rebuildIndex(context.WithoutCancel(ctx), s.index.gen)
		}
		return ix, nil
	}
	ix, err := s.buildIndex(ctx)
	if err != nil {
		return nil, err
	}
	s.index.idx, s.index.built = ix, now
	return ix, nil
}

// rebuildIndex replaces an aged index, unless the catalogue changed
// meanwhile (the next search then builds afresh). A failure leaves the
// aged index, and the next search tries again.
func (s *Service) rebuildIndex(ctx context.Context, gen uint64) {
	ix, err := s.buildIndex(ctx)
	now := s.Now()
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	s.index.building = false
	if err == nil && s.index.gen == gen && s.index.idx != nil {
		s.index.idx, s.index.built = ix, now
	}
}

func (s *Service) buildIndex(ctx context.Context) (*search.Index, error) {
	sums, err := Summaries(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	terms, err := s.db.SearchTerms(ctx)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	return search.Build(sums, terms), nil
}

// Summaries reads the summaries of the whole catalogue, a thousand at a
// time (the store's largest page), without decoding forms and workflows.
func Summaries(ctx context.Context, r store.CatalogReader) ([]catalog.Summary, error) {
	var out []catalog.Summary
	for {
		page, total, err := r.Procedures(ctx, catalog.Query{Limit: 1000, Offset: len(out)})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// SearchResult is a page of the catalogue's search.
type SearchResult struct {
	Items []catalog.Summary
	Total int
	// Suggestion is the query as the catalogue spells it ("Bạn có muốn
	// tìm: …") when a word was not found as typed; "" otherwise.
	Suggestion string
}

// Search searches the public catalogue. With text, procedures are ranked
// by how well they match (catalog/search: any of the words weighted by
// rarity, diacritics folded, typos, the everyday terms); without, they are
// listed by code. Field and level filter either way; Limit and Offset page.
func (s *Service) Search(ctx context.Context, q catalog.Query) (SearchResult, error) {
	if len(q.Text) > 200 {
		return SearchResult{}, errs.New(errs.Invalid, "search.too_long", "Từ khóa tìm kiếm quá dài (tối đa 200 ký tự).", "query too long")
	}
	if vntext.Fold(q.Text) == "" {
		items, total, err := s.db.Procedures(ctx, q)
		return SearchResult{Items: items, Total: total}, err
	}
	ix, err := s.searchIndex(ctx)
	if err != nil {
		return SearchResult{}, err
	}
	field := vntext.NFC(q.Field)
	res := ix.Search(q.Text, func(p catalog.Summary) bool {
		return (field == "" || p.Field == field) && (q.Level == "" || p.Level == q.Level)
	})
	out := SearchResult{Total: len(res.Hits), Suggestion: res.Suggestion, Items: []catalog.Summary{}}
	limit := q.Limit // as the store pages: 50 unless said, at most 1000
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	for i := max(q.Offset, 0); i < len(res.Hits) && len(out.Items) < limit; i++ {
		out.Items = append(out.Items, res.Hits[i].Summary)
	}
	return out, nil
}

// SearchTerms lists the everyday terms of the search (administrators).
func (s *Service) SearchTerms(ctx context.Context, ac identity.Actor) ([]catalog.SearchTerm, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return nil, err
	}
	return s.db.SearchTerms(ctx)
}

// PutSearchTerm adds a term or, with replace the key of an existing one
// (search.Key of its phrase), changes it (administrators). Every code must
// name a procedure of the catalogue.
func (s *Service) PutSearchTerm(ctx context.Context, ac identity.Actor, replace string, t catalog.SearchTerm) (catalog.SearchTerm, error) {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return t, err
	}
	t, err := search.CheckTerm(t)
	if err != nil {
		return t, errs.InvalidFields("search_term.invalid", "Từ khóa không hợp lệ.", "invalid search term",
			[]errs.FieldError{{Field: "phrase", Key: "invalid", Message: "Cụm từ cần 1–8 từ (tối đa 100 ký tự) và 1–20 mã thủ tục: " + err.Error()}})
	}
	t.UpdatedAt = s.Now()
	key := search.Key(t.Phrase)
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		var fe []errs.FieldError
		for i, c := range t.Codes {
			if _, err := tx.Procedure(ctx, c); err != nil {
				if errs.KindOf(err) != errs.NotFound {
					return err
				}
				fe = append(fe, errs.FieldError{Field: fmt.Sprintf("codes[%d]", i), Key: "unknown_procedure", Message: fmt.Sprintf("Không có thủ tục mã %q trong danh mục.", c)})
			}
		}
		if len(fe) > 0 {
			return errs.InvalidFields("search_term.invalid", "Từ khóa không hợp lệ.", "invalid search term", fe)
		}
		existing, err := tx.SearchTerms(ctx)
		if err != nil {
			return err
		}
		taken := slices.ContainsFunc(existing, func(e catalog.SearchTerm) bool { return search.Key(e.Phrase) == key })
		if replace == "" && taken {
			return errs.New(errs.Conflict, "search_term.exists", fmt.Sprintf("Đã có từ khóa %q.", t.Phrase), "search term exists")
		}
		if replace != "" && replace != key {
			if taken {
				return errs.New(errs.Conflict, "search_term.exists", fmt.Sprintf("Đã có từ khóa %q.", t.Phrase), "search term exists")
			}
			if err := tx.DeleteSearchTerm(ctx, replace); err != nil {
				return err
			}
		}
		if err := tx.PutSearchTerm(ctx, t); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "search_term.put", "search_term:"+key, map[string]any{"phrase": t.Phrase, "codes": t.Codes, "replaces": replace})
	})
	if err != nil {
		return t, fmt.Errorf("put search term: %w", err)
	}
	s.catalogChanged()
	return t, nil
}

// DeleteSearchTerm deletes a term by key (administrators).
func (s *Service) DeleteSearchTerm(ctx context.Context, ac identity.Actor, key string) error {
	if err := ac.Require(identity.PermCatalogManage, ""); err != nil {
		return err
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSearchTerm(ctx, key); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "search_term.delete", "search_term:"+key, nil)
	})
	if err != nil {
		return fmt.Errorf("delete search term: %w", err)
	}
	s.catalogChanged()
	return nil
}
