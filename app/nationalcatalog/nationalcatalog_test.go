package nationalcatalog_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/nationalcatalog"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/dvcqgclient/catalogtest"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// syncEnv is the demo province and a national portal whose catalogue is
// the demo's under national codes (those not provisional), as the
// province has it.
func syncEnv(t *testing.T) (*apptest.Env, *catalogtest.Portal) {
	t.Helper()
	portal := catalogtest.New(t)
	e := apptest.New(t, apptest.WithConfig(func(c *platform.Config) {
		c.NationalCatalog = dvcqgclient.New(dvcqgclient.Config{URL: portal.URL, Username: catalogtest.Username, Password: catalogtest.Password, Agency: "000.00.01.H01", Timeout: 5 * time.Second})
	}))
	all, err := e.Store.AllProcedures(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if !slices.Contains(p.Provisional, "code") {
			portal.Put(catalogtest.FromProcedure(p, p.Code))
		}
	}
	return e, portal
}

func codes(cs []nationalcatalog.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}

func fieldsOf(c nationalcatalog.Change) []string {
	var out []string
	for _, f := range c.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestDiffUnchanged(t *testing.T) {
	e, _ := syncEnv(t)
	d, err := e.App.NationalCatalog.Diff(e.Ctx, e.Actor(apptest.Admin))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.New)+len(d.Changed)+len(d.Withdrawn) != 0 || d.Hash == "" || d.Unchanged == 0 || d.Unchanged != d.National {
		t.Errorf("the province's own catalogue differs: new %v changed %v withdrawn %v, %d unchanged of %d", codes(d.New), codes(d.Changed), codes(d.Withdrawn), d.Unchanged, d.National)
	}
	if len(d.LocalOnly) == 0 || !strings.HasPrefix(d.LocalOnly[0], "DEMO-") {
		t.Errorf("local only %v", d.LocalOnly)
	}
}

// TestSync: the diff shows new, changed, withdrawn and unchanged
// procedures; applying it overwrites the national fields only, withdraws,
// stores drafts, audits; a stale hash is refused; a re-sync is empty.
func TestSync(t *testing.T) {
	e, portal := syncEnv(t)
	admin := e.Actor(apptest.Admin)
	ctx := e.Ctx

	// The province configured its own form and workflow for 1.001193.
	before, err := e.Store.Procedure(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	mine := before
	mine.FormSchema = json.RawMessage(`{"type":"object","properties":{"ho_ten":{"type":"string","title":"Họ và tên (mẫu của tỉnh)"}}}`)
	mine.Workflow.Steps[1].Name = "Thẩm định (quy trình của tỉnh)"
	mine.TimeNote = "Ghi chú của tỉnh"
	if _, err := e.App.Province.SaveProcedure(ctx, admin, mine, false, time.Time{}); err != nil {
		t.Fatal(err)
	}

	// The national catalogue changes.
	rec := portal.Record("1.001193")
	rec.TenTTHC = "Đăng ký khai sinh (sửa đổi)"
	rec.CachThuc[0].ThoiGian[0].ThoiGianGiaiQuyet = "2"
	rec.CachThuc[0].ThoiGian[0].PhiLePhi = []dvcqg.FeeRecord{{MaPhiLePhi: "LP01", SoTien: "8000", DonVi: "Đồng", MoTa: "Lệ phí đăng ký khai sinh"}}
	rec.CanCu = append(rec.CanCu, dvcqg.LegalRef{SoVanBan: "07/2025/TT-BTP", TenVanBan: "Thông tư"})
	portal.Put(rec)
	portal.Remove("1.000656")
	gone := portal.Record("1.004873")
	gone.TrangThai = "0"
	portal.Put(gone)
	portal.Put(dvcqg.ProcedureRecord{MaTTHC: "2.002154", TenTTHC: "Đăng ký khai sinh có yếu tố nước ngoài", LinhVuc: []dvcqg.FieldRef{{TenLinhVuc: "Hộ tịch"}},
		CapThucHien: dvcqg.Levels{{Name: "Cấp Xã"}},
		CachThuc:    []dvcqg.Way{{Kenh: "1", ThoiGian: []dvcqg.TimeLimit{{ThoiGianGiaiQuyet: "15", DonViTinh: "Ngày làm việc"}}}},
		ThanhPhan:   []dvcqg.ComponentCase{{GiayTo: []dvcqg.Paper{{MaGiayTo: "GT01", TenGiayTo: "Tờ khai", SoBanChinh: "1"}}}},
		KetQua:      []dvcqg.ResultRef{{TenKetQua: "Giấy khai sinh"}}})
	portal.Put(dvcqg.ProcedureRecord{MaTTHC: "1.000001", TenTTHC: "Thủ tục của bộ", CapThucHien: dvcqg.Levels{{Name: "Cấp Bộ"}}})

	d, err := e.App.NationalCatalog.Diff(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(d.New); !slices.Equal(got, []string{"2.002154"}) {
		t.Errorf("new %v", got)
	}
	if got := codes(d.Changed); !slices.Equal(got, []string{"1.001193"}) {
		t.Errorf("changed %v", got)
	}
	if got := codes(d.Withdrawn); !slices.Equal(got, []string{"1.000656", "1.004873"}) {
		t.Errorf("withdrawn %v", got)
	}
	if d.Central != 1 {
		t.Errorf("central %d", d.Central)
	}
	if len(d.Changed) == 1 {
		if got := fieldsOf(d.Changed[0]); !slices.Equal(got, []string{"name", "processing_time", "fees", "legal_basis"}) {
			t.Errorf("changed fields %v", got)
		}
		for _, f := range d.Changed[0].Fields {
			if f.Label == "" || f.LocalText == "" || f.NationalText == "" {
				t.Errorf("field change without Vietnamese: %+v", f)
			}
		}
		if f := d.Changed[0].Fields[2]; !strings.Contains(f.NationalText, "8.000") {
			t.Errorf("fees shown as %q", f.NationalText)
		}
	}
	if len(d.New) == 1 {
		n := d.New[0]
		if n.Procedure == nil || n.Procedure.Level != catalog.LevelCommune || n.Procedure.ProcessingTime.Days != 15 || len(n.Procedure.Components) != 1 ||
			!slices.Contains(n.Missing, "biểu mẫu tờ khai") || !slices.Contains(n.Missing, "mức độ trực tuyến") {
			t.Errorf("new draft %+v missing %v", n.Procedure, n.Missing)
		}
	}

	// A stale hash, a change on either side since: refused, nothing done.
	if _, err := e.App.NationalCatalog.Apply(ctx, admin, "deadbeef"); !isStale(err) {
		t.Errorf("wrong hash: %v", err)
	}
	portal.Put(rec) // the same: still the same diff
	moved := portal.Record("1.000894")
	moved.TenTTHC += " (mới)"
	portal.Put(moved)
	if _, err := e.App.NationalCatalog.Apply(ctx, admin, d.Hash); !isStale(err) {
		t.Errorf("national change since: %v", err)
	}
	portal.Put(catalogtest.FromProcedure(must(e.Store.Procedure(ctx, "1.000894")), "1.000894"))
	if _, err := e.App.NationalCatalog.Apply(ctx, e.Actor(apptest.Receiver), d.Hash); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("an official applies: %v", err)
	}
	if got := must(e.Store.Procedure(ctx, "1.001193")); got.Name != before.Name || got.WithdrawnAt != nil {
		t.Fatalf("refused applications changed the catalogue: %+v", got.Name)
	}

	// Applied: exactly what was shown.
	a, err := e.App.NationalCatalog.Apply(ctx, admin, d.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.New, []string{"2.002154"}) || !slices.Equal(a.Changed, []string{"1.001193"}) || !slices.Equal(a.Withdrawn, []string{"1.000656", "1.004873"}) {
		t.Errorf("applied %+v", a)
	}
	after := must(e.Store.Procedure(ctx, "1.001193"))
	switch {
	case after.Name != "Đăng ký khai sinh (sửa đổi)" || after.ProcessingTime != (catalog.Duration{Days: 2}) || len(after.Fees) != 1 || after.Fees[0].Amount != 8000:
		t.Errorf("national fields not applied: %q %+v %+v", after.Name, after.ProcessingTime, after.Fees)
	case after.Fees[0].Note != before.Fees[0].Note || !slices.Contains(after.LegalBasis, "Thông tư số 07/2025/TT-BTP"):
		t.Errorf("fee note %q, legal basis %v", after.Fees[0].Note, after.LegalBasis)
	case !sameJSON(after.FormSchema, mine.FormSchema) || after.Workflow.Steps[1].Name != "Thẩm định (quy trình của tỉnh)" || after.TimeNote != "Ghi chú của tỉnh":
		t.Errorf("the province's form or workflow did not survive: %s %+v", after.FormSchema, after.Workflow.Steps[1])
	case !slices.EqualFunc(after.Components, before.Components, func(x, y catalog.Component) bool { return x == y || x.Code == y.Code && x.Name == y.Name }):
		t.Errorf("components changed: %+v", after.Components)
	case after.AgencyKind != before.AgencyKind || after.OnlineLevel != before.OnlineLevel:
		t.Errorf("agency kind %q online %q", after.AgencyKind, after.OnlineLevel)
	}
	for _, code := range []string{"1.000656", "1.004873"} {
		if p := must(e.Store.Procedure(ctx, code)); p.WithdrawnAt == nil {
			t.Errorf("%s not withdrawn", code)
		}
	}
	if _, err := e.Store.Procedure(ctx, "2.002154"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a draft in the catalogue: %v", err)
	}
	drafts, err := e.App.NationalCatalog.Drafts(ctx, admin)
	if err != nil || len(drafts) != 1 || drafts[0].Code != "2.002154" {
		t.Errorf("drafts %+v %v", drafts, err)
	}
	if got := e.Audit(t, "catalog.national_sync", "catalog"); len(got) != 1 || apptest.Details(t, got[0])["hash"] != d.Hash {
		t.Errorf("audit %+v", got)
	}

	// A withdrawn procedure takes no new dossier; its page edits keep the
	// withdrawal.
	_, err = e.App.Dossiers.Submit(ctx, e.Actor(apptest.Citizen), e.SubmitInput(t, apptest.Citizen, "1.000656"))
	if ek, ok := errs.As(err); !ok || ek.Key != "dossier.procedure_withdrawn" {
		t.Errorf("submission to a withdrawn procedure: %v", err)
	}
	w := must(e.Store.Procedure(ctx, "1.000656"))
	w.TimeNote = "sửa"
	if saved, err := e.App.Province.SaveProcedure(ctx, admin, w, false, w.UpdatedAt); err != nil || saved.WithdrawnAt == nil {
		t.Errorf("edit of a withdrawn procedure: %v %v", saved.WithdrawnAt, err)
	}

	// Idempotent: nothing more to apply.
	again, err := e.App.NationalCatalog.Diff(ctx, admin)
	if err != nil || len(again.New)+len(again.Changed)+len(again.Withdrawn)+len(again.PublishedDrafts) != 0 {
		t.Fatalf("re-sync: new %v changed %v withdrawn %v %v", codes(again.New), codes(again.Changed), codes(again.Withdrawn), err)
	}
	if _, err := e.App.NationalCatalog.Apply(ctx, admin, again.Hash); err != nil {
		t.Errorf("applying nothing: %v", err)
	}

	// Listed again: in force again. The draft completed and published by
	// the administrator is cleaned up.
	portal.Put(catalogtest.FromProcedure(must(e.Store.Procedure(ctx, "1.000656")), "1.000656"))
	draft := drafts[0]
	draft.FormSchema = json.RawMessage(`{"type":"object","properties":{"ho_ten":{"type":"string"}}}`)
	draft.OnlineLevel = catalog.OnlinePartial
	if _, err := e.App.Province.SaveProcedure(ctx, admin, draft, true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	d, err = e.App.NationalCatalog.Diff(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Changed) != 1 || d.Changed[0].Code != "1.000656" || fieldsOf(d.Changed[0])[0] != "withdrawn" || !slices.Equal(d.PublishedDrafts, []string{"2.002154"}) || len(d.New) != 0 {
		t.Fatalf("restored: changed %v published %v new %v", codes(d.Changed), d.PublishedDrafts, codes(d.New))
	}
	if _, err := e.App.NationalCatalog.Apply(ctx, admin, d.Hash); err != nil {
		t.Fatal(err)
	}
	if p := must(e.Store.Procedure(ctx, "1.000656")); p.WithdrawnAt != nil {
		t.Error("not in force again")
	}
	if _, err := e.Store.ProcedureDraft(ctx, "2.002154"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("published draft kept: %v", err)
	}
	if d := e.Submit(t, apptest.Citizen, "1.000656"); d.Status != dossier.StatusNew {
		t.Errorf("status %d", d.Status)
	}
}

// A local code the province maps to a national one is that procedure; a
// draft the national catalogue withdraws before it is published goes.
func TestSyncMappedAndDrafts(t *testing.T) {
	e, portal := syncEnv(t)
	admin := e.Actor(apptest.Admin)
	demo1 := must(e.Store.Procedure(e.Ctx, "DEMO-001"))
	rec := catalogtest.FromProcedure(demo1, "2.000999")
	rec.TenTTHC = demo1.Name + " (tên quốc gia)"
	portal.Put(rec)
	portal.Put(dvcqg.ProcedureRecord{MaTTHC: "2.000998", TenTTHC: "Thủ tục mới", CapThucHien: dvcqg.Levels{{Name: "Cấp Tỉnh"}}})
	m, _ := json.Marshal(dvcqg.Mapping{Procedures: map[string]string{"DEMO-001": "2.000999"}})
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error { return tx.SetMeta(e.Ctx, province.NationalMappingKey, string(m)) }); err != nil {
		t.Fatal(err)
	}
	d, err := e.App.NationalCatalog.Diff(e.Ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Changed) != 1 || d.Changed[0].Code != "DEMO-001" || d.Changed[0].NationalCode != "2.000999" || slices.Contains(d.LocalOnly, "DEMO-001") {
		t.Fatalf("mapped: changed %+v local only %v", d.Changed, d.LocalOnly)
	}
	if len(d.New) != 1 || d.New[0].Code != "2.000998" || !slices.Contains(d.New[0].Missing, "cơ quan có thẩm quyền") {
		t.Fatalf("new %+v", d.New)
	}
	if _, err := e.App.NationalCatalog.Apply(e.Ctx, admin, d.Hash); err != nil {
		t.Fatal(err)
	}
	if p := must(e.Store.Procedure(e.Ctx, "DEMO-001")); p.Name != rec.TenTTHC || slices.Contains(p.Provisional, "name") {
		t.Errorf("mapped procedure %q %v", p.Name, p.Provisional)
	}
	portal.Remove("2.000998")
	d, err = e.App.NationalCatalog.Diff(e.Ctx, admin)
	if err != nil || len(d.Withdrawn) != 1 || !d.Withdrawn[0].Draft || d.Withdrawn[0].Code != "2.000998" {
		t.Fatalf("withdrawn draft: %+v %v", d.Withdrawn, err)
	}
	if _, err := e.App.NationalCatalog.Apply(e.Ctx, admin, d.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.ProcedureDraft(e.Ctx, "2.000998"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("draft kept: %v", err)
	}
}

func TestSyncUnavailable(t *testing.T) {
	e := apptest.New(t)
	admin := e.Actor(apptest.Admin)
	if _, err := e.App.NationalCatalog.Diff(e.Ctx, admin); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("not configured: %v", err)
	}
	e, portal := syncEnv(t)
	portal.SetDown(true)
	_, err := e.App.NationalCatalog.Diff(e.Ctx, e.Actor(apptest.Admin))
	if ek, ok := errs.As(err); !ok || ek.Kind != errs.Unavailable || !strings.Contains(ek.Message, "Cổng Dịch vụ công quốc gia") {
		t.Errorf("portal down: %v", err)
	}
	for _, who := range []string{apptest.Citizen, apptest.Receiver} {
		if _, err := e.App.NationalCatalog.Diff(e.Ctx, e.Actor(who)); errs.KindOf(err) != errs.Forbidden {
			t.Errorf("%s: %v", who, err)
		}
	}
}

func isStale(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Kind == errs.Conflict && e.Key == "catalog.national_stale"
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// sameJSON compares JSON documents (PostgreSQL reformats what it stores).
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
