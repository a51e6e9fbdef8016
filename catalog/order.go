package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
)

// The fields of a declaration are shown, validated, printed and read back
// in the order of the legal form they stand for: the child before the
// mother, the requester's birth date after the name. That order is the
// schema's own: an explicit "x-order" list of property names on an object
// schema when it has one, else the order its "properties" are written in
// the JSON text. Go maps forget that order, so a schema read for its order
// goes through DecodeSchema, which writes the text order down as "x-order"
// on every object schema that has none.

// orderKey is the schema extension naming the order of an object's
// properties.
const orderKey = "x-order"

// DecodeSchema decodes a form schema as json.Unmarshal does, numbers as
// float64, and records on every object with "properties" and no "x-order"
// the order of its properties in the text, as "x-order". Bad JSON gives nil.
func DecodeSchema(raw json.RawMessage) map[string]any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	v, _, err := decodeOrdered(dec, 0, false)
	if err != nil {
		return nil
	}
	m, _ := v.(map[string]any)
	return m
}

// maxSchemaDepth bounds the nesting DecodeSchema follows (a form is a few
// levels deep; a hostile text must not exhaust the stack).
const maxSchemaDepth = 64

var errTooDeep = errors.New("schema nested too deep")

// decodeOrdered decodes the next value of dec and, for an object, the
// order of its keys. names is set when the value is the "properties" of a
// schema: a map from names to schemas, not a schema itself.
func decodeOrdered(dec *json.Decoder, depth int, names bool) (any, []string, error) {
	if depth > maxSchemaDepth {
		return nil, nil, errTooDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			var keys, propKeys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, nil, err
				}
				k, _ := kt.(string)
				v, vkeys, err := decodeOrdered(dec, depth+1, !names && k == "properties")
				if err != nil {
					return nil, nil, err
				}
				if _, dup := m[k]; !dup {
					keys = append(keys, k)
				}
				m[k] = v
				if !names && k == "properties" {
					propKeys = vkeys
				}
			}
			if _, err := dec.Token(); err != nil { // '}'
				return nil, nil, err
			}
			if _, isObj := m["properties"].(map[string]any); isObj && !names {
				if _, has := m[orderKey]; !has {
					order := make([]any, len(propKeys))
					for i, k := range propKeys {
						order[i] = k
					}
					m[orderKey] = order
				}
			}
			return m, keys, nil
		case '[':
			list := []any{}
			for dec.More() {
				v, _, err := decodeOrdered(dec, depth+1, false)
				if err != nil {
					return nil, nil, err
				}
				list = append(list, v)
			}
			if _, err := dec.Token(); err != nil { // ']'
				return nil, nil, err
			}
			return list, nil, nil
		}
	}
	return tok, nil, nil // string, float64, bool or nil
}

// propertyNames is the order of an object schema's properties: the names
// of its "x-order" that are properties, then the properties it does not
// name, by name (a schema decoded without DecodeSchema has no text order
// to go by).
func propertyNames(schema, props map[string]any) []string {
	names := make([]string, 0, len(props))
	seen := map[string]bool{}
	if list, ok := schema[orderKey].([]any); ok {
		for _, v := range list {
			if s, ok := v.(string); ok && !seen[s] {
				if _, isProp := props[s]; isProp {
					names = append(names, s)
					seen[s] = true
				}
			}
		}
	}
	var rest []string
	for n := range props {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	slices.Sort(rest)
	return append(names, rest...)
}
