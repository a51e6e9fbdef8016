package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/vntext"
)

// The declaration form (tờ khai) of a procedure is a JSON Schema, draft
// 2020-12, restricted to the subset a form generator can render: objects,
// strings, integers, numbers, booleans, enums, formats date, email and cccd
// (a 12-digit citizen ID), with titles, descriptions, lengths, bounds and
// patterns. Keywords starting with "x-" are extensions (e.g. x-prefill).

var allowedKeywords = map[string]bool{
	"$schema": true, "$id": true, "title": true, "description": true, "type": true,
	"properties": true, "required": true, "enum": true, "format": true,
	"minLength": true, "maxLength": true, "minimum": true, "maximum": true,
	"pattern": true, "additionalProperties": true, "default": true, "examples": true,
}

var allowedTypes = map[string]bool{"object": true, "string": true, "integer": true, "number": true, "boolean": true}

var allowedFormats = map[string]bool{"date": true, "email": true, "cccd": true}

// Form is a compiled declaration form.
type Form struct {
	schema *jsonschema.Schema
	raw    json.RawMessage
	doc    map[string]any // DecodeSchema(raw), for the coded fields
}

// CompileForm checks that raw is a form schema of the supported subset and
// compiles it.
func CompileForm(raw json.RawMessage) (*Form, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, errs.Wrap(errs.Invalid, "form_schema.json", "Biểu mẫu (JSON Schema) không phải JSON hợp lệ: "+err.Error(), "form schema is not valid JSON", err)
	}
	root, ok := doc.(map[string]any)
	if !ok || root["type"] != "object" {
		return nil, errs.New(errs.Invalid, "form_schema.root", "Biểu mẫu phải là một đối tượng (type: object).", "form schema root must be type object")
	}
	var problems []errs.FieldError
	checkNode(root, "form_schema", &problems)
	if len(problems) > 0 {
		return nil, errs.InvalidFields("form_schema.subset", "Biểu mẫu dùng từ khóa hoặc kiểu không được hỗ trợ.", "form schema uses unsupported keywords or types", problems)
	}
	c := jsonschema.NewCompiler()
	// No loader: a form may not make the server fetch a file or a URL.
	c.UseLoader(jsonschema.SchemeURLLoader{})
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "cccd", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		if !identity.ValidCitizenID(s) {
			return errors.New("not a 12-digit citizen ID")
		}
		return nil
	}})
	doc2, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "form_schema.json", "Biểu mẫu không phải JSON hợp lệ.", "form schema is not valid JSON", err)
	}
	if err := c.AddResource("form.json", doc2); err != nil {
		return nil, errs.Wrap(errs.Invalid, "form_schema.invalid", "Biểu mẫu không hợp lệ: "+err.Error(), "invalid form schema", err)
	}
	sch, err := c.Compile("form.json")
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "form_schema.invalid", "Biểu mẫu không hợp lệ: "+err.Error(), "invalid form schema", err)
	}
	return &Form{schema: sch, raw: raw, doc: DecodeSchema(raw)}, nil
}

func checkNode(n map[string]any, path string, out *[]errs.FieldError) {
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !allowedKeywords[k] && !strings.HasPrefix(k, "x-") {
			*out = append(*out, errs.FieldError{Field: path + "." + k, Key: "unsupported_keyword", Message: fmt.Sprintf("Từ khóa %q không được hỗ trợ.", k)})
		}
	}
	if v, ok := n["$schema"]; ok && v != "https://json-schema.org/draft/2020-12/schema" {
		*out = append(*out, errs.FieldError{Field: path + ".$schema", Key: "unsupported_schema", Message: "Chỉ hỗ trợ JSON Schema 2020-12 ($schema: https://json-schema.org/draft/2020-12/schema)."})
	}
	typ, _ := n["type"].(string)
	if !allowedTypes[typ] {
		*out = append(*out, errs.FieldError{Field: path + ".type", Key: "unsupported_type", Message: fmt.Sprintf("Kiểu %v không được hỗ trợ (chỉ object, string, integer, number, boolean).", n["type"])})
	}
	if f, ok := n["format"]; ok {
		fs, _ := f.(string)
		if typ != "string" || !allowedFormats[fs] {
			*out = append(*out, errs.FieldError{Field: path + ".format", Key: "unsupported_format", Message: fmt.Sprintf("Định dạng %v không được hỗ trợ (chỉ date, email, cccd cho kiểu string).", f)})
		}
	}
	if l, ok := n[listKey]; ok {
		ls, _ := l.(string)
		if typ != "string" || !codelist.Known(ls) {
			*out = append(*out, errs.FieldError{Field: path + "." + listKey, Key: "unknown_list", Message: fmt.Sprintf("Danh mục %v không có (chỉ %s, cho kiểu string).", l, strings.Join(codelist.Kinds, ", "))})
		}
	}
	if ap, ok := n["additionalProperties"]; ok {
		if _, isBool := ap.(bool); !isBool {
			*out = append(*out, errs.FieldError{Field: path + ".additionalProperties", Key: "unsupported_keyword", Message: "additionalProperties chỉ nhận true hoặc false."})
		}
	}
	if e, ok := n["enum"]; ok {
		list, isList := e.([]any)
		if !isList || len(list) == 0 {
			*out = append(*out, errs.FieldError{Field: path + ".enum", Key: "invalid_enum", Message: "enum phải là một danh sách không rỗng."})
		}
	}
	if typ == "object" {
		props, _ := n["properties"].(map[string]any)
		if _, ok := n["properties"]; ok && props == nil {
			*out = append(*out, errs.FieldError{Field: path + ".properties", Key: "invalid_properties", Message: "properties phải là một đối tượng."})
		}
		names := make([]string, 0, len(props))
		for k := range props {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, name := range names {
			child, ok := props[name].(map[string]any)
			if !ok {
				*out = append(*out, errs.FieldError{Field: path + ".properties." + name, Key: "invalid_property", Message: "Mỗi trường phải là một đối tượng JSON Schema."})
				continue
			}
			checkNode(child, path+".properties."+name, out)
		}
		if o, ok := n[orderKey]; ok {
			checkOrder(o, props, path, out)
		}
		if req, ok := n["required"]; ok {
			list, isList := req.([]any)
			if !isList {
				*out = append(*out, errs.FieldError{Field: path + ".required", Key: "invalid_required", Message: "required phải là danh sách tên trường."})
			}
			for _, r := range list {
				rs, _ := r.(string)
				if _, exists := props[rs]; !exists {
					*out = append(*out, errs.FieldError{Field: path + ".required", Key: "unknown_required", Message: fmt.Sprintf("Trường bắt buộc %v không có trong properties.", r)})
				}
			}
		}
	} else if _, ok := n["properties"]; ok {
		*out = append(*out, errs.FieldError{Field: path + ".properties", Key: "unsupported_keyword", Message: "properties chỉ dùng cho kiểu object."})
	}
}

// checkOrder checks an object's "x-order": a list of its property names,
// each once.
func checkOrder(o any, props map[string]any, path string, out *[]errs.FieldError) {
	list, isList := o.([]any)
	if !isList {
		*out = append(*out, errs.FieldError{Field: path + "." + orderKey, Key: "invalid_order", Message: "x-order phải là danh sách tên trường theo thứ tự của tờ khai."})
		return
	}
	seen := map[string]bool{}
	for _, v := range list {
		name, _ := v.(string)
		if _, exists := props[name]; !exists || seen[name] {
			*out = append(*out, errs.FieldError{Field: path + "." + orderKey, Key: "invalid_order", Message: fmt.Sprintf("x-order: %v không phải một trường của properties hoặc được nêu hai lần.", v)})
		}
		seen[name] = true
	}
}

// Schema returns the form's JSON Schema.
func (f *Form) Schema() json.RawMessage { return f.raw }

// Validate checks a filled form against the schema and returns one
// FieldError per problem, in Vietnamese, or nil when the form is valid.
func (f *Form) Validate(data json.RawMessage) []errs.FieldError {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return []errs.FieldError{{Field: "form", Key: "invalid_json", Message: "Dữ liệu tờ khai không phải JSON hợp lệ."}}
	}
	err = f.schema.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []errs.FieldError{{Field: "form", Key: "invalid", Message: "Tờ khai không hợp lệ."}}
	}
	var out []errs.FieldError
	collect(ve, &out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// CleanValues returns data with every string value (and property name) in
// Unicode NFC, and a FieldError for each string value holding a control
// character other than tab, newline and carriage return, or a
// bidirectional formatting character (vntext.CheckText). data is returned
// as given when nothing changes or when it is not JSON (Validate says so).
func CleanValues(data json.RawMessage) (json.RawMessage, []errs.FieldError) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return data, nil
	}
	var fe []errs.FieldError
	changed := false
	doc = cleanValue(doc, "form", &fe, &changed)
	if len(fe) > 0 || !changed {
		return data, fe
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return data, nil
	}
	return json.RawMessage(bytes.TrimRight(b.Bytes(), "\n")), nil
}

func cleanValue(v any, path string, fe *[]errs.FieldError, changed *bool) any {
	switch v := v.(type) {
	case string:
		s, err := vntext.CheckText(v)
		if err != nil {
			key, msg, _ := vntext.Problem(err, "Giá trị")
			*fe = append(*fe, errs.FieldError{Field: path, Key: key, Message: msg})
			return v
		}
		*changed = *changed || s != v
		return s
	case map[string]any:
		out := make(map[string]any, len(v))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			nk := norm.NFC.String(k)
			*changed = *changed || nk != k
			out[nk] = cleanValue(v[k], path+"."+nk, fe, changed)
		}
		return out
	case []any:
		for i, e := range v {
			v[i] = cleanValue(e, fmt.Sprintf("%s.%d", path, i), fe, changed)
		}
		return v
	}
	return v
}

func collect(ve *jsonschema.ValidationError, out *[]errs.FieldError) {
	if len(ve.Causes) == 0 {
		*out = append(*out, fieldError(ve)...)
		return
	}
	for _, c := range ve.Causes {
		collect(c, out)
	}
}

func fieldError(ve *jsonschema.ValidationError) []errs.FieldError {
	field := "form"
	if len(ve.InstanceLocation) > 0 {
		field = "form." + strings.Join(ve.InstanceLocation, ".")
	}
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		return perField(field, k.Missing, "required", "Trường này là bắt buộc.")
	case *kind.Type:
		return one(errs.FieldError{Field: field, Key: "type", Message: "Giá trị phải có kiểu " + vietType(k.Want) + "."})
	case *kind.Enum:
		return one(errs.FieldError{Field: field, Key: "enum", Message: "Giá trị phải là một trong các lựa chọn cho phép."})
	case *kind.Format:
		return one(errs.FieldError{Field: field, Key: "format", Message: formatMessage(k.Want)})
	case *kind.MinLength:
		return one(errs.FieldError{Field: field, Key: "min_length", Message: fmt.Sprintf("Cần ít nhất %d ký tự.", k.Want)})
	case *kind.MaxLength:
		return one(errs.FieldError{Field: field, Key: "max_length", Message: fmt.Sprintf("Không quá %d ký tự.", k.Want)})
	case *kind.Minimum:
		return one(errs.FieldError{Field: field, Key: "minimum", Message: fmt.Sprintf("Giá trị không được nhỏ hơn %v.", ratString(k.Want))})
	case *kind.Maximum:
		return one(errs.FieldError{Field: field, Key: "maximum", Message: fmt.Sprintf("Giá trị không được lớn hơn %v.", ratString(k.Want))})
	case *kind.Pattern:
		return one(errs.FieldError{Field: field, Key: "pattern", Message: "Giá trị không đúng định dạng."})
	case *kind.AdditionalProperties:
		return perField(field, k.Properties, "unknown_field", "Trường này không có trong tờ khai.")
	}
	return one(errs.FieldError{Field: field, Key: "invalid", Message: "Giá trị không hợp lệ."})
}

func one(fe errs.FieldError) []errs.FieldError { return []errs.FieldError{fe} }

// perField makes one error per named property, in name order.
func perField(parent string, names []string, key, msg string) []errs.FieldError {
	names = slices.Sorted(slices.Values(names))
	out := make([]errs.FieldError, len(names))
	for i, n := range names {
		out[i] = errs.FieldError{Field: parent + "." + n, Key: key, Message: msg}
	}
	return out
}

func vietType(ts []string) string {
	names := map[string]string{"string": "chuỗi ký tự", "integer": "số nguyên", "number": "số", "boolean": "đúng/sai", "object": "đối tượng"}
	var out []string
	for _, t := range ts {
		if n, ok := names[t]; ok {
			out = append(out, n)
		} else {
			out = append(out, t)
		}
	}
	return strings.Join(out, " hoặc ")
}

func formatMessage(f string) string {
	switch f {
	case "date":
		return "Ngày phải theo định dạng YYYY-MM-DD."
	case "email":
		return "Địa chỉ thư điện tử không hợp lệ."
	case "cccd":
		return "Số định danh cá nhân phải gồm 12 chữ số hợp lệ."
	}
	return "Giá trị không đúng định dạng " + f + "."
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(2)
}
