// Package app is the shared kernel of the use cases: the store, the
// province served, the clock, the audit trail and the memo that keeps
// rarely changing reference data (who acts is identity.Actor). The use cases themselves live in one sub-package per capability:
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

// Record appends an audit entry in tx.
func (k *Kernel) Record(ctx context.Context, tx store.Tx, ac identity.Actor, action, object string, details any) error {
	id, name := ac.AuditName()
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
func (k *Kernel) RecordRead(ctx context.Context, ac identity.Actor, action, object string, details any) error {
	return k.Store.Update(ctx, func(tx store.Tx) error { return k.Record(ctx, tx, ac, action, object, details) })
}
