package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

type vnInner struct {
	At   time.Time  `json:"at"`
	Opt  *time.Time `json:"opt,omitempty"`
	Note string     `json:"note"`
}

type vnOuter struct {
	When    time.Time          `json:"when"`
	Steps   []vnInner          `json:"steps"`
	ByName  map[string]vnInner `json:"by_name"`
	Any     any                `json:"any"`
	Raw     json.RawMessage    `json:"raw"`
	Zero    time.Time          `json:"zero"`
	Self    *vnOuter           `json:"self,omitempty"`
	private time.Time
}

// Every time of an answer goes out in Vietnam's time with +07:00, however
// deep (a dossier's steps and history), and the value marshalled is not
// changed; a user's string that looks like a time is left alone.
func TestVNJSON(t *testing.T) {
	utc := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	opt := utc.Add(time.Hour)
	in := &vnOuter{When: utc, Steps: []vnInner{{At: utc, Opt: &opt, Note: "2026-11-24T02:00:00Z"}}, ByName: map[string]vnInner{"a": {At: utc}},
		Any: []any{utc, map[string]any{"t": utc}}, Raw: json.RawMessage(`{"t":"2026-11-24T02:00:00Z"}`), Self: &vnOuter{When: utc}, private: utc}
	var b bytes.Buffer
	if err := vnJSON.Marshal(&b, in); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if n := strings.Count(got, "2026-11-24T09:00:00+07:00"); n != 6 {
		t.Errorf("%d times at 09:00+07:00, want 6: %s", n, got)
	}
	if !strings.Contains(got, `"opt":"2026-11-24T10:00:00+07:00"`) || !strings.Contains(got, `"zero":"0001-01-01T00:00:00Z"`) {
		t.Errorf("pointer or zero time: %s", got)
	}
	if strings.Count(got, "2026-11-24T02:00:00Z") != 2 { // the note and the raw form, as sent
		t.Errorf("a user's text changed: %s", got)
	}
	if in.When.Location() != time.UTC || in.Steps[0].At.Location() != time.UTC || opt.Location() != time.UTC || in.Self.When.Location() != time.UTC {
		t.Error("the value marshalled was changed")
	}
	for _, v := range []any{nil, 3, "x", []string{"a"}} {
		b.Reset()
		if err := vnJSON.Marshal(&b, v); err != nil {
			t.Errorf("%v: %v", v, err)
		}
	}
}
