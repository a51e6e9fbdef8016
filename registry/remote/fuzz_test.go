package remote

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
)

// FuzzParse checks that the parser of remote answers never panics, fails
// only with NotFound or Unavailable, and that a record it accepts has the
// key asked for, the dataset's code and no empty field name.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		motcuaRecord,
		`{"key":"001099012345","data":{"full_name":"An"}}`,
		`{"key":"001099099999","data":{"citizen_id":"001099012345"}}`,
		`{"key":1,"data":{}}`,
		`{"citizen_id":"001099012345","area":120.50,"active":true,"note":null,"owner":{"name":"An","share":[1,2]},"tags":["a"]}`,
		`{"citizen_id":"001099099999"}`,
		`{"citizen_id":1e3}`,
		`[{"citizen_id":"001099012345","full_name":"An"}]`,
		`[{"citizen_id":"001099012345"},{"citizen_id":"001099012345"}]`,
		`{"items":[{"citizen_id":"001099012345"}]}`,
		`{"items":[]}`,
		`{"items":[1]}`,
		`[]`, `[1]`, `{}`, `null`, `""`, `0`, ``, `{`, `[{]`, `{"a":"\ud800"}`,
		"{\"a\":[\"\xff\"]}",
		`{"updated_at":"2025-06-30T10:00:00+07:00","citizen_id":"001099012345"}`,
		`{"":"x","citizen_id":"001099012345"}`,
		strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
	} {
		f.Add([]byte(s), "001099012345")
	}
	f.Add([]byte(`{"id":"A/1"}`), "A/1")
	f.Add([]byte(`{"citizen_id":""}`), "")
	tg := target{code: "population", name: "Dân cư", keyField: "citizen_id", subjectField: "citizen_id"}
	now := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, key string) {
		rec, err := tg.parse(body, key, now)
		if err != nil {
			if k := errs.KindOf(err); k != errs.NotFound && k != errs.Unavailable {
				t.Fatalf("error of kind %v: %v", k, err)
			}
			return
		}
		if rec.Key != key {
			t.Fatalf("key = %q, want %q", rec.Key, key)
		}
		if rec.Dataset != "population" || rec.UpdatedAt.IsZero() {
			t.Fatalf("record = %+v", rec)
		}
		if v, ok := rec.Data["citizen_id"]; ok && v != key {
			t.Fatalf("key field %q, key %q", v, key)
		}
		if _, ok := rec.Data[""]; ok {
			t.Fatal("empty field name")
		}
	})
}
