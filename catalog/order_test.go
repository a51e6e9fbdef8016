package catalog

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestPropertiesDeclaredOrder(t *testing.T) {
	cases := []struct {
		name, schema string
		path         []string // nested object to read, from the root
		want         []string
	}{
		{"text order, not required-first nor by name",
			`{"type":"object","properties":{"tre_em":{"type":"string"},"me":{"type":"string"},"cha":{"type":"string"}},"required":["me"]}`,
			nil, []string{"tre_em", "me", "cha"}},
		{"nested object keeps its own order",
			`{"type":"object","properties":{"z":{"type":"object","properties":{"ho_ten":{"type":"string"},"ngay_sinh":{"type":"string"},"dan_toc":{"type":"string"}}}}}`,
			[]string{"z"}, []string{"ho_ten", "ngay_sinh", "dan_toc"}},
		{"explicit x-order wins over the text",
			`{"type":"object","x-order":["b","a"],"properties":{"a":{"type":"string"},"b":{"type":"string"}}}`,
			nil, []string{"b", "a"}},
		{"properties x-order leaves out come after, by name",
			`{"type":"object","x-order":["c"],"properties":{"b":{"type":"string"},"a":{"type":"string"},"c":{"type":"string"}}}`,
			nil, []string{"c", "a", "b"}},
		{"x-order names that are not properties are skipped",
			`{"type":"object","x-order":["ghost","a"],"properties":{"a":{"type":"string"}}}`,
			nil, []string{"a"}},
		{"a property called properties is a property",
			`{"type":"object","properties":{"properties":{"type":"string"},"a":{"type":"string"}}}`,
			nil, []string{"properties", "a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := DecodeSchema(json.RawMessage(c.schema))
			if s == nil {
				t.Fatal("schema did not decode")
			}
			for _, p := range c.path {
				props, _, _ := Properties(s)
				s, _ = props[p].(map[string]any)
			}
			_, names, _ := Properties(s)
			if !slices.Equal(names, c.want) {
				t.Errorf("order %v, want %v", names, c.want)
			}
		})
	}
}

func TestDecodeSchemaMatchesUnmarshal(t *testing.T) {
	raw := `{"type":"object","title":"T","properties":{"n":{"type":"integer","minimum":1.5,"enum":[1,2]},"b":{"type":"boolean","default":null},"l":{"type":"string","examples":[]}}}`
	got := DecodeSchema(json.RawMessage(raw))
	delete(got, orderKey)
	var want map[string]any
	if err := json.Unmarshal([]byte(raw), &want); err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("DecodeSchema\n%s\nwant\n%s", g, w)
	}
	for _, bad := range []string{``, `{`, `{"a":}`, `[1,2`, strings.Repeat("[", 100) + strings.Repeat("]", 100)} {
		if m := DecodeSchema(json.RawMessage(bad)); m != nil {
			t.Errorf("DecodeSchema(%q) = %v, want nil", bad, m)
		}
	}
}

func TestAnswersAndPrefillInSchemaOrder(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{
		"ho_ten":{"type":"string","title":"Họ tên","x-prefill":"population.full_name"},
		"ngay_sinh":{"type":"string","title":"Ngày sinh","format":"date","x-prefill":"population.birth_date"},
		"con":{"type":"object","title":"Con","properties":{"ten":{"type":"string","title":"Tên"}}},
		"me":{"type":"string","title":"Mẹ"}},"required":["me","ho_ten"]}`)
	form := json.RawMessage(`{"me":"Lê Thị Hoa","con":{"ten":"An"},"ngay_sinh":"1990-02-03","ho_ten":"Trần Văn Nam"}`)
	var labels []string
	for _, a := range Answers(schema, form) {
		labels = append(labels, a.Label)
	}
	if want := []string{"Họ tên", "Ngày sinh", "Con", "Mẹ"}; !slices.Equal(labels, want) {
		t.Errorf("answers %v, want %v", labels, want)
	}
	if got, want := PrefillKeys(schema), []string{"population.full_name", "population.birth_date"}; !slices.Equal(got, want) {
		t.Errorf("prefill keys %v, want %v", got, want)
	}
}

func TestCompileFormChecksOrder(t *testing.T) {
	cases := []struct {
		order string
		ok    bool
	}{
		{`["b","a"]`, true},
		{`["a"]`, true},
		{`"a"`, false},
		{`["a","a"]`, false},
		{`["c"]`, false},
		{`[1]`, false},
	}
	for _, c := range cases {
		_, err := CompileForm(json.RawMessage(`{"type":"object","x-order":` + c.order + `,"properties":{"a":{"type":"string"},"b":{"type":"string"}}}`))
		if (err == nil) != c.ok {
			t.Errorf("x-order %s: err %v, want ok=%v", c.order, err, c.ok)
		}
	}
}

func FuzzDecodeSchema(f *testing.F) {
	f.Add(`{"type":"object","properties":{"b":{},"a":{}}}`)
	f.Add(`{"properties":{"properties":{"properties":{}}}}`)
	f.Fuzz(func(t *testing.T, s string) {
		m := DecodeSchema(json.RawMessage(s))
		if m == nil {
			return
		}
		props, names, _ := Properties(m)
		if len(names) != len(props) {
			t.Fatalf("%d names for %d properties", len(names), len(props))
		}
	})
}

func TestDurationText(t *testing.T) {
	for d, want := range map[Duration]string{{Days: 1}: "1 ngày làm việc", {Hours: 4}: "4 giờ làm việc", {Days: 2, Hours: 4}: "2 ngày 4 giờ làm việc", {}: ""} {
		if got := d.Text(); got != want {
			t.Errorf("%+v.Text() = %q, want %q", d, got, want)
		}
	}
}

func TestDurationLonger(t *testing.T) {
	for _, c := range []struct {
		d, o Duration
		want bool
	}{
		{Duration{Days: 5}, Duration{Days: 1}, true},
		{Duration{Days: 1}, Duration{Days: 1}, false},
		{Duration{Days: 1}, Duration{Hours: 4}, true},
		{Duration{Hours: 8}, Duration{Days: 1}, false},
		{Duration{Hours: 9}, Duration{Days: 1}, true},
		{Duration{}, Duration{Hours: 1}, false},
	} {
		if got := c.d.Longer(c.o); got != c.want {
			t.Errorf("%+v.Longer(%+v) = %v, want %v", c.d, c.o, got, c.want)
		}
	}
}

func TestPrefilledAnswer(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"me":{"type":"object","properties":{"dc":{"type":"string","x-prefill":"population.address"}}},"dia_chi":{"type":"string","x-prefill":"population.address"}}}`)
	cases := []struct{ form, want string }{
		{`{"dia_chi":" Số 12 phố Huế ","me":{"dc":"Thôn Đông"}}`, "Số 12 phố Huế"},
		{`{"me":{"dc":"Thôn Đông"}}`, ""},
		{`{"dia_chi":12}`, ""},
		{`not json`, ""},
	}
	for _, c := range cases {
		if got := PrefilledAnswer(schema, json.RawMessage(c.form), "population.address"); got != c.want {
			t.Errorf("%s: %q, want %q", c.form, got, c.want)
		}
	}
}
