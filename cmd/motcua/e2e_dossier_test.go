package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/catalog"
)

// samplePDF is a small valid PDF document.
const samplePDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func (s *server) upload(t *testing.T, token, ctype, content string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.base+"/api/v1/files", strings.NewReader(content))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out struct{ ID string }
	_ = json.Unmarshal(b, &out)
	return res.StatusCode, out.ID
}

func (s *server) login(t *testing.T, user string) string {
	t.Helper()
	var l struct {
		Token, Challenge     string
		SecondFactorRequired bool `json:"second_factor_required"`
	}
	if st := s.call(t, "POST", "/api/v1/auth/login", "", `{"username":"`+user+`","password":"demo"}`, &l); st != 200 {
		t.Fatalf("login %s: %d", user, st)
	}
	if l.SecondFactorRequired {
		body := `{"challenge":"` + l.Challenge + `","code":"` + demoCode(t, s.base, user) + `"}`
		if st := s.call(t, "POST", "/api/v1/auth/login/second-factor", "", body, &l); st != 200 {
			t.Fatalf("second factor of %s: %d", user, st)
		}
	}
	return l.Token
}

// submission builds the body of a submission of procedure code by a client
// that knows only the procedure's published description: every required
// property filled by its type, format and enum, a PDF for every required
// component.
func (s *server) submission(t *testing.T, token, code string) string {
	t.Helper()
	var p struct {
		FormSchema map[string]any `json:"form_schema"`
		Components []struct {
			Code     string
			Required bool
		}
	}
	if st := s.call(t, "GET", "/api/v1/procedures/"+code, "", "", &p); st != 200 {
		t.Fatalf("procedure %s: %d", code, st)
	}
	var comps []map[string]string
	for _, c := range p.Components {
		if c.Required {
			st, id := s.upload(t, token, "application/pdf", samplePDF)
			if st != 201 {
				t.Fatalf("upload: %d", st)
			}
			comps = append(comps, map[string]string{"code": c.Code, "file_id": id})
		}
	}
	b, _ := json.Marshal(map[string]any{"procedure_code": code, "form": catalog.SampleData(p.FormSchema), "components": comps})
	return string(b)
}

type e2eDossier struct {
	Code        string
	Status      int
	DueAt       *string `json:"due_at"`
	CurrentStep *struct {
		Name string
		Role string
	} `json:"current_step"`
}

// handleToReturn has the demo officials receive d, complete its steps and
// return the result; it returns the dossier at status 10.
func (s *server) handleToReturn(t *testing.T, d e2eDossier) e2eDossier {
	t.Helper()
	users := map[string]string{"receiver": "tiepnhan", "specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}
	for i := 0; d.Status != 9; i++ {
		if d.CurrentStep == nil || i > 10 {
			t.Fatalf("walk stuck at %+v", d)
		}
		action := "complete_step"
		if d.Status == 1 {
			action = "receive"
		}
		user := users[d.CurrentStep.Role]
		if st := s.call(t, "POST", "/api/v1/dossiers/"+d.Code+"/actions", s.login(t, user), `{"action":"`+action+`"}`, &d); st != 200 {
			t.Fatalf("%s by %s: %d", action, user, st)
		}
	}
	if st := s.call(t, "POST", "/api/v1/dossiers/"+d.Code+"/actions", s.login(t, "tiepnhan"), `{"action":"return"}`, &d); st != 200 || d.Status != 10 {
		t.Fatalf("return: %d %+v", st, d)
	}
	return d
}

// dossierWalk is the contract walk over the real binary: congdan
// submits a commune-level procedure online, tiepnhan receives it, the
// commune's officials complete their steps, and the result is returned.
func dossierWalk(t *testing.T, s *server) string {
	tok := s.login(t, "congdan")
	var d e2eDossier
	if st := s.call(t, "POST", "/api/v1/dossiers", tok, s.submission(t, tok, "1.001193"), &d); st != 201 || d.Code == "" || d.Status != 1 || d.DueAt == nil {
		t.Fatalf("submit: %d %+v", st, d)
	}
	d = s.handleToReturn(t, d)
	var pub struct{ Status int }
	if st := s.call(t, "GET", "/api/v1/public/dossiers/"+d.Code, "", "", &pub); st != 200 || pub.Status != 10 {
		t.Fatalf("public: %d %+v", st, pub)
	}
	var inbox struct{ Total int }
	if st := s.call(t, "GET", "/api/v1/dossiers?inbox=1", s.login(t, "chuyenvien"), "", &inbox); st != 200 {
		t.Fatalf("inbox: %d", st)
	}
	return d.Code
}
