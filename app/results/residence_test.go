package results_test

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

const residenceProcedure = "DEMO-030"

// stepTo completes the steps of a received dossier until its current step
// has role (the officials of the demo each complete their own).
func stepTo(t *testing.T, e *apptest.Env, code string, role identity.Role) dossier.Dossier {
	t.Helper()
	d, err := e.Store.Dossier(e.Ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; d.CurrentStep() != nil && d.CurrentStep().Role != role; i++ {
		if i > 8 {
			t.Fatalf("%s never reaches the %s's step", code, role)
		}
		d = e.Act(t, e.StepUser(t, &d), code, dossier.ActCompleteStep)
	}
	if d.CurrentStep() == nil {
		t.Fatalf("%s has no %s's step", code, role)
	}
	return d
}

// A residence confirmation (CT07) walked by the demo's officials: routed
// to the commune police, the specialist (congan) sees the draft drawn from
// the population record, the head of the commune police (truongcongan)
// signs; the result prints the record, not what the applicant typed, and
// is valid one year from the issue.
func TestResidenceConfirmation(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	p, err := e.Store.Procedure(e.Ctx, residenceProcedure)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Components) == 0 || !p.FilledByForm(p.Components[0]) || p.ProcessingTime.Days != 1 || len(p.Fees) != 1 || p.Fees[0].Amount != 0 {
		t.Fatalf("procedure %s: components %+v, time %+v, fees %+v", p.Code, p.Components, p.ProcessingTime, p.Fees)
	}
	in := e.SubmitInput(t, apptest.Citizen, residenceProcedure)
	in.Components = nil // the filled e-form is the CT01 declaration: no file
	in.Form = []byte(`{"ho_ten_nguoi_yeu_cau":"Nguyen Van An gõ sai","so_dinh_danh":"001090012345","dia_chi_cu_tru":"Địa chỉ tự khai không có trong dữ liệu",
		"noi_dung_de_nghi":"Xác nhận thông tin về cư trú hiện tại","so_dien_thoai":"0912345678"}`)
	d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.Citizen), in)
	if err != nil {
		t.Fatal(err)
	}
	if ag, err := e.App.Province.Agency(e.Ctx, d.CompetentAgency); err != nil || ag.Kind != "police" || ag.CommuneCode != e.Seeded.CitizenCommune {
		t.Fatalf("competent agency %s = %+v, %v; want the police of commune %s", d.CompetentAgency, ag, err, e.Seeded.CitizenCommune)
	}
	if d.Payment != nil && d.Payment.Total != 0 {
		t.Errorf("fee %+v, want none", d.Payment)
	}
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	got := stepTo(t, e, d.Code, identity.RoleSpecialist)
	if user := e.StepUser(t, &got); user != apptest.Police {
		t.Fatalf("specialist's step held by %q, want %s", user, apptest.Police)
	}
	draft, err := e.App.Results.DraftPDF(e.Ctx, e.Actor(apptest.Police), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if txt := pdfText(t, draft); !strings.Contains(txt, "NGUYỄN VĂN AN") || strings.Contains(txt, "CHƯA CÓ DỮ LIỆU") {
		t.Errorf("specialist's draft: %s", txt)
	}
	got = stepTo(t, e, d.Code, identity.RoleLeader)
	if user := e.StepUser(t, &got); user != "truongcongan" {
		t.Fatalf("leader's step held by %q, want truongcongan", user)
	}
	done := e.WalkToDone(t, d.Code)
	r := done.Result
	if r == nil || r.Number != "1" || r.HolderName != "Nguyễn Văn An" || r.HolderID != "001090012345" || r.Signer != "Lý Văn Cường" || r.SignerTitle != "Trưởng Công an" {
		t.Fatalf("result = %+v", r)
	}
	for _, action := range []string{"dossier.result_issued", "dossier.result.draft"} {
		en := e.Audit(t, action, "dossier:"+d.Code)
		if len(en) == 0 {
			t.Fatalf("no %s entry", action)
		}
		if read, _ := apptest.Details(t, en[len(en)-1])["data_read"].(map[string]any); read["dataset"] != "population" || read["subject"] != "001090012345" {
			t.Errorf("%s does not name the record read: %+v", action, apptest.Details(t, en[len(en)-1]))
		}
	}
	_, pdf, err := e.App.Results.ResultPDF(e.Ctx, e.Actor(apptest.Citizen), d.Code)
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, pdf)
	until := results.OneYearOn(r.SignedAt).Format("02/01/2006")
	for _, want := range []string{"XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ", "1. Họ, chữ đệm và tên: NGUYỄN VĂN AN", "Ngày, tháng, năm sinh: 14/05/1990; Giới tính: Nam",
		"Số định danh cá nhân: 001090012345", "Nơi thường trú: Số 18, ngõ 25, phố Văn Cao, Phường Ba Đình, Thành phố Hà Nội, từ ngày 12/03/2015", "Nơi tạm trú: Không có",
		"chủ hộ: Nguyễn Văn An; Quan hệ với chủ hộ: Chủ hộ", "có giá trị đến hết ngày: " + until, "THỦ TRƯỞNG CƠ QUAN ĐĂNG KÝ CƯ TRÚ",
		"TRƯỞNG CÔNG AN", "Lý Văn Cường", "Số: 1 "} {
		if !strings.Contains(txt, want) {
			t.Errorf("result lacks %q:\n%s", want, txt)
		}
	}
	for _, not := range []string{"gõ sai", "tự khai", "0912345678", "...."} {
		if strings.Contains(txt, not) {
			t.Errorf("result prints %q:\n%s", not, txt)
		}
	}
}

// A walk-in applicant whose residence is not in the dataset: the draft
// the specialist and the leader see says so in bold under the title; the
// result is never issued with dots (the last step fails, the dossier stays
// where it was, no number is taken); the officials refuse it instead.
func TestResidenceConfirmationWithoutRecord(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	in := e.SubmitInput(t, apptest.Receiver, residenceProcedure)
	in.Form = []byte(`{"ho_ten_nguoi_yeu_cau":"Hoàng Văn Khách","so_dinh_danh":"001099000001","dia_chi_cu_tru":"Số 1 phố Không Có","noi_dung_de_nghi":"Xác nhận thông tin về cư trú hiện tại"}`)
	in.Applicant = &dossier.Applicant{Name: "Hoàng Văn Khách", CitizenID: "001099000001", CommuneCode: e.Seeded.CitizenCommune}
	in.CommuneCode = e.Seeded.CitizenCommune
	d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.Receiver), in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status == dossier.StatusNew {
		e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	}
	for _, tc := range []struct {
		role identity.Role
		user string
	}{{identity.RoleSpecialist, apptest.Police}, {identity.RoleLeader, "truongcongan"}} {
		stepTo(t, e, d.Code, tc.role)
		draft, err := e.App.Results.DraftPDF(e.Ctx, e.Actor(tc.user), d.Code)
		if err != nil {
			t.Fatalf("%s's draft: %v", tc.user, err)
		}
		txt := pdfText(t, draft)
		for _, want := range []string{"DỰ THẢO", "CHƯA CÓ DỮ LIỆU", "001099000001", "Nơi thường trú: ...."} {
			if !strings.Contains(txt, want) {
				t.Errorf("%s's draft lacks %q:\n%s", tc.user, want, txt)
			}
		}
		if strings.Contains(txt, "Số 1 phố Không Có") {
			t.Errorf("%s's draft prints what the applicant typed", tc.user)
		}
	}
	before := stepTo(t, e, d.Code, identity.RoleClerk)
	_, err = e.App.Dossiers.Act(e.Ctx, e.Actor("truongcongan"), d.Code, dossier.Request{Action: dossier.ActCompleteStep, Note: "trả kết quả"})
	apptest.WantKind(t, err, errs.Conflict)
	if !strings.Contains(errs.Message(err), "Không có thông tin cư trú") {
		t.Errorf("message = %q", errs.Message(err))
	}
	after, err := e.Store.Dossier(e.Ctx, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version || after.Result != nil || after.Status == dossier.StatusDone {
		t.Errorf("the failed issue changed the dossier: version %d→%d, result %+v", before.Version, after.Version, after.Result)
	}
	// The series gave nothing away: the next confirmation of the agency is number 1.
	ok := e.Submit(t, apptest.Citizen, residenceProcedure)
	e.Act(t, apptest.Receiver, ok.Code, dossier.ActReceive)
	if r := e.WalkToDone(t, ok.Code).Result; r == nil || r.Number != "1" {
		t.Errorf("next result = %+v, want number 1", r)
	}
}

// The time at each place (Circular 55/2021 Art. 17: the confirmation gives
// the time, the place and the form of registration): the day the
// permanent residence was registered, the temporary residence's term; a
// temporary residence whose term ended before the day of issue is none.
func TestResidenceConfirmationTimes(t *testing.T) {
	e := apptest.New(t, apptest.WithPKI())
	day := func(days int) string { return e.Now().In(calendar.VN).AddDate(0, 0, days).Format(time.DateOnly) }
	vn := func(iso string) string {
		d, err := time.Parse(time.DateOnly, iso)
		if err != nil {
			t.Fatal(err)
		}
		return d.Format("02/01/2006")
	}
	const perm, tmp = "Số 18, ngõ 25, phố Văn Cao, Phường Ba Đình, Thành phố Hà Nội", "Số 5 ngõ 2 phố Kim Mã"
	for _, tc := range []struct {
		name   string
		set    map[string]string
		want   []string
		unwant []string
	}{
		{"term running", map[string]string{"temporary_address": tmp, "temporary_since": day(-200), "temporary_until": day(530)},
			[]string{"Nơi thường trú: " + perm + ", từ ngày 12/03/2015 5.", "Nơi tạm trú: " + tmp + ", Phường Ba Đình, Thành phố Hà Nội, từ ngày " + vn(day(-200)) + " đến ngày " + vn(day(530)),
				"Nơi ở hiện tại: " + tmp}, nil},
		{"term ends on the day of issue", map[string]string{"temporary_address": tmp, "temporary_until": day(0)},
			[]string{"Nơi tạm trú: " + tmp + ", Phường Ba Đình, Thành phố Hà Nội, đến ngày " + vn(day(0))}, nil},
		{"term ended the day before", map[string]string{"temporary_address": tmp, "temporary_since": day(-731), "temporary_until": day(-1)},
			[]string{"Nơi tạm trú: Không có", "Nơi ở hiện tại: " + perm}, []string{tmp}},
		{"no dates in the record", map[string]string{"residence_since": ""},
			[]string{"Nơi thường trú: " + perm + " 5. Nơi tạm trú: Không có"}, []string{perm + ", từ ngày"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := e.Store.DatasetRecord(e.Ctx, "population", "001090012345")
			if err != nil {
				t.Fatal(err)
			}
			data := map[string]string{}
			for k, v := range rec.Data {
				data[k] = v
			}
			for k, v := range tc.set {
				data[k] = v
			}
			if tc.set["temporary_address"] != "" {
				data["temporary_commune"] = e.Seeded.CitizenCommune
			}
			changed := rec
			changed.Data = data
			put := func(r registry.Record) {
				if err := e.Store.Update(e.Ctx, func(tx store.Tx) error { return tx.PutDatasetRecords(e.Ctx, []registry.Record{r}) }); err != nil {
					t.Fatal(err)
				}
			}
			put(changed)
			t.Cleanup(func() { put(rec) })
			d := e.Submit(t, apptest.Citizen, residenceProcedure)
			e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
			e.WalkToDone(t, d.Code)
			_, pdf, err := e.App.Results.ResultPDF(e.Ctx, e.Actor(apptest.Citizen), d.Code)
			if err != nil {
				t.Fatal(err)
			}
			txt := pdfText(t, pdf)
			for _, want := range tc.want {
				if !strings.Contains(txt, want) {
					t.Errorf("result lacks %q:\n%s", want, txt)
				}
			}
			for _, not := range tc.unwant {
				if strings.Contains(txt, not) {
					t.Errorf("result prints %q:\n%s", not, txt)
				}
			}
		})
	}
}

func TestOneYearOn(t *testing.T) {
	tests := []struct {
		issued time.Time
		want   string
	}{
		{time.Date(2026, 11, 27, 10, 15, 0, 0, calendar.VN), "2027-11-27"},
		{time.Date(2028, 2, 29, 9, 0, 0, 0, calendar.VN), "2029-02-28"}, // no 29 February: the month's last day
		{time.Date(2026, 12, 31, 23, 30, 0, 0, calendar.VN), "2027-12-31"},
		{time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC), "2028-01-01"}, // 1 January 2027 in Vietnam
	}
	for _, tt := range tests {
		if got := results.OneYearOn(tt.issued).Format("2006-01-02"); got != tt.want {
			t.Errorf("OneYearOn(%s) = %s, want %s", tt.issued, got, tt.want)
		}
	}
}
