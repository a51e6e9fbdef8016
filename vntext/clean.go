package vntext

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// TextError is why CleanName, CleanNote or CheckText refused a text. Key is
// machine-readable: "required", "control", "bidi" or "invisible".
type TextError struct {
	Key  string
	Rune rune // the refused character; 0 for "required"
}

func (e *TextError) Error() string {
	if e.Key == "required" {
		return "text is empty"
	}
	return fmt.Sprintf("text contains a %s character U+%04X", e.Key, e.Rune)
}

// Message is the Vietnamese message for a field labelled label (e.g. "Họ
// và tên").
func (e *TextError) Message(label string) string {
	switch e.Key {
	case "required":
		return label + " là bắt buộc."
	case "control":
		return fmt.Sprintf("%s chứa ký tự điều khiển (U+%04X), không được phép.", label, e.Rune)
	case "bidi":
		return fmt.Sprintf("%s chứa ký tự đổi chiều văn bản (U+%04X), không được phép.", label, e.Rune)
	case "invisible":
		return fmt.Sprintf("%s chứa ký tự vô hình (U+%04X), không được phép.", label, e.Rune)
	}
	return label + " không hợp lệ."
}

// Problem returns the key and Vietnamese message of err for a field
// labelled label; ok is false when err is not a *TextError.
func Problem(err error, label string) (key, msg string, ok bool) {
	var te *TextError
	if !errors.As(err, &te) {
		return "", "", false
	}
	return te.Key, te.Message(label), true
}

// IsBidi reports whether r is a bidirectional formatting character: the
// embeddings and overrides U+202A–202E, the isolates U+2066–2069 and the
// marks U+200E, U+200F and U+061C. They reorder how a text is shown
// ("exe.txt" shown for "txt.exe"), so nothing typed may carry them.
func IsBidi(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200E' || r == '\u200F' || r == '\u061C'
}

// IsZeroWidth reports whether r is a zero-width character: U+200B–200D,
// the word joiner U+2060 and the byte order mark U+FEFF.
func IsZeroWidth(r rune) bool {
	return (r >= '\u200B' && r <= '\u200D') || r == '\u2060' || r == '\uFEFF'
}

// CleanName returns a one-line name or short text as it is stored: in
// Vietnamese NFC (see NFC), every run of white space one space, trimmed. It
// refuses control characters (C0 and C1, tab and newline included),
// bidirectional formatting characters, zero-width characters and a text
// that is empty.
func CleanName(s string) (string, error) {
	s = NFC(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if err := refused(r, false); err != nil {
			return "", err
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "", &TextError{Key: "required"}
	}
	return b.String(), nil
}

// CleanNote returns a multi-line note as it is stored: in Vietnamese NFC,
// line ends as "\n", trimmed. Tabs and newlines are kept; other control
// characters, bidirectional formatting and zero-width characters are
// refused. An empty note is "" without error: callers that need a note say
// so themselves.
func CleanNote(s string) (string, error) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = NFC(s)
	for _, r := range s {
		if err := refused(r, true); err != nil {
			return "", err
		}
	}
	return strings.TrimSpace(s), nil
}

// CheckText returns s in NFC (Unicode's, without moving tones: a form value
// may be a code compared byte for byte) and refuses control characters other
// than tab, newline and carriage return, and bidirectional formatting
// characters. It does not trim. It is the rule for the free values of a
// filled form.
func CheckText(s string) (string, error) {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	for _, r := range s {
		if r == '\r' {
			continue
		}
		if unicode.IsControl(r) && r != '\t' && r != '\n' {
			return "", &TextError{Key: "control", Rune: r}
		}
		if IsBidi(r) {
			return "", &TextError{Key: "bidi", Rune: r}
		}
	}
	return s, nil
}

func refused(r rune, multiline bool) error {
	switch {
	case multiline && (r == '\t' || r == '\n'):
		return nil
	case unicode.IsControl(r):
		return &TextError{Key: "control", Rune: r}
	case IsBidi(r):
		return &TextError{Key: "bidi", Rune: r}
	case IsZeroWidth(r):
		return &TextError{Key: "invisible", Rune: r}
	}
	return nil
}
