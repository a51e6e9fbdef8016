package pki

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostilePDF is a file of n objects that each look like a signature
// dictionary: the kind of upload that made the anonymous verification page
// take gigabytes (issue 12). With xref, it has a catalog without a form
// and a correct cross-reference table, so that the reader takes the normal
// path and the signatures are looked for among all objects; without, the
// reader has to rebuild the cross-reference by scanning.
func hostilePDF(n int, xref bool) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offsets := make([]int, n+2)
	for i := 1; i <= n; i++ {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n<</Type/Sig/ByteRange[0 10 20 %d]/Contents<0000>/SubFilter/ETSI.CAdES.detached>>\nendobj\n", i, i)
	}
	if !xref {
		b.WriteString("trailer\n<</Size 3>>\nstartxref\n0\n%%EOF\n")
		return b.Bytes()
	}
	offsets[n+1] = b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Type/Catalog>>\nendobj\n", n+1)
	start := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", n+2)
	for i := 1; i <= n+1; i++ {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", offsets[i])
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", n+2, n+1, start)
	return b.Bytes()
}

// TestHostilePDFBounded: verifying a file of 250,000 signature-like
// objects (26 MB) costs a bounded amount of work and memory, whichever
// path the reader takes: before the bounds, it took 7.3 s and 377 MB
// allocated, and eight in parallel took the server to 2.69 GB.
func TestHostilePDFBounded(t *testing.T) {
	for _, tc := range []struct {
		name string
		xref bool
	}{{"no cross-reference", false}, {"cross-reference", true}} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := hostilePDF(250_000, tc.xref)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			rep, err := VerifyPDF(pdf, nil, nil, time.Now())
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%.1f MB file: %v in %v, %d MB allocated", float64(len(pdf))/1e6, err, elapsed, alloc>>20)
			if err == nil && rep.Valid() {
				t.Error("a file of fake signatures verified")
			}
			if alloc > 96<<20 {
				t.Errorf("%d MB allocated for one hostile file, want < 96 MB", alloc>>20)
			}
		})
	}
}

// bombPDF is a file of streams compressed object streams, each about 62 kB
// that inflate to 63 MiB (a run of spaces), each holding an object that is
// not a signature, listed in a cross-reference stream, with a catalog
// without a form: looking for signatures among all objects inflates every
// stream. All the streams are the same bytes: the header lists the objects
// of all of them. The storm benchmark (cmd/motcua-bench) posts the same
// at the upload cap: 322 streams in 20 MB.
func bombPDF(streams int) []byte {
	var head strings.Builder
	for k := 1; k <= streams; k++ {
		fmt.Fprintf(&head, "%d 0 ", 2*k+1)
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write([]byte(head.String() + "<</Type/Annot>>"))
	spaces := bytes.Repeat([]byte{' '}, 1<<20)
	for range 63 {
		zw.Write(spaces)
	}
	zw.Close()
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	type entry struct{ typ, f2, f3 int }
	entries := []entry{{0, 0, 65535}, {1, b.Len(), 0}}
	b.WriteString("1 0 obj\n<</Type/Catalog>>\nendobj\n")
	for k := 1; k <= streams; k++ {
		entries = append(entries, entry{1, b.Len(), 0}, entry{2, 2 * k, k - 1})
		fmt.Fprintf(&b, "%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n", 2*k, streams, head.Len(), z.Len())
		b.Write(z.Bytes())
		b.WriteString("\nendstream\nendobj\n")
	}
	entries = append(entries, entry{1, b.Len(), 0})
	var x bytes.Buffer
	for _, e := range entries {
		x.Write([]byte{byte(e.typ), byte(e.f2 >> 24), byte(e.f2 >> 16), byte(e.f2 >> 8), byte(e.f2), byte(e.f3 >> 8), byte(e.f3)})
	}
	start := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n", 2*streams+2, len(entries), x.Len())
	b.Write(x.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", start)
	return b.Bytes()
}

// TestDeflateBombBounded: a file whose object streams each inflate to
// just under what one stream may is read no further once the streams of
// one reading have inflated maxInflated together (the objects of the
// others are unreadable: no signature is found). Before, every stream was
// inflated and kept: this test's 1 MB file of 16 streams allocated 2.5 GB
// in 11 s, and the 322 streams of a 20 MB upload asked for 20 GiB.
func TestDeflateBombBounded(t *testing.T) {
	pdf := bombPDF(16)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := VerifyPDF(pdf, nil, nil, time.Now())
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%.1f MB file: %v in %v, %d MB allocated", float64(len(pdf))/1e6, err, elapsed, alloc>>20)
	if err == nil {
		t.Error("a file without signatures verified")
	}
	if alloc > 3*maxInflated {
		t.Errorf("%d MB allocated for one file, want < %d MB", alloc>>20, 3*maxInflated>>20)
	}
}
