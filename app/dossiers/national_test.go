package dossiers_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/app/province"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/httpfetch"
	"github.com/motcua/motcua/store"
)

// portalFiles is the national portal's file host: each path serves a
// distinct valid PDF, /hong a damaged one, /cham nothing in time; it
// counts the downloads.
type portalFiles struct {
	*httptest.Server
	hits atomic.Int32
}

func newPortalFiles(t *testing.T) *portalFiles {
	f := &portalFiles{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		switch r.URL.Path {
		case "/hong.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = w.Write([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrai"))
		case "/missing":
			http.NotFound(w, r)
		case "/cham.pdf":
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		default:
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = w.Write([]byte(pdfOf(r.URL.Path)))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func pdfOf(path string) string { return apptest.MinimalPDF + "% " + path + "\n" }

func sumOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// nationalEnv is the demo province whose dossiers fetch the portal's papers
// from files (any port of 127.0.0.1), within 300 ms each.
func nationalEnv(t *testing.T, files *portalFiles) *apptest.Env {
	return apptest.New(t, apptest.WithConfig(func(c *platform.Config) {
		c.NationalFiles = httpfetch.New([]string{"127.0.0.1"}, 300*time.Millisecond, 5<<20)
	}))
}

// birthRecord is a dossier of birth registration (1.001193) submitted on
// the portal by the demo citizen congdan, for the demo commune, with the
// three required papers on files.
func birthRecord(e *apptest.Env, files *portalFiles, code string) dossiers.NationalSubmission {
	doc := func(id, comp string) dvcqg.Document {
		return dvcqg.Document{TepDinhKemID: id, TenTepDinhKem: "Giấy tờ " + comp, MaThanhPhanHoSo: comp, DuongDan: files.URL + "/" + code + "/" + id + ".pdf", DuocSoHoa: 1}
	}
	return dossiers.NationalSubmission{Dossier: dvcqg.Dossier{
		MaHoSo: code, MaTTHC: "1.001193", TenTTHC: "Đăng ký khai sinh", KenhThucHien: 2, LoaiDoiTuong: 1,
		ChuHoSo: "Nguyễn Văn An", SoGiayToChuHoSo: "001090012345", DinhDanhCHS: []dvcqg.Identity{{LoaiDinhDanh: 1, SoDinhDanh: "001090012345"}},
		Email: "congdan@example.vn", SoDienThoai: "0912345678", ThongTinKhac: "12 Phố Huế",
		TrangThaiHoSo: 1, NgayNopHoSo: dvcqg.FormatTime(apptest.Start.Add(-time.Hour)),
		TaiLieuNop:   []dvcqg.Document{doc("tk", "TP01"), doc("cs", "TP02"), doc("cc", "TP03")},
		DSKetNoiCSDL: []dvcqg.Database{{MaCSDL: "7"}},
	}, MaXa: e.Seeded.CitizenCommune}
}

func TestReceiveNational(t *testing.T) {
	files := newPortalFiles(t)
	e := nationalEnv(t, files)
	portal := e.Actor(demo.NationalPortal)
	in := birthRecord(e, files, "G22.99-261123-00042")
	r, err := e.App.Dossiers.ReceiveNational(e.Ctx, portal, in)
	if err != nil {
		t.Fatal(err)
	}
	d := r.Dossier
	citizen := e.Actor(apptest.Citizen)
	switch {
	case r.Existing:
		t.Error("a first delivery is existing")
	case d.Status != dossier.StatusNew || d.Channel != dossier.ChannelOnline || d.NationalCode != in.MaHoSo:
		t.Errorf("dossier %s: status %d channel %d national %q", d.Code, d.Status, d.Channel, d.NationalCode)
	case d.ReceivingAgency != "" || d.CompetentAgency != e.Seeded.CommuneAgency || !strings.HasPrefix(d.Code, e.Seeded.CommuneAgency+"-261123-"):
		t.Errorf("routed to %q (receiving %q) as %s", d.CompetentAgency, d.ReceivingAgency, d.Code)
	case d.Applicant.AccountID != citizen.ID() || d.Applicant.CitizenID != "001090012345" || d.Applicant.Name != "Nguyễn Văn An" || d.Applicant.Address != "12 Phố Huế":
		t.Errorf("applicant %+v", d.Applicant)
	case d.SubmittedBy != 0 || !d.SubmittedAt.Equal(apptest.Start.Add(-time.Hour)) || !strings.Contains(d.History[0].Note, in.MaHoSo):
		t.Errorf("submitted by %d at %v: %+v", d.SubmittedBy, d.SubmittedAt, d.History[0])
	case !slices.Equal(d.Databases, []string{"7"}):
		t.Errorf("databases %v", d.Databases)
	}
	if len(d.Components) != 3 {
		t.Fatalf("components %+v", d.Components)
	}
	for _, c := range d.Components {
		f, err := e.Store.File(e.Ctx, c.FileID)
		want := sumOf(pdfOf("/" + in.MaHoSo + "/" + map[string]string{"TP01": "tk", "TP02": "cs", "TP03": "cc"}[c.Code] + ".pdf"))
		if err != nil || c.SHA256 != want || f.SHA256 != want || c.ContentType != "application/pdf" || f.OwnerID != portal.ID() {
			t.Errorf("component %s: %+v, file %+v %v", c.Code, c, f, err)
		}
		if rc, err := e.Files.Open(c.SHA256); err != nil {
			t.Errorf("component %s not in the file store: %v", c.Code, err)
		} else {
			rc.Close()
		}
	}
	if got := actions(t, e, "dossier:"+d.Code); !slices.Equal(got, []string{"dossier.submit", "dossier.national_receive"}) {
		t.Errorf("audit %v", got)
	}
	if got := apptest.Details(t, e.Audit(t, "dossier.national_receive", "dossier:"+d.Code)[0]); got["national_code"] != in.MaHoSo || got["files"] != 3.0 {
		t.Errorf("audit details %v", got)
	}
	events, err := e.Store.PendingOutbox(e.Ctx, 1000)
	if err != nil || !slices.ContainsFunc(events, func(ev store.OutboxEvent) bool { return ev.Topic == "dossier.submit" && ev.Key == d.Code+"/1" }) {
		t.Errorf("no outbox event for %s (%v)", d.Code, err)
	}

	// In the inbox of the commune's counter and of the province's centre
	// at status 1; in the citizen's own list; the portal reads none.
	for _, user := range []string{apptest.CommuneDesk, apptest.Receiver} {
		l, err := e.App.Dossiers.DossierList(e.Ctx, e.Actor(user), dossiers.DossierQuery{Inbox: true, Status: 1})
		if err != nil || !slices.ContainsFunc(l.Items, func(x dossier.Dossier) bool { return x.Code == d.Code }) {
			t.Errorf("%s's inbox lacks %s (%v)", user, d.Code, err)
		}
	}
	mine, _, err := e.App.Dossiers.Dossiers(e.Ctx, citizen, dossiers.DossierQuery{})
	if err != nil || !slices.ContainsFunc(mine, func(x dossier.Dossier) bool { return x.Code == d.Code }) {
		t.Errorf("the citizen's list lacks %s (%v)", d.Code, err)
	}
	for _, who := range []string{apptest.Police, demo.NationalPortal} {
		if _, err := e.App.Dossiers.Dossier(e.Ctx, e.Actor(who), d.Code); errs.KindOf(err) != errs.NotFound {
			t.Errorf("%s reads it: %v", who, err)
		}
	}

	// The counter takes it in like any online dossier.
	if got := e.Act(t, apptest.CommuneDesk, d.Code, dossier.ActReceive); got.Status != dossier.StatusReceived {
		t.Errorf("received: status %d", got.Status)
	}

	// Idempotent on the national code: the same dossier, nothing fetched
	// or made again.
	hits := files.hits.Load()
	again, err := e.App.Dossiers.ReceiveNational(e.Ctx, portal, in)
	if err != nil || !again.Existing || again.Dossier.Code != d.Code {
		t.Fatalf("second delivery: %+v %v", again.Dossier.Code, err)
	}
	if files.hits.Load() != hits {
		t.Error("the second delivery fetched the papers again")
	}
	if n := len(e.Audit(t, "dossier.national_receive", "")); n != 1 {
		t.Errorf("%d receipts audited", n)
	}
}

func TestReceiveNationalRefused(t *testing.T) {
	files := newPortalFiles(t)
	e := nationalEnv(t, files)
	portal := e.Actor(demo.NationalPortal)
	n := 0
	record := func(change func(*dossiers.NationalSubmission)) dossiers.NationalSubmission {
		n++
		in := birthRecord(e, files, fmt.Sprintf("G22.99-261123-9%04d", n))
		if change != nil {
			change(&in)
		}
		return in
	}
	for _, tc := range []struct {
		name   string
		actor  identity.Actor
		in     dossiers.NationalSubmission
		want   errs.Kind
		fields []string
		fetch  bool // papers were fetched before the refusal
	}{
		{"anonymous", apptest.Anonymous(), record(nil), errs.Unauthorized, nil, false},
		{"a citizen", e.Actor(apptest.Citizen), record(nil), errs.Forbidden, nil, false},
		{"an official", e.Actor(apptest.Receiver), record(nil), errs.Forbidden, nil, false},
		{"an administrator", e.Actor(apptest.Admin), record(nil), errs.Forbidden, nil, false},
		{"invalid record", portal, record(func(in *dossiers.NationalSubmission) { in.NgayNopHoSo, in.ChuHoSo = "2026-11-23", "" }), errs.Invalid, []string{"NgayNopHoSo", "ChuHoSo"}, false},
		{"not new", portal, record(func(in *dossiers.NationalSubmission) { in.TrangThaiHoSo, in.NgayTiepNhan = 2, in.NgayNopHoSo }), errs.Invalid, []string{"TrangThaiHoSo"}, false},
		{"not online", portal, record(func(in *dossiers.NationalSubmission) { in.KenhThucHien = 1 }), errs.Invalid, []string{"KenhThucHien"}, false},
		{"unknown procedure", portal, record(func(in *dossiers.NationalSubmission) { in.MaTTHC = "9.999999" }), errs.Invalid, []string{"MaTTHC"}, false},
		{"not for enterprises", portal, record(func(in *dossiers.NationalSubmission) {
			in.LoaiDoiTuong, in.SoGiayToChuHoSo, in.DinhDanhCHS = 2, "0101234567", nil
		}), errs.Invalid, []string{"LoaiDoiTuong"}, false},
		{"citizen without an ID", portal, record(func(in *dossiers.NationalSubmission) { in.SoGiayToChuHoSo, in.DinhDanhCHS = "", nil }), errs.Invalid, []string{"DinhDanhCHS"}, false},
		{"commune of another province", portal, record(func(in *dossiers.NationalSubmission) { in.MaXa = "79001" }), errs.Invalid, []string{"MaXa"}, false},
		{"unknown component", portal, record(func(in *dossiers.NationalSubmission) { in.TaiLieuNop[1].MaThanhPhanHoSo = "TP99" }), errs.Invalid, []string{"TaiLieuNop[1].MaThanhPhanHoSo", "TaiLieuNop"}, false},
		{"required paper missing", portal, record(func(in *dossiers.NationalSubmission) { in.TaiLieuNop = in.TaiLieuNop[:2] }), errs.Invalid, []string{"TaiLieuNop"}, false},
		{"paper without a file", portal, record(func(in *dossiers.NationalSubmission) { in.TaiLieuNop[0].DuongDan = "" }), errs.Invalid, []string{"TaiLieuNop[0].DuongDanTaiTepTin"}, false},
		{"host not allowed", portal, record(func(in *dossiers.NationalSubmission) {
			in.TaiLieuNop[2].DuongDan = strings.Replace(in.TaiLieuNop[2].DuongDan, "127.0.0.1", "localhost", 1)
		}), errs.Invalid, []string{"TaiLieuNop[2].DuongDanTaiTepTin"}, false},
		{"declaration not the form's", portal, record(func(in *dossiers.NationalSubmission) { in.ToKhai = json.RawMessage(`{"gioi_tinh":"X"}`) }), errs.Invalid, []string{"ToKhai"}, false},
		{"paper damaged", portal, record(func(in *dossiers.NationalSubmission) { in.TaiLieuNop[1].DuongDan = files.URL + "/hong.pdf" }), errs.Invalid, []string{"TaiLieuNop[1].DuongDanTaiTepTin"}, true},
		{"paper not on the host", portal, record(func(in *dossiers.NationalSubmission) { in.TaiLieuNop[1].DuongDan = files.URL + "/missing" }), errs.Invalid, []string{"TaiLieuNop[1].DuongDanTaiTepTin"}, true},
		{"file host too slow", portal, record(func(in *dossiers.NationalSubmission) { in.TaiLieuNop[2].DuongDan = files.URL + "/cham.pdf" }), errs.Unavailable, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits := files.hits.Load()
			_, err := e.App.Dossiers.ReceiveNational(e.Ctx, tc.actor, tc.in)
			apptest.WantKind(t, err, tc.want)
			if !hasFields(err, tc.fields) {
				t.Errorf("fields %v, want %v", apptest.Fields(err), tc.fields)
			}
			if e, ok := errs.As(err); !ok || e.Message == "" {
				t.Errorf("no message: %v", err)
			}
			if fetched := files.hits.Load() != hits; fetched != tc.fetch {
				t.Errorf("papers fetched: %v", fetched)
			}
			if _, err := e.Store.DossierByNationalCode(e.Ctx, tc.in.MaHoSo); errs.KindOf(err) != errs.NotFound {
				t.Errorf("a refused dossier was stored: %v", err)
			}
			// The papers fetched before the refusal are not kept.
			for _, p := range tc.in.TaiLieuNop {
				if strings.HasPrefix(p.DuongDan, files.URL+"/G22") {
					if f, err := e.Files.Open(sumOf(pdfOf(strings.TrimPrefix(p.DuongDan, files.URL)))); err == nil {
						f.Close()
						t.Errorf("%s kept in the file store", p.DuongDan)
					}
				}
			}
		})
	}
	if n := len(e.Audit(t, "dossier.national_receive", "")); n != 0 {
		t.Errorf("%d refused receipts audited", n)
	}
}

// A procedure whose local code differs from the portal's is found through
// the province's mapping; a withdrawn one takes no dossier.
func TestReceiveNationalMapped(t *testing.T) {
	files := newPortalFiles(t)
	e := nationalEnv(t, files)
	m, _ := json.Marshal(dvcqg.Mapping{Procedures: map[string]string{"1.001193": "1.999193"}})
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error { return tx.SetMeta(e.Ctx, province.NationalMappingKey, string(m)) }); err != nil {
		t.Fatal(err)
	}
	in := birthRecord(e, files, "G22.99-261123-00077")
	_, err := e.App.Dossiers.ReceiveNational(e.Ctx, e.Actor(demo.NationalPortal), in)
	if !hasFields(err, []string{"MaTTHC"}) {
		t.Errorf("the local code of a mapped procedure: %v", err)
	}
	in.MaTTHC = "1.999193"
	r, err := e.App.Dossiers.ReceiveNational(e.Ctx, e.Actor(demo.NationalPortal), in)
	if err != nil || r.Dossier.ProcedureCode != "1.001193" {
		t.Fatalf("mapped: %+v %v", r.Dossier.ProcedureCode, err)
	}
}

// The stream's handler takes a message in as the platform; a message that
// can never be taken in is not worth a redelivery, a slow file host is.
func TestNationalHandler(t *testing.T) {
	files := newPortalFiles(t)
	e := nationalEnv(t, files)
	h := e.App.Dossiers.NationalHandler(identity.SystemActor("nats"))
	in := birthRecord(e, files, "G22.99-261123-00100")
	msg, _ := json.Marshal(in)
	if err := h(e.Ctx, msg); err != nil {
		t.Fatal(err)
	}
	d, err := e.Store.DossierByNationalCode(e.Ctx, in.MaHoSo)
	if err != nil || d.Status != dossier.StatusNew || d.SubmittedBy != 0 {
		t.Fatalf("%+v %v", d.Code, err)
	}
	if err := h(e.Ctx, msg); err != nil {
		t.Errorf("redelivery: %v", err)
	}
	if dossiers.NationalSubject("01") != "dvcqg.01.dossier.submitted" {
		t.Error(dossiers.NationalSubject("01"))
	}
	slow := birthRecord(e, files, "G22.99-261123-00101")
	slow.TaiLieuNop[0].DuongDan = files.URL + "/cham.pdf"
	slowMsg, _ := json.Marshal(slow)
	for _, tc := range []struct {
		name  string
		msg   string
		retry bool
	}{
		{"not JSON", "<HoSo/>", false},
		{"trailing data", string(msg) + "{}", false},
		{"an array", "[" + string(msg) + "]", false},
		{"unknown procedure", strings.Replace(strings.Replace(string(msg), "1.001193", "9.999999", 1), in.MaHoSo, "G22.99-261123-00102", 1), false},
		{"file host too slow", string(slowMsg), true},
	} {
		err := h(e.Ctx, []byte(tc.msg))
		if err == nil || dossiers.RetryNational(err) != tc.retry {
			t.Errorf("%s: %v, retry %v", tc.name, err, dossiers.RetryNational(err))
		}
	}
}

// FuzzDecodeNational: whatever arrives on the stream or the API, decoding
// neither panics nor accepts more than one object, and a decoded
// submission's record can be validated.
func FuzzDecodeNational(f *testing.F) {
	f.Add([]byte(`{"MaHoSo":"G22.99-261123-00042","MaTTHC":"1.001193","KenhThucHien":"2","TrangThaiHoSo":1,"MaXa":"00004","ToKhai":{"a":1}}`))
	f.Add([]byte(`{"TaiLieuNop":[{"DuongDanTaiTepTin":"http://%zz"}],"DinhDanhCHS":[{"LoaiDinhDanh":"x"}]}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := dossiers.DecodeNational(b)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("decoding error of kind %s: %v", errs.KindOf(err), err)
			}
			return
		}
		_ = in.Validate()
	})
}
