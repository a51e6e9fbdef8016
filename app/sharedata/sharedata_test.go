package sharedata_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
)

const (
	an   = "001090012345" // congdan
	ngoc = "001195004321" // congdan2
)

func actor(e *apptest.Env, user string) identity.Actor {
	if user == "" {
		return apptest.Anonymous()
	}
	return e.Actor(user)
}

// Who may read which fields of the population dataset for which purpose;
// every read that reaches the data is audited with its purpose, found or
// not.
func TestLookup(t *testing.T) {
	e := apptest.New(t)
	pop := func(key string, purpose registry.Purpose) sharedata.LookupQuery {
		return sharedata.LookupQuery{Dataset: registry.Population, Key: key, Purpose: purpose}
	}
	// congdan's birth registration, received: at the commune specialist's
	// step.
	d := e.Submit(t, apptest.Citizen, "1.001193")
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	appraisal := pop(an, registry.PurposeAppraisal)
	appraisal.Procedure, appraisal.Dossier = "1.001193", d.Code
	with := func(q sharedata.LookupQuery, f func(*sharedata.LookupQuery)) sharedata.LookupQuery { f(&q); return q }
	for _, tt := range []struct {
		name    string
		user    string
		q       sharedata.LookupQuery
		want    errs.Kind
		audited bool
		fields  []string // present in the record read
		hidden  []string // absent from it
	}{
		{"official appraises", apptest.Specialist, appraisal, apptest.OK, true, []string{"household_id", "full_name"}, nil},
		{"official, the procedure from the dossier", apptest.Specialist, with(appraisal, func(q *sharedata.LookupQuery) { q.Procedure = "" }), apptest.OK, true, []string{"full_name"}, nil},
		{"official names no dossier", apptest.Specialist, with(appraisal, func(q *sharedata.LookupQuery) { q.Dossier = "" }), errs.Invalid, false, nil, nil},
		{"official names a dossier that does not exist", apptest.Specialist, with(appraisal, func(q *sharedata.LookupQuery) { q.Dossier = "NONEXISTENT" }), errs.Invalid, false, nil, nil},
		{"official names another procedure", apptest.Specialist, with(appraisal, func(q *sharedata.LookupQuery) { q.Procedure = "1.000656" }), errs.Invalid, false, nil, nil},
		{"official not at the dossier's step", apptest.Leader, appraisal, errs.Forbidden, false, nil, nil},
		{"its receiver", apptest.Receiver, appraisal, apptest.OK, true, []string{"full_name"}, nil},
		{"a receiver of another counter", apptest.CommuneDesk, appraisal, errs.Forbidden, false, nil, nil},
		{"police, not on the dossier", apptest.Police, appraisal, errs.Forbidden, false, nil, nil},
		{"official reads someone the dossier does not name", apptest.Specialist, with(appraisal, func(q *sharedata.LookupQuery) { q.Key = ngoc }), errs.Forbidden, false, nil, nil},
		{"citizen prefills from his own", apptest.Citizen, pop(an, registry.PurposePrefill), apptest.OK, true, []string{"full_name", "residence_commune"}, []string{"household_id"}},
		{"citizen reads another's", apptest.Citizen, pop(ngoc, registry.PurposePrefill), errs.NotFound, true, nil, nil},
		{"citizen appraises", apptest.Citizen, pop(an, registry.PurposeAppraisal), errs.Forbidden, false, nil, nil},
		{"enterprise prefills", apptest.Enterprise, pop(an, registry.PurposePrefill), errs.Forbidden, false, nil, nil},
		{"no purpose", apptest.Specialist, with(appraisal, func(q *sharedata.LookupQuery) { q.Purpose = "" }), errs.Invalid, false, nil, nil},
		{"unknown dataset", apptest.Specialist, sharedata.LookupQuery{Dataset: "khong-co", Key: an, Purpose: registry.PurposeAppraisal}, errs.NotFound, false, nil, nil},
		{"anonymous", "", pop(an, registry.PurposePrefill), errs.Unauthorized, false, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := e.Audit(t, "registry.lookup", "dataset:"+tt.q.Dataset)
			rec, err := e.App.ShareData.Lookup(e.Ctx, actor(e, tt.user), tt.q)
			apptest.WantKind(t, err, tt.want)
			for _, f := range tt.fields {
				if rec.Data[f] == "" {
					t.Errorf("field %s missing from %v", f, rec.Data)
				}
			}
			for _, f := range tt.hidden {
				if _, ok := rec.Data[f]; ok {
					t.Errorf("field %s read for %s", f, tt.q.Purpose)
				}
			}
			after := e.Audit(t, "registry.lookup", "dataset:"+tt.q.Dataset)
			if !tt.audited {
				if len(after) != len(before) {
					t.Error("a refused read was audited")
				}
				return
			}
			if len(after) != len(before)+1 {
				t.Fatalf("%d entries written, want 1", len(after)-len(before))
			}
			d := apptest.Details(t, after[0])
			procedure := tt.q.Procedure
			if procedure == "" && tt.q.Dossier != "" {
				procedure = "1.001193" // the dossier's, filled in
			}
			if after[0].Actor != tt.user || d["purpose"] != string(tt.q.Purpose) || d["procedure"] != procedure || d["dossier"] != tt.q.Dossier ||
				d["key"] != tt.q.Key || d["found"] != (err == nil) || d["personal"] != true {
				t.Errorf("audit entry by %s: %v", after[0].Actor, d)
			}
		})
	}
}

func TestPrefill(t *testing.T) {
	e := apptest.New(t)
	pre, err := e.App.ShareData.Prefill(e.Ctx, e.Actor(apptest.Citizen), "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	if pre.Values["population.full_name"] != "Nguyễn Văn An" || pre.Values["population.birth_date"] != "1990-05-14" ||
		!strings.HasPrefix(pre.Values["population.address"], "Số 18, ngõ 25, phố Văn Cao, ") || !slices.Equal(pre.Datasets, []string{registry.Population}) {
		t.Errorf("prefill = %+v", pre)
	}
	if _, ok := pre.Values["population.household_id"]; ok {
		t.Error("prefill reads a field the prefill policy does not grant")
	}
	es := e.Audit(t, "registry.prefill", "procedure:1.001193")
	if len(es) != 1 || es[0].Actor != apptest.Citizen || apptest.Details(t, es[0])["subject"] != an {
		t.Fatalf("%d registry.prefill entries", len(es))
	}
	// Nobody else gets anything, and nothing is read.
	for _, user := range []string{apptest.Enterprise, apptest.Specialist, ""} {
		pre, err := e.App.ShareData.Prefill(e.Ctx, actor(e, user), "1.001193")
		if err != nil || len(pre.Values) != 0 || len(pre.Datasets) != 0 {
			t.Errorf("prefill for %q = %+v, %v", user, pre, err)
		}
	}
	if n := len(e.Audit(t, "registry.prefill", "")); n != 1 {
		t.Errorf("%d registry.prefill entries, want 1", n)
	}
	if _, err := e.App.ShareData.Prefill(e.Ctx, e.Actor(apptest.Citizen), "9.999999"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown procedure: %v", err)
	}
}

func TestQualityReport(t *testing.T) {
	e := apptest.New(t)
	for _, tt := range []struct {
		name string
		ac   identity.Actor
		code string
		want errs.Kind
	}{
		{"administrator", e.Actor(apptest.Admin), registry.Population, apptest.OK},
		{"system", identity.SystemActor("test"), registry.Population, apptest.OK},
		{"specialist", e.Actor(apptest.Specialist), registry.Population, errs.Forbidden},
		{"leader", e.Actor(apptest.Leader), registry.Population, errs.Forbidden},
		{"anonymous", apptest.Anonymous(), registry.Population, errs.Unauthorized},
		{"unknown dataset", e.Actor(apptest.Admin), "khong-co", errs.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := e.App.ShareData.QualityReport(e.Ctx, tt.ac, tt.code)
			apptest.WantKind(t, err, tt.want)
			if err == nil && (rep.Total != demo.SamplePeople+3 || len(rep.Rules) != len(registry.Rules)) {
				t.Errorf("report: %d records, %d rules", rep.Total, len(rep.Rules))
			}
		})
	}
	es := e.Audit(t, "registry.quality", "dataset:"+registry.Population)
	if len(es) != 2 || apptest.Details(t, es[1])["purpose"] != string(registry.PurposeQuality) {
		t.Errorf("%d registry.quality entries, want 2", len(es))
	}
}

// An import stores the records that pass the record-level rules and
// quarantines the others with their reasons, never dropping one.
func TestImportRecords(t *testing.T) {
	e := apptest.New(t)
	good := map[string]string{"citizen_id": "001090077777", "full_name": "Phan Văn Cường", "birth_date": "1990-02-03", "gender": "Nam",
		"ethnicity": "Kinh", "nationality": "Việt Nam", "residence_commune": "00004", "residence_address": "Số 3, phố Kim Mã",
		"household_id": "000040000002", "relation_to_head": "Chủ hộ"}
	bad := map[string]string{"citizen_id": "12345", "gender": "X", "residence_commune": "99999"}
	rows := []map[string]string{good, bad, good}
	reader := func() func() (registry.Record, int, bool, error) {
		i := 0
		return func() (registry.Record, int, bool, error) {
			if i == len(rows) {
				return registry.Record{}, i, false, nil
			}
			i++
			return registry.Record{Data: maps.Clone(rows[i-1])}, i + 1, true, nil // line 1 is the header
		}
	}
	for _, tt := range []struct {
		name string
		ac   identity.Actor
		code string
		want errs.Kind
	}{
		{"specialist", e.Actor(apptest.Specialist), registry.Population, errs.Forbidden},
		{"anonymous", apptest.Anonymous(), registry.Population, errs.Unauthorized},
		{"unknown dataset", e.Actor(apptest.Admin), "khong-co", errs.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.App.ShareData.ImportRecords(e.Ctx, tt.ac, tt.code, "dan-cu.csv", reader())
			apptest.WantKind(t, err, tt.want)
		})
	}
	before, _ := e.Store.DatasetCount(e.Ctx, registry.Population)
	res, err := e.App.ShareData.ImportRecords(e.Ctx, e.Actor(apptest.Admin), registry.Population, "dan-cu.csv", reader())
	if err != nil {
		t.Fatal(err)
	}
	if b := res.Batch; b.Total != 3 || b.Imported != 1 || b.Quarantined != 2 || b.FinishedAt.IsZero() || len(res.Quarantined) != 2 {
		t.Fatalf("batch = %+v", b)
	}
	if q := res.Quarantined; q[0].Line != 3 || len(q[0].Reasons) < 3 || q[1].Line != 4 || q[1].Key != "001090077777" || !strings.Contains(strings.Join(q[1].Reasons, " "), "dòng 2") {
		t.Errorf("quarantined = %+v", q)
	}
	rec, err := e.Store.DatasetRecord(e.Ctx, registry.Population, "001090077777")
	if err != nil || rec.Subject != "001090077777" || rec.Source != "import:dan-cu.csv" {
		t.Errorf("imported record = %+v, %v", rec, err)
	}
	if after, _ := e.Store.DatasetCount(e.Ctx, registry.Population); after != before+1 {
		t.Errorf("%d records added, want 1", after-before)
	}
	q, n, err := e.App.ShareData.Quarantine(e.Ctx, e.Actor(apptest.Admin), registry.Population, 10)
	if err != nil || n != 2 || len(q) != 2 || q[0].Batch != res.Batch.ID {
		t.Errorf("quarantine = %d %+v, %v", n, q, err)
	}
	if _, _, err := e.App.ShareData.Quarantine(e.Ctx, e.Actor(apptest.Receiver), registry.Population, 10); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("receiver reads the quarantine: %v", err)
	}
	if bs, err := e.Store.ImportBatches(e.Ctx, "dataset:"+registry.Population); err != nil || len(bs) != 1 || bs[0].Quarantined != 2 {
		t.Errorf("batches = %+v, %v", bs, err)
	}
	es := e.Audit(t, "registry.import", "dataset:"+registry.Population)
	if len(es) != 1 || apptest.Details(t, es[0])["quarantined"] != float64(2) || apptest.Details(t, es[0])["stored"] != float64(1) {
		t.Errorf("%d registry.import entries", len(es))
	}
	if n := len(e.Audit(t, "registry.quarantine.read", "dataset:"+registry.Population)); n != 1 {
		t.Errorf("%d registry.quarantine.read entries", n)
	}
}

// The components the shared data already covers: a verified citizen's
// own, a walk-in's at a counter; each read audited as one entry.
func TestReplacements(t *testing.T) {
	e := apptest.New(t)
	for _, tt := range []struct {
		name, user, procedure, walkIn string
		covered                       []string // component codes
		subject                       string   // whose records were read ("" = none)
	}{
		{"citizen", apptest.Citizen, "1.001193", "", []string{"TP03", "TP04"}, an},
		{"counter for a walk-in", apptest.Receiver, "1.001193", an, []string{"TP03", "TP04"}, an},
		{"counter for a walk-in without records", apptest.Receiver, "1.001193", "001085004567", nil, ""},
		{"specialist is no counter", apptest.Specialist, "1.001193", an, nil, ""},
		{"citizen without a land parcel", apptest.Citizen2, "1.004222", "", nil, ""},
		{"anonymous", "", "1.001193", "", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.Audit(t, "registry.lookup", "procedure:"+tt.procedure))
			refs, err := e.App.ShareData.Replacements(e.Ctx, actor(e, tt.user), tt.procedure, tt.walkIn)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for code, ref := range refs {
				got = append(got, code)
				if ref.Key != tt.subject {
					t.Errorf("%s replaced by the record of %s", code, ref.Key)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.covered) {
				t.Errorf("covered %v, want %v", got, tt.covered)
			}
			es := e.Audit(t, "registry.lookup", "procedure:"+tt.procedure)
			switch {
			case tt.subject == "" && len(es) != before:
				t.Error("nothing read, yet audited")
			case tt.subject != "" && (len(es) != before+1 || apptest.Details(t, es[0])["subject"] != tt.subject || es[0].Actor != tt.user):
				t.Errorf("read not audited: %d entries", len(es)-before)
			}
		})
	}
}

// source is a dataset hosted elsewhere, faked by a function.
type source func(ctx context.Context, key string, a registry.Access) (registry.Record, error)

func (f source) Get(ctx context.Context, key string, a registry.Access) (registry.Record, error) {
	return f(ctx, key, a)
}

// A remote dataset is read through its source, with the reader's access;
// it is measured and loaded where it lives, not here.
func TestRemoteDataset(t *testing.T) {
	var asked []registry.Access
	remote := source(func(_ context.Context, key string, a registry.Access) (registry.Record, error) {
		asked = append(asked, a)
		if key != an {
			return registry.Record{}, registry.NotFound(registry.Population, key)
		}
		return registry.Record{Dataset: registry.Population, Key: an, Subject: an,
			Data: map[string]string{"citizen_id": an, "full_name": "Nguyễn Văn An (từ xa)", "household_id": "000040000001"}}, nil
	})
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) {
		c.Datasets = registry.Builtin()
		for i := range c.Datasets {
			if c.Datasets[i].Code == registry.Population {
				c.Datasets[i].Remote = &registry.Remote{URL: "https://dancu.example.vn/{dataset}/{key}"}
			}
		}
		c.Sources = map[string]sharedata.RecordSource{registry.Population: remote}
	}))
	d := e.Submit(t, apptest.Citizen, "1.001193")
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	q := sharedata.LookupQuery{Dataset: registry.Population, Key: an, Purpose: registry.PurposeAppraisal, Procedure: "1.001193", Dossier: d.Code}
	rec, err := e.App.ShareData.Lookup(e.Ctx, e.Actor(apptest.Specialist), q)
	if err != nil || rec.Data["full_name"] != "Nguyễn Văn An (từ xa)" {
		t.Fatalf("remote look-up = %+v, %v", rec, err)
	}
	if len(asked) != 1 || asked[0].Purpose != registry.PurposeAppraisal || asked[0].Procedure != "1.001193" {
		t.Errorf("the source was asked %+v", asked)
	}
	q.Key = "001099999999" // the platform's own read: not bound to a dossier
	if _, err := e.App.ShareData.Lookup(e.Ctx, identity.SystemActor("test"), q); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown key: %v", err)
	}
	if n := len(e.Audit(t, "registry.lookup", "dataset:"+registry.Population)); n != 2 {
		t.Errorf("%d remote reads audited, want 2", n)
	}
	pre, err := e.App.ShareData.Prefill(e.Ctx, e.Actor(apptest.Citizen), "1.001193")
	if err != nil || pre.Values["population.full_name"] != "Nguyễn Văn An (từ xa)" || pre.Values["population.household_id"] != "" {
		t.Errorf("prefill from the remote dataset = %+v, %v", pre, err)
	}
	if _, err := e.App.ShareData.QualityReport(e.Ctx, e.Actor(apptest.Admin), registry.Population); errs.KindOf(err) != errs.Conflict {
		t.Errorf("quality of a remote dataset: %v", err)
	}
	none := func() (registry.Record, int, bool, error) { return registry.Record{}, 0, false, nil }
	if _, err := e.App.ShareData.ImportRecords(e.Ctx, e.Actor(apptest.Admin), registry.Population, "x.csv", none); errs.KindOf(err) != errs.Conflict {
		t.Errorf("import into a remote dataset: %v", err)
	}
	// A remote dataset without its source is a configuration error.
	if _, err := sharedata.New(e.App.Kernel, e.App.Province, e.Config.Datasets, nil); err == nil {
		t.Error("a remote dataset without a source was accepted")
	}
}
