package search_test

import (
	"bytes"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/catalog/search"
)

func loadQuestions(t testing.TB) []search.Question {
	t.Helper()
	qs, err := search.Questions()
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

func demoIndex(t testing.TB) (*search.Index, []catalog.Procedure) {
	return demoIndexTerms(t, true)
}

func demoIndexTerms(t testing.TB, withTerms bool) (*search.Index, []catalog.Procedure) {
	t.Helper()
	procs, err := demo.Procedures()
	if err != nil {
		t.Fatal(err)
	}
	terms, err := search.ParseTerms(bytes.NewReader(demo.TermsFile()))
	if err != nil {
		t.Fatal(err)
	}
	if !withTerms {
		terms = nil
	}
	sums := make([]catalog.Summary, len(procs))
	for i := range procs {
		sums[i] = procs[i].Summary()
	}
	return search.Build(sums, terms), procs
}

// TestQuestions runs every question of the test set: the expected
// procedure must be among the first three for at least 85% of them. It
// prints the top-1 and top-3 rates and the questions that miss.
func TestQuestions(t *testing.T) {
	ix, procs := demoIndex(t)
	known := map[string]bool{}
	for _, p := range procs {
		known[p.Code] = true
	}
	qs := loadQuestions(t)
	if len(qs) < 250 {
		t.Fatalf("%d questions, want at least 250", len(qs))
	}
	for _, q := range qs {
		if !known[q.Code] {
			t.Fatalf("question %q expects %s, not in the demo catalogue", q.Text, q.Code)
		}
	}
	bare, _ := demoIndexTerms(t, false)
	b1, b3 := rates(bare, qs, nil)
	t.Logf("%d questions without the curated terms: top-1 %.1f%%, top-3 %.1f%%", len(qs), 100*b1, 100*b3)
	r1, r3 := rates(ix, qs, t)
	t.Logf("%d questions: top-1 %.1f%%, top-3 %.1f%%", len(qs), 100*r1, 100*r3)
	if r3 < 0.85 {
		t.Errorf("top-3 rate %.1f%%, want at least 85%%", 100*r3)
	}
}

// rates returns the share of the questions whose procedure ix ranks first
// and among the first three; t, if not nil, logs the misses.
func rates(ix *search.Index, qs []search.Question, t *testing.T) (float64, float64) {
	top1, top3 := 0, 0
	for _, q := range qs {
		res := ix.Search(q.Text, nil)
		rank := search.Rank(res.Hits, q.Code)
		switch {
		case rank == 0:
			top1++
			top3++
		case rank > 0 && rank < 3:
			top3++
		default:
			var got []string
			for i, h := range res.Hits {
				if i == 3 {
					break
				}
				got = append(got, h.Summary.Code)
			}
			if t != nil {
				t.Logf("miss: %q want %s (rank %d), top 3 %v", q.Text, q.Code, rank+1, got)
			}
		}
	}
	return float64(top1) / float64(len(qs)), float64(top3) / float64(len(qs))
}
