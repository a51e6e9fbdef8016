package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/registry"
)

// cmdRegistry: motcua registry list | check DATASET | import DATASET FILE.
func cmdRegistry(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: motcua registry list | check DATASET [--json] | import DATASET FILE.(csv|jsonl) [--data DIR | --db URL]"
	if len(args) == 0 {
		return cli.UsageError(use)
	}
	fs := flag.NewFlagSet("registry "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	cpu := fs.String("cpuprofile", "", "write a CPU profile to this file")
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	stopProfile, err := cli.StartCPUProfile(*cpu)
	if err != nil {
		return err
	}
	defer stopProfile()
	a, db, err := openApp(ctx, sf, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	sys := identity.SystemActor("cli")
	switch {
	case args[0] == "list":
		for _, ds := range a.ShareData.Datasets() {
			n, _ := db.DatasetCount(ctx, ds.Code)
			where := "hosted"
			if ds.Remote != nil {
				where = "remote " + ds.Remote.URL
			}
			fmt.Fprintf(stdout, "%-17s %-10s %10d  %s (%s; %s)\n", ds.Code, ds.NationalCode, n, ds.Name, ds.OwnerName, where)
		}
		return nil
	case args[0] == "check" && len(pos) == 1:
		// The check allocates a map per record and keeps almost nothing:
		// collect less often.
		debug.SetGCPercent(400)
		start := time.Now()
		rep, err := a.ShareData.QualityReport(ctx, sys, pos[0])
		if err != nil {
			return err
		}
		elapsed := time.Since(start)
		if *asJSON {
			return json.NewEncoder(stdout).Encode(rep)
		}
		printReport(stdout, rep, elapsed)
		return nil
	case args[0] == "import" && len(pos) == 2:
		next, closer, err := recordReader(pos[1])
		if err != nil {
			return err
		}
		defer closer.Close()
		res, err := a.ShareData.ImportRecords(ctx, sys, pos[0], pos[1], next)
		if err != nil {
			return err
		}
		b := res.Batch
		out, _ := json.Marshal(map[string]any{"batch": b.ID, "read": b.Total, "imported": b.Imported, "quarantined": b.Quarantined})
		fmt.Fprintln(stdout, string(out))
		for _, q := range res.Quarantined {
			fmt.Fprintf(stderr, "dòng %d (%s): %s\n", q.Line, q.Key, strings.Join(q.Reasons, " "))
		}
		return nil
	}
	return cli.UsageError(use)
}

// printReport writes a quality report for a person.
func printReport(w io.Writer, rep registry.Report, elapsed time.Duration) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(w, "Tập dữ liệu: %s (%s)\nSố bản ghi: %d\nKiểm tra lúc: %s; thời gian %.2f s; bộ nhớ Go lấy từ hệ điều hành (Sys) %.0f MiB\n\n",
		rep.Name, rep.Dataset, rep.Total, rep.CheckedAt.In(calendar.VN).Format("02/01/2006 15:04"), elapsed.Seconds(), float64(m.Sys)/(1<<20))
	fmt.Fprintf(w, "%-12s %-10s %12s %12s %9s\n", "Tiêu chí", "(rule)", "Đạt", "Không đạt", "Tỷ lệ")
	for _, r := range rep.Rules {
		fmt.Fprintf(w, "%-12s %-10s %12d %12d %8.2f%%\n", r.Name, r.Rule, r.Passed, r.Failed, r.Rate)
	}
	for _, r := range rep.Rules {
		if len(r.Samples) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nVí dụ bản ghi không đạt tiêu chí %q:\n", r.Name)
		for _, s := range r.Samples {
			fmt.Fprintf(w, "  %s: %s\n", s.Key, strings.Join(s.Reasons, " "))
		}
	}
}

// recordReader reads records from a CSV file (a header row of field
// names) or a JSON Lines file (one object of fields per line); the line
// number comes with each record for the quarantine.
func recordReader(path string) (func() (registry.Record, int, bool, error), io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	if strings.HasSuffix(strings.ToLower(path), ".jsonl") {
		line := 0
		return func() (registry.Record, int, bool, error) {
			for {
				b, err := br.ReadBytes('\n')
				if len(b) == 0 && errors.Is(err, io.EOF) {
					return registry.Record{}, line, false, nil
				}
				if err != nil && !errors.Is(err, io.EOF) {
					return registry.Record{}, line, false, err
				}
				line++
				if strings.TrimSpace(string(b)) == "" {
					continue
				}
				var data map[string]any
				rec := registry.Record{Data: map[string]string{}}
				if jerr := json.Unmarshal(b, &data); jerr != nil {
					rec.Data["_raw"] = strings.TrimSpace(string(b))
					return rec, line, true, nil // quarantined: no required field
				}
				for k, v := range data {
					switch x := v.(type) {
					case string:
						rec.Data[k] = x
					case nil:
					default:
						j, _ := json.Marshal(x)
						rec.Data[k] = string(j)
					}
				}
				return rec, line, true, nil
			}
		}, f, nil
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("read header of %s: %w", path, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	return func() (registry.Record, int, bool, error) {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return registry.Record{}, 0, false, nil
		}
		rec := registry.Record{Data: map[string]string{}}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rec.Data["_raw"] = pe.Error()
				return rec, max(pe.StartLine, 1), true, nil
			}
			return rec, 0, false, err
		}
		line, _ := cr.FieldPos(0)
		for i, v := range row {
			if i < len(header) && header[i] != "" {
				rec.Data[strings.TrimSpace(header[i])] = v
			}
		}
		return rec, line, true, nil
	}, f, nil
}

// cmdDemo: motcua demo generate --people N.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "generate" {
		return cli.UsageError("usage: motcua demo generate --people N [--seed S] [--defects RATE] [--data DIR | --db URL]")
	}
	fs := flag.NewFlagSet("demo generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	n := fs.Int("people", 10000, "number of people of the population dataset")
	seed := fs.Uint64("seed", 1, "random seed (same seed, same data)")
	defects := fs.Float64("defects", 0.01, "share of records given a deliberate quality defect (0–0.2)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *n <= 0 || *defects < 0 || *defects > 0.2 {
		return cli.UsageError("--people must be positive and --defects within 0–0.2")
	}
	a, db, err := openApp(ctx, sf, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	counts, err := demo.People(ctx, a, db, *n, *seed, *defects)
	if err != nil {
		return err
	}
	out, _ := json.Marshal(map[string]any{"records": counts, "seconds": time.Since(start).Seconds()})
	fmt.Fprintln(stdout, string(out))
	return nil
}
