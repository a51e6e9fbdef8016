package pki

import (
	"bytes"
	"compress/zlib"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/motcua/motcua/pki/pdfsigtest"
	"github.com/motcua/motcua/printform"
)

var ict = time.FixedZone("ICT", 7*3600)

// t0 is the deterministic clock of the tests: the PKI is made then.
var t0 = time.Date(2026, time.November, 23, 9, 0, 0, 0, ict)

var (
	province = Province{Code: "01", Name: "Thành phố Hà Nội"}
	agencies = []Agency{
		{ID: "000.00.00.H01", Name: "Ủy ban nhân dân thành phố Hà Nội"},
		{ID: "000.00.01.H01", Name: "Trung tâm Phục vụ hành chính công thành phố Hà Nội"},
		{ID: "000.00.50.H01", Name: "Ủy ban nhân dân phường Ba Đình"},
	}
)

// newPKI makes a PKI in a temporary directory.
func newPKI(t testing.TB) (string, *Authority) {
	t.Helper()
	dir := t.TempDir()
	if _, err := InitProvince(dir, province, agencies, t0, Options{PublicURL: "https://dichvucong.hanoi.gov.vn/"}); err != nil {
		t.Fatal(err)
	}
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, a
}

// formPDF renders form 01 of a fixture dossier with printform (fpdf).
func formPDF(t testing.TB) []byte {
	t.Helper()
	b, err := printform.Receipt(printform.Doc{
		Agency:   printform.Agency{ID: "000.00.50.H01", Name: "Ủy ban nhân dân Phường Ba Đình", Parent: "Ủy ban nhân dân Thành phố Hà Nội", Unit: "Bộ phận Một cửa", Place: "Hà Nội"},
		Dossier:  printform.Dossier{Code: "000.00.50.H01-261123-00001", ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", ApplicantName: "Nguyễn Văn An", Channel: "Trực tiếp", ReceivedAt: t0, DueAt: t0.Add(30 * time.Hour)},
		IssuedAt: t0,
		Signer:   printform.Person{Name: "Lê Thị Hoa", Title: "Công chức tiếp nhận"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// plainPDF is a two-page fpdf document without compression.
func plainPDF(t testing.TB) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(false)
	p.SetFont("Helvetica", "", 14)
	p.AddPage()
	p.Cell(40, 10, "Ket qua giai quyet thu tuc hanh chinh")
	p.AddPage()
	p.Cell(40, 10, "Trang 2")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustSign(t testing.TB, a *Authority, pdf []byte, id string, at time.Time) []byte {
	t.Helper()
	s, err := a.Signer(id)
	if err != nil {
		t.Fatal(err)
	}
	out, err := SignPDF(pdf, s, "Kết quả giải quyết thủ tục hành chính", "Hà Nội", at)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, pdf) {
		t.Fatal("the signed PDF does not keep the original bytes")
	}
	return out
}

func mustCRL(t testing.TB, a *Authority, at time.Time) *x509.RevocationList {
	t.Helper()
	crl, err := a.CRL(at)
	if err != nil {
		t.Fatal(err)
	}
	return crl
}

func TestInitProvince(t *testing.T) {
	dir, a := newPKI(t)
	ca := a.CA()
	if !ca.IsCA || ca.Subject.Country[0] != "VN" || ca.Subject.Organization[0] != province.Name {
		t.Errorf("CA subject %v", ca.Subject)
	}
	s, err := a.Signer("000.00.50.H01")
	if err != nil {
		t.Fatal(err)
	}
	c := s.Cert
	if c.Subject.CommonName != "Ủy ban nhân dân phường Ba Đình" || c.Subject.Organization[0] != "Thành phố Hà Nội" || c.Subject.Country[0] != "VN" || c.Subject.SerialNumber != "000.00.50.H01" {
		t.Errorf("agency subject %+v", c.Subject)
	}
	if c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
		t.Errorf("key usage %v", c.KeyUsage)
	}
	if got := c.NotAfter.Sub(t0); got < 3*365*24*time.Hour || got > 3*366*24*time.Hour {
		t.Errorf("validity %v", got)
	}
	if len(c.CRLDistributionPoints) != 1 || c.CRLDistributionPoints[0] != "https://dichvucong.hanoi.gov.vn/pki/ca.crl" {
		t.Errorf("CRL DP %v", c.CRLDistributionPoints)
	}
	if err := c.CheckSignatureFrom(ca); err != nil {
		t.Error(err)
	}
	for _, f := range []string{"ca.key", "agencies/000.00.50.H01.key"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", f, st.Mode().Perm())
		}
	}

	// Idempotent: the same keys again, plus the new agency.
	keyBefore, _ := os.ReadFile(filepath.Join(dir, "ca.key"))
	more := append(agencies, Agency{ID: "000.01.50.H01", Name: "Ủy ban nhân dân phường Hoàn Kiếm"})
	res, err := InitProvince(dir, province, more, t0.Add(time.Hour), Options{})
	if err != nil {
		t.Fatal(err)
	}
	keyAfter, _ := os.ReadFile(filepath.Join(dir, "ca.key"))
	if res.CACreated || !bytes.Equal(keyBefore, keyAfter) || len(res.Kept) != 3 || len(res.Issued) != 1 {
		t.Errorf("second init: created %v, kept %d, issued %d", res.CACreated, len(res.Kept), len(res.Issued))
	}
	// Force replaces everything.
	res, err = InitProvince(dir, province, agencies, t0, Options{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.CACreated || len(res.Issued) != 3 || res.CA.Equal(ca) {
		t.Errorf("forced init: created %v, issued %d", res.CACreated, len(res.Issued))
	}

	if _, err := a.Signer("../ca"); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("path traversal: %v", err)
	}
	if _, err := a.Signer("000.00.99.H01"); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("unknown agency: %v", err)
	}
}

func TestSignVerify(t *testing.T) {
	_, a := newPKI(t)
	signAt := t0.Add(2 * time.Hour)
	verifyAt := t0.Add(3 * time.Hour)
	cases := []struct {
		name string
		pdf  []byte
	}{
		{"printform form 01", formPDF(t)},
		{"plain fpdf", plainPDF(t)},
		{"xref stream", xrefStreamPDF(t)},
	}
	// A PDF written by another tool: poppler's pdftocairo (cairo's writer).
	if cairo, err := exec.LookPath("pdftocairo"); err == nil {
		dir := t.TempDir()
		in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
		if err := os.WriteFile(in, formPDF(t), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(cairo, "-pdf", in, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftocairo: %v %s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name string
			pdf  []byte
		}{"pdftocairo", b})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			signed := mustSign(t, a, tc.pdf, "000.00.50.H01", signAt)
			rep, err := VerifyPDF(signed, a.Roots(), mustCRL(t, a, verifyAt), verifyAt)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Valid() {
				t.Fatalf("not valid: %+v", rep)
			}
			if rep.SignerName != "Ủy ban nhân dân phường Ba Đình" || !rep.SigningTime.Equal(signAt) || rep.Reason != "Kết quả giải quyết thủ tục hành chính" || rep.Location != "Hà Nội" {
				t.Errorf("report %+v", rep)
			}
			// Signing again (a second agency countersigns) keeps both valid
			// for the last revision.
			twice := mustSign(t, a, signed, "000.00.01.H01", signAt)
			rep, err = VerifyPDF(twice, a.Roots(), mustCRL(t, a, verifyAt), verifyAt)
			if err != nil || !rep.Valid() || rep.SignerName != agencies[1].Name {
				t.Errorf("countersigned: %v %+v", err, rep)
			}
			// The first revision alone still verifies, the whole file does not
			// verify with the first signature.
			rep, err = VerifyPDF(append(signed[:len(signed):len(signed)], "\n% appended\n"...), a.Roots(), mustCRL(t, a, verifyAt), verifyAt)
			if err != nil || rep.Coverage.OK || rep.Valid() {
				t.Errorf("appended bytes: %v %+v", err, rep.Coverage)
			}
			checkPdfsig(t, a, signed, true)
		})
	}
}

func TestCMSAttributes(t *testing.T) {
	_, a := newPKI(t)
	signed := mustSign(t, a, plainPDF(t), "000.00.50.H01", t0)
	f, err := openPDF(signed, false)
	if err != nil {
		t.Fatal(err)
	}
	sigs := findSignatures(f)
	if len(sigs) != 1 || sigs[0].dict.get("SubFilter") != pdfName("ETSI.CAdES.detached") || sigs[0].dict.get("Filter") != pdfName("Adobe.PPKLite") {
		t.Fatalf("signature dictionary %+v", sigs)
	}
	p7, err := parseCMS(sigs[0].contents)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, at := range p7.Signers[0].AuthenticatedAttributes {
		types = append(types, at.Type.String())
	}
	want := "1.2.840.113549.1.9.16.2.47 1.2.840.113549.1.9.3 1.2.840.113549.1.9.4"
	if got := strings.Join(slices.Sorted(slices.Values(types)), " "); got != want {
		t.Errorf("signed attributes %s, want %s (no signing-time)", got, want)
	}
	if len(p7.Certificates) != 2 {
		t.Errorf("%d certificates in the CMS, want the agency's and the CA's", len(p7.Certificates))
	}
	catalog, _ := f.dict(f.trailer.get("Root"))
	form, _ := f.dict(catalog.get("AcroForm"))
	if form.get("SigFlags") != pdfNum("3") {
		t.Errorf("SigFlags %v", form.get("SigFlags"))
	}
}

func TestTampering(t *testing.T) {
	_, a := newPKI(t)
	orig := formPDF(t)
	signed := mustSign(t, a, orig, "000.00.50.H01", t0)
	crl := mustCRL(t, a, t0)
	f, _ := openPDF(signed, false)
	br := findSignatures(f)[0].byteRange
	// Every 97th byte, and a few chosen ones: the header, inside the original
	// content, the /M date, the last byte.
	positions := []int{0, 5, len(orig) / 2, len(orig) + 10, int(br[1]) - 3, int(br[2]) + 40, len(signed) - 1}
	for i := 0; i < len(signed); i += 97 {
		positions = append(positions, i)
	}
	for _, p := range positions {
		bad := bytes.Clone(signed)
		bad[p] ^= 0x01
		if bad[p] == '\n' || bad[p] == '\r' {
			bad[p] ^= 0x03
		}
		rep, err := VerifyPDF(bad, a.Roots(), crl, t0)
		// Inside the /Contents hole only the signature itself is protected
		// (a changed copy of the CA certificate there is harmless): what
		// must fail is any change to the signed ranges.
		inSigned := int64(p) < br[1] || int64(p) >= br[2]
		if !inSigned {
			continue
		}
		if err == nil && rep.Valid() {
			t.Fatalf("byte %d altered: still valid", p)
		}
		if err == nil && rep.Coverage.OK && rep.Integrity.OK {
			t.Fatalf("byte %d (signed range) altered: integrity still ok: %+v", p, rep)
		}
	}
	altered := bytes.Clone(signed)
	i := bytes.Index(altered, []byte("Nguy")) // text is hex-encoded by fpdf? fall back to a content byte
	if i < 0 {
		i = len(orig) / 3
	}
	altered[i] ^= 0x02
	checkPdfsig(t, a, altered, false)
}

func TestRevokedAndExpired(t *testing.T) {
	_, a := newPKI(t)
	pdf := plainPDF(t)
	signed := mustSign(t, a, pdf, "000.00.50.H01", t0.Add(time.Hour))

	// Revoked.
	s, _ := a.Signer("000.00.50.H01")
	if _, err := a.Revoke(SerialString(s.Cert.SerialNumber), ReasonKeyCompromise, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(3 * time.Hour)
	rep, err := VerifyPDF(signed, a.Roots(), mustCRL(t, a, at), at)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Revocation.OK || rep.Valid() || !rep.Integrity.OK || !rep.Signature.OK || !rep.Chain.OK {
		t.Errorf("revoked: %+v", rep)
	}
	if _, err := a.Revoke("ABCDEF", 0, at); !errors.Is(err, ErrUnknownSerial) {
		t.Errorf("unknown serial: %v", err)
	}
	// Another agency is unaffected.
	other := mustSign(t, a, pdf, "000.00.01.H01", t0.Add(time.Hour))
	if rep, _ := VerifyPDF(other, a.Roots(), mustCRL(t, a, at), at); !rep.Valid() {
		t.Errorf("other agency: %+v", rep)
	}

	// Expired: signed four years after issue.
	late := t0.AddDate(4, 0, 0)
	expired := mustSign(t, a, pdf, "000.00.01.H01", late)
	rep, err = VerifyPDF(expired, a.Roots(), mustCRL(t, a, late), late)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Validity.OK || rep.Valid() || !rep.Chain.OK || !rep.Integrity.OK {
		t.Errorf("expired: %+v", rep)
	}

	// Signing time in the future, untrusted root, no CRL, a stale CRL.
	rep, _ = VerifyPDF(other, a.Roots(), mustCRL(t, a, at), t0)
	if rep.Validity.OK {
		t.Error("future signing time accepted")
	}
	_, b := newPKI(t)
	if rep, _ = VerifyPDF(other, b.Roots(), mustCRL(t, b, at), at); rep.Chain.OK || rep.Revocation.OK {
		t.Errorf("foreign root: %+v", rep)
	}
	if rep, _ = VerifyPDF(other, a.Roots(), nil, at); rep.Revocation.OK {
		t.Error("no CRL accepted")
	}
	crl := mustCRL(t, a, late)
	if rep, _ = VerifyPDF(other, a.Roots(), crl, late.AddDate(0, 2, 0)); rep.Revocation.OK {
		t.Error("stale CRL accepted")
	}
}

func TestVerifyErrors(t *testing.T) {
	_, a := newPKI(t)
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrNotPDF},
		{"text", []byte("hello"), ErrNotPDF},
		{"unsigned", plainPDF(t), ErrNoSignature},
	} {
		if _, err := VerifyPDF(tc.in, a.Roots(), nil, t0); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	s, _ := a.Signer("000.00.50.H01")
	if _, err := SignPDF([]byte("%PDF-1.4\nnot really"), s, "", "", t0); !errors.Is(err, ErrMalformed) {
		t.Errorf("sign garbage: %v", err)
	}
}

func TestPDFDate(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 11, 23, 9, 5, 7, 0, ict), "D:20261123090507+07'00'"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "D:20260102030405Z"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", -(3*3600+30*60))), "D:20260102030405-03'30'"},
	} {
		got := pdfDate(tc.in)
		if got != tc.want {
			t.Errorf("pdfDate(%v) = %s, want %s", tc.in, got, tc.want)
		}
		back, ok := parsePDFDate(got)
		if !ok || !back.Equal(tc.in) {
			t.Errorf("parsePDFDate(%s) = %v %v", got, back, ok)
		}
	}
}

// xrefStreamPDF is a minimal PDF whose cross-reference is a stream
// (PDF 1.5), with the catalog and page inside a compressed object stream,
// as modern tools write them.
func xrefStreamPDF(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := map[int]int{}
	content := "BT /F1 18 Tf 72 720 Td (Xref stream) Tj ET"
	offs[3] = b.Len()
	b.WriteString("3 0 obj\n<</Length " + itoa(len(content)) + ">>\nstream\n" + content + "\nendstream\nendobj\n")
	// Object stream holding 1 (catalog), 2 (pages), 4 (page), 5 (font).
	objs := []struct {
		num  int
		body string
	}{
		{1, "<</Type/Catalog/Pages 2 0 R>>"},
		{2, "<</Type/Pages/Kids[4 0 R]/Count 1>>"},
		{4, "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 3 0 R/Resources<</Font<</F1 5 0 R>>>>>>"},
		{5, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"},
	}
	var header, body strings.Builder
	for _, o := range objs {
		header.WriteString(itoa(o.num) + " " + itoa(body.Len()) + " ")
		body.WriteString(o.body + "\n")
	}
	stm := header.String() + body.String()
	z := deflate(t, []byte(stm))
	offs[6] = b.Len()
	b.WriteString("6 0 obj\n<</Type/ObjStm/N 4/First " + itoa(header.Len()) + "/Filter/FlateDecode/Length " + itoa(len(z)) + ">>\nstream\n")
	b.Write(z)
	b.WriteString("\nendstream\nendobj\n")
	// The xref stream, object 7, with PNG Up predictor rows of 1+2+1 bytes
	// would be typical; plain rows keep the fixture readable: W [1 2 1].
	xrefAt := b.Len()
	var rows []byte
	row := func(typ, f2, f3 int) { rows = append(rows, byte(typ), byte(f2>>8), byte(f2), byte(f3)) }
	row(0, 0, 255)
	row(2, 6, 0)
	row(2, 6, 1)
	row(1, offs[3], 0)
	row(2, 6, 2)
	row(2, 6, 3)
	row(1, offs[6], 0)
	row(1, xrefAt, 0)
	// PNG "Up" predictor, as most writers use.
	var pred []byte
	prev := make([]byte, 4)
	for i := 0; i < len(rows); i += 4 {
		pred = append(pred, 2)
		for j := 0; j < 4; j++ {
			pred = append(pred, rows[i+j]-prev[j])
		}
		prev = rows[i : i+4]
	}
	zx := deflate(t, pred)
	b.WriteString("7 0 obj\n<</Type/XRef/Size 8/W[1 2 1]/Root 1 0 R/Filter/FlateDecode/DecodeParms<</Columns 4/Predictor 12>>/Length " + itoa(len(zx)) + ">>\nstream\n")
	b.Write(zx)
	b.WriteString("\nendstream\nendobj\nstartxref\n" + itoa(xrefAt) + "\n%%EOF\n")
	return b.Bytes()
}

// --- pdfsig (Debian poppler-utils) ---

// checkPdfsig runs Debian's pdfsig with an NSS database trusting only the
// test's CA (pdfsigtest.Report). Skipped when pdfsig or certutil is
// missing, unless CI is set.
func checkPdfsig(t *testing.T, a *Authority, pdf []byte, wantValid bool) {
	t.Helper()
	text, ran := pdfsigtest.Report(t, a.CA(), pdf)
	if !ran {
		return
	}
	t.Logf("pdfsig:\n%s", text)
	valid := strings.Contains(text, "Signature Validation: Signature is Valid.")
	trusted := strings.Contains(text, "Certificate Validation: Certificate is Trusted.")
	if wantValid && (!valid || !trusted) {
		t.Errorf("pdfsig does not report a valid, trusted signature:\n%s", text)
	}
	if !wantValid && valid {
		t.Errorf("pdfsig reports an altered file valid:\n%s", text)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func deflate(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// The report's messages, shown on the public verification page, give times
// in Vietnam time (+07:00) whatever the zone of the signing time, of the
// verification clock or of the machine.
func TestMessagesInVietnamTime(t *testing.T) {
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC
	_, a := newPKI(t)
	pdf := plainPDF(t)
	s, _ := a.Signer("000.00.50.H01")
	west := time.FixedZone("", -(3*3600 + 30*60))
	est := time.FixedZone("EST", -5*3600)
	day := func(t time.Time) string { return t.In(ict).Format("02/01/2006") }
	for _, tc := range []struct {
		name         string
		sign, verify time.Time
		validity     string // in the Validity check's message
		revocation   string // in the Revocation check's message ("" not checked); the CRL dates from the PKI's making
	}{
		{"utc", t0.Add(2 * time.Hour).UTC(), t0.Add(3 * time.Hour).UTC(),
			"(11:00:00 23/11/2026 +07:00)", "(CRL cập nhật 08:55 23/11/2026)"},
		{"ict", t0.Add(2 * time.Hour), t0.Add(3 * time.Hour),
			"(11:00:00 23/11/2026 +07:00)", "(CRL cập nhật 08:55 23/11/2026)"},
		{"signed west, verified in EST", time.Date(2026, 11, 23, 14, 0, 0, 0, west), time.Date(2026, 11, 23, 13, 0, 0, 0, est),
			"(00:30:00 24/11/2026 +07:00)", "(CRL cập nhật 08:55 23/11/2026)"},
		{"expired, UTC evening is the next day in Vietnam", time.Date(2030, 11, 23, 20, 0, 0, 0, time.UTC), time.Date(2030, 11, 23, 21, 0, 0, 0, time.UTC),
			"(24/11/2030); hiệu lực từ " + day(s.Cert.NotBefore) + " đến " + day(s.Cert.NotAfter) + ".", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signed := mustSign(t, a, pdf, "000.00.50.H01", tc.sign)
			rep, err := VerifyPDF(signed, a.Roots(), mustCRL(t, a, tc.verify), tc.verify)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(rep.Validity.Message, tc.validity) {
				t.Errorf("validity %q, want it to contain %q", rep.Validity.Message, tc.validity)
			}
			if tc.revocation != "" && !strings.Contains(rep.Revocation.Message, tc.revocation) {
				t.Errorf("revocation %q, want it to contain %q", rep.Revocation.Message, tc.revocation)
			}
		})
	}
}
