package web

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/dossier"
)

// TestFeeExemptionPages: the submission form offers the procedure's fee
// exemptions (and only where it has some), shows the fee in words for the
// choice, asks for the proof; the dossier page shows the claim pending;
// the counter confirms or refuses it during reception (a reason needed to
// refuse), receiving waiting for the decision; the citizen sees the
// outcome and no control.
func TestFeeExemptionPages(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "congdan")
	if _, page := b.get("/thu-tuc/1.001193/nop"); strings.Contains(page, `name="mien"`) {
		t.Error("a procedure without exemptions offers one")
	}
	pending := "Miễn lệ phí (đề nghị: Thành viên hộ nghèo) – chờ kiểm tra"
	st, page := b.get("/thu-tuc/1.004222/nop")
	if st != 200 || !strings.Contains(page, `<select id="mien" name="mien" data-fee-note>`) || !strings.Contains(page, `<option value="MG03" data-note="`+html.EscapeString(pending)+`">`) {
		t.Fatalf("submission form = %d: no exemption choice", st)
	}
	fields, files := f.sampleForm(t, "1.004222")
	// The poor household's paper is missing: refused, the choice kept, the
	// fee in words.
	fields["mien"] = "MG03"
	res, page := b.postMultipart("/thu-tuc/1.004222/nop", fields, files)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-mien"`) || !strings.Contains(page, `<option value="MG03" data-note="`+html.EscapeString(pending)+`" selected>`) ||
		!strings.Contains(page, `<strong class="fee-claimed">`+html.EscapeString(pending)+`</strong>`) {
		t.Fatalf("claim without its proof = %d: %.4000s", res.StatusCode, page)
	}
	files["mien-tep"] = minimalPDF + "% ho ngheo\n"
	res, _ = b.postMultipart("/thu-tuc/1.004222/nop", fields, files)
	code, ok := strings.CutSuffix(strings.TrimPrefix(res.Header.Get("Location"), "/ho-so/"), "/da-nop")
	if res.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("submission with the claim = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	dossierPage := "/ho-so/" + code
	_, page = b.get(dossierPage)
	if !strings.Contains(page, html.EscapeString(pending)) || !strings.Contains(page, dossierPage+"/tep/") || strings.Contains(page, "/mien-le-phi") {
		t.Errorf("citizen's dossier page: claim %v, proof %v, control %v", strings.Contains(page, html.EscapeString(pending)), strings.Contains(page, dossierPage+"/tep/"), strings.Contains(page, "/mien-le-phi"))
	}
	// The counter: the decision first, then the reception.
	counter := f.browser(t, "tiepnhan")
	_, page = counter.get(dossierPage)
	if !strings.Contains(page, `action="`+dossierPage+`/mien-le-phi"`) || strings.Contains(page, `value="receive"`) {
		t.Fatalf("counter's page: decision control %v, receive offered %v", strings.Contains(page, "/mien-le-phi"), strings.Contains(page, `value="receive"`))
	}
	if st, _ := counter.get(dossierPage + "/tep/" + f.stored(t, code).Exemption.File.FileID); st != 200 {
		t.Errorf("the counter opens the proof: %d", st)
	}
	res, page = counter.post(dossierPage+"/mien-le-phi", url.Values{"decision": {"tu-choi"}, "reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Cần ghi rõ lý do") {
		t.Errorf("refused without a reason = %d", res.StatusCode)
	}
	if res, _ := b.post(dossierPage+"/mien-le-phi", url.Values{"decision": {"xac-nhan"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the citizen decides: %d", res.StatusCode)
	}
	if res, page := counter.post(dossierPage+"/mien-le-phi", url.Values{"decision": {"tu-choi"}, "reason": {"Giấy chứng nhận hộ nghèo đã hết hạn"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse = %d: %.2000s", res.StatusCode, page)
	}
	if _, page = counter.get(dossierPage); !strings.Contains(page, `value="receive"`) || strings.Contains(page, `action="`+dossierPage+`/mien-le-phi"`) {
		t.Errorf("after the decision: receive offered %v", strings.Contains(page, `value="receive"`))
	}
	if _, page = b.get(dossierPage); !strings.Contains(page, "Không chấp nhận miễn lệ phí — Thành viên hộ nghèo. Lý do: Giấy chứng nhận hộ nghèo đã hết hạn") {
		t.Errorf("the citizen does not see the refusal")
	}
	if n := f.auditCount(t, "fee_exemption.refused"); n != 1 {
		t.Errorf("%d fee_exemption.refused entries", n)
	}
}

// TestFeeExemptionAtCounter: the counter's walk-in form offers the
// procedure's exemptions; the receiver who saw the paper submits with one
// chosen (the scan optional) and the dossier is received exempt, the
// decision in its history; an unknown choice is refused with the choice's
// message beside the field.
func TestFeeExemptionAtCounter(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "tiepnhanxa")
	note := "Miễn lệ phí (Thành viên hộ nghèo) – xác nhận khi tiếp nhận"
	st, page := b.get("/quay/thu-tuc/1.004222?cccd=001090012345")
	if st != 200 || !strings.Contains(page, `<option value="MG03" data-note="`+html.EscapeString(note)+`">`) || !strings.Contains(page, "Bản chụp giấy tờ chứng minh (không bắt buộc") {
		t.Fatalf("counter form = %d: no exemption choice", st)
	}
	fields, files := f.sampleForm(t, "1.004222")
	for k, v := range map[string]string{"applicant.name": "Nguyễn Văn An", "applicant.citizen_id": "001090012345", "commune_code": "00004"} {
		fields[k] = v
	}
	fields["mien"] = "MG99"
	res, page := b.postMultipart("/quay/thu-tuc/1.004222", fields, files)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-mien"`) {
		t.Fatalf("unknown exemption = %d", res.StatusCode)
	}
	fields["mien"] = "MG03"
	res, _ = b.postMultipart("/quay/thu-tuc/1.004222", fields, files)
	code, ok := strings.CutPrefix(res.Header.Get("Location"), "/quay/xong/")
	if res.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("counter submission with the claim = %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	d := f.stored(t, code)
	if d.Status != dossier.StatusReceived || d.Exemption == nil || d.Exemption.Decision != dossier.ExemptionConfirmed || d.Exemption.File != nil {
		t.Fatalf("status %d, claim %+v", d.Status, d.Exemption)
	}
	var acts []dossier.Action
	for _, h := range d.History {
		acts = append(acts, h.Action)
	}
	if !slices.Equal(acts, []dossier.Action{dossier.ActSubmit, dossier.ActFeeExemption, dossier.ActReceive}) {
		t.Errorf("history %v", acts)
	}
	if _, page := b.get("/ho-so/" + code); !strings.Contains(page, "Đã xác nhận miễn lệ phí (Thành viên hộ nghèo)") {
		t.Error("the dossier page does not show the confirmed exemption")
	}
}
