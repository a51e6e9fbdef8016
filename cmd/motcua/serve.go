package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/internal/diskspace"
	"github.com/motcua/motcua/oidcrp"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/web/auth"
)

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// maxUpload is the largest file accepted for a dossier component.
const maxUpload = 20 << 20

// openApp opens the store, the file store (DIR/files) and the use cases.
func openApp(ctx context.Context, sf storeFlags, log *slog.Logger) (*platform.Services, *sqlstore.DB, error) {
	cfg, db, err := openStore(ctx, sf, log)
	if err != nil {
		return nil, nil, err
	}
	a, err := platform.New(ctx, db, cfg)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return a, db, nil
}

// openStore opens the store and the file store (DIR/files) and returns the
// configuration of the use cases over them.
func openStore(ctx context.Context, sf storeFlags, log *slog.Logger) (platform.Config, *sqlstore.DB, error) {
	datasets, sources, err := loadDatasets(sf.datasets)
	if err != nil {
		return platform.Config{}, nil, err
	}
	db, err := sf.open(ctx)
	if err != nil {
		return platform.Config{}, nil, err
	}
	files, err := blob.Open(filepath.Join(sf.data, "files"), maxUpload)
	if err != nil {
		db.Close()
		return platform.Config{}, nil, err
	}
	return platform.Config{ProvinceCode: sf.province, Logger: log, Files: files, Datasets: datasets, Sources: sources}, db, nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	addr := fs.String("addr", envOr("MOTCUA_ADDR", "127.0.0.1:8080"), "listen address [MOTCUA_ADDR]")
	withDemo := fs.Bool("demo", false, "load the demo province (agencies, accounts, catalogue) on first start")
	demoHistory := fs.Int("demo-history", 4, "with --demo: months of past dossiers loaded into the demo commune on first start, for the dashboard (0: none)")
	withDemoSSO := fs.Bool("demo-sso", true, "with --demo: serve a simulated VNeID / DVCQG sign-on at /sso-demo/ (never in production)")
	logLevel := fs.String("log-level", envOr("MOTCUA_LOG_LEVEL", "info"), "debug, info, warn or error [MOTCUA_LOG_LEVEL]")
	secure := fs.Bool("secure-cookies", os.Getenv("MOTCUA_SECURE_COOKIES") == "1", "mark cookies Secure and send HSTS (behind HTTPS) [MOTCUA_SECURE_COOKIES=1]")
	publicURL := fs.String("public-url", os.Getenv("MOTCUA_PUBLIC_URL"), "address citizens reach the platform at, for links and QR codes on printed forms (default: the request's host) [MOTCUA_PUBLIC_URL]")
	pkiDir := fs.String("pki", os.Getenv("MOTCUA_PKI"), "PKI directory signing the electronic results (default DATA/pki) [MOTCUA_PKI]")
	pprofAddr := fs.String("pprof", os.Getenv("MOTCUA_PPROF"), "serve Go's profiler and /metrics on this (loopback) address, e.g. 127.0.0.1:6060 [MOTCUA_PPROF]")
	metricsToken := fs.String("metrics-token", os.Getenv("MOTCUA_METRICS_TOKEN"), "bearer token that /metrics asks for on --addr (unset: no /metrics there); prefer the environment, a flag shows in the process list [MOTCUA_METRICS_TOKEN]")
	anchors := fs.String("audit-anchors", os.Getenv("MOTCUA_AUDIT_ANCHORS"), "file the signed audit anchors are appended to (default DATA/"+auditlog.AnchorsFile+"); keep copies where the database's administrators cannot rewrite them [MOTCUA_AUDIT_ANCHORS]")
	anchorEvery := fs.Duration("anchor-every", envDuration("MOTCUA_ANCHOR_EVERY", 10*time.Minute), "sign where the audit log ends this often, at start and at shutdown (needs a PKI; 0: never) [MOTCUA_ANCHOR_EVERY]")
	sessionTTL := fs.Duration("session-ttl", envDuration("MOTCUA_SESSION_TTL", 12*time.Hour), "absolute timeout of a login session, however used [MOTCUA_SESSION_TTL]")
	sessionIdle := fs.Duration("session-idle", envDuration("MOTCUA_SESSION_IDLE", 30*time.Minute), "a login session unused this long ends (up to a minute late) [MOTCUA_SESSION_IDLE]")
	uploadsPerHour := fs.Int("uploads-per-hour", envInt("MOTCUA_UPLOADS_PER_HOUR", dossiers.DefaultUploadsPerHour), "most files one account may upload in an hour (429 beyond) [MOTCUA_UPLOADS_PER_HOUR]")
	minFree := fs.String("min-free-disk", envOr("MOTCUA_MIN_FREE_DISK", "256MiB"), "free space of the data directory below which /readyz answers 503 (bytes, or with K, M, G, T; 0 = not watched) [MOTCUA_MIN_FREE_DISK]")
	natsURL := fs.String("nats", os.Getenv("MOTCUA_NATS"), "NATS servers the outbox's events are published to, e.g. nats://10.0.0.5:4222 (default: a NATS server embedded in this process, its streams under DATA/nats; off: not published, the events wait in the outbox) [MOTCUA_NATS]")
	var pf portalFlags
	pf.register(fs)
	var sof signOnFlags
	sof.register(fs)
	var pwf passwordFlags
	pwf.register(fs)
	var payf paymentFlags
	payf.register(fs)
	var ntf notifyFlags
	ntf.register(fs)
	trusted := fs.String("trusted-proxies", os.Getenv("MOTCUA_TRUSTED_PROXIES"), "comma-separated CIDRs of the reverse proxies whose X-Forwarded-For/X-Real-IP give the client's address (default none: the connection's address) [MOTCUA_TRUSTED_PROXIES]")
	factorRoles := fs.String("second-factor-roles", envOr("MOTCUA_SECOND_FACTOR_ROLES", "leader,clerk,admin"), "comma-separated roles whose holders must log in with a second factor (TOTP), enrolling at their next login (none: nobody) [MOTCUA_SECOND_FACTOR_ROLES]")
	var nf nationalFlags
	nf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if nf.on {
		if !flagSet(fs, "data") && os.Getenv("MOTCUA_DATA") == "" {
			sf.data = nationalData
		}
		return serveNational(ctx, sf, nf, *addr, *pprofAddr, newLogger(stdout, *logLevel))
	}
	proxies, err := auth.ParseProxies(*trusted)
	if err != nil {
		return cli.UsageError("--trusted-proxies: địa chỉ không hợp lệ (invalid address): " + err.Error())
	}
	if *sessionTTL < time.Minute || *sessionIdle < 2*time.Minute {
		return cli.UsageError(fmt.Sprintf("--session-ttl %v, --session-idle %v: at least 1m and 2m", *sessionTTL, *sessionIdle))
	}
	if *uploadsPerHour < 1 {
		return cli.UsageError(fmt.Sprintf("--uploads-per-hour %d: at least 1", *uploadsPerHour))
	}
	minFreeBytes, err := diskspace.ParseSize(*minFree)
	if err != nil {
		return cli.UsageError("--min-free-disk: " + err.Error())
	}
	if *metricsToken != "" && len(*metricsToken) < 16 {
		return cli.UsageError("--metrics-token: mã truy cập cần ít nhất 16 ký tự (at least 16 characters)")
	}
	roles, err := parseRoles(*factorRoles)
	if err != nil {
		return cli.UsageError("--second-factor-roles: " + err.Error())
	}
	log := newLogger(stdout, *logLevel)
	cfg, db, err := openStore(ctx, sf, log)
	if err != nil {
		return err
	}
	cfg.UploadsPerHour = *uploadsPerHour
	cfg.SessionTTL, cfg.SessionIdle = *sessionTTL, *sessionIdle
	cfg.SecondFactorRoles = roles
	defer db.Close()
	if err := pf.apply(&cfg, maxUpload, *withDemo); err != nil {
		return err
	}
	public := *publicURL
	if public == "" {
		public = "http://" + *addr
	}
	if err := sof.apply(&cfg, public); err != nil {
		return err
	}
	if err := pwf.apply(fs, &cfg, *withDemo, public); err != nil {
		return err
	}
	if err := payf.apply(&cfg, *withDemo, *addr, log); err != nil {
		return err
	}
	if err := ntf.apply(&cfg, *withDemo, public, log); err != nil {
		return err
	}
	var sso *demoSSOProvider // the simulated sign-on, mounted at /sso-demo/
	if *withDemo && *withDemoSSO {
		if sso, err = demoSSO(public); err != nil {
			return err
		}
		log.Warn("demo sign-on (simulated VNeID / DVCQG, never in production)", "issuer", sso.Issuer, "client_id", sso.ClientID, "client_secret", sso.Secret, "redirect_uri", sso.RedirectURI)
		cfg.SignOn.Providers = append(cfg.SignOn.Providers, oidcrp.New(oidcrp.Config{Name: "demo", Label: "VNeID / Cổng DVCQG (mô phỏng)",
			Issuer: sso.Issuer, ClientID: sso.ClientID, ClientSecret: sso.Secret, RedirectURL: sso.RedirectURI, ACRValues: sof.acr, HTTPClient: sso.Client}))
	}
	a, err := platform.New(ctx, db, cfg)
	if err != nil {
		return err
	}
	// Result PDFs whose transaction committed just before the process
	// stopped are still staged in the database: write them out first.
	if n, err := a.Results.StoreStagedFiles(ctx); err != nil {
		log.Error("staged files not written to the file store (reads still serve them)", "written", n, "error", err)
	} else if n > 0 {
		log.Info("staged files written to the file store", "files", n)
	}
	if *withDemo {
		info, err := demo.Seed(ctx, a, db)
		if err != nil {
			return err
		}
		log.Info("demo loaded", "province", a.Kernel.Province.Name, "citizen_commune", info.CitizenCommune, "accounts", "congdan, tiepnhan, chuyenvien, lanhdao, vanthu, quantri; national portal service "+demo.NationalPortal+" (password: demo)")
		if n, err := demo.History(ctx, a, db, *demoHistory, 1); err != nil {
			return err
		} else if n > 0 {
			log.Info("demo history loaded", "dossiers", n, "months", *demoHistory, "agency", info.CommuneAgency)
		}
	}
	if *pkiDir == "" {
		*pkiDir = filepath.Join(sf.data, "pki")
	}
	if cfg.PKI, err = servePKI(ctx, a.Kernel.Province, db, *pkiDir, *withDemo, *publicURL, *addr, log); err != nil {
		return err
	}
	if cfg.PKI != nil {
		// The demo's PKI certifies the agencies the demo just loaded: the
		// services that sign results are built once it exists.
		cfg.PublicURL = *publicURL
		if cfg.PublicURL == "" {
			cfg.PublicURL = "http://" + *addr
		}
		if a, err = platform.New(ctx, db, cfg); err != nil {
			return err
		}
	}
	syncer, stopSync := startPortalSync(ctx, a, db, &pf, cfg.PublicURL, log)
	defer stopSync() // after the HTTP server, before the store
	stopNotify := startNotifications(ctx, a, log)
	defer stopNotify() // after the HTTP server, before the store
	var notify []func()
	if syncer != nil {
		notify = append(notify, syncer.Notify)
		a.PortalSync.Notify = syncer.Notify // a resync from the page or the API wakes a worker
	}
	// The portal's dossiers are taken in by the platform itself (the
	// permission national.inbound, which the portal's service account
	// holds over the API); the audit names it "system" from "dvcqg-nats".
	inbound := a.Dossiers.NationalHandler(identity.SystemActor("dvcqg-nats"))
	ev, err := startEvents(ctx, *natsURL, sf.data, a.Kernel.Province.Code, db, inbound, log, notify...)
	if err != nil {
		return err
	}
	defer ev.stop() // after the HTTP server, before the store
	wopts := web.Options{Logger: log, SecureCookies: *secure, PublicURL: *publicURL, MetricsToken: *metricsToken, TrustedProxies: proxies, Disk: diskGuard(sf.data, minFreeBytes, cfg.Files)}
	if ev.relay != nil {
		wopts.Collectors = append(wopts.Collectors, ev.relay)
	}
	if syncer != nil {
		wopts.Collectors = append(wopts.Collectors, syncer)
	}
	wopts.Collectors = append(wopts.Collectors, a.Notifications)
	ws := web.New(a, wopts)
	handler := ws.Handler()
	if sso != nil {
		handler = sso.mount(handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	if *pprofAddr != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.Handle("GET /metrics", ws.Metrics()) // loopback: no token
		go func() {
			psrv := &http.Server{Addr: *pprofAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
			log.Warn("profiler listening", "addr", *pprofAddr, "error", psrv.ListenAndServe())
		}()
	}
	if *anchors == "" {
		*anchors = filepath.Join(sf.data, auditlog.AnchorsFile)
	}
	var poster *anchorPoster
	if pf.client != nil && cfg.PKI != nil && *anchorEvery > 0 {
		poster = newAnchorPoster(pf.client, log)
	}
	stopAnchoring := anchorPeriodically(ctx, a, cfg.PKI, *anchors, *anchorEvery, poster, log)
	defer stopAnchoring()
	// Uploads no dossier took within a day are deleted every hour.
	stopCleanup := periodically(time.Hour, func() {
		n, m, err := a.Dossiers.CleanupUploads(context.WithoutCancel(ctx))
		switch {
		case err != nil:
			log.Error("uploads not cleaned up", "deleted", n, "error", err)
		case n > 0:
			log.Info("unattached uploads deleted", "uploads", n, "files", m)
		}
	})
	defer stopCleanup()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	store := "sqlite:" + sf.data
	if sf.db != "" {
		store = "postgres:" + redact(sf.db)
	}
	log.Info("motcua listening", "addr", ln.Addr().String(), "province", a.Kernel.Province.Code, "store", store, "events", natsMode(*natsURL), "version", version)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// diskGuard is the readiness check of the data directory: not ready below
// minFree bytes free, or for a minute after a write found the disk full
// (the database's full disks are watched by the server itself).
func diskGuard(data string, minFree uint64, files *blob.Store) diskspace.Guard {
	g := diskspace.Guard{Dir: data, MinFree: minFree}
	if files != nil {
		g.Seen = append(g.Seen, files.LastDiskFull)
	}
	return g
}

// servePKI opens the PKI that signs the electronic results; with --demo and
// no CA yet it first makes one with a certificate per agency of the
// province (offline, ECDSA: well under a second). Without a PKI the server
// runs, and results are not generated (logged).
func servePKI(ctx context.Context, province unit.Province, db *sqlstore.DB, dir string, withDemo bool, publicURL, addr string, log *slog.Logger) (*pki.Authority, error) {
	if publicURL == "" {
		publicURL = "http://" + addr
	}
	if _, err := os.Stat(filepath.Join(dir, "ca.pem")); errors.Is(err, os.ErrNotExist) {
		if !withDemo {
			log.Warn("no PKI: electronic results are not generated (run `motcua pki init`)", "dir", dir)
			return nil, nil
		}
		list, err := db.Agencies(ctx, unit.AgencyFilter{})
		if err != nil {
			return nil, fmt.Errorf("demo PKI: list agencies: %w", err)
		}
		var agencies []pki.Agency
		for _, ag := range list {
			if ag.ProvinceCode == "" || ag.ProvinceCode == province.Code {
				agencies = append(agencies, pki.Agency{ID: ag.ID, Name: ag.Name})
			}
		}
		res, err := pki.InitProvince(dir, pki.Province{Code: province.Code, Name: province.Name}, agencies, pkiNow(), pki.Options{PublicURL: publicURL})
		if err != nil {
			return nil, fmt.Errorf("demo PKI: %w", err)
		}
		log.Info("demo PKI made", "dir", dir, "certificates", len(res.Issued))
	}
	p, err := pki.Open(dir)
	if err != nil {
		return nil, err
	}
	log.Info("electronic results signed", "pki", dir, "ca", p.CA().Subject.CommonName)
	return p, nil
}

// redact hides the password of a database URL in logs.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	cred := url[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return url[:scheme+3] + cred[:i] + ":***" + url[at:]
	}
	return url
}

// anchorPeriodically signs where the audit log ends (auditlog.Anchor) now,
// every interval, and once more when stopped; without a PKI or with a zero
// interval it does nothing. A failed anchor is logged, and the next tick
// tries again. With a poster (--national-url) each anchor written is also
// posted to the national mode, in the background; stop makes a last short
// attempt to post what is pending.
func anchorPeriodically(ctx context.Context, a *platform.Services, p *pki.Authority, path string, every time.Duration, poster *anchorPoster, log *slog.Logger) (stop func()) {
	if p == nil || every <= 0 {
		if every > 0 {
			log.Warn("audit log not anchored: no PKI to sign anchors")
		}
		return func() {}
	}
	anchor := func() {
		signer, _, err := p.SignerOrIssue(auditlog.AnchorAgency(a.Kernel.Province.Name), time.Now())
		var sa auditlog.SignedAnchor
		if err == nil {
			sa, err = a.AuditLog.Anchor(context.WithoutCancel(ctx), signer, path)
		}
		if err != nil {
			log.Error("audit anchor not written", "file", path, "error", err)
		}
		// Anchor returns the anchor once its line is in the file, even
		// when auditing that failed afterwards.
		if poster != nil && len(sa.Signature) > 0 {
			if b, err := json.Marshal(sa); err == nil {
				poster.add(b)
			}
		}
	}
	anchor()
	stopTicks := periodically(every, anchor)
	return func() {
		stopTicks()
		anchor()
		if poster != nil {
			poster.close()
		}
	}
}

// periodically runs fn every interval until stop is called (stop waits
// for a run in progress).
func periodically(every time.Duration, fn func()) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fn()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// parseRoles reads a comma-separated list of roles ("none" or "": none).
func parseRoles(s string) ([]identity.Role, error) {
	roles := []identity.Role{}
	for r := range strings.SplitSeq(s, ",") {
		r = strings.TrimSpace(r)
		if r == "" || r == "none" {
			continue
		}
		if !slices.Contains(identity.Roles, identity.Role(r)) {
			return nil, fmt.Errorf("vai trò không hợp lệ (unknown role) %q", r)
		}
		roles = append(roles, identity.Role(r))
	}
	return roles, nil
}
