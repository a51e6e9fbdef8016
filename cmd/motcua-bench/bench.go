package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	catalogdemo "github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/catalog/search"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

// benchDue prints ns/op of DueDays for 1, 10 and 100 working days and, in
// the same run, of the reference minute-by-minute walk (the baseline).
func benchDue(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench due", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runs := fs.Int("runs", 5, "repetitions of each benchmark; the median is reported")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := calendar.New(calendar.DefaultOfficeHours())
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	received := make([]time.Time, 64)
	base := time.Date(2026, 1, 5, 6, 0, 0, 0, calendar.VN)
	for i := range received {
		received[i] = base.Add(time.Duration(rng.IntN(365*24*60)) * time.Minute)
	}
	var sink time.Time
	median := func(f func(b *testing.B)) (float64, float64) {
		var ns, allocs []float64
		for range *runs {
			r := testing.Benchmark(f)
			ns = append(ns, float64(r.NsPerOp()))
			allocs = append(allocs, float64(r.AllocsPerOp()))
		}
		slices.Sort(ns)
		slices.Sort(allocs)
		return ns[len(ns)/2], allocs[len(allocs)/2]
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "implementation\tdays\tns/op (median of %d)\tallocs/op\tspeed-up\t\n", *runs)
	for _, days := range []int{1, 10, 100} {
		ours, oursAllocs := median(func(b *testing.B) {
			i := 0
			for b.Loop() {
				sink = c.DueDays(received[i&63], days)
				i++
			}
		})
		ref, refAllocs := median(func(b *testing.B) {
			i := 0
			for b.Loop() {
				sink = calendar.ReferenceDueDays(c, received[i&63], days)
				i++
			}
		})
		fmt.Fprintf(tw, "DueDays\t%d\t%.0f\t%.0f\t%.0fx\t\n", days, ours, oursAllocs, ref/ours)
		fmt.Fprintf(tw, "baseline: minute walk\t%d\t%.0f\t%.0f\t\t\n", days, ref, refAllocs)
	}
	_ = sink
	return tw.Flush()
}

// benchSearch generates a catalogue of --n procedures in a fresh store and
// prints p50/p99 latency of procedure search, against a LIKE-scan baseline
// and a primary-key look-up, on SQLite and (with --postgres) PostgreSQL.
func benchSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 5000, "procedures in the generated catalogue")
	queries := fs.Int("queries", 2000, "timed queries per measurement")
	pg := fs.String("postgres", os.Getenv("MOTCUA_TEST_POSTGRES"), "PostgreSQL URL to measure too (a fresh schema is created and dropped) [MOTCUA_TEST_POSTGRES]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	procs, err := generateCatalog(*n)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tmeasurement\tprocedures\tqueries\tp50\tp99\tmean hits\n")
	run := func(name string, db *sqlstore.DB, _ []string) error {
		if err := db.Update(ctx, func(tx store.Tx) error {
			for _, p := range procs {
				if err := tx.PutProcedure(ctx, p); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		return measureSearch(ctx, tw, name, db, len(procs), *queries)
	}
	if err := benchStores(ctx, *pg, "bench", false, run); err != nil {
		return err
	}
	return tw.Flush()
}

// searchQueries are what people type: with and without diacritics, whole
// names, fragments and prefixes.
var searchQueries = []string{
	"dang ky khai sinh", "Đăng ký kết hôn", "chứng thực bản sao", "giay phep xay dung", "ho kinh doanh",
	"thuong tru", "trợ cấp xã hội", "cap lai", "hoa giai tranh chap dat dai", "khai tu",
	"ly lich tu phap", "xac nhan tinh trang hon nhan", "doanh nghiep tu nhan", "bảo hiểm y tế trẻ em",
	"phường ba đình", "xa", "đăng ký", "chung thuc chu ky", "nuoi con nuoi", "tam tru",
}

func measureSearch(ctx context.Context, w io.Writer, name string, db *sqlstore.DB, n, count int) error {
	type method struct {
		label string
		do    func(q string, i int) (int, error)
	}
	// The ranked search of the portal: an in-memory index built from the
	// store (its build time is in the label).
	start := time.Now()
	sums, err := province.Summaries(ctx, db)
	if err != nil {
		return err
	}
	ix := search.Build(sums, nil)
	build := time.Since(start)
	methods := []method{
		{"ranked: in-memory index (built in " + ms(build) + ")", func(q string, _ int) (int, error) {
			r := ix.Search(q, nil)
			return min(len(r.Hits), 20), nil
		}},
		{"search (FTS, ranked) ", func(q string, _ int) (int, error) {
			l, _, err := db.Procedures(ctx, catalog.Query{Text: q, Limit: 20})
			return len(l), err
		}},
		{"baseline: LIKE scan, same ranking", func(q string, _ int) (int, error) {
			l, _, err := db.ScanSearch(ctx, catalog.Query{Text: q, Limit: 20})
			return len(l), err
		}},
		{"floor: get by code", func(_ string, i int) (int, error) {
			_, err := db.Procedure(ctx, fmt.Sprintf("BENCH-%05d", i%n))
			return 1, err
		}},
	}
	for _, m := range methods {
		for i := range 100 { // warm caches
			if _, err := m.do(searchQueries[i%len(searchQueries)], i); err != nil {
				return err
			}
		}
		lat := make([]time.Duration, 0, count)
		hits := 0
		for i := range count {
			q := searchQueries[i%len(searchQueries)]
			start := time.Now()
			h, err := m.do(q, i)
			lat = append(lat, time.Since(start))
			if err != nil {
				return err
			}
			hits += h
		}
		slices.Sort(lat)
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\t%s\t%.1f\n", name, m.label, n, count, ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]), float64(hits)/float64(count))
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d.Microseconds())/1000) }

// generateCatalog makes n distinct procedures from the demo catalogue: each
// demo procedure with a variant and a real commune name, so the vocabulary
// is as varied as a province's catalogue.
func generateCatalog(n int) ([]catalog.Procedure, error) {
	base, err := catalogdemo.Procedures()
	if err != nil {
		return nil, err
	}
	units, err := unit.Load()
	if err != nil {
		return nil, err
	}
	var communes []string
	for _, p := range units.Provinces() {
		for _, c := range p.Communes {
			communes = append(communes, c.Name)
		}
	}
	variants := []string{"", " (cấp lại)", " (thay đổi, bổ sung)", " có yếu tố nước ngoài", " (trực tuyến)", " (liên thông)"}
	out := make([]catalog.Procedure, n)
	for i := range out {
		p := base[i%len(base)]
		p.Code = fmt.Sprintf("BENCH-%05d", i)
		p.Name = p.Name + variants[(i/len(base))%len(variants)] + " tại " + communes[(i*7919)%len(communes)]
		p.Bundle = nil
		out[i] = p
	}
	return out, nil
}

// benchStores runs a measurement on a fresh SQLite store in a temporary
// directory (unless skipLite) and, with pgURL, on a fresh PostgreSQL
// schema dropped afterwards. run gets the store and the flags that open it
// from another process.
func benchStores(ctx context.Context, pgURL, prefix string, skipLite bool, run func(name string, db *sqlstore.DB, flags []string) error) error {
	dir, err := os.MkdirTemp("", "motcua-"+prefix)
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if !skipLite {
		lite, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "sqlite"))
		if err != nil {
			return err
		}
		err = run("sqlite", lite, []string{"--data", filepath.Join(dir, "sqlite")})
		lite.Close()
		if err != nil {
			return err
		}
	}
	if pgURL == "" {
		return nil
	}
	u, drop, err := sqlstore.CreateSchema(ctx, pgURL, prefix)
	if err != nil {
		return err
	}
	defer drop()
	db, err := sqlstore.OpenPostgres(ctx, u)
	if err != nil {
		return err
	}
	defer db.Close()
	return run("postgres", db, []string{"--db", u, "--data", filepath.Join(dir, "pgdata")})
}
