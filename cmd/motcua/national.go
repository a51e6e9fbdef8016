package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/httpapi"
	"github.com/motcua/motcua/unit"
)

// nationalFlags are serve's flags of the national mode (serve --national).
type nationalFlags struct {
	on        bool
	accounts  string
	catalog   string
	inFlight  int
	readToken string
}

// nationalData is the national mode's default data directory: not the
// province's default, so that the two never share a store by accident.
const nationalData = "data-national"

func (nf *nationalFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&nf.on, "national", os.Getenv("MOTCUA_NATIONAL") == "1", "run the national portal's receiving side (dvcqg/PROTOCOL.md) instead of a province: the sync endpoints in both styles, the national look-up and statistics, in a store of its own (--db, or --data, default 'data-national') [MOTCUA_NATIONAL=1]")
	fs.StringVar(&nf.accounts, "national-accounts", os.Getenv("MOTCUA_NATIONAL_ACCOUNTS"), `national mode: JSON file of the provinces' credentials, {"01": {"username": "…", "password_hash": "$argon2id$…" or "password": "…"}} (default: the demo's, tinh-<code> / matkhau-<code>) [MOTCUA_NATIONAL_ACCOUNTS]`)
	fs.StringVar(&nf.catalog, "national-catalog", os.Getenv("MOTCUA_NATIONAL_CATALOG"), "national mode: catalogue file (the format of motcua catalog export) that LayThuTuc and LayDanhSachTTHC serve (default: the embedded demo catalogue) [MOTCUA_NATIONAL_CATALOG]")
	fs.IntVar(&nf.inFlight, "national-inflight", envInt("MOTCUA_NATIONAL_INFLIGHT", httpapi.DefaultMaxInFlight), "national mode: requests served at once; beyond, 503 with Retry-After [MOTCUA_NATIONAL_INFLIGHT]")
	fs.StringVar(&nf.readToken, "national-read-token", os.Getenv("MOTCUA_NATIONAL_READ_TOKEN"), "national mode: bearer token the look-up and the statistics ask for (unset: public, as in the demo); prefer the environment [MOTCUA_NATIONAL_READ_TOKEN]")
}

// serveNational runs `motcua serve --national`: its own mux and store,
// the national endpoints only.
func serveNational(ctx context.Context, sf storeFlags, nf nationalFlags, addr, pprofAddr string, log *slog.Logger) error {
	if nf.inFlight < 1 {
		return cli.UsageError(fmt.Sprintf("--national-inflight %d: at least 1", nf.inFlight))
	}
	if nf.readToken != "" && len(nf.readToken) < 16 {
		return cli.UsageError("--national-read-token: mã truy cập cần ít nhất 16 ký tự (at least 16 characters)")
	}
	units, err := unit.Load()
	if err != nil {
		return err
	}
	accounts := national.DemoAccounts(units)
	if nf.accounts != "" {
		if accounts, err = readFileWith(nf.accounts, func(r io.Reader) (*national.Accounts, error) { return national.LoadAccounts(r, units) }); err != nil {
			return fmt.Errorf("--national-accounts %s: %w", nf.accounts, err)
		}
	}
	cat, err := national.DemoCatalogue()
	if err != nil {
		return err
	}
	if nf.catalog != "" {
		procs, err := readFileWith(nf.catalog, catalog.Parse)
		if err != nil {
			return fmt.Errorf("--national-catalog %s: %w", nf.catalog, err)
		}
		cat = national.NewCatalogue(procs, false)
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	// The national mode keeps its own store: a province's (one with
	// agencies) is refused rather than mixed with.
	if ags, err := db.Agencies(ctx, unit.AgencyFilter{}); err != nil {
		return err
	} else if len(ags) > 0 {
		return cli.UsageError(fmt.Sprintf("--national: kho dữ liệu này là của một tỉnh (%d cơ quan); chế độ quốc gia cần kho riêng (this store is a province's: give the national mode its own --data or --db)", len(ags)))
	}
	svc, err := national.New(national.Config{Store: db, Units: units, Catalogue: cat, Accounts: accounts, Log: log})
	if err != nil {
		return err
	}
	h := httpapi.New(svc, httpapi.Options{Logger: log, MaxInFlight: nf.inFlight, ReadToken: nf.readToken, Ping: db.Ping})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	if pprofAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		go func() {
			psrv := &http.Server{Addr: pprofAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
			log.Warn("profiler listening", "addr", pprofAddr, "error", psrv.ListenAndServe())
		}()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	store := "sqlite:" + sf.data
	if sf.db != "" {
		store = "postgres:" + redact(sf.db)
	}
	catName := "demo (catalog/demo)"
	if !cat.Demo {
		catName = nf.catalog
	}
	log.Info("motcua national mode listening: Cổng Dịch vụ công quốc gia — chế độ nhận đồng bộ (mô phỏng)", "addr", ln.Addr().String(),
		"store", store, "provinces", len(accounts.Provinces()), "catalogue", catName, "procedures", cat.Len(), "version", version)
	if accounts.Demo {
		log.Warn("demo credentials, for tests and demos only: username tinh-<province code>, password matkhau-<province code>",
			"example_username", national.DemoUsername("01"), "example_password", national.DemoPassword("01"))
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	h.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// readFileWith opens path and reads it with read.
func readFileWith[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	f, err := os.Open(path)
	if err != nil {
		var zero T
		return zero, err
	}
	defer f.Close()
	return read(f)
}

// flagSet reports whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
