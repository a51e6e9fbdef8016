package pki

import (
	"bytes"
	"testing"
)

// FuzzVerifyPDF: arbitrary bytes never make VerifyPDF or SignPDF panic, and
// whatever SignPDF accepts, VerifyPDF finds intact and correctly signed.
//
//	go test -run='^$' -fuzz=FuzzVerifyPDF -fuzztime=60s ./pki/
func FuzzVerifyPDF(f *testing.F) {
	_, a := newPKI(f)
	s, err := a.Signer("000.00.50.H01")
	if err != nil {
		f.Fatal(err)
	}
	crl := mustCRL(f, a, t0)
	plain := plainPDF(f)
	signed := mustSign(f, a, plain, "000.00.50.H01", t0)
	f.Add(signed)
	f.Add(plain)
	f.Add(xrefStreamPDF(f))
	f.Add(mustSign(f, a, xrefStreamPDF(f), "000.00.50.H01", t0))
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[3 0 R]>>>>endobj\n3 0 obj<</FT/Sig/V<</ByteRange[0 1 2 3]/Contents<00>/SubFilter/ETSI.CAdES.detached>>>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	f.Add([]byte("%PDF-1.7\n1 0 obj<</Type/XRef/W[1 8 8]/Size 99999999/Index[0 99999999]/Length 0>>stream\n\nendstream endobj\nstartxref 9\n%%EOF"))
	f.Add(bytes.Repeat([]byte("[<<"), 500))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := VerifyPDF(data, a.Roots(), crl, t0)
		if err == nil && rep.Valid() && !bytes.Equal(data, signed) && rep.SignerName == "" {
			t.Fatalf("valid without a signer: %+v", rep)
		}
		out, err := SignPDF(data, s, "Lý do", "Hà Nội", t0)
		if err != nil {
			return
		}
		rep, err = VerifyPDF(out, a.Roots(), crl, t0)
		if err != nil || !rep.Coverage.OK || !rep.Integrity.OK || !rep.Signature.OK {
			t.Fatalf("signed output does not verify: %v %+v", err, rep)
		}
	})
}
