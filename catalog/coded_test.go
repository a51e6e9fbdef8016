package catalog

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/motcua/motcua/catalog/codelist"
)

const codedSchema = `{"type":"object","properties":{
	"tre_em":{"type":"object","properties":{
		"noi_sinh":{"type":"string","x-list":"commune"},
		"dan_toc":{"type":"string","x-list":"ethnicity","maxLength":50},
		"quoc_tich":{"type":"string","x-list":"nationality"}}},
	"tinh":{"type":"string","x-list":"province"},
	"ghi_chu":{"type":"string"}}}`

func TestCoded(t *testing.T) {
	f, err := CompileForm(json.RawMessage(codedSchema))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, in, out string
		codes         []codelist.Value
		bad           []string // fields with a "code" error
	}{
		{"codes become names, codes kept with the list",
			`{"tre_em":{"dan_toc":"01","quoc_tich":"VN","noi_sinh":"00004"},"tinh":"01"}`,
			`{"tinh":"Thành phố Hà Nội","tre_em":{"dan_toc":"Kinh","noi_sinh":"Phường Ba Đình, Thành phố Hà Nội","quoc_tich":"Việt Nam"}}`,
			[]codelist.Value{{Field: "form.tre_em.noi_sinh", List: "DVHC-2025", Code: "00004"}, {Field: "form.tre_em.dan_toc", List: "TCTK-1019-2008", Code: "01"},
				{Field: "form.tre_em.quoc_tich", List: "ISO-3166-1", Code: "VN"}, {Field: "form.tinh", List: "DVHC-2025", Code: "01"}}, nil},
		{"names are kept as written in the list",
			`{"tre_em":{"dan_toc":"Kinh","quoc_tich":"Việt Nam"}}`, "",
			[]codelist.Value{{Field: "form.tre_em.dan_toc", List: "TCTK-1019-2008", Code: "01"}, {Field: "form.tre_em.quoc_tich", List: "ISO-3166-1", Code: "VN"}}, nil},
		{"an alias becomes the list's name",
			`{"tre_em":{"dan_toc":"Khmer"}}`, `{"tre_em":{"dan_toc":"Khơ Me"}}`,
			[]codelist.Value{{Field: "form.tre_em.dan_toc", List: "TCTK-1019-2008", Code: "05"}}, nil},
		{"values not in the lists, all reported",
			`{"tre_em":{"dan_toc":"Kinhh","quoc_tich":"Liên Xô","noi_sinh":"Bệnh viện Phụ sản"},"tinh":"99","ghi_chu":"tự do"}`, "",
			nil, []string{"form.tre_em.noi_sinh", "form.tre_em.dan_toc", "form.tre_em.quoc_tich", "form.tinh"}},
		{"non-strings are left to the schema", `{"tre_em":{"dan_toc":1}}`, "", nil, nil},
		{"not JSON is left to Validate", `{`, "", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, codes, fe := f.Coded(json.RawMessage(c.in))
			want := c.out
			if want == "" {
				want = c.in
			}
			if string(out) != want {
				t.Errorf("form %s\nwant %s", out, want)
			}
			if !slices.Equal(codes, c.codes) {
				t.Errorf("codes %v\nwant %v", codes, c.codes)
			}
			var bad []string
			for _, e := range fe {
				if e.Key != "code" || e.Message == "" {
					t.Errorf("error %+v", e)
				}
				bad = append(bad, e.Field)
			}
			if !slices.Equal(bad, c.bad) {
				t.Errorf("errors on %v, want %v", bad, c.bad)
			}
		})
	}
}

func TestCompileFormChecksList(t *testing.T) {
	cases := []struct {
		field string
		ok    bool
	}{
		{`{"type":"string","x-list":"ethnicity"}`, true},
		{`{"type":"string","x-list":"commune"}`, true},
		{`{"type":"string","x-list":"religion"}`, false},
		{`{"type":"integer","x-list":"ethnicity"}`, false},
		{`{"type":"string","x-list":1}`, false},
	}
	for _, c := range cases {
		_, err := CompileForm(json.RawMessage(`{"type":"object","properties":{"a":` + c.field + `}}`))
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v, want ok=%v", c.field, err, c.ok)
		}
	}
}

func TestWithLists(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"dan_toc":{"type":"string"},"me":{"type":"object","properties":{"quoc_tich":{"type":"string"},"dan_toc":{"type":"string","enum":["Kinh"]}}},"so":{"type":"integer"}}}`)
	out, err := WithLists(schema, map[string]string{"dan_toc": "ethnicity", "quoc_tich": "nationality", "so": "ethnicity"})
	if err != nil {
		t.Fatal(err)
	}
	doc := DecodeSchema(out)
	props, names, _ := Properties(doc)
	if !slices.Equal(names, []string{"dan_toc", "me", "so"}) {
		t.Errorf("order lost: %v", names)
	}
	list := func(p any) any { return p.(map[string]any)["x-list"] }
	me := props["me"].(map[string]any)["properties"].(map[string]any)
	if list(props["dan_toc"]) != "ethnicity" || list(me["quoc_tich"]) != "nationality" || list(me["dan_toc"]) != nil || list(props["so"]) != nil {
		t.Errorf("lists not where they belong: %s", out)
	}
	if _, err := CompileForm(out); err != nil {
		t.Errorf("schema with lists does not compile: %v", err)
	}
	if _, err := WithLists(schema, map[string]string{"x": "religion"}); err == nil {
		t.Error("unknown kind accepted")
	}
}
