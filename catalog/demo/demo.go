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
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua/catalog"
)

//go:embed procedures.json
var file []byte

// File returns the raw catalogue file (catalog.File, version 1).
func File() []byte {
	return bytes.Clone(file)
}

//go:embed form-lists.json
var formLists []byte

// Procedures parses and validates the embedded catalogue, its declarations'
// fields named in form-lists.json picked from their code lists.
func Procedures() ([]catalog.Procedure, error) {
	ps, err := catalog.Parse(bytes.NewReader(file))
	if err != nil {
		return nil, err
	}
	lists, err := FormLists()
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if ps[i].FormSchema, err = catalog.WithLists(ps[i].FormSchema, lists); err != nil {
			return nil, fmt.Errorf("procedure %s: %w", ps[i].Code, err)
		}
	}
	return ps, nil
}

// FormLists maps the names of the demo declarations' fields picked from a
// code list to the list's kind ("dan_toc": "ethnicity"), from
// form-lists.json.
func FormLists() (map[string]string, error) {
	var lists struct {
		Fields map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(formLists, &lists); err != nil {
		return nil, fmt.Errorf("form-lists.json: %w", err)
	}
	return lists.Fields, nil
}

//go:embed terms.json
var termsFile []byte

// TermsFile returns the raw file of everyday and regional search terms
// ({"version": 1, "terms": [{"phrase", "codes", "note"}]}), each phrase
// mapped to the demo procedures people mean by it.
func TermsFile() []byte {
	return bytes.Clone(termsFile)
}
