package auditlog

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
)

// AnchorsFile is the anchors file's name in the data directory.
const AnchorsFile = "audit-anchors.jsonl"

// AnchorAgency is the name under which the province's PKI issues the
// certificate that signs anchors.
func AnchorAgency(provinceName string) pki.Agency {
	return pki.Agency{ID: "audit-anchor", Name: "Neo nhật ký kiểm toán – " + provinceName}
}

// SignedAnchor is an anchor with the province's signature over its
// payload, and the signer's certificate chain: one line of the anchors
// file.
type SignedAnchor struct {
	audit.Anchor
	Certs     [][]byte `json:"certs"` // DER, the signer's first
	Signature []byte   `json:"signature"`
}

// SignAnchor signs a with s (SHA-256, the key's own scheme).
func SignAnchor(a audit.Anchor, s pki.Signer) (SignedAnchor, error) {
	digest := sha256.Sum256(a.Payload())
	sig, err := s.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return SignedAnchor{}, fmt.Errorf("sign audit anchor: %w", err)
	}
	out := SignedAnchor{Anchor: a, Signature: sig, Certs: [][]byte{s.Cert.Raw}}
	for _, c := range s.Chain {
		out.Certs = append(out.Certs, c.Raw)
	}
	return out, nil
}

// Verify checks the anchor's signature and that its signer's certificate
// chains to roots and was valid when the anchor was made.
func (sa SignedAnchor) Verify(roots *x509.CertPool) error {
	if len(sa.Certs) == 0 {
		return errors.New("no signer certificate")
	}
	var certs []*x509.Certificate
	for _, der := range sa.Certs {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("signer certificate: %w", err)
		}
		certs = append(certs, c)
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	leaf := certs[0]
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: sa.At, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return fmt.Errorf("signer certificate: %w", err)
	}
	var alg x509.SignatureAlgorithm
	switch leaf.PublicKey.(type) {
	case *ecdsa.PublicKey:
		alg = x509.ECDSAWithSHA256
	case *rsa.PublicKey:
		alg = x509.SHA256WithRSA
	default:
		return fmt.Errorf("signer key %T not supported", leaf.PublicKey)
	}
	if err := leaf.CheckSignature(alg, sa.Payload(), sa.Signature); err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	return nil
}

// maxAnchorLine bounds one line of the anchors file (32 heads and a
// certificate chain take about 8 KB).
const maxAnchorLine = 1 << 20

// ReadAnchors reads an anchors file (one JSON object per line). A missing
// file is no anchor; a line that is not an anchor is an error naming it
// (the file is evidence: it is not repaired).
func ReadAnchors(r io.Reader) ([]SignedAnchor, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxAnchorLine)
	var out []SignedAnchor
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var sa SignedAnchor
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&sa); err != nil {
			return nil, fmt.Errorf("audit anchors, line %d: %w", n, err)
		}
		if sa.At.IsZero() || len(sa.Signature) == 0 {
			return nil, fmt.Errorf("audit anchors, line %d: no time or no signature", n)
		}
		out = append(out, sa)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("audit anchors: %w", err)
	}
	return out, nil
}

// ReadAnchorsFile reads the anchors file at path; none if it does not exist.
func ReadAnchorsFile(path string) ([]SignedAnchor, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit anchors: %w", err)
	}
	defer f.Close()
	return ReadAnchors(f)
}

// Anchor records where every chain of the log ends now, signed by s, as a
// line appended (and synced) to the file at path, and audits it. Run it
// periodically (serve does) and keep the file, or copies of it, where the
// database's administrators cannot rewrite it.
func (s *Service) Anchor(ctx context.Context, signer pki.Signer, path string) (SignedAnchor, error) {
	heads, err := s.db.AuditHeads(ctx)
	if err != nil {
		return SignedAnchor{}, err
	}
	sa, err := SignAnchor(audit.Anchor{At: s.Now().UTC().Truncate(time.Microsecond), Heads: heads}, signer)
	if err != nil {
		return SignedAnchor{}, err
	}
	line, err := json.Marshal(sa)
	if err != nil {
		return SignedAnchor{}, fmt.Errorf("audit anchor: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return SignedAnchor{}, fmt.Errorf("audit anchor: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return SignedAnchor{}, errs.Wrap(errs.Unavailable, "audit.anchor", "Không ghi được neo nhật ký kiểm toán.", "cannot write the audit anchor", err)
	}
	_, err = f.Write(append(line, '\n')) // one write: appends of several nodes do not interleave
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return SignedAnchor{}, errs.Wrap(errs.Unavailable, "audit.anchor", "Không ghi được neo nhật ký kiểm toán.", "cannot write the audit anchor", err)
	}
	var last int64
	for _, h := range heads {
		last = max(last, h.Seq)
	}
	s.Log.Info("audit anchored", "at", sa.At, "last_entry", last, "file", path, "payload_sha256", fmt.Sprintf("%x", sha256.Sum256(sa.Payload())))
	return sa, s.RecordRead(ctx, identity.Actor{System: true}, "audit.anchor", "audit", map[string]any{"last_entry": last, "chains": len(heads), "file": path})
}
