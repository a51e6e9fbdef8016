package web

import (
	"bytes"
	"context"
	"encoding/pem"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/unit"
)

// withPKI gives the fixture a province CA with every demo agency's
// certificate, as `serve --demo` makes it.
func withPKI(t testing.TB, f *fixture) *pki.Authority {
	t.Helper()
	list, err := f.store.Agencies(context.Background(), unit.AgencyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ags []pki.Agency
	for _, a := range list {
		ags = append(ags, pki.Agency{ID: a.ID, Name: a.Name})
	}
	dir := t.TempDir()
	if _, err := pki.InitProvince(dir, pki.Province{Code: "01", Name: "Thành phố Hà Nội"}, ags, f.now().Add(-24*60*60*1e9), pki.Options{PublicURL: "https://dichvucong.example.vn"}); err != nil {
		t.Fatal(err)
	}
	p, err := pki.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := f.cfg
	cfg.PKI, cfg.PublicURL = p, "https://dichvucong.example.vn"
	f.rebuild(t, cfg)
	return p
}

// TestElectronicResult walks a demo dossier to its return, downloads the
// signed result, verifies it (pki and pdfsig), and checks the public
// verification page, the upload of an altered copy and who may download.
func TestElectronicResult(t *testing.T) {
	f := newFixture(t)
	ca := withPKI(t, f)
	st, d, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	d = f.handleToDone(t, d.Code)
	stored := f.stored(t, d.Code)
	if stored.Result == nil || !strings.HasPrefix(stored.Result.ID, d.Code+".") {
		t.Fatalf("no result recorded: %+v", stored.Result)
	}
	if n := f.auditCount(t, "dossier.result_issued"); n != 1 {
		t.Errorf("%d dossier.result_issued audit entries, want 1", n)
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"return"}`); st != 200 {
		t.Fatalf("return = %d %s", st, b)
	}

	citizen := f.browser(t, "congdan")
	_, page := citizen.get("/ho-so/" + d.Code)
	if !strings.Contains(page, "Tải kết quả điện tử (đã ký số)") || !strings.Contains(page, "/xac-thuc/"+stored.Result.ID) {
		t.Error("the dossier page does not link the result")
	}
	res, err := citizen.c.Get(f.srv.URL + "/ho-so/" + d.Code + "/ket-qua")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("download = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	crl, err := ca.CRL(f.now())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := pki.VerifyPDF(pdf, ca.Roots(), crl, f.now())
	if err != nil || !rep.Valid() {
		t.Fatalf("VerifyPDF: %v %+v", err, rep)
	}
	if n := f.auditCount(t, "dossier.result.read"); n != 1 {
		t.Errorf("%d dossier.result.read audit entries, want 1", n)
	}
	pdfsigCheck(t, ca, pdf)

	// Another citizen may not download it.
	if st, _ := f.browser(t, "congdan2").get("/ho-so/" + d.Code + "/ket-qua"); st != 404 && st != 403 {
		t.Errorf("another citizen's download = %d", st)
	}

	// The public page: every check passes; a wrong token is 404.
	anon := &browser{t: t, f: f, c: &http.Client{}}
	st, page = anon.get("/xac-thuc/" + stored.Result.ID)
	if st != 200 || !strings.Contains(page, "HỢP LỆ") || strings.Contains(page, "KHÔNG HỢP LỆ") || strings.Contains(page, "Không đạt") {
		t.Fatalf("verification page = %d:\n%s", st, page)
	}
	for _, want := range []string{"Toàn vẹn nội dung: Đạt", "Tình trạng thu hồi: Đạt", "Thời hạn chứng thư: Đạt", d.Code, "Nguyễn V. A***"} {
		if !strings.Contains(page, want) {
			t.Errorf("verification page lacks %q", want)
		}
	}
	if strings.Contains(page, "001090012345") || strings.Contains(page, "Nguyễn Văn An") {
		t.Error("the verification page shows personal data")
	}
	// The signing time in Vietnam time with its offset, though the server
	// signed in UTC: in the facts and in the validity check.
	signedAt := stored.Result.SignedAt.In(calendar.VN).Format("15:04:05 02/01/2006 -07:00")
	text := html.UnescapeString(page)
	if !strings.Contains(text, "<dd>"+signedAt+"</dd>") || !strings.Contains(text, "tại thời điểm ký ("+signedAt+")") || strings.Contains(text, "+00:00") {
		t.Errorf("the verification page does not show the signing time %s:\n%s", signedAt, text)
	}
	if st, _ := anon.get("/xac-thuc/" + d.Code + ".0000000000000000"); st != 404 {
		t.Errorf("wrong token = %d, want 404", st)
	}

	// Uploads: the file itself matches; a byte-altered copy is invalid.
	up := f.browser(t, "congdan")
	st, page = up.verifyUpload(pdf)
	if st != 200 || !strings.Contains(page, "Tệp trùng khớp từng byte") || strings.Contains(page, "KHÔNG HỢP LỆ") {
		t.Errorf("upload of the result = %d:\n%s", st, page)
	}
	bad := bytes.Clone(pdf)
	i := bytes.Index(bad, []byte("/Producer"))
	if i < 0 {
		i = 200
	}
	bad[i+2] ^= 0x01
	st, page = up.verifyUpload(bad)
	if st != 200 || !strings.Contains(page, "KHÔNG HỢP LỆ") || !strings.Contains(page, "Toàn vẹn nội dung: Không đạt") {
		t.Errorf("upload of an altered copy = %d:\n%s", st, page)
	}
	if st, page = up.verifyUpload([]byte("not a pdf at all")); st != 200 || !strings.Contains(page, "KHÔNG HỢP LỆ") {
		t.Errorf("upload of junk = %d", st)
	}
	// The CA and its CRL are public (DER).
	if st, b := anon.get(pki.CAPath); st != 200 || !bytes.Equal([]byte(b), ca.CA().Raw) {
		t.Errorf("GET %s = %d", pki.CAPath, st)
	}
	if st, _ := anon.get(pki.CRLPath); st != 200 {
		t.Errorf("GET %s = %d", pki.CRLPath, st)
	}
}

// TestVerifyUploadCap: a file of 20 MB is read and given a verdict, one
// byte more is refused as too large before it is read.
func TestVerifyUploadCap(t *testing.T) {
	f := newFixture(t)
	withPKI(t, f)
	b := f.browser(t, "congdan")
	junk := bytes.Repeat([]byte("x"), 20<<20)
	if st, page := b.verifyUpload(junk); st != 200 || !strings.Contains(page, "KHÔNG HỢP LỆ") {
		t.Errorf("upload of 20 MB = %d, want a verdict", st)
	}
	if st, page := b.verifyUpload(append(junk, 'x')); st != 422 || !strings.Contains(page, "Tệp quá lớn") {
		t.Errorf("upload of 20 MB and a byte = %d, want 422 too large", st)
	}
}

// TestNoPKINoResult: without a PKI the walk works and no result is made.
func TestNoPKINoResult(t *testing.T) {
	f := newFixture(t)
	_, d, _ := f.submit(t, "congdan", "1.001193", "")
	f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`)
	users := map[string]string{"specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}
	d = f.get(t, "chuyenvien", d.Code)
	for i := 0; d.Status != 9 && i < 10 && d.CurrentStep != nil; i++ {
		_, d, _ = f.act(t, users[d.CurrentStep.Role], d.Code, `{"action":"complete_step"}`)
	}
	if d.Status != 9 || f.stored(t, d.Code).Result != nil {
		t.Fatalf("status %d, result %+v", d.Status, f.stored(t, d.Code).Result)
	}
}

func (b *browser) verifyUpload(pdf []byte) (int, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", b.csrf)
	fw, _ := mw.CreateFormFile("tep", "ket-qua.pdf")
	_, _ = fw.Write(pdf)
	mw.Close()
	res, err := b.c.Post(b.f.srv.URL+"/xac-thuc", mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

// pdfsigCheck runs Debian's pdfsig with an NSS database trusting only the
// test CA. Skipped when pdfsig or certutil is missing, unless CI is set.
func pdfsigCheck(t *testing.T, a *pki.Authority, pdf []byte) {
	t.Helper()
	pdfsig, err1 := exec.LookPath("pdfsig")
	certutil, err2 := exec.LookPath("certutil")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("pdfsig and certutil are required on CI: %v %v", err1, err2)
		}
		t.Log("pdfsig or certutil not installed: skipping the pdfsig check")
		return
	}
	nss := t.TempDir()
	caFile := filepath.Join(nss, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.CA().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-N", "-d", "sql:" + nss, "--empty-password"}, {"-A", "-d", "sql:" + nss, "-n", "ca", "-t", "CT,C,C", "-i", caFile}} {
		if out, err := exec.Command(certutil, args...).CombinedOutput(); err != nil {
			t.Fatalf("certutil %v: %v\n%s", args, err, out)
		}
	}
	file := filepath.Join(t.TempDir(), "ket-qua.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(pdfsig, "-nssdir", "sql:"+nss, file).CombinedOutput()
	if !strings.Contains(string(out), "Signature is Valid.") || !strings.Contains(string(out), "Certificate is Trusted.") {
		t.Errorf("pdfsig does not report a valid, trusted signature:\n%s", out)
	}
}

// FuzzVerifyUpload: any bytes posted for verification give a verdict, never
// a panic.
func FuzzVerifyUpload(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	f.Add([]byte("junk"))
	fx := newFixture(f)
	dir := f.TempDir()
	if _, err := pki.InitProvince(dir, pki.Province{Code: "01", Name: "Thành phố Hà Nội"}, nil, fx.now(), pki.Options{}); err != nil {
		f.Fatal(err)
	}
	p, err := pki.Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	cfg := fx.cfg
	cfg.PKI = p
	fx.rebuild(f, cfg)
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := fx.app.Results.VerifyUpload(context.Background(), b); err != nil {
			t.Fatalf("VerifyUpload: %v", err)
		}
	})
}
