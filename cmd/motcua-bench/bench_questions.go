package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/catalog"
	catalogdemo "github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/catalog/search"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
)

// benchQuestions loads the demo catalogue and its everyday terms into a
// fresh store and asks every question of the test set
// (catalog/search/testdata/questions.tsv) of the ranked search and, in the
// same run, of the store's full-text search that preceded it (every word
// in the name): how often the expected procedure comes first or in the
// first three, how often nothing is found, and the latency per query.
func benchQuestions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench questions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runs := fs.Int("runs", 5, "times every question is asked of each search (for the latency)")
	pg := fs.String("postgres", os.Getenv("MOTCUA_TEST_POSTGRES"), "PostgreSQL URL to measure too (a fresh schema is created and dropped) [MOTCUA_TEST_POSTGRES]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	qs, err := search.Questions()
	if err != nil {
		return err
	}
	procs, err := catalogdemo.Procedures()
	if err != nil {
		return err
	}
	terms, err := search.ParseTerms(bytes.NewReader(catalogdemo.TermsFile()))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tsearch\tquestions\ttop-1\ttop-3\tnothing found\tp50\tp99\tindex build\n")
	run := func(name string, db *sqlstore.DB, _ []string) error {
		now := time.Now()
		if err := db.Update(ctx, func(tx store.Tx) error {
			for _, p := range procs {
				p.UpdatedAt = now
				if err := tx.PutProcedure(ctx, p); err != nil {
					return err
				}
			}
			for _, t := range terms {
				t.UpdatedAt = now
				if err := tx.PutSearchTerm(ctx, t); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		// The index as the province service builds it: from the store.
		start := time.Now()
		sums, err := province.Summaries(ctx, db)
		if err != nil {
			return err
		}
		stored, err := db.SearchTerms(ctx)
		if err != nil {
			return err
		}
		ix := search.Build(sums, stored)
		build := time.Since(start)
		bare := search.Build(sums, nil)
		type method struct {
			label string
			build string
			ask   func(q string) ([]string, error)
		}
		indexAsk := func(ix *search.Index) func(string) ([]string, error) {
			return func(q string) ([]string, error) {
				r := ix.Search(q, nil)
				out := make([]string, 0, 3)
				for i := 0; i < len(r.Hits) && i < 3; i++ {
					out = append(out, r.Hits[i].Summary.Code)
				}
				return out, nil
			}
		}
		methods := []method{
			{"ranked (index, with terms)", ms(build), indexAsk(ix)},
			{"ranked (index, no terms)", "", indexAsk(bare)},
			{"baseline: every word in the name (FTS)", "", func(q string) ([]string, error) {
				l, _, err := db.Procedures(ctx, catalog.Query{Text: q, Limit: 3})
				out := make([]string, len(l))
				for i, s := range l {
					out[i] = s.Code
				}
				return out, err
			}},
		}
		for _, m := range methods {
			top1, top3, none := 0, 0, 0
			var lat []time.Duration
			for r := range *runs {
				for _, q := range qs {
					start := time.Now()
					got, err := m.ask(q.Text)
					lat = append(lat, time.Since(start))
					if err != nil {
						return err
					}
					if r > 0 {
						continue
					}
					switch i := slices.Index(got, q.Code); {
					case i == 0:
						top1++
						top3++
					case i > 0:
						top3++
					}
					if len(got) == 0 {
						none++
					}
				}
			}
			slices.Sort(lat)
			pct := func(n int) string { return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(len(qs))) }
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", name, m.label, len(qs), pct(top1), pct(top3), pct(none),
				ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]), m.build)
		}
		return nil
	}
	if err := benchStores(ctx, *pg, "questions", false, run); err != nil {
		return err
	}
	return tw.Flush()
}
