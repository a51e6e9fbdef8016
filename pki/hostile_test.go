package pki

import (
	"bytes"
	"fmt"
	"runtime"
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
