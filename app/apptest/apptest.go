// Package apptest builds the use cases of every capability over a real
// store for the tests of the app packages, without the web layer: the demo
// province seeded, a clock the test moves, the demo accounts as actors, and
// helpers that submit and walk dossiers the way the demo officials do.
//
// Only tests import it. SQLite in the test's temporary directory is the
// default; the Postgres option runs on a fresh schema of the database named
// by MOTCUA_TEST_POSTGRES (the test is skipped when it is unset), and
// MOTCUA_TEST_STORE=postgres runs every environment there:
//
//	MOTCUA_TEST_STORE=postgres MOTCUA_TEST_POSTGRES=postgres://… go test ./app/...
package apptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

// Start is where the clock of every environment starts: Monday
// 2026-11-23 09:00 UTC, 16:00 in Vietnam (the web tests' clock, so that
// dossier codes and deadlines read the same in both).
var Start = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// PostgresURLEnv names the environment variable of the PostgreSQL
// database the Postgres option uses, as the store's own tests do: a URL of
// a database where the tests may create and drop schemas.
const PostgresURLEnv = "MOTCUA_TEST_POSTGRES"

// StoreEnv names the environment variable that, set to "postgres", gives
// every environment the Postgres option.
const StoreEnv = "MOTCUA_TEST_STORE"

// PublicURL is the public address the environment's results point to.
const PublicURL = "https://dichvucong.example.vn"

// MinimalPDF is a small valid PDF document to upload.
const MinimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// The demo accounts (password demo.Password) and what they are.
const (
	Citizen      = "congdan"     // verified citizen of the demo commune, with shared-data records
	Citizen2     = "congdan2"    // verified citizen of another commune
	Enterprise   = "doanhnghiep" // enterprise
	Receiver     = "tiepnhan"    // receiver at the province's service centre
	CommuneDesk  = "tiepnhanxa"  // receiver at the demo commune
	Specialist   = "chuyenvien"  // specialist of the demo commune
	Leader       = "lanhdao"     // leader of the demo commune
	Clerk        = "vanthu"      // clerk of the demo commune
	Police       = "congan"      // specialist of the province police
	Insurance    = "baohiem"     // specialist of social insurance
	ProvinceView = "lanhdaotinh" // viewer at the province's People's Committee
	Admin        = "quantri"     // administrator
)

// Env is the use cases of a seeded demo province over a real store. Its
// helpers take the testing.TB to fail, so that subtests may use them.
type Env struct {
	t      testing.TB // the test that made it (for Actor and Rebuild)
	Ctx    context.Context
	App    *platform.Services
	Store  store.Store
	Files  *blob.Store
	PKI    *pki.Authority // nil unless WithPKI
	Config platform.Config
	Seeded demo.Accounts // the demo's commune, its agency, the service centre

	mu       sync.Mutex
	now      time.Time
	accounts map[string]identity.Account
}

type options struct {
	pki      bool
	postgres bool
	config   []func(*platform.Config)
}

// Option tunes New.
type Option func(*options)

// WithPKI gives the province a CA and every demo agency a signing
// certificate, so that a dossier done gets its signed result.
func WithPKI() Option { return func(o *options) { o.pki = true } }

// Postgres runs on a fresh schema of the PostgreSQL database named by
// MOTCUA_TEST_POSTGRES, dropped when the test ends; without it the test is
// skipped.
func Postgres() Option { return func(o *options) { o.postgres = true } }

// WithConfig changes the platform's configuration before the services are
// built; the clock and the file store stay the environment's, and WithPKI
// sets the PKI.
func WithConfig(f func(*platform.Config)) Option {
	return func(o *options) { o.config = append(o.config, f) }
}

// New builds the services over a new store with the demo province seeded
// and the clock at Start. Failed logins are not limited unless WithConfig
// sets LoginBurst.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	o := options{postgres: os.Getenv(StoreEnv) == "postgres"}
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	e := &Env{t: t, Ctx: ctx, now: Start, accounts: map[string]identity.Account{}}
	files, err := blob.Open(t.TempDir(), 5<<20)
	if err != nil {
		t.Fatal(err)
	}
	e.Files = files
	e.Config = platform.Config{ProvinceCode: "01", Logger: discard, LoginBurst: 1000, PublicURL: PublicURL}
	for _, f := range o.config {
		f(&e.Config)
	}
	e.Config.Now, e.Config.Files = e.Now, files
	if o.postgres {
		e.Store = openPostgres(t)
	} else {
		e.Store = openSQLite(t, e.Config.ProvinceCode)
	}
	e.App, err = platform.New(ctx, e.Store, e.Config)
	if err != nil {
		t.Fatal(err)
	}
	// On a copy of the template this only tells where the demo lives.
	if e.Seeded, err = demo.Seed(ctx, e.App, e.Store); err != nil {
		t.Fatal(err)
	}
	if o.pki {
		e.PKI = newPKI(t, e)
		e.Config.PKI = e.PKI
		e.Rebuild()
	}
	return e
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// templates are directories made once per test binary and copied for
// each environment, kept in memory: the SQLite store with the demo seeded
// at Start (seeding takes half a second, a copy milliseconds), and the
// PKI of the demo agencies (a second).
var templates = struct {
	sync.Mutex
	dirs map[string]map[string][]byte // name → path in the directory → content
}{dirs: map[string]map[string][]byte{}}

// fromTemplate copies the template name into a new directory of t, making
// the template with build on first use.
func fromTemplate(t testing.TB, name string, build func(dir string) error) string {
	t.Helper()
	files, err := template(name, build)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for rel, b := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func template(name string, build func(dir string) error) (map[string][]byte, error) {
	templates.Lock()
	defer templates.Unlock()
	if files, ok := templates.dirs[name]; ok {
		return files, nil
	}
	dir, err := os.MkdirTemp("", "apptest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := build(dir); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	files := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err == nil {
			files[rel], err = os.ReadFile(p)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	templates.dirs[name] = files
	return files, nil
}

// openSQLite opens a copy of the store seeded with the province's demo.
func openSQLite(t testing.TB, province string) store.Store {
	t.Helper()
	dir := fromTemplate(t, "sqlite-"+province, func(dir string) error {
		ctx := context.Background()
		db, err := sqlstore.OpenSQLite(ctx, dir)
		if err != nil {
			return err
		}
		a, err := platform.New(ctx, db, platform.Config{ProvinceCode: province, Now: func() time.Time { return Start }, Logger: discard})
		if err == nil {
			_, err = demo.Seed(ctx, a, db)
		}
		return errors.Join(err, db.Close())
	})
	db, err := sqlstore.OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres opens a fresh schema of the PostgreSQL test database,
// dropped when the test ends, or skips the test.
func openPostgres(t testing.TB) store.Store {
	t.Helper()
	ctx := context.Background()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		t.Skip(PostgresURLEnv + " is not set: PostgreSQL run skipped")
	}
	u, drop, err := sqlstore.CreateSchema(ctx, base, "apptest")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.OpenPostgres(ctx, u)
	if err != nil {
		drop()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		drop()
	})
	return db
}

// newPKI makes a province CA valid from the day before Start, with a
// certificate for every agency of the store, as `serve --demo` does.
func newPKI(t testing.TB, e *Env) *pki.Authority {
	t.Helper()
	p := e.App.Kernel.Province
	dir := fromTemplate(t, "pki-"+p.Code, func(dir string) error {
		list, err := e.Store.Agencies(e.Ctx, unit.AgencyFilter{})
		if err != nil {
			return err
		}
		ags := make([]pki.Agency, 0, len(list))
		for _, a := range list {
			ags = append(ags, pki.Agency{ID: a.ID, Name: a.Name})
		}
		_, err = pki.InitProvince(dir, pki.Province{Code: p.Code, Name: p.Name}, ags, Start.Add(-24*time.Hour), pki.Options{PublicURL: PublicURL})
		return err
	})
	ca, err := pki.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

// Rebuild builds the services anew from e.Config over the same store, as a
// restarted server would: what they keep in memory is gone.
func (e *Env) Rebuild() {
	e.t.Helper()
	e.Config.Now, e.Config.Files = e.Now, e.Files
	a, err := platform.New(e.Ctx, e.Store, e.Config)
	if err != nil {
		e.t.Fatal(err)
	}
	e.App = a
}

// Now is the environment's clock.
func (e *Env) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// SetClock moves the clock to t.
func (e *Env) SetClock(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

// Advance moves the clock by d.
func (e *Env) Advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// Actor is the demo account username acting, as stored when first asked
// for in this environment (Fresh reads it again). An unknown username
// fails the test that made the environment.
func (e *Env) Actor(username string) identity.Actor {
	e.mu.Lock()
	acc, ok := e.accounts[username]
	e.mu.Unlock()
	if !ok {
		var err error
		if acc, err = e.Store.AccountByUsername(e.Ctx, username); err != nil {
			e.t.Fatalf("account %s: %v", username, err)
		}
		e.mu.Lock()
		e.accounts[username] = acc
		e.mu.Unlock()
	}
	acc.Grants = append([]identity.Grant(nil), acc.Grants...)
	return identity.Actor{Account: &acc, IP: "192.0.2.1", UserAgent: "apptest"}
}

// Fresh forgets the accounts read by Actor (after a change of grants).
func (e *Env) Fresh() {
	e.mu.Lock()
	e.accounts = map[string]identity.Account{}
	e.mu.Unlock()
}

// Anonymous is a caller without an account.
func Anonymous() identity.Actor { return identity.Actor{IP: "192.0.2.9", UserAgent: "apptest"} }

// UploadPDF uploads MinimalPDF (made unique by note) as user and returns
// the file's ID.
func (e *Env) UploadPDF(t testing.TB, user, note string) string {
	t.Helper()
	f, err := e.App.Dossiers.Upload(e.Ctx, e.Actor(user), "giay-to.pdf", "application/pdf", strings.NewReader(MinimalPDF+"% "+note+"\n"))
	if err != nil {
		t.Fatalf("upload as %s: %v", user, err)
	}
	return f.ID
}

// SubmitInput is a complete application of procedure by user: the sample
// declaration of its form (catalog.SampleData) and an uploaded PDF for
// every required component.
func (e *Env) SubmitInput(t testing.TB, user, procedure string) dossiers.SubmitInput {
	t.Helper()
	p, err := e.Store.Procedure(e.Ctx, procedure)
	if err != nil {
		t.Fatalf("procedure %s: %v", procedure, err)
	}
	var schema map[string]any
	if err := json.Unmarshal(p.FormSchema, &schema); err != nil {
		t.Fatalf("form of %s: %v", procedure, err)
	}
	form, err := json.Marshal(catalog.SampleData(schema))
	if err != nil {
		t.Fatal(err)
	}
	in := dossiers.SubmitInput{ProcedureCode: procedure, Form: form}
	for _, c := range p.Components {
		if c.Required {
			in.Components = append(in.Components, dossier.ComponentInput{Code: c.Code, FileID: e.UploadPDF(t, user, c.Code)})
		}
	}
	return in
}

// Submit files the complete application of SubmitInput as user.
func (e *Env) Submit(t testing.TB, user, procedure string) dossier.Dossier {
	t.Helper()
	d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(user), e.SubmitInput(t, user, procedure))
	if err != nil {
		t.Fatalf("submit %s as %s: %v", procedure, user, err)
	}
	return d
}

// Act applies an action as user, failing the test on error.
func (e *Env) Act(t testing.TB, user, code string, action dossier.Action) dossier.Dossier {
	t.Helper()
	d, err := e.App.Dossiers.Act(e.Ctx, e.Actor(user), code, dossier.Request{Action: action, Note: "apptest"})
	if err != nil {
		t.Fatalf("%s on %s as %s: %v", action, code, user, err)
	}
	return d
}

// StepUser is a demo official who holds the current step's role at its
// agency ("" when the dossier has no open step or nobody holds it).
func (e *Env) StepUser(t testing.TB, d *dossier.Dossier) string {
	t.Helper()
	st := d.CurrentStep()
	if st == nil {
		return ""
	}
	if st.AgencyID == "" && st.Role == identity.RoleReceiver {
		return Receiver // an online dossier's receipt: the centre receives for the province
	}
	list, _, err := e.Store.Accounts(e.Ctx, identity.AccountFilter{AgencyID: st.AgencyID, Kind: identity.KindOfficial, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range list {
		if !acc.Disabled && acc.HasRole(st.Role, st.AgencyID) {
			return acc.Username
		}
	}
	return ""
}

// WalkToDone has the officials of each step complete it, from a received
// dossier until it is done (status 9).
func (e *Env) WalkToDone(t testing.TB, code string) dossier.Dossier {
	t.Helper()
	d, err := e.Store.Dossier(e.Ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; d.Status != dossier.StatusDone; i++ {
		user := e.StepUser(t, &d)
		if i > 12 || user == "" {
			t.Fatalf("walk of %s stuck at status %d, step %+v", code, d.Status, d.CurrentStep())
		}
		d = e.Act(t, user, code, dossier.ActCompleteStep)
	}
	return d
}

// Returned submits procedure as user, has it received, handled and its
// result returned (status 10).
func (e *Env) Returned(t testing.TB, user, procedure string) dossier.Dossier {
	t.Helper()
	d := e.Submit(t, user, procedure)
	e.Act(t, Receiver, d.Code, dossier.ActReceive)
	e.WalkToDone(t, d.Code)
	return e.Act(t, Receiver, d.Code, dossier.ActReturn)
}

// Audit lists the audit entries of an action ("" = any) on an object
// ("" = any), newest first.
func (e *Env) Audit(t testing.TB, action, object string) []audit.Entry {
	t.Helper()
	es, err := e.Store.AuditEntries(e.Ctx, audit.Filter{Action: action, Object: object, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// Details decodes an audit entry's details.
func Details(t testing.TB, en audit.Entry) map[string]any {
	t.Helper()
	m := map[string]any{}
	if len(en.Details) > 0 {
		if err := json.Unmarshal(en.Details, &m); err != nil {
			t.Fatalf("details of %s: %v", en.Action, err)
		}
	}
	return m
}

// OK stands for "no error" in WantKind's tables (a value no error kind
// takes).
const OK errs.Kind = 1 << 10

// WantKind fails t unless err is nil (want OK) or of kind want.
func WantKind(t testing.TB, err error, want errs.Kind) {
	t.Helper()
	switch {
	case want == OK && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != OK && err == nil:
		t.Fatalf("no error, want %s", want)
	case want != OK && errs.KindOf(err) != want:
		t.Fatalf("error %v is %s, want %s", err, errs.KindOf(err), want)
	}
}

// Fields lists the fields an Invalid error names.
func Fields(err error) []string {
	e, ok := errs.As(err)
	if !ok {
		return nil
	}
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f.Field
	}
	return out
}
