package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/cli"
)

// The aims of the anonymous upload storm (issue 12): the server's memory
// stays under aimRSS and an official's pages keep a p99 under aimP99.
const (
	aimRSS = 1 << 30
	aimP99 = 100 * time.Millisecond
)

// stormConfig is the command line of `motcua-bench storm`.
type stormConfig struct {
	conc       int
	dur        time.Duration
	baseline   time.Duration
	runs       int
	fileMB     int
	dossiers   int
	killMiB    int
	bin        string
	cpuprofile string
}

// parseStorm reads the flags of `motcua-bench storm`; a command line that
// makes no sense is a cli.UsageError.
func parseStorm(args []string, stderr io.Writer) (stormConfig, error) {
	fs := flag.NewFlagSet("bench storm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c stormConfig
	fs.IntVar(&c.conc, "c", 32, "anonymous clients, each posting one body after another")
	fs.DurationVar(&c.dur, "duration", 60*time.Second, "duration of the storm")
	fs.DurationVar(&c.baseline, "baseline", 10*time.Second, "duration of the baseline: the official's pages with no storm, same server, same run")
	fs.IntVar(&c.runs, "runs", 1, "runs, each on a fresh server and store; medians (and ranges) are printed")
	fs.IntVar(&c.fileMB, "file-mb", 20, "the upload cap of POST /xac-thuc in MiB: the crafted PDFs are just under it, the oversize body 5 MiB over")
	fs.IntVar(&c.dossiers, "dossiers", 200, "dossiers submitted before the measurements, so that the official's inbox has pages of them")
	fs.IntVar(&c.killMiB, "kill-rss", 4096, "stop the storm and kill the server when its RSS passes this many MiB (the run is reported as stopped): a server without bounds must not take the machine down")
	fs.StringVar(&c.cpuprofile, "cpuprofile", "", "save a CPU profile of the server during the first storm to this file")
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
		return c, cli.UsageError(fmt.Sprintf("storm: unexpected argument %q", fs.Arg(0)))
	case c.conc < 1:
		return c, cli.UsageError("storm: -c must be at least 1")
	case c.dur <= 0 || c.baseline <= 0:
		return c, cli.UsageError("storm: --duration and --baseline must be positive")
	case c.runs < 1:
		return c, cli.UsageError("storm: --runs must be at least 1")
	case c.fileMB < 1 || c.fileMB > 1024:
		return c, cli.UsageError("storm: --file-mb must be between 1 and 1024")
	case c.dossiers < 1:
		return c, cli.UsageError("storm: --dossiers must be at least 1 (the official's dossier page shows one)")
	case c.killMiB < 64:
		return c, cli.UsageError("storm: --kill-rss must be at least 64 (MiB)")
	}
	return c, nil
}

// benchStorm measures an anonymous upload storm: conc clients post
// worst-case bodies to every public endpoint that takes one (the PDF
// verification upload, the login page and the login API) for the
// duration, while an official (the commune's receiver) opens the inbox
// and a dossier one page after another. The server is the production
// binary (`serve --demo`) on a fresh store; in the same run, before the
// storm, the baseline: the same official's pages with no storm. It
// reports the pages' p50 and p99 in both phases, the server's resident
// memory (sampled every 100 ms, and its peak, VmHWM) and CPU, and the
// storm's answers by endpoint and status, against the aims (RSS < 1 GiB,
// p99 < 100 ms). A missed aim is printed, not an error.
func benchStorm(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseStorm(args, stderr)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "motcua-bench-storm")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exe, err := motcuaBinary(ctx, cfg.bin, dir)
	if err != nil {
		return err
	}
	bodies := stormBodies(cfg.fileMB << 20)
	for _, b := range bodies {
		fmt.Fprintf(stderr, "storm body: POST %s, %s, %s\n", b.path, b.label, mib(b.size()))
	}
	var runs []stormResult
	for i := range cfg.runs {
		profile := ""
		if i == 0 {
			profile = cfg.cpuprofile
		}
		r, err := stormRun(ctx, cfg, exe, bodies, filepath.Join(dir, fmt.Sprintf("run-%d", i+1)), profile)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		runs = append(runs, r)
		fmt.Fprintf(stderr, "run %d/%d: pages p99 %s (baseline %s), peak RSS %s, storm %d requests%s\n", i+1, cfg.runs,
			ms(r.storm.all().pct(99)), ms(r.base.all().pct(99)), mib(r.hwm), r.requests(), r.stoppedText())
	}
	if err := stormReport(stdout, cfg, bodies, runs); err != nil {
		return err
	}
	if cfg.cpuprofile != "" {
		fmt.Fprintf(stdout, "\nCPU profile of the server during the first storm: %s (go tool pprof -top %s)\n", cfg.cpuprofile, cfg.cpuprofile)
	}
	return nil
}

// stormResult is what one run measured.
type stormResult struct {
	base, storm pageResult
	rssBase     int64            // max RSS sampled during the baseline
	rssStorm    int64            // max RSS sampled during the storm
	hwm         int64            // the server's peak RSS (VmHWM) at the end, or the max sampled if it was killed
	cpu         time.Duration    // server CPU during the storm; < 0 when unknown
	clientCPU   time.Duration    // this process's CPU during the storm (the clients); < 0 when unknown
	load        [2]string        // the machine's load average (1 min) at the start and end of the storm
	elapsed     time.Duration    // of the storm
	traffic     []map[string]int // by body (index of stormBodies): answers by status ("net": none)
	stopped     string           // why the storm was cut short, "" when it ran its course
}

func (r stormResult) requests() int {
	n := 0
	for _, t := range r.traffic {
		for _, c := range t {
			n += c
		}
	}
	return n
}

func (r stormResult) stoppedText() string {
	if r.stopped == "" {
		return ""
	}
	return "; STOPPED: " + r.stopped
}

// stormRun is one run in runDir: a fresh `serve --demo`, the dossiers, the
// official logged in, the baseline and the storm.
func stormRun(ctx context.Context, cfg stormConfig, exe string, bodies []stormBody, runDir, profile string) (stormResult, error) {
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return stormResult{}, err
	}
	srv, err := startServer(ctx, exe, []string{"--data", filepath.Join(runDir, "server"), "--demo"}, profile != "", filepath.Join(runDir, "serve.log"))
	if err != nil {
		return stormResult{}, err
	}
	defer srv.stop()
	off, err := newOfficial(ctx, srv.base, cfg.dossiers)
	if err != nil {
		return stormResult{}, err
	}
	defer off.client.CloseIdleConnections()
	res := stormResult{storm: newPageResult(len(off.pages)), traffic: make([]map[string]int, len(bodies)), cpu: -1}
	// The baseline: the official alone.
	memCtx, stopMem := context.WithCancel(ctx)
	mem := sampleMemory(memCtx, srv, int64(cfg.killMiB)<<20, stopMem)
	res.base = off.browse(memCtx, cfg.baseline)
	stopMem()
	m := <-mem
	res.rssBase, res.hwm = m.max, m.max
	if m.killed {
		res.stopped = fmt.Sprintf("RSS %s passed --kill-rss during the baseline; server killed", mib(m.max))
		return res, nil
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	// The storm, the official browsing through it.
	stormCtx, stopStorm := context.WithTimeout(ctx, cfg.dur)
	defer stopStorm()
	mem = sampleMemory(stormCtx, srv, int64(cfg.killMiB)<<20, stopStorm)
	profErr := make(chan error, 1)
	if profile != "" {
		go func() { profErr <- fetchProfile(ctx, srv.pprof, cfg.dur, profile) }()
	} else {
		profErr <- nil
	}
	cpu0, cpuErr := srv.cpuTime()
	self0, selfErr := procCPU("self")
	res.load[0] = loadAverage()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		res.storm = off.browse(stormCtx, cfg.dur)
	}()
	res.traffic = storm(stormCtx, srv.base, cfg.conc, bodies)
	wg.Wait()
	res.elapsed = time.Since(start)
	if cpu1, err := srv.cpuTime(); err == nil && cpuErr == nil {
		res.cpu = cpu1 - cpu0
	}
	res.clientCPU = -1
	if self1, err := procCPU("self"); err == nil && selfErr == nil {
		res.clientCPU = self1 - self0
	}
	res.load[1] = loadAverage()
	m = <-mem
	res.rssStorm = m.max
	if m.killed {
		res.stopped = fmt.Sprintf("RSS %s passed --kill-rss after %.1f s; server killed", mib(m.max), m.at.Sub(start).Seconds())
		res.hwm = m.max
	} else if _, hwm, err := srv.memory(); err == nil {
		res.hwm = hwm
	} else {
		return res, fmt.Errorf("read the server's peak RSS: %w", err)
	}
	if err := <-profErr; err != nil && !m.killed {
		return res, fmt.Errorf("CPU profile: %w", err)
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	return res, nil
}

// loadAverage is the machine's load average over the last minute, "?"
// where there is no /proc: the figures of a machine others use too.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// memSamples is what sampleMemory saw.
type memSamples struct {
	max    int64     // bytes
	killed bool      // the server passed the limit and was killed
	at     time.Time // when it was killed
}

// sampleMemory reads the server's RSS every 100 ms until ctx ends and then
// sends the largest value seen. When the RSS passes limit it kills the
// server, calls stop (to end the measurement) and reports it.
func sampleMemory(ctx context.Context, srv *server, limit int64, stop func()) <-chan memSamples {
	out := make(chan memSamples, 1)
	go func() {
		var m memSamples
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if rss, _, err := srv.memory(); err == nil {
				m.max = max(m.max, rss)
				if rss > limit {
					_ = srv.cmd.Process.Kill()
					m.killed, m.at = true, time.Now()
					stop()
					out <- m
					return
				}
			}
			select {
			case <-ctx.Done():
				out <- m
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// stormReport prints three tables: the official's pages in both phases,
// the server's memory and CPU, and the storm's answers.
func stormReport(stdout io.Writer, cfg stormConfig, bodies []stormBody, runs []stormResult) error {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "phase\tpage (tiepnhanxa, one at a time)\truns×s\trequests\tnot 200\tp50\tp99\taim\tmet\t\n")
	pages := []string{"inbox /ho-so", "dossier /ho-so/{code}"}
	for _, ph := range []struct {
		name string
		dur  time.Duration
		of   func(stormResult) pageResult
	}{
		{"baseline", cfg.baseline, func(r stormResult) pageResult { return r.base }},
		{fmt.Sprintf("storm (%d clients)", cfg.conc), cfg.dur, func(r stormResult) pageResult { return r.storm }},
	} {
		storm := ph.name != "baseline"
		for page := -1; page < len(pages); page++ {
			name := "all pages"
			if page >= 0 {
				name = pages[page]
			}
			var p50, p99 []time.Duration
			count, met := 0, 0
			failed := map[string]int{}
			for _, r := range runs {
				pr := ph.of(r)
				l := pr.all()
				if page >= 0 {
					l = loadResult{lat: pr.lat[page]}
				}
				for i, f := range pr.failed {
					if page < 0 || i == page {
						for k, n := range f {
							failed[k] += n
						}
					}
				}
				count += len(l.lat)
				p50, p99 = append(p50, l.pct(50)), append(p99, l.pct(99))
				if l.pct(99) < aimP99 {
					met++
				}
			}
			aim, ok := "", ""
			if storm && page < 0 {
				aim, ok = fmt.Sprintf("p99 < %d ms", aimP99.Milliseconds()), metText(met, len(runs))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d×%.0f\t%d\t%s\t%s\t%s\t%s\t%s\t\n", ph.name, name, len(runs), ph.dur.Seconds(), count+sum(failed), statusCounts(failed), med(p50), med(p99), aim, ok)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	var rssBase, rssStorm, hwm, cpu, cores, client []float64
	var loads []string
	met := 0
	for _, r := range runs {
		loads = append(loads, r.load[0]+"→"+r.load[1])
		if r.clientCPU >= 0 && r.elapsed > 0 {
			client = append(client, r.clientCPU.Seconds()/r.elapsed.Seconds())
		}
		rssBase, rssStorm, hwm = append(rssBase, float64(r.rssBase)/(1<<20)), append(rssStorm, float64(r.rssStorm)/(1<<20)), append(hwm, float64(r.hwm)/(1<<20))
		if r.hwm < aimRSS {
			met++
		}
		if r.cpu >= 0 {
			cpu, cores = append(cpu, r.cpu.Seconds()), append(cores, r.cpu.Seconds()/r.elapsed.Seconds())
		}
	}
	fmt.Fprintf(tw, "server (motcua serve --demo, SQLite)\tvalue\taim\tmet\t\n")
	fmt.Fprintf(tw, "RSS during the baseline (max of samples every 100 ms)\t%s\t\t\t\n", medF(rssBase, "%.0f MiB"))
	fmt.Fprintf(tw, "RSS during the storm (max of samples every 100 ms)\t%s\t\t\t\n", medF(rssStorm, "%.0f MiB"))
	fmt.Fprintf(tw, "peak RSS (VmHWM, the whole run)\t%s\tRSS < 1 GiB\t%s\t\n", medF(hwm, "%.0f MiB"), metText(met, len(runs)))
	fmt.Fprintf(tw, "CPU during the storm\t%s s, %s cores\t\t\t\n", medF(cpu, "%.1f"), medF(cores, "%.2f"))
	fmt.Fprintf(tw, "CPU of the clients (this process) during the storm\t%s cores\t\t\t\n", medF(client, "%.2f"))
	fmt.Fprintf(tw, "machine: %d cores, load average (1 min) at the storm's start→end\t%s\t\t\t\n", runtime.NumCPU(), strings.Join(loads, ", "))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	var secs float64
	for _, r := range runs {
		secs += r.elapsed.Seconds()
	}
	fmt.Fprintf(tw, "storm: POST\tbody\tsize\tanswers\tper second\tby status\t\n")
	for i, b := range bodies {
		by := map[string]int{}
		for _, r := range runs {
			for k, n := range r.traffic[i] {
				by[k] += n
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.1f\t%s\t\n", b.path, b.label, mib(b.size()), sum(by), float64(sum(by))/max(secs, 0.001), statusCounts(by))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, r := range runs {
		if r.stopped != "" {
			fmt.Fprintf(stdout, "\nrun %d STOPPED: %s\n", i+1, r.stopped)
		}
	}
	return nil
}

// metText says whether an aim was met: "yes" or "no", with the count of
// runs that met it when there are several.
func metText(met, runs int) string {
	s := "no"
	if 2*met > runs {
		s = "yes"
	}
	if runs > 1 {
		s += fmt.Sprintf(" (%d of %d runs)", met, runs)
	}
	return s
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// statusCounts writes counts by status, largest first: "0" when there are
// none, else "503: 1200, 200: 14".
func statusCounts(m map[string]int) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(m[b]-m[a], strings.Compare(a, b)) })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, ", ")
}
