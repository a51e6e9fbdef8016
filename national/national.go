// Package national is the national portal's receiving side, as `motcua
// serve --national` runs it: the provinces' dossier sync is received
// (dvcqg/PROTOCOL.md: every field validated, a record older than the one
// stored not applied, progress entries de-duplicated), any dossier is
// looked up by its code whatever its province, and the provinces'
// statistics are counted. Who calls is a province, known from its
// credentials (Accounts, Sessions); the catalogue of procedures is served
// from Catalogue. No HTTP here: national/httpapi adapts it.
package national

import (
	"context"
	"errors"
	"fmt"
	"github.com/motcua/motcua/audit"
	"log/slog"
	"time"

	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// Store is what the national mode needs of a database.
type Store interface {
	store.NationalReader
	// AuditEntries reads the national log (the provinces' anchors).
	AuditEntries(ctx context.Context, f audit.Filter) ([]audit.Entry, error)
	Update(ctx context.Context, fn func(store.Tx) error) error
}

// Caller is the province a request comes from, known from its credentials
// (never from the body).
type Caller struct {
	Province string // 2-digit code
	Username string
	IP       string
}

// Config builds a Service.
type Config struct {
	Store     Store
	Units     *unit.Directory
	Catalogue *Catalogue
	Accounts  *Accounts
	// SessionTTL is how long an adapter session lives (default
	// DefaultSessionTTL).
	SessionTTL time.Duration
	Clock      func() time.Time // default time.Now
	Log        *slog.Logger     // default slog.Default()
}

// DefaultSessionTTL is how long an adapter session lives (PROTOCOL.md).
const DefaultSessionTTL = 30 * time.Minute

// Service is the national mode.
type Service struct {
	db       Store
	units    *unit.Directory
	cat      *Catalogue
	accounts *Accounts
	sessions *Sessions
	clock    func() time.Time
	log      *slog.Logger
}

// New returns the service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Units == nil || cfg.Catalogue == nil || cfg.Accounts == nil {
		return nil, errors.New("national: store, units, catalogue and accounts are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = DefaultSessionTTL
	}
	return &Service{db: cfg.Store, units: cfg.Units, cat: cfg.Catalogue, accounts: cfg.Accounts,
		sessions: NewSessions(cfg.SessionTTL, cfg.Clock), clock: cfg.Clock, log: cfg.Log}, nil
}

// Catalogue is the catalogue served.
func (s *Service) Catalogue() *Catalogue { return s.cat }

// Accounts are the provinces' credentials.
func (s *Service) Accounts() *Accounts { return s.accounts }

// Login checks a province's credentials and opens an adapter session
// (errs.Unauthorized when they are wrong).
func (s *Service) Login(username, password string) (string, Caller, error) {
	c, err := s.accounts.Check(username, password)
	if err != nil {
		return "", Caller{}, err
	}
	tok, err := s.sessions.New(c)
	if err != nil {
		return "", Caller{}, fmt.Errorf("national login of %s: %w", username, err)
	}
	return tok, c, nil
}

// Session returns the caller of an adapter session (errs.Unauthorized when
// it is unknown or expired).
func (s *Service) Session(token string) (Caller, error) { return s.sessions.Get(token) }

// Basic checks the credentials of a three-URL call (errs.Unauthorized
// when they are wrong).
func (s *Service) Basic(username, password string) (Caller, error) {
	return s.accounts.Check(username, password)
}

// provinceName names a province by code ("" if unknown).
func (s *Service) provinceName(code string) string {
	p, err := s.units.Province(code)
	if err != nil {
		return ""
	}
	return p.Name
}
