package printform

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// face is one embedded TrueType font, parsed once per process and then
// shared, read-only, by every document: its character map and widths, the
// values of its PDF font descriptor, and the raw tables a subset is cut
// from (see subset).
type face struct {
	name string // PostScript name, e.g. "DejaVuSans-Bold"
	upem int
	// runes maps each character of the Basic Multilingual Plane (the only
	// plane the layout draws, see nfc) to its glyph and its width in
	// thousandths of the em, rounded as the layout measures it.
	runes [0x10000]glyphWidth

	// Values of the PDF font descriptor, in thousandths of the em.
	ascent, descent, capHeight, flags, italicAngle, stemV int
	bbox                                                  [4]int
	missingWidth                                          int // width of .notdef, drawn for characters the font lacks

	// Raw tables.
	head, hhea, maxp, hmtx, glyf []byte
	loca                         []uint32 // numGlyphs+1 offsets into glyf
	numHMetrics                  int
}

type glyphWidth struct {
	gid   uint16 // 0: the font lacks the character
	width uint16 // thousandths of the em
}

// The three faces of the family, parsed at their first use.
var faces = [3]struct {
	once sync.Once
	face *face
	err  error
	data *[]byte
}{{data: &fontRegular}, {data: &fontBold}, {data: &fontItalic}}

// styleIndex is the index in faces of style "", "B" or "I".
func styleIndex(style string) int {
	switch style {
	case "B":
		return 1
	case "I":
		return 2
	}
	return 0
}

// faceOf returns the parsed face of style "", "B" or "I".
func faceOf(style int) (*face, error) {
	f := &faces[style]
	f.once.Do(func() { f.face, f.err = parseFace(*f.data) })
	return f.face, f.err
}

// width is the width of r in thousandths of the em, as the layout counts it:
// a character the font lacks counts as .notdef.
func (f *face) width(r rune) int {
	if r < 0 || r > 0xFFFF {
		return f.missingWidth
	}
	g := f.runes[r]
	if g.gid == 0 {
		return f.missingWidth
	}
	return int(g.width)
}

// glyph returns the glyph of r, 0 (.notdef) if the font lacks it.
func (f *face) glyph(r rune) uint16 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	return f.runes[r].gid
}

// glyphAdvance is the advance width of glyph g in font units.
func (f *face) glyphAdvance(g uint16) int {
	i := min(int(g), f.numHMetrics-1)
	return int(binary.BigEndian.Uint16(f.hmtx[4*i:]))
}

// glyphLSB is the left side bearing of glyph g in font units.
func (f *face) glyphLSB(g uint16) uint16 {
	if int(g) < f.numHMetrics {
		return binary.BigEndian.Uint16(f.hmtx[4*int(g)+2:])
	}
	return binary.BigEndian.Uint16(f.hmtx[4*f.numHMetrics+2*(int(g)-f.numHMetrics):])
}

// thousandths converts font units to thousandths of the em, rounded.
func (f *face) thousandths(units int) int {
	return int(math.Round(1000 * float64(units) / float64(f.upem)))
}

var errFont = errors.New("printform: malformed embedded font")

// parseFace reads a TrueType font: the character map through sfnt, the
// rest from the raw tables.
func parseFace(data []byte) (*face, error) {
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("printform: embedded font: %w", err)
	}
	var buf sfnt.Buffer
	f := &face{}
	if f.name, err = sf.Name(&buf, sfnt.NameIDPostScript); err != nil {
		return nil, fmt.Errorf("printform: embedded font: %w", err)
	}
	tables, err := tableDirectory(data)
	if err != nil {
		return nil, err
	}
	for tag, dst := range map[string]*[]byte{"head": &f.head, "hhea": &f.hhea, "maxp": &f.maxp, "hmtx": &f.hmtx, "glyf": &f.glyf} {
		*dst = tables[tag]
	}
	if len(f.head) < 54 || len(f.hhea) < 36 || len(f.maxp) < 6 || tables["loca"] == nil || f.glyf == nil {
		return nil, errFont
	}
	be := binary.BigEndian
	f.upem = int(be.Uint16(f.head[18:]))
	numGlyphs := int(be.Uint16(f.maxp[4:]))
	f.numHMetrics = int(be.Uint16(f.hhea[34:]))
	if f.upem == 0 || f.numHMetrics == 0 || f.numHMetrics > numGlyphs || len(f.hmtx) < 4*f.numHMetrics+2*(numGlyphs-f.numHMetrics) {
		return nil, errFont
	}
	loca := tables["loca"]
	f.loca = make([]uint32, numGlyphs+1)
	long := be.Uint16(f.head[50:]) == 1
	for i := range f.loca {
		switch {
		case long && len(loca) >= 4*i+4:
			f.loca[i] = be.Uint32(loca[4*i:])
		case !long && len(loca) >= 2*i+2:
			f.loca[i] = 2 * uint32(be.Uint16(loca[2*i:]))
		default:
			return nil, errFont
		}
		if f.loca[i] > uint32(len(f.glyf)) || i > 0 && f.loca[i] < f.loca[i-1] {
			return nil, errFont
		}
	}

	// The font descriptor, computed as fpdf did so that nothing moves:
	// hhea ascender and descender, OS/2 cap height (version 2 and later)
	// or the ascent, head bounding box, post italic angle, and StemV from
	// the OS/2 weight class.
	scale := 1000 / float64(f.upem)
	i16 := func(b []byte, at int) float64 { return float64(int16(be.Uint16(b[at:]))) }
	f.ascent, f.descent = int(i16(f.hhea, 4)*scale), int(i16(f.hhea, 6)*scale)
	f.capHeight = f.ascent
	for i := range f.bbox {
		f.bbox[i] = int(i16(f.head, 36+2*i) * scale)
	}
	weight := 500
	if os2 := tables["OS/2"]; len(os2) >= 72 {
		weight = int(be.Uint16(os2[4:]))
		if be.Uint16(os2) > 1 && len(os2) >= 90 {
			f.capHeight = int(i16(os2, 88) * scale)
		}
	}
	f.stemV = 50 + int(math.Pow(float64(weight)/65, 2))
	f.flags = 4 // symbolic: the glyphs are chosen by CIDToGIDMap, not by a standard encoding
	if post := tables["post"]; len(post) >= 16 {
		f.italicAngle = int(i16(post, 4))
		if f.italicAngle != 0 {
			f.flags |= 64
		}
		if be.Uint32(post[12:]) != 0 {
			f.flags |= 1
		}
	}
	if weight >= 600 {
		f.flags |= 262144
	}
	f.missingWidth = f.thousandths(f.glyphAdvance(0))

	for r := range f.runes {
		g, err := sf.GlyphIndex(&buf, rune(r))
		if err != nil || g == 0 || int(g) >= numGlyphs {
			continue
		}
		f.runes[r] = glyphWidth{uint16(g), uint16(f.thousandths(f.glyphAdvance(uint16(g))))}
	}
	return f, nil
}

// tableDirectory returns the tables of a TrueType font by tag.
func tableDirectory(data []byte) (map[string][]byte, error) {
	be := binary.BigEndian
	if len(data) < 12 {
		return nil, errFont
	}
	n := int(be.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errFont
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		e := data[12+16*i:]
		off, length := be.Uint32(e[8:]), be.Uint32(e[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, errFont
		}
		tables[string(e[:4])] = data[off : off+length : off+length]
	}
	return tables, nil
}

// Flags of a composite glyph's components (OpenType glyf table).
const (
	argsAreWords     = 0x0001
	weHaveAScale     = 0x0008
	moreComponents   = 0x0020
	weHaveXYScale    = 0x0040
	weHaveTwoByTwo   = 0x0080
	weHaveInstrs     = 0x0100
	componentHeader  = 4 // flags, glyphIndex
	glyphHeaderBytes = 10
)

// glyphData returns the outline of glyph g.
func (f *face) glyphData(g uint16) []byte {
	return f.glyf[f.loca[g]:f.loca[g+1]]
}

// components calls fn with the byte offset, in the data of a composite
// glyph, of each component's flags (the glyph index follows them), and
// returns the offset where the components end; for a simple or empty glyph
// it returns 0. It stops at malformed data.
func components(data []byte, fn func(at int)) int {
	if len(data) < glyphHeaderBytes || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return 0
	}
	at := glyphHeaderBytes
	for at+componentHeader <= len(data) {
		flags := binary.BigEndian.Uint16(data[at:])
		fn(at)
		at += componentHeader + 2
		if flags&argsAreWords != 0 {
			at += 2
		}
		switch {
		case flags&weHaveAScale != 0:
			at += 2
		case flags&weHaveXYScale != 0:
			at += 4
		case flags&weHaveTwoByTwo != 0:
			at += 8
		}
		if flags&moreComponents == 0 {
			return min(at, len(data))
		}
	}
	return len(data)
}

// appendUnhinted appends the outline of glyph g without its TrueType
// instructions (hinting): a simple glyph keeps an empty instruction
// array; a composite one loses the instructions after its components and
// the flag announcing them, and its component glyph indices are mapped by
// newID.
func (f *face) appendUnhinted(out []byte, g uint16, newID subsetGlyphs) []byte {
	be := binary.BigEndian
	data := f.glyphData(g)
	if len(data) < glyphHeaderBytes {
		return out
	}
	start := len(out)
	if n := int(int16(be.Uint16(data))); n >= 0 {
		at := glyphHeaderBytes + 2*n
		if at+2 > len(data) {
			return out
		}
		skip := int(be.Uint16(data[at:]))
		if at+2+skip > len(data) {
			return out
		}
		out = append(out, data[:at]...)
		out = append(out, 0, 0)
		return append(out, data[at+2+skip:]...)
	}
	out = append(out, data...)
	end := components(out[start:], func(at int) {
		at += start
		be.PutUint16(out[at:], be.Uint16(out[at:])&^weHaveInstrs)
		be.PutUint16(out[at+2:], newID.id(be.Uint16(out[at+2:])))
	})
	return out[:start+end]
}

// subset returns a TrueType font holding .notdef and the given glyphs
// (with the components of composite ones), renumbered in the order of
// their numbers in the full font, and the number in the subset of each
// glyph of the full font it holds. It has the tables a PDF reader needs of
// an embedded TrueType font (ISO 32000-1 §9.9, Table 126): glyf, loca,
// hmtx, head, hhea and maxp, and no others: no cmap (glyphs are chosen by
// CIDToGIDMap) and no hinting (the instructions of the glyphs and the cvt,
// fpgm and prep tables they use: more than half the bytes of DejaVu's
// Latin glyphs, and only of use to screens at small sizes, where viewers
// hint by themselves).
func (f *face) subset(used []uint16) ([]byte, subsetGlyphs) {
	be := binary.BigEndian
	seen := make([]bool, len(f.loca)-1)
	glyphs := make([]uint16, 0, len(used)+32)
	add := func(g uint16) {
		if int(g) < len(seen) && !seen[g] {
			seen[g] = true
			glyphs = append(glyphs, g)
		}
	}
	add(0)
	for _, g := range used {
		add(g)
	}
	for i := 0; i < len(glyphs); i++ { // the list grows by the components
		data := f.glyphData(glyphs[i])
		components(data, func(at int) { add(be.Uint16(data[at+2:])) })
	}
	slices.Sort(glyphs)
	newID := subsetGlyphs(glyphs)

	// glyf and loca (short offsets: glyphs padded to even lengths).
	size := 0
	for _, g := range glyphs {
		size += len(f.glyphData(g)) + 1
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 0, 2*(len(glyphs)+1))
	for _, g := range glyphs {
		loca = be.AppendUint16(loca, uint16(len(glyf)/2))
		glyf = f.appendUnhinted(glyf, g, newID)
		if len(glyf)%2 != 0 {
			glyf = append(glyf, 0)
		}
	}
	loca = be.AppendUint16(loca, uint16(len(glyf)/2))
	if len(glyf) >= 1<<17 {
		panic("printform: font subset too large") // some 1000 glyphs; a document uses a hundred
	}
	hmtx := make([]byte, 0, 4*len(glyphs))
	for _, g := range glyphs {
		hmtx = be.AppendUint16(hmtx, uint16(f.glyphAdvance(g)))
		hmtx = be.AppendUint16(hmtx, f.glyphLSB(g))
	}
	head := slices.Clone(f.head)
	be.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	be.PutUint16(head[50:], 0) // indexToLocFormat: short
	hhea := slices.Clone(f.hhea)
	be.PutUint16(hhea[34:], uint16(len(glyphs)))
	maxp := slices.Clone(f.maxp)
	be.PutUint16(maxp[4:], uint16(len(glyphs)))

	tables := [...]struct {
		tag  string
		data []byte
	}{{"glyf", glyf}, {"head", head}, {"hhea", hhea}, {"hmtx", hmtx}, {"loca", loca}, {"maxp", maxp}} // sorted by tag
	const n, sel = len(tables), 2 // entrySelector: log2 of the largest power of two ≤ n
	total := 12 + 16*n
	for _, t := range tables {
		total += (len(t.data) + 3) &^ 3
	}
	out := make([]byte, 12+16*n, total)
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], 16<<sel)
	be.PutUint16(out[8:], sel)
	be.PutUint16(out[10:], uint16(16*n-16<<sel))
	headAt := 0
	for i, t := range tables {
		e := out[12+16*i:]
		copy(e, t.tag)
		be.PutUint32(e[4:], checksum(t.data))
		be.PutUint32(e[8:], uint32(len(out)))
		be.PutUint32(e[12:], uint32(len(t.data)))
		if t.tag == "head" {
			headAt = len(out)
		}
		out = append(out, t.data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out, newID
}

// subsetGlyphs are the glyphs of a subset, by their numbers in the full
// font, sorted: a glyph's number in the subset is its index.
type subsetGlyphs []uint16

// id is the number in the subset of glyph g of the full font, 0 (.notdef)
// if the subset lacks it.
func (s subsetGlyphs) id(g uint16) uint16 {
	i, ok := slices.BinarySearch(s, g)
	if !ok {
		return 0
	}
	return uint16(i)
}

// checksum is the TrueType table checksum: the sum of its big-endian
// 32-bit words, the last one padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}
