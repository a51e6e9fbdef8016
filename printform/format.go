package printform

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ict is Vietnam time. A fixed zone, so rendering needs no tzdata.
var ict = time.FixedZone("ICT", 7*3600)

// dots is the blank left for a value to be filled in by hand.
const dots = ".........."

// nfc returns s in NFC with line ends unified, tabs as spaces, other control
// characters dropped and characters outside the Basic Multilingual Plane
// (which the embedded font cannot show) replaced by U+FFFD.
func nfc(s string) string {
	s = norm.NFC.String(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// oneLine is nfc with line breaks and runs of spaces collapsed to one space,
// for values printed inside a sentence.
func oneLine(s string) string {
	return strings.Join(strings.Fields(nfc(s)), " ")
}

// upper is the Vietnamese upper case of s ("Ủy ban nhân dân" → "ỦY BAN NHÂN DÂN").
func upper(s string) string {
	return norm.NFC.String(strings.ToUpper(oneLine(s)))
}

// orDots returns the one-line form of s, or the dotted blank when s is empty.
func orDots(s string) string {
	if s = oneLine(s); s == "" {
		return dots
	}
	return s
}

// dayMonth writes the day and month of a date line: days 1–9 and months 1–2
// take a leading zero (Decree 30/2020/NĐ-CP, Appendix I), so "ngày 05 tháng 3"
// and "ngày 23 tháng 02".
func dayMonth(t time.Time) (day, month string) {
	t = t.In(ict)
	day = strconv.Itoa(t.Day())
	if t.Day() < 10 {
		day = "0" + day
	}
	month = strconv.Itoa(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return day, month
}

// dateLine is the place-and-date line of the heading:
// "Hà Nội, ngày 23 tháng 11 năm 2026". Without a place it starts "Ngày".
func dateLine(place string, t time.Time) string {
	day, month := dayMonth(t)
	s := fmt.Sprintf("ngày %s tháng %s năm %d", day, month, t.In(ict).Year())
	if place = oneLine(place); place == "" {
		return "N" + strings.TrimPrefix(s, "n")
	}
	return place + ", " + s
}

// dmy is a date as dd/mm/yyyy in Vietnam time, or the dotted blank.
func dmy(t time.Time) string {
	if t.IsZero() {
		return dots
	}
	return t.In(ict).Format("02/01/2006")
}

// clock is an instant as "09 giờ 05 phút, ngày 23/11/2026" (24-hour, Vietnam
// time), or a dotted blank of the same shape.
func clock(t time.Time) string {
	if t.IsZero() {
		return "..... giờ ..... phút, ngày ..../..../......"
	}
	t = t.In(ict)
	return fmt.Sprintf("%02d giờ %02d phút, ngày %s", t.Hour(), t.Minute(), t.Format("02/01/2006"))
}

// shortClock is an instant as "16:30 ngày 24/11/2026" (Vietnam time).
func shortClock(t time.Time) string {
	return t.In(ict).Format("15:04") + " ngày " + t.In(ict).Format("02/01/2006")
}

// cellTime is an instant for a narrow table cell: "23/11/2026 09:05", or ""
// for the zero time.
func cellTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(ict).Format("02/01/2006 15:04")
}

// money is an amount in Vietnamese style: "1.234.567 đồng".
func money(v int64) string {
	sign := ""
	u := uint64(v)
	if v < 0 {
		sign, u = "-", uint64(-(v+1))+1
	}
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	b.WriteString(" đồng")
	return b.String()
}

// twoDigits writes a count the way the forms do: 1 → "01", 12 → "12".
func twoDigits(n int) string {
	return fmt.Sprintf("%02d", n)
}

// handoverResult is the result column of form 06: "Quá hạn" when the step
// was late; "Trước hạn" when it was done on a calendar day before its
// deadline's; "Đúng hạn" otherwise; "" while the step is not finished.
func handoverResult(h Handover) string {
	switch {
	case h.OnTime == nil:
		return ""
	case !*h.OnTime:
		return "Quá hạn"
	case !h.DueAt.IsZero() && !h.DoneAt.IsZero() && civilDay(h.DoneAt) < civilDay(h.DueAt):
		return "Trước hạn"
	}
	return "Đúng hạn"
}

// civilDay numbers the calendar day of t in Vietnam time, for comparisons.
func civilDay(t time.Time) int {
	y, m, d := t.In(ict).Date()
	return y*10000 + int(m)*100 + d
}
