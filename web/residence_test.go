package web

import (
	"strings"
	"testing"
)

// TestResidenceConfirmationDraft: at the specialist's step of a residence
// confirmation (CT07), the commune police's specialist is offered the
// draft, drawn from the population record (what the datasets lack shows
// there before the leader signs); the receiver, who holds no step, is not.
func TestResidenceConfirmationDraft(t *testing.T) {
	f := newFixture(t)
	withPKI(t, f)
	form := `{"form":{"ho_ten_nguoi_yeu_cau":"Nguyễn Văn An","so_dinh_danh":"001090012345","dia_chi_cu_tru":"Số 18, ngõ 25, phố Văn Cao",
		"noi_dung_de_nghi":"Xác nhận thông tin về cư trú hiện tại"}}`
	st, d, b := f.submit(t, "congdan", "DEMO-030", form)
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	if d = f.get(t, "congan", d.Code); d.CurrentStep == nil || d.CurrentStep.Role != "specialist" {
		t.Fatalf("current step = %+v", d.CurrentStep)
	}
	specialist := f.browser(t, "congan")
	if _, page := specialist.get("/ho-so/" + d.Code); !strings.Contains(page, "/ho-so/"+d.Code+"/du-thao") {
		t.Error("the specialist's page does not link the draft")
	}
	res, body := specialist.getRaw("/ho-so/" + d.Code + "/du-thao")
	if txt := pdfText(t, []byte(body)); res.StatusCode != 200 || !strings.Contains(txt, "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ") || !strings.Contains(txt, "NGUYỄN VĂN AN") {
		t.Errorf("draft = %d:\n%s", res.StatusCode, txt)
	}
	if _, page := f.browser(t, "tiepnhan").get("/ho-so/" + d.Code); strings.Contains(page, "/du-thao") {
		t.Error("the receiver's page links the draft")
	}
}
