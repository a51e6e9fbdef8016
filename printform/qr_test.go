package printform

import (
	"fmt"
	"image/color"
	"math/rand/v2"
	"testing"

	"github.com/boombuler/barcode/qr"
	"rsc.io/qr/coding"
)

// TestQRPenaltyBits checks the penalty on bits against the plain one, on
// random symbols and on runs and patterns at the edges.
func TestQRPenaltyBits(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{21, 25, 37, 49, qrBitsMax} {
		for i := range 200 {
			m := make([]byte, n*n)
			density := rng.IntN(10)
			for j := range m {
				if rng.IntN(10) < density {
					m[j] = 1
				}
			}
			if i%3 == 0 { // finder-like patterns at the edges
				for j, d := range []byte{1, 0, 1, 1, 1, 0, 1} {
					m[j], m[(n-1)*n+n-7+j], m[j*n+n-1] = d, d, d
				}
			}
			slow := qrPenaltySlow(m, n)
			if fast := qrPenaltyBits(m, n); fast != slow {
				t.Fatalf("n=%d #%d: bits %d, plain %d", n, i, fast, slow)
			}
		}
	}
}

// TestQRAsBefore compares the symbols with those of the encoder used
// before, boombuler/barcode, on links of all the lengths that results and
// forms carry: the same version and the same modules under one of the
// eight masks (both pick the mask of least penalty, but read rule N3 at
// the edges differently: here, as in ZXing, outside the symbol is light),
// and the mask chosen is one of least penalty.
func TestQRAsBefore(t *testing.T) {
	t.Parallel()
	for i := range 200 {
		url := fmt.Sprintf("https://dichvucong.example.vn/xac-thuc/000.00.%02d.H%02d-2611%02d-%05d.%016x",
			i%100, i%63, i%28, i*37, uint64(i)*0x9e3779b97f4a7c15)
		switch i % 3 {
		case 1:
			url = fmt.Sprintf("https://motcua.example.vn/tra-cuu/000.00.50.H01-261123-%05d", i)
		case 2:
			url = url[:20+i%60]
		}
		got, n, err := qrEncode(url)
		if err != nil {
			t.Fatal(err)
		}
		before, err := qr.Encode(url, qr.M, qr.Auto)
		if err != nil {
			t.Fatal(err)
		}
		if before.Bounds().Dx() != n {
			t.Fatalf("%s: side %d, before %d", url, n, before.Bounds().Dx())
		}
		// The symbol under mask 0, then under each mask.
		qv, err := qrPlans(coding.Version((n - 17) / 4))
		if err != nil {
			t.Fatal(err)
		}
		code, err := qv.plan.Encode(coding.String(url))
		if err != nil {
			t.Fatal(err)
		}
		least, same := -1, false
		for _, delta := range qv.delta {
			m := make([]byte, n*n)
			sameAsBefore := true
			for y := range n {
				for x := range n {
					if code.Black(x, y) {
						m[y*n+x] = 1
					}
					m[y*n+x] ^= delta[y*n+x]
					dark := color.GrayModel.Convert(before.At(x, y)).(color.Gray).Y < 0x80
					sameAsBefore = sameAsBefore && dark == (m[y*n+x] != 0)
				}
			}
			same = same || sameAsBefore
			if p := qrPenaltySlow(m, n); least < 0 || p < least {
				least = p
			}
		}
		if !same {
			t.Errorf("%s: no mask gives the symbol made before", url)
		}
		if p := qrPenaltySlow(got, n); p != least {
			t.Errorf("%s: penalty %d, the least is %d", url, p, least)
		}
	}
}
