package ui

import (
	"regexp"
	"strings"
	"testing"
)

// TestDossierFormsCarryVersion: every form of the dossier page's template
// has the hidden version (browsers, and the browser journeys of
// cmd/motcua, post what the form holds).
func TestDossierFormsCarryVersion(t *testing.T) {
	b, err := templateFS.ReadFile("templates/dossier.html")
	if err != nil {
		t.Fatal(err)
	}
	forms := regexp.MustCompile(`(?s)<form .*?</form>`).FindAllString(string(b), -1)
	if len(forms) < 6 {
		t.Fatalf("%d forms in the dossier page, want at least 6", len(forms))
	}
	for _, form := range forms {
		if !strings.Contains(form, `<input type="hidden" name="version" value="{{$.D.Version}}">`) {
			t.Errorf("a form without the version: %.120s", form)
		}
	}
}
