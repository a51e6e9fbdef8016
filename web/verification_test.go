package web

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestExtendForVerificationPage: on a procedure whose law gives a longer
// time when verification is needed (marriage registration: 5 working days
// instead of the same day), the specialist holding the step is offered
// "gia hạn để xác minh"; it needs what is to be verified, moves the due
// date once, shows on the page and in the API (Vietnam's time), and is
// offered no more. A procedure without such a time never offers it.
func TestExtendForVerificationPage(t *testing.T) {
	f := newFixture(t)
	st, d, body := f.submit(t, "congdan", "1.000894", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	receiver, specialist := f.browser(t, "tiepnhan"), f.browser(t, "chuyenvien")
	receive := func(code string) {
		t.Helper()
		receiver.get("/ho-so/" + code) // the form carries the version read
		if res, _ := receiver.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"receive"}}); res.StatusCode != 303 {
			t.Fatalf("receive %s = %d", code, res.StatusCode)
		}
	}
	receive(d.Code)
	due := func() (time.Time, map[string]any) {
		t.Helper()
		res, b := f.do(t, "GET", "/api/v1/dossiers/"+d.Code, f.token(t, "chuyenvien"), "")
		if res.StatusCode != 200 {
			t.Fatalf("GET dossier = %d", res.StatusCode)
		}
		var v struct {
			DueAt        time.Time      `json:"due_at"`
			Verification map[string]any `json:"verification"`
		}
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		return v.DueAt, v.Verification
	}
	before, v := due()
	if v != nil {
		t.Fatalf("verification before any: %v", v)
	}
	if _, page := specialist.get("/ho-so/" + d.Code); !strings.Contains(page, `value="extend_for_verification"`) {
		t.Fatal("the specialist is not offered the extension")
	}
	if _, page := receiver.get("/ho-so/" + d.Code); strings.Contains(page, `value="extend_for_verification"`) {
		t.Error("the receiver, who holds no step now, is offered the extension")
	}
	res, page := specialist.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"extend_for_verification"}, "note": {"  "}})
	if res.StatusCode != 422 || !strings.Contains(page, "Cần ghi rõ nội dung cần xác minh.") {
		t.Errorf("without a note = %d", res.StatusCode)
	}
	if after, _ := due(); !after.Equal(before) {
		t.Fatalf("the refused extension moved the due date %v → %v", before, after)
	}
	specialist.get("/ho-so/" + d.Code)
	if res, _ := specialist.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"extend_for_verification"}, "note": {"Xác minh tình trạng hôn nhân của bên nữ"}}); res.StatusCode != 303 {
		t.Fatalf("extend = %d", res.StatusCode)
	}
	after, v := due()
	if !after.After(before.Add(3*24*time.Hour)) || v == nil || v["note"] != "Xác minh tình trạng hôn nhân của bên nữ" {
		t.Errorf("after the extension: due %v (before %v), verification %v", after, before, v)
	}
	if s, _ := v["new_due_at"].(string); !strings.HasSuffix(s, "+07:00") {
		t.Errorf("new_due_at %q not in Vietnam's time", s)
	}
	_, page = specialist.get("/ho-so/" + d.Code)
	for _, want := range []string{"Gia hạn để xác minh", "cần xác minh: Xác minh tình trạng hôn nhân của bên nữ (Trần Minh Đức)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, `value="extend_for_verification"`) {
		t.Error("offered a second time")
	}

	// Birth registration has no time of its own for verification.
	st, birth, body := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, body)
	}
	receive(birth.Code)
	if _, page := specialist.get("/ho-so/" + birth.Code); !strings.Contains(page, `value="complete_step"`) || strings.Contains(page, `value="extend_for_verification"`) {
		t.Error("birth registration: want complete_step and no extension")
	}
}
