package printform

import (
	"math/rand/v2"
	"testing"
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
