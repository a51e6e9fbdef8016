package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/store/sqlstore"
)

// syncStats is what the province's /metrics said of its national portal
// sync once the backlog drained.
type syncStats struct {
	synced, refused  int
	left             int           // dossiers not synced when the load stopped
	drain            time.Duration // until none was left
	lagP50, lagP99   time.Duration
	unreachableCalls int
}

// drainSync reads the sync's metrics until no dossier waits (2 min at most).
func drainSync(ctx context.Context, client *http.Client, url string) (*syncStats, error) {
	start := time.Now()
	var st syncStats
	for first := true; ; first = false {
		m, err := scrape(ctx, client, url)
		if err != nil {
			return nil, err
		}
		pending, ok := m.value(`motcua_portal_sync_rows{state="pending"}`)
		if !ok {
			return nil, fmt.Errorf("no motcua_portal_sync_rows in %s (is --national-url set?)", url)
		}
		failed, _ := m.value(`motcua_portal_sync_rows{state="failed"}`)
		if first {
			st.left = int(pending + failed)
		}
		if pending == 0 {
			st.drain = time.Since(start)
			s, _ := m.value("motcua_portal_synced_total")
			r, _ := m.value("motcua_portal_refused_total")
			u1, _ := m.value(`motcua_portal_calls_total{kind="dossiers",outcome="unreachable"}`)
			u2, _ := m.value(`motcua_portal_calls_total{kind="progress",outcome="unreachable"}`)
			st.synced, st.refused, st.unreachableCalls = int(s), int(r), int(u1+u2)
			st.lagP50 = m.quantile("motcua_portal_sync_lag_seconds", 0.50)
			st.lagP99 = m.quantile("motcua_portal_sync_lag_seconds", 0.99)
			if failed > 0 {
				return &st, fmt.Errorf("%v dossiers refused by the portal (see the server's log)", failed)
			}
			return &st, nil
		}
		if time.Since(start) > 2*time.Minute {
			return nil, fmt.Errorf("%v dossiers still waiting 2 min after the load", pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// benchSync measures the province's sync to the national portal over a
// whole journey: dossiers submitted over HTTP to `serve --demo
// --national-url`, each pushed (record and progress) to a national mode in
// another process (`serve --national`, or --portal), acknowledged, and the
// acknowledgement recorded. In the same run, on fresh stores: the
// submissions' top rate without the sync (the baseline) and with it, and a
// paced load at --rate with the sync, whose lag runs from each change
// (just before its commit) to the recording of the portal's
// acknowledgement.
func benchSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conc := fs.Int("c", 32, "concurrent clients")
	dur := fs.Duration("duration", 20*time.Second, "duration of each load")
	rate := fs.Float64("rate", 1000, "submissions per second offered in the paced load")
	procedure := fs.String("procedure", "1.001193", "procedure submitted")
	style := fs.String("style", "adapter", "transport style of the push: adapter or three-url")
	portal := fs.String("portal", "", "base URL of a national mode already running (default: one started from the binary, on SQLite)")
	pg := fs.String("postgres", os.Getenv("MOTCUA_TEST_POSTGRES"), "PostgreSQL URL: the province's store is measured on it too (fresh schemas) [MOTCUA_TEST_POSTGRES]")
	runs := fs.Int("runs", 1, "repetitions of each load; the median run (by rate) is printed")
	bin := motcuaFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *runs < 1 || *rate <= 0 {
		return cli.UsageError("sync: --runs ≥ 1 and --rate > 0")
	}
	dir, err := os.MkdirTemp("", "motcua-bench-sync")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self, err := motcuaBinary(ctx, *bin, dir)
	if err != nil {
		return err
	}
	natURL := *portal
	var nat *server
	if natURL == "" {
		nat, err = startServer(ctx, self, []string{"--national", "--data", filepath.Join(dir, "national")}, false, filepath.Join(dir, "national.log"))
		if err != nil {
			return err
		}
		defer nat.stop()
		natURL = nat.base
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tload\tseconds\tsubmitted\terrors\tsubmitted/s\tsubmit p50\tsubmit p99\tsynced\tsynced/s\tlag p50\tlag p99\tleft at stop, drained in\tof baseline\tprovince CPU/dossier\tnational CPU/dossier\n")
	n := 0
	measure := func(name string, serveArgs func() ([]string, error)) error {
		type run struct {
			r      loadResult
			st     *syncStats
			natCPU time.Duration // the national mode's CPU time over the load and its drain
		}
		load := func(sync bool, pace float64) (run, error) {
			var out run
			args, err := serveArgs()
			if err != nil {
				return out, err
			}
			args = append(args, "--nats", "off")
			if sync {
				args = append(args, "--national-url", natURL, "--national-style", *style)
			}
			o := loadOpts{pace: pace}
			if sync {
				o.after = func(ctx context.Context, client *http.Client, url string) error {
					var err error
					out.st, err = drainSync(ctx, client, url)
					return err
				}
			}
			var cpu0 time.Duration
			if nat != nil {
				cpu0, _ = nat.cpuTime()
			}
			out.r, _, err = submitLoadWith(ctx, self, args, *procedure, *conc, *dur, o)
			if nat != nil {
				if cpu1, cerr := nat.cpuTime(); cerr == nil && cpu0 > 0 {
					out.natCPU = cpu1 - cpu0
				}
			}
			return out, err
		}
		pick := func(sync bool, pace float64) (run, []loadResult, error) {
			var rs []run
			var lr []loadResult
			for range *runs {
				r, err := load(sync, pace)
				if err != nil {
					return run{}, nil, err
				}
				rs, lr = append(rs, r), append(lr, r.r)
			}
			return rs[median(lr)], lr, nil
		}
		off, offs, err := pick(false, 0)
		if err != nil {
			return err
		}
		on, ons, err := pick(true, 0)
		if err != nil {
			return err
		}
		paced, pacedRuns, err := pick(true, *rate)
		if err != nil {
			return err
		}
		row := func(what string, x run, base float64, all []loadResult) {
			r := x.r
			synced, perSec, p50, p99, left, of := "", "", "", "", "", ""
			if x.st != nil {
				synced = fmt.Sprint(x.st.synced)
				perSec = fmt.Sprintf("%.0f", float64(x.st.synced)/(r.elapsed+x.st.drain).Seconds())
				p50, p99 = ms(x.st.lagP50), ms(x.st.lagP99)
				left = fmt.Sprintf("%d, %s", x.st.left, x.st.drain.Round(time.Millisecond))
			}
			if base > 0 {
				of = fmt.Sprintf("%.0f%%", 100*r.rate()/base)
			}
			cpu, natCPU := "", ""
			if r.cpu > 0 && r.ok > 0 {
				cpu = ms(r.cpu / time.Duration(r.ok))
			}
			if x.natCPU > 0 && r.ok > 0 {
				natCPU = ms(x.natCPU / time.Duration(r.ok))
			}
			fmt.Fprintf(tw, "%s\t%s%s\t%.1f\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, what, spread(all), r.elapsed.Seconds(), r.ok, r.failed, r.rate(),
				ms(r.pct(50)), ms(r.pct(99)), synced, perSec, p50, p99, left, of, cpu, natCPU)
			if r.firstErr != "" {
				fmt.Fprintf(stderr, "%s %s: first error: %s\n", name, what, r.firstErr)
			}
		}
		row("baseline: top rate, no sync", off, 0, offs)
		row("top rate, synced ("+*style+")", on, off.r.rate(), ons)
		row(fmt.Sprintf("paced at %.0f/s, synced", *rate), paced, 0, pacedRuns)
		return nil
	}
	err = measure("sqlite", func() ([]string, error) {
		n++
		return []string{"--data", filepath.Join(dir, fmt.Sprintf("province-%d", n))}, nil
	})
	if err == nil && *pg != "" {
		var drops []func()
		err = measure("postgres", func() ([]string, error) {
			n++
			u, drop, err := sqlstore.CreateSchema(ctx, *pg, "benchsync")
			if err != nil {
				return nil, err
			}
			drops = append(drops, drop)
			return []string{"--db", u, "--data", filepath.Join(dir, fmt.Sprintf("province-%d", n))}, nil
		})
		for _, d := range drops {
			d()
		}
	}
	if err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "synced/s: dossiers acknowledged by the national mode over the load and its drain; lag: from a change (just before its commit) to the recording of the national mode's acknowledgement, from the histogram motcua_portal_sync_lag_seconds (bucket bounds, interpolated); of baseline: submissions/s against the top rate without the sync")
	return nil
}
