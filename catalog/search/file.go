package search

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/motcua/motcua/vntext"
)

// TermsFile is the file format of the curated terms (catalog/demo/terms.json).
type TermsFile struct {
	Version int    `json:"version"`
	Terms   []Term `json:"terms"`
}

// ParseTerms reads a terms file and checks every term (CheckTerm).
func ParseTerms(r io.Reader) ([]Term, error) {
	var f TermsFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("terms file: %w", err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("terms file: version %d, want 1", f.Version)
	}
	seen := map[string]bool{}
	for i := range f.Terms {
		t, err := CheckTerm(f.Terms[i])
		if err != nil {
			return nil, fmt.Errorf("terms file: term %d: %w", i+1, err)
		}
		key := Key(t.Phrase)
		if seen[key] {
			return nil, fmt.Errorf("terms file: term %d: phrase %q twice", i+1, t.Phrase)
		}
		seen[key] = true
		f.Terms[i] = t
	}
	return f.Terms, nil
}

// Key is the folded form of a phrase: two terms whose phrases fold alike
// are the same term.
func Key(phrase string) string {
	return vntext.Fold(phrase)
}

// CheckTerm returns t cleaned (phrase and note one line of NFC text, codes
// without duplicates) or why it is refused: an empty phrase or one of more
// than 100 characters or 8 words, no code, more than 20 codes.
func CheckTerm(t Term) (Term, error) {
	p, err := vntext.CleanName(t.Phrase)
	if err != nil {
		return t, fmt.Errorf("phrase: %w", err)
	}
	if len([]rune(p)) > 100 || len(tokens(p)) > 8 || len(tokens(p)) == 0 {
		return t, fmt.Errorf("phrase %q: at most 100 characters and 8 words, with a letter or digit", p)
	}
	t.Phrase = p
	if t.Note != "" {
		n, err := vntext.CleanName(t.Note)
		if err != nil {
			return t, fmt.Errorf("note: %w", err)
		}
		if len([]rune(n)) > 300 {
			return t, fmt.Errorf("note: at most 300 characters")
		}
		t.Note = n
	}
	var codes []string
	for _, c := range t.Codes {
		c, err := vntext.CleanName(c)
		if err != nil {
			return t, fmt.Errorf("code: %w", err)
		}
		dup := false
		for _, o := range codes {
			dup = dup || o == c
		}
		if !dup {
			codes = append(codes, c)
		}
	}
	if len(codes) == 0 || len(codes) > 20 {
		return t, fmt.Errorf("phrase %q: 1 to 20 procedure codes", p)
	}
	t.Codes = codes
	return t, nil
}
