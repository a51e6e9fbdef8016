package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/printform"
)

// TestPKICommands walks the pki subcommands on a demo store: init issues a
// certificate per demo agency, sign and verify a printed form, a byte-altered
// copy and a revoked certificate fail verify.
func TestPKICommands(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	clock := time.Date(2026, time.November, 23, 10, 0, 0, 0, ict)
	saved := pkiNow
	pkiNow = func() time.Time { return clock }
	t.Cleanup(func() { pkiNow = saved })

	data := t.TempDir()
	ctx := context.Background()
	a, db, err := openApp(ctx, storeFlags{data: data, province: "01"}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	info, err := demo.Seed(ctx, a, db)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	dir := filepath.Join(t.TempDir(), "pki")

	code, out, errOut := runCLI("pki", "init", "--dir", dir, "--data", data, "--province", "01", "--public-url", "https://dichvucong.hanoi.gov.vn")
	if code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	for _, want := range []string{"CA created", "000.00.00.H01", "000.00.01.H01", info.CommuneAgency, "Ủy ban nhân dân phường Ba Đình"} {
		if !strings.Contains(out, want) {
			t.Errorf("init output lacks %q:\n%.2000s", want, out)
		}
	}
	// Again: nothing new.
	if code, out, _ = runCLI("pki", "init", "--dir", dir, "--data", data); code != 0 || !strings.Contains(out, "CA kept") || !strings.Contains(out, "\n0 certificates issued, 267 kept") {
		t.Errorf("second init: %d %.500s", code, out)
	}

	pdf, err := printform.Receipt(printform.Doc{
		Agency:   printform.Agency{ID: info.CommuneAgency, Name: "Ủy ban nhân dân Phường Ba Đình", Parent: "Ủy ban nhân dân Thành phố Hà Nội", Place: "Hà Nội"},
		Dossier:  printform.Dossier{Code: info.CommuneAgency + "-261123-00001", ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", ApplicantName: "Nguyễn Văn An", ReceivedAt: clock, DueAt: clock.Add(24 * time.Hour)},
		IssuedAt: clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	in, signed := filepath.Join(work, "in.pdf"), filepath.Join(work, "signed.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut = runCLI("pki", "sign", "--dir", dir, "--agency", info.CommuneAgency, "--location", "Hà Nội", in, signed); code != 0 {
		t.Fatalf("sign: %d %s %s", code, out, errOut)
	}
	clock = clock.Add(time.Hour)
	if code, out, errOut = runCLI("pki", "verify", "--dir", dir, signed); code != 0 || !strings.Contains(out, "HỢP LỆ (valid)") {
		t.Fatalf("verify: %d %s %s", code, out, errOut)
	}
	serial := regexp.MustCompile(`số hiệu ([0-9A-F]+)`).FindStringSubmatch(out)

	// A byte-altered copy.
	b, _ := os.ReadFile(signed)
	b[len(pdf)/2] ^= 0x01
	altered := filepath.Join(work, "altered.pdf")
	if err := os.WriteFile(altered, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ = runCLI("pki", "verify", "--dir", dir, altered); code != 1 || !strings.Contains(out, "KHÔNG HỢP LỆ") {
		t.Errorf("altered copy: %d %s", code, out)
	}
	// Unsigned, and unknown agency.
	if code, _, _ = runCLI("pki", "verify", "--dir", dir, in); code != 1 {
		t.Errorf("unsigned: exit %d", code)
	}
	if code, _, _ = runCLI("pki", "sign", "--dir", dir, "--agency", "000.99.99.H01", in, filepath.Join(work, "x.pdf")); code == 0 {
		t.Error("unknown agency signed")
	}

	// Revocation.
	if serial == nil {
		t.Fatalf("no serial in %s", out)
	}
	if code, out, errOut = runCLI("pki", "revoke", "--dir", dir, "--reason", "keyCompromise", serial[1]); code != 0 {
		t.Fatalf("revoke: %d %s %s", code, out, errOut)
	}
	if code, out, _ = runCLI("pki", "verify", "--dir", dir, signed); code != 1 || !strings.Contains(out, "thu hồi") {
		t.Errorf("revoked: %d %s", code, out)
	}
	if code, out, _ = runCLI("pki", "list", "--dir", dir); code != 0 || !strings.Contains(out, serial[1]) || !strings.Contains(out, "REVOKED") {
		t.Errorf("list: %d %.300s", code, out)
	}
	if code, _, _ = runCLI("pki", "revoke", "--dir", dir, "ABC123"); code == 0 {
		t.Error("unknown serial revoked")
	}
	// An official's personal certificate is listed and revoked like an
	// agency's.
	ca, err := pki.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	own, _, err := ca.PersonalSigner(pki.Official{AccountID: 7, Name: "Phạm Quốc Hùng", Title: "Chủ tịch", AgencyID: info.CommuneAgency, AgencyName: "Ủy ban nhân dân phường Ba Đình"}, clock)
	if err != nil {
		t.Fatal(err)
	}
	ownSerial := pki.SerialString(own.Cert.SerialNumber)
	if code, out, _ = runCLI("pki", "list", "--dir", dir); code != 0 || !strings.Contains(out, ownSerial) || !strings.Contains(out, "Phạm Quốc Hùng (chứng thư cá nhân)") {
		t.Errorf("list with a personal certificate: %d %.300s", code, out)
	}
	if code, out, errOut = runCLI("pki", "revoke", "--dir", dir, "--reason", "affiliationChanged", ownSerial); code != 0 || !strings.Contains(out, "Phạm Quốc Hùng") {
		t.Errorf("revoke the personal certificate: %d %s %s", code, out, errOut)
	}
	if code, _, _ = runCLI("pki"); code != 2 {
		t.Errorf("pki without a command: exit %d", code)
	}
}
