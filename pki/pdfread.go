package pki

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// xrefEntry locates an object: at a byte offset (inStream false) or as the
// index-th object of object stream stream.
type xrefEntry struct {
	offset   int64
	gen      int
	inStream bool
	stream   int
	index    int
}

// pdfFile is a parsed PDF: its cross-reference (all sections merged, newest
// first) and its newest trailer.
type pdfFile struct {
	data       []byte
	xref       map[int]xrefEntry
	trailer    *pdfDict
	startxref  int64 // offset of the newest cross-reference section
	xrefStream bool  // the newest section is a cross-reference stream
	cache      map[int]any
	objStms    map[int]*objStm
	resolving  map[int]bool
	parsed     int // objects parsed so far, against maxParsed
	inflated   int // bytes of the streams inflated so far, against maxInflated
}

type objStm struct {
	data    []byte
	offsets map[int]int // object number → offset in data
	order   []int
}

// Limits against hostile input.
const (
	maxSections = 1000
	maxObjects  = 10_000_000
	// maxInflated bounds the bytes that the streams one reading decodes
	// inflate to, together: a signed result's object and cross-reference
	// streams inflate to kilobytes. Each stream once had the bound to
	// itself, and a 20 MB upload of 322 object streams of 63 MiB each
	// (deflate inflates a run of spaces a thousandfold) asked for 20 GiB.
	maxInflated  = 64 << 20
	maxResolveIn = 64
	// maxParsed bounds the objects one reading parses (and keeps): a
	// signed result has a few dozen, a long scanned document a few
	// thousand; a file of a quarter of a million signature-like objects
	// took 7.3 s and 377 MB before it was refused.
	maxParsed = 50_000
)

// openPDF parses the cross-reference of data by following startxref and
// the /Prev chain. With repair, a damaged cross-reference is rebuilt by
// scanning the file for "n g obj" (what viewers do); signing never repairs,
// since its update must point at the original's real sections.
func openPDF(data []byte, repair bool) (*pdfFile, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\n\f\r "), []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header", ErrNotPDF)
	}
	f := &pdfFile{data: data, xref: map[int]xrefEntry{}, cache: map[int]any{}, objStms: map[int]*objStm{}, resolving: map[int]bool{}}
	err := f.readXref()
	if err == nil {
		if _, rerr := f.root(); rerr != nil {
			err = rerr
		}
	}
	if err != nil {
		if !repair {
			return nil, err
		}
		f.xref, f.trailer, f.cache, f.objStms = map[int]xrefEntry{}, nil, map[int]any{}, map[int]*objStm{}
		if rerr := f.reconstruct(); rerr != nil {
			return nil, fmt.Errorf("%w (repair failed: %v)", err, rerr)
		}
	}
	return f, nil
}

func (f *pdfFile) readXref() error {
	i := bytes.LastIndex(f.data, []byte("startxref"))
	if i < 0 {
		return fmt.Errorf("%w: no startxref", ErrMalformed)
	}
	l := &lexer{b: f.data, pos: i + len("startxref")}
	off, err := strconv.ParseInt(l.keyword(), 10, 64)
	if err != nil || off < 0 || off >= int64(len(f.data)) {
		return fmt.Errorf("%w: bad startxref", ErrMalformed)
	}
	f.startxref = off
	seen := map[int64]bool{}
	for n := 0; ; n++ {
		if n > maxSections || seen[off] {
			return fmt.Errorf("%w: cross-reference loop", ErrMalformed)
		}
		seen[off] = true
		trailer, isStream, err := f.readSection(off)
		if err != nil {
			return err
		}
		if n == 0 {
			f.trailer, f.xrefStream = trailer, isStream
		}
		// A hybrid file's table trailer names a stream with more entries.
		if stm, ok := trailer.get("XRefStm").(pdfNum); ok && !isStream {
			if so, ok := stm.int(); ok && so >= 0 && so < int64(len(f.data)) && !seen[so] {
				seen[so] = true
				if _, _, err := f.readSection(so); err != nil {
					return err
				}
			}
		}
		prev, ok := trailer.get("Prev").(pdfNum)
		if !ok {
			return nil
		}
		if off, ok = prev.int(); !ok || off < 0 || off >= int64(len(f.data)) {
			return fmt.Errorf("%w: bad /Prev", ErrMalformed)
		}
	}
}

// readSection reads the cross-reference section at off (a table and its
// trailer, or a stream) and adds the entries not already known.
func (f *pdfFile) readSection(off int64) (*pdfDict, bool, error) {
	l := &lexer{b: f.data, pos: int(off)}
	save := l.pos
	if l.keyword() == "xref" {
		for {
			save = l.pos
			kw := l.keyword()
			if kw == "trailer" {
				break
			}
			start, err1 := strconv.Atoi(kw)
			count, err2 := strconv.Atoi(l.keyword())
			if err1 != nil || err2 != nil || start < 0 || count < 0 || start > maxObjects || count > maxObjects {
				return nil, false, fmt.Errorf("%w: bad cross-reference subsection at %d", ErrMalformed, save)
			}
			for k := 0; k < count; k++ {
				o, err1 := strconv.ParseInt(l.keyword(), 10, 64)
				g, err2 := strconv.Atoi(l.keyword())
				typ := l.keyword()
				if err1 != nil || err2 != nil || (typ != "n" && typ != "f") {
					return nil, false, fmt.Errorf("%w: bad cross-reference entry %d", ErrMalformed, start+k)
				}
				if _, known := f.xref[start+k]; known {
					continue
				}
				if typ == "f" {
					f.xref[start+k] = xrefEntry{offset: -1}
					continue
				}
				f.xref[start+k] = xrefEntry{offset: o, gen: g}
			}
		}
		t, err := l.object(0)
		if err != nil {
			return nil, false, err
		}
		d, ok := t.(*pdfDict)
		if !ok {
			return nil, false, fmt.Errorf("%w: trailer is not a dictionary", ErrMalformed)
		}
		return d, false, nil
	}
	l.pos = save
	_, _, obj, err := f.parseIndirectAt(int(off))
	if err != nil {
		return nil, false, err
	}
	s, ok := obj.(*pdfStream)
	if !ok || s.dict.get("Type") != pdfName("XRef") {
		return nil, false, fmt.Errorf("%w: no cross-reference at %d", ErrMalformed, off)
	}
	if err := f.readXrefStream(s); err != nil {
		return nil, false, err
	}
	return s.dict, true, nil
}

func (f *pdfFile) readXrefStream(s *pdfStream) error {
	data, err := f.decode(s)
	if err != nil {
		return err
	}
	w, ok := s.dict.get("W").([]any)
	if !ok || len(w) != 3 {
		return fmt.Errorf("%w: bad /W", ErrMalformed)
	}
	var ws [3]int
	row := 0
	for i, v := range w {
		n, ok := v.(pdfNum)
		x, ok2 := n.int()
		if !ok || !ok2 || x < 0 || x > 8 {
			return fmt.Errorf("%w: bad /W", ErrMalformed)
		}
		ws[i] = int(x)
		row += int(x)
	}
	if row == 0 {
		return fmt.Errorf("%w: bad /W", ErrMalformed)
	}
	index := []any{pdfNum("0"), s.dict.get("Size")}
	if ix, ok := s.dict.get("Index").([]any); ok {
		index = ix
	}
	pos := 0
	for i := 0; i+1 < len(index); i += 2 {
		a, _ := index[i].(pdfNum)
		b, _ := index[i+1].(pdfNum)
		start, ok1 := a.int()
		count, ok2 := b.int()
		if !ok1 || !ok2 || start < 0 || count < 0 || start > maxObjects || count > maxObjects {
			return fmt.Errorf("%w: bad /Index", ErrMalformed)
		}
		for k := 0; k < int(count); k++ {
			if pos+row > len(data) {
				return fmt.Errorf("%w: cross-reference stream too short", ErrMalformed)
			}
			field := func(j, width int) int64 {
				var v int64
				for _, c := range data[j : j+width] {
					v = v<<8 | int64(c)
				}
				return v
			}
			typ := int64(1)
			if ws[0] > 0 {
				typ = field(pos, ws[0])
			}
			f2, f3 := field(pos+ws[0], ws[1]), field(pos+ws[0]+ws[1], ws[2])
			pos += row
			num := int(start) + k
			if _, known := f.xref[num]; known {
				continue
			}
			switch typ {
			case 0:
				f.xref[num] = xrefEntry{offset: -1}
			case 1:
				f.xref[num] = xrefEntry{offset: f2, gen: int(f3)}
			case 2:
				f.xref[num] = xrefEntry{inStream: true, stream: int(f2), index: int(f3)}
			}
		}
	}
	return nil
}

// parseIndirectAt reads "num gen obj … endobj" at off.
func (f *pdfFile) parseIndirectAt(off int) (int, int, any, error) {
	l := &lexer{b: f.data, pos: off}
	num, err1 := strconv.Atoi(l.keyword())
	gen, err2 := strconv.Atoi(l.keyword())
	if err1 != nil || err2 != nil || l.keyword() != "obj" {
		return 0, 0, nil, fmt.Errorf("%w: no object at %d", ErrMalformed, off)
	}
	obj, err := l.object(0)
	if err != nil {
		return 0, 0, nil, err
	}
	d, ok := obj.(*pdfDict)
	if !ok {
		return num, gen, obj, nil
	}
	save := l.pos
	if l.keyword() != "stream" {
		l.pos = save
		return num, gen, obj, nil
	}
	if l.pos < len(l.b) && l.b[l.pos] == '\r' {
		l.pos++
	}
	if l.pos < len(l.b) && l.b[l.pos] == '\n' {
		l.pos++
	}
	start := l.pos
	end := -1
	if n, ok := f.resolve(d.get("Length")).(pdfNum); ok {
		if length, ok := n.int(); ok && length >= 0 && int64(start)+length <= int64(len(f.data)) {
			e := int(int64(start) + length)
			rest := &lexer{b: f.data, pos: e}
			if rest.keyword() == "endstream" {
				end = e
			}
		}
	}
	if end < 0 { // a wrong /Length: look for endstream, as readers do
		i := bytes.Index(f.data[start:], []byte("endstream"))
		if i < 0 {
			return 0, 0, nil, fmt.Errorf("%w: unterminated stream at %d", ErrMalformed, off)
		}
		end = start + i
	}
	return num, gen, &pdfStream{dict: d, raw: f.data[start:end]}, nil
}

// object returns object num (nil when it does not exist, as PDF says).
func (f *pdfFile) object(num int) (any, error) {
	if v, ok := f.cache[num]; ok {
		return v, nil
	}
	e, ok := f.xref[num]
	if !ok || (!e.inStream && e.offset < 0) {
		return nil, nil
	}
	if f.resolving[num] || len(f.resolving) > maxResolveIn {
		return nil, fmt.Errorf("%w: object %d refers to itself", ErrMalformed, num)
	}
	if f.parsed++; f.parsed > maxParsed {
		return nil, fmt.Errorf("%w: more than %d objects to read (too complex)", ErrMalformed, maxParsed)
	}
	f.resolving[num] = true
	defer delete(f.resolving, num)
	var v any
	if e.inStream {
		st, err := f.objStm(e.stream)
		if err != nil {
			return nil, err
		}
		o, ok := st.offsets[num]
		if !ok {
			return nil, fmt.Errorf("%w: object %d not in its object stream", ErrMalformed, num)
		}
		l := &lexer{b: st.data, pos: o}
		if v, err = l.object(0); err != nil {
			return nil, err
		}
	} else {
		if e.offset >= int64(len(f.data)) {
			return nil, fmt.Errorf("%w: object %d beyond the end", ErrMalformed, num)
		}
		n, _, obj, err := f.parseIndirectAt(int(e.offset))
		if err != nil {
			return nil, err
		}
		if n != num {
			return nil, fmt.Errorf("%w: object %d is not at its offset", ErrMalformed, num)
		}
		v = obj
	}
	f.cache[num] = v
	return v, nil
}

func (f *pdfFile) objStm(num int) (*objStm, error) {
	if s, ok := f.objStms[num]; ok {
		return s, nil
	}
	if e := f.xref[num]; e.inStream {
		return nil, fmt.Errorf("%w: object stream %d inside an object stream", ErrMalformed, num)
	}
	v, err := f.object(num)
	if err != nil {
		return nil, err
	}
	s, ok := v.(*pdfStream)
	if !ok {
		return nil, fmt.Errorf("%w: object %d is not an object stream", ErrMalformed, num)
	}
	st, err := f.parseObjStm(s)
	if err != nil {
		return nil, err
	}
	f.objStms[num] = st
	return st, nil
}

func (f *pdfFile) parseObjStm(s *pdfStream) (*objStm, error) {
	data, err := f.decode(s)
	if err != nil {
		return nil, err
	}
	nn, _ := s.dict.get("N").(pdfNum)
	fn, _ := s.dict.get("First").(pdfNum)
	n, ok1 := nn.int()
	first, ok2 := fn.int()
	if !ok1 || !ok2 || n < 0 || first < 0 || first > int64(len(data)) || n > int64(len(data)) {
		return nil, fmt.Errorf("%w: bad object stream", ErrMalformed)
	}
	st := &objStm{data: data, offsets: map[int]int{}}
	l := &lexer{b: data[:first]}
	for i := 0; i < int(n); i++ {
		num, err1 := strconv.Atoi(l.keyword())
		o, err2 := strconv.Atoi(l.keyword())
		if err1 != nil || err2 != nil || o < 0 || int64(o) > int64(len(data))-first {
			return nil, fmt.Errorf("%w: bad object stream header", ErrMalformed)
		}
		st.offsets[num] = int(first) + o
		st.order = append(st.order, num)
	}
	return st, nil
}

// decode returns a stream's data: unfiltered or FlateDecode, with the PNG
// predictors cross-reference streams use.
func (f *pdfFile) decode(s *pdfStream) ([]byte, error) {
	filter := f.resolve(s.dict.get("Filter"))
	parms, _ := f.resolve(s.dict.get("DecodeParms")).(*pdfDict)
	if arr, ok := filter.([]any); ok {
		if len(arr) > 1 {
			return nil, fmt.Errorf("%w: chained filters", ErrUnsupported)
		}
		if len(arr) == 1 {
			filter = arr[0]
		} else {
			filter = nil
		}
		if pa, ok := f.resolve(s.dict.get("DecodeParms")).([]any); ok && len(pa) == 1 {
			parms, _ = f.resolve(pa[0]).(*pdfDict)
		}
	}
	switch filter {
	case nil:
		return s.raw, nil
	case pdfName("FlateDecode"):
	default:
		return nil, fmt.Errorf("%w: filter %v", ErrUnsupported, filter)
	}
	zr, err := zlib.NewReader(bytes.NewReader(s.raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	budget := maxInflated - f.inflated
	data, err := io.ReadAll(io.LimitReader(zr, int64(budget)+1))
	f.inflated += len(data)
	if err != nil && len(data) == 0 {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(data) > budget {
		return nil, fmt.Errorf("%w: streams inflate to more than %d MiB", ErrUnsupported, maxInflated>>20)
	}
	if parms == nil {
		return data, nil
	}
	pn, _ := parms.get("Predictor").(pdfNum)
	pred, _ := pn.int()
	if pred < 10 {
		if pred > 1 {
			return nil, fmt.Errorf("%w: predictor %d", ErrUnsupported, pred)
		}
		return data, nil
	}
	cols := int64(1)
	if cn, ok := parms.get("Columns").(pdfNum); ok {
		if cols, ok = cn.int(); !ok || cols <= 0 || cols > 1<<16 {
			return nil, fmt.Errorf("%w: bad /Columns", ErrMalformed)
		}
	}
	return unpredictPNG(data, int(cols))
}

// unpredictPNG undoes PNG row predictors for one byte per pixel.
func unpredictPNG(data []byte, cols int) ([]byte, error) {
	row := cols + 1
	if len(data)%row != 0 {
		return nil, fmt.Errorf("%w: bad predicted data", ErrMalformed)
	}
	out := make([]byte, 0, len(data)/row*cols)
	prev := make([]byte, cols)
	for i := 0; i < len(data); i += row {
		typ, cur := data[i], append([]byte(nil), data[i+1:i+row]...)
		for j := range cur {
			var left, up, ul byte
			if j > 0 {
				left, ul = cur[j-1], prev[j-1]
			}
			up = prev[j]
			switch typ {
			case 0:
			case 1:
				cur[j] += left
			case 2:
				cur[j] += up
			case 3:
				cur[j] += byte((int(left) + int(up)) / 2)
			case 4:
				cur[j] += paeth(left, up, ul)
			default:
				return nil, fmt.Errorf("%w: bad PNG predictor %d", ErrMalformed, typ)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// resolve follows references (a missing object is null).
func (f *pdfFile) resolve(v any) any {
	for i := 0; i < maxResolveIn; i++ {
		r, ok := v.(pdfRef)
		if !ok {
			return v
		}
		o, err := f.object(r.num)
		if err != nil {
			return nil
		}
		v = o
	}
	return nil
}

func (f *pdfFile) dict(v any) (*pdfDict, bool) {
	switch d := f.resolve(v).(type) {
	case *pdfDict:
		return d, true
	case *pdfStream:
		return d.dict, true
	}
	return nil, false
}

// root returns the catalog and its reference.
func (f *pdfFile) root() (pdfRef, error) {
	r, ok := f.trailer.get("Root").(pdfRef)
	if !ok {
		return pdfRef{}, fmt.Errorf("%w: trailer has no /Root", ErrMalformed)
	}
	if d, ok := f.dict(r); !ok || d.get("Type") != pdfName("Catalog") && d.get("Pages") == nil {
		return pdfRef{}, fmt.Errorf("%w: /Root is not a catalog", ErrMalformed)
	}
	return r, nil
}

// firstPage returns the reference of the first page.
func (f *pdfFile) firstPage(catalog *pdfDict) (pdfRef, error) {
	node := catalog.get("Pages")
	for depth := 0; depth < maxDepth; depth++ {
		r, ok := node.(pdfRef)
		if !ok {
			return pdfRef{}, fmt.Errorf("%w: page tree node is not a reference", ErrMalformed)
		}
		d, ok := f.dict(r)
		if !ok {
			return pdfRef{}, fmt.Errorf("%w: page tree node %d missing", ErrMalformed, r.num)
		}
		if d.get("Type") == pdfName("Page") {
			return r, nil
		}
		kids, ok := f.resolve(d.get("Kids")).([]any)
		if !ok || len(kids) == 0 {
			return pdfRef{}, fmt.Errorf("%w: the document has no page", ErrMalformed)
		}
		node = kids[0]
	}
	return pdfRef{}, fmt.Errorf("%w: page tree too deep", ErrMalformed)
}

var objHeader = regexp.MustCompile(`(?m)(?:^|[\r\n\s])(\d{1,10})[\x00\t\n\f\r ]+(\d{1,5})[\x00\t\n\f\r ]+obj\b`)

// reconstruct rebuilds the cross-reference by scanning for objects; the
// last definition of a number wins, as in an incrementally updated file.
func (f *pdfFile) reconstruct() error {
	var trailer *pdfDict
	headers := objHeader.FindAllSubmatchIndex(f.data, maxParsed+1)
	if len(headers) > maxParsed {
		return fmt.Errorf("%w: more than %d objects to read (too complex)", ErrMalformed, maxParsed)
	}
	for _, m := range headers {
		num, err := strconv.Atoi(string(f.data[m[2]:m[3]]))
		if err != nil || num > maxObjects {
			continue
		}
		gen, _ := strconv.Atoi(string(f.data[m[4]:m[5]]))
		f.xref[num] = xrefEntry{offset: int64(m[2]), gen: gen}
	}
	for num := range f.xref {
		if f.parsed >= maxParsed {
			return fmt.Errorf("%w: more than %d objects to read (too complex)", ErrMalformed, maxParsed)
		}
		v, err := f.object(num)
		if err != nil {
			continue
		}
		s, ok := v.(*pdfStream)
		if !ok {
			continue
		}
		switch s.dict.get("Type") {
		case pdfName("XRef"):
			if s.dict.get("Root") != nil {
				trailer = s.dict
			}
		case pdfName("ObjStm"):
			st, err := f.parseObjStm(s)
			if err != nil {
				continue
			}
			f.objStms[num] = st
			for i, n := range st.order {
				if _, known := f.xref[n]; !known {
					f.xref[n] = xrefEntry{inStream: true, stream: num, index: i}
				}
			}
		}
	}
	// A classic trailer, the last one in the file.
	for end := len(f.data); ; {
		i := bytes.LastIndex(f.data[:end], []byte("trailer"))
		if i < 0 {
			break
		}
		l := &lexer{b: f.data, pos: i + len("trailer")}
		if d, err := l.object(0); err == nil {
			if td, ok := d.(*pdfDict); ok && td.get("Root") != nil {
				trailer = td
				break
			}
		}
		end = i
	}
	if trailer == nil {
		return fmt.Errorf("%w: no trailer found", ErrMalformed)
	}
	f.trailer = trailer
	_, err := f.root()
	return err
}
