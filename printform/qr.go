package printform

import (
	"errors"
	"fmt"
	"math/bits"
	"sync"

	"rsc.io/qr/coding"
)

// qrQuiet is the quiet zone drawn around a QR code, in modules.
const qrQuiet = 2

// qrScale is the number of pixels per module: four, as in the PNG image
// drawn before. With one, the image is smaller, but viewers smooth images
// they enlarge less than some factor (poppler: four times), and a QR code
// on a screen at 100–150 dpi then blurs past reading.
const qrScale = 4

// qrImage encodes content as a QR code (error correction level M, byte
// mode, the smallest version that holds it, the mask of least penalty) and
// returns it as the samples of a 1-bit grey image, black 0, of qrScale
// pixels per module and a two-module quiet zone, and its side in pixels.
func qrImage(content string) ([]byte, int, error) {
	dark, n, err := qrEncode(content)
	if err != nil {
		return nil, 0, fmt.Errorf("printform: QR code of the look-up URL: %w", err)
	}
	side := (n + 2*qrQuiet) * qrScale
	stride := (side + 7) / 8
	img := make([]byte, stride*side)
	for i := range img {
		img[i] = 0xff
	}
	for y := range n {
		row := img[(y+qrQuiet)*qrScale*stride:]
		for x, d := range dark[y*n : (y+1)*n] {
			if d != 0 {
				for px := (x + qrQuiet) * qrScale; px < (x+qrQuiet+1)*qrScale; px++ {
					row[px/8] &^= 0x80 >> (px % 8)
				}
			}
		}
		for i := 1; i < qrScale; i++ {
			copy(row[i*stride:(i+1)*stride], row[:stride])
		}
	}
	return img, side, nil
}

// qrEncode encodes text and returns its modules, row by row (1 dark), and
// the side n of the symbol.
//
// rsc.io/qr encodes with the mask it is given (its own Encode always takes
// mask 0); ISO/IEC 18004 §7.8.3 asks for the mask of least penalty. The
// symbol is encoded once, with mask 0, and each other mask's symbol is
// that one with the modules where the two masks' plans differ flipped:
// data and check modules differ by the mask patterns, format modules by
// the mask number, the others not at all.
func qrEncode(text string) ([]byte, int, error) {
	enc := coding.String(text)
	if err := enc.Check(); err != nil {
		return nil, 0, err
	}
	v := coding.Version(coding.MinVersion)
	for ; v <= coding.MaxVersion; v++ {
		if enc.Bits(v) <= v.DataBytes(coding.M)*8 {
			break
		}
	}
	if v > coding.MaxVersion {
		return nil, 0, errors.New("text too long to encode as QR")
	}
	qv, err := qrPlans(v)
	if err != nil {
		return nil, 0, err
	}
	code, err := qv.plan.Encode(enc)
	if err != nil {
		return nil, 0, err
	}
	n := code.Size
	base := make([]byte, n*n)
	for y := range n {
		for x := range n {
			if code.Black(x, y) {
				base[y*n+x] = 1
			}
		}
	}
	best, bestPenalty := make([]byte, n*n), -1
	masked := make([]byte, n*n)
	for _, delta := range qv.delta {
		for i, d := range delta {
			masked[i] = base[i] ^ d
		}
		if p := qrPenalty(masked, n); bestPenalty < 0 || p < bestPenalty {
			best, masked, bestPenalty = masked, best, p
		}
	}
	return best, n, nil
}

// qrVersion is what encoding at one version needs, made once: the plan
// with mask 0 and, for each mask, the modules where its plan differs from
// that one.
type qrVersion struct {
	plan  *coding.Plan
	delta [8][]byte
}

var qrVersions sync.Map // coding.Version → *qrVersion

func qrPlans(v coding.Version) (*qrVersion, error) {
	if qv, ok := qrVersions.Load(v); ok {
		return qv.(*qrVersion), nil
	}
	qv := &qrVersion{}
	for mask := range qv.delta {
		p, err := coding.NewPlan(v, coding.M, coding.Mask(mask))
		if err != nil {
			return nil, err
		}
		if mask == 0 {
			qv.plan = p
		}
		n := len(p.Pixel)
		d := make([]byte, n*n)
		for y, row := range p.Pixel {
			for x, pix := range row {
				if (pix^qv.plan.Pixel[y][x])&coding.Black != 0 {
					d[y*n+x] = 1
				}
			}
		}
		qv.delta[mask] = d
	}
	got, _ := qrVersions.LoadOrStore(v, qv)
	return got.(*qrVersion), nil
}

// qrPenalty scores the modules of a masked symbol (n by n, row by row, 1
// dark) by the four rules of ISO/IEC 18004 §7.8.3.1: runs of five or more
// modules of one colour in a row or column (N1 = 3, plus 1 per module
// beyond five), 2×2 blocks of one colour (N2 = 3 each), 1:1:3:1:1
// finder-like patterns with four light modules on one side, outside the
// symbol counting as light (N3 = 40 each), and the deviation of the dark
// proportion from half (N4 = 10 per 5 %).
func qrPenalty(m []byte, n int) int {
	if n <= qrBitsMax {
		return qrPenaltyBits(m, n)
	}
	return qrPenaltySlow(m, n)
}

// qrPenaltySlow is qrPenalty module by module, for any size.
func qrPenaltySlow(m []byte, n int) int {
	const (
		pattern  = 0b1011101_0000 // the pattern, then four light modules
		reversed = 0b0000_1011101
		window   = 1<<11 - 1
	)
	penalty, count := 0, 0
	for line := range n {
		for _, dir := range [2]struct{ start, step int }{{line * n, 1}, {line, n}} {
			run, bits, prev := 0, 0, byte(2)
			for i := range n + 4 {
				var d byte
				if i < n {
					d = m[dir.start+i*dir.step]
					if d == prev {
						run++
						if run == 5 {
							penalty += 3
						} else if run > 5 {
							penalty++
						}
					} else {
						run, prev = 1, d
					}
				}
				bits = (bits<<1 | int(d)) & window
				if bits == pattern || bits == reversed {
					penalty += 40
				}
			}
		}
	}
	for y := range n {
		row := m[y*n : (y+1)*n]
		for x, d := range row {
			count += int(d)
			if y+1 < n && x+1 < n && row[x+1] == d && m[(y+1)*n+x] == d && m[(y+1)*n+x+1] == d {
				penalty += 3
			}
		}
	}
	return penalty + qrBalance(count, n)
}

// qrBalance is rule N4.
func qrBalance(dark, n int) int {
	dev := dark*100/(n*n) - 50
	if dev < 0 {
		dev = -dev
	}
	return dev / 5 * 10
}

// qrBitsMax is the largest side qrPenaltyBits takes: lines of modules
// held in 64 bits with four light modules on either side (up to version
// 8, some 150 bytes of URL).
const qrBitsMax = 64 - 2*4 - 7

// qrPenaltyBits is qrPenalty on lines of modules held as bits, 64 at a
// time: module x of a line is bit x+4, the bits around being light.
func qrPenaltyBits(m []byte, n int) int {
	var rows, cols [qrBitsMax]uint64
	dark := 0
	for y := range n {
		for x, d := range m[y*n : (y+1)*n] {
			if d != 0 {
				rows[y] |= 1 << (x + 4)
				cols[x] |= 1 << (y + 4)
				dark++
			}
		}
	}
	inside := (uint64(1)<<n - 1) << 4 // the bits of the modules of a line
	penalty := 0
	line := func(a uint64) {
		// N1: same[x] when modules x and x+1 match; five in a run where
		// four sames follow one another. A run of length L ≥ 5 has L-4
		// such starts and scores 3 + (L-5) = (L-4) + 2.
		same := ^(a ^ (a >> 1)) & inside & (inside >> 1)
		five := same & (same >> 1) & (same >> 2) & (same >> 3)
		penalty += bits.OnesCount64(five) + 2*bits.OnesCount64(five&^(five<<1))
		// N3: 1011101 starting at bit i (bit i first), light i-4…i-1 or
		// i+7…i+10.
		l := ^a
		p := a & (l >> 1) & (a >> 2) & (a >> 3) & (a >> 4) & (l >> 5) & (a >> 6)
		after := (l >> 7) & (l >> 8) & (l >> 9) & (l >> 10)
		before := (l << 1) & (l << 2) & (l << 3) & (l << 4)
		penalty += 40 * (bits.OnesCount64(p&after) + bits.OnesCount64(p&before))
	}
	for i := range n {
		line(rows[i])
		line(cols[i])
	}
	// N2: a 2×2 block at x when rows y and y+1 match there and at x+1.
	for y := 0; y+1 < n; y++ {
		a, b := rows[y], rows[y+1]
		same := ^(a ^ b) & ^(a ^ (a >> 1)) & ^(b ^ (b >> 1)) & inside & (inside >> 1)
		penalty += 3 * bits.OnesCount64(same)
	}
	return penalty + qrBalance(dark, n)
}
