// Package democlient drives a running server of the demo province over its
// API as the demo citizen: what the submit benchmark and the crash test
// send, prepared the same way.
package democlient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/motcua/motcua/catalog"
)

// PDF is a small valid PDF, uploaded for the components of a submission.
const PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// Submission logs in as the demo citizen (congdan) to the server at base,
// uploads a PDF for every required component of the procedure and returns
// a valid submission body and the citizen's bearer token.
func Submission(client *http.Client, base, procedure string) (string, string, error) {
	post := func(path, token, ctype, body string, out any) error {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 300 {
			return fmt.Errorf("POST %s: %d %s", path, res.StatusCode, b)
		}
		return json.Unmarshal(b, out)
	}
	var login struct{ Token string }
	if err := post("/api/v1/auth/login", "", "application/json", `{"username":"congdan","password":"demo"}`, &login); err != nil {
		return "", "", err
	}
	res, err := client.Get(base + "/api/v1/procedures/" + procedure)
	if err != nil {
		return "", "", err
	}
	defer res.Body.Close()
	var p struct {
		FormSchema map[string]any `json:"form_schema"`
		Components []struct {
			Code     string
			Required bool
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		return "", "", err
	}
	if p.FormSchema == nil {
		return "", "", errors.New("procedure " + procedure + " not found")
	}
	var comps []map[string]string
	for _, c := range p.Components {
		if !c.Required {
			continue
		}
		var f struct{ ID string }
		if err := post("/api/v1/files", login.Token, "application/pdf", PDF, &f); err != nil {
			return "", "", err
		}
		comps = append(comps, map[string]string{"code": c.Code, "file_id": f.ID})
	}
	b, err := json.Marshal(map[string]any{"procedure_code": procedure, "form": catalog.SampleData(p.FormSchema), "components": comps})
	return string(b), login.Token, err
}
