package pki

import (
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/printform"
)

// cpuTime is the CPU time, user and system, that the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resultPDF is a result document as app/results makes them.
func resultPDF(t testing.TB) []byte {
	t.Helper()
	pdf, err := printform.ResultDocument(printform.Result{
		Agency:    printform.Agency{ID: "000.00.50.H01", Name: "Ủy ban nhân dân Phường Ba Đình", Parent: "Ủy ban nhân dân Thành phố Hà Nội", Place: "Hà Nội"},
		Dossier:   printform.Dossier{Code: "000.00.50.H01-261123-00001", ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", ApplicantName: "Nguyễn Văn An", ApplicantID: "001090012345"},
		Title:     "Giấy khai sinh",
		Fields:    []printform.Field{{Label: "Họ, chữ đệm, tên của trẻ", Value: "Nguyễn Minh Khôi"}, {Label: "Ngày sinh", Value: "05/11/2026"}},
		Number:    "125/GKS-UBND",
		IssuedAt:  t0.Add(time.Hour),
		Signer:    printform.Person{Title: "Thủ trưởng cơ quan"},
		VerifyURL: "https://dichvucong.hanoi.gov.vn/xac-thuc/000.00.50.H01-261123-00001.0123456789abcdef",
	})
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// BenchmarkSignPDF signs a result document: "before" with the code it had
// (signPDFBefore), "after" with SignPDF. It reports, besides time and
// memory, the CPU time of the process per signature (cpu-ns/op: on a
// shared machine wall time is noisy, CPU time much less) and the size of
// the signed PDF.
func BenchmarkSignPDF(b *testing.B) {
	_, a := newPKI(b)
	s, err := a.Signer("000.00.50.H01")
	if err != nil {
		b.Fatal(err)
	}
	pdf := resultPDF(b)
	at := t0.Add(time.Hour)
	for _, c := range []struct {
		name string
		sign func([]byte, Signer, string, string, time.Time) ([]byte, error)
	}{{"before", signPDFBefore}, {"after", SignPDF}} {
		b.Run(c.name, func(b *testing.B) {
			var size int
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				out, err := c.sign(pdf, s, "Kết quả giải quyết thủ tục hành chính", "Hà Nội", at)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(size), "pdf-bytes")
		})
	}
}
