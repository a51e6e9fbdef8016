// Command motcua is the one binary of the platform: the server and the
// operator's tools, as subcommands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/store/sqlstore"
)

const usage = `motcua — nền tảng một cửa điện tử cấp tỉnh (provincial one-stop platform)

Usage:
  motcua serve [--data DIR | --db URL] [--addr HOST:PORT] [--province CODE] [--demo]
  motcua serve --national [--data DIR | --db URL] [--addr HOST:PORT] [--national-accounts FILE]
  motcua calendar due --from RFC3339 (--days N | --hours H) [--schedule FILE]
  motcua calendar holidays --year Y [--schedule FILE]
  motcua units resolve-old CODE
  motcua audit verify|anchor [--data DIR | --db URL]
  motcua files cleanup [--data DIR | --db URL]
  motcua catalog import FILE [--data DIR | --db URL] [--province CODE]
  motcua catalog export [--data DIR | --db URL] [--province CODE]
  motcua pki init|sign|verify|revoke|list [flags]
  motcua registry list | check DATASET | import DATASET FILE [--data DIR | --db URL]
  motcua demo generate --people N [--seed S] [--defects RATE] [--data DIR | --db URL]
  motcua portal-sync status | resync [--all] [CODE...] [--data DIR | --db URL]
  motcua import district-results FILE.csv [--scans DIR] | --progress [--data DIR | --db URL]
  motcua backup --data DIR [--db URL] --out BACKUPDIR
  motcua restore --from BACKUPDIR --data NEWDIR [--db URL]
  motcua version

Run 'motcua COMMAND -h' for the flags of a command.
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
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "calendar":
		err = cmdCalendar(args[1:], stdout, stderr)
	case "units":
		err = cmdUnits(args[1:], stdout, stderr)
	case "audit":
		err = cmdAudit(ctx, args[1:], stdout, stderr)
	case "files":
		err = cmdFiles(ctx, args[1:], stdout, stderr)
	case "catalog":
		err = cmdCatalog(ctx, args[1:], stdout, stderr)
	case "bench":
		// The benchmarks link testing and httptest; they are a command of
		// their own so that this binary does not carry them.
		err = cli.UsageError(strings.TrimSpace("bench: các phép đo là lệnh riêng (the benchmarks are a separate command): go run ./cmd/motcua-bench " + strings.Join(args[1:], " ")))
	case "pki":
		err = cmdPKI(ctx, args[1:], stdout, stderr)
	case "registry":
		err = cmdRegistry(ctx, args[1:], stdout, stderr)
	case "demo":
		err = cmdDemo(ctx, args[1:], stdout, stderr)
	case "import":
		err = cmdImport(ctx, args[1:], stdout, stderr)
	case "portal-sync":
		err = cmdPortalSync(ctx, args[1:], stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, args[1:], stdout, stderr)
	case "restore":
		err = cmdRestore(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "motcua", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "motcua: lệnh không rõ %q (unknown command)\n\n%s", args[0], usage)
		return 2
	}
	return cli.Status("motcua", err, stderr)
}

const version = "0.1.0"

// storeFlags are the flags that choose a store.
type storeFlags struct {
	data     string
	db       string
	province string
	datasets string
	sync     string
	conns    int
}

func (sf *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&sf.data, "data", envOr("MOTCUA_DATA", "data"), "data directory of the embedded store (SQLite, files) [MOTCUA_DATA]")
	fs.StringVar(&sf.db, "db", os.Getenv("MOTCUA_DB"), "PostgreSQL URL, e.g. postgres://user@host/db (overrides --data for the database) [MOTCUA_DB]")
	fs.StringVar(&sf.province, "province", envOr("MOTCUA_PROVINCE", "01"), "2-digit code of the province served (01 = Hà Nội) [MOTCUA_PROVINCE]")
	fs.StringVar(&sf.datasets, "datasets", os.Getenv("MOTCUA_DATASETS"), "JSON file of shared datasets to add or to reach remotely (default: the built-in ones, hosted here) [MOTCUA_DATASETS]")
	fs.IntVar(&sf.conns, "db-conns", envInt("MOTCUA_DB_CONNS", sqlstore.DefaultConns), "PostgreSQL: connections this node opens at most (half for write transactions, the rest for reads and dossier numbers); the nodes of a province together must stay under the server's max_connections [MOTCUA_DB_CONNS]")
	fs.StringVar(&sf.sync, "sqlite-sync", envOr("MOTCUA_SQLITE_SYNC", "full"), "embedded store: full (every commit survives a power cut) or normal (faster; the last commits may be lost on power loss, not on a crash) [MOTCUA_SQLITE_SYNC]")
}

// open opens the store the flags name.
func (sf *storeFlags) open(ctx context.Context) (*sqlstore.DB, error) {
	sync, err := sqlstore.ParseSync(sf.sync)
	if err != nil {
		return nil, cli.UsageError("--sqlite-sync: " + err.Error())
	}
	if sf.conns == 0 { // flags not registered (a tool that opens the store itself)
		sf.conns = sqlstore.DefaultConns
	}
	if sf.conns < 6 {
		return nil, cli.UsageError(fmt.Sprintf("--db-conns %d: at least 6", sf.conns))
	}
	return sqlstore.Open(ctx, sf.data, sf.db, sqlstore.WithSync(sync), sqlstore.WithConns(sf.conns))
}

// envDuration is the duration in the environment variable key, def if
// unset or not a duration.
func envDuration(key string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return d
	}
	return def
}

// envInt is the integer in the environment variable key, def if unset or
// not a number.
func envInt(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
