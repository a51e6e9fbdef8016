package pki

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// revocations is revoked.json: what the CRL lists, and its last number.
type revocations struct {
	Number  int64        `json:"crl_number"`
	Entries []revocation `json:"revoked"`
}

type revocation struct {
	Serial    string    `json:"serial"` // upper-case hex
	RevokedAt time.Time `json:"revoked_at"`
	Reason    int       `json:"reason"` // RFC 5280 CRLReason
}

// CRL reasons (RFC 5280 §5.3.1) accepted by Revoke.
const (
	ReasonUnspecified          = 0
	ReasonKeyCompromise        = 1
	ReasonAffiliationChanged   = 3
	ReasonSuperseded           = 4
	ReasonCessationOfOperation = 5
)

func (a *Authority) readRevocations() (revocations, error) {
	var r revocations
	b, err := os.ReadFile(filepath.Join(a.dir, "revoked.json"))
	if errors.Is(err, os.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("pki: %w", err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("pki: %s/revoked.json: %w", a.dir, err)
	}
	return r, nil
}

// Revoke adds a certificate issued here (an agency's or an official's) to the CRL and issues a new CRL.
// Revoking a serial twice keeps the first revocation.
func (a *Authority) Revoke(serial string, reason int, now time.Time) (Issued, error) {
	n, err := ParseSerial(serial)
	if err != nil {
		return Issued{}, err
	}
	if a.caKey == nil {
		return Issued{}, fmt.Errorf("pki: revoke: %w", ErrNoCAKey)
	}
	certs, err := a.Certificates()
	if err != nil {
		return Issued{}, err
	}
	personal, err := a.PersonalCertificates()
	if err != nil {
		return Issued{}, err
	}
	certs = append(certs, personal...)
	var found *Issued
	for i := range certs {
		if certs[i].Serial == SerialString(n) {
			found = &certs[i]
		}
	}
	if found == nil {
		return Issued{}, fmt.Errorf("pki: revoke %s: %w", SerialString(n), ErrUnknownSerial)
	}
	r, err := a.readRevocations()
	if err != nil {
		return Issued{}, err
	}
	known := false
	for _, e := range r.Entries {
		known = known || e.Serial == found.Serial
	}
	if !known {
		r.Entries = append(r.Entries, revocation{Serial: found.Serial, RevokedAt: now.UTC(), Reason: reason})
	}
	return *found, a.writeCRL(r, now)
}

// writeCRL issues the next CRL (valid 30 days) and saves it with the list.
func (a *Authority) writeCRL(r revocations, now time.Time) error {
	if a.caKey == nil {
		return fmt.Errorf("pki: CRL: %w", ErrNoCAKey)
	}
	r.Number++
	tmpl := &x509.RevocationList{
		Number:     big.NewInt(r.Number),
		ThisUpdate: now.Add(-backdate),
		NextUpdate: now.Add(crlValidity),
	}
	for _, e := range r.Entries {
		n, err := ParseSerial(e.Serial)
		if err != nil {
			return err
		}
		tmpl.RevokedCertificateEntries = append(tmpl.RevokedCertificateEntries, x509.RevocationListEntry{SerialNumber: n, RevocationTime: e.RevokedAt, ReasonCode: e.Reason})
	}
	der, err := x509.CreateRevocationList(rand.Reader, tmpl, a.ca, a.caKey)
	if err != nil {
		return fmt.Errorf("pki: CRL: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(a.dir, "revoked.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(a.dir, "crl.pem"), pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der}), 0o644)
}

// CRL returns the current CRL. When it has passed its NextUpdate and the
// CA's key is here, a fresh one (same entries) is issued first, so a demo
// deployment never serves a stale list.
func (a *Authority) CRL(now time.Time) (*x509.RevocationList, error) {
	crl, err := a.loadCRL()
	if err != nil {
		return nil, err
	}
	if now.Before(crl.NextUpdate) || a.caKey == nil {
		return crl, nil
	}
	r, err := a.readRevocations()
	if err != nil {
		return nil, err
	}
	if err := a.writeCRL(r, now); err != nil {
		return nil, err
	}
	return a.loadCRL()
}

func (a *Authority) loadCRL() (*x509.RevocationList, error) {
	b, err := os.ReadFile(filepath.Join(a.dir, "crl.pem"))
	if err != nil {
		return nil, fmt.Errorf("pki: CRL: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "X509 CRL" {
		return nil, fmt.Errorf("pki: %s/crl.pem: no X509 CRL block", a.dir)
	}
	crl, err := x509.ParseRevocationList(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("pki: %s/crl.pem: %w", a.dir, err)
	}
	if err := crl.CheckSignatureFrom(a.ca); err != nil {
		return nil, fmt.Errorf("pki: %s/crl.pem is not signed by the CA: %w", a.dir, err)
	}
	return crl, nil
}
