// Package vntext normalises and folds Vietnamese text for storage and search.
package vntext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// isTone reports whether r is one of the five combining tone marks.
func isTone(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0309', '\u0303', '\u0323':
		return true
	}
	return false
}

// NFC returns s in Unicode normalisation form C with one tone placement for
// the word-final vowel pairs oa, oe and uy: the tone sits on the first vowel
// (Hòa, Khỏe, Thúy), as the General Statistics Office writes unit names, so
// "Hoà" and "Hòa" compare equal after NFC.
func NFC(s string) string {
	d := []rune(norm.NFD.String(s))
	out := make([]rune, 0, len(d))
	for i := 0; i < len(d); {
		j := i
		for j < len(d) && (unicode.IsLetter(d[j]) || unicode.Is(unicode.Mn, d[j])) {
			j++
		}
		if j == i {
			out = append(out, d[i])
			i++
			continue
		}
		out = append(out, moveTone(d[i:j])...)
		i = j
	}
	return norm.NFC.String(string(out))
}

// moveTone fixes the tone of one NFD word.
func moveTone(w []rune) []rune {
	// Collect base letters with their marks.
	type letter struct {
		base  rune
		marks []rune
	}
	var ls []letter
	for _, r := range w {
		if unicode.Is(unicode.Mn, r) && len(ls) > 0 {
			ls[len(ls)-1].marks = append(ls[len(ls)-1].marks, r)
			continue
		}
		ls = append(ls, letter{base: r})
	}
	n := len(ls)
	if n < 2 {
		return w
	}
	a, b := unicode.ToLower(ls[n-2].base), unicode.ToLower(ls[n-1].base)
	pair := (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y')
	if !pair || len(ls[n-2].marks) > 0 {
		return w
	}
	if a == 'u' && n >= 3 && unicode.ToLower(ls[n-3].base) == 'q' {
		return w // "quý": u belongs to the consonant qu
	}
	var tone rune
	var rest []rune
	for _, m := range ls[n-1].marks {
		if isTone(m) && tone == 0 {
			tone = m
			continue
		}
		rest = append(rest, m)
	}
	if tone == 0 {
		return w
	}
	ls[n-2].marks = []rune{tone}
	ls[n-1].marks = rest
	out := make([]rune, 0, len(w))
	for _, l := range ls {
		out = append(out, l.base)
		out = append(out, l.marks...)
	}
	return out
}

// narrow maps the full-width forms U+FF01–FF5E (ＡＢＣ, １２３) to ASCII.
func narrow(r rune) rune {
	if r >= '\uFF01' && r <= '\uFF5E' {
		return r - 0xFEE0
	}
	return r
}

// Fold returns the search form of s: lower case, without diacritics, đ → d,
// full-width forms as ASCII, format characters (zero-width spaces and
// joiners, bidirectional controls, soft hyphens) dropped, runs of
// non-alphanumerics collapsed to one space, trimmed. NFD and NFC input fold
// alike.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, "\uFFFD")) {
		if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		r = narrow(r)
		if r == 'đ' || r == 'Đ' {
			r = 'd'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// Lower returns s normalised by NFC and lower-cased, keeping diacritics, with
// the same spacing, full-width and format-character rules as Fold: the form used to rank exact-accent matches.
func Lower(s string) string {
	var b strings.Builder
	space := true
	for _, r := range NFC(strings.ToValidUTF8(s, "\uFFFD")) {
		if unicode.Is(unicode.Cf, r) {
			continue
		}
		r = narrow(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}
