package printform

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time, user and system, that the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchPDF runs render in a benchmark loop and reports, besides time and
// memory, the CPU time of the process per document (cpu-ns/op: on a
// shared machine wall time is noisy, CPU time much less) and the size of
// the PDF.
func benchPDF(b *testing.B, render func() ([]byte, error)) {
	var size int
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		pdf, err := render()
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(size), "pdf-bytes")
}

// BenchmarkResultDocument renders the result of the fixture: "fpdf" on the
// renderer that pdfDoc replaced (the baseline), "pdf" as the documents are
// made, "pdf-new-text" likewise with the font cache emptied before each
// document, as for a document whose characters no document before it used
// (the font subsets are then cut and compressed), and "pdf-applicants" for
// a stream of applicants.
func BenchmarkResultDocument(b *testing.B) {
	r := resultFixture()
	if _, err := ResultDocument(r); err != nil { // parse the faces
		b.Fatal(err)
	}
	b.Run("fpdf", func(b *testing.B) {
		benchPDF(b, func() ([]byte, error) { return resultDocument(r, newFpdfCanvas) })
	})
	b.Run("pdf", func(b *testing.B) {
		benchPDF(b, func() ([]byte, error) { return ResultDocument(r) })
	})
	b.Run("pdf-new-text", func(b *testing.B) {
		benchPDF(b, func() ([]byte, error) {
			fontCache.Purge()
			return ResultDocument(r)
		})
	})
	// Results for a stream of applicants (10,000 names from common parts)
	// with their own verification links: the regular and italic faces'
	// objects come from the cache, the bold face's when the name's letters
	// were seen before.
	surnames := strings.Fields("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Lương")
	middles := strings.Fields("Văn Thị Đức Minh Ngọc Thanh Quốc Hữu Thu Xuân")
	givens := strings.Fields("An Bình Chi Dũng Giang Hà Hải Hạnh Hiếu Hòa Hùng Hương Khánh Khôi Lan Linh Long Mai Minh My " +
		"Nam Nga Ngân Nhung Phong Phúc Phương Quân Quang Quỳnh Sơn Tâm Thảo Thắng Thủy Tiến Trang Trí Trung Tuấn " +
		"Tú Tùng Uyên Việt Vinh Vy Xuân Yến Ánh Đạt")
	b.Run("pdf-applicants", func(b *testing.B) {
		i := 0
		benchPDF(b, func() ([]byte, error) {
			r := r
			r.Dossier.ApplicantName = surnames[i%20] + " " + middles[i/20%10] + " " + givens[i/200%50]
			r.VerifyURL = fmt.Sprintf("https://dichvucong.example.vn/xac-thuc/%s.%016x", r.Dossier.Code, uint64(i)*0x9e3779b97f4a7c15)
			i++
			return ResultDocument(r)
		})
	})
}

// BenchmarkParseFaces is the cost, once per process, of parsing the three
// embedded fonts.
func BenchmarkParseFaces(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, data := range [][]byte{fontRegular, fontBold, fontItalic} {
			if _, err := parseFace(data); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkQR(b *testing.B) {
	url := resultFixture().VerifyURL
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := qrImage(url); err != nil {
			b.Fatal(err)
		}
	}
}
