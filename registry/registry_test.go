package registry

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

func builtin(t *testing.T, code string) *Dataset {
	t.Helper()
	for _, d := range Builtin() {
		if d.Code == code {
			return &d
		}
	}
	t.Fatalf("no dataset %s", code)
	return nil
}

func TestBuiltinValid(t *testing.T) {
	seen := map[string]bool{}
	for _, d := range Builtin() {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.Code, err)
		}
		if seen[d.NationalCode] {
			t.Errorf("national code %s twice", d.NationalCode)
		}
		seen[d.NationalCode] = true
		if !slices.Contains(d.Provisional, "national_code") {
			t.Errorf("%s: national code not marked provisional", d.Code)
		}
	}
	for _, want := range []string{Population, CivilStatus, Enterprise, Land, SocialInsurance, Results} {
		builtin(t, want)
	}
	bad := Dataset{Code: "x y", KeyField: "nope", Fields: []Field{{Name: "a"}, {Name: "a"}, {Name: "e", Type: Enum}},
		Items: map[string]Item{"i": {Fields: []string{"zz"}}}, Remote: &Remote{URL: "https://h/x"}}
	e, ok := errs.As(bad.Validate())
	if !ok || len(e.Fields) < 6 {
		t.Errorf("bad definition: %v", bad.Validate())
	}
}

func TestAllowed(t *testing.T) {
	pop := builtin(t, Population)
	tests := []struct {
		name   string
		a      Access
		ok     bool
		has    string // a field that must be granted
		hasNot string // a field that must not be
	}{
		{"citizen prefills own", Access{Purpose: PurposePrefill, Citizen: "001090012345"}, true, "full_name", "household_id"},
		{"unverified citizen", Access{Purpose: PurposePrefill}, false, "", ""},
		{"citizen appraises", Access{Purpose: PurposeAppraisal, Citizen: "001090012345"}, false, "", ""},
		{"specialist appraises", Access{Purpose: PurposeAppraisal, Roles: []identity.Role{identity.RoleSpecialist}}, true, "household_id", ""},
		{"clerk appraises", Access{Purpose: PurposeAppraisal, Roles: []identity.Role{identity.RoleClerk}}, false, "", ""},
		{"receiver replaces", Access{Purpose: PurposeReplace, Roles: []identity.Role{identity.RoleReceiver}}, true, "household_id", ""},
		{"admin has no purpose here", Access{Purpose: PurposeReplace, Roles: []identity.Role{identity.RoleAdmin}}, false, "", ""},
		{"system", Access{Purpose: PurposeQuality, System: true}, true, "phone", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields, err := pop.Allowed(tt.a)
			if (err == nil) != tt.ok {
				t.Fatalf("Allowed = %v, %v", fields, err)
			}
			if err != nil && errs.KindOf(err) != errs.Forbidden {
				t.Errorf("error kind %v", errs.KindOf(err))
			}
			if tt.has != "" && !slices.Contains(fields, tt.has) {
				t.Errorf("%s not granted: %v", tt.has, fields)
			}
			if tt.hasNot != "" && slices.Contains(fields, tt.hasNot) {
				t.Errorf("%s granted: %v", tt.hasNot, fields)
			}
		})
	}
	// Procedure-restricted policy.
	ds := Dataset{Code: "x", Name: "X", KeyField: "k", Fields: []Field{{Name: "k"}, {Name: "v"}},
		Policies: []Policy{{Purpose: PurposeAppraisal, Roles: []identity.Role{identity.RoleSpecialist}, Procedures: []string{"1.001193"}, Fields: []string{"v"}}}}
	a := Access{Purpose: PurposeAppraisal, Roles: []identity.Role{identity.RoleSpecialist}, Procedure: "1.001193"}
	if f, err := ds.Allowed(a); err != nil || !slices.Equal(f, []string{"v"}) {
		t.Errorf("procedure grant = %v, %v", f, err)
	}
	a.Procedure = "2.000635"
	if _, err := ds.Allowed(a); err == nil {
		t.Error("granted for another procedure")
	}
	// Permits: a citizen sees only their own records.
	r := Record{Subject: "001090012345"}
	if !pop.Permits(Access{Citizen: "001090012345"}, r) || pop.Permits(Access{Citizen: "001195004321"}, r) || pop.Permits(Access{}, r) {
		t.Error("Permits")
	}
	if p := Project(Record{Data: map[string]string{"a": "1", "b": "2"}}, []string{"a", "c"}); len(p.Data) != 1 || p.Data["a"] != "1" {
		t.Errorf("Project = %v", p.Data)
	}
}

type refs struct{}

func (refs) CommuneExists(c string) bool     { return c == "00004" || c == "00097" }
func (refs) AgencyExists(id string) bool     { return id == "000.00.00.H01" }
func (refs) OldProvinceExists(c string) bool { return c == "01" || c == "79" }

func TestQualityRules(t *testing.T) {
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	pop := builtin(t, Population)
	good := func() Record {
		r := Record{Data: map[string]string{"citizen_id": "001090012345", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-14", "gender": "Nam",
			"ethnicity": "Kinh", "nationality": "Việt Nam", "residence_commune": "00004", "residence_address": "Số 1", "household_id": "000040000001",
			"relation_to_head": "Chủ hộ", "marital_status": "Đã kết hôn"}, UpdatedAt: now.AddDate(0, -1, 0)}
		pop.Normalize(&r)
		return r
	}
	tests := []struct {
		name   string
		change func(*Record)
		rules  []Rule
		text   string
	}{
		{"good", func(*Record) {}, nil, ""},
		{"missing name", func(r *Record) { delete(r.Data, "full_name") }, []Rule{Complete}, "Thiếu Họ, chữ đệm và tên"},
		{"ID of 11 digits", func(r *Record) { r.Data["citizen_id"] = "00109001234" }, []Rule{Correct}, "12 chữ số"},
		{"ID century digit", func(r *Record) { r.Data["citizen_id"] = "001690012345" }, []Rule{Correct}, "chữ số thứ 4"},
		{"ID birthplace unknown", func(r *Record) { r.Data["citizen_id"] = "099090012345" }, []Rule{Correct}, "nơi đăng ký khai sinh"},
		{"ID year mismatch", func(r *Record) { r.Data["birth_date"] = "1991-05-14" }, []Rule{Correct}, "năm sinh"},
		{"ID gender mismatch", func(r *Record) { r.Data["gender"] = "Nữ" }, []Rule{Correct}, "giới tính"},
		{"date 31/02", func(r *Record) { r.Data["birth_date"] = "1990-02-31" }, []Rule{Correct}, "không phải ngày hợp lệ"},
		{"future birth", func(r *Record) { r.Data["birth_date"] = "2027-01-01"; r.Data["citizen_id"] = "001227012345" }, []Rule{Correct}, "không hợp lý"},
		{"enum", func(r *Record) { r.Data["relation_to_head"] = "Bạn" }, []Rule{Correct}, "danh mục"},
		{"household code", func(r *Record) { r.Data["household_id"] = "12AB" }, []Rule{Correct}, "12 chữ số"},
		{"old commune code", func(r *Record) { r.Data["residence_commune"] = "00001" }, []Rule{Unified}, "1/7/2025"},
		{"commune format", func(r *Record) { r.Data["residence_commune"] = "1" }, []Rule{Correct}, "5 chữ số"},
		{"stale", func(r *Record) { r.UpdatedAt = now.AddDate(-2, 0, 0) }, []Rule{Live}, "quá 365 ngày"},
		{"stale, the date in Vietnam", func(r *Record) { r.UpdatedAt = time.Date(2024, 11, 30, 18, 0, 0, 0, time.UTC) }, []Rule{Live}, "Cập nhật lần cuối 01/12/2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			tt.change(&r)
			pop.Normalize(&r)
			issues := NewChecker(pop, refs{}, now).Inspect(r)
			var rules []Rule
			var text []string
			for _, is := range issues {
				if !slices.Contains(rules, is.Rule) {
					rules = append(rules, is.Rule)
				}
				text = append(text, is.Message)
			}
			if !slices.Equal(rules, tt.rules) || !strings.Contains(strings.Join(text, " "), tt.text) {
				t.Errorf("issues = %+v, want rules %v with %q", issues, tt.rules, tt.text)
			}
		})
	}
	// Future validity ends are fine; an agency reference must exist.
	si := builtin(t, SocialInsurance)
	r := Record{Data: map[string]string{"insurance_no": "0190012345", "citizen_id": "001090012345", "full_name": "A", "birth_date": "1990-05-14",
		"card_valid_to": "2030-12-31", "status": "Đang tham gia"}, UpdatedAt: now}
	si.Normalize(&r)
	if is := NewChecker(si, refs{}, now).Inspect(r); len(is) != 0 {
		t.Errorf("insurance card valid to 2030: %+v", is)
	}
	res := builtin(t, Results)
	r = Record{Data: map[string]string{"result_id": "x", "holder_id": "001090012345", "holder_name": "A", "name": "B", "issued_on": "2026-01-02", "agency_id": "000.00.99.H01"}, UpdatedAt: now}
	res.Normalize(&r)
	if is := NewChecker(res, refs{}, now).Inspect(r); len(is) != 1 || is[0].Rule != Unified {
		t.Errorf("unknown agency: %+v", is)
	}
}

func TestReport(t *testing.T) {
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	si := builtin(t, SocialInsurance)
	c := NewChecker(si, refs{}, now)
	add := func(no, id string, updated time.Time) {
		r := Record{Data: map[string]string{"insurance_no": no, "citizen_id": id, "full_name": "A", "birth_date": "1990-05-14", "status": "Đang tham gia"}, UpdatedAt: updated}
		si.Normalize(&r)
		c.Add(r)
	}
	add("0000000001", "001090012345", now)
	add("0000000002", "001090012345", now) // same person twice: not clean
	add("0000000003", "001090000001", now.AddDate(-3, 0, 0))
	add("0000000004", "", now) // incomplete
	rep := c.Report()
	want := map[Rule][2]int{Correct: {4, 0}, Complete: {3, 1}, Clean: {3, 1}, Live: {3, 1}, Unified: {4, 0}}
	if rep.Total != 4 || len(rep.Rules) != 5 {
		t.Fatalf("report = %+v", rep)
	}
	for _, r := range rep.Rules {
		if w := want[r.Rule]; r.Passed != w[0] || r.Failed != w[1] {
			t.Errorf("%s: %d/%d, want %v", r.Rule, r.Passed, r.Failed, w)
		}
		if r.Failed > 0 && len(r.Samples) == 0 {
			t.Errorf("%s: no sample", r.Rule)
		}
	}
	if rep.Rules[1].Rate != 75 {
		t.Errorf("complete rate = %v", rep.Rules[1].Rate)
	}
	empty := NewChecker(si, refs{}, now).Report()
	if empty.Rules[0].Rate != 100 {
		t.Errorf("empty dataset rate = %v", empty.Rules[0].Rate)
	}
}

func TestValidDate(t *testing.T) {
	for s, want := range map[string]bool{"2024-02-29": true, "2025-02-29": false, "2026-12-31": true, "2026-13-01": false, "2026-00-10": false,
		"2026-04-31": false, "2026-4-30": false, "20260430": false, "": false, "abcd-ef-gh": false, "2026-04-00": false} {
		if validDate(s) != want {
			t.Errorf("validDate(%q) = %v", s, !want)
		}
	}
}
