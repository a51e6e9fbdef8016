// Package app holds the use cases of the platform. Each state change runs in
// one store transaction together with its audit entry; every use case checks
// the actor's permission itself, whatever the transport.
package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// Config is what an App needs besides its store.
type Config struct {
	ProvinceCode string           // the province this deployment serves
	SessionTTL   time.Duration    // lifetime of a login session (default 12 h)
	Now          func() time.Time // the clock (default time.Now)
	Logger       *slog.Logger
	// LoginBurst and LoginEvery bound failed login attempts per username
	// (defaults: 5, then one every 12 s); a client address gets four times
	// the burst and rate.
	LoginBurst int
	LoginEvery time.Duration
	// Files stores uploads (nil: uploads are refused as unavailable).
	Files *blob.Store
	// Payments collects fees (default: payment.Local).
	Payments payment.Provider
	// PKI signs the electronic results (nil: no result is generated when a
	// dossier is done; New logs it).
	PKI *pki.Authority
	// PublicURL is the address citizens reach the platform at; a result's QR
	// code points to PublicURL/xac-thuc/{id} (default pki.DefaultPublicURL).
	PublicURL string
	// Datasets are the shared datasets (default registry.Builtin()); a
	// dataset with Remote set is read through Sources[its code].
	Datasets []registry.Dataset
	Sources  map[string]RecordSource
}

// App is the platform's use cases over one store.
type App struct {
	store    store.Store
	units    *unit.Directory
	province unit.Province
	now      func() time.Time
	log      *slog.Logger
	ttl      time.Duration
	users    *limiter // failed logins per username
	addrs    *limiter // failed logins per client address

	calMu      sync.RWMutex
	cal        *calendar.Calendar            // province default hours + loaded schedules
	agencyCals map[string]*calendar.Calendar // by agency, with its office hours

	files     *blob.Store
	payments  payment.Provider
	pki       *pki.Authority
	publicURL string
	formMu    sync.Mutex
	forms     map[string]compiledForm // by procedure code

	procs       *memo[string, catalog.Procedure]
	agencies    *memo[string, unit.Agency]
	agencyLists *memo[store.AgencyFilter, []unit.Agency]
	sessions    *memo[string, authenticated] // by token hash

	datasets []registry.Dataset
	sources  map[string]RecordSource
}

// New returns the use cases over s for the configured province.
func New(ctx context.Context, s store.Store, cfg Config) (*App, error) {
	units, err := unit.Load()
	if err != nil {
		return nil, err
	}
	p, err := units.Province(cfg.ProvinceCode)
	if err != nil {
		return nil, fmt.Errorf("configure province: %w", err)
	}
	a := &App{store: s, units: units, province: p, now: cfg.Now, log: cfg.Logger, ttl: cfg.SessionTTL,
		files: cfg.Files, payments: cfg.Payments, forms: map[string]compiledForm{},
		procs: newMemo[string, catalog.Procedure](15 * time.Second), agencies: newMemo[string, unit.Agency](time.Minute),
		agencyLists: newMemo[store.AgencyFilter, []unit.Agency](time.Minute), sessions: newMemo[string, authenticated](sessionMemo)}
	a.pki, a.publicURL = cfg.PKI, strings.TrimRight(cfg.PublicURL, "/")
	if a.publicURL == "" {
		a.publicURL = pki.DefaultPublicURL
	}
	if a.payments == nil {
		a.payments = payment.Local{}
	}
	if err := a.useDatasets(cfg.Datasets, cfg.Sources); err != nil {
		return nil, err
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.pki == nil {
		a.log.Info("no PKI configured: electronic results are not generated or signed")
	}
	if a.ttl <= 0 {
		a.ttl = 12 * time.Hour
	}
	burst, every := cfg.LoginBurst, cfg.LoginEvery
	if burst <= 0 {
		burst = 5
	}
	if every <= 0 {
		every = 12 * time.Second
	}
	a.users = newLimiter(burst, every, a.now)
	a.addrs = newLimiter(4*burst, every/4, a.now)
	if err := a.reloadCalendar(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Store returns the store (for adapters that need health checks).
func (a *App) Store() store.Store { return a.store }

// Units returns the unit directory.
func (a *App) Units() *unit.Directory { return a.units }

// Province returns the province served.
func (a *App) Province() unit.Province { return a.province }

// Now returns the App's clock reading.
func (a *App) Now() time.Time { return a.now() }

// Actor is who acts and from where.
type Actor struct {
	Account   *identity.Account // nil for anonymous callers and the system
	System    bool              // the platform itself or an operator's command line
	IP        string
	UserAgent string
}

// SystemActor is the platform acting on its own or through its command line.
func SystemActor(what string) Actor { return Actor{System: true, IP: what} }

func (ac Actor) name() (int64, string) {
	switch {
	case ac.Account != nil:
		return ac.Account.ID, ac.Account.Username
	case ac.System:
		return 0, "system"
	}
	return 0, "anonymous"
}

// require checks that the actor holds perm (at agencyID when given).
func (ac Actor) require(perm identity.Permission, agencyID string) error {
	if ac.System {
		return nil
	}
	if ac.Account == nil {
		return errs.New(errs.Unauthorized, "auth.required", "Bạn cần đăng nhập để thực hiện thao tác này.", "authentication required")
	}
	if !ac.Account.Can(perm, agencyID) {
		return errs.New(errs.Forbidden, "auth.forbidden", "Tài khoản của bạn không có quyền thực hiện thao tác này.", "permission "+string(perm)+" required")
	}
	return nil
}

// record appends an audit entry in tx.
func (a *App) record(ctx context.Context, tx store.Tx, ac Actor, action, object string, details any) error {
	id, name := ac.name()
	e := &audit.Entry{At: a.now(), ActorID: id, Actor: name, Action: action, Object: object, IP: ac.IP}
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("audit %s: %w", action, err)
		}
		e.Details = b
	}
	return tx.AppendAudit(ctx, e)
}

// recordRead audits a read of personal data in its own transaction.
func (a *App) recordRead(ctx context.Context, ac Actor, action, object string, details any) error {
	return a.store.Update(ctx, func(tx store.Tx) error { return a.record(ctx, tx, ac, action, object, details) })
}

// Record appends an audit entry in tx for a use case outside this package
// (the demo loader, importers) that writes through the store directly.
func Record(ctx context.Context, a *App, tx store.Tx, ac Actor, action, object string, details any) error {
	return a.record(ctx, tx, ac, action, object, details)
}
