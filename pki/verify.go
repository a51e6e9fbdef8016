package pki

import (
	"bytes"
	"crypto"
	"crypto/subtle"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"github.com/smallstep/pkcs7"

	"github.com/motcua/motcua/calendar"
)

// Check is the outcome of one verification step, with a message in
// Vietnamese for the public verification page.
type Check struct {
	OK      bool
	Message string
}

// Report is what VerifyPDF found. The document is valid only if every
// check passed (Valid).
type Report struct {
	// Coverage: the /ByteRange covers the whole file but the signature's own
	// placeholder, and nothing was appended after the signed revision.
	Coverage Check
	// Integrity: the signed bytes hash to the CMS message digest.
	Integrity Check
	// Signature: the CMS signature verifies with the signer's certificate,
	// and its signing-certificate-v2 attribute names that certificate.
	Signature Check
	// Chain: the certificate chains to a trusted root and may sign documents.
	Chain Check
	// Validity: every certificate of the chain was valid at the signing time,
	// and that time is not in the future.
	Validity Check
	// Revocation: the CRL, signed by the issuer and current, does not list
	// the certificate.
	Revocation Check

	SignerName         string // the certificate's CN: the agency, or the official of a personal certificate
	SignerOrganization string
	SignerSerial       string // upper-case hex, as `motcua pki revoke` takes it
	Issuer             string
	SigningTime        time.Time // claimed by /M (PAdES B-B has no trusted time)
	Reason, Location   string
	SubFilter          string
	// SignerTitle is the position a personal certificate names ("Chủ
	// tịch"); Personal tells a personal certificate from an agency's seal
	// certificate (IsPersonal).
	SignerTitle string
	Personal    bool
}

// Valid reports whether every check passed.
func (r Report) Valid() bool {
	for _, c := range r.Checks() {
		if !c.OK {
			return false
		}
	}
	return true
}

// Checks lists the checks in the order they are made, with their names.
func (r Report) Checks() []NamedCheck {
	return []NamedCheck{
		{"coverage", "Phạm vi ký", r.Coverage},
		{"integrity", "Toàn vẹn nội dung", r.Integrity},
		{"signature", "Chữ ký số", r.Signature},
		{"chain", "Chứng thư số", r.Chain},
		{"validity", "Thời hạn chứng thư", r.Validity},
		{"revocation", "Tình trạng thu hồi", r.Revocation},
	}
}

// NamedCheck is a check with its key and Vietnamese title.
type NamedCheck struct {
	Key, Title string
	Check
}

// clockSkew is how far in the future a claimed signing time may be.
const clockSkew = 5 * time.Minute

// sigField is a signature found in the document.
type sigField struct {
	dict      *pdfDict
	byteRange []int64
	contents  []byte
}

// VerifyPDF verifies the signature of pdf that covers the whole file: its
// byte range, message digest and CMS signature; its certificate chain to
// roots at the signing time (the /M date, which must not be after at); and
// its revocation status in crl (a CRL of the signer's issuer, current at at).
// It returns an error (ErrNotPDF, ErrNoSignature, ErrMalformed…) only when
// there is no signature to check; otherwise the Report says what failed.
func VerifyPDF(pdf []byte, roots *x509.CertPool, crl *x509.RevocationList, at time.Time) (rep Report, err error) {
	f, err := openPDF(pdf, true)
	if err != nil {
		return rep, fmt.Errorf("pki: verify: %w", err)
	}
	sigs := findSignatures(f)
	if len(sigs) == 0 {
		return rep, fmt.Errorf("pki: verify: %w", ErrNoSignature)
	}
	// The signature that ends at the end of the file is the last revision's;
	// failing that, report on the one reaching furthest.
	sig := sigs[0]
	for _, s := range sigs[1:] {
		if s.end() > sig.end() {
			sig = s
		}
	}
	if sf, ok := sig.dict.get("SubFilter").(pdfName); ok {
		rep.SubFilter = string(sf)
	}
	if s, ok := sig.dict.get("Reason").(pdfString); ok {
		rep.Reason = decodeText(s)
	}
	if s, ok := sig.dict.get("Location").(pdfString); ok {
		rep.Location = decodeText(s)
	}
	mOK := false
	if s, ok := sig.dict.get("M").(pdfString); ok {
		rep.SigningTime, mOK = parsePDFDate(string(s))
	}

	// Coverage.
	signed, ok := checkCoverage(pdf, sig, &rep.Coverage)
	fail := func(c *Check, msg string) { *c = Check{Message: msg} }
	const skipped = "Không kiểm tra được do bước trước không đạt."
	if !ok {
		fail(&rep.Integrity, skipped)
		fail(&rep.Signature, skipped)
	}

	// The CMS.
	var p7 *pkcs7.PKCS7
	var leaf *x509.Certificate
	if rep.SubFilter != "ETSI.CAdES.detached" && rep.SubFilter != "adbe.pkcs7.detached" {
		fail(&rep.Signature, fmt.Sprintf("Định dạng chữ ký %q không được hỗ trợ.", rep.SubFilter))
		ok = false
	}
	if ok {
		p7, err = parseCMS(sig.contents)
		switch {
		case err != nil:
			fail(&rep.Signature, "Dữ liệu chữ ký số bị hỏng: "+err.Error())
		case len(p7.Signers) != 1:
			fail(&rep.Signature, "Chữ ký phải có đúng một người ký.")
		default:
			leaf = p7.GetOnlySigner()
			if leaf == nil {
				fail(&rep.Signature, "Chữ ký không kèm chứng thư số của người ký.")
			}
		}
		if leaf == nil {
			fail(&rep.Integrity, skipped)
			ok = false
		}
	}
	if leaf != nil {
		rep.SignerName = leaf.Subject.CommonName
		if len(leaf.Subject.Organization) > 0 {
			rep.SignerOrganization = leaf.Subject.Organization[0]
		}
		rep.SignerSerial = SerialString(leaf.SerialNumber)
		rep.SignerTitle, rep.Personal = CertTitle(leaf), IsPersonal(leaf)
		rep.Issuer = leaf.Issuer.CommonName
	}

	// Integrity and signature.
	if ok {
		ok = checkIntegrity(p7, signed, &rep.Integrity)
		if !ok {
			fail(&rep.Signature, skipped)
		}
	}
	if ok {
		checkSignature(p7, leaf, signed, rep.SubFilter, &rep.Signature)
	}

	// Certificates.
	if leaf == nil {
		fail(&rep.Chain, "Không có chứng thư số để kiểm tra.")
		fail(&rep.Validity, "Không có chứng thư số để kiểm tra.")
		fail(&rep.Revocation, "Không có chứng thư số để kiểm tra.")
		return rep, nil
	}
	var intermediates []*x509.Certificate
	for _, c := range p7.Certificates {
		if !c.Equal(leaf) {
			intermediates = append(intermediates, c)
		}
	}
	chain := checkChain(leaf, intermediates, roots, rep.SigningTime, mOK, at, &rep.Chain, &rep.Validity)
	checkRevocation(leaf, chain, crl, at, &rep.Revocation)
	return rep, nil
}

func (s sigField) end() int64 {
	if len(s.byteRange) != 4 {
		return -1
	}
	return s.byteRange[2] + s.byteRange[3]
}

// findSignatures returns the signature dictionaries of the AcroForm's
// signature fields; when the form cannot be read, every object that looks
// like a signature dictionary.
func findSignatures(f *pdfFile) []sigField {
	var out []sigField
	add := func(d *pdfDict) {
		var br []int64
		if arr, ok := f.resolve(d.get("ByteRange")).([]any); ok {
			for _, v := range arr {
				n, _ := v.(pdfNum)
				x, ok := n.int()
				if !ok {
					br = nil
					break
				}
				br = append(br, x)
			}
		}
		contents, _ := f.resolve(d.get("Contents")).(pdfString)
		out = append(out, sigField{dict: d, byteRange: br, contents: contents})
	}
	if rootRef, err := f.root(); err == nil {
		catalog, _ := f.dict(rootRef)
		form, _ := f.dict(catalog.get("AcroForm"))
		fields, _ := f.resolve(form.get("Fields")).([]any)
		seen := map[pdfRef]bool{}
		var walk func(fs []any, depth int)
		walk = func(fs []any, depth int) {
			if depth > 16 {
				return
			}
			for _, fr := range fs {
				if r, ok := fr.(pdfRef); ok {
					if seen[r] {
						continue
					}
					seen[r] = true
				}
				d, ok := f.dict(fr)
				if !ok {
					continue
				}
				if d.get("FT") == pdfName("Sig") {
					if v, ok := f.dict(d.get("V")); ok {
						add(v)
					}
				}
				if kids, ok := f.resolve(d.get("Kids")).([]any); ok {
					walk(kids, depth+1)
				}
			}
		}
		walk(fields, 0)
	}
	if len(out) > 0 {
		return out
	}
	for num := range f.xref {
		if len(out) >= maxSignatures || f.parsed >= maxParsed {
			break
		}
		d, ok := f.dict(pdfRef{num, 0})
		if ok && d.get("ByteRange") != nil && d.get("Contents") != nil {
			add(d)
		}
	}
	return out
}

// maxSignatures bounds the signature dictionaries looked at outside the
// form: a document signed at every approval has a handful.
const maxSignatures = 64

// checkCoverage checks the byte range and returns the signed bytes.
func checkCoverage(pdf []byte, sig sigField, c *Check) ([]byte, bool) {
	br := sig.byteRange
	n := int64(len(pdf))
	if len(br) != 4 || br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[3] < 0 || br[2] > n || br[3] > n-br[2] {
		*c = Check{Message: "Phạm vi ký (/ByteRange) không hợp lệ."}
		return nil, false
	}
	if br[2]+br[3] != n {
		*c = Check{Message: "Tệp đã bị thêm hoặc bớt nội dung sau khi ký: chữ ký không bao trùm toàn bộ tệp."}
		return nil, false
	}
	hole := pdf[br[1]:br[2]]
	if len(hole) < 2 || hole[0] != '<' || hole[len(hole)-1] != '>' {
		*c = Check{Message: "Vùng loại trừ khỏi phạm vi ký không phải là chữ ký số."}
		return nil, false
	}
	for _, b := range hole[1 : len(hole)-1] {
		if !(b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F') {
			*c = Check{Message: "Vùng loại trừ khỏi phạm vi ký chứa dữ liệu khác ngoài chữ ký số."}
			return nil, false
		}
	}
	// The hole must be this signature's /Contents, not some other string.
	l := &lexer{b: hole}
	got, err := l.hexString()
	if err != nil || !bytes.Equal(got, sig.contents) {
		*c = Check{Message: "Vùng loại trừ khỏi phạm vi ký không khớp với chữ ký số."}
		return nil, false
	}
	*c = Check{OK: true, Message: "Chữ ký bao trùm toàn bộ tệp, không có nội dung thêm sau khi ký."}
	signed := make([]byte, 0, br[1]+br[3])
	return append(append(signed, pdf[:br[1]]...), pdf[br[2]:]...), true
}

// parseCMS parses the DER (or BER) SignedData at the start of the padded
// /Contents.
func parseCMS(contents []byte) (p7 *pkcs7.PKCS7, err error) {
	defer func() {
		if r := recover(); r != nil { // a library bug on hostile input must not take the server down
			p7, err = nil, fmt.Errorf("CMS không đọc được: %v", r)
		}
	}()
	var raw asn1.RawValue
	if rest, err := asn1.Unmarshal(contents, &raw); err == nil {
		// The placeholder is padded with zeros; anything else after the
		// signature is data nobody signed.
		if len(bytes.Trim(rest, "\x00")) > 0 {
			return nil, errors.New("dữ liệu lạ sau chữ ký")
		}
		contents = raw.FullBytes
	}
	return pkcs7.Parse(contents)
}

// digestOf maps the digest algorithms accepted for new signatures.
func digestOf(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(pkcs7.OIDDigestAlgorithmSHA256):
		return crypto.SHA256, true
	case oid.Equal(pkcs7.OIDDigestAlgorithmSHA384):
		return crypto.SHA384, true
	case oid.Equal(pkcs7.OIDDigestAlgorithmSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

func checkIntegrity(p7 *pkcs7.PKCS7, signed []byte, c *Check) bool {
	h, ok := digestOf(p7.Signers[0].DigestAlgorithm.Algorithm)
	if !ok {
		*c = Check{Message: "Thuật toán băm của chữ ký không được chấp nhận (cần SHA-256 trở lên)."}
		return false
	}
	var want []byte
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeMessageDigest, &want); err != nil {
		*c = Check{Message: "Chữ ký không có giá trị băm của nội dung (message-digest)."}
		return false
	}
	hh := h.New()
	hh.Write(signed)
	if subtle.ConstantTimeCompare(hh.Sum(nil), want) != 1 {
		*c = Check{Message: "Nội dung tệp đã bị thay đổi sau khi ký."}
		return false
	}
	*c = Check{OK: true, Message: "Nội dung tệp không bị thay đổi kể từ khi ký."}
	return true
}

func checkSignature(p7 *pkcs7.PKCS7, leaf *x509.Certificate, signed []byte, subFilter string, c *Check) {
	var ct asn1.ObjectIdentifier
	if err := p7.UnmarshalSignedAttribute(pkcs7.OIDAttributeContentType, &ct); err != nil || !ct.Equal(pkcs7.OIDData) {
		*c = Check{Message: "Thuộc tính loại nội dung (content-type) của chữ ký không đúng."}
		return
	}
	var scv2 asn1.RawValue
	err := p7.UnmarshalSignedAttribute(oidSigningCertificateV2, &scv2)
	switch {
	case err == nil && !checkSigningCertV2(scv2.FullBytes, leaf):
		*c = Check{Message: "Thuộc tính chứng thư ký (signing-certificate-v2) không khớp với chứng thư kèm theo."}
		return
	case err != nil && subFilter == "ETSI.CAdES.detached":
		*c = Check{Message: "Chữ ký PAdES thiếu thuộc tính signing-certificate-v2."}
		return
	}
	p7.Content = signed
	if err := p7.Verify(); err != nil {
		var ste *pkcs7.SigningTimeNotValidError
		if errors.As(err, &ste) {
			*c = Check{Message: "Thời điểm ký ghi trong chữ ký nằm ngoài thời hạn của chứng thư."}
			return
		}
		*c = Check{Message: "Chữ ký số không hợp lệ: " + err.Error()}
		return
	}
	*c = Check{OK: true, Message: "Chữ ký số hợp lệ."}
}

// checkChain verifies the chain to roots at the signing time (Chain) and the
// certificates' validity then (Validity). It returns the chain found.
func checkChain(leaf *x509.Certificate, intermediates []*x509.Certificate, roots *x509.CertPool, signingTime time.Time, haveTime bool, at time.Time, chainC, validC *Check) []*x509.Certificate {
	pool := x509.NewCertPool()
	for _, c := range intermediates {
		pool.AddCert(c)
	}
	switch {
	case !haveTime:
		*validC = Check{Message: "Chữ ký không ghi thời điểm ký (/M) hợp lệ."}
	case signingTime.After(at.Add(clockSkew)):
		*validC = Check{Message: "Thời điểm ký ghi trong tệp ở tương lai."}
	default:
		*validC = Check{OK: true, Message: fmt.Sprintf("Chứng thư số còn hiệu lực tại thời điểm ký (%s).", signingTime.In(calendar.VN).Format("15:04:05 02/01/2006 -07:00"))}
	}
	if leaf.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		*chainC = Check{Message: "Chứng thư số không được phép dùng để ký văn bản."}
		return nil
	}
	if roots == nil {
		*chainC = Check{Message: "Chưa có chứng thư gốc tin cậy để kiểm tra."}
		return nil
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: pool, CurrentTime: signingTime, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	if !haveTime {
		opts.CurrentTime = at
	}
	chains, err := leaf.Verify(opts)
	var inv x509.CertificateInvalidError
	if errors.As(err, &inv) && inv.Reason == x509.Expired {
		if validC.OK {
			*validC = Check{Message: fmt.Sprintf("Chứng thư số đã hết hạn hoặc chưa có hiệu lực tại thời điểm ký (%s); hiệu lực từ %s đến %s.",
				vnDate(signingTime), vnDate(leaf.NotBefore), vnDate(leaf.NotAfter))}
		}
		// Is the chain trusted apart from the dates?
		opts.CurrentTime = leaf.NotBefore.Add(time.Second)
		chains, err = leaf.Verify(opts)
	}
	if err != nil {
		*chainC = Check{Message: "Chứng thư số không do cơ quan chứng thực tin cậy cấp: " + err.Error()}
		return nil
	}
	*chainC = Check{OK: true, Message: "Chứng thư số do " + chains[0][len(chains[0])-1].Subject.CommonName + " cấp."}
	return chains[0]
}

func checkRevocation(leaf *x509.Certificate, chain []*x509.Certificate, crl *x509.RevocationList, at time.Time, c *Check) {
	switch {
	case crl == nil:
		*c = Check{Message: "Không có danh sách chứng thư bị thu hồi (CRL) để kiểm tra."}
		return
	case len(chain) < 2:
		*c = Check{Message: "Không xác định được cơ quan cấp chứng thư để kiểm tra thu hồi."}
		return
	}
	issuer := chain[1]
	if !bytes.Equal(crl.RawIssuer, leaf.RawIssuer) || crl.CheckSignatureFrom(issuer) != nil {
		*c = Check{Message: "Danh sách thu hồi (CRL) không phải của cơ quan cấp chứng thư."}
		return
	}
	if !crl.NextUpdate.IsZero() && at.After(crl.NextUpdate) {
		*c = Check{Message: "Danh sách thu hồi (CRL) đã quá hạn cập nhật."}
		return
	}
	for _, e := range crl.RevokedCertificateEntries {
		if e.SerialNumber != nil && e.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
			*c = Check{Message: "Chứng thư số đã bị thu hồi từ " + e.RevocationTime.In(calendar.VN).Format("15:04 02/01/2006") + "."}
			return
		}
	}
	*c = Check{OK: true, Message: "Chứng thư số không bị thu hồi (CRL cập nhật " + crl.ThisUpdate.In(calendar.VN).Format("15:04 02/01/2006") + ")."}
}

// vnDate writes the day of t in Vietnam: the messages are for the public
// verification page, whose times are Vietnam time whatever the zone of the
// signing time, of the clock or of the machine.
func vnDate(t time.Time) string { return t.In(calendar.VN).Format("02/01/2006") }
