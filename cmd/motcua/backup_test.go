package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/store/sqlstore"
)

// submitLoad submits dossiers of procedure code as congdan until stop is
// closed, and returns how many were accepted; a failure is reported on
// errc (no t.Fatal off the test's goroutine).
func submitLoad(s *server, token, code string, stop <-chan struct{}, n *atomic.Int64, errc chan<- error) {
	var p struct {
		FormSchema map[string]any `json:"form_schema"`
		Components []struct {
			Code     string
			Required bool
		}
	}
	do := func(method, path, ctype string, body []byte, out any) error {
		req, _ := http.NewRequest(method, s.base+path, bytes.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 300 {
			return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
		if out != nil {
			return json.Unmarshal(b, out)
		}
		return nil
	}
	if err := do("GET", "/api/v1/procedures/"+code, "", nil, &p); err != nil {
		errc <- err
		return
	}
	for i := 0; ; i++ {
		select {
		case <-stop:
			errc <- nil
			return
		default:
		}
		var comps []map[string]string
		for _, c := range p.Components {
			if c.Required {
				var f struct{ ID string }
				// A different file each time: new blobs land in the file
				// store while the backup copies it.
				if err := do("POST", "/api/v1/files", "application/pdf", []byte(samplePDF+fmt.Sprintf("%% load %d %s\n", i, c.Code)), &f); err != nil {
					errc <- err
					return
				}
				comps = append(comps, map[string]string{"code": c.Code, "file_id": f.ID})
			}
		}
		body, _ := json.Marshal(map[string]any{"procedure_code": code, "form": catalog.SampleData(p.FormSchema), "components": comps})
		if err := do("POST", "/api/v1/dossiers", "application/json", body, nil); err != nil {
			errc <- err
			return
		}
		n.Add(1)
	}
}

// TestBackupRestoreDrill is the restore drill on the embedded store: a
// real server under load (a goroutine keeps submitting), `motcua backup`
// run beside it as its own process, stopping nothing, then `motcua
// restore` into a fresh directory. The restored store opens and serves,
// its audit chain verifies against the anchors and PKI the backup
// carried, it holds the dossiers the manifest counted, every blob hashes
// to its name, and a walked dossier's signed result is served again.
func TestBackupRestoreDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	data := t.TempDir()
	s := startServer(t, "--data", data, "--demo", "--uploads-per-hour", "100000") // the load uploads more than a citizen may
	walked := []string{dossierWalk(t, s), dossierWalk(t, s)}

	stop := make(chan struct{})
	errc := make(chan error, 1)
	var submitted atomic.Int64
	go submitLoad(s, s.login(t, "congdan"), "1.001193", stop, &submitted, errc)
	var once sync.Once
	halt := func() {
		once.Do(func() { close(stop) })
	}
	t.Cleanup(halt)
	// Let the load start before the backup, and keep it going through it.
	for deadline := time.Now().Add(20 * time.Second); submitted.Load() < 3; {
		if time.Now().After(deadline) {
			t.Fatal("load did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	before := submitted.Load()
	bak := filepath.Join(t.TempDir(), "backup")
	start := time.Now()
	out, err := exec.Command(binary(t), "backup", "--data", data, "--out", bak).CombinedOutput()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	during := submitted.Load() - before
	// A few more submissions after the backup: the server still writes.
	for deadline := time.Now().Add(20 * time.Second); submitted.Load() < before+during+2; {
		if time.Now().After(deadline) {
			t.Fatal("the server stopped accepting submissions after the backup")
		}
		time.Sleep(20 * time.Millisecond)
	}
	halt()
	if err := <-errc; err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Logf("%s(%.2fs; %d submissions accepted during the backup, %d in all)", out, took.Seconds(), during, submitted.Load())
	s.stop(t)

	var m manifest
	b, err := os.ReadFile(filepath.Join(bak, manifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Dialect != "sqlite" || !strings.HasSuffix(m.Created, "+07:00") || m.Counts.Dossiers < int64(len(walked))+before || m.Counts.AuditEntries == 0 {
		t.Fatalf("manifest: %+v (submitted before the backup: %d)", m, before)
	}
	if st, err := os.Stat(filepath.Join(bak, "pki", "ca.key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("CA key in the backup: %v %v", st, err)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	if code, out, errOut := runCLI("restore", "--from", bak, "--data", restored); code != 0 {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCLI("restore", "--from", bak, "--data", restored); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("restore over a non-empty directory: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCLI("audit", "verify", "--data", restored); code != 0 || !strings.Contains(out, "intact") || strings.Contains(out, " 0 signed anchors") {
		t.Fatalf("audit verify of the restore: %d %s %s", code, out, errOut)
	}
	db, err := sqlstore.OpenSQLite(context.Background(), restored)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sqliteCounts(context.Background(), filepath.Join(restored, sqlstore.SQLiteFile))
	db.Close()
	if err != nil || c != m.Counts {
		t.Fatalf("restored counts %+v, manifest %+v: %v", c, m.Counts, err)
	}
	blobs := 0
	err = filepath.WalkDir(filepath.Join(restored, "files"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(f)
		if hex.EncodeToString(sum[:]) != d.Name() {
			return fmt.Errorf("blob %s hashes to %x", p, sum)
		}
		blobs++
		return nil
	})
	if err != nil || blobs == 0 {
		t.Fatalf("restored blobs (%d): %v", blobs, err)
	}

	// The restored directory serves: the walked dossiers' signed results.
	s = startServer(t, "--data", restored, "--demo")
	for _, code := range walked {
		s.resultPDF(t, code)
	}
	s.stop(t)
}

// TestRestoreRefusesTamperedBackup: one byte changed in a blob of a
// backup, and restore refuses it, naming the file, before writing
// anything.
func TestRestoreRefusesTamperedBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	data := t.TempDir()
	s := startServer(t, "--data", data, "--demo")
	dossierWalk(t, s)
	bak := filepath.Join(t.TempDir(), "backup")
	if code, out, errOut := runCLI("backup", "--data", data, "--out", bak); code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	s.stop(t)
	if code, out, errOut := runCLI("backup", "--data", data, "--out", bak); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("backup over an existing backup: %d %s %s", code, out, errOut)
	}
	var blob string
	_ = filepath.WalkDir(filepath.Join(bak, "files"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && blob == "" {
			blob = p
		}
		return nil
	})
	if blob == "" {
		t.Fatal("no blob in the backup")
	}
	b, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	if err := os.WriteFile(blob, b, 0o600); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(bak, blob)
	target := filepath.Join(t.TempDir(), "restored")
	code, out, errOut := runCLI("restore", "--from", bak, "--data", target)
	if code == 0 || !strings.Contains(errOut, filepath.ToSlash(rel)) || !strings.Contains(errOut, "damaged") {
		t.Fatalf("restore of a tampered backup: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatalf("restore of a tampered backup wrote %s: %v", target, err)
	}
}

// TestBackupRestoreDrillPostgres: the drill on PostgreSQL. pg_dump copies
// the schema while the server writes; the manifest counts in the snapshot
// pg_dump copied; pg_restore brings it into a fresh database.
func TestBackupRestoreDrillPostgres(t *testing.T) {
	base := os.Getenv("MOTCUA_TEST_POSTGRES")
	if base == "" {
		t.Skip("MOTCUA_TEST_POSTGRES is not set: PostgreSQL suite skipped")
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump not installed")
	}
	ctx := context.Background()
	src := freshSchema(t, base)
	data := t.TempDir()
	s := startServer(t, "--db", src, "--data", data, "--demo", "--uploads-per-hour", "100000")
	walked := dossierWalk(t, s)
	stop := make(chan struct{})
	errc := make(chan error, 1)
	var submitted atomic.Int64
	go submitLoad(s, s.login(t, "congdan"), "1.001193", stop, &submitted, errc)
	for deadline := time.Now().Add(20 * time.Second); submitted.Load() < 3; {
		if time.Now().After(deadline) {
			close(stop)
			t.Fatal("load did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	bak := filepath.Join(t.TempDir(), "backup")
	out, err := exec.Command(binary(t), "backup", "--data", data, "--db", src, "--out", bak).CombinedOutput()
	close(stop)
	if lerr := <-errc; lerr != nil {
		t.Fatalf("load: %v", lerr)
	}
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	t.Logf("%s(%d submissions in all)", out, submitted.Load())
	s.stop(t)

	// A fresh database to restore into, the schema named as the source's.
	admin, err := sqlstore.OpenPostgresRaw(base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	dbName := fmt.Sprintf("restore_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+dbName); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.ExecContext(context.Background(), "DROP DATABASE "+dbName+" WITH (FORCE)") })
	u, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + dbName
	dst := u.String()

	restored := filepath.Join(t.TempDir(), "restored")
	if code, out, errOut := runCLI("restore", "--from", bak, "--data", restored, "--db", dst); code != 0 {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCLI("restore", "--from", bak, "--data", t.TempDir(), "--db", dst); code == 0 || !strings.Contains(errOut, "already holds") {
		t.Fatalf("restore into a non-empty database: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCLI("audit", "verify", "--data", restored, "--db", dst); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify of the restore: %d %s %s", code, out, errOut)
	}
	s = startServer(t, "--db", dst, "--data", restored, "--demo")
	s.resultPDF(t, walked)
	s.stop(t)
}
