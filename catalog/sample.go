package catalog

// SampleData fills every required property of a decoded form schema the way
// a generic client does, from the property's type, format and enum alone:
// the first enum value, the code of a code list's first entry ("x-list"), the minimum of a number (else 1), true, a date, an
// e-mail address, a citizen ID, or a Vietnamese name for other strings.
// Benchmarks and end-to-end tests use it to submit any procedure.
func SampleData(schema map[string]any) map[string]any {
	out := map[string]any{}
	props, _ := schema["properties"].(map[string]any)
	req, _ := schema["required"].([]any)
	for _, r := range req {
		name, _ := r.(string)
		p, _ := props[name].(map[string]any)
		out[name] = sampleValue(p)
	}
	return out
}

func sampleValue(p map[string]any) any {
	if e, ok := p["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	if l, ok := ListOf(p); ok {
		return l.Entries[0].Code // what a pick-list posts
	}
	switch p["type"] {
	case "object":
		return SampleData(p)
	case "integer", "number":
		if m, ok := p["minimum"].(float64); ok {
			return m
		}
		return 1
	case "boolean":
		return true
	}
	switch p["format"] {
	case "date":
		return "2026-11-20"
	case "email":
		return "an.nguyen@example.vn"
	case "cccd":
		return "001090012345"
	}
	return "Nguyễn Văn An"
}
