package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// testSearchTerms: terms are keyed by the folded phrase (a phrase typed
// with other diacritics or case replaces the term), listed by key, and
// deleted by key (NotFound for none).
func testSearchTerms(t *testing.T, s store.Store) {
	ctx := context.Background()
	if got, err := s.SearchTerms(ctx); err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	a := catalog.SearchTerm{Phrase: "sổ đỏ", Codes: []string{"1.013978", "DEMO-009"}, Note: "giấy chứng nhận", UpdatedAt: t0}
	b := catalog.SearchTerm{Phrase: "giấy khai sanh", Codes: []string{"1.001193"}, UpdatedAt: t0}
	update(t, s, func(tx store.Tx) error {
		if err := tx.PutSearchTerm(ctx, a); err != nil {
			return err
		}
		return tx.PutSearchTerm(ctx, b)
	})
	got, err := s.SearchTerms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []catalog.SearchTerm{b, a}; !reflect.DeepEqual(got, want) {
		t.Fatalf("terms = %+v, want %+v", got, want)
	}
	// Same folded phrase: replaced, not added.
	a2 := catalog.SearchTerm{Phrase: "Sổ  Đỏ", Codes: []string{"1.013978"}, UpdatedAt: t0.Add(1e9)}
	update(t, s, func(tx store.Tx) error { return tx.PutSearchTerm(ctx, a2) })
	if got, _ = s.SearchTerms(ctx); len(got) != 2 || !reflect.DeepEqual(got[1], a2) {
		t.Fatalf("after replace: %+v", got)
	}
	update(t, s, func(tx store.Tx) error { return tx.DeleteSearchTerm(ctx, "so do") })
	if got, _ = s.SearchTerms(ctx); len(got) != 1 || got[0].Phrase != b.Phrase {
		t.Fatalf("after delete: %+v", got)
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.DeleteSearchTerm(ctx, "so do") })
	if errs.KindOf(err) != errs.NotFound {
		t.Fatalf("delete of none: %v, want NotFound", err)
	}
}
