package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/catalog"
)

const bundleName = "Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi"

func load(t *testing.T) []catalog.Procedure {
	t.Helper()
	ps, err := Procedures()
	if err != nil {
		t.Fatalf("Procedures: %v", err)
	}
	return ps
}

func TestFileParses(t *testing.T) {
	raw := File()
	if !utf8.Valid(raw) {
		t.Fatal("procedures.json is not valid UTF-8")
	}
	if !norm.NFC.IsNormal(raw) {
		t.Error("procedures.json is not NFC-normalised")
	}
	var f catalog.File
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if f.Version != 1 {
		t.Errorf("version = %d, want 1", f.Version)
	}
	ps, err := catalog.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("catalog.Parse: %v", err)
	}
	if len(ps) != len(f.Procedures) {
		t.Errorf("Parse returned %d procedures, file has %d", len(ps), len(f.Procedures))
	}
	// File returns a copy: mutating it must not change the embedded catalogue.
	raw[0] = 'x'
	if File()[0] == 'x' {
		t.Error("File() exposes the embedded bytes")
	}
}

func TestCounts(t *testing.T) {
	ps := load(t)
	count := map[catalog.Level]int{}
	for _, p := range ps {
		count[p.Level]++
	}
	tests := []struct {
		name string
		got  int
		min  int
	}{
		{"all", len(ps), 45},
		{"commune", count[catalog.LevelCommune], 25},
		{"province", count[catalog.LevelProvince], 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got < tc.min {
				t.Errorf("%s procedures = %d, want at least %d", tc.name, tc.got, tc.min)
			}
		})
	}
}

func TestBundle(t *testing.T) {
	ps := load(t)
	byCode := map[string]catalog.Procedure{}
	for _, p := range ps {
		byCode[p.Code] = p
	}
	var b *catalog.Procedure
	for i := range ps {
		if ps[i].Name == bundleName {
			b = &ps[i]
		}
	}
	if b == nil {
		t.Fatalf("bundle %q not found", bundleName)
	}
	if b.Level != catalog.LevelCommune || b.AgencyKind != "commune_committee" {
		t.Errorf("bundle level/agency = %s/%s", b.Level, b.AgencyKind)
	}
	if len(b.Bundle) != 3 {
		t.Fatalf("bundle lists %d procedures, want 3", len(b.Bundle))
	}
	for _, c := range b.Bundle {
		p, ok := byCode[c]
		if !ok {
			t.Errorf("bundle code %s not in the catalogue", c)
			continue
		}
		if len(p.Bundle) > 0 {
			t.Errorf("bundled procedure %s is itself a bundle", c)
		}
	}
	if !slices.Contains(b.Bundle, "1.001193") {
		t.Error("bundle does not include đăng ký khai sinh 1.001193")
	}
	agencies := map[string]bool{}
	for _, s := range b.Workflow.Steps {
		a := s.Agency
		if a == "" {
			a = "competent"
		}
		agencies[a] = true
	}
	for _, want := range []string{"competent", "police", "social_insurance"} {
		if !agencies[want] {
			t.Errorf("bundle workflow has no step at %s", want)
		}
	}
	steps := b.Workflow.Steps
	if first, last := steps[0], steps[len(steps)-1]; string(first.Role) != "receiver" || first.Agency != "" || string(last.Role) != "clerk" || last.Agency != "" {
		t.Errorf("bundle must start with the receiver and end with the clerk at the competent agency: %+v … %+v", first, last)
	}
}

func TestOrdinaryWorkflows(t *testing.T) {
	want := []string{"receiver", "specialist", "leader", "clerk"}
	for _, p := range load(t) {
		if len(p.Bundle) > 0 {
			continue
		}
		var roles []string
		total := 0
		for _, s := range p.Workflow.Steps {
			roles = append(roles, string(s.Role))
			total += s.Share
			if s.Agency != "" {
				t.Errorf("%s: ordinary step %q names agency %q", p.Code, s.Name, s.Agency)
			}
		}
		if !slices.Equal(roles, want) || total != 100 {
			t.Errorf("%s: workflow roles %v, shares %d", p.Code, roles, total)
		}
	}
}

func TestForms(t *testing.T) {
	for _, p := range load(t) {
		t.Run(p.Code, func(t *testing.T) {
			f, err := catalog.CompileForm(p.FormSchema)
			if err != nil {
				t.Fatalf("CompileForm: %v", err)
			}
			var schema map[string]any
			if err := json.Unmarshal(p.FormSchema, &schema); err != nil {
				t.Fatal(err)
			}
			props, _ := schema["properties"].(map[string]any)
			req, _ := schema["required"].([]any)
			if len(props) < 4 || len(req) < 2 {
				t.Errorf("form has %d properties and %d required, want ≥4 and ≥2", len(props), len(req))
			}
			checkTitles(t, "form", schema)

			filled := fill(t, schema)
			data, _ := json.Marshal(filled)
			if errs := f.Validate(data); len(errs) > 0 {
				t.Fatalf("filled form does not validate: %+v\n%s", errs, data)
			}

			missing := fmt.Sprint(req[0])
			obj := filled.(map[string]any)
			delete(obj, missing)
			data, _ = json.Marshal(obj)
			errs := f.Validate(data)
			found := false
			for _, e := range errs {
				if e.Key == "required" && strings.Contains(e.Field, missing) {
					found = true
				}
			}
			if !found {
				t.Errorf("form without %q: got %+v, want a required error", missing, errs)
			}
		})
	}
}

var propName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// checkTitles requires a Vietnamese title on every property and ASCII
// snake_case property names, recursively.
func checkTitles(t *testing.T, path string, n map[string]any) {
	t.Helper()
	props, _ := n["properties"].(map[string]any)
	for name, c := range props {
		child := c.(map[string]any)
		if !propName.MatchString(name) {
			t.Errorf("%s.%s: property name is not ASCII snake_case", path, name)
		}
		if title, _ := child["title"].(string); strings.TrimSpace(title) == "" {
			t.Errorf("%s.%s: missing title", path, name)
		}
		if child["type"] == "object" {
			checkTitles(t, path+"."+name, child)
		}
	}
}

// patternSamples are values satisfying the patterns the demo forms use.
var patternSamples = map[string]string{
	"^0[0-9]{9}$": "0912345678",
	"^[0-9]{10}$": "0101234567",
}

// fill builds a value for a schema node that fills every required property.
func fill(t *testing.T, n map[string]any) any {
	t.Helper()
	if e, ok := n["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	switch n["type"] {
	case "object":
		props, _ := n["properties"].(map[string]any)
		req, _ := n["required"].([]any)
		out := map[string]any{}
		for _, r := range req {
			name := fmt.Sprint(r)
			out[name] = fill(t, props[name].(map[string]any))
		}
		return out
	case "string":
		switch n["format"] {
		case "date":
			return "2020-01-15"
		case "email":
			return "nguyenvana@example.vn"
		case "cccd":
			return "001203012345"
		}
		if p, ok := n["pattern"].(string); ok {
			v, known := patternSamples[p]
			if !known {
				t.Fatalf("no sample value for pattern %q", p)
			}
			return v
		}
		v := []rune("Nguyễn Văn A")
		if mx, ok := n["maxLength"].(float64); ok && len(v) > int(mx) {
			v = v[:int(mx)]
		}
		if mn, ok := n["minLength"].(float64); ok {
			for len(v) < int(mn) {
				v = append(v, 'a')
			}
		}
		return string(v)
	case "integer", "number":
		v := 1.0
		if mn, ok := n["minimum"].(float64); ok {
			v = mn
		}
		if mx, ok := n["maximum"].(float64); ok && v > mx {
			v = mx
		}
		return v
	case "boolean":
		return true
	}
	t.Fatalf("cannot fill schema node %v", n)
	return nil
}

func TestCodesAndProvisional(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range load(t) {
		if seen[p.Code] {
			t.Errorf("duplicate code %s", p.Code)
		}
		seen[p.Code] = true
		for _, f := range p.Provisional {
			if !slices.Contains(catalog.ProvisionalFields, f) {
				t.Errorf("%s: provisional field %q not allowed", p.Code, f)
			}
		}
		if strings.HasPrefix(p.Code, "DEMO-") && !slices.Contains(p.Provisional, "code") {
			t.Errorf("%s: local code not marked provisional", p.Code)
		}
		if strings.HasPrefix(p.Name, "Thủ tục ") || strings.HasPrefix(strings.ToLower(p.Name), "thủ tục ") {
			t.Errorf("%s: name keeps the \"Thủ tục\" prefix: %q", p.Code, p.Name)
		}
		if p.Result.Name == "" || p.Result.Template == "" {
			t.Errorf("%s: result without name or template", p.Code)
		}
	}
}

func TestAgencyKinds(t *testing.T) {
	sectors := []string{"tu-phap", "tai-chinh", "xay-dung", "nong-nghiep-moi-truong", "y-te", "giao-duc", "noi-vu", "cong-thuong", "van-hoa", "khoa-hoc", "dan-toc"}
	known := func(k string) bool {
		switch k {
		case "commune_committee", "police", "social_insurance", "province_committee":
			return true
		}
		s, ok := strings.CutPrefix(k, "department:")
		return ok && slices.Contains(sectors, s)
	}
	for _, p := range load(t) {
		if !known(p.AgencyKind) {
			t.Errorf("%s: unknown agency kind %q", p.Code, p.AgencyKind)
		}
		for _, s := range p.Workflow.Steps {
			if s.Agency != "" && !known(s.Agency) {
				t.Errorf("%s: step %q at unknown agency %q", p.Code, s.Name, s.Agency)
			}
		}
	}
}

func TestReplaceableDatasets(t *testing.T) {
	allowed := map[string]bool{
		"population.residence": true, "population.identity": true, "civil_status.birth_record": true, "civil_status.marital_status": true,
		"enterprise.registration": true, "land.parcel": true, "social_insurance.health_insurance": true,
	}
	n := 0
	for _, p := range load(t) {
		for _, c := range p.Components {
			if r := c.ReplaceableBy; r != nil {
				n++
				if !allowed[r.Dataset+"."+r.Field] {
					t.Errorf("%s %s: unknown dataset reference %s.%s", p.Code, c.Code, r.Dataset, r.Field)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no component is replaceable by data")
	}
}
