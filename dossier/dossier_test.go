package dossier_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// Agencies of the fixtures.
const (
	compAgency    = "000.00.50.H01" // the competent department
	counterAgency = "000.00.10.H01" // the province public service centre
	otherAgency   = "000.00.60.H01" // an unrelated department
)

// Actors of the fixtures.
var (
	applicant  = identity.ActorOf(&identity.Account{ID: 7, DisplayName: "Nguyễn Văn An"})
	stranger   = identity.ActorOf(&identity.Account{ID: 8, DisplayName: "Trần Thị Bình"})
	receiver   = identity.ActorOf(&identity.Account{ID: 100, DisplayName: "Lê Tiếp Nhận", Grants: []identity.Grant{{Role: identity.RoleReceiver, AgencyID: counterAgency, ForProvince: true}}})
	specialist = identity.ActorOf(&identity.Account{ID: 101, DisplayName: "Phạm Chuyên Viên", Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: compAgency}}})
	leader     = identity.ActorOf(&identity.Account{ID: 102, DisplayName: "Hoàng Lãnh Đạo", Grants: []identity.Grant{{Role: identity.RoleLeader, AgencyID: compAgency}}})
	clerk      = identity.ActorOf(&identity.Account{ID: 103, DisplayName: "Vũ Văn Thư", Grants: []identity.Grant{{Role: identity.RoleClerk, AgencyID: compAgency}}})
	// otherSpecialist holds the right role at the wrong agency.
	otherSpecialist = identity.ActorOf(&identity.Account{ID: 104, DisplayName: "Đỗ Sở Khác", Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: otherAgency}}})
	// specialist2 is a second holder of the specialist role at the competent agency.
	specialist2 = identity.ActorOf(&identity.Account{ID: 105, DisplayName: "Bùi Chuyên Viên Hai", Grants: []identity.Grant{{Role: identity.RoleSpecialist, AgencyID: compAgency}}})
	otherLeader = identity.ActorOf(&identity.Account{ID: 106, DisplayName: "Ngô Lãnh Đạo Khác", Grants: []identity.Grant{{Role: identity.RoleLeader, AgencyID: otherAgency}}})
	system      = identity.SystemActor("test")
)

// vnTime is a wall-clock time in Vietnam.
func vnTime(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, calendar.VN)
}

// t0 is Monday 2026-11-23 09:00 in Vietnam, a working day with no holiday
// in the following two weeks.
var t0 = vnTime(2026, time.November, 23, 9, 0)

// newCalendar is the default working calendar.
func newCalendar(t testing.TB) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(calendar.DefaultOfficeHours())
	if err != nil {
		t.Fatalf("calendar.New: %v", err)
	}
	return cal
}

// procedure is a realistic provincial procedure: 3 working days, four
// steps (receiver 5 %, specialist 60 %, leader 25 %, clerk 10 %).
func procedure(rule catalog.SupplementRule) *catalog.Procedure {
	return &catalog.Procedure{
		Code:           "1.001193",
		Name:           "Cấp giấy phép hoạt động",
		Field:          "Y tế",
		Level:          catalog.LevelProvince,
		AgencyKind:     "department:y-te",
		ProcessingTime: catalog.Duration{Days: 3},
		// "trường hợp cần xác minh thì không quá 05 ngày làm việc"
		VerificationTime: &catalog.Duration{Days: 5},
		SupplementRule:   rule,
		OnlineLevel:      catalog.OnlineFull,
		Fees:             []catalog.Fee{{Code: "LP", Name: "Lệ phí", Amount: 50000}},
		Components: []catalog.Component{
			{Code: "TP1", Name: "Đơn đề nghị", Required: true, Form: catalog.FormOriginal, Quantity: 1},
			{Code: "TP2", Name: "Bản sao giấy chứng nhận", Required: true, Form: catalog.FormCopy, Quantity: 1},
			{Code: "TP3", Name: "Giấy ủy quyền", Form: catalog.FormEither},
		},
		Workflow: catalog.Workflow{Steps: []catalog.Step{
			{Name: "Tiếp nhận hồ sơ", Role: identity.RoleReceiver, Share: 5},
			{Name: "Thẩm định hồ sơ", Role: identity.RoleSpecialist, Agency: "competent", Share: 60},
			{Name: "Phê duyệt", Role: identity.RoleLeader, Agency: "competent", Share: 25},
			{Name: "Vào sổ, phát hành", Role: identity.RoleClerk, Agency: "competent", Share: 10},
		}},
		Result: catalog.Result{Name: "Giấy phép hoạt động"},
	}
}

var theApplicant = dossier.Applicant{
	AccountID: 7, Type: dossier.ApplicantCitizen, Name: "Nguyễn Văn An", CitizenID: "001085012345",
	Address: "12 Hàng Bài", CommuneCode: "00070", Phone: "0912345678", Email: "an@example.vn",
}

var theUploads = []dossier.Component{
	{Code: "TP1", FileID: "f-1", SHA256: "aa", Size: 1200, ContentType: "application/pdf"},
	{Code: "TP2", FileID: "f-2", SHA256: "bb", Size: 3400, ContentType: "image/jpeg"},
}

// newDossier submits an online dossier for p at at.
func newDossier(t testing.TB, p *catalog.Procedure, at time.Time) *dossier.Dossier {
	t.Helper()
	d, err := dossier.New(p, theApplicant, json.RawMessage(`{"ten":"An"}`), theUploads, dossier.ChannelOnline,
		"", compAgency, []string{"", compAgency, compAgency, compAgency}, at)
	if err != nil {
		t.Fatalf("dossier.New: %v", err)
	}
	d.ID = 42
	d.Code = dossier.Code(compAgency, at, 1)
	return d
}

// apply performs r and fails the test on error.
func apply(t testing.TB, cal *calendar.Calendar, d *dossier.Dossier, actor identity.Actor, r dossier.Request, at time.Time) {
	t.Helper()
	if err := dossier.Apply(d, actor, r, dossier.Env{Now: at, Calendar: cal}); err != nil {
		t.Fatalf("%s by %s at %v (status %d, step %d): %v", r.Action, actor.DisplayName(), at, d.Status, d.Current, err)
	}
}

func act(a dossier.Action) dossier.Request { return dossier.Request{Action: a} }

func actNote(a dossier.Action, note string) dossier.Request {
	return dossier.Request{Action: a, Note: note}
}

// deepCopy copies d with every slice and pointer duplicated, so a later
// change to d through any of them shows in reflect.DeepEqual.
func deepCopy(d *dossier.Dossier) *dossier.Dossier {
	c := *d
	c.Form = slices.Clone(d.Form)
	c.Components = slices.Clone(d.Components)
	c.ReceivedAt = clonePtr(d.ReceivedAt)
	c.FinishedAt = clonePtr(d.FinishedAt)
	c.ReturnedAt = clonePtr(d.ReturnedAt)
	c.Deadline = cloneDeadline(d.Deadline)
	if d.Steps != nil {
		c.Steps = make([]dossier.Step, len(d.Steps))
		for i, s := range d.Steps {
			s.StartedAt = clonePtr(s.StartedAt)
			s.DoneAt = clonePtr(s.DoneAt)
			s.OnTime = clonePtr(s.OnTime)
			s.Deadline = cloneDeadline(s.Deadline)
			c.Steps[i] = s
		}
	}
	if d.Payment != nil {
		p := *d.Payment
		p.Lines = slices.Clone(d.Payment.Lines)
		p.PaidAt = clonePtr(d.Payment.PaidAt)
		c.Payment = &p
	}
	c.Apologies = slices.Clone(d.Apologies)
	c.History = slices.Clone(d.History)
	return &c
}

func cloneDeadline(dl calendar.Deadline) calendar.Deadline {
	dl.PausedAt = clonePtr(dl.PausedAt)
	return dl
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// --- Status, Channel, Code ---

func TestStatusNames(t *testing.T) {
	want := map[dossier.Status]string{
		1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý",
		5: "Yêu cầu bổ sung giấy tờ", 6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ",
		8: "Dừng xử lý", 9: "Đã xử lý xong", 10: "Đã trả kết quả",
	}
	for s := dossier.Status(-1); s <= 12; s++ {
		name, known := want[s]
		if !known {
			name = "Trạng thái " + strconv.Itoa(int(s))
		}
		if got := s.Name(); got != name {
			t.Errorf("Status(%d).Name() = %q, want %q", s, got, name)
		}
		if got := s.Valid(); got != known {
			t.Errorf("Status(%d).Valid() = %v, want %v", s, got, known)
		}
	}
	if dossier.StatusDone.Name() != "Đã xử lý xong" {
		t.Errorf("StatusDone.Name() = %q", dossier.StatusDone.Name())
	}
}

func TestStatusClosed(t *testing.T) {
	closed := map[dossier.Status]bool{dossier.StatusRefused: true, dossier.StatusWithdrawn: true, dossier.StatusStopped: true, dossier.StatusReturned: true}
	for s := dossier.Status(1); s <= 10; s++ {
		if got := s.Closed(); got != closed[s] {
			t.Errorf("Status(%d).Closed() = %v, want %v", s, got, closed[s])
		}
	}
}

func TestChannelAndActionNames(t *testing.T) {
	for c, want := range map[dossier.Channel]string{
		dossier.ChannelInPerson: "Trực tiếp", dossier.ChannelOnline: "Trực tuyến",
		dossier.ChannelPost: "Qua dịch vụ bưu chính công ích", 9: "Kênh 9",
	} {
		if got := c.Name(); got != want {
			t.Errorf("Channel(%d).Name() = %q, want %q", c, got, want)
		}
	}
	for _, a := range append([]dossier.Action{dossier.ActSubmit}, dossier.Actions...) {
		if n := dossier.ActionName(a); n == "" || n == string(a) {
			t.Errorf("ActionName(%q) = %q, want a Vietnamese name", a, n)
		}
	}
	if got := dossier.ActionName("bogus"); got != "bogus" {
		t.Errorf("ActionName(bogus) = %q", got)
	}
}

func TestCode(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		seq  int
		want string
	}{
		{"utc evening is next day in Vietnam", time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC), 7, "000.00.50.H01-261124-00007"},
		{"utc just before midnight VN", time.Date(2026, 11, 23, 16, 59, 59, 0, time.UTC), 7, "000.00.50.H01-261123-00007"},
		{"vn time", vnTime(2026, time.January, 2, 0, 0), 12345, "000.00.50.H01-260102-12345"},
		{"sequence 1", vnTime(2025, time.July, 1, 8, 0), 1, "000.00.50.H01-250701-00001"},
	}
	for _, tc := range tests {
		if got := dossier.Code(compAgency, tc.at, tc.seq); got != tc.want {
			t.Errorf("%s: Code = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := dossier.SequenceDay(time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)); got != "2026-11-24" {
		t.Errorf("SequenceDay = %q, want 2026-11-24", got)
	}
}

// --- CheckComponents ---

func TestCheckComponents(t *testing.T) {
	p := procedure(catalog.SupplementPause)
	up := func(code, file string) dossier.Component { return dossier.Component{Code: code, FileID: file} }
	type fk struct{ Field, Key string }
	tests := []struct {
		name string
		ups  []dossier.Component
		want []fk
	}{
		{"complete", []dossier.Component{up("TP1", "a"), up("TP2", "b")}, nil},
		{"complete with optional", []dossier.Component{up("TP2", "b"), up("TP3", "c"), up("TP1", "a")}, nil},
		{"nothing", nil, []fk{{"components", "missing"}, {"components", "missing"}}},
		{"missing required", []dossier.Component{up("TP1", "a"), up("TP3", "c")}, []fk{{"components", "missing"}}},
		{"unknown code", []dossier.Component{up("TP1", "a"), up("TP2", "b"), up("TP9", "x")}, []fk{{"components[2].code", "unknown"}}},
		{"duplicate", []dossier.Component{up("TP1", "a"), up("TP2", "b"), up("TP1", "c")}, []fk{{"components[2].code", "duplicate"}}},
		{"empty file id", []dossier.Component{up("TP1", "a"), up("TP2", "  ")}, []fk{{"components[1].file_id", "required"}}},
		{"empty code", []dossier.Component{up("", "z"), up("TP1", "a"), up("TP2", "b")}, []fk{{"components[0].code", "required"}}},
		{"several problems", []dossier.Component{up("TP1", ""), up("TP1", "a"), up("XX", "b")}, []fk{
			{"components[0].file_id", "required"}, {"components[1].code", "duplicate"}, {"components[2].code", "unknown"}, {"components", "missing"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fe := dossier.CheckComponents(p, tc.ups)
			var got []fk
			for _, f := range fe {
				if f.Message == "" {
					t.Errorf("field error %+v has no message", f)
				}
				got = append(got, fk{f.Field, f.Key})
			}
			sortFK := func(s []fk) {
				sort.Slice(s, func(i, j int) bool { return s[i].Field+s[i].Key < s[j].Field+s[j].Key })
			}
			sortFK(got)
			want := slices.Clone(tc.want)
			sortFK(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("CheckComponents = %v, want %v", got, want)
			}
		})
	}
}

// --- New ---

func TestNew(t *testing.T) {
	p := procedure(catalog.SupplementPause)
	d := newDossier(t, p, t0)
	if d.Status != dossier.StatusNew || d.Version != 1 || d.Current != 0 {
		t.Fatalf("status %d version %d current %d, want 1 1 0", d.Status, d.Version, d.Current)
	}
	if d.ProcessingTime != (catalog.Duration{Days: 3}) || d.SupplementRule != catalog.SupplementPause || d.CompetentAgency != compAgency ||
		d.ReceivingAgency != "" || d.CommuneCode != "00070" || d.ProcedureCode != p.Code || d.Level != catalog.LevelProvince {
		t.Errorf("procedure fields not copied: %+v", d)
	}
	if !d.SubmittedAt.Equal(t0) || d.ReceivedAt != nil || d.DueAt() != nil {
		t.Errorf("times: submitted %v received %v due %v", d.SubmittedAt, d.ReceivedAt, d.DueAt())
	}
	wantSteps := []struct {
		role   identity.Role
		agency string
		share  int
	}{{identity.RoleReceiver, "", 5}, {identity.RoleSpecialist, compAgency, 60}, {identity.RoleLeader, compAgency, 25}, {identity.RoleClerk, compAgency, 10}}
	if len(d.Steps) != len(wantSteps) {
		t.Fatalf("%d steps, want %d", len(d.Steps), len(wantSteps))
	}
	for i, w := range wantSteps {
		s := d.Steps[i]
		if s.Role != w.role || s.AgencyID != w.agency || s.Share != w.share || s.Name != p.Workflow.Steps[i].Name {
			t.Errorf("step %d = %+v, want %+v", i, s, w)
		}
		if (s.StartedAt != nil) != (i == 0) || s.DoneAt != nil {
			t.Errorf("step %d started %v done %v", i, s.StartedAt, s.DoneAt)
		}
	}
	if len(d.Components) != 2 || d.Components[0].Name != "Đơn đề nghị" || !d.Components[0].Original || d.Components[1].Original ||
		d.Components[1].FileID != "f-2" || d.Components[1].Size != 3400 {
		t.Errorf("components = %+v", d.Components)
	}
	want := dossier.Event{At: t0, ActorID: 7, Actor: "Nguyễn Văn An", Action: dossier.ActSubmit, From: 0, To: dossier.StatusNew, Step: -1}
	if len(d.History) != 1 || !reflect.DeepEqual(d.History[0], want) {
		t.Errorf("history = %+v, want [%+v]", d.History, want)
	}
	if got := d.HandlingAgency(); got != compAgency {
		t.Errorf("HandlingAgency of a new online dossier = %q, want %q", got, compAgency)
	}
	if s := d.CurrentStep(); s == nil || s.Role != identity.RoleReceiver {
		t.Errorf("CurrentStep = %+v, want the receiving step", s)
	}

	// Bad workflows.
	if _, err := dossier.New(p, theApplicant, nil, nil, dossier.ChannelOnline, "", compAgency, []string{"", compAgency}, t0); err == nil {
		t.Error("New with 2 agencies for 4 steps: no error")
	}
	one := procedure(catalog.SupplementPause)
	one.Workflow.Steps = one.Workflow.Steps[:1]
	if _, err := dossier.New(one, theApplicant, nil, nil, dossier.ChannelOnline, "", compAgency, []string{""}, t0); err == nil {
		t.Error("New with a one-step workflow: no error")
	}
}

// --- helpers on Dossier ---

func TestDossierHelpers(t *testing.T) {
	cal := newCalendar(t)
	p := procedure(catalog.SupplementPause)
	d := newDossier(t, p, t0)

	if d.Overdue(t0.AddDate(1, 0, 0)) || d.DueSoon(cal, t0, 100*time.Hour) {
		t.Error("a dossier without a deadline is overdue or due soon")
	}

	apply(t, cal, d, receiver, act(dossier.ActReceive), t0)
	due := vnTime(2026, time.November, 26, 9, 0) // Thu: 6.5 h Mon + 8 h Tue + 8 h Wed + 1.5 h Thu
	if got := d.DueAt(); got == nil || !got.Equal(due) {
		t.Fatalf("DueAt = %v, want %v", got, due)
	}
	// DueAt returns a copy.
	*d.DueAt() = time.Time{}
	if !d.Deadline.Due.Equal(due) {
		t.Fatal("DueAt returned a pointer into the dossier")
	}
	if got := d.HandlingAgency(); got != compAgency {
		t.Errorf("HandlingAgency = %q", got)
	}
	if s := d.CurrentStep(); s == nil || s != &d.Steps[1] {
		t.Errorf("CurrentStep = %p, want &Steps[1]", s)
	}

	for _, tc := range []struct {
		now     time.Time
		within  time.Duration
		overdue bool
		soon    bool
	}{
		{t0.Add(time.Hour), 8 * time.Hour, false, false},                        // 23 h left
		{vnTime(2026, time.November, 25, 17, 0), 8 * time.Hour, false, true},    // 0.5 h + 1.5 h = 2 h left
		{vnTime(2026, time.November, 25, 17, 0), 2 * time.Hour, false, true},    // exactly 2 h
		{vnTime(2026, time.November, 25, 17, 0), 2*time.Hour - 1, false, false}, // just over
		{due, time.Hour, false, true},                                           // at the due time: not yet overdue
		{due.Add(time.Second), 100 * time.Hour, true, false},                    // overdue is never "due soon"
		{vnTime(2026, time.November, 28, 10, 0), 100 * time.Hour, true, false},  // a Saturday after the due
		{vnTime(2026, time.November, 21, 10, 0), 24 * time.Hour, false, false},  // before: Sat, 24 h + 1.5 h left
		{vnTime(2026, time.November, 21, 10, 0), 24*time.Hour + 90*time.Minute, false, true},
	} {
		if got := d.Overdue(tc.now); got != tc.overdue {
			t.Errorf("Overdue(%v) = %v, want %v", tc.now, got, tc.overdue)
		}
		if got := d.DueSoon(cal, tc.now, tc.within); got != tc.soon {
			t.Errorf("DueSoon(%v, %v) = %v, want %v", tc.now, tc.within, got, tc.soon)
		}
	}

	// A paused clock is never overdue nor due soon.
	paused := deepCopy(d)
	apply(t, cal, paused, specialist, actNote(dossier.ActRequestSupplement, "thiếu bản sao"), t0.Add(time.Hour))
	late := due.AddDate(0, 0, 7)
	if paused.Overdue(late) || paused.DueSoon(cal, due, 100*time.Hour) {
		t.Error("paused dossier is overdue or due soon")
	}

	// A stopped (closed) dossier is never overdue.
	stopped := deepCopy(d)
	apply(t, cal, stopped, leader, actNote(dossier.ActStop, "không đủ điều kiện"), t0.Add(time.Hour))
	if stopped.Overdue(late) || stopped.DueSoon(cal, due, 100*time.Hour) {
		t.Error("stopped dossier is overdue or due soon")
	}
	if stopped.CurrentStep() != nil || stopped.HandlingAgency() != compAgency {
		t.Errorf("stopped: CurrentStep %v HandlingAgency %q", stopped.CurrentStep(), stopped.HandlingAgency())
	}

	// Done: not overdue, not late when finished in time.
	apply(t, cal, d, specialist, act(dossier.ActCompleteStep), t0.Add(2*time.Hour))
	apply(t, cal, d, leader, act(dossier.ActCompleteStep), t0.Add(3*time.Hour))
	apply(t, cal, d, clerk, act(dossier.ActCompleteStep), t0.Add(4*time.Hour))
	if d.Status != dossier.StatusDone || d.Overdue(late) || d.DueSoon(cal, due, 100*time.Hour) || d.Late() {
		t.Errorf("done: status %d overdue %v late %v", d.Status, d.Overdue(late), d.Late())
	}
	if d.CurrentStep() != nil || d.HandlingAgency() != compAgency {
		t.Errorf("done: CurrentStep %v HandlingAgency %q", d.CurrentStep(), d.HandlingAgency())
	}

	// Out-of-range Current.
	odd := &dossier.Dossier{Current: 5, Steps: make([]dossier.Step, 2), CompetentAgency: "X"}
	if odd.CurrentStep() != nil || odd.HandlingAgency() != "X" {
		t.Error("CurrentStep with Current out of range is not nil")
	}
}

// TestRunningDeadlineAndTally: the rules the store's columns follow, by
// hand for each kind of dossier.
func TestRunningDeadlineAndTally(t *testing.T) {
	due := t0.Add(72 * time.Hour)
	early, lateAt := due.Add(-time.Hour), due.Add(time.Hour)
	paused := due.Add(-2 * time.Hour)
	last := t0.Add(5 * time.Hour)
	history := []dossier.Event{{At: t0, Action: dossier.ActSubmit}, {At: last, Action: dossier.ActRefuse}}
	apology := []dossier.Apology{{OldDueAt: due, NewDueAt: due.Add(96 * time.Hour)}}
	yes, no := true, false
	for _, tc := range []struct {
		name     string
		d        dossier.Dossier
		running  bool
		commune  string
		finished *time.Time
		late     *bool
	}{
		{"new, no deadline", dossier.Dossier{Status: dossier.StatusNew, CommuneCode: "00004"}, false, "00004", nil, nil},
		{"received", dossier.Dossier{Status: dossier.StatusReceived, Deadline: calendar.Deadline{Due: due}}, true, "00008", nil, nil},
		{"processing", dossier.Dossier{Status: dossier.StatusProcessing, Deadline: calendar.Deadline{Due: due}}, true, "00008", nil, nil},
		{"supplement, paused", dossier.Dossier{Status: dossier.StatusSupplement, Deadline: calendar.Deadline{Due: due, PausedAt: &paused}}, false, "00008", nil, nil},
		{"payment, clock running", dossier.Dossier{Status: dossier.StatusPayment, Deadline: calendar.Deadline{Due: due}}, true, "00008", nil, nil},
		{"done on time", dossier.Dossier{Status: dossier.StatusDone, Deadline: calendar.Deadline{Due: due}, FinishedAt: &early}, false, "00008", &early, &no},
		{"returned late", dossier.Dossier{Status: dossier.StatusReturned, Deadline: calendar.Deadline{Due: due}, FinishedAt: &lateAt}, false, "00008", &lateAt, &yes},
		{"late despite an apology", dossier.Dossier{Status: dossier.StatusDone, Deadline: calendar.Deadline{Due: due.Add(96 * time.Hour)}, Apologies: apology, FinishedAt: &lateAt}, false, "00008", &lateAt, &yes},
		{"done without appointment", dossier.Dossier{Status: dossier.StatusDone, FinishedAt: &early}, false, "00008", &early, nil},
		{"refused: its last event", dossier.Dossier{Status: dossier.StatusRefused, History: history}, false, "00008", &last, nil},
		{"withdrawn with a deadline", dossier.Dossier{Status: dossier.StatusWithdrawn, Deadline: calendar.Deadline{Due: due}, History: history}, false, "00008", &last, nil},
		{"stopped without history", dossier.Dossier{Status: dossier.StatusStopped, SubmittedAt: t0}, false, "00008", &t0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.d
			d.Applicant.CommuneCode = "00008"
			got, ok := d.RunningDeadline()
			if ok != tc.running || ok && !got.Equal(d.Deadline.Due) || !ok && !got.IsZero() {
				t.Errorf("RunningDeadline = %v, %v; want running %v", got, ok, tc.running)
			}
			if ok && (d.Overdue(got) || !d.Overdue(got.Add(time.Second))) || !ok && d.Overdue(due.AddDate(1, 0, 0)) {
				t.Errorf("Overdue disagrees with RunningDeadline (%v)", ok)
			}
			ty := d.Tally()
			if ty.Commune != tc.commune {
				t.Errorf("Commune = %q, want %q", ty.Commune, tc.commune)
			}
			if !reflect.DeepEqual(ty.Finished, tc.finished) {
				t.Errorf("Finished = %v, want %v", ty.Finished, tc.finished)
			}
			if !reflect.DeepEqual(ty.Late, tc.late) {
				t.Errorf("Late = %v, want %v", ty.Late, tc.late)
			}
			if ty.Finished != nil && d.FinishedAt == ty.Finished {
				t.Error("Tally shares FinishedAt with the dossier")
			}
		})
	}
}

func TestHandlingAgencyAcrossAgencies(t *testing.T) {
	cal := newCalendar(t)
	const police = "000.00.70.H01"
	d, err := dossier.New(procedure(catalog.SupplementPause), theApplicant, nil, theUploads, dossier.ChannelInPerson,
		counterAgency, compAgency, []string{counterAgency, compAgency, police, compAgency}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.HandlingAgency(); got != counterAgency {
		t.Errorf("at the counter: HandlingAgency = %q, want %q", got, counterAgency)
	}
	apply(t, cal, d, receiver, act(dossier.ActReceive), t0)
	if d.ReceivingAgency != counterAgency {
		t.Errorf("ReceivingAgency = %q", d.ReceivingAgency)
	}
	apply(t, cal, d, specialist, act(dossier.ActCompleteStep), t0.Add(time.Hour))
	if got := d.HandlingAgency(); got != police {
		t.Errorf("at the police step: HandlingAgency = %q, want %q", got, police)
	}
	// The competent agency's leader does not hold the police step.
	err = dossier.Apply(d, leader, act(dossier.ActCompleteStep), dossier.Env{Now: t0.Add(2 * time.Hour), Calendar: cal})
	if errs.KindOf(err) != errs.Forbidden {
		t.Errorf("leader of %s completing the %s step: %v, want forbidden", compAgency, police, err)
	}
	policeLeader := identity.ActorOf(&identity.Account{ID: 300, DisplayName: "CA", Grants: []identity.Grant{{Role: identity.RoleLeader, AgencyID: police}}})
	apply(t, cal, d, policeLeader, act(dossier.ActCompleteStep), t0.Add(2*time.Hour))
	if got := d.History[len(d.History)-1].AgencyID; got != police {
		t.Errorf("event agency = %q, want %q", got, police)
	}
}

// A declaration with a blank form is filled in by the electronic form: it
// is not missing when no file is handed in, unless the procedure has no
// form to fill.
func TestCheckComponentsFilledByForm(t *testing.T) {
	base := procedure(catalog.SupplementPause)
	withTemplate := func(schema string) *catalog.Procedure {
		p := *base
		p.Components = slices.Clone(base.Components)
		p.Components[0].Template = "to-khai"
		p.FormSchema = json.RawMessage(schema)
		return &p
	}
	up := func(code string) dossier.Component { return dossier.Component{Code: code, FileID: "f"} }
	tests := []struct {
		name    string
		p       *catalog.Procedure
		ups     []dossier.Component
		missing int
	}{
		{"form stands for the declaration", withTemplate(`{"type":"object"}`), []dossier.Component{up("TP2")}, 0},
		{"a file for it is still accepted", withTemplate(`{"type":"object"}`), []dossier.Component{up("TP1"), up("TP2")}, 0},
		{"no form: the declaration is a file", withTemplate(``), []dossier.Component{up("TP2")}, 1},
		{"other required papers still missing", withTemplate(`{"type":"object"}`), nil, 1},
		{"no template: a file", base, []dossier.Component{up("TP2")}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			for _, f := range dossier.CheckComponents(tc.p, tc.ups) {
				if f.Key == "missing" {
					n++
				}
			}
			if n != tc.missing {
				t.Errorf("%d missing, want %d", n, tc.missing)
			}
		})
	}
}
