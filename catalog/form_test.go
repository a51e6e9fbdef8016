package catalog_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
)

func compile(t *testing.T, schema string) *catalog.Form {
	t.Helper()
	f, err := catalog.CompileForm(json.RawMessage(schema))
	if err != nil {
		t.Fatalf("CompileForm: %v", err)
	}
	return f
}

func TestCompileFormAccepts(t *testing.T) {
	tests := []struct {
		name   string
		schema string
	}{
		{"full subset", formSchema},
		{"minimal", `{"type":"object"}`},
		{"empty properties", `{"type":"object","properties":{},"required":[]}`},
		{"extension keywords", `{"type":"object","x-layout":"two-columns","properties":{"a":{"type":"string","x-prefill":"population.full_name","x-widget":{"rows":3}}}}`},
		{"enum without type constraint on values", `{"type":"object","properties":{"a":{"type":"integer","enum":[1,2,3]}}}`},
		{"additionalProperties true", `{"type":"object","additionalProperties":true,"properties":{"o":{"type":"object","additionalProperties":false}}}`},
		{"deep nesting", `{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"object","properties":{"c":{"type":"boolean"}},"required":["c"]}}}}}`},
		{"all formats", `{"type":"object","properties":{"d":{"type":"string","format":"date"},"e":{"type":"string","format":"email"},"c":{"type":"string","format":"cccd"}}}`},
		{"bounds and lengths", `{"type":"object","properties":{"n":{"type":"number","minimum":-1.5,"maximum":1e6},"s":{"type":"string","minLength":0,"maxLength":10,"pattern":"^[A-Z]+$"}}}`},
		{"title and description in Vietnamese", `{"type":"object","title":"Tờ khai","description":"Ghi rõ họ tên","properties":{"ghi_chu":{"type":"string","title":"Ghi chú","default":""}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := json.RawMessage(tt.schema)
			f, err := catalog.CompileForm(raw)
			if err != nil {
				t.Fatalf("CompileForm = %v", err)
			}
			if !bytes.Equal(f.Schema(), raw) {
				t.Errorf("Schema() = %s, want the input", f.Schema())
			}
		})
	}
}

func TestCompileFormRejects(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		key    string
		fields []fieldKey // for form_schema.subset
	}{
		// Not JSON.
		{"empty", ``, "form_schema.json", nil},
		{"truncated", `{"type":"object"`, "form_schema.json", nil},
		{"single quotes", `{'type':'object'}`, "form_schema.json", nil},
		{"trailing data", `{"type":"object"} {}`, "form_schema.json", nil},

		// Root is not an object form.
		{"null", `null`, "form_schema.root", nil},
		{"array", `[{"type":"object"}]`, "form_schema.root", nil},
		{"string", `"object"`, "form_schema.root", nil},
		{"no type", `{"properties":{}}`, "form_schema.root", nil},
		{"root type string", `{"type":"string"}`, "form_schema.root", nil},
		{"root type list", `{"type":["object"]}`, "form_schema.root", nil},
		{"root type capitalised", `{"type":"Object"}`, "form_schema.root", nil},

		// Outside the subset.
		{"oneOf at root", `{"type":"object","oneOf":[{"type":"object"}]}`, "form_schema.subset",
			[]fieldKey{{"form_schema.oneOf", "unsupported_keyword"}}},
		{"$ref", `{"type":"object","properties":{"a":{"type":"string","$ref":"#/$defs/x"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.$ref", "unsupported_keyword"}}},
		{"$defs and allOf sorted", `{"type":"object","allOf":[],"$defs":{}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.$defs", "unsupported_keyword"}, {"form_schema.allOf", "unsupported_keyword"}}},
		{"const", `{"type":"object","properties":{"a":{"type":"string","const":"x"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.const", "unsupported_keyword"}}},
		{"patternProperties", `{"type":"object","patternProperties":{"^x":{"type":"string"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.patternProperties", "unsupported_keyword"}}},
		{"array type with items", `{"type":"object","properties":{"ds":{"type":"array","items":{"type":"string"}}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.ds.items", "unsupported_keyword"}, {"form_schema.properties.ds.type", "unsupported_type"}}},
		{"null type", `{"type":"object","properties":{"a":{"type":"null"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.type", "unsupported_type"}}},
		{"type list", `{"type":"object","properties":{"a":{"type":["string","null"]}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.type", "unsupported_type"}}},
		{"property without type", `{"type":"object","properties":{"a":{"title":"A"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.type", "unsupported_type"}}},
		{"format uri", `{"type":"object","properties":{"a":{"type":"string","format":"uri"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.format", "unsupported_format"}}},
		{"format date-time", `{"type":"object","properties":{"a":{"type":"string","format":"date-time"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.format", "unsupported_format"}}},
		{"format date on integer", `{"type":"object","properties":{"a":{"type":"integer","format":"date"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.format", "unsupported_format"}}},
		{"format not a string", `{"type":"object","properties":{"a":{"type":"string","format":5}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.format", "unsupported_format"}}},
		{"additionalProperties schema", `{"type":"object","additionalProperties":{"type":"string"}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.additionalProperties", "unsupported_keyword"}}},
		{"empty enum", `{"type":"object","properties":{"a":{"type":"string","enum":[]}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.enum", "invalid_enum"}}},
		{"enum not a list", `{"type":"object","properties":{"a":{"type":"string","enum":"Nam"}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.enum", "invalid_enum"}}},
		{"properties a list", `{"type":"object","properties":[]}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties", "invalid_properties"}}},
		{"properties null", `{"type":"object","properties":null}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties", "invalid_properties"}}},
		{"property true", `{"type":"object","properties":{"a":true}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a", "invalid_property"}}},
		{"required not a list", `{"type":"object","properties":{"a":{"type":"string"}},"required":"a"}`, "form_schema.subset",
			[]fieldKey{{"form_schema.required", "invalid_required"}}},
		{"required unknown field", `{"type":"object","properties":{"a":{"type":"string"}},"required":["a","b"]}`, "form_schema.subset",
			[]fieldKey{{"form_schema.required", "unknown_required"}}},
		{"required without properties", `{"type":"object","required":["a"]}`, "form_schema.subset",
			[]fieldKey{{"form_schema.required", "unknown_required"}}},
		{"required number", `{"type":"object","properties":{"a":{"type":"string"}},"required":[1]}`, "form_schema.subset",
			[]fieldKey{{"form_schema.required", "unknown_required"}}},
		{"properties on a string", `{"type":"object","properties":{"a":{"type":"string","properties":{}}}}`, "form_schema.subset",
			[]fieldKey{{"form_schema.properties.a.properties", "unsupported_keyword"}}},
		{"nested problems", `{"type":"object","properties":{"b":{"type":"object","properties":{"x":{"type":"array"}},"required":["y"]},"a":{"type":"string","anyOf":[]}}}`, "form_schema.subset",
			[]fieldKey{
				{"form_schema.properties.a.anyOf", "unsupported_keyword"},
				{"form_schema.properties.b.properties.x.type", "unsupported_type"},
				{"form_schema.properties.b.required", "unknown_required"},
			}},

		// In the subset but not a valid JSON Schema.
		{"bad regexp", `{"type":"object","properties":{"a":{"type":"string","pattern":"(?!x)"}}}`, "form_schema.invalid", nil},
		{"unbalanced regexp", `{"type":"object","properties":{"a":{"type":"string","pattern":"[0-9"}}}`, "form_schema.invalid", nil},
		{"minLength as string", `{"type":"object","properties":{"a":{"type":"string","minLength":"2"}}}`, "form_schema.invalid", nil},
		{"negative maxLength", `{"type":"object","properties":{"a":{"type":"string","maxLength":-1}}}`, "form_schema.invalid", nil},
		{"minimum as string", `{"type":"object","properties":{"a":{"type":"integer","minimum":"0"}}}`, "form_schema.invalid", nil},
		{"title not a string", `{"type":"object","title":5}`, "form_schema.invalid", nil},
		{"unknown draft", `{"$schema":"https://json-schema.org/draft/2099-01/schema","type":"object"}`, "form_schema.subset", []fieldKey{{"form_schema.$schema", "unsupported_schema"}}},
		{"local file as meta-schema", `{"$schema":"file:///etc/passwd","type":"object"}`, "form_schema.subset", []fieldKey{{"form_schema.$schema", "unsupported_schema"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := catalog.CompileForm(json.RawMessage(tt.schema))
			if f != nil {
				t.Errorf("CompileForm returned a form with an error")
			}
			e := asInvalid(t, err, tt.key)
			if got := fieldKeys(e.Fields); !slices.Equal(got, tt.fields) && (len(got) > 0 || len(tt.fields) > 0) {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
			checkFieldMessages(t, e.Fields)
			if tt.key == "form_schema.root" && e.Message != "Biểu mẫu phải là một đối tượng (type: object)." {
				t.Errorf("message = %q", e.Message)
			}
		})
	}
}

func TestCompileFormMessages(t *testing.T) {
	_, err := catalog.CompileForm(json.RawMessage(`{"type":"object","properties":{"a":{"type":"array","format":"uri","enum":[]},"b":{"type":"string","oneOf":[]}}}`))
	e := asInvalid(t, err, "form_schema.subset")
	want := []errs.FieldError{
		{Field: "form_schema.properties.a.type", Key: "unsupported_type", Message: "Kiểu array không được hỗ trợ (chỉ object, string, integer, number, boolean)."},
		{Field: "form_schema.properties.a.format", Key: "unsupported_format", Message: "Định dạng uri không được hỗ trợ (chỉ date, email, cccd cho kiểu string)."},
		{Field: "form_schema.properties.a.enum", Key: "invalid_enum", Message: "enum phải là một danh sách không rỗng."},
		{Field: "form_schema.properties.b.oneOf", Key: "unsupported_keyword", Message: `Từ khóa "oneOf" không được hỗ trợ.`},
	}
	if !reflect.DeepEqual(e.Fields, want) {
		t.Errorf("fields:\n got %+v\nwant %+v", e.Fields, want)
	}
	if e.Message != "Biểu mẫu dùng từ khóa hoặc kiểu không được hỗ trợ." {
		t.Errorf("message = %q", e.Message)
	}
}

// validData is a filled form that satisfies formSchema.
func validData() map[string]any {
	return map[string]any{
		"ho_ten":        "Nguyễn Văn An",
		"so_dinh_danh":  "001090012345",
		"ngay_sinh":     "1990-05-17",
		"email":         "an.nguyen@example.vn",
		"gioi_tinh":     "Nữ",
		"so_con":        2,
		"dien_tich":     75.5,
		"dong_y":        true,
		"so_dien_thoai": "0912345678",
		"tre_em":        map[string]any{"ho_ten": "Nguyễn Văn Bình", "ngay_sinh": "2024-02-29"},
	}
}

func filled(t *testing.T, edit func(m map[string]any)) json.RawMessage {
	t.Helper()
	m := validData()
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func set(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }

func del(k string) func(map[string]any) { return func(m map[string]any) { delete(m, k) } }

func TestFormValidate(t *testing.T) {
	f := compile(t, formSchema)
	const (
		required = "Trường này là bắt buộc."
		dateMsg  = "Ngày phải theo định dạng YYYY-MM-DD."
		emailMsg = "Địa chỉ thư điện tử không hợp lệ."
		cccdMsg  = "Số định danh cá nhân phải gồm 12 chữ số hợp lệ."
		enumMsg  = "Giá trị phải là một trong các lựa chọn cho phép."
	)
	fe := func(field, key, msg string) errs.FieldError {
		return errs.FieldError{Field: field, Key: key, Message: msg}
	}
	tests := []struct {
		name string
		data json.RawMessage
		want []errs.FieldError
	}{
		{"valid", filled(t, nil), nil},
		{"only required fields", json.RawMessage(`{"ho_ten":"Lê Thị Ư","so_dinh_danh":"079305001234"}`), nil},
		{"NFC Vietnamese enum", filled(t, set("gioi_tinh", "Nam")), nil},
		{"integer written as 2.0", json.RawMessage(`{"ho_ten":"An","so_dinh_danh":"001090012345","so_con":2.0}`), nil},
		{"number given as integer", filled(t, set("dien_tich", 80)), nil},
		{"minimum is inclusive", filled(t, set("dien_tich", 0.5)), nil},

		// Required.
		{"missing ho_ten", filled(t, del("ho_ten")), []errs.FieldError{fe("form.ho_ten", "required", required)}},
		{"missing so_dinh_danh", filled(t, del("so_dinh_danh")), []errs.FieldError{fe("form.so_dinh_danh", "required", required)}},
		{"missing nested ho_ten", filled(t, set("tre_em", map[string]any{})), []errs.FieldError{fe("form.tre_em.ho_ten", "required", required)}},

		// Types.
		{"name is a number", filled(t, set("ho_ten", 5)), []errs.FieldError{fe("form.ho_ten", "type", "Giá trị phải có kiểu chuỗi ký tự.")}},
		{"name is null", filled(t, set("ho_ten", nil)), []errs.FieldError{fe("form.ho_ten", "type", "Giá trị phải có kiểu chuỗi ký tự.")}},
		{"count is a string", filled(t, set("so_con", "2")), []errs.FieldError{fe("form.so_con", "type", "Giá trị phải có kiểu số nguyên.")}},
		{"count is a fraction", filled(t, set("so_con", 2.5)), []errs.FieldError{fe("form.so_con", "type", "Giá trị phải có kiểu số nguyên.")}},
		{"area is a string", filled(t, set("dien_tich", "75,5")), []errs.FieldError{fe("form.dien_tich", "type", "Giá trị phải có kiểu số.")}},
		{"consent is a string", filled(t, set("dong_y", "true")), []errs.FieldError{fe("form.dong_y", "type", "Giá trị phải có kiểu đúng/sai.")}},
		{"child is a string", filled(t, set("tre_em", "Bình")), []errs.FieldError{fe("form.tre_em", "type", "Giá trị phải có kiểu đối tượng.")}},
		{"form is an array", json.RawMessage(`[]`), []errs.FieldError{fe("form", "type", "Giá trị phải có kiểu đối tượng.")}},
		{"form is null", json.RawMessage(`null`), []errs.FieldError{fe("form", "type", "Giá trị phải có kiểu đối tượng.")}},
		{"cccd is a number", filled(t, set("so_dinh_danh", 1090012345)), []errs.FieldError{fe("form.so_dinh_danh", "type", "Giá trị phải có kiểu chuỗi ký tự.")}},

		// Enum.
		{"enum lower case", filled(t, set("gioi_tinh", "nam")), []errs.FieldError{fe("form.gioi_tinh", "enum", enumMsg)}},
		{"enum without diacritics", filled(t, set("gioi_tinh", "Nu")), []errs.FieldError{fe("form.gioi_tinh", "enum", enumMsg)}},
		{"enum empty", filled(t, set("gioi_tinh", "")), []errs.FieldError{fe("form.gioi_tinh", "enum", enumMsg)}},

		// Formats.
		{"date 30 February", filled(t, set("ngay_sinh", "2024-02-30")), []errs.FieldError{fe("form.ngay_sinh", "format", dateMsg)}},
		{"date 29 February of a common year", filled(t, set("ngay_sinh", "2023-02-29")), []errs.FieldError{fe("form.ngay_sinh", "format", dateMsg)}},
		{"date month 13", filled(t, set("ngay_sinh", "1990-13-01")), []errs.FieldError{fe("form.ngay_sinh", "format", dateMsg)}},
		{"date Vietnamese order", filled(t, set("ngay_sinh", "17/05/1990")), []errs.FieldError{fe("form.ngay_sinh", "format", dateMsg)}},
		{"date without padding", filled(t, set("ngay_sinh", "1990-5-7")), []errs.FieldError{fe("form.ngay_sinh", "format", dateMsg)}},
		{"date with time", filled(t, set("ngay_sinh", "1990-05-17T00:00:00Z")), []errs.FieldError{fe("form.ngay_sinh", "format", dateMsg)}},
		{"date empty", filled(t, set("ngay_sinh", "")), []errs.FieldError{fe("form.ngay_sinh", "format", dateMsg)}},
		{"nested date", filled(t, set("tre_em", map[string]any{"ho_ten": "Bình", "ngay_sinh": "2024-00-10"})), []errs.FieldError{fe("form.tre_em.ngay_sinh", "format", dateMsg)}},
		{"email without at", filled(t, set("email", "an.nguyen.example.vn")), []errs.FieldError{fe("form.email", "format", emailMsg)}},
		{"email local part starts with dot", filled(t, set("email", ".an@example.vn")), []errs.FieldError{fe("form.email", "format", emailMsg)}},
		{"email with two dots", filled(t, set("email", "an..nguyen@example.vn")), []errs.FieldError{fe("form.email", "format", emailMsg)}},
		{"email without domain", filled(t, set("email", "an@")), []errs.FieldError{fe("form.email", "format", emailMsg)}},
		{"email with space", filled(t, set("email", "an nguyen@example.vn")), []errs.FieldError{fe("form.email", "format", emailMsg)}},
		{"cccd 11 digits", filled(t, set("so_dinh_danh", "00109001234")), []errs.FieldError{fe("form.so_dinh_danh", "format", cccdMsg)}},
		{"cccd 13 digits", filled(t, set("so_dinh_danh", "0010900123456")), []errs.FieldError{fe("form.so_dinh_danh", "format", cccdMsg)}},
		{"cccd with letters", filled(t, set("so_dinh_danh", "00109001234X")), []errs.FieldError{fe("form.so_dinh_danh", "format", cccdMsg)}},
		{"cccd bad century digit", filled(t, set("so_dinh_danh", "001790012345")), []errs.FieldError{fe("form.so_dinh_danh", "format", cccdMsg)}},
		{"cccd with spaces", filled(t, set("so_dinh_danh", "001 090 012 345")), []errs.FieldError{fe("form.so_dinh_danh", "format", cccdMsg)}},
		{"cccd empty", filled(t, set("so_dinh_danh", "")), []errs.FieldError{fe("form.so_dinh_danh", "format", cccdMsg)}},

		// Lengths, bounds, pattern.
		{"name of one letter", filled(t, set("ho_ten", "Ư")), []errs.FieldError{fe("form.ho_ten", "min_length", "Cần ít nhất 2 ký tự.")}},
		{"name too long", filled(t, set("ho_ten", strings.Repeat("ă", 101))), []errs.FieldError{fe("form.ho_ten", "max_length", "Không quá 100 ký tự.")}},
		{"count below minimum", filled(t, set("so_con", -1)), []errs.FieldError{fe("form.so_con", "minimum", "Giá trị không được nhỏ hơn 0.")}},
		{"count above maximum", filled(t, set("so_con", 21)), []errs.FieldError{fe("form.so_con", "maximum", "Giá trị không được lớn hơn 20.")}},
		{"fractional minimum", filled(t, set("dien_tich", 0.25)), []errs.FieldError{fe("form.dien_tich", "minimum", "Giá trị không được nhỏ hơn 0.50.")}},
		{"phone pattern", filled(t, set("so_dien_thoai", "912345678")), []errs.FieldError{fe("form.so_dien_thoai", "pattern", "Giá trị không đúng định dạng.")}},

		// Unknown fields.
		{"unknown field", filled(t, set("cccd", "001090012345")), []errs.FieldError{fe("form.cccd", "unknown_field", "Trường này không có trong tờ khai.")}},
		{"unknown nested field", filled(t, set("tre_em", map[string]any{"ho_ten": "Bình", "gioi_tinh": "Nam"})), []errs.FieldError{fe("form.tre_em.gioi_tinh", "unknown_field", "Trường này không có trong tờ khai.")}},

		// Several problems, sorted by field.
		{"several problems", filled(t, func(m map[string]any) {
			m["so_dinh_danh"] = "12345"
			m["email"] = "x"
			m["ho_ten"] = true
			m["tre_em"] = map[string]any{"ngay_sinh": "hôm nay", "ho_ten": "Bình"}
		}), []errs.FieldError{
			fe("form.email", "format", emailMsg),
			fe("form.ho_ten", "type", "Giá trị phải có kiểu chuỗi ký tự."),
			fe("form.so_dinh_danh", "format", cccdMsg),
			fe("form.tre_em.ngay_sinh", "format", dateMsg),
		}},

		// Not JSON.
		{"empty data", json.RawMessage(``), []errs.FieldError{fe("form", "invalid_json", "Dữ liệu tờ khai không phải JSON hợp lệ.")}},
		{"truncated data", json.RawMessage(`{"ho_ten":`), []errs.FieldError{fe("form", "invalid_json", "Dữ liệu tờ khai không phải JSON hợp lệ.")}},
		{"trailing data", json.RawMessage(`{"ho_ten":"An","so_dinh_danh":"001090012345"} {}`), []errs.FieldError{fe("form", "invalid_json", "Dữ liệu tờ khai không phải JSON hợp lệ.")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.Validate(tt.data)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate(%s):\n got %+v\nwant %+v", tt.data, got, tt.want)
			}
			checkFieldMessages(t, got)
		})
	}
}

func TestFormValidateGoodValues(t *testing.T) {
	f := compile(t, formSchema)
	tests := []struct{ field, value string }{
		{"so_dinh_danh", "001090012345"},
		{"so_dinh_danh", "079205001234"},
		{"so_dinh_danh", "001590012345"},
		{"ngay_sinh", "2000-02-29"},
		{"ngay_sinh", "1945-09-02"},
		{"ngay_sinh", "2025-12-31"},
		{"email", "an@example.vn"},
		{"email", "nguyen.van.an+hoso@sub.example.gov.vn"},
		{"email", "AN_NGUYEN@EXAMPLE.COM"},
		{"ho_ten", "Ưu"},
		{"ho_ten", strings.Repeat("ễ", 100)},
		{"so_dien_thoai", "0912345678"},
	}
	for _, tt := range tests {
		if got := f.Validate(filled(t, set(tt.field, tt.value))); got != nil {
			t.Errorf("%s = %q: %+v", tt.field, tt.value, got)
		}
	}
}

func TestFormValidateEveryMissingFieldIsNamed(t *testing.T) {
	// Whatever the shape of the error, each missing required field appears
	// in a required FieldError of the form.
	f := compile(t, formSchema)
	got := f.Validate(json.RawMessage(`{}`))
	if len(got) == 0 {
		t.Fatal("Validate({}) = nil, want required errors")
	}
	checkFieldMessages(t, got)
	for _, name := range []string{"ho_ten", "so_dinh_danh"} {
		found := false
		for _, e := range got {
			found = found || (e.Key == "required" && strings.Contains(e.Field, name))
		}
		if !found {
			t.Errorf("no required error names %q: %+v", name, got)
		}
	}
}

func TestFormValidateIsRepeatable(t *testing.T) {
	f := compile(t, formSchema)
	data := filled(t, func(m map[string]any) {
		m["ho_ten"] = "A"
		m["so_con"] = 99
		m["gioi_tinh"] = "Khác"
		m["x1"] = 1 // one unknown field: see the report on unknown_field paths
	})
	first := f.Validate(data)
	if len(first) < 3 {
		t.Fatalf("Validate = %+v, want several problems", first)
	}
	for range 20 {
		if got := f.Validate(data); !reflect.DeepEqual(got, first) {
			t.Fatalf("Validate is not deterministic:\n%+v\n%+v", got, first)
		}
	}
}

func TestFormFormatsNotCheckedOnOtherTypes(t *testing.T) {
	// The cccd format only applies to strings; a wrong type is reported as a
	// type error, not a format error.
	f := compile(t, `{"type":"object","properties":{"c":{"type":"string","format":"cccd"}}}`)
	got := f.Validate(json.RawMessage(`{"c":["001090012345"]}`))
	want := []errs.FieldError{{Field: "form.c", Key: "type", Message: "Giá trị phải có kiểu chuỗi ký tự."}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestFormMinimalSchemaAcceptsAnyObject(t *testing.T) {
	f := compile(t, `{"type":"object"}`)
	for _, d := range []string{`{}`, `{"a":1}`, `{"a":{"b":[1,2,null]}}`} {
		if got := f.Validate(json.RawMessage(d)); got != nil {
			t.Errorf("Validate(%s) = %+v", d, got)
		}
	}
	if got := f.Validate(json.RawMessage(`"x"`)); len(got) != 1 || got[0].Key != "type" {
		t.Errorf("Validate(string) = %+v", got)
	}
}
