package ui

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/calendar"
)

// The pages show every instant in Vietnam time (calendar.VN, +07:00),
// whatever the zone the value carries or the machine runs in: handlers and
// templates write times only through these.
const (
	layoutDatetime = "15:04 02/01/2006"           // the pages' instants
	layoutDate     = "02/01/2006"                 // days
	layoutMonth    = "01/2006"                    // months of the dashboard
	layoutISODate  = "2006-01-02"                 // days in forms and links
	layoutInstant  = "15:04:05 02/01/2006 -07:00" // to the second, with the offset (signing times)
)

// vnFormat writes t in Vietnam time with layout; the zero time is "".
func vnFormat(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.VN).Format(layout)
}

// timeFunc is a template function writing a time.Time or *time.Time (nil:
// "") with layout; any other value is an error rather than a wrong date.
func timeFunc(layout string) func(any) (string, error) {
	return func(v any) (string, error) {
		switch x := v.(type) {
		case time.Time:
			return vnFormat(x, layout), nil
		case *time.Time:
			if x == nil {
				return "", nil
			}
			return vnFormat(*x, layout), nil
		}
		return "", fmt.Errorf("not a time: %T", v)
	}
}
