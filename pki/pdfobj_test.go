package pki

import (
	"bytes"
	"testing"
)

// TestWriteStringRoundTrip writes strings, literal or hex, and reads them
// back.
func TestWriteStringRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "Signature1", "a(b)c\\d)(", "https://x.vn/a?b=(1)", "D:20261123100000+07'00'",
		"\xfe\xff\x1e\xe6y", "tab\there", "new\nline", "\\", "(", "~ !"} {
		var b bytes.Buffer
		writeObj(&b, pdfString(s))
		l := &lexer{b: b.Bytes()}
		v, err := l.object(0)
		if err != nil {
			t.Fatalf("%q written %q: %v", s, b.Bytes(), err)
		}
		if got, ok := v.(pdfString); !ok || string(got) != s {
			t.Errorf("%q written %q, read %q", s, b.Bytes(), v)
		}
	}
}
