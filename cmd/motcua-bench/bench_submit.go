package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/internal/democlient"
	"github.com/motcua/motcua/natsbus"
	"github.com/motcua/motcua/store/sqlstore"
)

// loadResult is what a load run measured.
type loadResult struct {
	ok, failed int
	elapsed    time.Duration
	lat        []time.Duration
	firstErr   string
	cpu        time.Duration // the server's CPU time for the load (and the relay's drain), 0 if unknown
}

func (r loadResult) rate() float64 { return float64(r.ok) / r.elapsed.Seconds() }

func (r loadResult) pct(p int) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	slices.Sort(r.lat)
	return r.lat[min(len(r.lat)-1, len(r.lat)*p/100)]
}

// runLoad calls do from conc goroutines for d and collects latencies of
// the successful calls.
func runLoad(ctx context.Context, conc int, d time.Duration, do func(context.Context) error) loadResult {
	return runLoadWait(ctx, conc, d, nil, do)
}

// runLoadWait is runLoad where each call first waits for its turn (wait
// false: no more turns); the wait is not part of the call's latency.
func runLoadWait(ctx context.Context, conc int, d time.Duration, wait func(context.Context) bool, do func(context.Context) error) loadResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var res loadResult
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			ok, failed, first := 0, 0, ""
			for ctx.Err() == nil {
				if wait != nil && !wait(ctx) {
					break
				}
				t := time.Now()
				err := do(ctx)
				if ctx.Err() != nil {
					break
				}
				if err != nil {
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
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// runPaced offers do at rate calls per second for d, from at most conc
// calls at once (an open loop: a call the clients are too busy to start on
// time starts late, and the rate achieved says so).
func runPaced(ctx context.Context, conc int, d time.Duration, rate float64, do func(context.Context) error) loadResult {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	tokens := make(chan struct{}, conc*4)
	go func() {
		defer close(tokens)
		start, issued := time.Now(), 0
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			due := int(time.Since(start).Seconds() * rate)
			for ; issued < due; issued++ {
				select {
				case tokens <- struct{}{}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return runLoadWait(ctx, conc, d, func(ctx context.Context) bool {
		select {
		case _, ok := <-tokens:
			return ok && ctx.Err() == nil
		case <-ctx.Done():
			return false
		}
	}, do)
}

// benchSubmit measures dossier submissions over HTTP against a fresh
// server (the motcua binary, `serve --demo`) and, in the same run, raw
// single-row insert transactions on the same kind of store; and the outbox
// relay under that load: the submissions run once publishing to NATS as
// --nats says and once with `--nats off`, each on a fresh store.
func benchSubmit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench submit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conc := fs.Int("c", 32, "concurrent clients")
	dur := fs.Duration("duration", 30*time.Second, "duration of each measurement")
	procedure := fs.String("procedure", "1.001193", "procedure submitted")
	pg := fs.String("postgres", os.Getenv("MOTCUA_TEST_POSTGRES"), "PostgreSQL URL to measure too (fresh schemas are created and dropped) [MOTCUA_TEST_POSTGRES]")
	runs := fs.Int("runs", 1, "loads with and without the relay, alternating; the median run of each is printed, with the range of rates")
	natsURL := fs.String("nats", "", "where the server publishes its events during the load: a NATS URL (a test server: its stream MOTCUA_01 is deleted before each load, so that the demo's dossier codes, the same at every load, are not taken for duplicates), or off (default: its embedded NATS server); a second load with --nats off is the baseline")
	bin := motcuaFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *runs < 1 {
		return cli.UsageError("submit: --runs must be at least 1")
	}
	dir, err := os.MkdirTemp("", "motcua-bench-submit")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self, err := motcuaBinary(ctx, *bin, dir)
	if err != nil {
		return err
	}
	events := "embedded NATS"
	var natsArgs []string
	if *natsURL != "" {
		events, natsArgs = "--nats "+*natsURL, []string{"--nats", *natsURL}
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tmeasurement\tclients\tseconds\tok\terrors\tper second\tp50\tp99\tof baseline\tserver CPU/op\n")
	row := func(store, what string, r loadResult, base float64) {
		of, cpu := "", ""
		if base > 0 {
			of = fmt.Sprintf("%.0f%%", 100*r.rate()/base)
		}
		if r.cpu > 0 && r.ok > 0 {
			cpu = ms(r.cpu / time.Duration(r.ok))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\n", store, what, *conc, r.elapsed.Seconds(), r.ok, r.failed, r.rate(), ms(r.pct(50)), ms(r.pct(99)), of, cpu)
		if r.firstErr != "" {
			fmt.Fprintf(stderr, "%s %s: first error: %s\n", store, what, r.firstErr)
		}
	}
	// measure runs the loads; serveArgs gives the flags of a fresh store
	// for each server started.
	measure := func(name string, serveArgs func(run string) ([]string, error), baseDB *sqlstore.DB) error {
		if err := baseDB.CreateBaselineTable(ctx); err != nil {
			return err
		}
		payload := strings.Repeat("x", 2048)
		base := runLoad(ctx, *conc, *dur, func(ctx context.Context) error { return baseDB.BaselineInsert(ctx, payload) })
		// The loads with and without the relay alternate, the first in
		// turn, so that a machine busier at one moment weighs on both.
		var subs, offs []loadResult
		var rels []*relayStats
		for i := range *runs {
			for j := range 2 {
				withRelay := (i+j)%2 == 0
				args, err := serveArgs(fmt.Sprintf("%d-%v", i, withRelay))
				if err != nil {
					return err
				}
				if withRelay {
					if err := resetStream(ctx, *natsURL); err != nil {
						return err
					}
					r, rel, err := submitLoad(ctx, self, append(args, natsArgs...), *procedure, *conc, *dur, *natsURL != "off")
					if err != nil {
						return err
					}
					subs, rels = append(subs, r), append(rels, rel)
				} else {
					r, _, err := submitLoad(ctx, self, append(args, "--nats", "off"), *procedure, *conc, *dur, false)
					if err != nil {
						return err
					}
					offs = append(offs, r)
				}
			}
		}
		m := median(subs)
		sub, rel, off := subs[m], rels[m], offs[median(offs)]
		row(name, "submit over HTTP, events to "+events+spread(subs), sub, base.rate())
		row(name, "submit over HTTP, --nats off"+spread(offs), off, base.rate())
		cpuRatio := ""
		if sub.cpu > 0 && off.cpu > 0 {
			cpuRatio = fmt.Sprintf("%.0f%%", 100*(sub.cpu.Seconds()/float64(sub.ok))/(off.cpu.Seconds()/float64(off.ok)))
		}
		fmt.Fprintf(tw, "%s\tevents on / --nats off\t\t\t\t\t\t\t\t%.0f%%\t%s\n", name, 100*sub.rate()/off.rate(), cpuRatio)
		row(name, "baseline: 1-row insert tx", base, 0)
		if rel != nil {
			fmt.Fprintf(tw, "%s\trelay: events published during the load\t\t%.1f\t%d\t%d\t%.0f\t%s\t%s\t%s\n", name, sub.elapsed.Seconds(), rel.published, rel.failures,
				float64(rel.published)/sub.elapsed.Seconds(), ms(rel.delayP50), ms(rel.delayP99), fmt.Sprintf("%d left, drained in %s", rel.left, rel.drain.Round(time.Millisecond)))
		}
		return nil
	}
	lite, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "baseline"))
	if err != nil {
		return err
	}
	err = measure("sqlite", func(run string) ([]string, error) { return []string{"--data", filepath.Join(dir, "server-"+run)}, nil }, lite)
	lite.Close()
	if err != nil {
		return err
	}
	if *pg != "" {
		for _, step := range []func() error{func() error {
			bu, dropB, err := sqlstore.CreateSchema(ctx, *pg, "benchbase")
			if err != nil {
				return err
			}
			defer dropB()
			var drops []func()
			defer func() {
				for _, d := range drops {
					d()
				}
			}()
			db, err := sqlstore.OpenPostgres(ctx, bu)
			if err != nil {
				return err
			}
			defer db.Close()
			return measure("postgres", func(run string) ([]string, error) {
				su, drop, err := sqlstore.CreateSchema(ctx, *pg, "benchsubmit")
				if err != nil {
					return nil, err
				}
				drops = append(drops, drop)
				return []string{"--db", su, "--data", filepath.Join(dir, "pgserver-"+run)}, nil
			}, db)
		}} {
			if err := step(); err != nil {
				return err
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "relay p50/p99: from a change (just before its commit) to JetStream's acknowledgement, from the histogram motcua_outbox_publish_delay_seconds (bucket bounds, interpolated)")
	return nil
}

// resetStream deletes the demo province's stream on the NATS server of
// url (none for the embedded server or off).
func resetStream(ctx context.Context, url string) error {
	if url == "" || url == "off" {
		return nil
	}
	b, err := natsbus.Connect(url, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer b.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := b.JetStream().DeleteStream(ctx, natsbus.StreamName("01")); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("reset the stream on %s: %w", natsbus.Redact(url), err)
	}
	return nil
}

// median is the index of the run of the median rate.
func median(rs []loadResult) int {
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(rs[a].rate(), rs[b].rate()) })
	return idx[len(idx)/2]
}

// spread is the range of the runs' rates, "" for one run.
func spread(rs []loadResult) string {
	if len(rs) < 2 {
		return ""
	}
	lo, hi := rs[0].rate(), rs[0].rate()
	for _, r := range rs {
		lo, hi = min(lo, r.rate()), max(hi, r.rate())
	}
	return fmt.Sprintf(" (%d runs: %.0f–%.0f/s)", len(rs), lo, hi)
}

// relayStats is what the server's /metrics said of its outbox relay after
// a load.
type relayStats struct {
	published, failures int
	left                int           // events pending when the load stopped
	drain               time.Duration // until none was pending
	delayP50, delayP99  time.Duration
}

// submitLoad starts `serve --demo`, prepares a citizen's token and uploads,
// and submits dossiers from conc clients for d; then, with relay (the
// server publishes its events), it waits for the relay to publish what is left
// and reads its metrics.
func submitLoad(ctx context.Context, self string, serveArgs []string, procedure string, conc int, d time.Duration, relay bool) (loadResult, *relayStats, error) {
	return submitLoadWith(ctx, self, serveArgs, procedure, conc, d, loadOpts{relay: relay})
}

// loadOpts vary a submission load.
type loadOpts struct {
	relay bool    // wait for the relay to drain and read its metrics
	pace  float64 // submissions per second offered (0: as fast as the clients go)
	// after runs once the load stopped, before the server is killed,
	// with the client and the server's /metrics URL.
	after func(ctx context.Context, client *http.Client, metricsURL string) error
}

// submitLoadWith is submitLoad as o says.
func submitLoadWith(ctx context.Context, self string, serveArgs []string, procedure string, conc int, d time.Duration, o loadOpts) (loadResult, *relayStats, error) {
	addr, err := freeAddr()
	if err != nil {
		return loadResult{}, nil, err
	}
	metricsAddr, err := freeAddr()
	if err != nil {
		return loadResult{}, nil, err
	}
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, self, append([]string{"serve", "--addr", addr, "--pprof", metricsAddr, "--demo", "--log-level", "warn"}, serveArgs...)...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return loadResult{}, nil, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	base := "http://" + addr
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc * 2, MaxConnsPerHost: conc * 2}, Timeout: 30 * time.Second}
	ready := false
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(50 * time.Millisecond) {
		if res, err := client.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				ready = true
				break
			}
		}
	}
	if !ready {
		return loadResult{}, nil, fmt.Errorf("server not ready: %s", logs.String())
	}
	body, token, err := democlient.Submission(client, base, procedure)
	if err != nil {
		return loadResult{}, nil, err
	}
	proc := &server{cmd: cmd}
	cpu0, cpuErr := proc.cpuTime()
	load := runLoad
	if o.pace > 0 {
		load = func(ctx context.Context, conc int, d time.Duration, do func(context.Context) error) loadResult {
			return runPaced(ctx, conc, d, o.pace, do)
		}
	}
	r := load(ctx, conc, d, func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/dossiers", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 201 {
			return fmt.Errorf("status %d: %.300s", res.StatusCode, b)
		}
		return nil
	})
	var rel *relayStats
	if o.relay {
		if rel, err = drainRelay(ctx, client, "http://"+metricsAddr+"/metrics"); err != nil {
			return r, nil, err
		}
	}
	if o.after != nil {
		if err := o.after(ctx, client, "http://"+metricsAddr+"/metrics"); err != nil {
			return r, rel, err
		}
	}
	if cpu1, err := proc.cpuTime(); err == nil && cpuErr == nil {
		r.cpu = cpu1 - cpu0
	}
	return r, rel, nil
}

// drainRelay reads the relay's metrics until nothing is pending (60 s at
// most).
func drainRelay(ctx context.Context, client *http.Client, url string) (*relayStats, error) {
	start := time.Now()
	var rel relayStats
	for first := true; ; first = false {
		m, err := scrape(ctx, client, url)
		if err != nil {
			return nil, err
		}
		pending, ok := m.value("motcua_outbox_pending")
		if !ok {
			return nil, fmt.Errorf("no motcua_outbox_pending in %s", url)
		}
		if first {
			rel.left = int(pending)
		}
		if pending == 0 {
			rel.drain = time.Since(start)
			p, _ := m.value("motcua_outbox_published_total")
			f, _ := m.value("motcua_outbox_publish_failures_total")
			rel.published, rel.failures = int(p), int(f)
			rel.delayP50 = m.quantile("motcua_outbox_publish_delay_seconds", 0.50)
			rel.delayP99 = m.quantile("motcua_outbox_publish_delay_seconds", 0.99)
			return &rel, nil
		}
		if time.Since(start) > time.Minute {
			return nil, fmt.Errorf("the relay left %v events pending a minute after the load", pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// metricLines are the samples of a Prometheus text exposition, by name
// with labels as written (e.g. `x_bucket{le="0.5"}`).
type metricLines map[string]float64

func scrape(ctx context.Context, client *http.Client, url string) (metricLines, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	m := metricLines{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			m[line[:i]] = v
		}
	}
	return m, nil
}

func (m metricLines) value(name string) (float64, bool) {
	v, ok := m[name]
	return v, ok
}

// quantile estimates a quantile of a histogram as Prometheus's
// histogram_quantile does: linear within the bucket it falls in.
func (m metricLines) quantile(name string, q float64) time.Duration {
	type bucket struct{ le, count float64 }
	var bs []bucket
	for k, v := range m {
		le, ok := strings.CutPrefix(k, name+`_bucket{le="`)
		if !ok {
			continue
		}
		bound, err := strconv.ParseFloat(strings.TrimSuffix(le, `"}`), 64)
		if err != nil { // +Inf parses; anything else is skipped
			continue
		}
		bs = append(bs, bucket{bound, v})
	}
	slices.SortFunc(bs, func(a, b bucket) int { return cmp.Compare(a.le, b.le) })
	if len(bs) == 0 || bs[len(bs)-1].count == 0 {
		return 0
	}
	rank := q * bs[len(bs)-1].count
	lower, below := 0.0, 0.0
	for _, b := range bs {
		if b.count >= rank {
			if math.IsInf(b.le, 1) {
				return time.Duration(lower * float64(time.Second))
			}
			frac := (rank - below) / max(b.count-below, 1)
			return time.Duration((lower + frac*(b.le-lower)) * float64(time.Second))
		}
		lower, below = b.le, b.count
	}
	return 0
}
