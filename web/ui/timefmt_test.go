package ui

import (
	"html"
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/results"
)

// Every time a page shows is Vietnam time, whatever the zone of the value
// or of the machine (here UTC).
func TestTimesInVietnam(t *testing.T) {
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC
	evening := time.Date(2026, 11, 23, 18, 30, 5, 0, time.UTC) // 01:30:05 on the 24th in Vietnam
	morning := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)   // 09:00 on the 23rd
	var nilTime *time.Time
	for _, tt := range []struct {
		name, tmpl string
		data       any
		want       string
	}{
		{"datetime, UTC evening", "{{datetime .}}", evening, "01:30 24/11/2026"},
		{"datetime, pointer", "{{datetime .}}", &evening, "01:30 24/11/2026"},
		{"datetime, UTC morning", "{{datetime .}}", morning, "09:00 23/11/2026"},
		{"datetime, another zone", "{{datetime .}}", evening.In(time.FixedZone("EST", -5*3600)), "01:30 24/11/2026"},
		{"datetime, nil", "{{datetime .}}", nilTime, ""},
		{"datetime, zero", "{{datetime .}}", time.Time{}, ""},
		{"date, UTC evening", "{{date .}}", evening, "24/11/2026"},
		{"date, pointer", "{{date .}}", &evening, "24/11/2026"},
		{"instant: seconds and offset", "{{instant .}}", evening, "01:30:05 24/11/2026 +07:00"},
		{"instant, nil", "{{instant .}}", nilTime, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := template.New("t").Funcs(pageFuncs).Parse(tt.tmpl)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := tm.Execute(&b, tt.data); err != nil {
				t.Fatal(err)
			}
			if got := html.UnescapeString(b.String()); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.tmpl, got, tt.want)
			}
		})
	}
	// A value that is not a time is an error, not year 1.
	tm := template.Must(template.New("t").Funcs(pageFuncs).Parse("{{datetime .}}"))
	if err := tm.Execute(&strings.Builder{}, "2026-11-23"); err == nil {
		t.Error("datetime of a string: no error")
	}
	// The helpers of the handlers.
	for _, tt := range []struct{ name, got, want string }{
		{"dashDate", dashDate(evening), "24/11/2026"},
		{"admDatetime", admDatetime(evening), "01:30 24/11/2026"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// The verification page shows the signing time and the date of issue in
// Vietnam time, the signing time to the second with its offset.
func TestVerifyPageTimes(t *testing.T) {
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC
	ps, err := loadPages()
	if err != nil {
		t.Fatal(err)
	}
	signed := time.Date(2026, 11, 23, 18, 30, 5, 0, time.UTC)
	d := verifyData{page: page{Lang: "vi"}, Checked: true, Valid: true, Signer: "UBND phường Ba Đình",
		Checks:      []checkRow{{Title: "Thời hạn chứng thư", OK: true, Message: "…"}},
		SigningTime: &signed, Stored: &results.ResultFacts{IssuedAt: signed}, Matches: true}
	var b strings.Builder
	if err := ps["verify"].ExecuteTemplate(&b, "layout", d); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(b.String()) // + is written &#43;
	for _, want := range []string{"<dd>01:30:05 24/11/2026 +07:00</dd>", "<dd>01:30 24/11/2026</dd>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "+00:00") || strings.Contains(page, "18:30") {
		t.Error("the page shows the time in UTC")
	}
}
