package web

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
)

// TestStepControls drives the actions that need a choice from the dossier
// page: the leader assigns the step to a specialist, sends the dossier back
// to a chosen step, and the specialist of an overdue dossier apologises
// with a new appointment (form 04).
func TestStepControls(t *testing.T) {
	f := newFixture(t)
	start := time.Date(2026, 11, 24, 9, 0, 0, 0, calendar.VN) // Tuesday
	f.set(start)
	st, d, b := f.submit(t, "congdan", "1.001193", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	code := d.Code
	if st, _, b := f.act(t, "tiepnhan", code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}

	// Assign: only the commune's leader sees the choice, listing the
	// specialists of the step's agency.
	if _, page := f.browser(t, "chuyenvien").get("/ho-so/" + code); strings.Contains(page, `name="assignee_id"`) {
		t.Error("a specialist is offered the assignment")
	}
	leader := f.browser(t, "lanhdao")
	_, page := leader.get("/ho-so/" + code)
	m := regexp.MustCompile(`<option value="(\d+)">Trần Minh Đức</option>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the leader's page offers no assignee Trần Minh Đức")
	}
	for _, tc := range []struct {
		form   url.Values
		status int
		want   string
	}{
		{url.Values{"action": {"assign"}, "assignee_id": {"abc"}}, 422, "Người được phân công không hợp lệ."},
		{url.Values{"action": {"assign"}}, 422, "Cần chọn người được phân công."},
	} {
		if res, page := leader.post("/ho-so/"+code+"/thao-tac", tc.form); res.StatusCode != tc.status || !strings.Contains(page, tc.want) {
			t.Errorf("%v = %d, want %d with %q", tc.form, res.StatusCode, tc.status, tc.want)
		}
	}
	if res, _ := leader.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"assign"}, "assignee_id": {m[1]}, "note": {"Giao đồng chí Đức"}}); res.StatusCode != 303 {
		t.Fatalf("assign = %d", res.StatusCode)
	}
	stored := f.stored(t, code)
	if s := stored.CurrentStep(); s == nil || s.AssigneeName != "Trần Minh Đức" || stored.Status != dossier.StatusProcessing {
		t.Fatalf("after assign: status %d step %+v", stored.Status, stored.CurrentStep())
	}

	// Send back to a chosen step: the specialist finishes, the leader
	// returns it to the specialist's step.
	if st, _, b := f.act(t, "chuyenvien", code, `{"action":"complete_step"}`); st != 200 {
		t.Fatalf("complete_step = %d %s", st, b)
	}
	specialistStep := stored.Current
	_, page = leader.get("/ho-so/" + code)
	if !strings.Contains(page, `name="to_step"`) {
		t.Fatal("the leader is offered no step to send back to")
	}
	if res, _ := leader.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"send_back"}, "to_step": {"x"}, "note": {"Xem lại"}}); res.StatusCode != 422 {
		t.Errorf("send back to step x = %d", res.StatusCode)
	}
	if res, _ := leader.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"send_back"}, "to_step": {strconv.Itoa(specialistStep)}, "note": {"Xem lại chữ ký"}}); res.StatusCode != 303 {
		t.Fatalf("send back = %d", res.StatusCode)
	}
	if got := f.stored(t, code).Current; got != specialistStep {
		t.Fatalf("after send back the current step is %d, want %d", got, specialistStep)
	}

	// Apologise: past the due the specialist is offered the apology; the
	// new appointment must be a date and time later than the old one.
	due := f.stored(t, code).Deadline.Due
	f.set(due.Add(26 * time.Hour))
	spec := f.browser(t, "chuyenvien")
	if _, page := spec.get("/ho-so/" + code); !strings.Contains(page, `name="new_due_at"`) {
		t.Fatal("the specialist of an overdue dossier is offered no apology")
	}
	newDue := f.now().Add(72 * time.Hour).In(calendar.VN).Truncate(time.Minute)
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"action": {"apologize"}, "new_due_at": {"hôm qua"}, "note": {"Chờ xác minh"}}, "Ngày hẹn trả mới không hợp lệ (ngày và giờ)."},
		{url.Values{"action": {"apologize"}, "new_due_at": {due.Add(-time.Hour).In(calendar.VN).Format("2006-01-02T15:04")}, "note": {"Chờ xác minh"}}, "phải sau"},
		{url.Values{"action": {"apologize"}, "new_due_at": {newDue.Format("2006-01-02T15:04")}}, "lý do chậm trễ"},
	} {
		if res, page := spec.post("/ho-so/"+code+"/thao-tac", tc.form); res.StatusCode != 422 || !strings.Contains(page, tc.want) {
			t.Errorf("%v = %d, want 422 with %q", tc.form, res.StatusCode, tc.want)
		}
	}
	if len(f.stored(t, code).Apologies) != 0 {
		t.Fatal("a refused apology was stored")
	}
	if res, _ := spec.post("/ho-so/"+code+"/thao-tac", url.Values{"action": {"apologize"}, "new_due_at": {newDue.Format("2006-01-02T15:04")}, "note": {"Chờ xác minh của công an"}}); res.StatusCode != 303 {
		t.Fatalf("apologize = %d", res.StatusCode)
	}
	after := f.stored(t, code)
	if len(after.Apologies) != 1 || !after.Apologies[0].NewDueAt.Equal(newDue) || !after.Deadline.Due.Equal(newDue) {
		t.Fatalf("apologies %+v due %v, want %v", after.Apologies, after.Deadline.Due, newDue)
	}
	if _, page := spec.get("/ho-so/" + code); !strings.Contains(page, "/forms/04") {
		t.Error("form 04 is not offered after the apology")
	}
}
