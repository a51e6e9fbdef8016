// Command motcua-bench measures the platform's user-visible journeys, each
// beside a baseline in the same run. It is not part of the production
// binary (it links testing and httptest); the submit and registry
// benchmarks start that binary as a separate process, as an operator would.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/motcua/motcua/internal/cli"
)

const usage = `motcua-bench — đo hiệu năng nền tảng một cửa (benchmarks of the motcua platform)

Usage:
  go run ./cmd/motcua-bench due [--runs 5]
  go run ./cmd/motcua-bench search [--n 5000 --queries 2000 --postgres URL]
  go run ./cmd/motcua-bench questions [--runs 5 --postgres URL]
  go run ./cmd/motcua-bench submit [-c 32 --duration 30s --postgres URL --nats URL|off --motcua BINARY]
  go run ./cmd/motcua-bench walk [-c 32 --duration 20s --runs 1 --postgres URL --no-pki --cpuprofile FILE --motcua BINARY | --url BASE]
  go run ./cmd/motcua-bench pages [--n 100000 --runs 1 --postgres URL]
  go run ./cmd/motcua-bench registry [--people 1000000 --runs 3 --postgres URL --motcua BINARY]
  go run ./cmd/motcua-bench storm [-c 32 --duration 60s --baseline 10s --runs 1 --file-mb 20 --dossiers 200 --kill-rss 4096 --cpuprofile FILE --motcua BINARY]
  go run ./cmd/motcua-bench national [--provinces 34 --duration 20s --runs 1 --postgres URL --no-sqlite --cpuprofile FILE --motcua BINARY]
  go run ./cmd/motcua-bench sessions [--rate 1000 --duration 10s --sessions 1000 --runs 3 --postgres URL]
  go run ./cmd/motcua-bench sync [-c 32 --duration 20s --rate 1000 --style adapter|three-url --portal URL --postgres URL --runs 1 --motcua BINARY]
  go run ./cmd/motcua-bench signon [-n 200 --runs 3 --identity lethimai-vneid --motcua BINARY]

Run 'motcua-bench BENCHMARK -h' for the flags of a benchmark.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "due":
		err = benchDue(args[1:], stdout, stderr)
	case "search":
		err = benchSearch(ctx, args[1:], stdout, stderr)
	case "questions":
		err = benchQuestions(ctx, args[1:], stdout, stderr)
	case "submit":
		err = benchSubmit(ctx, args[1:], stdout, stderr)
	case "walk":
		err = benchWalk(ctx, args[1:], stdout, stderr)
	case "pages":
		err = benchPages(ctx, args[1:], stdout, stderr)
	case "registry":
		err = benchRegistry(ctx, args[1:], stdout, stderr)
	case "storm":
		err = benchStorm(ctx, args[1:], stdout, stderr)
	case "national":
		err = benchNational(ctx, args[1:], stdout, stderr)
	case "sessions":
		err = benchSessions(ctx, args[1:], stdout, stderr)
	case "sync":
		err = benchSync(ctx, args[1:], stdout, stderr)
	case "signon":
		err = benchSignOn(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "motcua-bench: phép đo không rõ %q (unknown benchmark)\n\n%s", args[0], usage)
		return 2
	}
	return cli.Status("motcua-bench", err, stderr)
}
