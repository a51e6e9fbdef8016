package printform

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The embedded fonts (DejaVu Sans 2.37, see fonts/LICENSE), parsed once
// per process (faceOf) and embedded as subsets of the glyphs each document
// uses.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
	//go:embed fonts/DejaVuSans-Oblique.ttf
	fontItalic []byte
)

const (
	producer = "motcua printform"

	bodySize = 11.0 // pt
	bodyLine = 5.8  // mm, line height of body text
)

// cellMargin is the inner margin of a text cell, mm: text aligned left
// starts that far right of its cell, text aligned right ends that far left.
const cellMargin = 1.0

// canvas is what the layout draws on: A4 pages, in millimetres from the
// top-left corner. The documents draw on pdfDoc; the benchmarks also draw
// on the fpdf-based renderer that pdfDoc replaced, to compare.
type canvas interface {
	pageSize() (w, h float64)
	// setFont selects the embedded font of style "", "B" or "I" at size
	// points, and stringWidth measures s in it.
	setFont(style string, size float64)
	stringWidth(s string) float64
	// text draws s on one line in the cell of width w and height h at
	// (x, y), aligned "L" (after the cell margin), "C" or "R".
	text(x, y, w, h float64, s, align string)
	line(x1, y1, x2, y2 float64)
	rect(x, y, w, h float64) // stroked
	// qrCode draws the QR code of url (with a two-module quiet zone) in the
	// square at (x, y) of side size, as a link to url.
	qrCode(url string, x, y, size float64) error
	addPage()
	pageNo() int
	setFooter(func()) // drawn at the end of each page
	output() ([]byte, error)
}

// writer is one PDF being laid out. Page breaks are made by the writer
// itself so that table rows, signature blocks and the QR code are never
// split.
type writer struct {
	pdf            canvas
	pageW, pageH   float64
	left, right    float64 // margins, mm
	top, bottom    float64
	curY           float64 // the vertical position, mm
	lastFontStyle  string  // the font last selected, restored after a page break
	lastFontSizePt float64
}

// newWriter starts an A4 document, "P" portrait or "L" landscape, dated
// issued (the PDF's creation and modification dates, for determinism).
func newWriter(orientation, title string, issued time.Time) *writer {
	return newWriterOn(pdfCanvas(orientation == "L", nfc(title), issued), orientation)
}

// canvasMaker makes an empty canvas of A4 pages, landscape or portrait,
// for a document of that title, dated issued.
type canvasMaker func(landscape bool, title string, issued time.Time) canvas

// pdfCanvas is the canvas of the documents.
func pdfCanvas(landscape bool, title string, issued time.Time) canvas {
	return newPDF(landscape, title, issued)
}

// newWriterOn starts laying out on c, an empty canvas of orientation "P"
// or "L".
func newWriterOn(c canvas, orientation string) *writer {
	w := &writer{pdf: c, left: 25, right: 15, top: 15, bottom: 15}
	if orientation == "L" {
		w.left, w.right, w.top, w.bottom = 15, 15, 12, 14
	}
	w.pageW, w.pageH = c.pageSize()
	c.addPage()
	w.curY = w.top
	w.font("", bodySize)
	return w
}

// width is the width between the margins.
func (w *writer) width() float64 { return w.pageW - w.left - w.right }

// font selects the embedded font: style "", "B" or "I"; size in points.
func (w *writer) font(style string, size float64) {
	w.pdf.setFont(style, size)
	w.lastFontStyle, w.lastFontSizePt = style, size
}

// y and setY get and set the vertical position.
func (w *writer) y() float64     { return w.curY }
func (w *writer) setY(y float64) { w.curY = y }

// space moves down by h mm.
func (w *writer) space(h float64) { w.setY(w.y() + h) }

// ensure starts a new page unless h mm are left above the bottom margin.
func (w *writer) ensure(h float64) {
	if w.y()+h <= w.pageH-w.bottom {
		return
	}
	style, size := w.lastFontStyle, w.lastFontSizePt
	w.pdf.addPage()
	w.setY(w.top)
	w.font(style, size)
}

// put draws one line of text in a box of width wd at (x, y), aligned "L",
// "C" or "R".
func (w *writer) put(x, y, wd, h float64, s, align string) {
	w.pdf.text(x, y, wd, h, nfc(s), align)
}

// wrap breaks s into lines that fit width wd (mm, cell margins included) in
// the current font. Explicit line breaks are kept; words longer than a line
// are broken after '-', '/' or '.', or else between characters.
func (w *writer) wrap(s string, wd float64) []string {
	wd -= 2 * cellMargin
	var out []string
	for _, para := range strings.Split(nfc(s), "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			cand := word
			if line != "" {
				cand = line + " " + word
			}
			if w.pdf.stringWidth(cand) <= wd {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
			}
			pieces := w.splitWord(word, wd)
			out = append(out, pieces[:len(pieces)-1]...)
			line = pieces[len(pieces)-1]
		}
		out = append(out, line)
	}
	return out
}

// splitWord cuts a word wider than wd into pieces that fit, preferring to
// cut after '-', '/' or '.'.
func (w *writer) splitWord(word string, wd float64) []string {
	var pieces []string
	for w.pdf.stringWidth(word) > wd {
		fit := 0 // bytes of the longest prefix that fits
		soft := 0
		for i, r := range word {
			end := i + utf8.RuneLen(r)
			if w.pdf.stringWidth(word[:end]) > wd {
				break
			}
			fit = end
			if r == '-' || r == '/' || r == '.' {
				soft = end
			}
		}
		if soft > 0 && soft < len(word) {
			fit = soft
		}
		if fit == 0 { // not even one character fits: take one anyway
			_, fit = utf8.DecodeRuneInString(word)
		}
		pieces = append(pieces, word[:fit])
		word = word[fit:]
	}
	return append(pieces, word)
}

// centered draws s centred in the column [x, x+wd) from y, wrapped, and
// returns the y below it.
func (w *writer) centered(x, y, wd, h float64, s string) float64 {
	for _, line := range w.wrap(s, wd) {
		w.put(x, y, wd, h, line, "C")
		y += h
	}
	return y
}

// fitted draws s centred in the column [x, x+wd) from y in the given style,
// at size points or smaller (down to 8.5) so that it fits on one line, else
// wrapped at 8.5 points; it returns the y below it.
func (w *writer) fitted(x, y, wd, h float64, s, style string, size float64) float64 {
	for ; size > 8.5; size -= 0.5 {
		w.font(style, size)
		if w.pdf.stringWidth(nfc(s)) <= wd-2*cellMargin {
			break
		}
	}
	w.font(style, size)
	return w.centered(x, y, wd, h, s)
}

// span is a run of text in one style ("", "B" or "I") inside a paragraph.
type span struct {
	text, style string
}

func plain(s string) span { return span{s, ""} }
func bold(s string) span  { return span{s, "B"} }

// word is one word of a paragraph, with its style and whether a space
// separates it from the word before.
type word struct {
	text, style string
	gap         bool
}

// words splits spans into words; a space at the end of one span or the
// start of the next separates their words, as in the concatenated text.
func words(spans []span) []word {
	var out []word
	gap := false
	for _, sp := range spans {
		t := nfc(sp.text)
		fields := strings.Fields(t)
		if len(fields) == 0 {
			gap = gap || t != ""
			continue
		}
		gap = gap || strings.TrimLeftFunc(t, unicode.IsSpace) != t
		for _, f := range fields {
			out = append(out, word{f, sp.style, gap})
			gap = true
		}
		gap = strings.TrimRightFunc(t, unicode.IsSpace) != t
	}
	return out
}

// para flows spans as one paragraph in the body font: the first line starts
// at the left margin plus indent, the others at the left margin plus hang.
func (w *writer) para(indent, hang float64, spans ...span) {
	type run struct { // text of one style on one line, drawn at x
		text, style string
		x           float64
	}
	var line []run
	right := w.pageW - w.right
	x := w.left + indent
	flush := func() {
		w.ensure(bodyLine)
		y := w.y()
		for _, r := range line {
			w.font(r.style, bodySize)
			w.put(r.x-cellMargin, y, w.pdf.stringWidth(r.text)+2*cellMargin, bodyLine, r.text, "L")
		}
		w.setY(y + bodyLine)
		line, x = line[:0], w.left+hang
	}
	narrowest := right - w.left - math.Max(indent, hang)
	for _, wd := range words(spans) {
		w.font(wd.style, bodySize)
		gap := 0.0
		if wd.gap {
			gap = w.pdf.stringWidth(" ")
		}
		for _, piece := range w.splitWord(wd.text, narrowest) {
			tw := w.pdf.stringWidth(piece)
			if len(line) > 0 && x+gap+tw > right {
				flush()
				w.font(wd.style, bodySize)
			}
			if len(line) == 0 {
				gap = 0
			}
			if n := len(line); n > 0 && line[n-1].style == wd.style {
				if gap > 0 {
					line[n-1].text += " "
				}
				line[n-1].text += piece
			} else {
				line = append(line, run{piece, wd.style, x + gap})
			}
			x += gap + tw
			gap = 0
		}
	}
	flush()
	w.font("", bodySize)
}

// field is a paragraph "Label: value" with the value in the given style.
func (w *writer) field(label, value, style string) {
	w.para(0, 0, plain(label+": "), span{orDots(value), style})
}

// heading draws the national heading of Decree 30/2020: agency on the left,
// national title and motto on the right, then "Số: …" under the agency when
// withNumber, and the place-and-date line under the motto. formNo ("01"…)
// is printed small in the top-right corner.
func (w *writer) heading(a Agency, number string, issued time.Time, withNumber bool, formNo string) {
	const h = 5.0
	if formNo != "" {
		w.font("", 9)
		w.put(w.pageW-w.right-40, w.top-8, 40, 4, "Mẫu số "+formNo, "R")
	}

	leftW := w.width() * 0.44
	if w.pageW > w.pageH { // landscape
		leftW = w.width() * 0.40
	}
	rightX, rightW := w.left+leftW, w.width()-leftW
	if w.pageW > w.pageH {
		rightW = w.width() * 0.45
		rightX = w.pageW - w.right - rightW
	}

	// Left column.
	y := w.top
	if !blank(a.Parent) {
		y = w.fitted(w.left, y, leftW, h, upper(a.Parent), "", 10.5)
	}
	y = w.fitted(w.left, y, leftW, h, upper(a.Name), "B", 10.5)
	if !blank(a.Unit) {
		y = w.fitted(w.left, y, leftW, h, upper(a.Unit), "B", 10.5)
	}
	mid := w.left + leftW/2
	w.pdf.line(mid-leftW/6, y+0.8, mid+leftW/6, y+0.8)
	leftEnd := y + 2.5

	// Right column.
	w.font("B", 10.5)
	y = w.centered(rightX, w.top, rightW, h, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	w.font("B", 11)
	motto := "Độc lập - Tự do - Hạnh phúc"
	y = w.centered(rightX, y, rightW, h+0.5, motto)
	half := w.pdf.stringWidth(nfc(motto)) / 2
	rmid := rightX + rightW/2
	w.pdf.line(rmid-half, y+0.3, rmid+half, y+0.3)
	rightEnd := y + 2.5

	y = math.Max(leftEnd, rightEnd) + 1
	if withNumber {
		w.font("", 10.5)
		w.put(w.left, y, leftW, h, "Số: "+orNumber(number), "C")
	}
	w.font("I", 10.5)
	w.put(rightX, y, rightW, h, dateLine(a.Place, issued), "C")
	w.setY(y + h + 6)
	w.font("", bodySize)
}

// orNumber is the document number, or a dotted blank.
func orNumber(n string) string {
	if n = oneLine(n); n == "" {
		return "......"
	}
	return n
}

// title draws the form's title in bold upper case, centred, and the
// optional centred lines under it, each span in its own style.
func (w *writer) title(t string, sub ...span) {
	w.font("B", 13)
	y := w.centered(w.left, w.y(), w.width(), 6.5, upper(t))
	for _, s := range sub {
		w.font(s.style, 10.5)
		y = w.centered(w.left, y, w.width(), 5.5, s.text)
	}
	w.setY(y + 5)
	w.font("", bodySize)
}

// signBlock is one signature block: title in bold upper case, a hint in
// italics, room to sign, then the name in bold.
type signBlock struct {
	title, hint, name string
}

const signRoom = 22.0 // mm left for the signature

// signatures draws up to two signature blocks side by side (left may be
// empty) and, when notes is not nil, the "Nơi nhận:" list on the left.
func (w *writer) signatures(left *signBlock, right signBlock, notes []string) {
	colW := w.width() / 2
	need := 5.5*float64(strings.Count(right.title, "\n")+1) + 5 + signRoom + 6
	if n := 5 + 4.5*float64(len(notes)); notes != nil && n > need {
		need = n
	}
	w.space(4)
	w.ensure(need)
	y0 := w.y()
	block := func(x float64, b signBlock) float64 {
		w.font("B", bodySize)
		y := y0
		for _, t := range strings.Split(b.title, "\n") { // a heading above the signer's title
			y = w.centered(x, y, colW, 5.5, upper(t))
		}
		if b.hint != "" {
			w.font("I", 10)
			y = w.centered(x, y, colW, 5, b.hint)
		}
		y += signRoom
		w.font("B", bodySize)
		return w.centered(x, y, colW, 5.5, oneLine(b.name))
	}
	end := block(w.left+colW, right)
	if left != nil {
		end = math.Max(end, block(w.left, *left))
	}
	if notes != nil {
		w.font("B", 10)
		w.put(w.left, y0, colW, 5, "Nơi nhận:", "L")
		y := y0 + 5
		w.font("", 9)
		for _, n := range notes {
			for _, line := range w.wrap("- "+n, colW-5) {
				w.put(w.left, y, colW, 4.5, line, "L")
				y += 4.5
			}
		}
		end = math.Max(end, y)
	}
	w.setY(end + 2)
	w.font("", bodySize)
}

// qrBlock draws the QR code of url, about 25 mm wide, with the caption
// "Tra cứu hồ sơ" and the dossier code under it, in the bottom-left corner
// of the current page (or of a new page if the content reaches it).
func (w *writer) qrBlock(url, code string) error {
	return w.qrBlockCaption(url, "Tra cứu hồ sơ", code)
}

// qrBlockCaption is qrBlock with another caption.
func (w *writer) qrBlockCaption(url, caption, code string) error {
	if url == "" {
		return nil
	}
	const size, capH = 25.0, 8.5
	y := w.pageH - w.bottom - size - capH
	if w.y()+2 > y {
		w.ensure(w.pageH) // always breaks
		y = w.pageH - w.bottom - size - capH
	}
	if err := w.pdf.qrCode(url, w.left, y, size); err != nil {
		return err
	}
	w.font("I", 8)
	w.put(w.left, y+size, 60, 4, caption, "L")
	w.font("", 7.5)
	w.put(w.left, y+size+4, 60, 4, oneLine(code), "L")
	w.font("", bodySize)
	return nil
}

// column is one column of a table.
type column struct {
	width float64
	align string // "L", "C" or "R"
}

// table draws bordered rows whose cells wrap; a row that does not fit on
// the page goes to the next one, where header is drawn again.
type table struct {
	w      *writer
	cols   []column
	size   float64 // font size of the rows, pt
	line   float64 // line height of the rows, mm
	minRow float64 // minimum row height, mm
	header func()  // draws the header row(s) at the current y
}

// simpleHeader returns a header function drawing one row of bold centred
// titles, one per column.
func (t *table) simpleHeader(titles ...string) func() {
	return func() {
		t.w.font("B", t.size)
		t.row(titles, true)
	}
}

// row draws one row of cells (bold when head), breaking the page first if
// it does not fit.
func (t *table) row(cells []string, head bool) {
	w := t.w
	style := ""
	if head {
		style = "B"
	}
	w.font(style, t.size)
	lines := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		if i < len(cells) {
			lines[i] = w.wrap(cells[i], c.width)
		}
		n = max(n, len(lines[i]))
	}
	const pad = 1.2
	h := math.Max(float64(n)*t.line+2*pad, t.minRow)
	if !head && w.y()+h > w.pageH-w.bottom {
		w.ensure(h)
		if t.header != nil {
			t.header()
		}
		w.font(style, t.size)
	}
	y := w.y()
	t.cells(y, h, lines, head)
	w.setY(y + h)
}

// cells draws the bordered cells of one row at y, height h; header cells
// are centred vertically, body cells start at the top.
func (t *table) cells(y, h float64, lines [][]string, head bool) {
	w := t.w
	const pad = 1.2
	x := w.left
	for i, c := range t.cols {
		w.pdf.rect(x, y, c.width, h)
		ty, align := y+pad, c.align
		if head {
			ty, align = y+(h-float64(len(lines[i]))*t.line)/2, "C"
		}
		for _, l := range lines[i] {
			w.put(x, ty, c.width, t.line, l, align)
			ty += t.line
		}
		x += c.width
	}
}

// finish writes the PDF.
func (w *writer) finish() ([]byte, error) {
	b, err := w.pdf.output()
	if err != nil {
		return nil, fmt.Errorf("printform: %w", err)
	}
	return b, nil
}

// safely runs a renderer, turning a panic (a bug) into an error, so that
// no input can crash the caller.
func safely(render func() ([]byte, error)) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("printform: internal error: %v", r)
		}
	}()
	out, err = render()
	if err == nil && len(out) == 0 {
		err = errors.New("printform: empty output")
	}
	return out, err
}
