package pki

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var hung = Official{AccountID: 7, Name: "Phạm Quốc Hùng", Title: "Chủ tịch", AgencyID: "000.00.50.H01", AgencyName: "Ủy ban nhân dân phường Ba Đình"}

// A personal certificate names the official, the position, the agency
// and the account, may sign documents (digital signature,
// non-repudiation), chains to the province CA, and a PDF signed with it
// verifies (here and with pdfsig) with the report naming a personal
// signature.
func TestPersonalCertificate(t *testing.T) {
	_, a := newPKI(t)
	s, issued, err := a.PersonalSigner(hung, t0)
	if err != nil || !issued {
		t.Fatalf("PersonalSigner = issued %v, %v", issued, err)
	}
	c := s.Cert
	if c.Subject.CommonName != hung.Name || CertTitle(c) != "Chủ tịch" || len(c.Subject.Organization) != 1 || c.Subject.Organization[0] != hung.AgencyName ||
		CertAccount(c) != 7 || !IsPersonal(c) {
		t.Errorf("subject = %v (title %q, account %d)", c.Subject, CertTitle(c), CertAccount(c))
	}
	if c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment || c.IsCA {
		t.Errorf("key usage %v, CA %v", c.KeyUsage, c.IsCA)
	}
	if want := t0.AddDate(personalYears, 0, 0); !c.NotAfter.Equal(want) {
		t.Errorf("not after %v, want %v", c.NotAfter, want)
	}
	if _, err := c.Verify(x509.VerifyOptions{Roots: a.Roots(), CurrentTime: t0, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		t.Errorf("does not chain to the CA: %v", err)
	}
	if ag, _ := a.Signer("000.00.50.H01"); IsPersonal(ag.Cert) || CertAccount(ag.Cert) != 0 {
		t.Error("an agency's seal certificate reads as personal")
	}
	fi, err := os.Stat(filepath.Join(a.dir, "officials", "7_000.00.50.H01.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v", fi, err)
	}

	signed, err := SignPDF(formPDF(t), s, "Kết quả", "Hà Nội", t0)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyPDF(signed, a.Roots(), mustCRL(t, a, t0), t0)
	if err != nil || !rep.Valid() || !rep.Personal || rep.SignerName != hung.Name || rep.SignerTitle != "Chủ tịch" || rep.SignerOrganization != hung.AgencyName {
		t.Errorf("VerifyPDF = %+v, %v", rep, err)
	}
	checkPdfsig(t, a, signed, true)

	// Listed, and revocable like an agency's.
	list, err := a.PersonalCertificates()
	if err != nil || len(list) != 1 || list[0].AgencyID != hung.AgencyID || list[0].Name != hung.Name {
		t.Errorf("PersonalCertificates = %+v, %v", list, err)
	}
	if _, err := a.Revoke(SerialString(c.SerialNumber), ReasonAffiliationChanged, t0.Add(time.Hour)); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	rep, _ = VerifyPDF(signed, a.Roots(), mustCRL(t, a, t0.Add(2*time.Hour)), t0.Add(2*time.Hour))
	if rep.Revocation.OK {
		t.Error("the revoked personal certificate passes the revocation check")
	}
}

// The certificate is reused while it states the official as asked and is
// in force; a new one replaces it near its end, when the position, name or
// agency changes, or once it is revoked.
func TestPersonalSignerReuse(t *testing.T) {
	_, a := newPKI(t)
	first, _, err := a.PersonalSigner(hung, t0)
	if err != nil {
		t.Fatal(err)
	}
	serial := SerialString(first.Cert.SerialNumber)
	vice := hung
	vice.Title = "Phó Chủ tịch"
	renamed := hung
	renamed.AgencyName = "Ủy ban nhân dân phường Ba Đình mới"
	for _, tc := range []struct {
		name      string
		o         Official
		at        time.Time
		wantIssue bool
	}{
		{"same official, a day later", hung, t0.Add(24 * time.Hour), false},
		{"a year later", hung, t0.AddDate(1, 0, 0), false},
		{"within renewBefore of its end", hung, first.Cert.NotAfter.Add(-renewBefore + time.Hour), true},
		{"another position", vice, t0.Add(time.Hour), true},
		{"the agency renamed", renamed, t0.Add(time.Hour), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, b := newPKI(t)
			if _, _, err := b.PersonalSigner(hung, t0); err != nil {
				t.Fatal(err)
			}
			before, _, _ := b.PersonalSigner(hung, t0)
			s, issued, err := b.PersonalSigner(tc.o, tc.at)
			if err != nil || issued != tc.wantIssue || (SerialString(s.Cert.SerialNumber) == SerialString(before.Cert.SerialNumber)) == tc.wantIssue {
				t.Errorf("issued %v, same serial %v, %v; want issued %v", issued, s.Cert.SerialNumber.Cmp(before.Cert.SerialNumber) == 0, err, tc.wantIssue)
			}
			if err == nil && (CertTitle(s.Cert) != tc.o.Title || s.Cert.Subject.Organization[0] != tc.o.AgencyName) {
				t.Errorf("the certificate states %v", s.Cert.Subject)
			}
		})
	}

	// Revoked: the next signature gets a new certificate.
	if _, err := a.Revoke(serial, ReasonSuperseded, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	s, issued, err := a.PersonalSigner(hung, t0.Add(2*time.Hour))
	if err != nil || !issued || SerialString(s.Cert.SerialNumber) == serial {
		t.Errorf("after revocation: issued %v, serial %s, %v", issued, SerialString(s.Cert.SerialNumber), err)
	}

	// Concurrent first uses issue once.
	_, c := newPKI(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	serials := map[string]bool{}
	n := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, issued, err := c.PersonalSigner(hung, t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			serials[SerialString(s.Cert.SerialNumber)] = true
			if issued {
				n++
			}
		}()
	}
	wg.Wait()
	if len(serials) != 1 || n != 1 {
		t.Errorf("concurrent first uses: %d serials, issued %d times", len(serials), n)
	}
}

func TestPersonalSignerErrors(t *testing.T) {
	_, a := newPKI(t)
	for _, tc := range []struct {
		name string
		o    func(*Official)
		want error
	}{
		{"no account", func(o *Official) { o.AccountID = 0 }, ErrNoOfficial},
		{"no name", func(o *Official) { o.Name = " " }, ErrNoOfficial},
		{"no position", func(o *Official) { o.Title = "" }, ErrNoOfficial},
		{"no agency name", func(o *Official) { o.AgencyName = "" }, ErrNoOfficial},
		{"bad agency ID", func(o *Official) { o.AgencyID = "../x" }, ErrNoCertificate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := hung
			tc.o(&o)
			if _, issued, err := a.PersonalSigner(o, t0); !errors.Is(err, tc.want) || issued {
				t.Errorf("PersonalSigner = issued %v, %v; want %v", issued, err, tc.want)
			}
		})
	}

	// Without the CA's key no personal certificate is issued, but one
	// issued before is used.
	dir, b := newPKI(t)
	if _, _, err := b.PersonalSigner(hung, t0); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "ca.key")); err != nil {
		t.Fatal(err)
	}
	c, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, issued, err := c.PersonalSigner(hung, t0.Add(time.Hour)); err != nil || issued {
		t.Errorf("existing certificate without the CA key: issued %v, %v", issued, err)
	}
	other := hung
	other.AccountID = 8
	if _, _, err := c.PersonalSigner(other, t0); !errors.Is(err, ErrNoCAKey) {
		t.Errorf("new official without the CA key: %v", err)
	}
}

// TestPersonalSignerTwoNodes: two nodes (two Authorities on one shared
// directory) signing for one official at once, first use and renewal,
// never sign with one's key beside the other's certificate: every call
// gets a matching pair and all end on one certificate.
func TestPersonalSignerTwoNodes(t *testing.T) {
	dir, a := newPKI(t)
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	vice := hung
	vice.Title = "Phó Chủ tịch" // a new position: both renew at once
	for _, o := range []Official{hung, vice} {
		var wg sync.WaitGroup
		var mu sync.Mutex
		serials := map[string]bool{}
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				node := a
				if i%2 == 1 {
					node = b
				}
				s, _, err := node.PersonalSigner(o, t0)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("%s: %v", o.Title, err)
					return
				}
				if !samePublic(s.Key.Public(), s.Cert.PublicKey) {
					t.Errorf("%s: a key beside another certificate", o.Title)
				}
				serials[SerialString(s.Cert.SerialNumber)] = true
			}()
		}
		wg.Wait()
		if len(serials) != 1 {
			t.Errorf("%s: %d certificates in use, want 1", o.Title, len(serials))
		}
	}
}
