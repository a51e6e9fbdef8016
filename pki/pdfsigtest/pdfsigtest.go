// Package pdfsigtest checks signed PDFs with Debian's pdfsig (poppler-utils)
// in tests: an independent verifier beside pki.VerifyPDF.
package pdfsigtest

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Check runs pdfsig with an NSS database trusting only ca and fails the
// test unless it reports the signature valid and its certificate trusted;
// it returns pdfsig's report. Skipped when pdfsig or certutil is missing,
// unless CI is set.
func Check(t testing.TB, ca *x509.Certificate, pdf []byte) string {
	t.Helper()
	out, ran := Report(t, ca, pdf)
	if ran && (!strings.Contains(out, "Signature Validation: Signature is Valid.") || !strings.Contains(out, "Certificate Validation: Certificate is Trusted.")) {
		t.Errorf("pdfsig does not report a valid, trusted signature:\n%s", out)
	}
	return out
}

// Report runs pdfsig with an NSS database trusting only ca and returns its
// report; ran is false when pdfsig or certutil is missing (a failure when
// CI is set).
func Report(t testing.TB, ca *x509.Certificate, pdf []byte) (report string, ran bool) {
	t.Helper()
	pdfsig, err1 := exec.LookPath("pdfsig")
	certutil, err2 := exec.LookPath("certutil")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("pdfsig and certutil (poppler-utils, libnss3-tools) are required on CI: %v %v", err1, err2)
		}
		t.Log("pdfsig or certutil not installed: skipping the pdfsig check")
		return "", false
	}
	nss := t.TempDir()
	caFile := filepath.Join(nss, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-N", "-d", "sql:" + nss, "--empty-password"}, {"-A", "-d", "sql:" + nss, "-n", "ca", "-t", "CT,C,C", "-i", caFile}} {
		if out, err := exec.Command(certutil, args...).CombinedOutput(); err != nil {
			t.Fatalf("certutil %v: %v\n%s", args, err, out)
		}
	}
	file := filepath.Join(t.TempDir(), "signed.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(pdfsig, "-nssdir", "sql:"+nss, file).CombinedOutput()
	return string(out), true
}
