package auditlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/store"
)

// shortened is the real log with its last n entries gone and every head
// rewritten to match, as someone with write access to the database could
// leave it: the chains and heads alone then verify.
type shortened struct {
	store.AuditReader
	n int
}

func (s shortened) kept(ctx context.Context) ([]audit.Entry, error) {
	var all []audit.Entry
	err := s.AuditReader.AuditScan(ctx, func(e audit.Entry) error { all = append(all, e); return nil })
	return all[:max(0, len(all)-s.n)], err
}

func (s shortened) AuditScan(ctx context.Context, fn func(audit.Entry) error) error {
	es, err := s.kept(ctx)
	if err != nil {
		return err
	}
	for _, e := range es {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s shortened) AuditHeads(ctx context.Context) ([]audit.Head, error) {
	heads, err := s.AuditReader.AuditHeads(ctx)
	if err != nil {
		return nil, err
	}
	es, err := s.kept(ctx)
	if err != nil {
		return nil, err
	}
	for i := range heads {
		heads[i].Seq, heads[i].Hash = 0, audit.Genesis
		for _, e := range es {
			if e.Chain == heads[i].Chain {
				heads[i].Seq, heads[i].Hash = e.Seq, e.Hash
			}
		}
	}
	return heads, nil
}

// TestAnchor: an anchor signed by the province's PKI and appended to a
// file makes the log's shortening (with its heads rewritten) detectable,
// which the chains alone cannot show; an altered or foreign anchor is
// refused, and so is a file that is not anchors.
func TestAnchor(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	e.Returned(t, apptest.Citizen, "1.001193")
	signer, _, err := e.PKI.SignerOrIssue(auditlog.AnchorAgency(e.App.Kernel.Province.Name), e.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "anchors", auditlog.AnchorsFile)
	first, err := e.App.AuditLog.Anchor(e.Ctx, signer, path)
	if err != nil {
		t.Fatal(err)
	}
	e.Advance(time.Hour)
	e.Returned(t, apptest.Citizen, "1.001193")
	if _, err := e.App.AuditLog.Anchor(e.Ctx, signer, path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("anchors file: %v, %v", fi, err)
	}
	anchors, err := auditlog.ReadAnchorsFile(path)
	if err != nil || len(anchors) != 2 || !anchors[0].At.Equal(first.At) {
		t.Fatalf("ReadAnchorsFile = %d anchors, %v", len(anchors), err)
	}
	if n := len(e.Audit(t, "audit.anchor", "")); n != 2 {
		t.Errorf("%d audit.anchor entries, want 2", n)
	}
	roots := e.PKI.Roots()
	var last int64
	for _, h := range anchors[1].Heads {
		last = max(last, h.Seq)
	}

	for _, tc := range []struct {
		name    string
		log     store.AuditReader
		anchors []auditlog.SignedAnchor
		ok      bool
		problem string
	}{
		{"whole log, both anchors", e.Store, anchors, true, ""},
		{"shortened, no anchor: undetectable from the database alone", shortened{e.Store, 5}, nil, true, ""},
		{"shortened past the last anchor", shortened{e.Store, 5}, anchors, false, "anchored at"},
		{"shortened after the last anchor only", shortened{e.Store, 1}, anchors, true, ""}, // the anchor's own audit entry came after it
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := auditlog.VerifyChain(e.Ctx, tc.log, tc.anchors, roots)
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK != tc.ok || !strings.Contains(rep.Problem, tc.problem) {
				t.Errorf("report %+v, want ok %v problem %q", rep, tc.ok, tc.problem)
			}
			if !tc.ok && rep.BadSeq > last {
				t.Errorf("broken at %d, after the last anchored entry %d", rep.BadSeq, last)
			}
		})
	}

	// Altered anchors: the signature covers every head and the time.
	altered := anchors[1]
	altered.Heads = append([]audit.Head(nil), altered.Heads...)
	for i := range altered.Heads {
		if altered.Heads[i].Seq > 0 {
			altered.Heads[i].Seq--
			break
		}
	}
	later := anchors[1]
	later.At = later.At.Add(time.Minute)
	dir := t.TempDir()
	if _, err := pki.InitProvince(dir, pki.Province{Code: "01", Name: "Khác"}, nil, e.Now(), pki.Options{}); err != nil {
		t.Fatal(err)
	}
	otherCA, err := pki.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	foreignSigner, _, err := otherCA.SignerOrIssue(auditlog.AnchorAgency("Khác"), e.Now())
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := auditlog.SignAnchor(anchors[1].Anchor, foreignSigner)
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]auditlog.SignedAnchor{"altered head": altered, "altered time": later, "another province's CA": foreign} {
		if err := a.Verify(roots); err == nil {
			t.Errorf("%s: verified", name)
		}
		rep, err := auditlog.VerifyChain(e.Ctx, e.Store, []auditlog.SignedAnchor{a}, roots)
		if err != nil || rep.OK || !strings.Contains(rep.Problem, "not validly signed") {
			t.Errorf("%s: report %+v, %v", name, rep, err)
		}
	}

	// The file is evidence: a line that is not an anchor is an error.
	for _, bad := range []string{"{", `{"at":"2026-12-03T10:00:00Z","heads":[],"signature":"AA==","extra":1}`, `{"heads":[],"signature":"AA=="}`, `{"at":"2026-12-03T10:00:00Z","heads":[]}`} {
		if _, err := auditlog.ReadAnchors(strings.NewReader(bad + "\n")); err == nil {
			t.Errorf("ReadAnchors(%q) accepted", bad)
		}
	}
	line, _ := json.Marshal(anchors[0])
	if got, err := auditlog.ReadAnchors(bytes.NewReader(append(append(line, '\n', '\n'), line...))); err != nil || len(got) != 2 {
		t.Errorf("ReadAnchors of two lines and a blank one = %d, %v", len(got), err)
	}
}

// FuzzReadAnchors: whatever the anchors file holds, reading it returns
// anchors or an error, never a panic, and every anchor read has a time
// and a signature.
func FuzzReadAnchors(f *testing.F) {
	f.Add([]byte(`{"at":"2026-12-03T10:00:00Z","heads":[{"chain":1,"seq":3,"hash":"ab"}],"certs":["AA=="],"signature":"AA=="}` + "\n"))
	f.Add([]byte("{\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := auditlog.ReadAnchors(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, a := range as {
			if a.At.IsZero() || len(a.Signature) == 0 {
				t.Fatalf("anchor without time or signature: %+v", a)
			}
		}
	})
}
