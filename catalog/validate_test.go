package catalog_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

func TestValidateValidProcedure(t *testing.T) {
	p := validProcedure()
	if err := catalog.Validate(p); err != nil {
		t.Fatalf("Validate(valid) = %v", err)
	}
	if !reflect.DeepEqual(p, validProcedure()) {
		t.Errorf("Validate changed a procedure already in normal form:\n got %+v\nwant %+v", p, validProcedure())
	}
}

// TestValidateAccepts lists variations at the edge of the rules that stay
// valid.
func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *catalog.Procedure)
	}{
		{"province level", func(p *catalog.Procedure) { p.Level = catalog.LevelProvince }},
		{"local code with province prefix", func(p *catalog.Procedure) { p.Code = "QNI-290001" }},
		{"demo code", func(p *catalog.Procedure) { p.Code = "DEMO-001" }},
		{"code of 3 characters", func(p *catalog.Procedure) { p.Code = "a1_" }},
		{"code of 40 characters", func(p *catalog.Procedure) { p.Code = strings.Repeat("1", 40) }},
		{"agency kind with department", func(p *catalog.Procedure) { p.AgencyKind = "department:tu-phap" }},
		{"agency kind police", func(p *catalog.Procedure) { p.AgencyKind = "police" }},
		{"hours only", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Hours: 8} }},
		{"a longer time for verification", func(p *catalog.Procedure) { p.VerificationTime = &catalog.Duration{Days: p.ProcessingTime.Days + 2} }},
		{"verification in days after hours", func(p *catalog.Procedure) {
			p.ProcessingTime, p.VerificationTime = catalog.Duration{Hours: 4}, &catalog.Duration{Days: 1}
		}},
		{"365 days", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Days: 365} }},
		{"2000 hours", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Hours: 2000} }},
		{"supplement pause", func(p *catalog.Procedure) { p.SupplementRule = catalog.SupplementPause }},
		{"online partial", func(p *catalog.Procedure) { p.OnlineLevel = catalog.OnlinePartial }},
		{"online none", func(p *catalog.Procedure) { p.OnlineLevel = catalog.OnlineNone }},
		{"no fees", func(p *catalog.Procedure) { p.Fees = nil }},
		{"free fee", func(p *catalog.Procedure) { p.Fees = []catalog.Fee{{Code: "LP01", Name: "Lệ phí", Amount: 0}} }},
		{"fee and component share a code", func(p *catalog.Procedure) { p.Fees[0].Code = "TP01" }},
		{"component without replaceable_by", func(p *catalog.Procedure) { p.Components[1].ReplaceableBy = nil }},
		{"one step with the whole time", func(p *catalog.Procedure) {
			p.Workflow.Steps = []catalog.Step{{Name: "Giải quyết", Role: identity.RoleSpecialist, Share: 100}}
		}},
		{"zero share step", func(p *catalog.Procedure) {
			p.Workflow.Steps = []catalog.Step{
				{Name: "Tiếp nhận", Role: identity.RoleReceiver, Share: 0},
				{Name: "Giải quyết", Role: identity.RoleSpecialist, Share: 100},
			}
		}},
		{"interconnected step agencies", func(p *catalog.Procedure) {
			p.Workflow.Steps[1].Agency = "police"
			p.Workflow.Steps[2].Agency = "social_insurance"
		}},
		{"step agency department", func(p *catalog.Procedure) { p.Workflow.Steps[1].Agency = "department:tu-phap" }},
		{"no provisional fields", func(p *catalog.Procedure) { p.Provisional = nil }},
		{"every provisional field", func(p *catalog.Procedure) { p.Provisional = slices.Clone(catalog.ProvisionalFields) }},
		{"minimal form schema", func(p *catalog.Procedure) { p.FormSchema = json.RawMessage(`{"type":"object"}`) }},
		{"bundle", func(p *catalog.Procedure) { p.Bundle = []string{"1.001193", "1.004222"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProcedure()
			tt.mutate(p)
			if err := catalog.Validate(p); err != nil {
				t.Errorf("Validate = %v", err)
			}
		})
	}
}

// TestValidateRejects mutates a valid procedure and checks that Validate
// returns an Invalid error naming exactly the offending fields.
func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(p *catalog.Procedure)
		want    []fieldKey
		message string // substring of the first field message, if set
	}{
		// Code.
		{"missing code", func(p *catalog.Procedure) { p.Code = "" }, []fieldKey{{"code", "invalid_code"}}, "Mã thủ tục"},
		{"blank code", func(p *catalog.Procedure) { p.Code = "   " }, []fieldKey{{"code", "invalid_code"}}, ""},
		{"code too short", func(p *catalog.Procedure) { p.Code = "1." }, []fieldKey{{"code", "invalid_code"}}, ""},
		{"code too long", func(p *catalog.Procedure) { p.Code = strings.Repeat("1", 41) }, []fieldKey{{"code", "invalid_code"}}, ""},
		{"code starts with dot", func(p *catalog.Procedure) { p.Code = ".001193" }, []fieldKey{{"code", "invalid_code"}}, ""},
		{"code with space", func(p *catalog.Procedure) { p.Code = "1 001193" }, []fieldKey{{"code", "invalid_code"}}, ""},
		{"code with diacritic", func(p *catalog.Procedure) { p.Code = "Đ.001193" }, []fieldKey{{"code", "invalid_code"}}, ""},
		{"code with slash", func(p *catalog.Procedure) { p.Code = "1/001193" }, []fieldKey{{"code", "invalid_code"}}, ""},

		// Name and field.
		{"missing name", func(p *catalog.Procedure) { p.Name = "" }, []fieldKey{{"name", "required"}}, "Tên thủ tục"},
		{"blank name", func(p *catalog.Procedure) { p.Name = " \t\n" }, []fieldKey{{"name", "required"}}, ""},
		{"missing field", func(p *catalog.Procedure) { p.Field = "" }, []fieldKey{{"field", "required"}}, "Lĩnh vực"},

		// Level and agency kind.
		{"missing level", func(p *catalog.Procedure) { p.Level = "" }, []fieldKey{{"level", "invalid_level"}}, "Cấp thực hiện"},
		{"abolished district level", func(p *catalog.Procedure) { p.Level = "district" }, []fieldKey{{"level", "invalid_level"}}, ""},
		{"level in upper case", func(p *catalog.Procedure) { p.Level = "Commune" }, []fieldKey{{"level", "invalid_level"}}, ""},
		{"missing agency kind", func(p *catalog.Procedure) { p.AgencyKind = "" }, []fieldKey{{"agency_kind", "invalid_agency_kind"}}, "cơ quan"},
		{"agency kind with spaces", func(p *catalog.Procedure) { p.AgencyKind = "UBND xã" }, []fieldKey{{"agency_kind", "invalid_agency_kind"}}, ""},
		{"agency kind empty department", func(p *catalog.Procedure) { p.AgencyKind = "department:" }, []fieldKey{{"agency_kind", "invalid_agency_kind"}}, ""},
		{"agency kind upper-case department", func(p *catalog.Procedure) { p.AgencyKind = "department:Tu-Phap" }, []fieldKey{{"agency_kind", "invalid_agency_kind"}}, ""},

		// Processing time.
		{"negative days", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Days: -1} }, []fieldKey{{"processing_time", "negative"}}, "âm"},
		{"negative hours", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Hours: -8} }, []fieldKey{{"processing_time", "negative"}}, ""},
		{"negative hours with days", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Days: 3, Hours: -8} }, []fieldKey{{"processing_time", "negative"}}, ""},
		{"days and hours", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Days: 1, Hours: 4} }, []fieldKey{{"processing_time", "days_or_hours"}}, "không cả hai"},
		{"verification time not longer", func(p *catalog.Procedure) { p.VerificationTime = &catalog.Duration{Days: p.ProcessingTime.Days} }, []fieldKey{{"verification_time", "not_longer"}}, "dài hơn thời hạn giải quyết"},
		{"verification time in hours, shorter", func(p *catalog.Procedure) { p.VerificationTime = &catalog.Duration{Hours: 4} }, []fieldKey{{"verification_time", "not_longer"}}, ""},
		{"verification time empty", func(p *catalog.Procedure) { p.VerificationTime = &catalog.Duration{} }, []fieldKey{{"verification_time", "invalid"}}, "lớn hơn 0"},
		{"verification time negative", func(p *catalog.Procedure) { p.VerificationTime = &catalog.Duration{Days: -5} }, []fieldKey{{"verification_time", "invalid"}}, ""},
		{"verification time in days and hours", func(p *catalog.Procedure) { p.VerificationTime = &catalog.Duration{Days: 5, Hours: 4} }, []fieldKey{{"verification_time", "invalid"}}, ""},
		{"verification time too long", func(p *catalog.Procedure) { p.VerificationTime = &catalog.Duration{Days: 400} }, []fieldKey{{"verification_time", "too_long"}}, ""},
		{"366 days", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Days: 366} }, []fieldKey{{"processing_time", "too_long"}}, "quá dài"},
		{"2001 hours", func(p *catalog.Procedure) { p.ProcessingTime = catalog.Duration{Hours: 2001} }, []fieldKey{{"processing_time", "too_long"}}, ""},

		// Supplement rule and online level.
		{"bad supplement rule", func(p *catalog.Procedure) { p.SupplementRule = "suspend" }, []fieldKey{{"supplement_rule", "invalid"}}, "bổ sung"},
		{"missing online level", func(p *catalog.Procedure) { p.OnlineLevel = "" }, []fieldKey{{"online_level", "invalid"}}, "trực tuyến"},
		{"old online level 4", func(p *catalog.Procedure) { p.OnlineLevel = "level4" }, []fieldKey{{"online_level", "invalid"}}, ""},

		// Fees.
		{"fee without code", func(p *catalog.Procedure) { p.Fees[0].Code = "" }, []fieldKey{{"fees[0].code", "invalid_code"}}, "khoản phí"},
		{"duplicate fee code", func(p *catalog.Procedure) { p.Fees[1].Code = p.Fees[0].Code }, []fieldKey{{"fees[1].code", "invalid_code"}}, "trùng"},
		{"fee without name", func(p *catalog.Procedure) { p.Fees[1].Name = "  " }, []fieldKey{{"fees[1].name", "required"}}, ""},
		{"negative fee", func(p *catalog.Procedure) { p.Fees[1].Amount = -1 }, []fieldKey{{"fees[1].amount", "negative"}}, "âm"},

		// Components.
		{"no components", func(p *catalog.Procedure) { p.Components = nil }, []fieldKey{{"components", "required"}}, "thành phần hồ sơ"},
		{"empty components", func(p *catalog.Procedure) { p.Components = []catalog.Component{} }, []fieldKey{{"components", "required"}}, ""},
		{"component without code", func(p *catalog.Procedure) { p.Components[0].Code = "" }, []fieldKey{{"components[0].code", "invalid_code"}}, ""},
		{"duplicate component code", func(p *catalog.Procedure) { p.Components[2].Code = "TP01" }, []fieldKey{{"components[2].code", "invalid_code"}}, "trùng"},
		{"three components with one code", func(p *catalog.Procedure) {
			for i := range p.Components {
				p.Components[i].Code = "TP"
			}
		}, []fieldKey{{"components[1].code", "invalid_code"}, {"components[2].code", "invalid_code"}}, ""},
		{"component without name", func(p *catalog.Procedure) { p.Components[1].Name = "" }, []fieldKey{{"components[1].name", "required"}}, ""},
		{"component form scan", func(p *catalog.Procedure) { p.Components[0].Form = "scan" }, []fieldKey{{"components[0].form", "invalid"}}, "bản chính"},
		{"replaceable_by without dataset", func(p *catalog.Procedure) { p.Components[1].ReplaceableBy.Dataset = "" },
			[]fieldKey{{"components[1].replaceable_by", "invalid"}}, "Dữ liệu thay thế"},
		{"replaceable_by without field", func(p *catalog.Procedure) { p.Components[1].ReplaceableBy.Field = "" },
			[]fieldKey{{"components[1].replaceable_by", "invalid"}}, ""},
		{"replaceable_by empty", func(p *catalog.Procedure) { p.Components[2].ReplaceableBy = &catalog.DataRef{} },
			[]fieldKey{{"components[2].replaceable_by", "invalid"}}, ""},

		// Form schema.
		{"no form schema", func(p *catalog.Procedure) { p.FormSchema = nil }, []fieldKey{{"form_schema", "required"}}, "biểu mẫu"},
		{"form schema not JSON", func(p *catalog.Procedure) { p.FormSchema = json.RawMessage(`{"type":`) }, []fieldKey{{"form_schema", "form_schema.json"}}, "JSON"},
		{"form schema is an array", func(p *catalog.Procedure) { p.FormSchema = json.RawMessage(`[]`) }, []fieldKey{{"form_schema", "form_schema.root"}}, "type: object"},
		{"form schema root string", func(p *catalog.Procedure) { p.FormSchema = json.RawMessage(`{"type":"string"}`) }, []fieldKey{{"form_schema", "form_schema.root"}}, ""},
		{"form schema unsupported keyword", func(p *catalog.Procedure) {
			p.FormSchema = json.RawMessage(`{"type":"object","properties":{"x":{"type":"string","oneOf":[]}}}`)
		}, []fieldKey{{"form_schema.properties.x.oneOf", "unsupported_keyword"}}, "oneOf"},
		{"form schema unsupported type", func(p *catalog.Procedure) {
			p.FormSchema = json.RawMessage(`{"type":"object","properties":{"ds":{"type":"array"}}}`)
		}, []fieldKey{{"form_schema.properties.ds.type", "unsupported_type"}}, "array"},
		{"form schema bad regexp", func(p *catalog.Procedure) {
			p.FormSchema = json.RawMessage(`{"type":"object","properties":{"x":{"type":"string","pattern":"(?<=a)b"}}}`)
		}, []fieldKey{{"form_schema", "form_schema.invalid"}}, "Biểu mẫu không hợp lệ"},

		// Workflow.
		{"no steps", func(p *catalog.Procedure) { p.Workflow.Steps = nil }, []fieldKey{{"workflow.steps", "required"}}, "ít nhất một bước"},
		{"step without name", func(p *catalog.Procedure) { p.Workflow.Steps[0].Name = " " }, []fieldKey{{"workflow.steps[0].name", "required"}}, ""},
		{"step role admin", func(p *catalog.Procedure) { p.Workflow.Steps[1].Role = identity.RoleAdmin }, []fieldKey{{"workflow.steps[1].role", "invalid_role"}}, "Vai trò"},
		{"step role viewer", func(p *catalog.Procedure) { p.Workflow.Steps[3].Role = identity.RoleViewer }, []fieldKey{{"workflow.steps[3].role", "invalid_role"}}, ""},
		{"step without role", func(p *catalog.Procedure) { p.Workflow.Steps[0].Role = "" }, []fieldKey{{"workflow.steps[0].role", "invalid_role"}}, ""},
		{"step role unknown", func(p *catalog.Procedure) { p.Workflow.Steps[2].Role = "boss" }, []fieldKey{{"workflow.steps[2].role", "invalid_role"}}, ""},
		{"step agency not a kind", func(p *catalog.Procedure) { p.Workflow.Steps[1].Agency = "Công an xã" }, []fieldKey{{"workflow.steps[1].agency", "invalid_agency"}}, ""},
		{"shares below 100", func(p *catalog.Procedure) { p.Workflow.Steps[1].Share = 50 }, []fieldKey{{"workflow.steps", "shares_total"}}, "(hiện là 90)"},
		{"shares above 100", func(p *catalog.Procedure) { p.Workflow.Steps[1].Share = 70 }, []fieldKey{{"workflow.steps", "shares_total"}}, "(hiện là 110)"},
		{"all shares zero", func(p *catalog.Procedure) {
			for i := range p.Workflow.Steps {
				p.Workflow.Steps[i].Share = 0
			}
		}, []fieldKey{{"workflow.steps", "shares_total"}}, "(hiện là 0)"},
		{"negative share summing to 100", func(p *catalog.Procedure) {
			p.Workflow.Steps[0].Share = -10
			p.Workflow.Steps[1].Share = 80
		}, []fieldKey{{"workflow.steps[0].share", "invalid_share"}}, "từ 0 đến 100"},
		{"shares over 100 and negative", func(p *catalog.Procedure) {
			p.Workflow.Steps = []catalog.Step{
				{Name: "Tiếp nhận", Role: identity.RoleReceiver, Share: -1},
				{Name: "Giải quyết", Role: identity.RoleSpecialist, Share: 101},
			}
		}, []fieldKey{{"workflow.steps[0].share", "invalid_share"}, {"workflow.steps[1].share", "invalid_share"}}, ""},

		// Result and provisional.
		{"no result name", func(p *catalog.Procedure) { p.Result.Name = "" }, []fieldKey{{"result.name", "required"}}, "kết quả"},
		{"provisional unknown field", func(p *catalog.Procedure) { p.Provisional = []string{"fees", "bundle"} }, []fieldKey{{"provisional", "invalid"}}, `"bundle"`},

		// Several problems at once are all listed, in order.
		{"several problems", func(p *catalog.Procedure) {
			p.Name = ""
			p.Level = "district"
			p.Fees[0].Amount = -5
			p.Workflow.Steps[0].Role = "boss"
		}, []fieldKey{{"name", "required"}, {"level", "invalid_level"}, {"fees[0].amount", "negative"}, {"workflow.steps[0].role", "invalid_role"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProcedure()
			tt.mutate(p)
			code := strings.TrimSpace(p.Code)
			e := asInvalid(t, catalog.Validate(p), "procedure.invalid")
			if want := fmt.Sprintf("Thủ tục %q không hợp lệ.", code); e.Message != want {
				t.Errorf("message = %q, want %q", e.Message, want)
			}
			if !errors.Is(e, &errs.Error{Kind: errs.Invalid, Key: "procedure.invalid"}) {
				t.Errorf("errors.Is(procedure.invalid) = false")
			}
			if got := fieldKeys(e.Fields); !slices.Equal(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
			checkFieldMessages(t, e.Fields)
			if tt.message != "" && len(e.Fields) > 0 && !strings.Contains(e.Fields[0].Message, tt.message) {
				t.Errorf("message %q does not contain %q", e.Fields[0].Message, tt.message)
			}
			if !strings.Contains(e.Error(), e.Fields[0].Field) {
				t.Errorf("Error() = %q does not name %q", e.Error(), e.Fields[0].Field)
			}
		})
	}
}

func TestValidateEmptyProcedure(t *testing.T) {
	var p catalog.Procedure
	e := asInvalid(t, catalog.Validate(&p), "procedure.invalid")
	want := []fieldKey{
		{"code", "invalid_code"},
		{"name", "required"},
		{"field", "required"},
		{"level", "invalid_level"},
		{"agency_kind", "invalid_agency_kind"},
		{"processing_time", "required"},
		{"online_level", "invalid"},
		{"components", "required"},
		{"form_schema", "required"},
		{"workflow.steps", "required"},
		{"result.name", "required"},
	}
	if got := fieldKeys(e.Fields); !slices.Equal(got, want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
	checkFieldMessages(t, e.Fields)
}

func TestValidateFormSchemaProblemsAreListed(t *testing.T) {
	p := validProcedure()
	p.FormSchema = json.RawMessage(`{"type":"object","properties":{"a":{"type":"array"},"b":{"type":"string","format":"uri"}},"required":["c"]}`)
	e := asInvalid(t, catalog.Validate(p), "procedure.invalid")
	want := []fieldKey{
		{"form_schema.properties.a.type", "unsupported_type"},
		{"form_schema.properties.b.format", "unsupported_format"},
		{"form_schema.required", "unknown_required"},
	}
	if got := fieldKeys(e.Fields); !slices.Equal(got, want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
	checkFieldMessages(t, e.Fields)
}

func TestValidateNormalises(t *testing.T) {
	nfd := func(s string) string { // decomposed form, as typed on some systems
		var b strings.Builder
		for _, r := range s {
			switch r {
			case 'ă':
				b.WriteString("a\u0306")
			case 'ý':
				b.WriteString("y\u0301")
			case 'ị':
				b.WriteString("i\u0323")
			case 'ộ':
				b.WriteString("o\u0323\u0302")
			default:
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	p := validProcedure()
	p.Code = "  1.001193\t"
	p.Name = "  " + nfd("Đăng ký khai sinh") + " \n"
	p.Field = nfd(" Hộ tịch ")
	p.Fees[0].Name = " Lệ phí đăng ký khai sinh "
	p.Components[0].Name = "\t" + nfd("Tờ khai đăng ký khai sinh")
	p.Components[1].Form = ""
	p.Workflow.Steps[0].Name = " Tiếp nhận hồ sơ "
	p.Result.Name = "Giấy khai sinh  "
	p.SupplementRule = ""
	if err := catalog.Validate(p); err != nil {
		t.Fatalf("Validate = %v", err)
	}
	want := validProcedure()
	want.Components[1].Form = catalog.FormEither // the default
	if !reflect.DeepEqual(p, want) {
		t.Errorf("normalised procedure:\n got %+v\nwant %+v", p, want)
	}
	if p.SupplementRule != catalog.SupplementRestart {
		t.Errorf("default supplement rule = %q, want restart", p.SupplementRule)
	}

	// The tone of "oa", "oe", "uy" sits on the first vowel after Validate.
	p = validProcedure()
	p.Name = "Cấp giấy chứng nhận hoà giải"
	p.Field = "Thuỷ lợi"
	if err := catalog.Validate(p); err != nil {
		t.Fatalf("Validate = %v", err)
	}
	if p.Name != "Cấp giấy chứng nhận hòa giải" || p.Field != "Thủy lợi" {
		t.Errorf("tone placement: name %q, field %q", p.Name, p.Field)
	}
}

// --- Parse and Write ---

func writeFile(t *testing.T, ps []catalog.Procedure) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := catalog.Write(&buf, ps); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// sameProcedures compares procedures, ignoring the layout of the raw form
// schemas (Write re-indents them).
func sameProcedures(t *testing.T, got, want []catalog.Procedure) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d procedures, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		var gs, ws bytes.Buffer
		if err := json.Compact(&gs, g.FormSchema); err != nil {
			t.Fatalf("procedure %d: form schema: %v", i, err)
		}
		if err := json.Compact(&ws, w.FormSchema); err != nil {
			t.Fatalf("procedure %d: form schema: %v", i, err)
		}
		if !bytes.Equal(gs.Bytes(), ws.Bytes()) {
			t.Errorf("procedure %d (%s): form schema\n got %s\nwant %s", i, w.Code, gs.Bytes(), ws.Bytes())
		}
		g.FormSchema, w.FormSchema = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("procedure %d (%s):\n got %+v\nwant %+v", i, w.Code, g, w)
		}
	}
}

func TestRoundTripDemo(t *testing.T) {
	ps, err := demo.Procedures()
	if err != nil {
		t.Fatalf("demo.Procedures: %v", err)
	}
	if len(ps) == 0 {
		t.Fatal("demo catalogue is empty")
	}
	out := writeFile(t, ps)
	back, err := catalog.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("Parse(Write(demo)): %v", err)
	}
	sameProcedures(t, back, ps)
	// Write is deterministic and a fixed point after one round.
	if again := writeFile(t, back); !bytes.Equal(again, out) {
		t.Error("Write(Parse(Write(demo))) differs from Write(demo)")
	}
	// Parsing the raw demo file gives the same catalogue, with the
	// pick-lists of form-lists.json.
	raw, err := catalog.Parse(bytes.NewReader(demo.File()))
	if err != nil {
		t.Fatalf("Parse(demo.File()): %v", err)
	}
	lists, err := demo.FormLists()
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		if raw[i].FormSchema, err = catalog.WithLists(raw[i].FormSchema, lists); err != nil {
			t.Fatal(err)
		}
	}
	sameProcedures(t, raw, ps)
}

func TestRoundTripValidProcedure(t *testing.T) {
	p := validProcedure()
	p.Bundle = []string{"1.001193", "1.004222"}
	p.UpdatedAt = mustTime(t, "2025-07-01T08:30:00+07:00")
	q := validProcedure()
	q.Code = "QNI-290001"
	q.Level = catalog.LevelProvince
	q.ProcessingTime = catalog.Duration{Hours: 4}
	q.Fees = nil
	q.Name = "Cấp bản sao <trích lục> & chứng thực" // not HTML-escaped
	ps := []catalog.Procedure{*p, *q}
	out := writeFile(t, ps)
	if !bytes.HasPrefix(out, []byte("{\n  \"version\": 1,\n  \"procedures\": [\n    {\n      \"code\": \"1.001193\",")) {
		t.Errorf("Write output does not start with the indented header:\n%s", out[:min(len(out), 200)])
	}
	if !bytes.Contains(out, []byte("<trích lục> & chứng thực")) {
		t.Error("Write escaped HTML characters")
	}
	back, err := catalog.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !back[0].UpdatedAt.Equal(p.UpdatedAt) {
		t.Errorf("updated_at = %v, want %v", back[0].UpdatedAt, p.UpdatedAt)
	}
	back[0].UpdatedAt = p.UpdatedAt // same instant; the location pointer differs
	sameProcedures(t, back, ps)
}

func TestWriteEmpty(t *testing.T) {
	for _, ps := range [][]catalog.Procedure{nil, {}} {
		out := writeFile(t, ps)
		got, err := catalog.Parse(bytes.NewReader(out))
		if err != nil || len(got) != 0 {
			t.Errorf("Parse(Write(%#v)) = %v, %v; output %s", ps, got, err, out)
		}
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestWriteError(t *testing.T) {
	boom := errors.New("disk full")
	err := catalog.Write(failWriter{boom}, []catalog.Procedure{*validProcedure()})
	if !errors.Is(err, boom) {
		t.Errorf("Write to a failing writer = %v, want %v", err, boom)
	}
	// A form schema that is not JSON cannot be written.
	p := validProcedure()
	p.FormSchema = json.RawMessage(`{"type":`)
	if err := catalog.Write(&bytes.Buffer{}, []catalog.Procedure{*p}); err == nil {
		t.Error("Write with a malformed raw form schema succeeded")
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := catalog.Parse(iotest.ErrReader(boom))
	if !errors.Is(err, boom) {
		t.Errorf("Parse(failing reader) = %v, want %v", err, boom)
	}
}

func TestParseNormalises(t *testing.T) {
	p := validProcedure()
	p.SupplementRule = ""
	p.Components[0].Form = ""
	p.Name = "  Đăng ký khai sinh "
	p.Code = " 1.001193 "
	ps, err := catalog.Parse(bytes.NewReader(writeFile(t, []catalog.Procedure{*p})))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	got := ps[0]
	if got.SupplementRule != catalog.SupplementRestart || got.Components[0].Form != catalog.FormEither || got.Name != "Đăng ký khai sinh" || got.Code != "1.001193" {
		t.Errorf("Parse did not normalise: rule %q, form %q, name %q, code %q", got.SupplementRule, got.Components[0].Form, got.Name, got.Code)
	}
}

// procedureJSON returns p as a JSON object with extra keys set.
func procedureJSON(t *testing.T, p *catalog.Procedure, extra map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestParseErrors(t *testing.T) {
	valid := procedureJSON(t, validProcedure(), nil)
	marshal := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name  string
		input string
		key   string
		want  string // substring of the error text
	}{
		{"empty input", "", "catalog.json", "EOF"},
		{"not JSON", "version: 1", "catalog.json", "invalid character"},
		{"truncated", `{"version":1,"procedures":[`, "catalog.json", "EOF"},
		{"array at top level", `[]`, "catalog.json", "cannot unmarshal"},
		{"null", `null`, "catalog.version", "version must be 1"},
		{"missing version", `{"procedures":[]}`, "catalog.version", "version must be 1"},
		{"version 0", `{"version":0,"procedures":[]}`, "catalog.version", "version must be 1"},
		{"version 2", `{"version":2,"procedures":[]}`, "catalog.version", "version must be 1"},
		{"version as string", `{"version":"1","procedures":[]}`, "catalog.json", "cannot unmarshal"},
		{"unknown top-level field", `{"version":1,"procedures":[],"agencies":[]}`, "catalog.json", `unknown field "agencies"`},
		{"unknown procedure field", marshal(map[string]any{"version": 1, "procedures": []any{procedureJSON(t, validProcedure(), map[string]any{"colour": "red"})}}),
			"catalog.json", `unknown field "colour"`},
		{"unknown component field", `{"version":1,"procedures":[{"components":[{"code":"TP01","scan":true}]}]}`, "catalog.json", `unknown field "scan"`},
		{"procedures not a list", `{"version":1,"procedures":{}}`, "catalog.json", "cannot unmarshal"},
		{"processing time as string", marshal(map[string]any{"version": 1, "procedures": []any{procedureJSON(t, validProcedure(), map[string]any{"processing_time": "3 ngày"})}}),
			"catalog.json", "cannot unmarshal"},
		{"bad updated_at", marshal(map[string]any{"version": 1, "procedures": []any{procedureJSON(t, validProcedure(), map[string]any{"updated_at": "hôm qua"})}}),
			"catalog.json", "parsing time"},
		{"valid procedure but version 2", marshal(map[string]any{"version": 2, "procedures": []any{valid}}), "catalog.version", "version must be 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := catalog.Parse(strings.NewReader(tt.input))
			if ps != nil {
				t.Errorf("Parse returned procedures with an error: %v", ps)
			}
			e := asInvalid(t, err, tt.key)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if tt.key == "catalog.json" && !strings.Contains(e.Message, "JSON") {
				t.Errorf("message %q does not mention JSON", e.Message)
			}
		})
	}
}

func TestParseInvalidProcedures(t *testing.T) {
	ok := validProcedure()
	noName := validProcedure()
	noName.Code = "1.000002"
	noName.Name = ""
	noCode := validProcedure()
	noCode.Code = ""
	noCode.Workflow.Steps[0].Share = 0
	dup := validProcedure() // same code as ok
	dup.Components[1].Code = "TP01"
	tests := []struct {
		name string
		ps   []*catalog.Procedure
		want []fieldKey
	}{
		{"invalid second procedure", []*catalog.Procedure{ok, noName}, []fieldKey{{"procedures[1](1.000002).name", "required"}}},
		{"procedure without code", []*catalog.Procedure{noCode}, []fieldKey{
			{"procedures[0].code", "invalid_code"},
			{"procedures[0].workflow.steps", "shares_total"},
		}},
		{"duplicate code", []*catalog.Procedure{ok, validProcedure()}, []fieldKey{{"procedures[1](1.001193).code", "duplicate"}}},
		{"every problem is listed", []*catalog.Procedure{ok, noName, dup, noCode}, []fieldKey{
			{"procedures[1](1.000002).name", "required"},
			{"procedures[2](1.001193).components[1].code", "invalid_code"},
			{"procedures[2](1.001193).code", "duplicate"},
			{"procedures[3].code", "invalid_code"},
			{"procedures[3].workflow.steps", "shares_total"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := make([]catalog.Procedure, len(tt.ps))
			for i, p := range tt.ps {
				ps[i] = *p
			}
			got, err := catalog.Parse(bytes.NewReader(writeFile(t, ps)))
			if got != nil {
				t.Errorf("Parse returned procedures with an error")
			}
			e := asInvalid(t, err, "catalog.invalid")
			if gotFields := fieldKeys(e.Fields); !slices.Equal(gotFields, tt.want) {
				t.Errorf("fields = %v, want %v", gotFields, tt.want)
			}
			if want := fmt.Sprintf("Tệp danh mục có %d lỗi.", len(tt.want)); e.Message != want {
				t.Errorf("message = %q, want %q", e.Message, want)
			}
			checkFieldMessages(t, e.Fields)
		})
	}
}

func TestParseDoesNotShareInput(t *testing.T) {
	in := writeFile(t, []catalog.Procedure{*validProcedure()})
	ps, err := catalog.Parse(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	before := string(ps[0].FormSchema)
	for i := range in {
		in[i] = ' '
	}
	if string(ps[0].FormSchema) != before {
		t.Error("parsed form schema aliases the input buffer")
	}
}
