package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/internal/democlient"
	"github.com/motcua/motcua/store/sqlstore"
)

// walkConfig is the command line of `motcua-bench walk`.
type walkConfig struct {
	conc       int
	nodes      int
	dur        time.Duration
	runs       int
	pg         string
	url        string
	bin        string
	noPKI      bool
	cpuprofile string
}

// parseWalk reads the flags of `motcua-bench walk`; a command line that
// makes no sense is a cli.UsageError.
func parseWalk(args []string, stderr io.Writer) (walkConfig, error) {
	fs := flag.NewFlagSet("bench walk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c walkConfig
	fs.IntVar(&c.conc, "c", 32, "concurrent clients, each walking dossiers one after another")
	fs.IntVar(&c.nodes, "nodes", 1, "serve nodes started on the same PostgreSQL schema (needs --postgres when > 1; SQLite is not measured then), the requests of each walk going to them in turn")
	fs.DurationVar(&c.dur, "duration", 20*time.Second, "duration of each measurement (walks, and the baseline)")
	fs.IntVar(&c.runs, "runs", 1, "runs of each measurement, each on a fresh server and store; medians (and ranges) are printed")
	fs.StringVar(&c.pg, "postgres", "", "PostgreSQL URL to measure too (fresh schemas are created and dropped)")
	fs.StringVar(&c.url, "url", "", "drive the server already running at this base URL (with the demo accounts) instead of starting one: no baseline, no CPU figure")
	fs.BoolVar(&c.noPKI, "no-pki", false, "serve without a PKI: no signed result at status 9 (the difference is the cost of the result PDF)")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "save a CPU profile of the server during the first run to this file (with --postgres, one per store: FILE-sqlite, FILE-postgres) and print its top 10 functions")
	bin := motcuaFlag(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, cli.UsageError(err.Error())
	}
	c.bin = *bin
	switch {
	case fs.NArg() > 0:
		return c, cli.UsageError(fmt.Sprintf("walk: unexpected argument %q", fs.Arg(0)))
	case c.conc < 1:
		return c, cli.UsageError("walk: -c must be at least 1")
	case c.dur <= 0:
		return c, cli.UsageError("walk: --duration must be positive")
	case c.runs < 1:
		return c, cli.UsageError("walk: --runs must be at least 1")
	case c.nodes < 1:
		return c, cli.UsageError("walk: --nodes must be at least 1")
	case c.nodes > 1 && c.url != "":
		return c, cli.UsageError("walk: --url drives one running server; --nodes is about the servers the benchmark starts")
	case c.nodes > 1 && c.pg == "":
		return c, cli.UsageError("walk: --nodes > 1 needs --postgres: nodes share one PostgreSQL database (SQLite is one process's store)")
	}
	if c.url == "" {
		return c, nil
	}
	u, err := url.Parse(c.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, cli.UsageError(fmt.Sprintf("walk: --url %q is not the base URL of a server (http://HOST:PORT)", c.url))
	}
	c.url = strings.TrimSuffix(c.url, "/")
	for _, f := range []struct {
		set  bool
		flag string
	}{{c.pg != "", "--postgres"}, {c.noPKI, "--no-pki"}, {c.cpuprofile != "", "--cpuprofile"}, {c.bin != "", "--motcua"}} {
		if f.set {
			return c, cli.UsageError("walk: --url drives a running server; " + f.flag + " is about the server the benchmark starts")
		}
	}
	return c, nil
}

// benchWalk measures the whole walk of a dossier over HTTP, as its users
// meet it: the citizen submits a birth registration, the commune's receiver
// receives it, the specialist, the leader and the clerk complete their
// steps (the signed result is issued at status 9) and the clerk returns
// it; six requests. Each client walks dossiers one after another. The
// server is the production binary (`serve --demo`) on a fresh store (with
// --nodes N, N such servers on one PostgreSQL schema, the requests of a
// walk going to them in turn), beside the same-run baseline of `submit`: raw single-row write
// transactions on a store of the same kind and settings.
func benchWalk(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseWalk(args, stderr)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tmeasurement\tnodes\tclients\truns×s\tcount\terrors\tper second\tactions/s\tp50\tp99\tserver CPU/walk\twalks of baseline\tactions of baseline\t\n")
	if cfg.url != "" {
		var runs []walkResult
		for i := range cfg.runs {
			w, err := walkLoad(ctx, cfg.conc, cfg.dur, []string{cfg.url}, nil, "")
			if err != nil {
				return err
			}
			runs = append(runs, w)
			progress(stderr, "running server", i+1, cfg.runs, w, nil)
		}
		walkRows(tw, stderr, "running server", "walk over HTTP", cfg, runs, nil)
		return tw.Flush()
	}
	dir, err := os.MkdirTemp("", "motcua-bench-walk")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exe, err := motcuaBinary(ctx, cfg.bin, dir)
	if err != nil {
		return err
	}
	stores := []string{"sqlite"}
	switch {
	case cfg.nodes > 1:
		stores = []string{"postgres"} // SQLite is one process's store
	case cfg.pg != "":
		stores = append(stores, "postgres")
	}
	label := "walk over HTTP, signed result"
	if cfg.noPKI {
		label = "walk over HTTP, no PKI"
	}
	type saved struct{ store, path string }
	var profiles []saved
	for _, st := range stores {
		prof := ""
		if cfg.cpuprofile != "" {
			prof = cfg.cpuprofile
			if len(stores) > 1 {
				ext := filepath.Ext(prof)
				prof = strings.TrimSuffix(prof, ext) + "-" + st + ext
			}
			profiles = append(profiles, saved{st, prof})
		}
		var runs []walkResult
		var bases []loadResult
		for i := range cfg.runs {
			runDir := filepath.Join(dir, fmt.Sprintf("%s-%d", st, i+1))
			w, b, err := walkRun(ctx, cfg, exe, st, runDir, prof)
			if err != nil {
				return fmt.Errorf("%s run %d: %w", st, i+1, err)
			}
			prof = ""
			runs, bases = append(runs, w), append(bases, b)
			progress(stderr, st, i+1, cfg.runs, w, &b)
		}
		walkRows(tw, stderr, st, label, cfg, runs, bases)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, p := range profiles {
		path := p.path
		fmt.Fprintf(stdout, "\nCPU profile of the server, %s, first run (%s): %s\n", p.store, cfg.dur, path)
		if _, err := exec.LookPath("go"); err != nil {
			continue // saved; no go command to read it
		}
		// The ten functions that burn the CPU themselves, then the
		// platform's own functions by the CPU spent under them (what the
		// walk spends it on).
		for _, view := range [][]string{{"-nodecount=10"}, {"-cum", "-nodecount=15", "-show=^github.com/motcua/motcua/"}} {
			out, err := exec.CommandContext(ctx, "go", append(append([]string{"tool", "pprof", "-top"}, view...), path)...).CombinedOutput()
			if err != nil {
				fmt.Fprintf(stderr, "go tool pprof %s: %v\n%s", path, err, out)
				break
			}
			fmt.Fprintf(stdout, "\n$ go tool pprof -top %s %s\n%s", strings.Join(view, " "), path, out)
		}
	}
	return nil
}

// walkRun is one run on store ("sqlite" or "postgres") in runDir: the
// baseline on a fresh store of that kind, then the walks against fresh
// servers (cfg.nodes of them, on the same store, data directory and PKI;
// the first profiled into profile unless ""). It checks that the last dossier
// walked has a signed result, or none with --no-pki.
func walkRun(ctx context.Context, cfg walkConfig, exe, store, runDir, profile string) (walkResult, loadResult, error) {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return walkResult{}, loadResult{}, err
	}
	data := filepath.Join(runDir, "server")
	var baseDB *sqlstore.DB
	var dbURL string
	switch store {
	case "sqlite":
		db, err := sqlstore.OpenSQLite(ctx, filepath.Join(runDir, "baseline"))
		if err != nil {
			return walkResult{}, loadResult{}, err
		}
		baseDB = db
	case "postgres":
		bu, dropB, err := sqlstore.CreateSchema(ctx, cfg.pg, "benchwalkbase")
		if err != nil {
			return walkResult{}, loadResult{}, err
		}
		defer dropB()
		su, dropS, err := sqlstore.CreateSchema(ctx, cfg.pg, "benchwalk")
		if err != nil {
			return walkResult{}, loadResult{}, err
		}
		defer dropS()
		if baseDB, err = sqlstore.OpenPostgres(ctx, bu); err != nil {
			return walkResult{}, loadResult{}, err
		}
		dbURL = su
	}
	base, err := baselineLoad(ctx, baseDB, cfg.conc, cfg.dur)
	baseDB.Close()
	if err != nil {
		return walkResult{}, loadResult{}, err
	}
	storeArgs := []string{"--data", data}
	if dbURL != "" {
		storeArgs = append(storeArgs, "--db", dbURL)
		if cfg.nodes > 2 {
			// The nodes' pools together under PostgreSQL's default
			// max_connections of 100, with room for the benchmark.
			storeArgs = append(storeArgs, "--db-conns", strconv.Itoa(min(sqlstore.DefaultConns, 84/cfg.nodes)))
		}
	}
	serveArgs := append(slices.Clone(storeArgs), "--demo", "--pki", filepath.Join(data, "pki"))
	if cfg.noPKI {
		// serve --demo makes a PKI where there is none: load the demo with
		// a first start, then serve without --demo and with a PKI
		// directory that does not exist (no results, logged).
		seed, err := startServer(ctx, exe, serveArgs, false, filepath.Join(runDir, "seed.log"))
		if err != nil {
			return walkResult{}, loadResult{}, err
		}
		seed.stop()
		serveArgs = append(slices.Clone(storeArgs), "--pki", filepath.Join(runDir, "no-pki"))
	}
	// The first node loads the demo and makes the PKI (--demo); the
	// others are started as an operator adds nodes: same store, same data
	// directory (the file store) and PKI, no --demo, no NATS of their own.
	var srvs []*server
	defer func() {
		for _, s := range srvs {
			s.stop()
		}
	}()
	var bases []string
	for i := range cfg.nodes {
		logs := filepath.Join(runDir, "serve.log")
		if cfg.nodes > 1 {
			logs = filepath.Join(runDir, fmt.Sprintf("serve-%d.log", i+1))
		}
		srv, err := startServer(ctx, exe, serveArgs, i == 0 && profile != "", logs)
		if err != nil {
			return walkResult{}, loadResult{}, fmt.Errorf("node %d: %w", i+1, err)
		}
		srvs, bases = append(srvs, srv), append(bases, srv.base)
		if i == 0 && !cfg.noPKI {
			serveArgs = append(slices.Clone(storeArgs), "--pki", filepath.Join(data, "pki"))
		}
		if i == 0 {
			// One embedded NATS server per data directory: the first
			// node's relay publishes the events of all from the shared
			// outbox.
			serveArgs = append(slices.Clone(serveArgs), "--nats", "off")
		}
	}
	w, err := walkLoad(ctx, cfg.conc, cfg.dur, bases, srvs, profile)
	if err != nil {
		return walkResult{}, loadResult{}, err
	}
	for _, s := range srvs {
		s.stop()
	}
	if w.last == "" {
		return w, base, nil // no walk ended: the errors say why
	}
	db, err := sqlstore.Open(ctx, data, dbURL)
	if err != nil {
		return walkResult{}, loadResult{}, err
	}
	defer db.Close()
	d, err := db.Dossier(ctx, w.last)
	if err != nil {
		return walkResult{}, loadResult{}, fmt.Errorf("read back dossier %s: %w", w.last, err)
	}
	if cfg.noPKI && d.Result != nil {
		return walkResult{}, loadResult{}, fmt.Errorf("dossier %s has a signed result although the server ran without a PKI", d.Code)
	}
	if !cfg.noPKI && d.Result == nil {
		return walkResult{}, loadResult{}, fmt.Errorf("dossier %s was returned without a signed result: the server ran without a PKI (%s)", d.Code, srvs[0].tail())
	}
	return w, base, nil
}

// baselineLoad is the baseline of `submit`: raw single-row write
// transactions (BEGIN; INSERT one 2 KB row; COMMIT) from conc clients for d.
func baselineLoad(ctx context.Context, db *sqlstore.DB, conc int, d time.Duration) (loadResult, error) {
	if err := db.CreateBaselineTable(ctx); err != nil {
		return loadResult{}, err
	}
	payload := strings.Repeat("x", 2048)
	return runLoad(ctx, conc, d, func(ctx context.Context) error { return db.BaselineInsert(ctx, payload) }), nil
}

// walkResult is what one run of walks measured.
type walkResult struct {
	loadResult                // walks walked to the end: count, latencies of the whole walk
	actions    int64          // requests answered 2xx (all six kinds)
	errs       map[string]int // requests not answered 2xx, by status ("net": no answer)
	cpu        time.Duration  // the servers' CPU time during the run (summed over the nodes); < 0 when unknown
	last       string         // code of a dossier walked to the end
}

// walkLoad logs the citizen and the officials in at the first server of
// bases, uploads the citizen's papers, and then walks dossiers from conc
// clients for d, the requests of each walk going to the servers in turn.
// With srvs (the servers the benchmark started) it reads their CPU time
// before and after, and with profile it saves a CPU profile of the run
// from the first server's profiler.
func walkLoad(ctx context.Context, conc int, d time.Duration, bases []string, srvs []*server, profile string) (walkResult, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc * 2, MaxConnsPerHost: conc * 2}, Timeout: 60 * time.Second}
	defer client.CloseIdleConnections()
	w, err := democlient.NewWalker(client, bases...)
	if err != nil {
		return walkResult{}, err
	}
	profErr := make(chan error, 1)
	if profile != "" && len(srvs) > 0 && srvs[0].pprof != "" {
		go func() { profErr <- fetchProfile(ctx, srvs[0].pprof, d, profile) }()
	} else {
		profErr <- nil
	}
	cpuTime := func() (time.Duration, error) {
		if len(srvs) == 0 {
			return 0, errors.New("no server process")
		}
		var sum time.Duration
		for _, s := range srvs {
			t, err := s.cpuTime()
			if err != nil {
				return 0, err
			}
			sum += t
		}
		return sum, nil
	}
	cpu0, cpuErr := cpuTime()
	walk := func(ctx context.Context) error {
		_, err := w.Walk(ctx)
		return err
	}
	res := walkResult{loadResult: runLoad(ctx, conc, d, walk), cpu: -1}
	if cpuErr == nil {
		if cpu1, err := cpuTime(); err == nil {
			res.cpu = cpu1 - cpu0
		}
	}
	if err := <-profErr; err != nil {
		return walkResult{}, fmt.Errorf("CPU profile: %w", err)
	}
	res.actions = w.Actions()
	res.errs, _ = w.Errors()
	res.last = w.Last()
	return res, nil
}

// fetchProfile saves a CPU profile of d (whole seconds, at least one) from
// the Go profiler at addr into path.
func fetchProfile(ctx context.Context, addr string, d time.Duration, path string) error {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs), nil)
	if err != nil {
		return err
	}
	res, err := (&http.Client{Timeout: time.Duration(secs)*time.Second + time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /debug/pprof/profile: %d %.300s", res.StatusCode, b)
	}
	return os.WriteFile(path, b, 0o644)
}

// progress prints one run's figures to stderr while the others run.
func progress(stderr io.Writer, store string, i, n int, w walkResult, base *loadResult) {
	fmt.Fprintf(stderr, "%s run %d/%d: %.1f walks/s, %.1f actions/s, p50 %s, p99 %s, errors %s", store, i, n, w.rate(), float64(w.actions)/w.elapsed.Seconds(), ms(w.pct(50)), ms(w.pct(99)), errorCounts([]walkResult{w}))
	if base != nil {
		fmt.Fprintf(stderr, "; baseline %.0f tx/s", base.rate())
	}
	fmt.Fprintln(stderr)
}

// walkRows prints the medians of the runs of one store, and its baseline
// (bases nil: none).
func walkRows(tw, stderr io.Writer, store, label string, cfg walkConfig, runs []walkResult, bases []loadResult) {
	var walks, actions, cpu, ofWalks, ofActions []float64
	var p50, p99 []time.Duration
	count := 0
	for i, r := range runs {
		count += r.ok
		walks = append(walks, r.rate())
		actions = append(actions, float64(r.actions)/r.elapsed.Seconds())
		p50, p99 = append(p50, r.pct(50)), append(p99, r.pct(99))
		if r.cpu >= 0 && r.ok > 0 {
			cpu = append(cpu, r.cpu.Seconds()/float64(r.ok))
		}
		if bases != nil && bases[i].rate() > 0 {
			ofWalks = append(ofWalks, 100*r.rate()/bases[i].rate())
			ofActions = append(ofActions, 100*actions[i]/bases[i].rate())
		}
		if r.firstErr != "" {
			fmt.Fprintf(stderr, "%s run %d: first error: %s\n", store, i+1, r.firstErr)
		}
	}
	cpuText := "n/a"
	if len(cpu) == len(runs) {
		cpuText = medF(cpu, "%.4f") + " s"
	}
	fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d×%.0f\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", store, label, cfg.nodes, cfg.conc, len(runs), cfg.dur.Seconds(), count, errorCounts(runs),
		medF(walks, "%.1f"), medF(actions, "%.0f"), med(p50), med(p99), cpuText, pctText(ofWalks), pctText(ofActions))
	if bases == nil {
		return
	}
	var tx []float64
	var bp50, bp99 []time.Duration
	count, failed := 0, 0
	for _, b := range bases {
		count += b.ok
		failed += b.failed
		tx = append(tx, b.rate())
		bp50, bp99 = append(bp50, b.pct(50)), append(bp99, b.pct(99))
		if b.firstErr != "" {
			fmt.Fprintf(stderr, "%s baseline: first error: %s\n", store, b.firstErr)
		}
	}
	fmt.Fprintf(tw, "%s\tbaseline: 1-row insert tx\t—\t%d\t%d×%.0f\t%d\t%d\t%s\t—\t%s\t%s\t—\t—\t—\t\n", store, cfg.conc, len(bases), cfg.dur.Seconds(), count, failed,
		medF(tx, "%.0f"), med(bp50), med(bp99))
}

// medF is the median of v in format f, with the range when there are
// several values.
func medF(v []float64, f string) string {
	if len(v) == 0 {
		return "—"
	}
	v = slices.Clone(v)
	slices.Sort(v)
	s := fmt.Sprintf(f, v[len(v)/2])
	if len(v) > 1 {
		s += fmt.Sprintf(" ("+f+"–"+f+")", v[0], v[len(v)-1])
	}
	return s
}

func pctText(v []float64) string { return medF(v, "%.1f%%") }

// errorCounts is the number of failed requests of the runs, by status:
// "0", or "3 (409: 2, net: 1)".
func errorCounts(runs []walkResult) string {
	by := map[string]int{}
	total := 0
	for _, r := range runs {
		for k, n := range r.errs {
			by[k] += n
			total += n
		}
	}
	if total == 0 {
		return "0"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, by[k]))
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}
