package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// binary builds the real motcua binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "motcua-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "motcua")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is a running motcua process.
type server struct {
	cmd  *exec.Cmd
	base string
	logs *bytes.Buffer
}

func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	return startServerAt(t, freeAddr(t), args...)
}

// startServerAt starts the server on addr (a restart on the same address).
func startServerAt(t *testing.T, addr string, args ...string) *server {
	t.Helper()
	logs := &bytes.Buffer{}
	if slices.Contains(args, "--demo") && !slices.Contains(args, "--demo-history") {
		// The tests count what they make: no past dossiers unless asked.
		args = append(slices.Clip(args), "--demo-history", "0")
	}
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), "MOTCUA_METRICS_TOKEN="+e2eMetricsToken)
	cmd.Stdout, cmd.Stderr = logs, logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, logs: logs}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("server logs:\n%s", logs.String())
		}
	})
	for time.Since(start) < 15*time.Second {
		res, err := http.Get(s.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				t.Logf("ready in %v", time.Since(start).Round(time.Millisecond))
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server not ready within 15 s:\n%s", logs.String())
	return nil
}

func (s *server) stop(t *testing.T) {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, s.logs)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGTERM")
	}
}

func (s *server) call(t *testing.T, method, path, token, body string, out any) int {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, s.base+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return res.StatusCode
}

// contract checks the foundation's HTTP contract on a running server.
func contract(t *testing.T, s *server) {
	var provinces struct {
		Items []struct{ Code, Name string }
		Total int
	}
	if st := s.call(t, "GET", "/api/v1/units/provinces", "", "", &provinces); st != 200 || provinces.Total != 34 || len(provinces.Items) != 34 {
		t.Fatalf("provinces: %d %d", st, provinces.Total)
	}
	for _, p := range provinces.Items {
		if len(p.Code) != 2 || p.Name == "" {
			t.Errorf("province %+v", p)
		}
	}
	var communes struct {
		Items []struct{ Code, Name string }
		Total int
	}
	if st := s.call(t, "GET", "/api/v1/units/provinces/01/communes", "", "", &communes); st != 200 || communes.Total != 126 {
		t.Fatalf("communes: %d %d", st, communes.Total)
	}
	var procs struct {
		Items []struct{ Code, Name string }
		Total int
	}
	if st := s.call(t, "GET", "/api/v1/procedures?q=dang+ky+khai+sinh", "", "", &procs); st != 200 || procs.Total == 0 || procs.Items[0].Name != "Đăng ký khai sinh" {
		t.Fatalf("search: %d %+v", st, procs)
	}
	var proc struct {
		Code       string
		FormSchema json.RawMessage `json:"form_schema"`
		Components []struct {
			Code     string
			Name     string
			Required bool
		}
		Workflow struct{ Steps []struct{ Name, Role string } }
	}
	if st := s.call(t, "GET", "/api/v1/procedures/"+procs.Items[0].Code, "", "", &proc); st != 200 || len(proc.FormSchema) == 0 || len(proc.Components) == 0 || len(proc.Workflow.Steps) == 0 {
		t.Fatalf("procedure: %d %+v", st, proc)
	}
	var login struct{ Token string }
	if st := s.call(t, "POST", "/api/v1/auth/login", "", `{"username":"congdan","password":"demo"}`, &login); st != 200 || login.Token == "" {
		t.Fatalf("login: %d", st)
	}
	var me struct {
		Username  string
		CitizenID string `json:"citizen_id"`
	}
	if st := s.call(t, "GET", "/api/v1/me", login.Token, "", &me); st != 200 || me.CitizenID != "001090012345" {
		t.Fatalf("me: %d %+v", st, me)
	}
	if st := s.call(t, "GET", "/api/v1/me", "", "", nil); st != 401 {
		t.Fatalf("me without token: %d", st)
	}
	if st := s.call(t, "GET", "/api/v1/audit", login.Token, "", nil); st != 403 {
		t.Fatalf("citizen reads audit: %d", st)
	}
	for _, u := range []string{"tiepnhan", "chuyenvien", "lanhdao", "vanthu", "quantri"} {
		if st := s.call(t, "POST", "/api/v1/auth/login", "", `{"username":"`+u+`","password":"demo"}`, nil); st != 200 {
			t.Errorf("login %s: %d", u, st)
		}
	}
	res, err := http.Get(s.base + "/")
	if err != nil {
		t.Fatal(err)
	}
	home, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || res.Header.Get("Content-Security-Policy") == "" ||
		!strings.Contains(string(home), `lang="vi"`) || !strings.Contains(string(home), `role="search"`) {
		t.Errorf("home page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, p := range []string{"/healthz", "/readyz", "/api/v1/openapi.json"} {
		if st := s.call(t, "GET", p, "", "", nil); st != 200 {
			t.Errorf("GET %s = %d", p, st)
		}
	}
	// /metrics only to the holder of MOTCUA_METRICS_TOKEN.
	for _, c := range []struct {
		token  string
		status int
	}{{"", 401}, {"wrong", 401}, {e2eMetricsToken, 200}} {
		if st := s.call(t, "GET", "/metrics", c.token, "", nil); st != c.status {
			t.Errorf("GET /metrics with token %q = %d, want %d", c.token, st, c.status)
		}
	}
}

// e2eMetricsToken is the metrics token the servers of the tests start with.
const e2eMetricsToken = "e2e-metrics-token-0123456789"

func TestEndToEndSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	data := t.TempDir()
	s := startServer(t, "--data", data, "--demo")
	contract(t, s)
	code := dossierWalk(t, s)
	s.stop(t)

	// A second start on the same data keeps everything and does not seed twice.
	s = startServer(t, "--data", data, "--demo")
	var accounts struct{ Total int }
	if st := s.call(t, "GET", "/api/v1/accounts?kind=official", s.login(t, "quantri"), "", &accounts); st != 200 || accounts.Total != 10 { // with truongcongan, the head of the commune police
		t.Fatalf("officials after restart: %d %d", st, accounts.Total)
	}
	var pub struct{ Status int }
	if st := s.call(t, "GET", "/api/v1/public/dossiers/"+code, "", "", &pub); st != 200 || pub.Status != 10 {
		t.Fatalf("dossier after restart: %d %+v", st, pub)
	}
	// The walked dossier's electronic result: signed by the commune with
	// the CA `serve --demo` made offline in DATA/pki; `pki verify` accepts
	// it and refuses a copy with one byte changed.
	pdf := s.resultPDF(t, code)
	signed := filepath.Join(t.TempDir(), "ket-qua.pdf")
	altered := filepath.Join(t.TempDir(), "ket-qua-sua.pdf")
	bad := bytes.Clone(pdf)
	bad[len(bad)/3] ^= 0x01
	if err := os.WriteFile(signed, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(altered, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		ok   bool
	}{{signed, true}, {altered, false}} {
		out, err := exec.Command(binary(t), "pki", "verify", "--dir", filepath.Join(data, "pki"), tc.file).CombinedOutput()
		if (err == nil) != tc.ok {
			t.Errorf("pki verify %s: %v\n%s", filepath.Base(tc.file), err, out)
		}
	}
	s.stop(t)

	verify := func() (int, string) {
		out, err := exec.Command(binary(t), "audit", "verify", "--data", data).CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	if code, out := verify(); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %d %s", code, out)
	}
	// Someone with file access alters one row: verify names it and fails.
	db, err := sql.Open("sqlite", filepath.Join(data, "motcua.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if code, out := verify(); code == 0 || !strings.Contains(out, "entry 2") {
		t.Fatalf("audit verify after tampering: %d %s", code, out)
	}
}

func TestEndToEndPostgres(t *testing.T) {
	base := os.Getenv("MOTCUA_TEST_POSTGRES")
	if base == "" {
		t.Skip("MOTCUA_TEST_POSTGRES is not set: PostgreSQL suite skipped")
	}
	url := freshSchema(t, base)
	s := startServer(t, "--db", url, "--data", t.TempDir(), "--demo")
	contract(t, s)
	dossierWalk(t, s)
	s.stop(t)
	out, err := exec.Command(binary(t), "audit", "verify", "--db", url).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "intact") {
		t.Fatalf("audit verify --db: %v %s", err, out)
	}
}

// resultPDF downloads the signed result of a dossier as its applicant,
// congdan, from the dossier page, and fails the test unless it is a PDF.
func (s *server) resultPDF(t *testing.T, code string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", s.base+"/ho-so/"+code+"/ket-qua", nil)
	req.AddCookie(&http.Cookie{Name: "motcua_session", Value: s.login(t, "congdan")})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("result of %s: %d %.80q", code, res.StatusCode, pdf)
	}
	return pdf
}
