package results_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

func actor(e *apptest.Env, user string) identity.Actor {
	if user == "" {
		return apptest.Anonymous()
	}
	return e.Actor(user)
}

// done walks a birth registration of congdan to its end.
func done(t *testing.T, e *apptest.Env) dossier.Dossier {
	t.Helper()
	d := e.Submit(t, apptest.Citizen, "1.001193")
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	return e.WalkToDone(t, d.Code)
}

// A dossier done gets its signed result in the same action, with its audit
// entry; the result joins the results dataset and the holder's store, and
// the birth record it would write back, incomplete, is quarantined.
func TestResultIssued(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	d := done(t, e)
	r := d.Result
	if r == nil || !strings.HasPrefix(r.ID, d.Code+".") || r.AgencyID != d.CompetentAgency || r.SignerName == "" || !r.SignedAt.Equal(e.Now()) {
		t.Fatalf("result = %+v", r)
	}
	if stored, _ := e.Store.Dossier(e.Ctx, d.Code); stored.Result == nil || stored.Result.SHA256 != r.SHA256 {
		t.Errorf("stored result = %+v", stored.Result)
	}
	es := e.Audit(t, "dossier.result_issued", "dossier:"+d.Code)
	if len(es) != 1 || apptest.Details(t, es[0])["result_id"] != r.ID || es[0].Actor != apptest.Clerk {
		t.Errorf("%d dossier.result_issued entries", len(es))
	}
	// The holder is the child, given a personal ID at registration; the
	// birth record is written with it (TestBirthCertificate checks more).
	if rec, err := e.Store.DatasetRecord(e.Ctx, registry.Results, r.ID); err != nil || rec.Subject != r.HolderID || r.HolderID == "" || rec.Source != "result:"+d.Code {
		t.Errorf("results record = %+v, %v", rec, err)
	}
	if q, n, err := e.Store.Quarantined(e.Ctx, registry.CivilStatus, 10); err != nil || n != 0 {
		t.Errorf("quarantined write-back = %+v, %v", q, err)
	}
	if len(e.Audit(t, "registry.quarantine", "")) != 0 || len(e.Audit(t, "registry.write_back", "")) != 3 {
		t.Error("write-backs (results, population, civil status) not audited")
	}
	events, _ := e.Store.PendingOutbox(e.Ctx, 100)
	if !slices.ContainsFunc(events, func(ev store.OutboxEvent) bool { return ev.Topic == "dossier.result_issued" }) {
		t.Error("no dossier.result_issued event")
	}

	// Without a PKI a dossier is done without a result.
	plain := apptest.New(t)
	if d := done(t, plain); d.Result != nil || d.Status != dossier.StatusDone {
		t.Errorf("without PKI: status %d, result %+v", d.Status, d.Result)
	}
}

func TestResultPDF(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	d := done(t, e)
	pending := e.Submit(t, apptest.Citizen, "1.001193")
	for _, tt := range []struct {
		name, user, code string
		want             errs.Kind
	}{
		{"applicant", apptest.Citizen, d.Code, apptest.OK},
		{"competent agency", apptest.Leader, d.Code, apptest.OK},
		{"another citizen", apptest.Citizen2, d.Code, errs.NotFound},
		{"police", apptest.Police, d.Code, errs.NotFound},
		{"anonymous", "", d.Code, errs.Unauthorized},
		{"no result yet", apptest.Citizen, pending.Code, errs.NotFound},
		{"no such dossier", apptest.Citizen, "000.00.50.H01-261123-99999", errs.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, pdf, err := e.App.Results.ResultPDF(e.Ctx, actor(e, tt.user), tt.code)
			apptest.WantKind(t, err, tt.want)
			if err != nil {
				return
			}
			sum := sha256.Sum256(pdf)
			if r.ID != d.Result.ID || hex.EncodeToString(sum[:]) != r.SHA256 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Errorf("result %s, %d bytes", r.ID, len(pdf))
			}
		})
	}
	if n := len(e.Audit(t, "dossier.result.read", "dossier:"+d.Code)); n != 2 {
		t.Errorf("%d dossier.result.read entries, want 2", n)
	}
}

func TestVerify(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	d := done(t, e)
	_, pdf, err := e.App.Results.ResultPDF(e.Ctx, e.Actor(apptest.Citizen), d.Code)
	if err != nil {
		t.Fatal(err)
	}

	v, err := e.App.Results.VerifyResult(e.Ctx, " "+d.Result.ID+" ")
	if err != nil || !v.Valid() || !v.Matches || v.Result == nil || v.Result.Code != d.Code || v.Result.Applicant != "Nguyễn V. A***" {
		t.Fatalf("VerifyResult = %+v, %v", v, err)
	}
	for _, id := range []string{d.Code + ".000000000000000000000000", d.Code, "nope", ""} {
		if _, err := e.App.Results.VerifyResult(e.Ctx, id); errs.KindOf(err) != errs.NotFound {
			t.Errorf("VerifyResult(%q): %v", id, err)
		}
	}

	altered := bytes.Clone(pdf)
	i := bytes.Index(altered, []byte("stream\n")) // the first stream: the page's drawing (signed)
	if i < 0 {
		t.Fatal("the result has no stream")
	}
	altered[i+len("stream\n")+20] ^= 1 // one bit of the signed document
	for _, tt := range []struct {
		name    string
		pdf     []byte
		valid   bool
		intact  bool // the signed bytes hash to the signature's digest
		matches bool
		named   bool // the signature names the stored result
	}{
		{"the result", pdf, true, true, true, true},
		{"a byte altered", altered, false, false, false, true},
		{"not a PDF", []byte("hello"), false, false, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := e.App.Results.VerifyUpload(e.Ctx, tt.pdf)
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid() != tt.valid || v.Report.Integrity.OK != tt.intact || v.Matches != tt.matches || (v.Result != nil) != tt.named {
				t.Errorf("valid %v matches %v result %+v; report %+v, err %v", v.Valid(), v.Matches, v.Result, v.Report, v.Err)
			}
		})
	}

	// Without a PKI nothing can be verified.
	bare := results.New(e.App.Kernel, e.App.Province, e.App.ShareData, results.Config{Files: e.Files})
	if _, err := bare.VerifyUpload(e.Ctx, pdf); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("without PKI: %v", err)
	}
	if bare.PKI() != nil || e.App.Results.PKI() == nil {
		t.Error("PKI() does not tell whether results are signed")
	}
	// The report checks the signature against the province's CA.
	crl, err := e.PKI.CRL(e.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := pki.VerifyPDF(pdf, e.PKI.Roots(), crl, e.Now()); err != nil || !rep.Valid() {
		t.Errorf("pki.VerifyPDF = %+v, %v", rep, err)
	}
}

// The holder's personal store lists the result; sharing opens it to
// anyone with the link until revoked.
func TestMyDocuments(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	d := done(t, e)
	for _, tt := range []struct {
		name, user string
		want       errs.Kind
		n          int
	}{
		{"holder", apptest.Citizen, apptest.OK, 1},
		{"another citizen", apptest.Citizen2, apptest.OK, 0},
		{"enterprise", apptest.Enterprise, errs.Forbidden, 0},
		{"official", apptest.Specialist, errs.Forbidden, 0},
		{"anonymous", "", errs.Unauthorized, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := e.App.Results.MyDocuments(e.Ctx, actor(e, tt.user))
			apptest.WantKind(t, err, tt.want)
			if len(docs) != tt.n {
				t.Fatalf("%d documents, want %d", len(docs), tt.n)
			}
			if tt.n == 1 && (docs[0].ResultID != d.Result.ID || docs[0].DossierCode != d.Code || docs[0].FileID != d.Result.SHA256 || docs[0].Shared) {
				t.Errorf("document = %+v", docs[0])
			}
		})
	}
	docs, _ := e.App.Results.MyDocuments(e.Ctx, e.Actor(apptest.Citizen))
	id := docs[0].ID
	if len(e.Audit(t, "wallet.add", "document:"+id)) != 1 {
		t.Error("the document's addition is not audited")
	}

	_, f, err := e.App.Results.DocumentFile(e.Ctx, e.Actor(apptest.Citizen), id, false)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != d.Result.SHA256 {
		t.Error("the document's file is not the result")
	}
	if _, _, err := e.App.Results.DocumentFile(e.Ctx, e.Actor(apptest.Citizen2), id, false); errs.KindOf(err) != errs.NotFound {
		t.Errorf("another citizen opens it: %v", err)
	}
	if _, err := e.App.Results.SharedDocument(e.Ctx, apptest.Anonymous(), id); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unshared document: %v", err)
	}
	if _, err := e.App.Results.ShareDocument(e.Ctx, e.Actor(apptest.Citizen2), id, true); errs.KindOf(err) != errs.NotFound {
		t.Errorf("another citizen shares it: %v", err)
	}
	if doc, err := e.App.Results.ShareDocument(e.Ctx, e.Actor(apptest.Citizen), id, true); err != nil || !doc.Shared {
		t.Fatalf("share: %+v, %v", doc, err)
	}
	if _, err := e.App.Results.SharedDocument(e.Ctx, apptest.Anonymous(), id); err != nil {
		t.Errorf("shared document: %v", err)
	}
	if _, err := e.App.Results.ShareDocument(e.Ctx, e.Actor(apptest.Citizen), id, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.App.Results.DocumentFile(e.Ctx, apptest.Anonymous(), id, true); errs.KindOf(err) != errs.NotFound {
		t.Errorf("revoked share: %v", err)
	}
	for action, want := range map[string]int{"wallet.share": 2, "wallet.shared_read": 1, "wallet.read": 1} {
		if n := len(e.Audit(t, action, "document:"+id)); n != want {
			t.Errorf("%d %s entries, want %d", n, action, want)
		}
	}
}
