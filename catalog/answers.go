package catalog

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Answer is one value of a declaration labelled with its field's title in
// the procedure's JSON Schema; a group (an object) has children instead.
type Answer struct {
	Label, Value string
	Children     []Answer
}

// Answers pairs a declaration's values with the titles of the schema's
// fields, in the schema's order as the submission form shows them; values the schema does not name come last under their key.
// Booleans are "Có"/"Không" and dates (format date) dd/mm/yyyy. Bad JSON
// gives no answers, never an error: this is for display.
func Answers(schema, form json.RawMessage) []Answer {
	var v map[string]any
	_ = json.Unmarshal(form, &v)
	return answersOf(DecodeSchema(schema), v, 0)
}

func answersOf(schema, values map[string]any, depth int) []Answer {
	if depth > 16 {
		return nil
	}
	props, names, _ := Properties(schema)
	var out []Answer
	for _, n := range names {
		v, ok := values[n]
		if !ok {
			continue
		}
		p, _ := props[n].(map[string]any)
		label, _ := p["title"].(string)
		if label == "" {
			label = n
		}
		if typ, _ := p["type"].(string); typ == "object" {
			sub, _ := v.(map[string]any)
			if ch := answersOf(p, sub, depth+1); len(ch) > 0 {
				out = append(out, Answer{Label: label, Children: ch})
			}
			continue
		}
		format, _ := p["format"].(string)
		out = append(out, Answer{Label: label, Value: AnswerText(v, format)})
	}
	var rest []string
	for k := range values {
		if _, ok := props[k]; !ok {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, Answer{Label: k, Value: AnswerText(values[k], "")})
	}
	return out
}

// AnswerText is a declared value as text: "Có"/"Không" for booleans,
// dd/mm/yyyy for a date, JSON for anything else not a string or number.
func AnswerText(v any, format string) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "Có"
		}
		return "Không"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if format == "date" && len(x) == 10 && x[4] == '-' && x[7] == '-' {
			return x[8:10] + "/" + x[5:7] + "/" + x[0:4]
		}
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Properties is an object schema's properties in the order forms show
// them — the schema's declared order (propertyNames: "x-order", which
// DecodeSchema writes from the text) — with the set of required names.
func Properties(schema map[string]any) (props map[string]any, names []string, required map[string]bool) {
	props, _ = schema["properties"].(map[string]any)
	required = map[string]bool{}
	if rs, ok := schema["required"].([]any); ok {
		for _, r := range rs {
			if s, ok := r.(string); ok {
				required[s] = true
			}
		}
	}
	return props, propertyNames(schema, props), required
}

// PrefillKeys lists the "x-prefill" keys of a form schema's fields
// ("population.full_name"), nested groups included, in form order.
func PrefillKeys(schema json.RawMessage) []string {
	doc := DecodeSchema(schema)
	if doc == nil {
		return nil
	}
	var out []string
	var walk func(s map[string]any, depth int)
	walk = func(s map[string]any, depth int) {
		props, names, _ := Properties(s)
		for _, n := range names {
			p, _ := props[n].(map[string]any)
			if k, ok := p["x-prefill"].(string); ok && k != "" && !slices.Contains(out, k) {
				out = append(out, k)
			}
			if depth < 8 {
				walk(p, depth+1)
			}
		}
	}
	walk(doc, 0)
	return out
}

// PrefilledAnswer is the text of the declaration's first top-level field
// whose "x-prefill" is key ("population.address": the applicant's
// residence as declared), "" when the schema has none or it is not a
// filled-in string.
func PrefilledAnswer(schema, form json.RawMessage, key string) string {
	props, names, _ := Properties(DecodeSchema(schema))
	var v map[string]any
	_ = json.Unmarshal(form, &v)
	for _, n := range names {
		p, _ := props[n].(map[string]any)
		if k, _ := p["x-prefill"].(string); k == key {
			s, _ := v[n].(string)
			return strings.TrimSpace(s)
		}
	}
	return ""
}
