package app

import (
	"context"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// AuditEntries lists the audit log (auditors and administrators).
func (a *App) AuditEntries(ctx context.Context, ac Actor, f store.AuditFilter) ([]audit.Entry, error) {
	if err := ac.require(identity.PermAuditRead, ""); err != nil {
		return nil, err
	}
	return a.store.AuditEntries(ctx, f)
}

// VerifyReport is the outcome of an audit-chain verification.
type VerifyReport struct {
	Entries int64  `json:"entries"`
	HeadSeq int64  `json:"head_seq"`
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
	BadSeq  int64  `json:"bad_seq,omitempty"`
}

// VerifyAudit checks the whole chain of r.
func VerifyAudit(ctx context.Context, r store.Reader) (VerifyReport, error) {
	v := audit.NewVerifier()
	err := r.AuditScan(ctx, v.Add)
	seq, hash, herr := r.AuditHead(ctx)
	if herr != nil {
		return VerifyReport{}, herr
	}
	if err == nil {
		err = v.Finish(seq, hash)
	}
	rep := VerifyReport{Entries: v.Count(), HeadSeq: seq, OK: err == nil}
	if be, ok := err.(*audit.BrokenError); ok {
		rep.Problem, rep.BadSeq = be.Reason, be.Seq
		return rep, nil
	}
	return rep, err
}

// VerifyAudit checks the chain (auditors and administrators).
func (a *App) VerifyAudit(ctx context.Context, ac Actor) (VerifyReport, error) {
	if err := ac.require(identity.PermAuditRead, ""); err != nil {
		return VerifyReport{}, err
	}
	return VerifyAudit(ctx, a.store)
}
