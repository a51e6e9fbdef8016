package pki

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
)

// SignPDF appends to pdf an incremental update holding a PAdES baseline
// B-B signature by signer (ISO 32000-1 §12.8, ETSI EN 319 142-1): an
// invisible signature field on the first page, its /Sig dictionary
// (/Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached, /M at, /Reason,
// /Location), the catalog's /AcroForm with /SigFlags 3, and a new
// cross-reference section of the original's kind (table or stream) chained
// by /Prev. The original bytes are kept as they are; the CMS signature covers
// every byte of the result except its own hexadecimal placeholder.
func SignPDF(pdf []byte, signer Signer, reason, location string, at time.Time) ([]byte, error) {
	if signer.Key == nil || signer.Cert == nil {
		return nil, errors.New("pki: sign: no key or certificate")
	}
	if !samePublic(signer.Key.Public(), signer.Cert.PublicKey) {
		return nil, errors.New("pki: sign: key and certificate do not match")
	}
	f, err := openPDF(pdf, false)
	if err != nil {
		return nil, fmt.Errorf("pki: sign: %w", err)
	}
	if f.trailer.get("Encrypt") != nil {
		return nil, fmt.Errorf("pki: sign: %w: encrypted PDF", ErrUnsupported)
	}
	rootRef, err := f.root()
	if err != nil {
		return nil, fmt.Errorf("pki: sign: %w", err)
	}
	catalog, _ := f.dict(rootRef)
	pageRef, err := f.firstPage(catalog)
	if err != nil {
		return nil, fmt.Errorf("pki: sign: %w", err)
	}
	page, _ := f.dict(pageRef)

	// New object numbers follow the largest in use.
	next := 0
	if sz, ok := f.trailer.get("Size").(pdfNum); ok {
		if n, ok := sz.int(); ok && n > 0 && n <= maxObjects {
			next = int(n)
		}
	}
	for n := range f.xref {
		next = max(next, n+1)
	}
	sigNum, fieldNum := next, next+1
	fieldRef := pdfRef{fieldNum, 0}

	// The catalog's AcroForm, direct or indirect, gets the field.
	type rewrite struct {
		num, gen int
		dict     *pdfDict
	}
	var rewrites []rewrite
	newCatalog := catalog.clone()
	form := newDict()
	formRef, formIndirect := catalog.get("AcroForm").(pdfRef)
	if d, ok := f.dict(catalog.get("AcroForm")); ok {
		form = d.clone()
	}
	fields := []any{}
	if arr, ok := f.resolve(form.get("Fields")).([]any); ok {
		fields = slices.Clone(arr)
	}
	fieldName := uniqueFieldName(f, fields)
	form.set("Fields", append(fields, fieldRef))
	form.set("SigFlags", pdfNum("3"))
	if formIndirect {
		rewrites = append(rewrites, rewrite{formRef.num, formRef.gen, form})
	} else {
		newCatalog.set("AcroForm", form)
	}
	rewrites = append(rewrites, rewrite{rootRef.num, rootRef.gen, newCatalog})

	newPage := page.clone()
	annots := []any{}
	if arr, ok := f.resolve(page.get("Annots")).([]any); ok {
		annots = slices.Clone(arr)
	}
	newPage.set("Annots", append(annots, fieldRef))
	rewrites = append(rewrites, rewrite{pageRef.num, pageRef.gen, newPage})

	// The update, with a signature placeholder as long as the longest CMS
	// the signer makes.
	profile, err := signerProfileOf(signer)
	if err != nil {
		return nil, err
	}
	reserve := profile.cmsMax
	out := bytes.NewBuffer(make([]byte, 0, len(pdf)+2*reserve+8<<10))
	out.Write(pdf)
	if len(pdf) > 0 && pdf[len(pdf)-1] != '\n' && pdf[len(pdf)-1] != '\r' {
		out.WriteByte('\n')
	}
	offsets := map[int]int{}
	gens := map[int]int{}

	// The signature dictionary, with placeholders for /ByteRange and /Contents.
	offsets[sigNum] = out.Len()
	fmt.Fprintf(out, "%d 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n/ByteRange ", sigNum)
	byteRangeAt := out.Len()
	const byteRangeHolder = "[0 0000000000 0000000000 0000000000]"
	out.WriteString(byteRangeHolder)
	out.WriteString("\n/Contents ")
	contentsAt := out.Len()
	out.WriteByte('<')
	out.Write(bytes.Repeat([]byte("0"), 2*reserve))
	out.WriteByte('>')
	contentsEnd := out.Len()
	out.WriteString("\n/M ")
	writeObj(out, pdfString(pdfDate(at)))
	name := signer.Name
	if name == "" {
		name = signer.Cert.Subject.CommonName
	}
	if name != "" {
		out.WriteString("\n/Name ")
		writeObj(out, textString(name))
	}
	if reason != "" {
		out.WriteString("\n/Reason ")
		writeObj(out, textString(reason))
	}
	if location != "" {
		out.WriteString("\n/Location ")
		writeObj(out, textString(location))
	}
	out.WriteString(">>\nendobj\n")

	// The field, merged with its invisible widget (Print and Locked flags).
	field := newDict()
	field.set("Type", pdfName("Annot"))
	field.set("Subtype", pdfName("Widget"))
	field.set("FT", pdfName("Sig"))
	field.set("T", textString(fieldName))
	field.set("V", pdfRef{sigNum, 0})
	field.set("F", pdfNum("132"))
	field.set("Rect", []any{pdfNum("0"), pdfNum("0"), pdfNum("0"), pdfNum("0")})
	field.set("P", pageRef)
	writeIndirect(out, offsets, fieldNum, 0, field)
	for _, r := range rewrites {
		writeIndirect(out, offsets, r.num, r.gen, r.dict)
		gens[r.num] = r.gen
	}

	// The cross-reference section and trailer.
	size := fieldNum + 1
	trailer := newDict()
	for _, k := range []pdfName{"Root", "Info", "ID"} {
		if v := f.trailer.get(k); v != nil {
			trailer.set(k, v)
		}
	}
	trailer.set("Prev", pdfNum(strconv.FormatInt(f.startxref, 10)))
	xrefAt := out.Len()
	if f.xrefStream {
		xrefNum := size
		size++
		offsets[xrefNum] = xrefAt
		writeXrefStream(out, offsets, gens, xrefNum, size, trailer)
	} else {
		writeXrefTable(out, offsets, gens)
		out.WriteString("trailer\n")
		trailer.set("Size", pdfNum(strconv.Itoa(size)))
		// Size first, as custom has it.
		trailer.keys = append([]pdfName{"Size"}, trailer.keys[:len(trailer.keys)-1]...)
		writeObj(out, trailer)
		out.WriteByte('\n')
	}
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", xrefAt)

	// Fill in /ByteRange, then sign and fill in /Contents.
	res := out.Bytes()
	br := fmt.Sprintf("[0 %d %d %d]", contentsAt, contentsEnd, len(res)-contentsEnd)
	if len(br) > len(byteRangeHolder) {
		return nil, errors.New("pki: sign: file too large for the byte range")
	}
	copy(res[byteRangeAt:], br+string(bytes.Repeat([]byte(" "), len(byteRangeHolder)-len(br))))
	h := sha256.New()
	h.Write(res[:contentsAt])
	h.Write(res[contentsEnd:])
	cms, err := signCMS(h.Sum(nil), signer)
	if err != nil {
		return nil, err
	}
	if 2*len(cms) > 2*reserve {
		return nil, fmt.Errorf("pki: sign: signature of %d bytes exceeds its %d-byte placeholder", len(cms), reserve)
	}
	hex.Encode(res[contentsAt+1:], cms)
	return res, nil
}

func writeIndirect(out *bytes.Buffer, offsets map[int]int, num, gen int, v any) {
	offsets[num] = out.Len()
	fmt.Fprintf(out, "%d %d obj\n", num, gen)
	writeObj(out, v)
	out.WriteString("\nendobj\n")
}

// runs groups sorted object numbers into consecutive subsections.
func runs(nums []int) [][2]int {
	var out [][2]int
	for _, n := range nums {
		if k := len(out); k > 0 && out[k-1][0]+out[k-1][1] == n {
			out[k-1][1]++
			continue
		}
		out = append(out, [2]int{n, 1})
	}
	return out
}

func sortedKeys(m map[int]int) []int {
	nums := make([]int, 0, len(m))
	for n := range m {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	return nums
}

func writeXrefTable(out *bytes.Buffer, offsets, gens map[int]int) {
	nums := sortedKeys(offsets)
	out.WriteString("xref\n")
	i := 0
	for _, r := range runs(nums) {
		fmt.Fprintf(out, "%d %d\n", r[0], r[1])
		for range r[1] {
			n := nums[i]
			i++
			fmt.Fprintf(out, "%010d %05d n \n", offsets[n], gens[n])
		}
	}
}

// writeXrefStream writes an uncompressed cross-reference stream (/W [1 4 2]
// or [1 8 2] for files beyond 4 GiB) carrying the trailer's entries.
func writeXrefStream(out *bytes.Buffer, offsets, gens map[int]int, num, size int, trailer *pdfDict) {
	nums := sortedKeys(offsets)
	w := 4
	for _, o := range offsets {
		if uint64(o) > 0xFFFFFFFF {
			w = 8
		}
	}
	var data []byte
	for _, n := range nums {
		data = append(data, 1)
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(offsets[n]))
		data = append(data, b[8-w:]...)
		data = append(data, byte(gens[n]>>8), byte(gens[n]))
	}
	var index []any
	for _, r := range runs(nums) {
		index = append(index, r[0], r[1])
	}
	d := newDict()
	d.set("Type", pdfName("XRef"))
	d.set("Size", size)
	d.set("Index", index)
	d.set("W", []any{1, w, 2})
	for _, k := range trailer.keys {
		d.set(k, trailer.m[k])
	}
	d.set("Length", len(data))
	fmt.Fprintf(out, "%d 0 obj\n", num)
	writeObj(out, d)
	out.WriteString("\nstream\n")
	out.Write(data)
	out.WriteString("\nendstream\nendobj\n")
}

// uniqueFieldName returns "Signature1", "Signature2"… not yet used by a
// top-level field.
func uniqueFieldName(f *pdfFile, fields []any) string {
	used := map[string]bool{}
	for _, fr := range fields {
		if d, ok := f.dict(fr); ok {
			if t, ok := d.get("T").(pdfString); ok {
				used[decodeText(t)] = true
			}
		}
	}
	for i := 1; ; i++ {
		if n := "Signature" + strconv.Itoa(i); !used[n] {
			return n
		}
	}
}

// pdfDate writes a PDF date (§7.9.4): D:YYYYMMDDHHmmSS+07'00'.
func pdfDate(t time.Time) string {
	s := t.Format("D:20060102150405")
	_, off := t.Zone()
	if off == 0 {
		return s + "Z"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s%c%02d'%02d'", s, sign, off/3600, off%3600/60)
}

// parsePDFDate reads a PDF date; the parts after the year are optional.
func parsePDFDate(s string) (time.Time, bool) {
	if len(s) >= 2 && s[:2] == "D:" {
		s = s[2:]
	}
	digits := 0
	for digits < len(s) && digits < 14 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits < 4 || digits%2 != 0 {
		return time.Time{}, false
	}
	full := s[:digits] + "0101000000"[digits-4:]
	t, err := time.Parse("20060102150405", full)
	if err != nil {
		return time.Time{}, false
	}
	rest := s[digits:]
	if rest == "" || rest[0] == 'Z' {
		return t, true
	}
	if rest[0] != '+' && rest[0] != '-' {
		return time.Time{}, false
	}
	var hh, mm int
	if _, err := fmt.Sscanf(rest[1:], "%02d'%02d", &hh, &mm); err != nil {
		if _, err := fmt.Sscanf(rest[1:], "%02d", &hh); err != nil {
			return time.Time{}, false
		}
	}
	off := hh*3600 + mm*60
	if rest[0] == '-' {
		off = -off
	}
	if hh > 23 || mm > 59 {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", off)), true
}

// textString encodes a PDF text string: PDFDocEncoding when ASCII,
// UTF-16BE with a byte-order mark otherwise (Vietnamese).
func textString(s string) pdfString {
	ascii := true
	for i := 0; i < len(s); i++ {
		ascii = ascii && s[i] >= 0x20 && s[i] < 0x7F
	}
	if ascii {
		return pdfString(s)
	}
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

// decodeText reads a PDF text string (UTF-16BE with BOM, UTF-8 with BOM,
// or PDFDocEncoding taken as Latin-1).
func decodeText(b pdfString) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
