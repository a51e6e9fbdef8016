package pki

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestSignerOrIssue: an agency without a certificate gets one on first
// use, once however many sign at the same moment; the certificate is then
// listed and reused; without the CA's key nothing is issued.
func TestSignerOrIssue(t *testing.T) {
	dir := t.TempDir()
	if _, err := InitProvince(dir, province, nil, t0, Options{}); err != nil {
		t.Fatal(err)
	}
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ag := agencies[2]
	const n = 8
	serials := make([]string, n)
	issued := make([]bool, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s Signer
			s, issued[i], errs[i] = a.SignerOrIssue(ag, t0)
			if errs[i] == nil {
				serials[i] = SerialString(s.Cert.SerialNumber)
			}
		}()
	}
	wg.Wait()
	nIssued := 0
	for i := range n {
		if errs[i] != nil || serials[i] != serials[0] {
			t.Fatalf("signer %d: serial %s (first %s), %v", i, serials[i], serials[0], errs[i])
		}
		if issued[i] {
			nIssued++
		}
	}
	if nIssued != 1 {
		t.Errorf("issued %d times, want once", nIssued)
	}
	list, err := a.Certificates()
	if err != nil || len(list) != 1 || list[0].AgencyID != ag.ID || list[0].Serial != serials[0] {
		t.Errorf("Certificates = %+v, %v", list, err)
	}
	if s, again, err := a.SignerOrIssue(ag, t0); err != nil || again || SerialString(s.Cert.SerialNumber) != serials[0] {
		t.Errorf("second use: issued %v, %v", again, err)
	}

	// Where the CA's key is held elsewhere, an agency without a
	// certificate cannot sign.
	dir2 := t.TempDir()
	if _, err := InitProvince(dir2, province, nil, t0, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir2, "ca.key")); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir2)
	if err != nil {
		t.Fatal(err)
	}
	if _, did, err := b.SignerOrIssue(ag, t0); !errors.Is(err, ErrNoCertificate) || did {
		t.Errorf("without the CA key: issued %v, %v", did, err)
	}
}
