package catalog_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/errs"
)

// FuzzParse checks that Parse never panics, that it fails only with an
// Invalid *errs.Error, and that whatever it accepts survives Write → Parse
// unchanged: the second Parse succeeds and Write gives the same bytes.
func FuzzParse(f *testing.F) {
	f.Add(demo.File())
	var one bytes.Buffer
	if err := catalog.Write(&one, []catalog.Procedure{*validProcedure()}); err != nil {
		f.Fatal(err)
	}
	f.Add(one.Bytes())
	compact, err := json.Marshal(catalog.File{Version: 1, Procedures: []catalog.Procedure{*validProcedure()}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(compact)
	f.Add(one.Bytes()[:one.Len()/2]) // truncated
	for _, s := range []string{
		``,
		`{`,
		`null`,
		`[]`,
		`{"version":1,"procedures":[]}`,
		`{"version":1,"procedures":null}`,
		`{"version":2,"procedures":[]}`,
		`{"version":1,"procedures":[{}]}`,
		`{"version":1,"procedures":[],"x":1}`,
		`{"version":1,"procedures":[]} trailing`,
		`{"version":1,"procedures":[{"code":"1.000001","name":"Hoà giải","field":"Tư pháp","level":"commune","agency_kind":"commune_committee","processing_time":{"hours":4},"online_level":"none","fees":[],"components":[{"code":"TP01","name":"Đơn"}],"form_schema":{"type":"object"},"workflow":{"steps":[{"name":"Giải quyết","role":"specialist","share":100}]},"result":{"name":"Biên bản"},"updated_at":"2025-07-01T08:30:00+07:00"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := catalog.Parse(bytes.NewReader(data))
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid {
				t.Fatalf("Parse error is not Invalid: %T %v", err, err)
			}
			if ps != nil {
				t.Fatal("Parse returned procedures with an error")
			}
			return
		}
		var first bytes.Buffer
		if err := catalog.Write(&first, ps); err != nil {
			t.Fatalf("Write of a parsed catalogue: %v", err)
		}
		again, err := catalog.Parse(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("Parse(Write(Parse(x))): %v\n%s", err, first.Bytes())
		}
		if len(again) != len(ps) {
			t.Fatalf("round trip: %d procedures, want %d", len(again), len(ps))
		}
		var second bytes.Buffer
		if err := catalog.Write(&second, again); err != nil {
			t.Fatalf("second Write: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("round trip changed the catalogue:\nfirst  %s\nsecond %s", first.Bytes(), second.Bytes())
		}
		for i := range ps {
			if ps[i].Summary() != again[i].Summary() {
				t.Fatalf("procedure %d: summary %+v, want %+v", i, again[i].Summary(), ps[i].Summary())
			}
			if !again[i].UpdatedAt.Equal(ps[i].UpdatedAt) {
				t.Fatalf("procedure %d: updated_at %v, want %v", i, again[i].UpdatedAt, ps[i].UpdatedAt)
			}
		}
	})
}

// FuzzFormValidate validates arbitrary bytes against a fixed form: no panic,
// and every problem is a form field with a Vietnamese message.
func FuzzFormValidate(f *testing.F) {
	form, err := catalog.CompileForm(json.RawMessage(formSchema))
	if err != nil {
		f.Fatal(err)
	}
	valid, err := json.Marshal(validData())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	for _, s := range []string{
		``, `{`, `null`, `[]`, `0`, `"x"`, `{}`,
		`{"ho_ten":5,"so_dinh_danh":"00109001234X","ngay_sinh":"2024-02-30","email":"x","gioi_tinh":"nam","so_con":2.5,"dien_tich":"1","dong_y":"true","tre_em":{"ngay_sinh":"x","z":1},"extra":null}`,
		`{"so_con":1e400,"dien_tich":-1e-400}`,
		`{"ho_ten":"\ud800","so_dinh_danh":"001090012345"}`,
		`{"tre_em":{"tre_em":{"tre_em":{}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range form.Validate(data) {
			if e.Field != "form" && !strings.HasPrefix(e.Field, "form.") {
				t.Fatalf("field %q is not under form", e.Field)
			}
			if e.Key == "" || !isVietnamese(e.Message) {
				t.Fatalf("bad field error %+v", e)
			}
		}
	})
}

// FuzzCompileForm compiles arbitrary bytes: no panic, failures are Invalid
// *errs.Error, and a compiled form keeps its schema and validates.
func FuzzCompileForm(f *testing.F) {
	f.Add([]byte(formSchema))
	for _, s := range []string{
		``, `{`, `null`, `[]`, `{}`,
		`{"type":"object"}`,
		`{"type":"object","properties":{"a":{"type":"string","pattern":"(?!x)"}}}`,
		`{"type":"object","properties":{"a":{"type":"array","items":{}}},"required":["b",1]}`,
		`{"type":"object","properties":{"a":{"type":"string","format":"cccd","enum":["001090012345"]}},"additionalProperties":false}`,
		`{"type":"object","properties":{"a":{"type":"integer","minimum":1e400,"maximum":"x"}}}`,
		`{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"a":{"type":"number"}}}`,
		`{"$id":"#frag","type":"object"}`,
		`{"type":"object","properties":{"a":{"type":"object","properties":null}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if lower := bytes.ToLower(data); bytes.Contains(lower, []byte("file:")) || bytes.Contains(lower, []byte(`\u`)) {
			// A "$schema" may name a local file, which the JSON Schema
			// compiler then reads (see the report); keep the fuzzer off
			// the file system.
			t.Skip()
		}
		form, err := catalog.CompileForm(data)
		if err != nil {
			if e, ok := errs.As(err); !ok || e.Kind != errs.Invalid {
				t.Fatalf("CompileForm error is not Invalid: %T %v", err, err)
			}
			return
		}
		if !bytes.Equal(form.Schema(), data) {
			t.Fatalf("Schema() = %q, want %q", form.Schema(), data)
		}
		for _, d := range []string{`{}`, `{"a":"001090012345","b":1}`, `[]`} {
			for _, e := range form.Validate(json.RawMessage(d)) {
				if e.Key == "" || !isVietnamese(e.Message) {
					t.Fatalf("bad field error %+v", e)
				}
			}
		}
	})
}
