package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// ScheduleDay is one day of a Schedule with its name, e.g. the reason a day
// is off or which day a working Saturday makes up for.
type ScheduleDay struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// Schedule is the official schedule of days off of one year, as decided by
// the Prime Minister and announced by the Ministry (for civil servants). A
// Schedule replaces the holiday rules for its year entirely: in that year
// the days off are exactly DaysOff plus the Saturdays and Sundays not listed
// in WorkingDays, and no make-up days are added.
type Schedule struct {
	// Year is the solar year the schedule covers.
	Year int `json:"year"`
	// DaysOff are the days off other than ordinary weekends (they may also
	// list Saturdays and Sundays that belong to a holiday break).
	DaysOff []ScheduleDay `json:"days_off"`
	// WorkingDays are Saturdays and Sundays that are working days, e.g.
	// to make up for a weekday swapped into a holiday break.
	WorkingDays []ScheduleDay `json:"working_days"`
	// Source names the decision or notice the schedule comes from.
	Source string `json:"source,omitempty"`
}

// The years a Schedule may cover.
const (
	minScheduleYear = 1900
	maxScheduleYear = 2199
)

// Validate checks s: Year in 1900–2199, every date valid and within Year,
// no date listed twice, no date both off and working, and every working day
// a Saturday or Sunday. Errors name the offending entry.
func (s Schedule) Validate() error {
	if s.Year < minScheduleYear || s.Year > maxScheduleYear {
		return fmt.Errorf("schedule year %d: out of range %d-%d", s.Year, minScheduleYear, maxScheduleYear)
	}
	seen := make(map[Date]string, len(s.DaysOff)+len(s.WorkingDays))
	check := func(field string, i int, d ScheduleDay) error {
		entry := fmt.Sprintf("schedule %d: %s[%d] %v %q", s.Year, field, i, d.Date, d.Name)
		if !d.Date.IsValid() {
			return fmt.Errorf("%s: invalid date", entry)
		}
		if d.Date.Year != s.Year {
			return fmt.Errorf("%s: date not in year %d", entry, s.Year)
		}
		if prev, dup := seen[d.Date]; dup {
			return fmt.Errorf("%s: date already listed in %s", entry, prev)
		}
		seen[d.Date] = fmt.Sprintf("%s[%d]", field, i)
		return nil
	}
	for i, d := range s.DaysOff {
		if err := check("days_off", i, d); err != nil {
			return err
		}
	}
	for i, d := range s.WorkingDays {
		if err := check("working_days", i, d); err != nil {
			return err
		}
		if wd := d.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return fmt.Errorf("schedule %d: working_days[%d] %v %q: is a %v, not a Saturday or Sunday",
				s.Year, i, d.Date, d.Name, wd)
		}
	}
	return nil
}

// clone returns a deep copy of s.
func (s Schedule) clone() Schedule {
	s.DaysOff = append([]ScheduleDay(nil), s.DaysOff...)
	s.WorkingDays = append([]ScheduleDay(nil), s.WorkingDays...)
	return s
}

// maxScheduleInput bounds the size of the input ParseSchedules reads.
const maxScheduleInput = 16 << 20

// ParseSchedules reads schedules as JSON: either one Schedule object or an
// array of them. Parsing is strict: unknown fields, trailing data, invalid
// dates and the errors Schedule.Validate reports are rejected, and years
// must be unique. Errors name the offending entry.
func ParseSchedules(r io.Reader) ([]Schedule, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxScheduleInput+1))
	if err != nil {
		return nil, fmt.Errorf("parse schedules: read: %w", err)
	}
	if len(data) > maxScheduleInput {
		return nil, fmt.Errorf("parse schedules: input larger than %d bytes", maxScheduleInput)
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("parse schedules: empty input")
	}
	var raws []json.RawMessage
	single := data[0] != '['
	if single {
		raws = []json.RawMessage{data}
	} else if err := decodeStrict(data, &raws); err != nil {
		return nil, fmt.Errorf("parse schedules: %w", err)
	}
	out := make([]Schedule, 0, len(raws))
	years := make(map[int]int, len(raws))
	for i, raw := range raws {
		where := "parse schedules"
		if !single {
			where = fmt.Sprintf("parse schedules: [%d]", i)
		}
		var s Schedule
		if err := decodeStrict(raw, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if err := s.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if j, dup := years[s.Year]; dup {
			return nil, fmt.Errorf("%s: schedule %d: year already given by [%d]", where, s.Year, j)
		}
		years[s.Year] = i
		out = append(out, s)
	}
	return out, nil
}

// decodeStrict decodes exactly one JSON value from data into v, rejecting
// unknown fields, null and trailing data.
func decodeStrict(data []byte, v any) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return errors.New("null is not allowed here")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}
