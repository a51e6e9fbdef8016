package results_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/motcua/motcua/store/storetest"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

// faultyStore wraps the real store to break the transaction that records
// a result in the ways a deployment can see it broken.
type faultyStore struct {
	store.Store
	// failResult fails every transaction that staged a file (the one that
	// records a result) after all its statements ran: it rolls back.
	failResult atomic.Bool
	// dropHooks drops the AfterCommit hooks: the transaction commits and
	// nothing runs after, as when the process stops right after a commit.
	dropHooks atomic.Bool
	// noPrepare fails the store's own dossier reads, so that Act cannot
	// prepare the result before its transaction and issues it inside.
	noPrepare atomic.Bool
}

var errInjected = errors.New("injected failure after the result was issued")

func (s *faultyStore) Dossier(ctx context.Context, code string) (dossier.Dossier, error) {
	if s.noPrepare.Load() {
		return dossier.Dossier{}, errors.New("injected read failure")
	}
	return s.Store.Dossier(ctx, code)
}

func (s *faultyStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.Store.Update(ctx, func(tx store.Tx) error {
		ft := &faultyTx{Tx: tx, drop: s.dropHooks.Load()}
		if err := fn(ft); err != nil {
			return err
		}
		if ft.staged && s.failResult.Load() {
			return errInjected
		}
		return nil
	})
}

type faultyTx struct {
	store.Tx
	staged, drop bool
}

func (t *faultyTx) StageFile(ctx context.Context, f store.StagedFile) error {
	t.staged = true
	return t.Tx.StageFile(ctx, f)
}

func (t *faultyTx) AfterCommit(fn func()) {
	if !t.drop {
		t.Tx.AfterCommit(fn)
	}
}

// env is the use cases over the demo province with a PKI, on a faulty
// SQLite store and a file store in temporary directories.
type env struct {
	a        *platform.Services
	db       *sqlstore.DB
	fs       *faultyStore
	files    *blob.Store
	filesDir string
	pki      *pki.Authority
	pkiDir   string
}

var now = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 09:00 in Vietnam, a Monday

// newEnv makes the environment with a province CA and no agency
// certificate: agencies get theirs on first use unless provision issues
// them in advance.
func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{db: db, fs: &faultyStore{Store: db}, filesDir: t.TempDir(), pkiDir: t.TempDir()}
	if e.files, err = blob.Open(e.filesDir, 5<<20); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := platform.Config{ProvinceCode: "01", Now: func() time.Time { return now }, Logger: log, Files: e.files, LoginBurst: 100}
	seeder, err := platform.New(ctx, e.fs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, seeder, db); err != nil {
		t.Fatal(err)
	}
	if _, err := pki.InitProvince(e.pkiDir, pki.Province{Code: "01", Name: "Thành phố Hà Nội"}, nil, now.Add(-24*time.Hour), pki.Options{}); err != nil {
		t.Fatal(err)
	}
	if e.pki, err = pki.Open(e.pkiDir); err != nil {
		t.Fatal(err)
	}
	cfg.PKI, cfg.PublicURL = e.pki, "https://dichvucong.example.vn"
	if e.a, err = platform.New(ctx, e.fs, cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

// provision issues the agency's certificate in advance, as `motcua pki
// init` does for every agency.
func (e *env) provision(t testing.TB, agencyID string) {
	t.Helper()
	ag, err := e.db.Agency(context.Background(), agencyID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pki.Issue(pki.Agency{ID: ag.ID, Name: ag.Name}, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
}

// signWith sets the agency's signature mode (the demo's communes sign
// with the leader's personal certificate).
func (e *env) signWith(t testing.TB, agencyID string, mode unit.SignatureMode) {
	t.Helper()
	ctx := context.Background()
	ag, err := e.db.Agency(ctx, agencyID)
	if err != nil {
		t.Fatal(err)
	}
	ag.SignatureMode = mode
	if _, err := e.a.Province.PutAgency(ctx, e.actor(t, "quantri"), ag); err != nil {
		t.Fatal(err)
	}
}

// provisionLeader issues the demo leader's personal certificate at the
// agency in advance (a result signed before); it returns its file.
func (e *env) provisionLeader(t testing.TB, agencyID string) {
	t.Helper()
	ctx := context.Background()
	ag, err := e.db.Agency(ctx, agencyID)
	if err != nil {
		t.Fatal(err)
	}
	acc := e.actor(t, "lanhdao").Account
	if _, _, err := e.pki.PersonalSigner(pki.Official{AccountID: acc.ID, Name: acc.DisplayName, Title: "Chủ tịch", AgencyID: ag.ID, AgencyName: ag.Name}, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
}

// signerCert is the certificate files of who signs the agency's results
// in mode: the agency's, or the demo leader's personal one.
func (e *env) signerCert(t testing.TB, agencyID string, mode unit.SignatureMode) (pem, key string) {
	t.Helper()
	base := filepath.Join("agencies", agencyID)
	if mode == unit.SignPersonal {
		base = filepath.Join("officials", fmt.Sprintf("%d_%s", e.actor(t, "lanhdao").Account.ID, agencyID))
	}
	return base + ".pem", base + ".key"
}

func (e *env) actor(t testing.TB, username string) identity.Actor {
	t.Helper()
	acc, err := e.db.AccountByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return identity.Actor{Account: &acc}
}

const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// received submits a birth registration as the demo citizen and has the
// province centre receive it.
func (e *env) received(t testing.TB) dossier.Dossier {
	t.Helper()
	ctx := context.Background()
	citizen := e.actor(t, "congdan")
	p, err := e.a.Province.Procedure(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(p.FormSchema, &schema); err != nil {
		t.Fatal(err)
	}
	form, _ := json.Marshal(catalog.SampleData(schema))
	var comps []dossier.ComponentInput
	for _, c := range p.Components {
		if c.Required {
			f, err := e.a.Dossiers.Upload(ctx, citizen, c.Code+".pdf", "application/pdf", strings.NewReader(minimalPDF))
			if err != nil {
				t.Fatal(err)
			}
			comps = append(comps, dossier.ComponentInput{Code: c.Code, FileID: f.ID})
		}
	}
	d, err := e.a.Dossiers.Submit(ctx, citizen, dossiers.SubmitInput{ProcedureCode: p.Code, Form: form, Components: comps})
	if err != nil {
		t.Fatal(err)
	}
	if d, err = e.a.Dossiers.Act(ctx, e.actor(t, "tiepnhan"), d.Code, dossier.Request{Action: dossier.ActReceive}); err != nil {
		t.Fatal(err)
	}
	return d
}

var handlers = map[identity.Role]string{identity.RoleSpecialist: "chuyenvien", identity.RoleLeader: "lanhdao", identity.RoleClerk: "vanthu"}

// completeStep has the official of the dossier's current step complete it.
func (e *env) completeStep(t testing.TB, d dossier.Dossier) (dossier.Dossier, error) {
	t.Helper()
	s := d.CurrentStep()
	if s == nil {
		t.Fatalf("dossier %s has no current step (status %d)", d.Code, d.Status)
	}
	return e.a.Dossiers.Act(context.Background(), e.actor(t, handlers[s.Role]), d.Code, dossier.Request{Action: dossier.ActCompleteStep})
}

// toLastStep completes the steps of a received dossier until its last.
func (e *env) toLastStep(t testing.TB, d dossier.Dossier) dossier.Dossier {
	t.Helper()
	for i := 0; d.CurrentStep() != nil && d.Current < len(d.Steps)-1; i++ {
		if i > 10 {
			t.Fatalf("walk stuck: %+v", d)
		}
		var err error
		if d, err = e.completeStep(t, d); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// files lists the files under dir (relative paths) with their sizes.
func files(t testing.TB, dir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		if de.Name() == "ISSUE.lock" { // the PKI directory's issuing lock, empty
			return nil
		}
		info, err := de.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func added(before, after map[string]int64) []string {
	var out []string
	for p := range after {
		if _, ok := before[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func (e *env) auditCount(t testing.TB, action string) int {
	t.Helper()
	list, err := e.db.AuditEntries(context.Background(), audit.Filter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// TestResultRollbackLeavesNothing forces the transaction that completes a
// dossier's last step to roll back after its result was made, signed and
// staged, and finds nothing left behind: no file in the file store, no
// certificate but the agency's own, the dossier as it was, no audit entry,
// event or staged file. The same action then succeeds, its result's PDF in
// the file store, signed with the certificate the failed attempt issued.
// Both ways of issuing are covered: prepared before the transaction, and
// inside it (when the dossier changed meanwhile); with agency certificates
// made in advance and on first use; signed with the agency's seal
// certificate and with the leader's personal one.
func TestResultRollbackLeavesNothing(t *testing.T) {
	type tcase struct {
		name                   string
		mode                   unit.SignatureMode
		provisioned, noPrepare bool
	}
	var cases []tcase
	for _, mode := range unit.SignatureModes {
		cases = append(cases,
			tcase{string(mode) + "/prepared/certificates in advance", mode, true, false},
			tcase{string(mode) + "/prepared/certificate on first use", mode, false, false},
			tcase{string(mode) + "/in transaction/certificates in advance", mode, true, true},
			tcase{string(mode) + "/in transaction/certificate on first use", mode, false, true})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			d := e.toLastStep(t, e.received(t))
			e.signWith(t, d.CompetentAgency, tc.mode)
			switch {
			case tc.provisioned && tc.mode == unit.SignPersonal:
				e.provisionLeader(t, d.CompetentAgency)
			case tc.provisioned:
				e.provision(t, d.CompetentAgency)
			}
			agencyCert, agencyKey := e.signerCert(t, d.CompetentAgency, tc.mode)
			filesBefore, pkiBefore := files(t, e.filesDir), files(t, e.pkiDir)
			if _, ok := pkiBefore[agencyCert]; ok != tc.provisioned {
				t.Fatalf("agency certificate present before: %v", ok)
			}
			seq := storetest.LastSeq(t, e.db)
			outbox, _ := e.db.PendingOutbox(ctx, 1000)

			e.fs.failResult.Store(true)
			e.fs.noPrepare.Store(tc.noPrepare)
			if _, err := e.completeStep(t, d); !errors.Is(err, errInjected) {
				t.Fatalf("last step = %v, want the injected failure", err)
			}
			e.fs.noPrepare.Store(false)

			if got := added(filesBefore, files(t, e.filesDir)); len(got) != 0 {
				t.Errorf("files left in the file store: %q", got)
			}
			newCerts := added(pkiBefore, files(t, e.pkiDir))
			wantCerts := []string(nil)
			if !tc.provisioned {
				// The agency's (or the leader's) certificate, issued on first
				// use, stays: it is on record and used for the next signature.
				wantCerts = []string{agencyCert, agencyKey}
				slices.Sort(wantCerts)
			}
			if !slices.Equal(newCerts, wantCerts) {
				t.Errorf("new files in the PKI directory: %q, want %q", newCerts, wantCerts)
			}
			got, err := e.db.Dossier(ctx, d.Code)
			if err != nil || got.Status == dossier.StatusDone || got.Version != d.Version || got.Result != nil {
				t.Errorf("dossier after the rollback: status %d, version %d (was %d), result %+v, %v", got.Status, got.Version, d.Version, got.Result, err)
			}
			if s := storetest.LastSeq(t, e.db); s != seq {
				t.Errorf("the rollback moved the audit head from %d to %d", seq, s)
			}
			if n := e.auditCount(t, "dossier.result_issued"); n != 0 {
				t.Errorf("%d dossier.result_issued audit entries after the rollback", n)
			}
			if ev, _ := e.db.PendingOutbox(ctx, 1000); len(ev) != len(outbox) {
				t.Errorf("the rollback left %d outbox events", len(ev)-len(outbox))
			}
			if sf, _ := e.db.StagedFiles(ctx, 10); len(sf) != 0 {
				t.Errorf("the rollback left %d staged files", len(sf))
			}

			// Again, without the failure.
			e.fs.failResult.Store(false)
			done, err := e.completeStep(t, got)
			if err != nil || done.Status != dossier.StatusDone || done.Result == nil {
				t.Fatalf("last step again: status %d, result %+v, %v", done.Status, done.Result, err)
			}
			e.checkStored(t, done)
			if newCerts := added(pkiBefore, files(t, e.pkiDir)); !slices.Equal(newCerts, wantCerts) {
				t.Errorf("new files in the PKI directory after the retry: %q, want %q", newCerts, wantCerts)
			}
			list := e.pki.Certificates
			if tc.mode == unit.SignPersonal {
				list = e.pki.PersonalCertificates
			}
			certs, err := list()
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(certs, func(c pki.Issued) bool { return c.AgencyID == d.CompetentAgency })
			if i < 0 || certs[i].Serial != done.Result.SignerSerial {
				t.Errorf("the result is signed by %s, not the agency's certificate on record (%+v)", done.Result.SignerSerial, certs)
			}
			if got := added(filesBefore, files(t, e.filesDir)); len(got) != 1 {
				t.Errorf("files added by the walk: %q, want the result's alone", got)
			}
		})
	}
}

// checkStored checks that the dossier's result is in the file store (and
// no longer staged), byte for byte what ResultPDF serves, and recorded once.
func (e *env) checkStored(t testing.TB, d dossier.Dossier) {
	t.Helper()
	ctx := context.Background()
	stored, err := e.db.Dossier(ctx, d.Code)
	if err != nil || stored.Result == nil || *stored.Result != *d.Result {
		t.Fatalf("stored result %+v, %v; want %+v", stored.Result, err, d.Result)
	}
	f, err := e.files.Open(d.Result.SHA256)
	if err != nil {
		t.Fatalf("the result's PDF is not in the file store: %v", err)
	}
	b, err := io.ReadAll(f)
	f.Close()
	sum := sha256.Sum256(b)
	if err != nil || hex.EncodeToString(sum[:]) != d.Result.SHA256 || int64(len(b)) != d.Result.Size || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("the file store holds %d bytes of another file: %v", len(b), err)
	}
	_, pdf, err := e.a.Results.ResultPDF(ctx, e.actor(t, "congdan"), d.Code)
	if err != nil || !bytes.Equal(pdf, b) {
		t.Errorf("ResultPDF = %d bytes, %v", len(pdf), err)
	}
	// The staged row is deleted by the next write transaction (here the
	// audit of that read; see store.ForgetStagedFile).
	if sf, _ := e.db.StagedFiles(ctx, 10); len(sf) != 0 {
		t.Errorf("%d files still staged after the result was stored and a write followed", len(sf))
	}
	if n := e.auditCount(t, "dossier.result_issued"); n < 1 {
		t.Errorf("no dossier.result_issued audit entry")
	}
}

// TestResultStagedUntilWritten: when the process stops between the commit
// and the writing of the PDF (the hooks dropped), the result is not lost:
// it is in the database, served from there by the first read (which writes
// it to the file store), or written by StoreStagedFiles at the next start.
func TestResultStagedUntilWritten(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	first := e.toLastStep(t, e.received(t))
	e.provision(t, first.CompetentAgency)
	second := e.toLastStep(t, e.received(t))
	e.fs.dropHooks.Store(true)
	var err error
	if first, err = e.completeStep(t, first); err != nil {
		t.Fatal(err)
	}
	if second, err = e.completeStep(t, second); err != nil {
		t.Fatal(err)
	}
	e.fs.dropHooks.Store(false)
	for _, d := range []dossier.Dossier{first, second} {
		if f, err := e.files.Open(d.Result.SHA256); err == nil {
			f.Close()
			t.Fatal("the PDF was written although the hooks were dropped")
		}
	}
	staged, err := e.db.StagedFiles(ctx, 10)
	if err != nil || len(staged) != 2 {
		t.Fatalf("StagedFiles = %d, %v; want the two results", len(staged), err)
	}
	got := slices.Sorted(maps.Keys(map[string]bool{staged[0].SHA256: true, staged[1].SHA256: true}))
	if want := slices.Sorted(maps.Keys(map[string]bool{first.Result.SHA256: true, second.Result.SHA256: true})); !slices.Equal(got, want) {
		t.Fatalf("staged %q, want the results' %q", got, want)
	}

	// The first read serves the staged PDF and writes it out.
	_, pdf, err := e.a.Results.ResultPDF(ctx, e.actor(t, "congdan"), first.Code)
	if sum := sha256.Sum256(pdf); err != nil || hex.EncodeToString(sum[:]) != first.Result.SHA256 {
		t.Fatalf("ResultPDF of a staged result: %d bytes, %v", len(pdf), err)
	}
	if v, err := e.a.Results.VerifyResult(ctx, first.Result.ID); err != nil || !v.Valid() || !v.Matches {
		t.Errorf("VerifyResult of a staged result: %+v, %v", v, err)
	}
	// The next start writes the other.
	if n, err := e.a.Results.StoreStagedFiles(ctx); err != nil || n != 1 {
		t.Fatalf("StoreStagedFiles = %d, %v; want 1", n, err)
	}
	e.checkStored(t, first)
	e.checkStored(t, second)
	if n, err := e.a.Results.StoreStagedFiles(ctx); err != nil || n != 0 {
		t.Errorf("StoreStagedFiles again = %d, %v; want 0", n, err)
	}
}

// TestResultWrittenOnCommit: the normal walk writes the PDF to the file
// store before Act returns and keeps nothing staged.
func TestResultWrittenOnCommit(t *testing.T) {
	e := newEnv(t)
	d := e.toLastStep(t, e.received(t))
	e.signWith(t, d.CompetentAgency, unit.SignSeal)
	d, err := e.completeStep(t, d)
	if err != nil || d.Status != dossier.StatusDone || d.Result == nil {
		t.Fatalf("last step: status %d, result %+v, %v", d.Status, d.Result, err)
	}
	e.checkStored(t, d)
	t.Logf("result PDF: %d bytes", d.Result.Size)
	if _, err := os.Stat(filepath.Join(e.pkiDir, "agencies", d.CompetentAgency+".pem")); err != nil {
		t.Errorf("the agency's certificate issued on first use is not on record: %v", err)
	}
}

// BenchmarkResultIssue times the step that completes a dossier and issues
// its result (render, sign, the transaction, the PDF written after the
// commit), one at a time and eight at once; the walks up to the last step
// are made beforehand, untimed.
func BenchmarkResultIssue(b *testing.B) {
	for _, conc := range []int{1, 8} {
		b.Run(fmt.Sprintf("concurrent=%d", conc), func(b *testing.B) {
			e := newEnv(b)
			ready := make([]dossier.Dossier, b.N)
			for i := range ready {
				ready[i] = e.toLastStep(b, e.received(b))
			}
			e.signWith(b, ready[0].CompetentAgency, unit.SignSeal)
			e.provision(b, ready[0].CompetentAgency)
			work := make(chan dossier.Dossier, b.N)
			for _, d := range ready {
				work <- d
			}
			close(work)
			b.ResetTimer()
			var wg sync.WaitGroup
			for range conc {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for d := range work {
						if _, err := e.completeStep(b, d); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}
