package main

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// The worst-case bodies of the anonymous upload storm: what an attacker who
// has read the source would post to each public endpoint that takes a body.

// hostilePDF is a PDF of about size bytes (never more) made of objects that
// each look like a signature dictionary, as pki's hostilePDF (hostile_test.go)
// makes them: the kind of upload that made the verification page take
// gigabytes before the reader was bounded (issue 12). With xref, it has a
// catalog without a form and a correct cross-reference table, so that the
// reader takes the normal path and looks for signatures among all objects;
// without, the reader has to rebuild the cross-reference by scanning.
// It returns the file and the number of objects.
func hostilePDF(size int, xref bool) ([]byte, int) {
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString("%PDF-1.7\n")
	var offsets []int
	// Room for the catalog, the trailer and one more line of the
	// cross-reference table per object.
	const tail = 200
	perEntry := 0
	if xref {
		perEntry = 20
	}
	for n := 1; ; n++ {
		obj := fmt.Sprintf("%d 0 obj\n<</Type/Sig/ByteRange[0 10 20 %d]/Contents<0000>/SubFilter/ETSI.CAdES.detached>>\nendobj\n", n, n)
		if b.Len()+len(obj)+perEntry*(n+2)+tail > size {
			break
		}
		offsets = append(offsets, b.Len())
		b.WriteString(obj)
	}
	n := len(offsets)
	if !xref {
		b.WriteString("trailer\n<</Size 3>>\nstartxref\n0\n%%EOF\n")
		return b.Bytes(), n
	}
	offsets = append(offsets, b.Len())
	fmt.Fprintf(&b, "%d 0 obj\n<</Type/Catalog>>\nendobj\n", n+1)
	start := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", n+2)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", n+2, n+1, start)
	return b.Bytes(), n
}

// bombInflated is what each object stream of bombPDF inflates to: just
// under the 64 MiB that pki's reader accepts of one stream.
const bombInflated = 63 << 20

// bombPDF is a PDF of about size bytes (never more) of compressed object
// streams, each about 62 kB that inflate to bombInflated bytes (a run of
// spaces, deflate's best ratio), each holding an object that is not a
// signature, listed in a cross-reference stream, and a catalog without a
// form: a reader that looks for signatures among all objects inflates
// every stream. Every stream is the same bytes: its header lists the
// numbers of all the streams' objects, so that each finds its own.
// It returns the file and the number of streams.
func bombPDF(size int) ([]byte, int) {
	// Object 1 is the catalog; stream k (k ≥ 1) is object 2k and holds
	// object 2k+1; the cross-reference stream comes last.
	compressed := func(streams int) []byte {
		var head strings.Builder
		for k := 1; k <= streams; k++ {
			fmt.Fprintf(&head, "%d 0 ", 2*k+1)
		}
		var z bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		_, _ = zw.Write([]byte(head.String() + "<</Type/Annot>>"))
		spaces := bytes.Repeat([]byte{' '}, 1<<20)
		for w := head.Len() + len("<</Type/Annot>>"); w < bombInflated; w += len(spaces) {
			_, _ = zw.Write(spaces[:min(len(spaces), bombInflated-w)])
		}
		_ = zw.Close()
		return z.Bytes()
	}
	// The header grows with the count, which changes the size of the
	// stream: estimate, then build with one stream fewer until it fits.
	one := len(compressed(1)) + 120
	for streams := max(1, size/one); ; streams-- {
		if b := bombWith(compressed(streams), streams); len(b) <= size || streams == 1 {
			return b, streams
		}
	}
}

// bombWith lays out bombPDF with the stream z repeated streams times.
func bombWith(z []byte, streams int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	type entry struct{ typ, f2, f3 int }
	entries := []entry{{0, 0, 65535}, {1, b.Len(), 0}}
	b.WriteString("1 0 obj\n<</Type/Catalog>>\nendobj\n")
	var head int // the length of the streams' header, their /First
	for k := 1; k <= streams; k++ {
		head += len(fmt.Sprintf("%d 0 ", 2*k+1))
	}
	for k := 1; k <= streams; k++ {
		entries = append(entries, entry{1, b.Len(), 0}, entry{2, 2 * k, k - 1})
		fmt.Fprintf(&b, "%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n", 2*k, streams, head, len(z))
		b.Write(z)
		b.WriteString("\nendstream\nendobj\n")
	}
	xrefNum := 2*streams + 2
	entries = append(entries, entry{1, b.Len(), 0})
	var x bytes.Buffer
	for _, e := range entries {
		x.Write([]byte{byte(e.typ), byte(e.f2 >> 24), byte(e.f2 >> 16), byte(e.f2 >> 8), byte(e.f2), byte(e.f3 >> 8), byte(e.f3)})
	}
	start := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n", xrefNum, len(entries), x.Len())
	b.Write(x.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", start)
	return b.Bytes()
}

// stormCSRF is the token the storm repeats in the cookie and the form of
// the pages' endpoints (double-submit: whoever sets both passes, which is
// what lets the upload reach the PDF reader).
const stormCSRF = "00112233445566778899aabbccddeeff"

// stormBody is a worst-case body of one public endpoint.
type stormBody struct {
	label string // what the report calls it
	path  string // POSTed to
	ctype string
	// user, when set, starts the body with a fresh username (a login for
	// nobody: the storm must not throttle a real account); the rest is
	// body.
	user func(name string) string
	body []byte
}

func (b stormBody) size() int64 {
	n := int64(len(b.body))
	if b.user != nil {
		n += int64(len(b.user("storm-00-00000000")))
	}
	return n
}

// stormMix is the order in which each client posts the bodies (client i
// starts at i): five crafted PDFs just under the cap, one over it, one
// login of each kind.
var stormMix = []int{0, 1, 2, 1, 0, 3, 4, 5}

// stormBodies are the storm's bodies for an upload cap of limit bytes, in
// the order stormMix refers to them.
func stormBodies(limit int) []stormBody {
	under := limit - 1024 // the multipart envelope is outside the file's cap
	bomb, streams := bombPDF(under)
	xref, nx := hostilePDF(under, true)
	scan, ns := hostilePDF(under, false)
	over, _ := hostilePDF(limit+5<<20, true)
	// The login page reads 8 KiB of form: just under, for a user that does
	// not exist. The API read 1 MiB of JSON (huma's default) until this
	// benchmark found what decoding it cost; it reads 4 KiB now, and the
	// body stays at 1 MiB, what an attacker sends to waste the most.
	form := "csrf=" + stormCSRF + "&password="
	form += string(bytes.Repeat([]byte{'x'}, 8<<10-len(form)-64))
	apiTail := `,"password":"not-the-password"` + string(bytes.Repeat([]byte{' '}, 1<<20-200)) + "}"
	return []stormBody{
		pdfBody(fmt.Sprintf("crafted PDF: %d signature-like objects, cross-reference table", nx), xref),
		pdfBody(fmt.Sprintf("crafted PDF: %d object streams inflating to %s each", streams, mib(bombInflated)), bomb),
		pdfBody(fmt.Sprintf("crafted PDF: %d signature-like objects, no cross-reference", ns), scan),
		pdfBody("oversize PDF (5 MiB over the cap)", over),
		{label: "login form, 8 KiB, unknown user", path: "/dang-nhap", ctype: "application/x-www-form-urlencoded",
			user: func(name string) string { return "username=" + name + "&" }, body: []byte(form)},
		{label: "login JSON, 1 MiB, unknown user", path: "/api/v1/auth/login", ctype: "application/json",
			user: func(name string) string { return `{"username":"` + name + `"` }, body: []byte(apiTail)},
	}
}

// pdfBody is the multipart form of the verification page with pdf as its
// file (field "tep") and the storm's CSRF token.
func pdfBody(label string, pdf []byte) stormBody {
	const boundary = "storm-boundary-7d1f0c"
	var b bytes.Buffer
	b.Grow(len(pdf) + 512)
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n", boundary, stormCSRF)
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"ket-qua.pdf\"\r\nContent-Type: application/pdf\r\n\r\n", boundary)
	b.Write(pdf)
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return stormBody{label: label, path: "/xac-thuc", ctype: "multipart/form-data; boundary=" + boundary, body: b.Bytes()}
}

// mib writes a number of bytes in MiB, or KiB below one MiB.
func mib(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
