package printform

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/klauspost/compress/zlib"
)

// pdfDoc is the canvas the documents are drawn on: a PDF writer for what
// the forms need (text in the embedded faces, lines, rectangles, a QR code
// and its link, several pages).
//
// It draws as fpdf, which it replaced, did: the same coordinates, text
// placed at the same points, the same widths to the thousandth of an em,
// so the layout and the extracted text do not change. What it does not do
// is parse and subset the whole TrueType font for every document: faces
// are parsed once per process, and each document embeds, per face, a
// subset of just the glyphs it draws, without hinting.
//
// Text is shown with Identity-H, each character's CID being its code point
// (as fpdf did): CIDToGIDMap maps it to its glyph in the subset and
// ToUnicode back to the character, so extracted text is what was drawn.
// All that a font's objects hold follows from the set of characters it
// shows, so they are kept, compressed, in a cache keyed by that set
// (fontObjectsOf): documents of one kind mostly draw the same characters.
type pdfDoc struct {
	k          float64 // points per millimetre
	wPt, hPt   float64 // page size, points
	w, h       float64 // page size, millimetres
	pages      []*pdfPage
	page       *pdfPage
	fonts      [3]*fontUse // by styleIndex, nil until used
	font       *fontUse    // the current font
	fontSizePt float64
	fontSize   float64 // millimetres
	footer     func()
	image      *pdfImage
	title      string
	created    time.Time
	err        error
}

type pdfPage struct {
	content []byte
	links   []pdfLink
	font    *fontUse // the font and size last selected in content
	size    float64
}

type pdfLink struct {
	rect [4]float64 // points
	url  string
}

type pdfImage struct {
	side    int // pixels
	samples []byte
}

// lineWidth is the width of lines, mm.
const lineWidth = 0.2

// newPDF starts a document of A4 pages, landscape or portrait, with its
// title and date (of creation and modification, for determinism).
func newPDF(landscape bool, title string, created time.Time) *pdfDoc {
	d := &pdfDoc{k: 72.0 / 25.4, wPt: 595.28, hPt: 841.89, title: title, created: created}
	if landscape {
		d.wPt, d.hPt = d.hPt, d.wPt
	}
	d.w, d.h = d.wPt/d.k, d.hPt/d.k
	return d
}

func (d *pdfDoc) pageSize() (w, h float64) { return d.w, d.h }
func (d *pdfDoc) pageNo() int              { return len(d.pages) }
func (d *pdfDoc) setFooter(f func())       { d.footer = f }

// addPage ends the current page (drawing its footer) and starts another.
func (d *pdfDoc) addPage() {
	if d.page != nil && d.footer != nil {
		d.footer()
	}
	d.page = &pdfPage{content: make([]byte, 0, 8<<10)}
	d.pages = append(d.pages, d.page)
	d.page.content = append(f2(d.page.content, lineWidth*d.k), " w\n"...)
}

// fontUse is a face as used by one document: the characters it shows.
type fontUse struct {
	face  *face
	index int       // in the resource names /F1, /F2, /F3
	ascii [2]uint64 // characters below 128, by bit
	other map[rune]bool
	all   []rune // once the document is drawn: the characters to embed, sorted
}

func (u *fontUse) use(r rune) {
	if r < 128 {
		u.ascii[r>>6] |= 1 << (r & 63)
	} else if !u.other[r] {
		u.other[r] = true
	}
}

// runes returns the characters shown and those always embedded, in order,
// once the document is drawn.
func (u *fontUse) runes() []rune {
	if u.all != nil {
		return u.all
	}
	out := make([]rune, 0, 64+len(u.other))
	for _, r := range alwaysEmbedded {
		u.use(r)
	}
	for r := range rune(128) {
		if u.ascii[r>>6]&(1<<(r&63)) != 0 {
			out = append(out, r)
		}
	}
	start := len(out)
	for r := range u.other {
		out = append(out, r)
	}
	slices.Sort(out[start:])
	u.all = out
	return out
}

// alwaysEmbedded are characters embedded whether drawn or not: codes,
// dates and the verification link's identifier vary by them, and the font
// objects are cached by the set of characters.
const alwaysEmbedded = "0123456789abcdef"

func (d *pdfDoc) setFont(style string, size float64) {
	i := styleIndex(style)
	if d.fonts[i] == nil {
		f, err := faceOf(i)
		if err != nil {
			d.err = err
			f = &face{}
		}
		d.fonts[i] = &fontUse{face: f, index: i + 1, other: map[rune]bool{}}
	}
	d.font = d.fonts[i]
	d.fontSizePt, d.fontSize = size, size/d.k
}

func (d *pdfDoc) stringWidth(s string) float64 {
	w := 0
	f := d.font.face
	for _, r := range s {
		w += f.width(r)
	}
	return float64(w) * d.fontSize / 1000
}

// text places s as fpdf's CellFormat did: vertically at the middle of the
// cell less 0.3 of the font size, the baseline.
func (d *pdfDoc) text(x, y, w, h float64, s, align string) {
	if s == "" {
		return
	}
	dx := cellMargin
	switch align {
	case "R":
		dx = w - cellMargin - d.stringWidth(s)
	case "C":
		dx = (w - d.stringWidth(s)) / 2
	}
	p := d.page
	b := append(p.content, "BT "...)
	if p.font != d.font || p.size != d.fontSizePt {
		p.font, p.size = d.font, d.fontSizePt
		b = append(b, "/F"...)
		b = strconv.AppendInt(b, int64(d.font.index), 10)
		b = append(b, ' ')
		b = append(f2(b, d.fontSizePt), " Tf "...)
	}
	b = append(f2(b, (x+dx)*d.k), ' ')
	b = append(f2(b, (d.h-(y+.5*h+.3*d.fontSize))*d.k), " Td ("...)
	for _, r := range s {
		if r > 0xFFFF { // nfc replaces them: two-byte CIDs
			r = '\uFFFD'
		}
		d.font.use(r)
		b = appendEscaped(appendEscaped(b, byte(r>>8)), byte(r))
	}
	p.content = append(b, ") Tj ET\n"...)
}

// appendEscaped appends c to a literal string: the two bytes of each CID
// as they are, but for the delimiters, the backslash and CR (which a
// reader would take for an end of line), escaped.
func appendEscaped(b []byte, c byte) []byte {
	switch c {
	case '(', ')', '\\':
		return append(b, '\\', c)
	case '\r':
		return append(b, '\\', 'r')
	}
	return append(b, c)
}

const hexDigits = "0123456789ABCDEF"

// f2 appends v with two decimals, as fpdf wrote coordinates.
func f2(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'f', 2, 64)
}

func (d *pdfDoc) line(x1, y1, x2, y2 float64) {
	b := append(f2(d.page.content, x1*d.k), ' ')
	b = append(f2(b, (d.h-y1)*d.k), " m "...)
	b = append(f2(b, x2*d.k), ' ')
	d.page.content = append(f2(b, (d.h-y2)*d.k), " l S\n"...)
}

func (d *pdfDoc) rect(x, y, w, h float64) {
	b := append(f2(d.page.content, x*d.k), ' ')
	b = append(f2(b, (d.h-y)*d.k), ' ')
	b = append(f2(b, w*d.k), ' ')
	d.page.content = append(f2(b, -h*d.k), " re S\n"...)
}

// qrCode draws the QR code as a 1-bit image (a document has one) and makes
// it a link.
func (d *pdfDoc) qrCode(url string, x, y, size float64) error {
	samples, side, err := qrImage(url)
	if err != nil {
		return err
	}
	d.image = &pdfImage{side: side, samples: samples}
	b := append(d.page.content, "q "...)
	b = append(strconv.AppendFloat(b, size*d.k, 'f', 5, 64), " 0 0 "...)
	b = append(strconv.AppendFloat(b, size*d.k, 'f', 5, 64), ' ')
	b = append(strconv.AppendFloat(b, x*d.k, 'f', 5, 64), ' ')
	b = append(strconv.AppendFloat(b, (d.h-(y+size))*d.k, 'f', 5, 64), " cm /Im1 Do Q\n"...)
	d.page.content = b
	d.page.links = append(d.page.links, pdfLink{[4]float64{x * d.k, d.hPt - (y+size)*d.k, (x + size) * d.k, d.hPt - y*d.k}, url})
	return nil
}

// The zlib writers of FlateDecode streams, reused (klauspost/compress:
// the standard library's sizes at half to two thirds of its CPU):
// zlibCached at level 7 for the font programs, made once for a set of
// characters and cached (the standard library's default size); zlibDoc at
// level 5 for what is made for every document (the page contents, the
// object stream, the image), some 300 bytes less than the fastest level
// for the same CPU; zlibZeros at the fastest for the CIDToGIDMaps, long
// runs of zeros that it packs as well.
var (
	zlibCached = zlibPool(7)
	zlibDoc    = zlibPool(5)
	zlibZeros  = zlibPool(zlib.BestSpeed)
)

func zlibPool(level int) *sync.Pool {
	return &sync.Pool{New: func() any {
		w, _ := zlib.NewWriterLevel(nil, level)
		return w
	}}
}

// objWriter writes the numbered objects of a PDF: streams in the file,
// the other objects (dictionaries, small) in one object stream, compressed
// together (PDF 1.5); a cross-reference stream locates them all.
type objWriter struct {
	buf     bytes.Buffer
	xref    []xrefEntry // by object number; 0 free
	stm     []byte      // the objects of the object stream
	stmHead []byte      // their numbers and offsets in stm
	stmN    int
	z       *zlib.Writer
}

// xrefEntry locates an object: at offset in the file (inStm false), or as
// the index-th object of the object stream.
type xrefEntry struct {
	inStm  bool
	offset int
}

func (o *objWriter) locate(num int, e xrefEntry) {
	for len(o.xref) <= num {
		o.xref = append(o.xref, xrefEntry{})
	}
	o.xref[num] = e
}

// begin starts an object written in the file.
func (o *objWriter) begin(num int) {
	o.locate(num, xrefEntry{offset: o.buf.Len()})
	o.buf.WriteString(strconv.Itoa(num))
	o.buf.WriteString(" 0 obj\n")
}

// object puts an object of body parts in the object stream.
func (o *objWriter) object(num int, body ...string) {
	o.locate(num, xrefEntry{inStm: true, offset: o.stmN})
	o.stmN++
	o.stmHead = strconv.AppendInt(o.stmHead, int64(num), 10)
	o.stmHead = append(o.stmHead, ' ')
	o.stmHead = strconv.AppendInt(o.stmHead, int64(len(o.stm)), 10)
	o.stmHead = append(o.stmHead, ' ')
	for _, s := range body {
		o.stm = append(o.stm, s...)
	}
	o.stm = append(o.stm, '\n')
}

// plainObject writes an object of body parts in the file.
func (o *objWriter) plainObject(num int, body ...string) {
	o.begin(num)
	for _, s := range body {
		o.buf.WriteString(s)
	}
	o.buf.WriteString("\nendobj\n")
}

// stream writes a stream object, FlateDecode-compressed when compress, with
// the extra dictionary entries dict.
func (o *objWriter) stream(num int, dict string, data []byte, compress bool) {
	o.begin(num)
	o.buf.WriteString("<<")
	o.buf.WriteString(dict)
	if !compress {
		o.buf.WriteString("/Length ")
		o.buf.WriteString(strconv.Itoa(len(data)))
		o.buf.WriteString(">>\nstream\n")
		o.buf.Write(data)
	} else {
		// The length is known after compressing in place: reserve ten
		// digits, then close the gap.
		o.buf.WriteString("/Filter /FlateDecode /Length ")
		at := o.buf.Len()
		o.buf.WriteString("0000000000>>\nstream\n")
		start := o.buf.Len()
		if o.z == nil {
			o.z = zlibDoc.Get().(*zlib.Writer)
		}
		o.z.Reset(&o.buf)
		o.z.Write(data)
		o.z.Close()
		n := strconv.Itoa(o.buf.Len() - start)
		b := o.buf.Bytes()
		copy(b[at:], n)
		copy(b[at+len(n):], b[at+10:])
		o.buf.Truncate(len(b) - (10 - len(n)))
	}
	o.buf.WriteString("\nendstream\nendobj\n")
}

// compressedStream writes a stream object of data already compressed
// with FlateDecode.
func (o *objWriter) compressedStream(num int, dict string, data []byte) {
	o.begin(num)
	o.buf.WriteString("<<")
	o.buf.WriteString(dict)
	o.buf.WriteString("/Filter /FlateDecode /Length ")
	o.buf.WriteString(strconv.Itoa(len(data)))
	o.buf.WriteString(">>\nstream\n")
	o.buf.Write(data)
	o.buf.WriteString("\nendstream\nendobj\n")
}

// finish writes the object stream as object stm and the cross-reference
// stream as object xref, with the trailer entries trailer.
func (o *objWriter) finish(stm, xref int, trailer string) {
	head := len(o.stmHead)
	o.stream(stm, "/Type /ObjStm /N "+strconv.Itoa(o.stmN)+" /First "+strconv.Itoa(head)+" ",
		append(o.stmHead, o.stm...), true)
	at := o.buf.Len()
	o.locate(xref, xrefEntry{offset: at})
	// Entries of 1 + 4 + 2 bytes: type, then offset and 0 (in the file) or
	// object stream and index (in it).
	entries := make([]byte, 0, 7*len(o.xref))
	for n, e := range o.xref {
		switch {
		case n == 0:
			entries = append(entries, 0, 0, 0, 0, 0, 0xff, 0xff)
		case e.inStm:
			entries = append(binary.BigEndian.AppendUint32(append(entries, 2), uint32(stm)), byte(e.offset>>8), byte(e.offset))
		default:
			entries = append(binary.BigEndian.AppendUint32(append(entries, 1), uint32(e.offset)), 0, 0)
		}
	}
	o.stream(xref, "/Type /XRef /Size "+strconv.Itoa(len(o.xref))+" /W [1 4 2] "+trailer, entries, false)
	o.buf.WriteString("startxref\n")
	o.buf.WriteString(strconv.Itoa(at))
	o.buf.WriteString("\n%%EOF\n")
}

func (o *objWriter) release() {
	if o.z != nil {
		o.z.Reset(nil)
		zlibDoc.Put(o.z)
		o.z = nil
	}
}

// ref is "n 0 R".
func ref(n int) string { return strconv.Itoa(n) + " 0 R" }

// output writes the document. Object numbers: 1 catalog, 2 page tree, 3
// information, 4 resources, 5 ToUnicode, then each page and its content,
// the links, each font's five objects, the image, the object stream and
// the cross-reference stream. The information dictionary and the pages
// are written in the file, where tools look for them (the dates, the page
// count), the other dictionaries in the object stream.
func (d *pdfDoc) output() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.page != nil && d.footer != nil {
		d.footer()
	}
	const catalog, pageTree, info, resources, toUnicode = 1, 2, 3, 4, 5
	next := 6
	pageNum := next
	next += 2 * len(d.pages)
	var fonts []*fontUse
	for _, f := range d.fonts {
		if f != nil && (f.ascii != [2]uint64{} || len(f.other) > 0) {
			fonts = append(fonts, f)
		}
	}
	linkNum := next
	for _, p := range d.pages {
		next += len(p.links)
	}
	fontNum := next
	next += 5 * len(fonts)
	imageNum := next
	if d.image != nil {
		next++
	}
	stmNum, xrefNum := next, next+1

	o := &objWriter{xref: make([]xrefEntry, 0, next+2)}
	defer o.release()
	size := 16 << 10
	for _, p := range d.pages {
		size += len(p.content) / 2
	}
	o.buf.Grow(size)
	o.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

	o.object(catalog, "<</Type /Catalog /Pages ", ref(pageTree), " /Lang (vi-VN)>>")
	kids := make([]byte, 0, 8*len(d.pages))
	for i := range d.pages {
		if i > 0 {
			kids = append(kids, ' ')
		}
		kids = append(kids, ref(pageNum+2*i)...)
	}
	o.object(pageTree, "<</Type /Pages /Kids [", string(kids), "] /Count ", strconv.Itoa(len(d.pages)), ">>")
	date := pdfText(pdfDate(d.created))
	o.plainObject(info, "<</Producer ", pdfText(producer), " /Creator ", pdfText(producer), " /Title ", pdfText(d.title),
		" /CreationDate ", date, " /ModDate ", date, ">>")

	res := []byte("<</ProcSet [/PDF /Text /ImageB] /Font <<")
	for i, f := range fonts {
		res = append(res, "/F"...)
		res = strconv.AppendInt(res, int64(f.index), 10)
		res = append(append(append(res, ' '), ref(fontNum+5*i)...), ' ')
	}
	res = append(res, ">>"...)
	if d.image != nil {
		res = append(append(append(res, " /XObject <</Im1 "...), ref(imageNum)...), ">>"...)
	}
	o.object(resources, string(append(res, ">>"...)))

	// ToUnicode, shared by the fonts: a character's CID is its code point.
	// Each block of 256 code points that a font uses maps to itself.
	var blocks [256]bool
	for _, f := range fonts {
		for _, r := range f.runes() {
			blocks[r>>8] = true
		}
	}
	cmap := []byte("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	n := 0
	for _, used := range blocks {
		if used {
			n++
		}
	}
	cmap = strconv.AppendInt(cmap, int64(n), 10)
	cmap = append(cmap, " beginbfrange\n"...)
	for hi, used := range blocks {
		if used {
			h := string([]byte{hexDigits[hi>>4], hexDigits[hi&15]})
			cmap = append(cmap, "<"+h+"00> <"+h+"FF> <"+h+"00>\n"...)
		}
	}
	cmap = append(cmap, "endbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"...)
	o.stream(toUnicode, "", cmap, false)

	mediaBox := "[0 0 " + string(f2(nil, d.wPt)) + " " + string(f2(nil, d.hPt)) + "]"
	for i, p := range d.pages {
		b := make([]byte, 0, 256)
		b = append(b, "<</Type /Page /Parent "+ref(pageTree)+" /MediaBox "+mediaBox+" /Resources "+ref(resources)...)
		if len(p.links) > 0 {
			b = append(b, " /Annots ["...)
			for j, l := range p.links {
				if j > 0 {
					b = append(b, ' ')
				}
				b = append(b, ref(linkNum)...)
				a := append(make([]byte, 0, 128), "<</Type /Annot /Subtype /Link /F 4 /Border [0 0 0] /Rect ["...)
				for j, v := range l.rect {
					if j > 0 {
						a = append(a, ' ')
					}
					a = f2(a, v)
				}
				o.object(linkNum, string(a), "] /A <</S /URI /URI ", pdfString(l.url), ">>>>")
				linkNum++
			}
			b = append(b, ']')
		}
		b = append(b, " /Contents "+ref(pageNum+2*i+1)+">>"...)
		o.plainObject(pageNum+2*i, string(b))
		o.stream(pageNum+2*i+1, "", p.content, true)
	}
	for i, f := range fonts {
		f.write(o, fontNum+5*i, toUnicode)
	}
	if d.image != nil {
		side := strconv.Itoa(d.image.side)
		o.stream(imageNum, "/Type /XObject /Subtype /Image /Width "+side+" /Height "+side+
			" /ColorSpace /DeviceGray /BitsPerComponent 1 ", d.image.samples, true)
	}

	// The file identifier is a hash of the pages' contents and of the
	// information dictionary, so that the same input gives the same bytes.
	h := sha256.New()
	for _, p := range d.pages {
		h.Write(p.content)
	}
	h.Write(o.stm)
	id := hex.EncodeToString(h.Sum(nil)[:16])
	o.finish(stmNum, xrefNum, "/Root "+ref(catalog)+" /Info "+ref(info)+" /ID [<"+id+"> <"+id+">] ")
	return o.buf.Bytes(), nil
}

// write writes the five objects of a font from num on: the Type 0 font, its
// CIDFontType2 descendant, the descriptor, the subset font program and
// CIDToGIDMap; its ToUnicode is the object toUnicode.
func (u *fontUse) write(o *objWriter, num, toUnicode int) {
	f := u.face
	fo := fontObjectsOf(f, u.runes())
	o.object(num, "<</Type /Font /Subtype /Type0 /BaseFont /", fo.name, " /Encoding /Identity-H /DescendantFonts [",
		ref(num+1), "] /ToUnicode ", ref(toUnicode), ">>")
	o.object(num+1, "<</Type /Font /Subtype /CIDFontType2 /BaseFont /", fo.name,
		" /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor ", ref(num+2),
		fo.widths, " /CIDToGIDMap ", ref(num+4), ">>")
	o.object(num+2, "<</Type /FontDescriptor /FontName /", fo.name, fo.descriptor, " /FontFile2 ", ref(num+3), ">>")
	o.compressedStream(num+3, fo.length1, fo.program)
	o.compressedStream(num+4, "", fo.cidToGID)
}

// fontObjects is what the objects of a font hold, for one set of
// characters: its name, widths and descriptor entries, and its streams
// compressed.
type fontObjects struct {
	name, widths, descriptor, length1 string
	program, cidToGID                 []byte
}

// fontCache holds the font objects of the sets of characters last used;
// about 5 kB each.
var fontCache, _ = lru.New[string, *fontObjects](512)

// fontObjectsOf returns the font objects of face f showing runes (sorted),
// from the cache or made.
func fontObjectsOf(f *face, runes []rune) *fontObjects {
	key := make([]byte, 0, len(f.name)+1+3*len(runes))
	key = append(append(key, f.name...), 0)
	for _, r := range runes {
		key = utf8.AppendRune(key, r)
	}
	if fo, ok := fontCache.Get(string(key)); ok {
		return fo
	}
	fo := makeFontObjects(f, runes)
	fontCache.Add(string(key), fo)
	return fo
}

func makeFontObjects(f *face, runes []rune) *fontObjects {
	used := make([]uint16, len(runes))
	for i, r := range runes {
		used[i] = f.glyph(r)
	}
	program, newID := f.subset(used)
	fo := &fontObjects{name: subsetTag(f.name, program) + "+" + f.name, length1: "/Length1 " + strconv.Itoa(len(program)) + " "}

	// Widths: runs of consecutive characters, c [w1 w2 …].
	b := append([]byte(" /DW "), strconv.Itoa(f.missingWidth)...)
	b = append(b, " /W ["...)
	for i, r := range runes {
		if i == 0 || runes[i-1] != r-1 {
			if i > 0 {
				b = append(b, "] "...)
			}
			b = strconv.AppendInt(b, int64(r), 10)
			b = append(b, " ["...)
		} else {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(f.width(r)), 10)
	}
	fo.widths = string(append(b, "]]"...))

	b = b[:0]
	for i, v := range []int{f.flags, f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3], f.italicAngle,
		f.ascent, f.descent, f.capHeight, f.stemV, f.missingWidth} {
		b = append(b, [...]string{" /Flags ", " /FontBBox [", " ", " ", " ", "] /ItalicAngle ", " /Ascent ",
			" /Descent ", " /CapHeight ", " /StemV ", " /MissingWidth "}[i]...)
		b = strconv.AppendInt(b, int64(v), 10)
	}
	fo.descriptor = string(b)

	var z bytes.Buffer
	fo.program = compress(zlibCached, &z, program)

	cidToGID := make([]byte, 2*(int(runes[len(runes)-1])+1))
	for i, r := range runes {
		id := newID.id(used[i])
		cidToGID[2*r], cidToGID[2*r+1] = byte(id>>8), byte(id)
	}
	fo.cidToGID = compress(zlibZeros, &z, cidToGID)
	return fo
}

// compress returns data compressed with zlib (FlateDecode) by a writer of
// pool, in a copy.
func compress(pool *sync.Pool, z *bytes.Buffer, data []byte) []byte {
	z.Reset()
	w := pool.Get().(*zlib.Writer)
	w.Reset(z)
	w.Write(data)
	w.Close()
	w.Reset(nil)
	pool.Put(w)
	return bytes.Clone(z.Bytes())
}

// subsetTag is the six capital letters that name a font subset (ISO
// 32000-1 §9.6.4), taken from a hash of the font's name and program.
func subsetTag(name string, program []byte) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	h.Write(program)
	v := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// pdfText is a PDF text string: literal when printable ASCII, else
// UTF-16BE with a byte-order mark, in hexadecimal.
func pdfText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		ascii = ascii && s[i] >= 0x20 && s[i] < 0x7f
	}
	if ascii {
		return pdfString(s)
	}
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2+2*len(u))
	b = append(b, 0xfe, 0xff)
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return "<" + hex.EncodeToString(b) + ">"
}

// pdfString is a literal string, its delimiters and the bytes outside
// printable ASCII escaped.
func pdfString(s string) string {
	out := make([]byte, 0, len(s)+2)
	out = append(out, '(')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(' || c == ')' || c == '\\':
			out = append(out, '\\', c)
		case c < 0x20 || c >= 0x7f:
			out = append(out, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
		default:
			out = append(out, c)
		}
	}
	return string(append(out, ')'))
}

// pdfDate is a PDF date in Vietnam time: D:YYYYMMDDHHmmSS+07'00'.
func pdfDate(t time.Time) string {
	return t.In(ict).Format("D:20060102150405") + "+07'00'"
}
