package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/democlient"
	"github.com/motcua/motcua/store/sqlstore"
)

// loadResult is what a load run measured.
type loadResult struct {
	ok, failed int
	elapsed    time.Duration
	lat        []time.Duration
	firstErr   string
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

// benchSubmit measures dossier submissions over HTTP against a fresh
// server (the motcua binary, `serve --demo`) and, in the same run, raw
// single-row insert transactions on the same kind of store.
func benchSubmit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench submit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conc := fs.Int("c", 32, "concurrent clients")
	dur := fs.Duration("duration", 30*time.Second, "duration of each measurement")
	procedure := fs.String("procedure", "1.001193", "procedure submitted")
	pg := fs.String("postgres", os.Getenv("MOTCUA_TEST_POSTGRES"), "PostgreSQL URL to measure too (fresh schemas are created and dropped) [MOTCUA_TEST_POSTGRES]")
	bin := motcuaFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
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
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tmeasurement\tclients\tseconds\tok\terrors\tper second\tp50\tp99\tof baseline\n")
	row := func(store, what string, r loadResult, base float64) {
		of := ""
		if base > 0 {
			of = fmt.Sprintf("%.0f%%", 100*r.rate()/base)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%d\t%d\t%.0f\t%s\t%s\t%s\n", store, what, *conc, r.elapsed.Seconds(), r.ok, r.failed, r.rate(), ms(r.pct(50)), ms(r.pct(99)), of)
		if r.firstErr != "" {
			fmt.Fprintf(stderr, "%s %s: first error: %s\n", store, what, r.firstErr)
		}
	}
	measure := func(name string, serveArgs []string, baseDB *sqlstore.DB) error {
		if err := baseDB.CreateBaselineTable(ctx); err != nil {
			return err
		}
		payload := strings.Repeat("x", 2048)
		base := runLoad(ctx, *conc, *dur, func(ctx context.Context) error { return baseDB.BaselineInsert(ctx, payload) })
		sub, err := submitLoad(ctx, self, serveArgs, *procedure, *conc, *dur)
		if err != nil {
			return err
		}
		row(name, "submit over HTTP", sub, base.rate())
		row(name, "baseline: 1-row insert tx", base, 0)
		return nil
	}
	lite, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "baseline"))
	if err != nil {
		return err
	}
	err = measure("sqlite", []string{"--data", filepath.Join(dir, "server")}, lite)
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
			su, dropS, err := sqlstore.CreateSchema(ctx, *pg, "benchsubmit")
			if err != nil {
				return err
			}
			defer dropS()
			db, err := sqlstore.OpenPostgres(ctx, bu)
			if err != nil {
				return err
			}
			defer db.Close()
			return measure("postgres", []string{"--db", su, "--data", filepath.Join(dir, "pgserver")}, db)
		}} {
			if err := step(); err != nil {
				return err
			}
		}
	}
	return tw.Flush()
}

// submitLoad starts `serve --demo`, prepares a citizen's token and uploads,
// and submits dossiers from conc clients for d.
func submitLoad(ctx context.Context, self string, serveArgs []string, procedure string, conc int, d time.Duration) (loadResult, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return loadResult{}, err
	}
	addr := l.Addr().String()
	l.Close()
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, self, append([]string{"serve", "--addr", addr, "--demo", "--log-level", "warn"}, serveArgs...)...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return loadResult{}, err
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
		return loadResult{}, fmt.Errorf("server not ready: %s", logs.String())
	}
	body, token, err := democlient.Submission(client, base, procedure)
	if err != nil {
		return loadResult{}, err
	}
	r := runLoad(ctx, conc, d, func(ctx context.Context) error {
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
	return r, nil
}
