package catalog_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
)

// formSchema is a declaration form using every construct of the supported
// subset: nested object, string, integer, number, boolean, enum, the
// formats date, email and cccd, lengths, bounds, pattern, default, examples
// and an x- extension.
const formSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://motcua.example/forms/khai-sinh.json",
  "title": "Tờ khai đăng ký khai sinh",
  "description": "Mẫu tờ khai dùng cho thử nghiệm",
  "type": "object",
  "properties": {
    "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên", "minLength": 2, "maxLength": 100, "x-prefill": "population.full_name"},
    "so_dinh_danh": {"type": "string", "title": "Số định danh cá nhân", "format": "cccd"},
    "ngay_sinh": {"type": "string", "format": "date", "examples": ["2024-01-31"]},
    "email": {"type": "string", "format": "email", "maxLength": 254},
    "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"]},
    "so_con": {"type": "integer", "minimum": 0, "maximum": 20},
    "dien_tich": {"type": "number", "minimum": 0.5},
    "dong_y": {"type": "boolean", "default": false},
    "so_dien_thoai": {"type": "string", "pattern": "^0[0-9]{9}$"},
    "tre_em": {
      "type": "object",
      "title": "Thông tin trẻ em",
      "properties": {
        "ho_ten": {"type": "string", "minLength": 2},
        "ngay_sinh": {"type": "string", "format": "date"}
      },
      "required": ["ho_ten"],
      "additionalProperties": false
    }
  },
  "required": ["ho_ten", "so_dinh_danh"],
  "additionalProperties": false
}`

// validProcedure returns a procedure that passes Validate and is already in
// normal form, so Validate leaves it unchanged.
func validProcedure() *catalog.Procedure {
	return &catalog.Procedure{
		Code:           "1.001193",
		Name:           "Đăng ký khai sinh",
		Field:          "Hộ tịch",
		Level:          catalog.LevelCommune,
		AgencyKind:     "commune_committee",
		ProcessingTime: catalog.Duration{Days: 1},
		TimeNote:       "Ngay trong ngày làm việc",
		SupplementRule: catalog.SupplementRestart,
		OnlineLevel:    catalog.OnlineFull,
		Fees: []catalog.Fee{
			{Code: "LP01", Name: "Lệ phí đăng ký khai sinh", Amount: 0, Note: "Miễn lệ phí đăng ký đúng hạn"},
			{Code: "LP02", Name: "Phí cấp bản sao trích lục", Amount: 8000},
		},
		LegalBasis: []string{"Luật Hộ tịch số 60/2014/QH13"},
		Applicants: []string{"citizen"},
		Components: []catalog.Component{
			{Code: "TP01", Name: "Tờ khai đăng ký khai sinh", Required: true, Form: catalog.FormOriginal, Template: "to-khai-dang-ky-khai-sinh"},
			{Code: "TP02", Name: "Giấy tờ tùy thân của người yêu cầu", Required: true, Form: catalog.FormEither,
				ReplaceableBy: &catalog.DataRef{Dataset: "population", Field: "residence"}},
			{Code: "TP03", Name: "Văn bản ủy quyền", Form: catalog.FormCopy, Quantity: 1},
		},
		FormSchema: json.RawMessage(formSchema),
		Workflow: catalog.Workflow{Steps: []catalog.Step{
			{Name: "Tiếp nhận hồ sơ", Role: identity.RoleReceiver, Share: 10},
			{Name: "Thẩm định hồ sơ", Role: identity.RoleSpecialist, Share: 60},
			{Name: "Phê duyệt", Role: identity.RoleLeader, Agency: "competent", Share: 20},
			{Name: "Vào sổ, trả kết quả", Role: identity.RoleClerk, Share: 10},
		}},
		Result:      catalog.Result{Name: "Giấy khai sinh", Template: "giay-khai-sinh"},
		Provisional: []string{"fees", "processing_time"},
	}
}

// fieldKey is the part of a FieldError a test asserts exactly.
type fieldKey struct{ Field, Key string }

func (fk fieldKey) String() string { return fk.Field + " [" + fk.Key + "]" }

func fieldKeys(fe []errs.FieldError) []fieldKey {
	out := make([]fieldKey, 0, len(fe))
	for _, f := range fe {
		out = append(out, fieldKey{f.Field, f.Key})
	}
	return out
}

// isVietnamese reports whether msg is a non-empty, NFC-normalised message
// with at least one Vietnamese letter outside ASCII (a letter with a
// diacritic or đ), i.e. the Vietnamese message and not an English fallback.
func isVietnamese(msg string) bool {
	if strings.TrimSpace(msg) == "" || !norm.NFC.IsNormalString(msg) {
		return false
	}
	return strings.ContainsFunc(msg, func(r rune) bool {
		return r > unicode.MaxASCII && unicode.IsLetter(r) && unicode.In(r, unicode.Latin)
	})
}

// checkFieldMessages fails if a FieldError lacks a Vietnamese message.
func checkFieldMessages(t *testing.T, fe []errs.FieldError) {
	t.Helper()
	for _, f := range fe {
		if !isVietnamese(f.Message) {
			t.Errorf("field %s [%s]: message %q is not a Vietnamese message", f.Field, f.Key, f.Message)
		}
	}
}

// asInvalid returns err as an Invalid *errs.Error with the given key, or
// fails the test.
func asInvalid(t *testing.T, err error, key string) *errs.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want Invalid %q", key)
	}
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("err = %T %v, want *errs.Error", err, err)
	}
	if e.Kind != errs.Invalid || errs.KindOf(err) != errs.Invalid || !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("kind = %v, want invalid (err %v)", e.Kind, err)
	}
	if e.Key != key {
		t.Fatalf("key = %q, want %q (err %v)", e.Key, key, err)
	}
	if !isVietnamese(e.Message) {
		t.Errorf("error message %q is not a Vietnamese message", e.Message)
	}
	return e
}

func TestIsVietnamese(t *testing.T) {
	tests := []struct {
		msg  string
		want bool
	}{
		{"Trường này là bắt buộc.", true},
		{"Đ", true},
		{"", false},
		{"   ", false},
		{"this field is required", false},
		{"Truong nay la bat buoc.", false},
		{"Tru\u031bo\u031b\u0300ng", false}, // NFD
		{"Поле", false},
	}
	for _, tt := range tests {
		if got := isVietnamese(tt.msg); got != tt.want {
			t.Errorf("isVietnamese(%q) = %v, want %v", tt.msg, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	p := validProcedure()
	p.ProcessingTime = catalog.Duration{Hours: 8}
	want := catalog.Summary{
		Code: "1.001193", Name: "Đăng ký khai sinh", Field: "Hộ tịch",
		Level: catalog.LevelCommune, OnlineLevel: catalog.OnlineFull, ProcessingTime: catalog.Duration{Hours: 8},
	}
	if got := p.Summary(); got != want {
		t.Errorf("Summary() = %+v, want %+v", got, want)
	}
}

func TestProcedureJSON(t *testing.T) {
	// Optional fields are omitted; required ones are always present.
	p := catalog.Procedure{Code: "1.000001"}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"time_note", "legal_basis", "applicants", "bundle", "provisional", "updated_at"} {
		if _, ok := m[k]; ok {
			t.Errorf("zero %q is not omitted: %s", k, b)
		}
	}
	for _, k := range []string{"code", "name", "field", "level", "agency_kind", "processing_time", "supplement_rule", "online_level", "fees", "components", "form_schema", "workflow", "result"} {
		if _, ok := m[k]; !ok {
			t.Errorf("%q is missing: %s", k, b)
		}
	}
	if !bytes.Equal(m["processing_time"], []byte("{}")) {
		t.Errorf("processing_time = %s, want {}", m["processing_time"])
	}
}

func TestStepRoles(t *testing.T) {
	want := []identity.Role{identity.RoleReceiver, identity.RoleSpecialist, identity.RoleLeader, identity.RoleClerk}
	if !reflect.DeepEqual(catalog.StepRoles, want) {
		t.Errorf("StepRoles = %v, want %v", catalog.StepRoles, want)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}
