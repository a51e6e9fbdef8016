package synth

import (
	"math/bits"
	"strconv"
)

// rng is a SplitMix64 generator: tiny, fast, and defined here (not in
// math/rand) so that the output stays byte-identical across Go releases.
type rng struct{ s uint64 }

// mix is SplitMix64's finaliser, also used to derive per-prefix constants.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// intn returns a number in [0, n) (n > 0) by Lemire's multiply-high; the
// bias, below n/2⁶⁴, does not matter here.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.next()>>11 < uint64(p*(1<<53)) }

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// skewed returns a number in [lo, hi] skewed towards lo (density falling
// linearly), for areas, house numbers and the like.
func (r *rng) skewed(lo, hi int) int {
	u := r.float()
	return lo + int(u*u*float64(hi-lo+1))
}

// weighted picks values by weight. The weights need not sum to anything:
// they are scaled to 2⁵³. Tables are small (at most a few hundred rows), so
// a linear scan over the cumulative weights, heaviest first where it
// matters, is as fast as anything cleverer.
type weighted[T any] struct {
	cum  []uint64
	vals []T
}

func newWeighted[T any](vals []T, weights []float64) weighted[T] {
	if len(vals) != len(weights) || len(vals) == 0 {
		panic("synth: weighted table with mismatched or no rows")
	}
	total := 0.0
	for _, w := range weights {
		total += w
	}
	w := weighted[T]{cum: make([]uint64, len(vals)), vals: vals}
	acc := 0.0
	for i, x := range weights {
		acc += x
		w.cum[i] = uint64(acc / total * (1 << 53))
	}
	w.cum[len(w.cum)-1] = 1 << 53
	return w
}

// row is one value of a weighted table and its weight.
type row[T any] struct {
	v T
	w float64
}

// table builds a weighted table from rows.
func table[T any](rows ...row[T]) weighted[T] {
	vals := make([]T, len(rows))
	ws := make([]float64, len(rows))
	for i, r := range rows {
		vals[i], ws[i] = r.v, r.w
	}
	return newWeighted(vals, ws)
}

// uniform builds a table of equally likely values.
func uniform[T any](vals ...T) weighted[T] {
	ws := make([]float64, len(vals))
	for i := range ws {
		ws[i] = 1
	}
	return newWeighted(vals, ws)
}

func (w *weighted[T]) pick(r *rng) T {
	x := r.next() >> 11
	cum := w.cum
	if len(cum) > 32 {
		lo, hi := 0, len(cum)-1
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if x < cum[m] {
				hi = m
			} else {
				lo = m + 1
			}
		}
		return w.vals[lo]
	}
	for i, c := range cum {
		if x < c {
			return w.vals[i]
		}
	}
	return w.vals[len(w.vals)-1]
}

// Dates are handled as day numbers since 1970-01-01 (the proleptic
// Gregorian calendar, Howard Hinnant's algorithms): cheaper than time.Time
// in the hot path.

// dayOf returns the day number of a civil date.
func dayOf(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400 // years here are ≥ 1900
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil returns the date of a day number (≥ 1900-01-01).
func civil(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// yearOf returns the year of a day number.
func yearOf(z int) int {
	y, _, _ := civil(z)
	return y
}

// appendDate appends a day number as YYYY-MM-DD.
func appendDate(b []byte, z int) []byte {
	y, m, d := civil(z)
	b = appendPad(b, uint64(y), 4)
	b = append(b, '-')
	b = appendPad(b, uint64(m), 2)
	b = append(b, '-')
	return appendPad(b, uint64(d), 2)
}

// appendPad appends v in decimal, zero-padded to width digits.
func appendPad(b []byte, v uint64, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || len(tmp)-i < width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, tmp[i:]...)
}

// appendTenths appends a number of tenths as a decimal with a dot
// ("123.4"; "123" when the tenths are zero).
func appendTenths(b []byte, tenths int) []byte {
	b = strconv.AppendInt(b, int64(tenths/10), 10)
	if t := tenths % 10; t != 0 {
		b = append(b, '.', byte('0'+t))
	}
	return b
}

// perm is a bijection of [0, n), n an even power of ten: an affine map
// i ↦ (i·a + b) mod n with gcd(a, n) = 1, then four rounds of a balanced
// Feistel network on the two halves of the digits, so that consecutive
// counters give unrelated-looking numbers. Counting i up gives numbers
// that never repeat, without remembering any of them.
type perm struct {
	a, b, n, half uint64
	keys          [4]uint64
}

// newPerm derives a bijection of [0, n) from a hash h; n must be 10^(2k).
func newPerm(h, n uint64) perm {
	half := uint64(1)
	for half*half < n {
		half *= 10
	}
	if half*half != n {
		panic("synth: perm size is not an even power of ten")
	}
	a := mix(h) % n
	a |= 1 // odd, and not a multiple of 5:
	if a%5 == 0 {
		a = (a + 2) % n
	}
	p := perm{a: a, b: mix(h^0x5bd1e995) % n, n: n, half: half}
	for i := range p.keys {
		p.keys[i] = mix(h + uint64(i+1)*0x9e3779b97f4a7c15)
	}
	return p
}

// at returns the i-th number; i, a < n ≤ 10⁸, so i·a cannot overflow.
func (p perm) at(i uint64) uint64 {
	x := (i*p.a + p.b) % p.n
	l, r := x/p.half, x%p.half
	for _, k := range p.keys {
		l, r = r, (l+mix(r^k)%p.half)%p.half
	}
	return l*p.half + r
}
