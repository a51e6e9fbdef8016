// Package app is the shared kernel of the use cases: who acts (Actor), the
// clock, the audit trail and the memo that keeps rarely changing reference
// data. The use cases themselves live in one sub-package per capability:
//
//	province   the province's set-up: procedures, agencies, office hours, working calendar, reporting scope
//	accounts   accounts, roles, login sessions
//	sharedata  shared datasets: look-ups, prefill, replacement, quality, imports
//	results    signed electronic results, write-back, personal document store, district results
//	dossiers   submission, the workflow's actions, lists, counter intake, printed forms
//	dashboard  the leaders' dashboard
//	auditlog   reading and verifying the audit chain
//	platform   wires them all over one store (for the command and tests)
//
// Each state change runs in one store transaction together with its audit
// entry; every use case checks the actor's permission itself, whatever the
// transport. A new capability is a new sub-package built the same way.
package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// Kernel is what every use case needs: the store, the province served, the
// clock and the logger. Services embed it.
type Kernel struct {
	Store    store.Store
	Units    *unit.Directory
	Province unit.Province
	Clock    func() time.Time
	Log      *slog.Logger
}

// NewKernel loads the unit directory and the province served; clock and
// logger default to time.Now and slog.Default.
func NewKernel(s store.Store, provinceCode string, clock func() time.Time, log *slog.Logger) (*Kernel, error) {
	units, err := unit.Load()
	if err != nil {
		return nil, err
	}
	p, err := units.Province(provinceCode)
	if err != nil {
		return nil, fmt.Errorf("configure province: %w", err)
	}
	if clock == nil {
		clock = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &Kernel{Store: s, Units: units, Province: p, Clock: clock, Log: log}, nil
}

// Now returns the clock's reading.
func (k *Kernel) Now() time.Time { return k.Clock() }

// Actor is who acts and from where.
type Actor struct {
	Account   *identity.Account // nil for anonymous callers and the system
	System    bool              // the platform itself or an operator's command line
	IP        string
	UserAgent string
}

// SystemActor is the platform acting on its own or through its command line.
func SystemActor(what string) Actor { return Actor{System: true, IP: what} }

// Name is the actor's account ID and name for the audit trail.
func (ac Actor) Name() (int64, string) {
	switch {
	case ac.Account != nil:
		return ac.Account.ID, ac.Account.Username
	case ac.System:
		return 0, "system"
	}
	return 0, "anonymous"
}

// Require checks that the actor holds perm (at agencyID when given).
func (ac Actor) Require(perm identity.Permission, agencyID string) error {
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

// Record appends an audit entry in tx.
func (k *Kernel) Record(ctx context.Context, tx store.Tx, ac Actor, action, object string, details any) error {
	id, name := ac.Name()
	e := &audit.Entry{At: k.Now(), ActorID: id, Actor: name, Action: action, Object: object, IP: ac.IP}
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("audit %s: %w", action, err)
		}
		e.Details = b
	}
	return tx.AppendAudit(ctx, e)
}

// RecordRead audits a read of personal data in its own transaction.
func (k *Kernel) RecordRead(ctx context.Context, ac Actor, action, object string, details any) error {
	return k.Store.Update(ctx, func(tx store.Tx) error { return k.Record(ctx, tx, ac, action, object, details) })
}

// MaySee reports whether the actor may see the dossier with its personal
// data: the platform always, an account by dossier.VisibleTo.
func (ac Actor) MaySee(d *dossier.Dossier) bool {
	return ac.System || dossier.VisibleTo(d, ac.Account)
}
