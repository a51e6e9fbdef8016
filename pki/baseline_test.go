package pki

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

// signPDFBefore and signCMSBefore are SignPDF and signCMS as they were
// before the CMS was made without the library's own signature, chain check
// and copy of the content, and before the placeholder of the signature was
// sized to it (4 KiB more than the certificates): the baseline of
// BenchmarkSignPDF.

func signPDFBefore(pdf []byte, signer Signer, reason, location string, at time.Time) ([]byte, error) {
	if signer.Key == nil || signer.Cert == nil {
		return nil, errors.New("pki: sign: no key or certificate")
	}
	if !samePublic(signer.Key.Public(), signer.Cert.PublicKey) {
		return nil, errors.New("pki: sign: key and certificate do not match")
	}
	f, err := openPDF(pdf, false)
	if err != nil {
		return nil, fmt.Errorf("pki: sign: %w", err)
	}
	if f.trailer.get("Encrypt") != nil {
		return nil, fmt.Errorf("pki: sign: %w: encrypted PDF", ErrUnsupported)
	}
	rootRef, err := f.root()
	if err != nil {
		return nil, fmt.Errorf("pki: sign: %w", err)
	}
	catalog, _ := f.dict(rootRef)
	pageRef, err := f.firstPage(catalog)
	if err != nil {
		return nil, fmt.Errorf("pki: sign: %w", err)
	}
	page, _ := f.dict(pageRef)

	// New object numbers follow the largest in use.
	next := 0
	if sz, ok := f.trailer.get("Size").(pdfNum); ok {
		if n, ok := sz.int(); ok && n > 0 && n <= maxObjects {
			next = int(n)
		}
	}
	for n := range f.xref {
		next = max(next, n+1)
	}
	sigNum, fieldNum := next, next+1
	fieldRef := pdfRef{fieldNum, 0}

	// The catalog's AcroForm, direct or indirect, gets the field.
	type rewrite struct {
		num, gen int
		dict     *pdfDict
	}
	var rewrites []rewrite
	newCatalog := catalog.clone()
	form := newDict()
	formRef, formIndirect := catalog.get("AcroForm").(pdfRef)
	if d, ok := f.dict(catalog.get("AcroForm")); ok {
		form = d.clone()
	}
	fields := []any{}
	if arr, ok := f.resolve(form.get("Fields")).([]any); ok {
		fields = slices.Clone(arr)
	}
	fieldName := uniqueFieldName(f, fields)
	form.set("Fields", append(fields, fieldRef))
	form.set("SigFlags", pdfNum("3"))
	if formIndirect {
		rewrites = append(rewrites, rewrite{formRef.num, formRef.gen, form})
	} else {
		newCatalog.set("AcroForm", form)
	}
	rewrites = append(rewrites, rewrite{rootRef.num, rootRef.gen, newCatalog})

	newPage := page.clone()
	annots := []any{}
	if arr, ok := f.resolve(page.get("Annots")).([]any); ok {
		annots = slices.Clone(arr)
	}
	newPage.set("Annots", append(annots, fieldRef))
	rewrites = append(rewrites, rewrite{pageRef.num, pageRef.gen, newPage})

	// The update.
	out := bytes.NewBuffer(make([]byte, 0, len(pdf)+32<<10))
	out.Write(pdf)
	if len(pdf) > 0 && pdf[len(pdf)-1] != '\n' && pdf[len(pdf)-1] != '\r' {
		out.WriteByte('\n')
	}
	offsets := map[int]int{}
	gens := map[int]int{}

	// The signature dictionary, with placeholders for /ByteRange and /Contents.
	reserve := 4096
	for _, c := range append([]*x509.Certificate{signer.Cert}, signer.Chain...) {
		reserve += len(c.Raw)
	}
	offsets[sigNum] = out.Len()
	fmt.Fprintf(out, "%d 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n/ByteRange ", sigNum)
	byteRangeAt := out.Len()
	const byteRangeHolder = "[0 0000000000 0000000000 0000000000]"
	out.WriteString(byteRangeHolder)
	out.WriteString("\n/Contents ")
	contentsAt := out.Len()
	out.WriteByte('<')
	out.Write(bytes.Repeat([]byte("0"), 2*reserve))
	out.WriteByte('>')
	contentsEnd := out.Len()
	out.WriteString("\n/M ")
	writeObj(out, pdfString(pdfDate(at)))
	if name := signer.Cert.Subject.CommonName; name != "" {
		out.WriteString("\n/Name ")
		writeObj(out, textString(name))
	}
	if reason != "" {
		out.WriteString("\n/Reason ")
		writeObj(out, textString(reason))
	}
	if location != "" {
		out.WriteString("\n/Location ")
		writeObj(out, textString(location))
	}
	out.WriteString(">>\nendobj\n")

	// The field, merged with its invisible widget (Print and Locked flags).
	field := newDict()
	field.set("Type", pdfName("Annot"))
	field.set("Subtype", pdfName("Widget"))
	field.set("FT", pdfName("Sig"))
	field.set("T", textString(fieldName))
	field.set("V", pdfRef{sigNum, 0})
	field.set("F", pdfNum("132"))
	field.set("Rect", []any{pdfNum("0"), pdfNum("0"), pdfNum("0"), pdfNum("0")})
	field.set("P", pageRef)
	writeIndirect(out, offsets, fieldNum, 0, field)
	for _, r := range rewrites {
		writeIndirect(out, offsets, r.num, r.gen, r.dict)
		gens[r.num] = r.gen
	}

	// The cross-reference section and trailer.
	size := fieldNum + 1
	trailer := newDict()
	for _, k := range []pdfName{"Root", "Info", "ID"} {
		if v := f.trailer.get(k); v != nil {
			trailer.set(k, v)
		}
	}
	trailer.set("Prev", pdfNum(strconv.FormatInt(f.startxref, 10)))
	xrefAt := out.Len()
	if f.xrefStream {
		xrefNum := size
		size++
		offsets[xrefNum] = xrefAt
		writeXrefStream(out, offsets, gens, xrefNum, size, trailer)
	} else {
		writeXrefTable(out, offsets, gens)
		out.WriteString("trailer\n")
		trailer.set("Size", pdfNum(strconv.Itoa(size)))
		// Size first, as custom has it.
		trailer.keys = append([]pdfName{"Size"}, trailer.keys[:len(trailer.keys)-1]...)
		writeObj(out, trailer)
		out.WriteByte('\n')
	}
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", xrefAt)

	// Fill in /ByteRange, then sign and fill in /Contents.
	res := out.Bytes()
	br := fmt.Sprintf("[0 %d %d %d]", contentsAt, contentsEnd, len(res)-contentsEnd)
	if len(br) > len(byteRangeHolder) {
		return nil, errors.New("pki: sign: file too large for the byte range")
	}
	copy(res[byteRangeAt:], br+string(bytes.Repeat([]byte(" "), len(byteRangeHolder)-len(br))))
	signed := make([]byte, 0, len(res)-(contentsEnd-contentsAt))
	signed = append(append(signed, res[:contentsAt]...), res[contentsEnd:]...)
	cms, err := signCMSBefore(signed, signer)
	if err != nil {
		return nil, err
	}
	if 2*len(cms) > 2*reserve {
		return nil, fmt.Errorf("pki: sign: signature of %d bytes exceeds its %d-byte placeholder", len(cms), reserve)
	}
	hex.Encode(res[contentsAt+1:], cms)
	return res, nil
}

func signCMSBefore(data []byte, s Signer) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(data)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	scv2, err := signingCertV2(s.Cert)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	cfg := pkcs7.SignerInfoConfig{ExtraSignedAttributes: []pkcs7.Attribute{{Type: oidSigningCertificateV2, Value: asn1.RawValue{FullBytes: scv2}}}}
	if err := sd.AddSignerChain(s.Cert, s.Key, s.Chain, cfg); err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	// The library always adds signing-time: take it out and sign the
	// remaining attributes again (their order, already DER-sorted, is kept).
	infos := sd.GetSignedData().SignerInfos
	if len(infos) != 1 {
		return nil, errors.New("pki: CMS: expected one signer")
	}
	si := &infos[0]
	kept := si.AuthenticatedAttributes[:0:0]
	for _, a := range si.AuthenticatedAttributes {
		if !a.Type.Equal(pkcs7.OIDAttributeSigningTime) {
			kept = append(kept, a)
		}
	}
	si.AuthenticatedAttributes = kept
	attrs, err := marshalSet(kept)
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	digest := sha256.Sum256(attrs)
	if si.EncryptedDigest, err = s.Key.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
		return nil, fmt.Errorf("pki: CMS: sign: %w", err)
	}
	sd.Detach()
	der, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("pki: CMS: %w", err)
	}
	return der, nil
}

// TestCMSAsBefore checks that signCMS makes the CMS the library made
// before (but for the ECDSA signature, random), and that the placeholder
// holds it.
func TestCMSAsBefore(t *testing.T) {
	_, a := newPKI(t)
	s, err := a.Signer("000.00.50.H01")
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("the signed byte ranges of a PDF")
	digest := sha256.Sum256(data)
	before, err := signCMSBefore(data, s)
	if err != nil {
		t.Fatal(err)
	}
	after, err := signCMS(digest[:], s)
	if err != nil {
		t.Fatal(err)
	}
	p, err := signerProfileOf(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) > p.cmsMax {
		t.Errorf("CMS of %d bytes, placeholder for %d", len(after), p.cmsMax)
	}
	b7, err1 := pkcs7.Parse(before)
	a7, err2 := pkcs7.Parse(after)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if len(b7.Certificates) != len(a7.Certificates) {
		t.Fatalf("%d certificates, before %d", len(a7.Certificates), len(b7.Certificates))
	}
	for i := range b7.Certificates {
		if !b7.Certificates[i].Equal(a7.Certificates[i]) {
			t.Errorf("certificate %d differs", i)
		}
	}
	bs, as := b7.Signers[0], a7.Signers[0]
	as.EncryptedDigest, bs.EncryptedDigest = nil, nil
	if fmt.Sprint(as) != fmt.Sprint(bs) {
		t.Errorf("signer info\n%v\nbefore\n%v", as, bs)
	}
	for _, p7 := range []*pkcs7.PKCS7{a7, b7} {
		p7.Content = data
		if err := p7.Verify(); err != nil {
			t.Errorf("verify: %v", err)
		}
	}
}
