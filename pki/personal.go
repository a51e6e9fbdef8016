package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Personal signing certificates: the province CA issues an official a
// certificate in the official's own name, for the results the official
// signs where the agency is configured to sign with the signer's personal
// signature rather than with the agency's seal certificate.
//
// Here the province's own CA issues it and this server holds its key: a
// stand-in for the leader's token (USB) or a licensed CA's remote signing
// service in production (see docs/result-documents.md). The certificate
// names the official (CN), the position (title, 2.5.4.12), the agency (O)
// and the account (UID, 0.9.2342.19200300.100.1.1, "motcua:<account ID>"),
// so that a verifier reads who signed and in which capacity.
//
// They are kept under officials/ACCOUNT_AGENCY.pem and .key (an official
// with positions at two agencies has a certificate for each), and reused
// until renewBefore their expiry, or until the name, position or agency
// they state is no longer the official's, or they are revoked.

// Official is an official who gets a personal signing certificate.
type Official struct {
	AccountID  int64  // the account the certificate is linked to (UID)
	Name       string // full name: the certificate's CN
	Title      string // position at the agency ("Chủ tịch"): the title attribute
	AgencyID   string // the agency of the position (part of the file name)
	AgencyName string // its name: the certificate's O
}

// Validity of a personal certificate, and how long before its end it is
// replaced by a new one rather than used again.
const (
	personalYears = 2
	renewBefore   = 30 * 24 * time.Hour
)

// OIDs of the subject attributes a personal certificate adds.
var (
	oidTitle = asn1.ObjectIdentifier{2, 5, 4, 12}
	oidUID   = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}
)

// uidPrefix marks the UID of the certificates issued here to an account.
const uidPrefix = "motcua:"

// ErrNoOfficial: the official to sign is not named (no account, name,
// position or agency).
var ErrNoOfficial = errors.New("chưa xác định người ký (no signing official)")

func (o Official) check() error {
	if o.AccountID <= 0 || strings.TrimSpace(o.Name) == "" || strings.TrimSpace(o.Title) == "" || strings.TrimSpace(o.AgencyName) == "" {
		return fmt.Errorf("pki: personal certificate: %w", ErrNoOfficial)
	}
	return checkAgencyID(o.AgencyID)
}

func (o Official) base(dir string) string {
	return filepath.Join(dir, "officials", strconv.FormatInt(o.AccountID, 10)+"_"+o.AgencyID)
}

// subject is the certificate's subject for the official.
func (o Official) subject() pkix.Name {
	return pkix.Name{
		CommonName:   strings.TrimSpace(o.Name),
		Organization: []string{strings.TrimSpace(o.AgencyName)},
		Country:      []string{"VN"},
		ExtraNames: []pkix.AttributeTypeAndValue{
			{Type: oidTitle, Value: strings.TrimSpace(o.Title)},
			{Type: oidUID, Value: uidPrefix + strconv.FormatInt(o.AccountID, 10)},
		},
	}
}

// CertTitle returns the title (position) a certificate names, "" if none.
func CertTitle(c *x509.Certificate) string { return nameAttr(c.Subject, oidTitle) }

// CertAccount returns the account ID a personal certificate issued here is
// linked to (its UID), 0 if none.
func CertAccount(c *x509.Certificate) int64 {
	v, ok := strings.CutPrefix(nameAttr(c.Subject, oidUID), uidPrefix)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// IsPersonal reports whether a certificate is a person's: it names the
// signer's title. The agencies' seal certificates name none.
func IsPersonal(c *x509.Certificate) bool { return CertTitle(c) != "" }

func nameAttr(n pkix.Name, oid asn1.ObjectIdentifier) string {
	for _, a := range n.Names {
		if a.Type.Equal(oid) {
			if s, ok := a.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// PersonalSigner returns the official's personal signer, issuing a
// certificate first when the official has none that states the official
// as o does, in force beyond renewBefore and not revoked; issued tells
// whether it did. Like SignerOrIssue, an issued certificate is on record
// here before anything is signed with it, and concurrent first uses issue
// once.
func (a *Authority) PersonalSigner(o Official, now time.Time) (s Signer, issued bool, err error) {
	if err := o.check(); err != nil {
		return Signer{}, false, err
	}
	if s, err := a.personal(o, now); err == nil {
		return s, false, nil
	} else if !errors.Is(err, ErrNoCertificate) {
		return Signer{}, false, err
	}
	if a.caKey == nil {
		return Signer{}, false, fmt.Errorf("pki: personal certificate of %s: %w", o.Name, ErrNoCAKey)
	}
	release, err := a.lockIssue()
	if err != nil {
		return Signer{}, false, err
	}
	defer release()
	if s, err := a.personal(o, now); !errors.Is(err, ErrNoCertificate) {
		return s, false, err // issued meanwhile, or a failure
	}
	if err := a.issuePersonal(o, now); err != nil {
		return Signer{}, false, err
	}
	s, err = a.personal(o, now)
	return s, err == nil, err
}

// personal loads the official's certificate if it may still be used:
// ErrNoCertificate when there is none or it must be replaced.
func (a *Authority) personal(o Official, now time.Time) (Signer, error) {
	base := o.base(a.dir)
	cb, err := os.ReadFile(base + ".pem")
	if errors.Is(err, os.ErrNotExist) {
		return Signer{}, fmt.Errorf("pki: official %d: %w", o.AccountID, ErrNoCertificate)
	}
	if err != nil {
		return Signer{}, fmt.Errorf("pki: official %d: %w", o.AccountID, err)
	}
	kb, err := os.ReadFile(base + ".key")
	if errors.Is(err, os.ErrNotExist) {
		return Signer{}, fmt.Errorf("pki: official %d has a certificate but no key: %w", o.AccountID, ErrNoCertificate)
	}
	if err != nil {
		return Signer{}, fmt.Errorf("pki: official %d: %w", o.AccountID, err)
	}
	certs, err := parseCerts(cb)
	if err != nil || len(certs) == 0 {
		return Signer{}, fmt.Errorf("pki: official %d: bad certificate file: %v", o.AccountID, err)
	}
	key, err := parseKey(kb)
	if err != nil {
		return Signer{}, fmt.Errorf("pki: official %d: %w", o.AccountID, err)
	}
	c := certs[0]
	want := o.subject()
	switch {
	case !samePublic(key.Public(), c.PublicKey) || c.CheckSignatureFrom(a.ca) != nil:
		return Signer{}, fmt.Errorf("pki: official %d: key, certificate or issuer do not match: %w", o.AccountID, ErrNoCertificate)
	case c.Subject.CommonName != want.CommonName || CertTitle(c) != strings.TrimSpace(o.Title) ||
		len(c.Subject.Organization) == 0 || c.Subject.Organization[0] != want.Organization[0] || CertAccount(c) != o.AccountID:
		return Signer{}, fmt.Errorf("pki: official %d: the certificate states another name, position or agency: %w", o.AccountID, ErrNoCertificate)
	case now.Before(c.NotBefore) || now.Add(renewBefore).After(c.NotAfter):
		return Signer{}, fmt.Errorf("pki: official %d: the certificate is not in force for another %s: %w", o.AccountID, renewBefore, ErrNoCertificate)
	}
	revoked, err := a.isRevoked(SerialString(c.SerialNumber))
	if err != nil {
		return Signer{}, err
	}
	if revoked {
		return Signer{}, fmt.Errorf("pki: official %d: the certificate is revoked: %w", o.AccountID, ErrNoCertificate)
	}
	return Signer{Key: key, Cert: c, Chain: []*x509.Certificate{a.ca}}, nil
}

func (a *Authority) isRevoked(serial string) (bool, error) {
	r, err := a.readRevocations()
	if err != nil {
		return false, err
	}
	for _, e := range r.Entries {
		if e.Serial == serial {
			return true, nil
		}
	}
	return false, nil
}

// issuePersonal makes the official's key and certificate (replacing any);
// the caller holds the issuing locks (lockIssue).
func (a *Authority) issuePersonal(o Official, now time.Time) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("pki: key for official %d: %w", o.AccountID, err)
	}
	serial, err := newSerial()
	if err != nil {
		return err
	}
	notAfter := now.AddDate(personalYears, 0, 0)
	if notAfter.After(a.ca.NotAfter) {
		notAfter = a.ca.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      o.subject(),
		NotBefore:    now.Add(-backdate),
		NotAfter:     notAfter,
		// Digital signature and non-repudiation (content commitment): the
		// official commits to the document signed.
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		SubjectKeyId: keyID(&key.PublicKey),
	}
	if a.cfg.PublicURL != "" {
		tmpl.CRLDistributionPoints = []string{a.cfg.PublicURL + CRLPath}
		tmpl.IssuingCertificateURL = []string{a.cfg.PublicURL + CAPath}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.ca, &key.PublicKey, a.caKey)
	if err != nil {
		return fmt.Errorf("pki: certificate for official %d: %w", o.AccountID, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("pki: certificate for official %d: %w", o.AccountID, err)
	}
	if err := os.MkdirAll(filepath.Join(a.dir, "officials"), 0o700); err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	base := o.base(a.dir)
	if err := writeKey(base+".key", key); err != nil {
		return err
	}
	return writeFileAtomic(base+".pem", append(pemCert(cert), pemCert(a.ca)...), 0o644)
}

// PersonalCertificates lists the officials' personal certificates of the
// directory; AgencyID is the agency of the position, Name the official.
func (a *Authority) PersonalCertificates() ([]Issued, error) {
	return a.listCerts("officials", func(name string) string { // ACCOUNT_AGENCY
		_, agency, _ := strings.Cut(name, "_")
		return agency
	})
}
