package calendar

import (
	"errors"
	"fmt"
	"time"
)

// TimeOfDay is a wall-clock time of day in Vietnam, in minutes since
// midnight. Valid values are 0 ("00:00") to 1440 ("24:00", the end of the
// day).
type TimeOfDay int

// EndOfDay is 24:00, the end of the day.
const EndOfDay TimeOfDay = 24 * 60

// ParseTimeOfDay parses "HH:MM" (exactly two digits each, 00:00–23:59, or
// 24:00 for the end of the day).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("parse time of day %q: want HH:MM", s)
	}
	h, ok1 := atoiDigits(s[0:2])
	m, ok2 := atoiDigits(s[3:5])
	if !ok1 || !ok2 {
		return 0, fmt.Errorf("parse time of day %q: want HH:MM", s)
	}
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("parse time of day %q: out of range 00:00-24:00", s)
	}
	return TimeOfDay(h*60 + m), nil
}

// IsValid reports whether t is within 00:00–24:00.
func (t TimeOfDay) IsValid() bool {
	return t >= 0 && t <= EndOfDay
}

// String formats t as "HH:MM"; an invalid value is shown as "TimeOfDay(n)".
func (t TimeOfDay) String() string {
	if !t.IsValid() {
		return fmt.Sprintf("TimeOfDay(%d)", int(t))
	}
	b := make([]byte, 0, 5)
	b = appendTwo(b, int(t)/60)
	b = append(b, ':')
	return string(appendTwo(b, int(t)%60))
}

// Duration returns t as the duration since midnight.
func (t TimeOfDay) Duration() time.Duration {
	return time.Duration(t) * time.Minute
}

// MarshalJSON formats t as the JSON string "HH:MM"; it fails for an
// invalid value.
func (t TimeOfDay) MarshalJSON() ([]byte, error) {
	if !t.IsValid() {
		return nil, fmt.Errorf("marshal time of day: %d minutes out of range 0-1440", int(t))
	}
	return []byte(`"` + t.String() + `"`), nil
}

// UnmarshalJSON parses the JSON string "HH:MM". JSON null leaves t
// unchanged.
func (t *TimeOfDay) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s, err := unquoteJSON(b)
	if err != nil {
		return fmt.Errorf("time of day: %w", err)
	}
	v, err := ParseTimeOfDay(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Period is a span of office hours within a day, from Start to End.
type Period struct {
	Start TimeOfDay `json:"start"`
	End   TimeOfDay `json:"end"`
}

// String formats p as "HH:MM–HH:MM".
func (p Period) String() string {
	return p.Start.String() + "–" + p.End.String()
}

// Duration returns the length of p.
func (p Period) Duration() time.Duration {
	return (p.End - p.Start).Duration()
}

// OfficeHours are the working periods of every working day and the daily
// cut-off: a dossier received after Cutoff counts as received on the next
// working day. A Cutoff of 24:00 means no cut-off.
type OfficeHours struct {
	Periods []Period  `json:"periods"`
	Cutoff  TimeOfDay `json:"cutoff"`
}

// DefaultOfficeHours returns the usual hours of Vietnamese public offices:
// 07:30–11:30 and 13:30–17:30, with dossiers received after 15:00 counted as
// received on the next working day.
func DefaultOfficeHours() OfficeHours {
	return OfficeHours{
		Periods: []Period{{7*60 + 30, 11*60 + 30}, {13*60 + 30, 17*60 + 30}},
		Cutoff:  15 * 60,
	}
}

// Validate checks h: at least one period; every period within 00:00–24:00
// with Start before End; periods in order and not overlapping (a period may
// start when the previous one ends); and Cutoff between the start of the
// first period and 24:00.
func (h OfficeHours) Validate() error {
	if len(h.Periods) == 0 {
		return errors.New("office hours: no periods")
	}
	for i, p := range h.Periods {
		if !p.Start.IsValid() || !p.End.IsValid() {
			return fmt.Errorf("office hours: periods[%d] %v: time out of range 00:00-24:00", i, p)
		}
		if p.Start >= p.End {
			return fmt.Errorf("office hours: periods[%d] %v: start is not before end", i, p)
		}
		if i > 0 && p.Start < h.Periods[i-1].End {
			return fmt.Errorf("office hours: periods[%d] %v: overlaps or precedes periods[%d] %v", i, p, i-1, h.Periods[i-1])
		}
	}
	if !h.Cutoff.IsValid() || h.Cutoff < h.Periods[0].Start {
		return fmt.Errorf("office hours: cutoff %v: must be between the first period start %v and 24:00 (24:00 means no cut-off)",
			h.Cutoff, h.Periods[0].Start)
	}
	return nil
}

// PerDay returns the working time of one working day: the total length of
// the periods (8h for DefaultOfficeHours).
func (h OfficeHours) PerDay() time.Duration {
	var d time.Duration
	for _, p := range h.Periods {
		if p.End > p.Start {
			d += p.Duration()
		}
	}
	return d
}

// clone returns a deep copy of h.
func (h OfficeHours) clone() OfficeHours {
	h.Periods = append([]Period(nil), h.Periods...)
	return h
}
