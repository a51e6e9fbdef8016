package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/web/auth"
)

// benchSessions measures the session check every authenticated request
// pays (auth.Identify: the bearer token read, hashed and checked by
// Accounts.Authenticate, its last use written once a minute), paced at
// --rate requests a second over --sessions sessions of the demo's
// accounts: with the 5-second memo warm (the usual case), with the memo
// cleared before each request (each check reads the store), and the floor
// in the same run, a map lookup of the token's hash. The sessions' last
// uses are spread over the minute before the run, so that the writes of
// last use come at the steady pace, sessions/60 a second. Reported: the
// check's latency (p50, p90, p99) and the process's CPU per request (the
// SQLite store is in the process; PostgreSQL's server CPU is not counted).
func benchSessions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench sessions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rate := fs.Int("rate", 1000, "requests a second")
	duration := fs.Duration("duration", 10*time.Second, "how long each case runs")
	sessions := fs.Int("sessions", 1000, "open sessions the requests are spread over")
	runs := fs.Int("runs", 3, "runs of each case; the medians are printed")
	pg := fs.String("postgres", "", "PostgreSQL URL to measure too (a fresh schema is created and dropped)")
	skipLite := fs.Bool("skip-sqlite", false, "measure PostgreSQL only")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rate < 1 || *sessions < 1 || *runs < 1 {
		return fmt.Errorf("--rate, --sessions and --runs: at least 1")
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tcheck\trequests\tp50\tp90\tp99\tCPU/request\tlast-use commits\t\n")
	err := benchStores(ctx, *pg, "benchsessions", *skipLite, func(name string, db *sqlstore.DB, _ []string) error {
		return sessionsOn(ctx, name, db, *rate, *duration, *sessions, *runs, tw)
	})
	if err != nil {
		return err
	}
	return tw.Flush()
}

// sessionCase is one way of checking a request's token.
type sessionCase struct {
	name  string
	check func(ctx context.Context, token string) error
}

func sessionsOn(ctx context.Context, name string, db *sqlstore.DB, rate int, duration time.Duration, n, runs int, tw io.Writer) error {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	writes := &countingStore{Store: db}
	a, err := platform.New(ctx, writes, platform.Config{ProvinceCode: "01", Logger: log, LoginBurst: 1000})
	if err != nil {
		return err
	}
	if _, err := demo.Seed(ctx, a, db); err != nil {
		return err
	}
	tokens, floor, err := openSessions(ctx, db, n)
	if err != nil {
		return err
	}
	identify := func(ctx context.Context, token string) error {
		_, err := auth.Identify(ctx, a.Accounts, bearer(token))
		return err
	}
	cases := []sessionCase{
		{"floor: map lookup of the hash", func(_ context.Context, token string) error {
			if _, ok := floor[identity.HashToken(token)]; !ok {
				return fmt.Errorf("no session")
			}
			return nil
		}},
		{"Identify, memo warm", identify},
		{"Identify, memo cold", func(ctx context.Context, token string) error {
			a.Accounts.Forget()
			return identify(ctx, token)
		}},
	}
	for _, c := range cases {
		var p50, p90, p99, cpu []time.Duration
		var count int
		var w0 = writes.n.Load()
		for range runs {
			lat, used, err := paced(ctx, c.check, tokens, rate, duration)
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			slices.Sort(lat)
			count += len(lat)
			p50, p90, p99 = append(p50, lat[len(lat)/2]), append(p90, lat[len(lat)*9/10]), append(p99, lat[len(lat)*99/100])
			cpu = append(cpu, used/time.Duration(len(lat)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\t\n", name, c.name, count, ms(medianOf(p50)), ms(medianOf(p90)), ms(medianOf(p99)), ms(medianOf(cpu)), writes.n.Load()-w0)
	}
	return nil
}

// openSessions opens n sessions of the demo's accounts straight in the
// store (a login's password check would take minutes for thousands), their
// last uses spread over the minute before now.
func openSessions(ctx context.Context, db store.Store, n int) ([]string, map[string]int64, error) {
	users := []string{"congdan", "congdan2", "tiepnhan", "chuyenvien", "lanhdao", "vanthu", "quantri"}
	var ids []int64
	for _, u := range users {
		acc, err := db.AccountByUsername(ctx, u)
		if err != nil {
			return nil, nil, err
		}
		ids = append(ids, acc.ID)
	}
	now := time.Now()
	tokens := make([]string, n)
	floor := make(map[string]int64, n)
	err := db.Update(ctx, func(tx store.Tx) error {
		for i := range n {
			tok, hash, err := identity.NewToken()
			if err != nil {
				return err
			}
			sess := identity.Session{TokenHash: hash, AccountID: ids[i%len(ids)], CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(11 * time.Hour),
				LastUsedAt: now.Add(-time.Duration(rand.Int64N(int64(time.Minute)))), IP: "203.0.113.5", UserAgent: "motcua-bench"}
			if err := tx.CreateSession(ctx, sess); err != nil {
				return err
			}
			tokens[i], floor[hash] = tok, sess.AccountID
		}
		return nil
	})
	return tokens, floor, err
}

// paced calls check at rate a second for duration (open loop: a request
// starts on time whether or not the previous one ended), each with the
// next token, and returns the latency of each call and the process's CPU
// time over the run.
func paced(ctx context.Context, check func(context.Context, string) error, tokens []string, rate int, duration time.Duration) ([]time.Duration, time.Duration, error) {
	total := int(duration.Seconds() * float64(rate))
	lat := make([]time.Duration, total)
	every := time.Second / time.Duration(rate)
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	cpu0 := processCPU()
	start := time.Now()
	for i := range total {
		if d := time.Until(start.Add(time.Duration(i) * every)); d > 0 {
			time.Sleep(d)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			if err := check(ctx, tokens[i%len(tokens)]); err != nil {
				failed.CompareAndSwap(nil, &err)
			}
			lat[i] = time.Since(t0)
		}()
	}
	wg.Wait()
	cpu := processCPU() - cpu0
	if err := failed.Load(); err != nil {
		return nil, 0, *err
	}
	return lat, cpu, nil
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func medianOf(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// countingStore counts the write transactions (during the runs: the
// writes of last use).
type countingStore struct {
	store.Store
	n atomic.Int64
}

func (c *countingStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	c.n.Add(1)
	return c.Store.Update(ctx, fn)
}

// bearer is a request carrying token as its bearer token.
type bearer string

func (b bearer) Header(name string) string {
	if name == "Authorization" {
		return "Bearer " + string(b)
	}
	return ""
}
func (bearer) RemoteAddr() string { return "203.0.113.5:40000" }
