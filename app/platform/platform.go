// Package platform wires the use cases of every capability over one store,
// in the order they depend on one another: the command line, the server
// and the tests build them here, once.
package platform

import (
	"context"
	"log/slog"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/app/accounts"
	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/app/dashboard"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/nationalcatalog"
	"github.com/motcua/motcua/app/notifications"
	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

// Config is what the platform needs besides its store.
type Config struct {
	ProvinceCode string           // the province this deployment serves
	SessionTTL   time.Duration    // absolute timeout of a login session (default 12 h)
	SessionIdle  time.Duration    // idle timeout of a login session (default 30 min)
	Now          func() time.Time // the clock (default time.Now)
	Logger       *slog.Logger
	// LoginBurst and LoginBackoff throttle failed logins (see
	// accounts.Config): LoginBurst free failures per username and client
	// address (default 5), then waits from LoginBackoff (default 1 s)
	// doubling up to 15 min.
	LoginBurst   int
	LoginBackoff time.Duration
	// SecondFactorRoles are the roles that must log in with a second
	// factor (see accounts.Config; nil: leaders, clerks, administrators).
	SecondFactorRoles []identity.Role
	// Files stores uploads and results (nil: uploads are refused as
	// unavailable).
	Files *blob.Store
	// Payments collects fees (default: payment.Transfer).
	Payments payment.Provider
	// PaymentSecret signs the payment provider's callbacks (HMAC-SHA256).
	PaymentSecret []byte
	// CallbackRefusals holds off a source of badly signed callbacks (nil:
	// payment.Refusals' defaults, 10 a minute).
	CallbackRefusals *payment.Refusals
	// UploadsPerHour bounds each account's uploads in an hour (default
	// dossiers.DefaultUploadsPerHour).
	UploadsPerHour int
	// PKI signs the electronic results (nil: no result is generated when a
	// dossier is done).
	PKI *pki.Authority
	// PublicURL is the address citizens reach the platform at; a result's QR
	// code points to PublicURL/xac-thuc/{id} (default pki.DefaultPublicURL).
	PublicURL string
	// Datasets are the shared datasets (default registry.Builtin()); a
	// dataset with Remote set is read through Sources[its code].
	Datasets []registry.Dataset
	Sources  map[string]sharedata.RecordSource
	// NationalFiles fetches the papers of the dossiers the national portal
	// hands over (nil: such dossiers with papers are refused as
	// unavailable).
	NationalFiles dossiers.FileSource
	// NationalCatalog is the national procedure catalogue (nil: the
	// catalogue's sync is unavailable).
	NationalCatalog nationalcatalog.Source
	// NationalSync: the province's dossiers are sent to the national
	// portal (serve --national-url); otherwise their changes wait in the
	// sync's queue.
	NationalSync bool
	// SignOn is the national sign-on (VNeID / the national portal); none
	// configured: local accounts only.
	SignOn accounts.SignOnConfig
	// Passwords rules the public's local passwords and their reset by
	// e-mail (zero: allowed, no reset).
	Passwords accounts.PasswordConfig
	// Notifications tells applicants of their dossiers (zero: no channel,
	// nothing queued); its BaseURL defaults to PublicURL.
	Notifications notifications.Config
}

// Services are the use cases of every capability.
type Services struct {
	Kernel    *app.Kernel
	Province  *province.Service
	Accounts  *accounts.Service
	ShareData *sharedata.Service
	Results   *results.Service
	Dossiers  *dossiers.Service
	Dashboard *dashboard.Service
	AuditLog  *auditlog.Service
	// NationalCatalog keeps the catalogue in step with the national one.
	NationalCatalog *nationalcatalog.Service
	// PortalSync oversees the sync of the dossiers to the national portal.
	PortalSync *portalsync.Admin
	// Notifications queues and sends what applicants are told, and keeps
	// their choice of channels.
	Notifications *notifications.Service
}

// New builds every service over s for the configured province.
func New(ctx context.Context, s store.Store, cfg Config) (*Services, error) {
	k, err := app.NewKernel(s, cfg.ProvinceCode, cfg.Now, cfg.Logger)
	if err != nil {
		return nil, err
	}
	prov, err := province.New(ctx, k)
	if err != nil {
		return nil, err
	}
	data, err := sharedata.New(k, prov, cfg.Datasets, cfg.Sources)
	if err != nil {
		return nil, err
	}
	res := results.New(k, prov, data, results.Config{Files: cfg.Files, PKI: cfg.PKI, PublicURL: cfg.PublicURL})
	acc := accounts.New(k, accounts.Config{SessionTTL: cfg.SessionTTL, SessionIdle: cfg.SessionIdle, LoginBurst: cfg.LoginBurst, LoginBackoff: cfg.LoginBackoff, SecondFactorRoles: cfg.SecondFactorRoles})
	if len(cfg.SignOn.Providers) > 0 {
		acc.SetSignOn(cfg.SignOn)
	}
	acc.SetPasswords(cfg.Passwords)
	if cfg.Notifications.BaseURL == "" {
		cfg.Notifications.BaseURL = cfg.PublicURL
	}
	notes := notifications.New(k, cfg.Notifications)
	return &Services{
		Kernel:    k,
		Province:  prov,
		Accounts:  acc,
		ShareData: data,
		Results:   res,
		Dossiers:  dossiers.New(k, prov, data, res, dossiers.Config{Files: cfg.Files, Payments: cfg.Payments, PaymentSecret: cfg.PaymentSecret, CallbackRefusals: cfg.CallbackRefusals, UploadsPerHour: cfg.UploadsPerHour, NationalFiles: cfg.NationalFiles, Notices: notes}),
		Dashboard: dashboard.New(k, prov),
		AuditLog:  auditlog.New(k),

		NationalCatalog: nationalcatalog.New(k, prov, cfg.NationalCatalog),
		PortalSync:      portalsync.NewAdmin(k, prov, cfg.NationalSync),
		Notifications:   notes,
	}, nil
}

// Forget drops what the services keep in memory of the store (the demo
// loader calls it after writing agencies and procedures directly).
func (s *Services) Forget() {
	s.Province.Forget()
	s.Accounts.Forget()
}
