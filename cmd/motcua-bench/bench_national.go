package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/nationaltest"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

// nationalConfig are the flags of the national benchmark.
type nationalConfig struct {
	provinces  int
	dur        time.Duration
	runs       int
	pg         string
	bin        string
	cpuprofile string
	noSQLite   bool
}

// benchNational measures the national mode's ingest: a motcua process
// started with `serve --national`, one client per province with its own
// credentials, all at once, sending new dossiers (100 a call), progress in
// the adapter style (100 entries a call) and in the three-URL style (10 a
// call), on SQLite and PostgreSQL. The baseline, in the same run, is the
// store alone: the same progress rows, 100 to a transaction, written by as
// many goroutines straight through the store (no HTTP, no JSON, no
// validation).
func benchNational(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench national", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg nationalConfig
	fs.IntVar(&cfg.provinces, "provinces", 34, "provinces sending at once, one client each (at most 34)")
	fs.DurationVar(&cfg.dur, "duration", 20*time.Second, "duration of each measurement")
	fs.IntVar(&cfg.runs, "runs", 1, "repetitions of each measurement; the median (by rate) is reported")
	fs.StringVar(&cfg.pg, "postgres", os.Getenv("MOTCUA_TEST_POSTGRES"), "PostgreSQL URL to measure too (fresh schemas are created and dropped) [MOTCUA_TEST_POSTGRES]")
	fs.BoolVar(&cfg.noSQLite, "no-sqlite", false, "measure PostgreSQL only")
	fs.StringVar(&cfg.cpuprofile, "cpuprofile", "", "save a CPU profile of the server during the first adapter-style progress measurement to FILE-<store> and print its top functions")
	bin := motcuaFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.bin = *bin
	units, err := unit.Load()
	if err != nil {
		return err
	}
	provs := units.Provinces()
	if cfg.provinces < 1 || cfg.provinces > len(provs) || cfg.runs < 1 {
		return fmt.Errorf("--provinces between 1 and %d, --runs at least 1", len(provs))
	}
	codes := make([]string, cfg.provinces)
	for i := range codes {
		codes[i] = provs[i].Code
	}
	dir, err := os.MkdirTemp("", "motcua-bench-national")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exe, err := motcuaBinary(ctx, cfg.bin, dir)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tmeasurement\tclients\tseconds\tcalls\terrors\tcalls/s\trecords/s\tp50\tp99\tserver CPU\tof baseline\n")
	measure := func(name string, serveArgs []string, base *sqlstore.DB) error {
		rows, err := nationalRun(ctx, cfg, codes, exe, name, serveArgs, base, filepath.Join(dir, name+".log"), stderr)
		if err != nil {
			return err
		}
		for _, r := range rows {
			fmt.Fprintln(tw, r)
		}
		return nil
	}
	if !cfg.noSQLite {
		lite, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "baseline"))
		if err != nil {
			return err
		}
		err = measure("sqlite", []string{"--data", filepath.Join(dir, "server")}, lite)
		lite.Close()
		if err != nil {
			return err
		}
	}
	if cfg.pg != "" {
		bu, dropB, err := sqlstore.CreateSchema(ctx, cfg.pg, "benchnatbase")
		if err != nil {
			return err
		}
		defer dropB()
		su, dropS, err := sqlstore.CreateSchema(ctx, cfg.pg, "benchnational")
		if err != nil {
			return err
		}
		defer dropS()
		db, err := sqlstore.OpenPostgres(ctx, bu)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := measure("postgres", []string{"--db", su, "--data", filepath.Join(dir, "pgserver")}, db); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// nationalResult is one measurement: calls of n records each.
type nationalResult struct {
	loadResult
	perCall int
	cpu     time.Duration // the server's CPU time during the run (-1 unknown)
}

func (r nationalResult) records() float64 { return r.rate() * float64(r.perCall) }

// nationalRun starts the server, prepares the provinces' clients and runs
// the measurements cfg.runs times; it returns the table's rows.
func nationalRun(ctx context.Context, cfg nationalConfig, codes []string, exe, name string, serveArgs []string, base *sqlstore.DB, logs string, stderr io.Writer) ([]string, error) {
	srv, err := startServer(ctx, exe, append([]string{"--national"}, serveArgs...), cfg.cpuprofile != "", logs)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	n := len(codes)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * n, MaxConnsPerHost: 2 * n}, Timeout: 60 * time.Second}
	defer client.CloseIdleConnections()
	clients := make([]*provinceClient, n)
	for i, code := range codes {
		c := &provinceClient{http: client, base: srv.base, code: code, at: time.Date(2026, 1, 5, 8, 0, 0, 0, calendar.VN)}
		if err := c.login(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		// Each province's progress goes to a hundred dossiers of its own.
		if err := c.addDossiers(ctx); err != nil {
			return nil, fmt.Errorf("%s: prepare province %s: %w", name, code, err)
		}
		c.pool = c.made
		clients[i] = c
	}
	type measurement struct {
		label   string
		perCall int
		call    func(context.Context, *provinceClient) error
	}
	ms := []measurement{
		{"dossiers, adapter style (100/call)", 100, func(ctx context.Context, c *provinceClient) error { return c.addDossiers(ctx) }},
		{"progress, adapter style (100/call)", 100, func(ctx context.Context, c *provinceClient) error { return c.progressA(ctx, 100) }},
		{"progress, three-URL style (10/call)", 10, func(ctx context.Context, c *provinceClient) error { return c.progressB(ctx, 10) }},
	}
	results := make([][]nationalResult, len(ms))
	var baseRuns []loadResult
	for run := range cfg.runs {
		for i, m := range ms {
			prof := ""
			if run == 0 && i == 1 && cfg.cpuprofile != "" && srv.pprof != "" {
				prof = cfg.cpuprofile + "-" + name
			}
			r, err := nationalLoad(ctx, clients, cfg.dur, m.perCall, srv, prof, m.call)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(stderr, "%s run %d/%d: %s: %.0f records/s, p50 %s, p99 %s, %d errors\n", name, run+1, cfg.runs, m.label, r.records(), ms2(r.pct(50)), ms2(r.pct(99)), r.failed)
			if r.firstErr != "" {
				fmt.Fprintf(stderr, "%s %s: first error: %s\n", name, m.label, r.firstErr)
			}
			results[i] = append(results[i], r)
		}
		b, err := nationalBaseline(ctx, base, n, cfg.dur, run)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(stderr, "%s run %d/%d: baseline: %.0f rows/s\n", name, run+1, cfg.runs, b.rate()*100)
		baseRuns = append(baseRuns, b)
	}
	slices.SortFunc(baseRuns, func(a, b loadResult) int { return cmp.Compare(a.rate(), b.rate()) })
	baseline := baseRuns[len(baseRuns)/2]
	var rows []string
	for i, m := range ms {
		rs := results[i]
		slices.SortFunc(rs, func(a, b nationalResult) int { return cmp.Compare(a.records(), b.records()) })
		r := rs[len(rs)/2]
		cpu := "—"
		if r.cpu >= 0 {
			cpu = fmt.Sprintf("%.2f cores", r.cpu.Seconds()/r.elapsed.Seconds())
		}
		of := ""
		if strings.HasPrefix(m.label, "progress") {
			of = fmt.Sprintf("%.0f%%", 100*r.records()/(baseline.rate()*100))
		}
		rows = append(rows, fmt.Sprintf("%s\t%s\t%d\t%.1f\t%d\t%d\t%.0f\t%.0f\t%s\t%s\t%s\t%s", name, m.label, n, r.elapsed.Seconds(), r.ok, r.failed,
			r.rate(), r.records(), ms2(r.pct(50)), ms2(r.pct(99)), cpu, of))
	}
	rows = append(rows, fmt.Sprintf("%s\tbaseline: store only, 100 progress rows/tx\t%d\t%.1f\t%d\t%d\t%.0f\t%.0f\t%s\t%s\t—\t", name, n, baseline.elapsed.Seconds(),
		baseline.ok, baseline.failed, baseline.rate(), baseline.rate()*100, ms2(baseline.pct(50)), ms2(baseline.pct(99))))
	if cfg.cpuprofile != "" {
		path := cfg.cpuprofile + "-" + name
		out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=25", path).CombinedOutput()
		if err != nil {
			fmt.Fprintf(stderr, "go tool pprof %s: %v\n%s", path, err, out)
		} else {
			fmt.Fprintf(stderr, "\nCPU profile of the server, %s, adapter-style progress: %s\n%s\n", name, path, out)
		}
	}
	return rows, nil
}

// ms2 is ms, shorter: whole milliseconds past ten.
func ms2(d time.Duration) string {
	if d >= 10*time.Millisecond {
		return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000)
	}
	return ms(d)
}

// nationalLoad runs call from every province's client at once for d.
func nationalLoad(ctx context.Context, clients []*provinceClient, d time.Duration, perCall int, srv *server, profile string, call func(context.Context, *provinceClient) error) (nationalResult, error) {
	profErr := make(chan error, 1)
	if profile != "" {
		go func() { profErr <- fetchProfile(ctx, srv.pprof, d, profile) }()
	} else {
		profErr <- nil
	}
	cpu0, cpuErr := srv.cpuTime()
	// The calls running at the deadline are let finish (and counted): a
	// call abandoned would go on in the server, into the next measurement.
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	var res loadResult
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range clients {
		wg.Go(func() {
			var lat []time.Duration
			ok, failed, first := 0, 0, ""
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t := time.Now()
				if err := call(ctx, c); err != nil {
					failed++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				ok++
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			res.ok += ok
			res.failed += failed
			res.lat = append(res.lat, lat...)
			if res.firstErr == "" {
				res.firstErr = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	out := nationalResult{loadResult: res, perCall: perCall, cpu: -1}
	if cpuErr == nil {
		if cpu1, err := srv.cpuTime(); err == nil {
			out.cpu = cpu1 - cpu0
		}
	}
	if err := <-profErr; err != nil {
		return out, fmt.Errorf("CPU profile: %w", err)
	}
	return out, nil
}

// nationalBaseline writes progress rows straight through the store from
// n goroutines, 100 to a transaction, for d.
func nationalBaseline(ctx context.Context, db *sqlstore.DB, n int, d time.Duration, run int) (loadResult, error) {
	var mu sync.Mutex
	next := 0
	at := time.Date(2026, 1, 5, 8, 0, 0, 0, calendar.VN)
	r := runLoad(ctx, n, d, func(ctx context.Context) error {
		mu.Lock()
		k := next
		next++
		mu.Unlock()
		rows := make([]store.NationalProgress, 100)
		for j := range rows {
			code := nationaltest.Code("01", run*1_000_000+k*10+j/10)
			e := nationaltest.Progress(code, at.Add(time.Duration(k*100+j)*time.Second), k*100+j)
			rows[j] = store.NationalProgress{Entry: e, ProvinceCode: "01", Key: national.ProgressKey(e), At: at, SyncedAt: time.Now()}
		}
		return db.Update(ctx, func(tx store.Tx) error {
			_, err := tx.AddNationalProgress(ctx, rows)
			return err
		})
	})
	if r.ok == 0 {
		return r, fmt.Errorf("baseline: no transaction committed: %s", r.firstErr)
	}
	return r, nil
}

// provinceClient is one province's system syncing to the national mode.
type provinceClient struct {
	http    *http.Client
	base    string
	code    string
	session string
	basic   [2]string
	at      time.Time // the next progress entry's time
	made    int       // dossiers added so far (codes 0 … made-1)
	pool    int       // the dossiers progress goes to (codes 0 … pool-1)
	calls   int
}

func (c *provinceClient) post(ctx context.Context, path string, basic bool, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if basic {
		req.SetBasicAuth(c.basic[0], c.basic[1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var rep dvcqg.Reply
	if res.StatusCode != 200 || json.Unmarshal(raw, &rep) != nil || rep.ErrorCode != dvcqg.CodeOK {
		return fmt.Errorf("POST %s: %d %.300s", path, res.StatusCode, raw)
	}
	if path == "/dvcqg/adapter/auth" {
		c.session = rep.Session
	}
	return nil
}

func (c *provinceClient) login(ctx context.Context) error {
	c.basic = [2]string{national.DemoUsername(c.code), national.DemoPassword(c.code)}
	return c.post(ctx, "/dvcqg/adapter/auth", false, map[string]string{"username": c.basic[0], "password": c.basic[1]})
}

func (c *provinceClient) adapter(service string, data any) map[string]any {
	return map[string]any{"session": c.session, "madonvi": "000.00.01.H" + c.code, "service": service, "isUpdating": "False", "data": data}
}

// addDossiers adds a hundred new dossiers.
func (c *provinceClient) addDossiers(ctx context.Context) error {
	recs := make([]dvcqg.Dossier, 100)
	for i := range recs {
		recs[i] = nationaltest.Dossier(nationaltest.Code(c.code, c.made+i), c.at)
	}
	if err := c.post(ctx, "/dvcqg/adapter/integration", false, c.adapter("DongBoHoSoMC", recs)); err != nil {
		return err
	}
	c.made += len(recs)
	return nil
}

// entries are n new progress entries, ten per dossier of the pool.
func (c *provinceClient) entries(n int) []dvcqg.Progress {
	out := make([]dvcqg.Progress, n)
	for j := range out {
		code := nationaltest.Code(c.code, (c.calls*n/10+j/10)%c.pool)
		out[j] = nationaltest.Progress(code, c.at, c.calls*n+j)
		c.at = c.at.Add(time.Second)
	}
	c.calls++
	return out
}

func (c *provinceClient) progressA(ctx context.Context, n int) error {
	return c.post(ctx, "/dvcqg/adapter/integration", false, c.adapter("CapNhatTienDoHoSoMC", c.entries(n)))
}

func (c *provinceClient) progressB(ctx context.Context, n int) error {
	return c.post(ctx, "/dvcqg/dong-bo-tien-trinh", true, c.entries(n))
}
