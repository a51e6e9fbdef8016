package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/registry/synth"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/web"
)

// benchRegistry loads a population dataset of --people people into a
// fresh store and measures, per store: the look-up of a person by ID at
// the baseline size and at the full size (store read, and the audited
// look-up of an official), the prefill of a form over HTTP beside the
// plain procedure read as baseline, and `motcua registry check
// population` as a separate process (seconds, peak RSS).
func benchRegistry(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench registry", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("people", 1000000, "people in the population dataset")
	base := fs.Int("baseline", 10000, "population size of the baseline look-ups")
	lookups := fs.Int("lookups", 2000, "timed look-ups per measurement")
	reqs := fs.Int("requests", 300, "timed prefill requests per run")
	runs := fs.Int("runs", 3, "runs of each measurement; medians are printed")
	pg := fs.String("postgres", "", "PostgreSQL URL to measure too (a fresh schema is created and dropped)")
	skipLite := fs.Bool("skip-sqlite", false, "measure PostgreSQL only")
	bin := motcuaFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "motcua-bench-registry")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exe, err := motcuaBinary(ctx, *bin, dir)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tmeasure\tsize\tcount\tp50\tp99\t\n")
	err = benchStores(ctx, *pg, "benchregistry", *skipLite, func(name string, db *sqlstore.DB, flags []string) error {
		return registryOn(ctx, name, exe, db, flags, *n, *base, *lookups, *reqs, *runs, tw, stderr)
	})
	if err != nil {
		return err
	}
	return tw.Flush()
}

func registryOn(ctx context.Context, name, exe string, db *sqlstore.DB, storeArgs []string, n, base, lookups, reqs, runs int, tw, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	files, err := blob.Open(storeArgs[len(storeArgs)-1]+"-files", 5<<20)
	if err != nil {
		return err
	}
	a, err := platform.New(ctx, db, platform.Config{ProvinceCode: "01", Logger: log, Files: files, LoginBurst: 1000})
	if err != nil {
		return err
	}
	if _, err := demo.Seed(ctx, a, db); err != nil {
		return err
	}
	// Load the population in two stages, sampling IDs of each for the
	// look-ups: baseline size first, measured, then the rest.
	var sample []string
	var buf []registry.Record
	loaded, stage := 0, min(base, n)
	rng := rand.New(rand.NewPCG(7, 7))
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		err := db.Update(ctx, func(tx store.Tx) error { return tx.PutDatasetRecords(ctx, buf) })
		buf = buf[:0]
		return err
	}
	official, err := db.AccountByUsername(ctx, "chuyenvien")
	if err != nil {
		return err
	}
	measureLookups := func(size int) error {
		if err := flush(); err != nil {
			return err
		}
		if err := db.Analyze(ctx); err != nil {
			return err
		}
		var storeP50, storeP99, appP50, appP99 []time.Duration
		ac := identity.Actor{Account: &official}
		for range runs {
			var ts, ta []time.Duration
			for i := range lookups {
				id := sample[rng.IntN(len(sample))]
				t0 := time.Now()
				if _, err := db.DatasetRecord(ctx, registry.Population, id); err != nil {
					return fmt.Errorf("look up %s: %w", id, err)
				}
				ts = append(ts, time.Since(t0))
				if i%4 == 0 { // the audited look-up writes; a quarter as many
					t0 = time.Now()
					if _, err := a.ShareData.Lookup(ctx, ac, sharedata.LookupQuery{Dataset: registry.Population, Key: id, Purpose: registry.PurposeAppraisal, Procedure: "1.001193"}); err != nil {
						return err
					}
					ta = append(ta, time.Since(t0))
				}
			}
			slices.Sort(ts)
			slices.Sort(ta)
			storeP50, storeP99 = append(storeP50, pct(ts, 50)), append(storeP99, pct(ts, 99))
			appP50, appP99 = append(appP50, pct(ta, 50)), append(appP99, pct(ta, 99))
		}
		fmt.Fprintf(tw, "%s\tlook-up by ID (store)\t%d\t%d×%d\t%s\t%s\t\n", name, size, runs, lookups, med(storeP50), med(storeP99))
		fmt.Fprintf(tw, "%s\tlook-up by ID, audited (app, official)\t%d\t%d×%d\t%s\t%s\t\n", name, size, runs, lookups/4, med(appP50), med(appP99))
		return nil
	}
	start := time.Now()
	_, err = synth.Generate(synth.Config{Directory: a.Kernel.Units, Province: a.Kernel.Province, People: n, Seed: 42, Now: a.Kernel.Now()}, func(r registry.Record) error {
		if r.Dataset != registry.Population {
			return nil
		}
		loaded++
		if len(sample) < 10000 {
			sample = append(sample, r.Key)
		} else if j := rng.IntN(loaded); j < len(sample) {
			sample[j] = r.Key
		}
		buf = append(buf, r)
		if len(buf) >= 20000 {
			if err := flush(); err != nil {
				return err
			}
		}
		if loaded == stage && stage < n {
			if err := measureLookups(stage); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%s: loaded %d people in %.1f s\n", name, loaded, time.Since(start).Seconds())
	if err := measureLookups(loaded); err != nil {
		return err
	}
	if err := benchPrefill(ctx, name, a, reqs, runs, tw); err != nil {
		return err
	}
	return benchCheck(ctx, name, exe, storeArgs, loaded, runs, tw, stderr)
}

// benchPrefill measures GET /api/v1/procedures/{code}/prefill for the demo
// citizen through the real handler, and the procedure itself as baseline.
func benchPrefill(ctx context.Context, name string, a *platform.Services, reqs, runs int, tw io.Writer) error {
	srv := httptest.NewServer(web.New(a, web.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	res, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"congdan","password":"demo"}`))
	if err != nil {
		return err
	}
	var login struct{ Token string }
	err = json.NewDecoder(res.Body).Decode(&login)
	res.Body.Close()
	if err != nil || login.Token == "" {
		return fmt.Errorf("log in congdan: %v (status %d)", err, res.StatusCode)
	}
	get := func(path string) (time.Duration, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+login.Token)
		t0 := time.Now()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		d := time.Since(t0)
		if res.StatusCode != 200 {
			return 0, fmt.Errorf("GET %s: %d %s", path, res.StatusCode, b)
		}
		if strings.Contains(path, "prefill") && !strings.Contains(string(b), "Nguyễn Văn An") {
			return 0, fmt.Errorf("prefill without the citizen's name: %s", b)
		}
		return d, nil
	}
	for _, c := range []struct{ what, path string }{
		{"prefill over HTTP (congdan, 1.001193)", "/api/v1/procedures/1.001193/prefill"},
		{"baseline: procedure over HTTP", "/api/v1/procedures/1.001193"},
	} {
		var p50, p99 []time.Duration
		for range runs {
			var ts []time.Duration
			for i := range reqs + 20 {
				d, err := get(c.path)
				if err != nil {
					return err
				}
				if i >= 20 {
					ts = append(ts, d)
				}
			}
			slices.Sort(ts)
			p50, p99 = append(p50, pct(ts, 50)), append(p99, pct(ts, 99))
		}
		fmt.Fprintf(tw, "%s\t%s\t—\t%d×%d\t%s\t%s\t\n", name, c.what, runs, reqs, med(p50), med(p99))
	}
	return nil
}

// benchCheck runs `motcua registry check population` (exe) as its own process
// and reports its wall time and peak resident memory.
func benchCheck(ctx context.Context, name, exe string, storeArgs []string, size, runs int, tw, stderr io.Writer) error {
	var secs []time.Duration
	var rss []int64
	for range runs {
		cmd := exec.CommandContext(ctx, exe, append([]string{"registry", "check", "population"}, storeArgs...)...)
		cmd.Stderr = stderr
		t0 := time.Now()
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("registry check: %w", err)
		}
		secs = append(secs, time.Since(t0))
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss = append(rss, ru.Maxrss) // KiB on Linux
		}
		if !strings.Contains(string(out), "Sống") {
			return fmt.Errorf("registry check printed no rates: %s", out)
		}
	}
	slices.Sort(rss)
	fmt.Fprintf(tw, "%s\tregistry check population (process; peak RSS %d MiB)\t%d\t%d\t%s\t—\t\n", name, rss[len(rss)/2]/1024, size, runs, med(secs))
	return nil
}
