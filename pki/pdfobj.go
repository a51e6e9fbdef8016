package pki

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
)

// A minimal PDF object model (ISO 32000-1 §7.3): just what reading a
// trailer, the catalog, a page and a signature dictionary — and writing the
// few objects of an incremental update — needs. Values are:
//
//	nil (null), bool, pdfNum, pdfName, pdfString, []any (array),
//	*pdfDict, pdfRef, *pdfStream
//
// We keep this reader ourselves rather than depend on pdfcpu: signing only
// touches the trailer, the catalog, one page and the AcroForm, and the
// update must reproduce those dictionaries byte-faithfully (numbers are kept
// as their original tokens, strings as their bytes). pdfcpu would pull a
// large dependency tree into the binary for that, and its writer rewrites
// whole files, which an incremental update must not do.

type (
	pdfNum    string // a number, as its source token ("12", "-0.5")
	pdfName   string // a name without the slash, #xx escapes decoded
	pdfString []byte // a string's bytes (literal or hex)
	pdfRef    struct{ num, gen int }
	pdfStream struct {
		dict *pdfDict
		raw  []byte // the bytes between "stream" EOL and "endstream", undecoded
	}
)

// pdfDict is a dictionary keeping its keys' order, so that a rewritten
// dictionary differs from the original only by what was added.
type pdfDict struct {
	keys []pdfName
	m    map[pdfName]any
}

func newDict() *pdfDict { return &pdfDict{m: map[pdfName]any{}} }

func (d *pdfDict) get(k pdfName) any {
	if d == nil {
		return nil
	}
	return d.m[k]
}

func (d *pdfDict) set(k pdfName, v any) {
	if _, ok := d.m[k]; !ok {
		d.keys = append(d.keys, k)
	}
	d.m[k] = v
}

// clone copies the dictionary (shallowly: values are shared).
func (d *pdfDict) clone() *pdfDict {
	c := &pdfDict{keys: append([]pdfName(nil), d.keys...), m: make(map[pdfName]any, len(d.m))}
	for k, v := range d.m {
		c.m[k] = v
	}
	return c
}

func (n pdfNum) int() (int64, bool) {
	v, err := strconv.ParseInt(string(n), 10, 64)
	return v, err == nil
}

// maxDepth bounds the nesting of arrays and dictionaries, so that hostile
// input cannot exhaust the stack.
const maxDepth = 100

// lexer reads PDF tokens and objects from b starting at pos.
type lexer struct {
	b   []byte
	pos int
}

func isWhite(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isWhite(c) && !isDelim(c) }

// skip passes white space and comments.
func (l *lexer) skip() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		switch {
		case isWhite(c):
			l.pos++
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		default:
			return
		}
	}
}

// keyword reads a run of regular characters (a keyword or a number).
func (l *lexer) keyword() string {
	l.skip()
	start := l.pos
	for l.pos < len(l.b) && isRegular(l.b[l.pos]) {
		l.pos++
	}
	return string(l.b[start:l.pos])
}

func (l *lexer) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d: %s", ErrMalformed, l.pos, fmt.Sprintf(format, args...))
}

// object reads one direct object; "n g R" is read as a reference.
func (l *lexer) object(depth int) (any, error) {
	if depth > maxDepth {
		return nil, l.errorf("nesting too deep")
	}
	l.skip()
	if l.pos >= len(l.b) {
		return nil, l.errorf("unexpected end of file")
	}
	switch c := l.b[l.pos]; {
	case c == '/':
		return l.name()
	case c == '(':
		return l.literal()
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		return l.dict(depth)
	case c == '<':
		return l.hexString()
	case c == '[':
		l.pos++
		arr := []any{}
		for {
			l.skip()
			if l.pos >= len(l.b) {
				return nil, l.errorf("unterminated array")
			}
			if l.b[l.pos] == ']' {
				l.pos++
				return arr, nil
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		tok := l.keyword()
		if !isNumber(tok) {
			return nil, l.errorf("bad number %q", tok)
		}
		// n g R ?
		save := l.pos
		if _, err := strconv.Atoi(tok); err == nil {
			gen := l.keyword()
			if g, err := strconv.Atoi(gen); err == nil && g >= 0 {
				if l.keyword() == "R" {
					n, _ := strconv.Atoi(tok)
					if n < 0 {
						return nil, l.errorf("negative object number")
					}
					return pdfRef{n, g}, nil
				}
			}
		}
		l.pos = save
		return pdfNum(tok), nil
	default:
		switch kw := l.keyword(); kw {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		case "":
			return nil, l.errorf("unexpected %q", c)
		default:
			return nil, l.errorf("unexpected keyword %q", kw)
		}
	}
}

func isNumber(tok string) bool {
	if tok == "" {
		return false
	}
	digits, dots := 0, 0
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		case (c == '+' || c == '-') && i == 0:
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

func (l *lexer) name() (pdfName, error) {
	l.pos++ // '/'
	var b []byte
	for l.pos < len(l.b) && isRegular(l.b[l.pos]) {
		c := l.b[l.pos]
		if c == '#' && l.pos+2 < len(l.b) {
			if v, err := hex.DecodeString(string(l.b[l.pos+1 : l.pos+3])); err == nil {
				b = append(b, v[0])
				l.pos += 3
				continue
			}
		}
		b = append(b, c)
		l.pos++
	}
	return pdfName(b), nil
}

func (l *lexer) literal() (pdfString, error) {
	l.pos++ // '('
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, nil
			}
		case '\\':
			if l.pos >= len(l.b) {
				return nil, l.errorf("unterminated string")
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; i++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, l.errorf("unterminated string")
}

func (l *lexer) hexString() (pdfString, error) {
	l.pos++ // '<'
	var digits []byte
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch {
		case c == '>':
			if len(digits)%2 == 1 {
				digits = append(digits, '0')
			}
			out := make([]byte, len(digits)/2)
			if _, err := hex.Decode(out, digits); err != nil {
				return nil, l.errorf("bad hex string")
			}
			return out, nil
		case isWhite(c):
		case (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'):
			digits = append(digits, c)
		default:
			return nil, l.errorf("bad hex string")
		}
	}
	return nil, l.errorf("unterminated hex string")
}

func (l *lexer) dict(depth int) (*pdfDict, error) {
	l.pos += 2 // '<<'
	d := newDict()
	for {
		l.skip()
		if l.pos+1 < len(l.b) && l.b[l.pos] == '>' && l.b[l.pos+1] == '>' {
			l.pos += 2
			return d, nil
		}
		if l.pos >= len(l.b) || l.b[l.pos] != '/' {
			return nil, l.errorf("dictionary key expected")
		}
		k, err := l.name()
		if err != nil {
			return nil, err
		}
		v, err := l.object(depth + 1)
		if err != nil {
			return nil, err
		}
		d.set(k, v)
	}
}

// writeObj serialises a direct object. Strings of printable ASCII are
// written literally (the delimiters and the backslash escaped), others in
// hex, which keeps their bytes exactly whatever they hold.
func writeObj(w *bytes.Buffer, v any) {
	switch v := v.(type) {
	case nil:
		w.WriteString("null")
	case bool:
		w.WriteString(strconv.FormatBool(v))
	case pdfNum:
		w.WriteString(string(v))
	case int:
		w.WriteString(strconv.Itoa(v))
	case pdfName:
		writeName(w, v)
	case pdfString:
		printable := true
		for _, c := range v {
			printable = printable && c >= ' ' && c <= '~'
		}
		if !printable {
			w.WriteByte('<')
			w.WriteString(hex.EncodeToString(v))
			w.WriteByte('>')
			break
		}
		w.WriteByte('(')
		for _, c := range v {
			if c == '(' || c == ')' || c == '\\' {
				w.WriteByte('\\')
			}
			w.WriteByte(c)
		}
		w.WriteByte(')')
	case pdfRef:
		fmt.Fprintf(w, "%d %d R", v.num, v.gen)
	case []any:
		w.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				w.WriteByte(' ')
			}
			writeObj(w, e)
		}
		w.WriteByte(']')
	case *pdfDict:
		w.WriteString("<<")
		for _, k := range v.keys {
			writeName(w, k)
			w.WriteByte(' ')
			writeObj(w, v.m[k])
			w.WriteByte(' ')
		}
		w.WriteString(">>")
	default:
		// Streams are never rewritten; anything else is a bug.
		panic(fmt.Sprintf("pki: cannot write PDF object %T", v))
	}
}

func writeName(w *bytes.Buffer, n pdfName) {
	w.WriteByte('/')
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c < '!' || c > '~' || c == '#' || isDelim(c) {
			fmt.Fprintf(w, "#%02X", c)
			continue
		}
		w.WriteByte(c)
	}
}
