package province_test

import (
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

func codes(l []catalog.Summary) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = s.Code
	}
	return out
}

// TestSearchRanked: the seeded demo ranks what citizens type (colloquial,
// without diacritics, mistyped, a term of the seeded list) with the right
// procedure first; field and level filter; Offset and Limit page the same
// ranking; a query matching nothing offers a spelling that does.
func TestSearchRanked(t *testing.T) {
	e := apptest.New(t)
	p := e.App.Province
	for _, tt := range []struct {
		q, want string
	}{
		{"làm giấy khai sinh cho con", "1.001193"},
		{"xin so do", "1.013978"},
		{"đăng ký tạm trú cho người thuê trọ", "1.004194"},
		{"dang ki ket hon", "1.000894"},
		{"ly lich tu phapp", "3.000333"},
		{"cất nhà mới", "DEMO-010"},
	} {
		r, err := p.Search(e.Ctx, catalog.Query{Text: tt.q})
		if err != nil || len(r.Items) == 0 || r.Items[0].Code != tt.want {
			t.Errorf("search %q = %v (%d), %v; want %s first", tt.q, codes(r.Items), r.Total, err, tt.want)
		}
	}
	all, err := p.Search(e.Ctx, catalog.Query{Text: "đăng ký"})
	if err != nil || all.Total < 10 {
		t.Fatalf("đăng ký: %d, %v", all.Total, err)
	}
	page, _ := p.Search(e.Ctx, catalog.Query{Text: "đăng ký", Offset: 3, Limit: 4})
	if page.Total != all.Total || !slices.Equal(codes(page.Items), codes(all.Items[3:7])) {
		t.Errorf("page 3+4 = %v, want %v", codes(page.Items), codes(all.Items[3:7]))
	}
	f, _ := p.Search(e.Ctx, catalog.Query{Text: "đăng ký", Field: "Hộ tịch", Level: catalog.Level("commune")})
	if f.Total == 0 || f.Total >= all.Total {
		t.Errorf("filtered total %d of %d", f.Total, all.Total)
	}
	for _, s := range f.Items {
		if s.Field != "Hộ tịch" || s.Level != "commune" {
			t.Errorf("filter let through %+v", s)
		}
	}
	r, err := p.Search(e.Ctx, catalog.Query{Text: "khuyeett taaat"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Suggestion == "" {
		t.Errorf("no suggestion for a mistyped query (%v)", codes(r.Items))
	}
	r, _ = p.Search(e.Ctx, catalog.Query{Text: "zzzz qqqq"})
	if r.Total != 0 || r.Suggestion != "" || r.Items == nil {
		t.Errorf("nonsense = %+v", r)
	}
}

// TestSearchTerms: an administrator adds, changes and deletes a term, each
// audited and each seen by the next search; others may not; codes must be
// in the catalogue; a phrase is one term whatever its diacritics.
func TestSearchTerms(t *testing.T) {
	e := apptest.New(t)
	p := e.App.Province
	admin := e.Actor(apptest.Admin)
	if _, err := p.SearchTerms(e.Ctx, e.Actor(apptest.Citizen)); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("citizen lists terms: %v", err)
	}
	if _, err := p.PutSearchTerm(e.Ctx, e.Actor(apptest.Receiver), "", catalog.SearchTerm{Phrase: "bánh chưng", Codes: []string{"DEMO-025"}}); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("receiver adds a term: %v", err)
	}
	seeded, err := p.SearchTerms(e.Ctx, admin)
	if err != nil || len(seeded) < 100 {
		t.Fatalf("seeded terms: %d, %v", len(seeded), err)
	}
	first := func(q string) string {
		r, err := p.Search(e.Ctx, catalog.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Items) == 0 {
			return ""
		}
		return r.Items[0].Code
	}
	if got := first("bánh chưng"); got == "DEMO-025" {
		t.Fatalf("before the term: %s", got)
	}
	for _, tt := range []struct {
		name    string
		replace string
		term    catalog.SearchTerm
		want    errs.Kind
	}{
		{"unknown code", "", catalog.SearchTerm{Phrase: "bánh chưng", Codes: []string{"NOPE-1"}}, errs.Invalid},
		{"no code", "", catalog.SearchTerm{Phrase: "bánh chưng"}, errs.Invalid},
		{"empty phrase", "", catalog.SearchTerm{Phrase: " ", Codes: []string{"DEMO-025"}}, errs.Invalid},
		{"exists folded", "", catalog.SearchTerm{Phrase: "SO DO", Codes: []string{"DEMO-025"}}, errs.Conflict},
		{"replace missing", "khong co", catalog.SearchTerm{Phrase: "bánh giầy", Codes: []string{"DEMO-025"}}, errs.NotFound},
		{"add", "", catalog.SearchTerm{Phrase: "bánh chưng", Codes: []string{"DEMO-025"}, Note: "thử"}, apptest.OK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.PutSearchTerm(e.Ctx, admin, tt.replace, tt.term)
			apptest.WantKind(t, err, tt.want)
		})
	}
	if got := first("banh chung"); got != "DEMO-025" {
		t.Errorf("after adding: %s first", got)
	}
	if es := e.Audit(t, "search_term.put", "search_term:banh chung"); len(es) != 1 || es[0].Actor != apptest.Admin {
		t.Errorf("%d search_term.put entries", len(es))
	}
	if _, err := p.PutSearchTerm(e.Ctx, admin, "banh chung", catalog.SearchTerm{Phrase: "bánh tét", Codes: []string{"DEMO-024"}}); err != nil {
		t.Fatal(err)
	}
	if got := first("bánh tét"); got != "DEMO-024" {
		t.Errorf("after changing: %s first", got)
	}
	if got := first("bánh chưng"); got == "DEMO-025" {
		t.Errorf("the old phrase still finds %s", got)
	}
	if err := p.DeleteSearchTerm(e.Ctx, e.Actor(apptest.Citizen), "banh tet"); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("citizen deletes: %v", err)
	}
	if err := p.DeleteSearchTerm(e.Ctx, admin, "banh tet"); err != nil {
		t.Fatal(err)
	}
	apptest.WantKind(t, p.DeleteSearchTerm(e.Ctx, admin, "banh tet"), errs.NotFound)
	if got := first("bánh tét"); got == "DEMO-024" {
		t.Errorf("after deleting: %s first", got)
	}
	if es := e.Audit(t, "search_term.delete", "search_term:banh tet"); len(es) != 1 {
		t.Errorf("%d search_term.delete entries", len(es))
	}
}

// TestSearchIndexAge: a term written to the store behind the service's
// back (as another node would) shows once the index is a minute old: the
// aged index answers while a new one is built.
func TestSearchIndexAge(t *testing.T) {
	e := apptest.New(t)
	p := e.App.Province
	find := func() bool {
		r, err := p.Search(e.Ctx, catalog.Query{Text: "bánh chưng"})
		if err != nil {
			t.Fatal(err)
		}
		return len(r.Items) > 0 && r.Items[0].Code == "DEMO-025"
	}
	if find() {
		t.Fatal("found before the term")
	}
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error {
		return tx.PutSearchTerm(e.Ctx, catalog.SearchTerm{Phrase: "bánh chưng", Codes: []string{"DEMO-025"}, UpdatedAt: e.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	if find() {
		t.Error("a fresh index saw a change made behind it (it should serve a minute)")
	}
	e.Advance(2 * time.Minute)
	deadline := time.Now().Add(10 * time.Second)
	for !find() {
		if time.Now().After(deadline) {
			t.Fatal("the aged index was not rebuilt")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
