// Package calendar is the Vietnamese working-day calendar used to compute
// processing deadlines in public administration: office hours with a
// daily cut-off, public holidays (including the lunar ones, computed with
// Hồ Ngọc Đức's algorithm for the Vietnamese lunar calendar), make-up days
// off, and yearly schedules decided by the government that replace the
// rules for their year.
//
// Every instant the package returns is in [VN] (UTC+7); instants passed in
// may be in any zone and are converted first. The package does no I/O
// besides reading schedules from an [io.Reader].
package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// VN is Vietnam's time zone, UTC+7, without daylight saving time.
var VN = time.FixedZone("ICT", 7*60*60)

// Date is a civil (calendar) date with no time of day and no time zone.
// The zero Date is not a valid date. Dates compare with ==.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of the instant t in Vietnam (UTC+7).
func DateOf(t time.Time) Date {
	y, m, d := t.In(VN).Date()
	return Date{y, m, d}
}

// ParseDate parses a date in the form "YYYY-MM-DD" (four-digit year, two-digit
// month and day) and checks that it exists.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	y, ok1 := atoiDigits(s[0:4])
	m, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("parse date %q: want YYYY-MM-DD", s)
	}
	date := Date{y, time.Month(m), d}
	if !date.IsValid() {
		return Date{}, fmt.Errorf("parse date %q: no such day", s)
	}
	return date, nil
}

// atoiDigits parses s, which must consist of ASCII digits only.
func atoiDigits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// IsValid reports whether d is an existing date of the (proleptic)
// Gregorian calendar with a year in 1–9999.
func (d Date) IsValid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeapYear(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

func isLeapYear(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

// String formats d as "YYYY-MM-DD".
func (d Date) String() string {
	var b [10]byte
	return string(d.appendFormat(b[:0]))
}

func (d Date) appendFormat(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 {
		b = strconv.AppendInt(b, int64(d.Year), 10)
	} else {
		b = append(b, byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10))
	}
	b = append(b, '-')
	b = appendTwo(b, int(d.Month))
	b = append(b, '-')
	return appendTwo(b, d.Day)
}

// appendTwo appends n with at least two digits.
func appendTwo(b []byte, n int) []byte {
	if n >= 0 && n < 100 {
		return append(b, byte('0'+n/10), byte('0'+n%10))
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// days returns the number of days from 1970-01-01 to d (negative before).
// Out-of-range months and days are normalised like time.Date does.
func (d Date) days() int {
	return daysFromCivil(d.Year, d.Month, d.Day)
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (Howard Hinnant's days_from_civil, extended
// to normalise months outside 1–12).
func daysFromCivil(y int, m time.Month, d int) int {
	mm := int(m) - 1
	y += floorDiv(mm, 12)
	mm = mm - 12*floorDiv(mm, 12) + 1 // 1..12
	if mm <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400 // [0, 399]
	mp := (mm + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDays is the inverse of daysFromCivil.
func dateOfDays(z int) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100) // [0, 365]
	mp := (5*doy + 2) / 153                  // [0, 11]
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}

// floorDiv returns ⌊a/b⌋ for b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return weekdayOfDays(d.days())
}

// weekdayOfDays returns the weekday of the day numbered z (1970-01-01 was a
// Thursday).
func weekdayOfDays(z int) time.Weekday {
	return time.Weekday((z%7 + 7 + 4) % 7)
}

// AddDays returns the date n days after d (before it if n < 0).
func (d Date) AddDays(n int) Date {
	return dateOfDays(d.days() + n)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// In returns the instant of midnight starting d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText formats d as "YYYY-MM-DD"; it fails for an invalid date.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("marshal date %v: invalid date", d)
	}
	return d.appendFormat(make([]byte, 0, 10)), nil
}

// UnmarshalText parses "YYYY-MM-DD" like ParseDate.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON formats d as the JSON string "YYYY-MM-DD"; it fails for an
// invalid date.
func (d Date) MarshalJSON() ([]byte, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("marshal date %v: invalid date", d)
	}
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.appendFormat(b)
	return append(b, '"'), nil
}

// UnmarshalJSON parses the JSON string "YYYY-MM-DD". JSON null leaves d
// unchanged, as encoding/json does for other types.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s, err := unquoteJSON(b)
	if err != nil {
		return fmt.Errorf("date: %w", err)
	}
	return d.UnmarshalText([]byte(s))
}

var errNotString = errors.New("want a JSON string")

// unquoteJSON returns the contents of a simple JSON string literal: the
// formats handled here never need escapes, so any backslash is rejected.
func unquoteJSON(b []byte) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", errNotString
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') >= 0 || bytes.IndexByte(inner, '"') >= 0 {
		return "", fmt.Errorf("unexpected escape in %s", b)
	}
	return string(inner), nil
}
