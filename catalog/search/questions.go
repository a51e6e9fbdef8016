package search

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
)

//go:embed testdata/questions.tsv
var questionsFile []byte

// Question is one question of the test set: what a citizen types and the
// code of the demo procedure that answers it.
type Question struct {
	Code, Text string
}

// Questions returns the test set of testdata/questions.tsv: questions
// written the way citizens type them, for the demo catalogue.
func Questions() ([]Question, error) {
	return ParseQuestions(bytes.NewReader(questionsFile))
}

// ParseQuestions reads lines "code<TAB>question"; blank lines and lines
// starting with # are skipped.
func ParseQuestions(r io.Reader) ([]Question, error) {
	var out []Question
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, text, ok := strings.Cut(line, "\t")
		code, text = strings.TrimSpace(code), strings.TrimSpace(text)
		if !ok || code == "" || text == "" || strings.Contains(text, "\t") {
			return nil, fmt.Errorf("questions line %d: want code<TAB>question, got %q", n, line)
		}
		out = append(out, Question{Code: code, Text: text})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("questions: %w", err)
	}
	return out, nil
}

// Rank is the 0-based position of code in hits, or -1.
func Rank(hits []Hit, code string) int {
	for i, h := range hits {
		if h.Summary.Code == code {
			return i
		}
	}
	return -1
}
