package calendar

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func FuzzParseSchedules(f *testing.F) {
	f.Add([]byte(schedule2025))
	f.Add([]byte(`[{"year": 2026, "days_off": [{"date": "2026-02-16", "name": "Tết"}], "working_days": []}]`))
	f.Add([]byte(`{"year": 2025, "working_days": [{"date": "2025-04-26", "name": ""}]}`))
	f.Add([]byte(`{"year": 2025, "days_off": [{"date": "2025-02-29", "name": "x"}]}`))
	f.Add([]byte(`[null]`))
	f.Add([]byte(`{"YEAR": 2025, "days_off": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ss, err := ParseSchedules(bytes.NewReader(data))
		if err != nil {
			return
		}
		out, err := json.Marshal(ss)
		if err != nil {
			t.Fatalf("accepted input does not marshal: %v", err)
		}
		again, err := ParseSchedules(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("re-marshalled input rejected: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again, ss) {
			t.Fatalf("round trip changed the schedules:\n%+v\n%+v", ss, again)
		}
		if _, err := New(DefaultOfficeHours(), ss...); err != nil {
			t.Fatalf("New rejects parsed schedules: %v", err)
		}
	})
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"07:30", "00:00", "24:00", "24:01", "23:60", "7:30", "ab:cd", "", "12:345", "-1:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTimeOfDay(s)
		if err != nil {
			return
		}
		if !v.IsValid() || v.String() != s {
			t.Fatalf("ParseTimeOfDay(%q) = %d (%v)", s, int(v), v)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var back TimeOfDay
		if err := json.Unmarshal(b, &back); err != nil || back != v {
			t.Fatalf("JSON round trip of %v: %v, %v", v, back, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-01-29", "2024-02-29", "2025-02-29", "0000-01-01", "9999-12-31", "2025-1-1", "+025-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if !d.IsValid() || d.String() != s {
			t.Fatalf("ParseDate(%q) = %v", s, d)
		}
		if got := dateOfDays(d.days()); got != d {
			t.Fatalf("dateOfDays(days(%v)) = %v", d, got)
		}
	})
}
