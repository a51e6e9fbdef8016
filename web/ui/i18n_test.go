package ui

import (
	"io/fs"
	"regexp"
	"strconv"
	"testing"
)

// TestEnglishComplete: every sentence a template passes to .T or .Tf has
// an English translation.
func TestEnglishComplete(t *testing.T) {
	re := regexp.MustCompile(`\.Tf? ("(?:[^"\\]|\\.)*")`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			vi, err := strconv.Unquote(m[1])
			if err != nil {
				t.Fatalf("%s: %s: %v", f, m[1], err)
			}
			n++
			if translate("en", vi) == vi {
				t.Errorf("%s: no English for %q", f, vi)
			}
		}
	}
	if n == 0 {
		t.Fatal("no translated sentence found in the templates")
	}
}
