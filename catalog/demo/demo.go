// Package demo holds the demo procedure catalogue: administrative procedures
// that communes and provinces handle under the two-level local government
// (since 1/7/2025), with their declaration forms and workflow templates.
//
// National procedure codes are used only where they were confirmed; other
// procedures carry a local code "DEMO-NNN" and list "code" in Provisional.
// Every value that is not confirmed against an official source (fees set by
// provincial councils, processing times, legal bases…) is likewise listed in
// the procedure's Provisional field.
package demo

import (
	"bytes"
	_ "embed"

	"github.com/motcua/motcua/catalog"
)

//go:embed procedures.json
var file []byte

// File returns the raw catalogue file (catalog.File, version 1).
func File() []byte {
	return bytes.Clone(file)
}

// Procedures parses and validates the embedded catalogue.
func Procedures() ([]catalog.Procedure, error) {
	return catalog.Parse(bytes.NewReader(file))
}

//go:embed terms.json
var termsFile []byte

// TermsFile returns the raw file of everyday and regional search terms
// ({"version": 1, "terms": [{"phrase", "codes", "note"}]}), each phrase
// mapped to the demo procedures people mean by it.
func TermsFile() []byte {
	return bytes.Clone(termsFile)
}
