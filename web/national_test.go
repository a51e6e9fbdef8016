package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/audit"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/dvcqgclient/catalogtest"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/internal/httpfetch"
	"github.com/motcua/motcua/store"
)

// fakePortal is the national portal as the province meets it: its file
// host (/tep/…: a distinct PDF per path, hong.pdf damaged, cham.pdf never
// in time).
type fakePortal struct {
	*httptest.Server
	fetches atomic.Int32
	// catalog is the portal's adapter: the demo catalogue under its
	// national codes and one procedure more (2.002154).
	catalog *catalogtest.Portal
}

func newFakePortal(t testing.TB) *fakePortal {
	p := &fakePortal{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tep/{name}", func(w http.ResponseWriter, r *http.Request) {
		p.fetches.Add(1)
		switch r.PathValue("name") {
		case "hong.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = w.Write([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrai"))
		case "cham.pdf":
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		default:
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = fmt.Fprintf(w, "%s%% %s\n", minimalPDF, r.URL.Path)
		}
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// withNational serves the fixture's province with the national portal
// p: papers fetched from any port of 127.0.0.1 within 500 ms, the
// national catalogue read from p.catalog.
func withNational(t testing.TB, f *fixture) *fakePortal {
	t.Helper()
	p := newFakePortal(t)
	p.catalog = catalogtest.New(t)
	all, err := f.store.AllProcedures(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range all {
		if !slices.Contains(x.Provisional, "code") {
			p.catalog.Put(catalogtest.FromProcedure(x, x.Code))
		}
	}
	p.catalog.Put(dvcqg.ProcedureRecord{MaTTHC: "2.002154", TenTTHC: "Đăng ký khai sinh có yếu tố nước ngoài", LinhVuc: []dvcqg.FieldRef{{TenLinhVuc: "Hộ tịch"}},
		CapThucHien: dvcqg.Levels{{Name: "Cấp Xã"}}, CachThuc: []dvcqg.Way{{Kenh: "1", ThoiGian: []dvcqg.TimeLimit{{ThoiGianGiaiQuyet: "15", DonViTinh: "Ngày làm việc"}}}},
		ThanhPhan: []dvcqg.ComponentCase{{GiayTo: []dvcqg.Paper{{MaGiayTo: "GT01", TenGiayTo: "Tờ khai đăng ký khai sinh", SoBanChinh: "1"}}}},
		KetQua:    []dvcqg.ResultRef{{TenKetQua: "Giấy khai sinh"}}})
	cfg := f.cfg
	cfg.NationalFiles = httpfetch.New([]string{"127.0.0.1"}, 500*time.Millisecond, 5<<20)
	cfg.NationalCatalog = dvcqgclient.New(dvcqgclient.Config{URL: p.catalog.URL, Username: catalogtest.Username, Password: catalogtest.Password, Agency: "000.00.01.H01", Timeout: 5 * time.Second})
	f.rebuild(t, cfg)
	f.portal = p
	return p
}

// nationalRecord is a birth registration (1.001193) submitted on the
// portal by the demo citizen congdan for the demo commune (00004), its
// three required papers on p's file host, as JSON.
func (p *fakePortal) nationalRecord(t testing.TB, code string, change func(*dossiers.NationalSubmission)) string {
	t.Helper()
	doc := func(id, comp string) dvcqg.Document {
		return dvcqg.Document{TepDinhKemID: id, TenTepDinhKem: "Giấy tờ " + comp, MaThanhPhanHoSo: comp, DuongDan: p.URL + "/tep/" + code + "-" + id + ".pdf", DuocSoHoa: 1}
	}
	in := dossiers.NationalSubmission{MaXa: "00004", Dossier: dvcqg.Dossier{
		MaHoSo: code, MaTTHC: "1.001193", TenTTHC: "Đăng ký khai sinh", KenhThucHien: 2, LoaiDoiTuong: 1, ChuHoSo: "Nguyễn Văn An",
		SoGiayToChuHoSo: "001090012345", DinhDanhCHS: []dvcqg.Identity{{LoaiDinhDanh: 1, SoDinhDanh: "001090012345"}}, SoDienThoai: "0912345678",
		TrangThaiHoSo: 1, NgayNopHoSo: dvcqg.FormatTime(clock.Add(-30 * time.Minute)),
		TaiLieuNop: []dvcqg.Document{doc("tk", "TP01"), doc("cs", "TP02"), doc("cc", "TP03")},
	}}
	if change != nil {
		change(&in)
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNationalInbound: a dossier posted to the province as if from the
// national portal appears in the receivers' inbox at status 1, once
// however often it is posted; what cannot be taken in is refused with the
// record's problems in Vietnamese, and nothing of it is kept.
func TestNationalInbound(t *testing.T) {
	f := newFixture(t)
	p := withNational(t, f)
	const path = "/api/v1/national/inbound/dossiers"
	first := p.nationalRecord(t, "G22.99-261123-00042", nil)
	res, b := f.do(t, "POST", path, f.token(t, "cong-dvcqg"), first)
	if res.StatusCode != 201 {
		t.Fatalf("first delivery = %d %s", res.StatusCode, b)
	}
	var got NationalReceipt
	if err := json.Unmarshal(b, &got); err != nil || got.Status != 1 || got.Existing || got.CompetentAgency.ID != "000.00.50.H01" || got.NationalCode != "G22.99-261123-00042" {
		t.Fatalf("receipt %s %v", b, err)
	}
	code := got.Code
	f.run(t, []scenario{
		{"in the commune counter's inbox at status 1", "GET", "/api/v1/dossiers?inbox=true&status=1", "tiepnhanxa", "", 200, []string{code, `"channel":2`, `"applicant_name":"Nguyễn Văn An"`}, nil},
		{"in the province centre's inbox", "GET", "/api/v1/dossiers?inbox=true&status=1", "tiepnhan", "", 200, []string{code}, nil},
		{"in the citizen's own list", "GET", "/api/v1/dossiers", "congdan", "", 200, []string{code}, nil},
		{"not in another agency's inbox", "GET", "/api/v1/dossiers?inbox=true", "congan", "", 200, nil, []string{code}},
		{"the portal reads no dossier", "GET", "/api/v1/dossiers/" + code, "cong-dvcqg", "", 404, nil, []string{"Nguyễn Văn An"}},
		{"idempotent on the national code", "POST", path, "cong-dvcqg", first, 200, []string{`"code":"` + code + `"`, `"existing":true`}, nil},
		{"a citizen", "POST", path, "congdan", p.nationalRecord(t, "G22.99-261123-00050", nil), 403, []string{"không có quyền"}, nil},
		{"an official", "POST", path, "tiepnhan", p.nationalRecord(t, "G22.99-261123-00051", nil), 403, nil, nil},
		{"anonymous", "POST", path, "", p.nationalRecord(t, "G22.99-261123-00052", nil), 401, nil, nil},
		{"not JSON", "POST", path, "cong-dvcqg", "<HoSo/>", 422, []string{"không hợp lệ"}, nil},
		{"unknown procedure", "POST", path, "cong-dvcqg", p.nationalRecord(t, "G22.99-261123-00053", func(in *dossiers.NationalSubmission) { in.MaTTHC = "9.999999" }),
			422, []string{`"MaTTHC"`, "không có trong danh mục thủ tục của tỉnh"}, nil},
		{"record invalid", "POST", path, "cong-dvcqg", p.nationalRecord(t, "G22.99-261123-00054", func(in *dossiers.NationalSubmission) { in.NgayNopHoSo, in.KenhThucHien = "23/11/2026", 1 }),
			422, []string{`"NgayNopHoSo"`, "yyyyMMddHHmmss", `"KenhThucHien"`}, nil},
		{"file host not allowed", "POST", path, "cong-dvcqg", p.nationalRecord(t, "G22.99-261123-00055", func(in *dossiers.NationalSubmission) {
			in.TaiLieuNop[0].DuongDan = "https://tep.example.vn/giay-to.pdf"
		}), 422, []string{`"TaiLieuNop[0].DuongDanTaiTepTin"`, "không nằm trong danh sách được phép"}, nil},
		{"file fails the check", "POST", path, "cong-dvcqg", p.nationalRecord(t, "G22.99-261123-00056", func(in *dossiers.NationalSubmission) {
			in.TaiLieuNop[1].DuongDan = p.URL + "/tep/hong.pdf"
		}), 422, []string{`"TaiLieuNop[1].DuongDanTaiTepTin"`, "Tệp PDF bị hỏng"}, nil},
		{"file host too slow", "POST", path, "cong-dvcqg", p.nationalRecord(t, "G22.99-261123-00057", func(in *dossiers.NationalSubmission) {
			in.TaiLieuNop[2].DuongDan = p.URL + "/tep/cham.pdf"
		}), 503, []string{"quá thời gian chờ", "xin gửi lại sau"}, nil},
	})
	// One dossier, one receipt audited, its event in the outbox; nothing
	// of the refused ones.
	entries, err := f.store.AuditEntries(t.Context(), audit.Filter{Action: "dossier.national_receive", Limit: 100})
	if err != nil || len(entries) != 1 || entries[0].Object != "dossier:"+code {
		t.Errorf("receipts audited: %+v %v", entries, err)
	}
	events, err := f.store.PendingOutbox(t.Context(), 1000)
	n := 0
	for _, ev := range events {
		if strings.HasPrefix(ev.Key, code+"/") {
			n++
		}
	}
	if err != nil || n != 1 {
		t.Errorf("%d outbox events of %s (%v)", n, code, err)
	}
	for i := 53; i <= 57; i++ {
		if _, err := f.store.DossierByNationalCode(t.Context(), fmt.Sprintf("G22.99-261123-%05d", i)); errs.KindOf(err) != errs.NotFound {
			t.Errorf("refused dossier %d stored: %v", i, err)
		}
	}
}

// NationalReceipt is the API's answer as a client reads it.
type NationalReceipt struct {
	Code            string `json:"code"`
	NationalCode    string `json:"national_code"`
	Status          int    `json:"status"`
	Existing        bool   `json:"existing"`
	CompetentAgency struct {
		ID string `json:"id"`
	} `json:"competent_agency"`
}

// walkNational: the portal hands a dossier over, again, a broken one, and
// someone else tries.
func walkNational(t *testing.T, f *fixture) {
	p := f.portal
	const path = "/api/v1/national/inbound/dossiers"
	rec := p.nationalRecord(t, "G22.99-261123-00900", nil)
	code := field[string](t, f.call(t, 201, "cong-dvcqg", "POST", path, rec), "code")
	if again := field[string](t, f.call(t, 200, "cong-dvcqg", "POST", path, rec), "code"); again != code {
		t.Errorf("second delivery %s, first %s", again, code)
	}
	f.call(t, 422, "cong-dvcqg", "POST", path, p.nationalRecord(t, "G22.99-261123-00901", func(in *dossiers.NationalSubmission) { in.MaTTHC = "9.999999" }))
	f.call(t, 403, "tiepnhan", "POST", path, p.nationalRecord(t, "G22.99-261123-00902", nil))

	// The catalogue: the diff, applied by its hash, then a stale hash; the
	// draft it made.
	f.call(t, 403, "tiepnhan", "POST", "/api/v1/catalog/national/diff", "")
	hash := field[string](t, f.call(t, 200, "quantri", "POST", "/api/v1/catalog/national/diff", ""), "hash")
	f.call(t, 200, "quantri", "POST", "/api/v1/catalog/national/apply", `{"hash":"`+hash+`"}`)
	f.call(t, 409, "quantri", "POST", "/api/v1/catalog/national/apply", `{"hash":"`+hash+`"}`)
	f.refused(t, 422, "quantri", "POST", "/api/v1/catalog/national/apply", `{"hash":"cu"}`)
	if total := field[int](t, f.call(t, 200, "quantri", "GET", "/api/v1/catalog/drafts", ""), "total"); total != 1 {
		t.Errorf("%d drafts", total)
	}
	f.call(t, 200, "quantri", "GET", "/api/v1/catalog/drafts/2.002154", "")
	f.call(t, 404, "quantri", "GET", "/api/v1/catalog/drafts/1.001193", "")

	// The dossiers' sync: a dossier the portal refused, as its official
	// reads it; the state, resyncs, the mapping.
	f.settleSync(t, code, store.PortalFailed, refusal)
	if !strings.Contains(string(f.call(t, 200, "tiepnhanxa", "GET", "/api/v1/dossiers/"+code, "")), `"national_sync":{"state":"failed"`) {
		t.Error("the official's read lacks the dossier's sync")
	}
	f.call(t, 200, "quantri", "GET", "/api/v1/national/sync?state=failed&limit=10", "")
	f.call(t, 403, "tiepnhan", "GET", "/api/v1/national/sync", "")
	f.refused(t, 422, "quantri", "GET", "/api/v1/national/sync?limit=500", "")
	f.call(t, 200, "quantri", "POST", "/api/v1/national/sync/resync", `{}`)
	f.call(t, 200, "quantri", "POST", "/api/v1/national/sync/resync", `{"codes":["`+code+`"]}`)
	f.call(t, 404, "quantri", "POST", "/api/v1/national/sync/resync", `{"codes":["KHONG-CO"]}`)
	f.call(t, 403, "tiepnhan", "POST", "/api/v1/national/sync/resync", `{"all":true}`)
	f.call(t, 200, "quantri", "GET", "/api/v1/national/mapping", "")
	f.call(t, 422, "quantri", "PUT", "/api/v1/national/mapping", `{"statuses":{"11":2}}`)
	f.refused(t, 422, "quantri", "PUT", "/api/v1/national/mapping", `{"thu_tuc":{}}`)
	f.call(t, 200, "quantri", "PUT", "/api/v1/national/mapping", `{"procedures":{"DEMO-001":"1.000001"},"statuses":{"10":10},"provisional":["procedures.DEMO-001"]}`)
	f.call(t, 403, "tiepnhan", "GET", "/api/v1/national/mapping", "")
}

// TestAdminNationalSync: the administrator reads the diff of the national
// catalogue in Vietnamese, confirms it, sees it applied; a stale
// confirmation is refused; the new procedure's draft opens in the
// procedure form, and saving it publishes it.
func TestAdminNationalSync(t *testing.T) {
	f := newFixture(t)
	p := withNational(t, f)
	rec := p.catalog.Record("1.001193")
	rec.TenTTHC = "Đăng ký khai sinh (sửa đổi)"
	rec.CachThuc[0].ThoiGian[0].ThoiGianGiaiQuyet = "2"
	p.catalog.Put(rec)
	p.catalog.Remove("1.000656")

	b := f.browser(t, "quantri")
	st, page := b.get("/quan-tri/thu-tuc")
	if st != 200 || !strings.Contains(page, `href="/quan-tri/thu-tuc/quoc-gia"`) {
		t.Fatalf("catalogue page = %d", st)
	}
	st, page = b.get("/quan-tri/thu-tuc/quoc-gia")
	if st != 200 || !strings.Contains(page, "Đồng bộ danh mục thủ tục quốc gia") || !strings.Contains(page, "Không có bản nháp nào.") {
		t.Fatalf("sync page = %d %.1500s", st, page)
	}
	res, page := b.post("/quan-tri/thu-tuc/quoc-gia", adminForm(t, page, "/quan-tri/thu-tuc/quoc-gia"))
	for _, want := range []string{"1 thủ tục mới", "1 thủ tục thay đổi", "1 thủ tục bãi bỏ", "2.002154", "biểu mẫu tờ khai", "Đăng ký khai sinh (sửa đổi)",
		"Thời hạn giải quyết", "1 ngày làm việc", "2 ngày làm việc", "1.000656", "Áp dụng các thay đổi", "DEMO-001"} {
		if !strings.Contains(page, want) {
			t.Errorf("diff page lacks %q", want)
		}
	}
	if res.StatusCode != 200 {
		t.Fatalf("diff = %d", res.StatusCode)
	}
	confirm := adminForm(t, page, "/quan-tri/thu-tuc/quoc-gia/ap-dung")

	// The national catalogue changes before the confirmation: refused.
	rec.TenTTHC = "Đăng ký khai sinh (sửa đổi lần 2)"
	p.catalog.Put(rec)
	res, page = b.post("/quan-tri/thu-tuc/quoc-gia/ap-dung", confirm)
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "xin xem lại") {
		t.Errorf("stale confirmation = %d", res.StatusCode)
	}
	if got, _ := f.procedureJSON(t, "1.001193"); got.Name != "Đăng ký khai sinh" {
		t.Errorf("a refused confirmation changed %q", got.Name)
	}
	_, page = b.post("/quan-tri/thu-tuc/quoc-gia", adminForm(t, page, "/quan-tri/thu-tuc/quoc-gia"))
	res, _ = b.post("/quan-tri/thu-tuc/quoc-gia/ap-dung", adminForm(t, page, "/quan-tri/thu-tuc/quoc-gia/ap-dung"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply = %d", res.StatusCode)
	}
	st, page = b.get(res.Header.Get("Location"))
	if st != 200 || !strings.Contains(page, "Đã áp dụng: 1 thủ tục mới (bản nháp), 1 thủ tục cập nhật, 1 thủ tục bãi bỏ.") || !strings.Contains(page, "/quan-tri/thu-tuc/moi?ban-nhap=2.002154") {
		t.Fatalf("after apply = %d %.2000s", st, page)
	}
	if got, _ := f.procedureJSON(t, "1.001193"); got.Name != "Đăng ký khai sinh (sửa đổi lần 2)" || got.ProcessingTime.Days != 2 || len(got.FormSchema) < 100 {
		t.Errorf("applied %q %+v", got.Name, got.ProcessingTime)
	}
	if got, _ := f.procedureJSON(t, "1.000656"); got.WithdrawnAt == nil {
		t.Error("not withdrawn")
	}

	// The draft, completed in the procedure form, is published.
	st, page = b.get("/quan-tri/thu-tuc/moi?ban-nhap=2.002154")
	if st != 200 || !strings.Contains(page, "Bản nháp từ danh mục thủ tục quốc gia") || !strings.Contains(page, `value="2.002154"`) || !strings.Contains(page, "Tờ khai đăng ký khai sinh") {
		t.Fatalf("draft form = %d %.2000s", st, page)
	}
	form := adminForm(t, page, "/quan-tri/thu-tuc/moi")
	if res, page := b.post("/quan-tri/thu-tuc/moi", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Biểu mẫu phải là một đối tượng") {
		t.Errorf("draft saved as it is = %d", res.StatusCode)
	}
	form.Set("form_schema", `{"type":"object","properties":{"ho_ten":{"type":"string","title":"Họ và tên"}},"required":["ho_ten"]}`)
	form.Set("online_level", "partial")
	if res, page := b.post("/quan-tri/thu-tuc/moi", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish the draft = %d %.2000s", res.StatusCode, page)
	}
	if got, _ := f.procedureJSON(t, "2.002154"); got.Name != "Đăng ký khai sinh có yếu tố nước ngoài" || got.ProcessingTime.Days != 15 {
		t.Errorf("published %+v", got)
	}
	if _, page := b.get("/quan-tri/thu-tuc/quoc-gia"); !strings.Contains(page, "Không có bản nháp nào.") {
		t.Error("the published draft is still listed")
	}
	if st, _ := f.browser(t, "tiepnhan").get("/quan-tri/thu-tuc/quoc-gia"); st != http.StatusForbidden {
		t.Errorf("an official opens the sync page: %d", st)
	}
}
