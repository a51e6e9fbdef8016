// Package auditlog holds the use cases of the audit trail: listing it for
// auditors and verifying that its hash chain is whole.
package auditlog

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

// Entries lists the audit log (auditors and administrators). Entries name
// citizens (IDs looked up, dossiers read): the read is itself audited,
// with the filter used.
func (s *Service) Entries(ctx context.Context, ac identity.Actor, f audit.Filter) ([]audit.Entry, error) {
	if err := ac.Require(identity.PermAuditRead, ""); err != nil {
		return nil, err
	}
	es, err := s.db.AuditEntries(ctx, f)
	if err != nil || len(es) == 0 {
		return es, err
	}
	return es, s.RecordRead(ctx, ac, "audit.read", "audit", map[string]any{"actor_id": f.ActorID, "action": f.Action, "object": f.Object, "before_seq": f.BeforeSeq, "count": len(es)})
}

// VerifyReport is the outcome of an audit-chain verification.
type VerifyReport struct {
	Entries int64  `json:"entries"`
	Chains  int    `json:"chains"`   // chains with at least one entry
	HeadSeq int64  `json:"head_seq"` // the highest sequence number the heads record
	Anchors int    `json:"anchors"`  // signed anchors checked against the log
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
	BadSeq  int64  `json:"bad_seq,omitempty"`
}

// VerifyChain checks the whole log of r: every chain link by link and
// against its head and, for each anchor (whose signature must chain to
// roots), that the entries it names are there with the hashes it records.
func VerifyChain(ctx context.Context, r store.AuditReader, anchors []SignedAnchor, roots *x509.CertPool) (VerifyReport, error) {
	v := audit.NewVerifier()
	for _, a := range anchors {
		if roots == nil {
			return VerifyReport{}, errors.New("verify audit anchors: no PKI to check their signatures")
		}
		if err := a.Verify(roots); err != nil {
			return VerifyReport{Anchors: len(anchors), Problem: fmt.Sprintf("the anchor of %s is not validly signed: %v", a.At.Format(time.RFC3339), err)}, nil
		}
		v.Expect(a.Anchor)
	}
	err := r.AuditScan(ctx, v.Add)
	heads, herr := r.AuditHeads(ctx)
	if herr != nil {
		return VerifyReport{}, herr
	}
	if err == nil {
		err = v.Finish(heads)
	}
	rep := VerifyReport{Entries: v.Count(), Anchors: len(anchors), OK: err == nil}
	for _, h := range heads {
		rep.HeadSeq = max(rep.HeadSeq, h.Seq)
		if h.Seq > 0 {
			rep.Chains++
		}
	}
	if be, ok := err.(*audit.BrokenError); ok {
		rep.Problem, rep.BadSeq = be.Reason, be.Seq
		return rep, nil
	}
	return rep, err
}

// Verify checks the chain (auditors and administrators).
func (s *Service) Verify(ctx context.Context, ac identity.Actor) (VerifyReport, error) {
	if err := ac.Require(identity.PermAuditRead, ""); err != nil {
		return VerifyReport{}, err
	}
	return VerifyChain(ctx, s.db, nil, nil)
}

// Service reads the audit log.
type Service struct {
	*app.Kernel
	db store.AuditReader // writes (the audit of reads) go through Kernel.Store.Update
}

// New returns the service.
func New(k *app.Kernel) *Service { return &Service{Kernel: k, db: k.Store} }
