package search

import (
	"fmt"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/demo"
)

// BenchmarkBuild indexes 5000 procedures (the demo's, each with a
// place in its name, as motcua-bench search generates them).
func BenchmarkBuild(b *testing.B) {
	procs, _ := demo.Procedures()
	var sums []catalog.Summary
	for i := 0; i < 5000; i++ {
		p := procs[i%len(procs)].Summary()
		p.Code = fmt.Sprint(i)
		p.Name += fmt.Sprintf(" tại xã số %d phường Ba Đình %d", i, i*7)
		sums = append(sums, p)
	}
	for b.Loop() {
		Build(sums, nil)
	}
}

// BenchmarkSearch asks the demo index every question of the test set.
func BenchmarkSearch(b *testing.B) {
	procs, _ := demo.Procedures()
	sums := make([]catalog.Summary, len(procs))
	for i := range procs {
		sums[i] = procs[i].Summary()
	}
	ix := Build(sums, nil)
	qs, err := Questions()
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		ix.Search(qs[i%len(qs)].Text, nil)
		i++
	}
}
