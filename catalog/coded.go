package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/errs"
)

// listKey is the schema extension naming the code list a string field is
// picked from ("ethnicity", "nationality", "province", "commune":
// codelist.Kinds).
const listKey = "x-list"

// ListOf is the code list a field schema names in "x-list", if any.
func ListOf(field map[string]any) (*codelist.List, bool) {
	kind, _ := field[listKey].(string)
	if kind == "" {
		return nil, false
	}
	return codelist.Get(kind)
}

// Coded resolves the declaration's coded fields (those with "x-list"): a
// value given as a code, a name or an alias becomes the entry's name in
// the declaration — what the certificate prints and the datasets keep —
// and its code is returned with the list's ID. A value the list does not
// hold is a FieldError ("form.<path>", key "code"). data is returned as
// given when it is not JSON (Validate says so) or nothing changes.
func (f *Form) Coded(data json.RawMessage) (json.RawMessage, []codelist.Value, []errs.FieldError) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil || f.doc == nil {
		return data, nil, nil
	}
	var codes []codelist.Value
	var fe []errs.FieldError
	changed := false
	codeValues(f.doc, doc, "form", 0, &codes, &fe, &changed)
	if !changed {
		return data, codes, fe
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return data, codes, fe
	}
	return json.RawMessage(bytes.TrimRight(b.Bytes(), "\n")), codes, fe
}

func codeValues(schema map[string]any, v any, path string, depth int, codes *[]codelist.Value, fe *[]errs.FieldError, changed *bool) {
	obj, ok := v.(map[string]any)
	if !ok || depth > 16 {
		return
	}
	props, names, _ := Properties(schema)
	for _, n := range names {
		p, _ := props[n].(map[string]any)
		val, present := obj[n]
		if !present {
			continue
		}
		if typ, _ := p["type"].(string); typ == "object" {
			codeValues(p, val, path+"."+n, depth+1, codes, fe, changed)
			continue
		}
		l, isList := ListOf(p)
		s, isString := val.(string)
		if !isList || !isString {
			continue // not coded, or not a string: the schema says so
		}
		e, found := l.Resolve(s)
		if !found {
			*fe = append(*fe, errs.FieldError{Field: path + "." + n, Key: "code",
				Message: fmt.Sprintf("%q không có trong danh mục: %s. Hãy chọn trong danh sách.", s, l.Name)})
			continue
		}
		if e.Name != s {
			obj[n], *changed = e.Name, true
		}
		*codes = append(*codes, codelist.Value{Field: path + "." + n, List: l.ID, Code: e.Code})
	}
}

// WithLists is schema with every string property named in byName (and
// without an enum or a list of its own) picked from the code list named
// there: byName maps property names ("dan_toc") to list kinds
// ("ethnicity"). The result carries its order as "x-order" (DecodeSchema).
// An unknown kind is an error; a schema that is not JSON is returned as is
// (CompileForm says so).
func WithLists(schema json.RawMessage, byName map[string]string) (json.RawMessage, error) {
	for name, kind := range byName {
		if !codelist.Known(kind) {
			return nil, fmt.Errorf("field %s: unknown code list %q", name, kind)
		}
	}
	doc := DecodeSchema(schema)
	if doc == nil || len(byName) == 0 {
		return schema, nil
	}
	changed := false
	var walk func(s map[string]any, depth int)
	walk = func(s map[string]any, depth int) {
		props, _ := s["properties"].(map[string]any)
		for name, v := range props {
			p, _ := v.(map[string]any)
			if p == nil || depth > 16 {
				continue
			}
			if p["type"] == "object" {
				walk(p, depth+1)
				continue
			}
			_, hasEnum := p["enum"]
			_, hasList := p[listKey]
			if kind, ok := byName[name]; ok && p["type"] == "string" && !hasEnum && !hasList {
				p[listKey], changed = kind, true
			}
		}
	}
	walk(doc, 0)
	if !changed {
		return schema, nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return json.RawMessage(bytes.TrimRight(b.Bytes(), "\n")), nil
}
