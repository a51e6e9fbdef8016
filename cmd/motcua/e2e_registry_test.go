package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
)

// TestEndToEndRemoteDataset runs two instances: B reads the population
// dataset of A through the HTTP connector. congdan's form on B is
// prefilled from A, his dossier's residence component is replaced by A's
// record without an upload, A audits B's reads, and when A goes down B
// answers 503 in Vietnamese and its circuit breaker opens.
func TestEndToEndRemoteDataset(t *testing.T) {
	a := startServer(t, "--demo", "--data", t.TempDir())
	// B reads A's dataset under a service account A's administrator made
	// for it (another system: its reads serve B's dossiers, which A cannot
	// see, so they are not bound to a dossier of A's).
	const svcPassword = "mat-khau-he-thong-B-2026"
	if st := a.call(t, "POST", "/api/v1/accounts", a.login(t, "quantri"), `{"username":"he-thong-b","display_name":"Hệ thống một cửa B","kind":"service",
		"grants":[{"role":"specialist","agency_id":"000.00.50.H01"}],"password":"`+svcPassword+`"}`, nil); st != 201 {
		t.Fatalf("service account on A: %d", st)
	}
	var l struct{ Token string }
	if st := a.call(t, "POST", "/api/v1/auth/login", "", `{"username":"he-thong-b","password":"`+svcPassword+`"}`, &l); st != 200 {
		t.Fatalf("service account login: %d", st)
	}
	token := l.Token
	dir := t.TempDir()
	cfg := `[{"code":"population","remote":{"url":"` + a.base + `/api/v1/registry/{dataset}/records/{key}","header":"Authorization",
		"token_env":"MOTCUA_E2E_REMOTE_TOKEN","timeout":"1s","retries":1,"break_after":2,"cooldown":"1m"}}]`
	if err := writeFile(filepath.Join(dir, "datasets.json"), cfg); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MOTCUA_E2E_REMOTE_TOKEN", "Bearer "+token)
	b := startServer(t, "--demo", "--data", t.TempDir(), "--datasets", filepath.Join(dir, "datasets.json"))
	citizen := b.login(t, "congdan")

	var pre struct {
		Values   map[string]string
		Datasets []string
	}
	if st := b.call(t, "GET", "/api/v1/procedures/1.001193/prefill", citizen, "", &pre); st != 200 || pre.Values["population.full_name"] != "Nguyễn Văn An" {
		t.Fatalf("prefill through the connector = %d %+v", st, pre)
	}

	// Submit without the residence component: replaced by A's record.
	var p struct {
		FormSchema map[string]any `json:"form_schema"`
		Components []struct {
			Code          string
			Required      bool
			ReplaceableBy *catalog.DataRef `json:"replaceable_by"`
		}
	}
	b.call(t, "GET", "/api/v1/procedures/1.001193", "", "", &p)
	var comps []map[string]string
	for _, c := range p.Components {
		if c.Required && c.ReplaceableBy == nil {
			st, id := b.upload(t, citizen, "application/pdf", samplePDF)
			if st != 201 {
				t.Fatalf("upload: %d", st)
			}
			comps = append(comps, map[string]string{"code": c.Code, "file_id": id})
		}
	}
	body, _ := json.Marshal(map[string]any{"procedure_code": "1.001193", "form": catalog.SampleData(p.FormSchema), "components": comps})
	var d struct {
		Code       string
		Databases  []string
		Components []struct {
			Code   string
			Reused bool
			Data   *struct{ Key string }
		}
	}
	if st := b.call(t, "POST", "/api/v1/dossiers", citizen, string(body), &d); st != 201 {
		t.Fatalf("submit without the replaceable component: %d", st)
	}
	replaced := slices.ContainsFunc(d.Components, func(c struct {
		Code   string
		Reused bool
		Data   *struct{ Key string }
	}) bool {
		return c.Code == "TP03" && c.Reused && c.Data != nil && c.Data.Key == "001090012345"
	})
	if !replaced || !slices.Contains(d.Databases, "CSDLQGDC") {
		t.Fatalf("dossier = %+v", d)
	}

	// A audited B's reads under its service account, with the purpose.
	var audit struct {
		Items []struct {
			Actor   string
			Details json.RawMessage
		}
	}
	if st := a.call(t, "GET", "/api/v1/audit?action=registry.lookup", a.login(t, "quantri"), "", &audit); st != 200 {
		t.Fatalf("audit on A: %d", st)
	}
	purposes := map[string]bool{}
	for _, e := range audit.Items {
		var det struct{ Purpose string }
		_ = json.Unmarshal(e.Details, &det)
		if e.Actor == "he-thong-b" {
			purposes[det.Purpose] = true
		}
	}
	if !purposes["prefill"] || !purposes["replace"] {
		t.Errorf("A's audit of B's reads: %v", purposes)
	}

	// A goes down: B answers 503 with a Vietnamese message; after two
	// failures the breaker opens and B fails fast.
	a.stop(t)
	for i := range 3 {
		start := time.Now()
		req, _ := http.NewRequest("GET", b.base+"/api/v1/procedures/1.001193/prefill", nil)
		req.Header.Set("Authorization", "Bearer "+citizen)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 503 || !strings.Contains(string(msg), "tạm") {
			t.Fatalf("prefill with A down (%d) = %d %s", i, res.StatusCode, msg)
		}
		if i == 2 && time.Since(start) > 500*time.Millisecond {
			t.Errorf("breaker open but the call took %v", time.Since(start))
		}
	}
	// The citizen can still apply: the form opens, asking for the data.
	req, _ := http.NewRequest("GET", b.base+"/thu-tuc/1.001193/nop", nil)
	req.AddCookie(&http.Cookie{Name: "motcua_session", Value: citizen})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "Chưa lấy được dữ liệu từ cơ sở dữ liệu dùng chung") || !strings.Contains(string(page), `name="tp-TP03" accept="application/pdf,image/jpeg,image/png" required`) {
		t.Errorf("wizard with A down = %d", res.StatusCode)
	}
}
