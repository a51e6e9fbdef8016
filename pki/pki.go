// Package pki is the province's public-key infrastructure for signed
// results: a province root CA with one certificate per agency (made by
// `motcua pki init` for the demo and tests; imported in production), its
// certificate revocation list, and standard PDF signatures (PAdES baseline
// B-B, CMS detached over the /ByteRange) that Debian's pdfsig and Adobe
// Reader verify once the province CA is trusted.
//
// Keys are ECDSA P-256: signatures of 64 bytes and certificates of about 600
// bytes keep the signature placeholder (and every signed PDF) small,
// generating the province's hundred-odd agency keys takes milliseconds
// (RSA-3072 takes about a second each), and P-256 with SHA-256 is accepted by
// NSS (pdfsig), Adobe Reader and ETSI TS 119 312. Imported production
// certificates may be RSA: signing and verification take either.
//
// Layout of the directory (keys 0600, directories 0700):
//
//	ca.pem              province root CA certificate
//	ca.key              its private key (absent when the CA is held elsewhere)
//	crl.pem             the current CRL, signed by the CA
//	revoked.json        the revoked serials and the CRL number
//	pki.json            province and public URL of the CRL
//	agencies/ID.pem     the agency's certificate, then its issuers
//	agencies/ID.key     the agency's private key (PKCS #8)
package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Province names the CA's owner.
type Province struct {
	Code string // "01"
	Name string // "Thành phố Hà Nội"
}

// Agency is an agency that gets a signing certificate.
type Agency struct {
	ID   string // electronic agency ID, e.g. "000.00.50.H01" (also the file name)
	Name string // "Ủy ban nhân dân phường Ba Đình": the certificate's CN
}

// Options tune InitProvince.
type Options struct {
	// PublicURL is the deployment's public address; the certificates name
	// PublicURL+CRLPath as their CRL distribution point and PublicURL+CAPath
	// as their issuer's certificate.
	PublicURL string
	// Force makes a new CA and new agency certificates even where keys exist.
	Force bool
}

// DefaultPublicURL is the public URL of a new CA when none is given: the
// address `motcua serve` listens on by default.
const DefaultPublicURL = "http://127.0.0.1:8080"

// Paths under the public URL where the web layer serves the CA and its CRL
// (both DER).
const (
	CAPath  = "/pki/ca.crt"
	CRLPath = "/pki/ca.crl"
)

// Validity periods.
const (
	caYears     = 10
	agencyYears = 3
	crlValidity = 30 * 24 * time.Hour
	backdate    = 5 * time.Minute // tolerance for clocks a little behind
)

// Issued describes one agency certificate.
type Issued struct {
	AgencyID string
	Name     string
	Serial   string // upper-case hex
	NotAfter time.Time
}

// InitResult tells what InitProvince made and what it kept.
type InitResult struct {
	CA        *x509.Certificate
	CACreated bool
	Issued    []Issued // new certificates
	Kept      []Issued // existing ones left alone
}

type config struct {
	ProvinceCode string `json:"province_code"`
	ProvinceName string `json:"province_name"`
	PublicURL    string `json:"public_url"`
}

// Authority is an opened PKI directory.
type Authority struct {
	dir   string
	cfg   config
	ca    *x509.Certificate
	caKey crypto.Signer // nil when the CA's key is not here
	// issueMu serialises the issuing of certificates in the process, and
	// lockFile between processes (lockIssue): two issues for one agency or
	// official at once could leave one's key beside the other's
	// certificate.
	issueMu sync.Mutex
}

// lockIssue takes the issuing locks of the process and of the directory.
func (a *Authority) lockIssue() (release func(), err error) {
	a.issueMu.Lock()
	unlock, err := lockFile(a.dir)
	if err != nil {
		a.issueMu.Unlock()
		return nil, err
	}
	return func() { unlock(); a.issueMu.Unlock() }, nil
}

var agencyIDFile = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$`)

func checkAgencyID(id string) error {
	if !agencyIDFile.MatchString(id) || strings.Contains(id, "..") {
		return fmt.Errorf("pki: agency ID %q: %w", id, ErrNoCertificate)
	}
	return nil
}

// InitProvince makes (or completes) the PKI directory dir: a province root
// CA and a certificate for every agency that has none, plus an empty CRL.
// It is idempotent: existing keys are kept unless opts.Force.
func InitProvince(dir string, p Province, agencies []Agency, now time.Time, opts Options) (InitResult, error) {
	var res InitResult
	if p.Code == "" || p.Name == "" {
		return res, errors.New("pki init: province code and name are required")
	}
	if err := os.MkdirAll(filepath.Join(dir, "agencies"), 0o700); err != nil {
		return res, fmt.Errorf("pki init: %w", err)
	}
	a, err := Open(dir)
	switch {
	case err == nil && !opts.Force && a.caKey == nil:
		return res, fmt.Errorf("pki init: %s holds a CA without its key: %w", dir, ErrNoCAKey)
	case err == nil && !opts.Force:
		if opts.PublicURL != "" && opts.PublicURL != a.cfg.PublicURL {
			a.cfg.PublicURL = strings.TrimRight(opts.PublicURL, "/")
			if err := a.writeConfig(); err != nil {
				return res, err
			}
		}
	case err == nil || errors.Is(err, os.ErrNotExist):
		if a, err = newCA(dir, p, now, opts.PublicURL); err != nil {
			return res, err
		}
		res.CACreated = true
	default:
		return res, err
	}
	res.CA = a.ca
	for _, ag := range agencies {
		if !opts.Force && !res.CACreated {
			if s, err := a.Signer(ag.ID); err == nil {
				res.Kept = append(res.Kept, issuedOf(ag.ID, s.Cert))
				continue
			}
		}
		is, err := a.Issue(ag, now)
		if err != nil {
			return res, err
		}
		res.Issued = append(res.Issued, is)
	}
	if _, err := os.Stat(filepath.Join(dir, "crl.pem")); res.CACreated || err != nil {
		if err := a.writeCRL(revocations{}, now); err != nil {
			return res, err
		}
	}
	return res, nil
}

func issuedOf(id string, c *x509.Certificate) Issued {
	return Issued{AgencyID: id, Name: c.Subject.CommonName, Serial: SerialString(c.SerialNumber), NotAfter: c.NotAfter}
}

// SerialString writes a serial the way `motcua pki revoke` reads it.
func SerialString(n *big.Int) string { return strings.ToUpper(n.Text(16)) }

// ParseSerial reads a hexadecimal serial, with or without colons.
func ParseSerial(s string) (*big.Int, error) {
	s = strings.NewReplacer(":", "", " ", "").Replace(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "0x"))
	n, ok := new(big.Int).SetString(s, 16)
	if !ok || n.Sign() <= 0 {
		return nil, fmt.Errorf("pki: serial %q is not hexadecimal: %w", s, ErrUnknownSerial)
	}
	return n, nil
}

func newSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("pki: serial: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}

func newCA(dir string, p Province, now time.Time, publicURL string) (*Authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("pki: CA key: %w", err)
	}
	serial, err := newSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:   "CA gốc thử nghiệm motcua – " + p.Name,
			Organization: []string{p.Name},
			Country:      []string{"VN"},
		},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.AddDate(caYears, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		SubjectKeyId:          keyID(&key.PublicKey),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("pki: CA certificate: %w", err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("pki: CA certificate: %w", err)
	}
	if publicURL == "" {
		publicURL = DefaultPublicURL
	}
	a := &Authority{dir: dir, ca: ca, caKey: key, cfg: config{ProvinceCode: p.Code, ProvinceName: p.Name, PublicURL: strings.TrimRight(publicURL, "/")}}
	if err := writeKey(filepath.Join(dir, "ca.key"), key); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(dir, "ca.pem"), pemCert(ca), 0o644); err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(dir, "revoked.json")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("pki: %w", err)
	}
	return a, a.writeConfig()
}

// keyID is a subject key identifier: the first 160 bits of the SHA-256 of
// the public key (RFC 7093, method 1 in spirit).
func keyID(pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	sum := sha256.Sum256(der)
	return sum[:20]
}

// Open reads a PKI directory: the CA certificate (required), its key if
// present, and the configuration.
func Open(dir string) (*Authority, error) {
	a := &Authority{dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		return nil, fmt.Errorf("pki: open %s: %w", dir, err)
	}
	certs, err := parseCerts(b)
	if err != nil || len(certs) == 0 {
		return nil, fmt.Errorf("pki: %s/ca.pem: no certificate: %v", dir, err)
	}
	a.ca = certs[0]
	if kb, err := os.ReadFile(filepath.Join(dir, "ca.key")); err == nil {
		if a.caKey, err = parseKey(kb); err != nil {
			return nil, fmt.Errorf("pki: %s/ca.key: %w", dir, err)
		}
		if !samePublic(a.caKey.Public(), a.ca.PublicKey) {
			return nil, fmt.Errorf("pki: %s/ca.key does not match ca.pem", dir)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("pki: %w", err)
	}
	if cb, err := os.ReadFile(filepath.Join(dir, "pki.json")); err == nil {
		if err := json.Unmarshal(cb, &a.cfg); err != nil {
			return nil, fmt.Errorf("pki: %s/pki.json: %w", dir, err)
		}
	}
	return a, nil
}

// CA returns the province root certificate.
func (a *Authority) CA() *x509.Certificate { return a.ca }

// Roots returns a pool trusting only the province CA.
func (a *Authority) Roots() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(a.ca)
	return p
}

// HasCAKey reports whether certificates can be issued and revoked here.
func (a *Authority) HasCAKey() bool { return a.caKey != nil }

func (a *Authority) writeConfig() error {
	b, err := json.MarshalIndent(a.cfg, "", "  ")
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	return writeFileAtomic(filepath.Join(a.dir, "pki.json"), append(b, '\n'), 0o644)
}

// Issue makes a new certificate and key for an agency (replacing any) with
// the CA's key. A deployment may issue lazily, the first time an agency
// signs, instead of issuing every agency's certificate at init: see
// SignerOrIssue.
func (a *Authority) Issue(ag Agency, now time.Time) (Issued, error) {
	release, err := a.lockIssue()
	if err != nil {
		return Issued{}, err
	}
	defer release()
	return a.issue(ag, now)
}

// SignerOrIssue returns the agency's signer, first issuing its certificate
// if it has none and the CA's key is here; issued tells whether it did.
// Concurrent first uses issue once.
//
// Issuing provisions the agency, whatever the caller is doing: the key
// and certificate are synced to disk before the caller can sign with them,
// are listed by Certificates from then on, and are the agency's for its
// next signature. A caller whose own work then fails (a transaction rolled
// back) leaves no orphan: nothing refers to an agency's certificate but
// this directory and the documents signed with it, and a certificate must
// be on record here before any signature made with it is committed
// elsewhere, never after.
func (a *Authority) SignerOrIssue(ag Agency, now time.Time) (s Signer, issued bool, err error) {
	s, err = a.Signer(ag.ID)
	if !errors.Is(err, ErrNoCertificate) || a.caKey == nil {
		return s, false, err
	}
	release, err := a.lockIssue()
	if err != nil {
		return Signer{}, false, err
	}
	defer release()
	if s, err = a.Signer(ag.ID); !errors.Is(err, ErrNoCertificate) {
		return s, false, err // issued meanwhile
	}
	if _, err := a.issue(ag, now); err != nil {
		return Signer{}, false, err
	}
	s, err = a.Signer(ag.ID)
	return s, err == nil, err
}

func (a *Authority) issue(ag Agency, now time.Time) (Issued, error) {
	if err := checkAgencyID(ag.ID); err != nil {
		return Issued{}, err
	}
	if a.caKey == nil {
		return Issued{}, fmt.Errorf("pki: issue for %s: %w", ag.ID, ErrNoCAKey)
	}
	if strings.TrimSpace(ag.Name) == "" {
		return Issued{}, fmt.Errorf("pki: issue for %s: the agency has no name", ag.ID)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return Issued{}, fmt.Errorf("pki: key for %s: %w", ag.ID, err)
	}
	serial, err := newSerial()
	if err != nil {
		return Issued{}, err
	}
	notAfter := now.AddDate(agencyYears, 0, 0)
	if notAfter.After(a.ca.NotAfter) {
		notAfter = a.ca.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:   strings.TrimSpace(ag.Name),
			Organization: []string{a.cfg.ProvinceName},
			Country:      []string{"VN"},
			SerialNumber: ag.ID,
		},
		NotBefore:    now.Add(-backdate),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		SubjectKeyId: keyID(&key.PublicKey),
	}
	if a.cfg.PublicURL != "" {
		tmpl.CRLDistributionPoints = []string{a.cfg.PublicURL + CRLPath}
		tmpl.IssuingCertificateURL = []string{a.cfg.PublicURL + CAPath}
	}
	if tmpl.Subject.Organization[0] == "" {
		tmpl.Subject.Organization = a.ca.Subject.Organization
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.ca, &key.PublicKey, a.caKey)
	if err != nil {
		return Issued{}, fmt.Errorf("pki: certificate for %s: %w", ag.ID, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return Issued{}, fmt.Errorf("pki: certificate for %s: %w", ag.ID, err)
	}
	base := filepath.Join(a.dir, "agencies", ag.ID)
	if err := writeKey(base+".key", key); err != nil {
		return Issued{}, err
	}
	if err := writeFileAtomic(base+".pem", append(pemCert(cert), pemCert(a.ca)...), 0o644); err != nil {
		return Issued{}, err
	}
	return issuedOf(ag.ID, cert), nil
}

// Import installs an agency's certificate chain (PEM, the agency's
// certificate first) and private key issued by a real CA. The key must match
// the certificate, and the certificate must chain to this directory's CA.
func (a *Authority) Import(agencyID string, chainPEM, keyPEM []byte, now time.Time) (Issued, error) {
	if err := checkAgencyID(agencyID); err != nil {
		return Issued{}, err
	}
	certs, err := parseCerts(chainPEM)
	if err != nil || len(certs) == 0 {
		return Issued{}, fmt.Errorf("pki: import %s: no certificate: %v", agencyID, err)
	}
	key, err := parseKey(keyPEM)
	if err != nil {
		return Issued{}, fmt.Errorf("pki: import %s: %w", agencyID, err)
	}
	if !samePublic(key.Public(), certs[0].PublicKey) {
		return Issued{}, fmt.Errorf("pki: import %s: the key does not match the certificate", agencyID)
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	if _, err := certs[0].Verify(x509.VerifyOptions{Roots: a.Roots(), Intermediates: inter, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return Issued{}, fmt.Errorf("pki: import %s: the certificate does not chain to %s: %w", agencyID, a.ca.Subject.CommonName, err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return Issued{}, fmt.Errorf("pki: import %s: %w", agencyID, err)
	}
	base := filepath.Join(a.dir, "agencies", agencyID)
	if err := os.MkdirAll(filepath.Dir(base), 0o700); err != nil {
		return Issued{}, fmt.Errorf("pki: %w", err)
	}
	if err := writeFileAtomic(base+".key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return Issued{}, err
	}
	var out []byte
	for _, c := range certs {
		out = append(out, pemCert(c)...)
	}
	if err := writeFileAtomic(base+".pem", out, 0o644); err != nil {
		return Issued{}, err
	}
	return issuedOf(agencyID, certs[0]), nil
}

// Signer loads an agency's key and certificate chain.
func (a *Authority) Signer(agencyID string) (Signer, error) {
	if err := checkAgencyID(agencyID); err != nil {
		return Signer{}, err
	}
	base := filepath.Join(a.dir, "agencies", agencyID)
	cb, err := os.ReadFile(base + ".pem")
	if errors.Is(err, os.ErrNotExist) {
		return Signer{}, fmt.Errorf("pki: agency %s: %w", agencyID, ErrNoCertificate)
	}
	if err != nil {
		return Signer{}, fmt.Errorf("pki: agency %s: %w", agencyID, err)
	}
	kb, err := os.ReadFile(base + ".key")
	if errors.Is(err, os.ErrNotExist) {
		return Signer{}, fmt.Errorf("pki: agency %s has a certificate but no key: %w", agencyID, ErrNoCertificate)
	}
	if err != nil {
		return Signer{}, fmt.Errorf("pki: agency %s: %w", agencyID, err)
	}
	certs, err := parseCerts(cb)
	if err != nil || len(certs) == 0 {
		return Signer{}, fmt.Errorf("pki: agency %s: bad certificate file: %v", agencyID, err)
	}
	key, err := parseKey(kb)
	if err != nil {
		return Signer{}, fmt.Errorf("pki: agency %s: %w", agencyID, err)
	}
	if !samePublic(key.Public(), certs[0].PublicKey) {
		return Signer{}, fmt.Errorf("pki: agency %s: key and certificate do not match", agencyID)
	}
	if certs[0].CheckSignatureFrom(a.ca) != nil && len(certs) == 1 {
		return Signer{}, fmt.Errorf("pki: agency %s: certificate not issued by %s: %w", agencyID, a.ca.Subject.CommonName, ErrNoCertificate)
	}
	chain := certs[1:]
	if !slices.ContainsFunc(chain, a.ca.Equal) {
		chain = append(chain, a.ca)
	}
	return Signer{Key: key, Cert: certs[0], Chain: chain}, nil
}

// Certificates lists the agency certificates of the directory, by agency ID.
func (a *Authority) Certificates() ([]Issued, error) {
	return a.listCerts("agencies", func(name string) string { return name })
}

// listCerts lists the certificates of a subdirectory (agencies, officials),
// each named by agencyOf of its file's name without ".pem".
func (a *Authority) listCerts(sub string, agencyOf func(name string) string) ([]Issued, error) {
	paths, err := filepath.Glob(filepath.Join(a.dir, sub, "*.pem"))
	if err != nil {
		return nil, fmt.Errorf("pki: %w", err)
	}
	var out []Issued
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("pki: %w", err)
		}
		certs, err := parseCerts(b)
		if err != nil || len(certs) == 0 {
			return nil, fmt.Errorf("pki: %s: bad certificate file: %v", p, err)
		}
		out = append(out, issuedOf(agencyOf(strings.TrimSuffix(filepath.Base(p), ".pem")), certs[0]))
	}
	return out, nil
}

// Signer is what signs a PDF: a key (in memory or behind an HSM's
// crypto.Signer) and its certificate with the issuers up to the root.
type Signer struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate // issuers, nearest first, the root last
	// Name is the signature's /Name: the person who signs with the
	// agency's seal certificate ("Phạm Quốc Hùng, Chủ tịch"); empty: the
	// certificate's common name.
	Name string
}

func pemCert(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func parseCerts(b []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return out, nil
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

func parseKey(b []byte) (crypto.Signer, error) {
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, errors.New("no PEM private key")
	}
	var k any
	var err error
	switch blk.Type {
	case "PRIVATE KEY":
		k, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(blk.Bytes)
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
	default:
		return nil, fmt.Errorf("unexpected PEM block %q", blk.Type)
	}
	if err != nil {
		return nil, err
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("key type %T cannot sign", k)
	}
	return s, nil
}

func samePublic(a, b crypto.PublicKey) bool {
	x, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && x.Equal(b)
}

func writeKey(path string, key crypto.Signer) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	return writeFileAtomic(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
}

// writeFileAtomic writes through a temporary file in the same directory,
// synced and renamed, so that a crash never leaves half a key.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("pki: write %s: %w", path, err)
	}
	return nil
}
