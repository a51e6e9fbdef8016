package calendar

import (
	"fmt"
	"math"
)

// This file implements the Vietnamese lunisolar calendar following the
// method published by Hồ Ngọc Đức ("Lịch Việt Nam", amlich): new moons are
// computed with the truncated series from Jean Meeus' "Astronomical
// Algorithms", the sun's longitude with the low-precision formula from the
// same book, and every day boundary is taken in the time zone UTC+7. The
// time zone is what makes the Vietnamese calendar differ from the Chinese
// one (UTC+8) in some years, e.g. Tết 1985 and Tết 2007.
//
// The implementation is written from the published description; it does
// not reuse any third-party source.

// tzHours is the time zone of the Vietnamese calendar, in hours east of UTC.
const tzHours = 7.0

const (
	// synodicMonth is the mean length of a lunation in days.
	synodicMonth = 29.530588853
	// newMoonEpoch is the Julian date of the new moon of 1900-01-01 13:52 UTC,
	// the origin of the lunation index used below.
	newMoonEpoch = 2415021.076998695
	degree       = math.Pi / 180
)

// LunarDate is a date in the Vietnamese lunisolar calendar (âm lịch).
// Year is the number of the lunar year as the Gregorian year in which it
// mostly falls, Month is 1–12, Day is 1–30 and Leap marks an intercalary
// month (tháng nhuận), which carries the number of the month it follows.
type LunarDate struct {
	Year  int  `json:"year"`
	Month int  `json:"month"`
	Day   int  `json:"day"`
	Leap  bool `json:"leap,omitempty"`
}

// String formats l as "YYYY-MM-DD" with the suffix " (nhuận)" for a day of a
// leap month.
func (l LunarDate) String() string {
	s := fmt.Sprintf("%04d-%02d-%02d", l.Year, l.Month, l.Day)
	if l.Leap {
		s += " (nhuận)"
	}
	return s
}

// floorInt is the floor of x as an int (the INT of the published algorithm).
func floorInt(x float64) int {
	return int(math.Floor(x))
}

// newMoonDay returns the Julian day number (of the local civil day, UTC+7)
// on which the k-th new moon after the epoch new moon falls.
func newMoonDay(k int) int {
	kf := float64(k)
	t := kf / 1236.85 // Julian centuries since 1900-01-01
	t2 := t * t
	t3 := t2 * t
	mean := 2415020.75933 + 29.53058868*kf + 0.0001178*t2 - 0.000000155*t3
	mean += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*degree)
	sunAnomaly := (359.2242 + 29.10535608*kf - 0.0000333*t2 - 0.00000347*t3) * degree
	moonAnomaly := (306.0253 + 385.81691806*kf + 0.0107306*t2 + 0.00001236*t3) * degree
	latitude := (21.2964 + 390.67050646*kf - 0.0016528*t2 - 0.00000239*t3) * degree

	corr := (0.1734-0.000393*t)*math.Sin(sunAnomaly) + 0.0021*math.Sin(2*sunAnomaly)
	corr += -0.4068*math.Sin(moonAnomaly) + 0.0161*math.Sin(2*moonAnomaly)
	corr += -0.0004 * math.Sin(3*moonAnomaly)
	corr += 0.0104*math.Sin(2*latitude) - 0.0051*math.Sin(sunAnomaly+moonAnomaly)
	corr += -0.0074*math.Sin(sunAnomaly-moonAnomaly) + 0.0004*math.Sin(2*latitude+sunAnomaly)
	corr += -0.0004*math.Sin(2*latitude-sunAnomaly) - 0.0006*math.Sin(2*latitude+moonAnomaly)
	corr += 0.0010*math.Sin(2*latitude-moonAnomaly) + 0.0005*math.Sin(2*moonAnomaly+sunAnomaly)

	var deltaT float64 // ΔT in days
	if t < -11 {
		deltaT = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltaT = -0.000278 + 0.000265*t + 0.000262*t2
	}
	jd := mean + corr - deltaT
	return floorInt(jd + 0.5 + tzHours/24)
}

// sunSector returns the sun's apparent longitude at local midnight starting
// day jdn, as the index 0–11 of the 30° sector it is in (sector 9 starts at
// the winter solstice, 270°).
func sunSector(jdn int) int {
	t := (float64(jdn) - 2451545.5 - tzHours/24) / 36525 // centuries since J2000
	t2 := t * t
	anomaly := (357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2) * degree
	mean := 280.46645 + 36000.76983*t + 0.0003032*t2
	center := (1.914600-0.004817*t-0.000014*t2)*math.Sin(anomaly) +
		(0.019993-0.000101*t)*math.Sin(2*anomaly) + 0.000290*math.Sin(3*anomaly)
	lon := (mean + center) * degree
	lon -= 2 * math.Pi * math.Floor(lon/(2*math.Pi))
	return floorInt(lon / math.Pi * 6)
}

// month11Start returns the Julian day number of the first day of lunar
// month 11 (the month containing the winter solstice) that begins in
// Gregorian year y.
func month11Start(y int) int {
	off := float64(julianDay(Date{y, 12, 31})) - 2415021
	k := floorInt(off / synodicMonth)
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 { // the solstice is already past: take the previous one
		nm = newMoonDay(k - 1)
	}
	return nm
}

// lunationIndex returns the index k of the new moon that starts on day jdn.
func lunationIndex(jdn int) int {
	return floorInt((float64(jdn)-newMoonEpoch)/synodicMonth + 0.5)
}

// leapMonthOffset returns, for a lunar year whose month 11 starts on day
// a11 and which has 13 months, the position (counted in months after month
// 11) of the leap month: the first month that contains no major solar term.
func leapMonthOffset(a11 int) int {
	k := lunationIndex(a11)
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// julianDay returns the Julian day number of d (proleptic Gregorian calendar).
func julianDay(d Date) int {
	return daysFromCivil(d.Year, d.Month, d.Day) + julianDayOfEpoch
}

// julianDayOfEpoch is the Julian day number of 1970-01-01.
const julianDayOfEpoch = 2440588

// dateOfJulianDay is the inverse of julianDay.
func dateOfJulianDay(jdn int) Date {
	return dateOfDays(jdn - julianDayOfEpoch)
}

// SolarToLunar converts the Gregorian date d to the Vietnamese lunar
// calendar (time zone UTC+7), following Hồ Ngọc Đức's algorithm. Results are
// reliable roughly for the years 1800–2199, the range the astronomical
// series was fitted for.
func SolarToLunar(d Date) LunarDate {
	day := julianDay(d)
	// The first day of the lunar month containing day: the last new moon
	// on or before it. The estimate k from the mean lunation can be one too
	// high near a new moon (the published code then yields day 0, e.g. for
	// 2054-05-07), so step back as long as needed.
	k := floorInt((float64(day)-newMoonEpoch)/synodicMonth) + 1
	monthStart := newMoonDay(k)
	for monthStart > day {
		k--
		monthStart = newMoonDay(k)
	}
	a11 := month11Start(d.Year)
	b11 := a11
	var year int
	if a11 >= monthStart {
		year = d.Year
		a11 = month11Start(d.Year - 1)
	} else {
		year = d.Year + 1
		b11 = month11Start(d.Year + 1)
	}
	l := LunarDate{Day: day - monthStart + 1}
	diff := floorInt(float64(monthStart-a11) / 29)
	l.Month = diff + 11
	if b11-a11 > 365 { // 13 lunations between the two month 11s: a leap year
		leap := leapMonthOffset(a11)
		if diff >= leap {
			l.Month = diff + 10
			l.Leap = diff == leap
		}
	}
	if l.Month > 12 {
		l.Month -= 12
	}
	if l.Month >= 11 && diff < 4 {
		year--
	}
	l.Year = year
	return l
}

// lunarMonthStart returns the Julian day number of the first day of lunar
// month (year, month, leap) and the first day of the month after it, or an
// error if the year has no such month.
func lunarMonthStart(year, month int, leap bool) (start, next int, err error) {
	if month < 1 || month > 12 {
		return 0, 0, fmt.Errorf("lunar month %d out of range 1-12", month)
	}
	var a11, b11 int
	if month < 11 {
		a11 = month11Start(year - 1)
		b11 = month11Start(year)
	} else {
		a11 = month11Start(year)
		b11 = month11Start(year + 1)
	}
	off := month - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && month != leapMonth {
			return 0, 0, fmt.Errorf("lunar year %d has no leap month %d (its leap month is %d)", year, month, leapMonth)
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return 0, 0, fmt.Errorf("lunar year %d has no leap month", year)
	}
	k := lunationIndex(a11)
	return newMoonDay(k + off), newMoonDay(k + off + 1), nil
}

// LunarToSolar converts a Vietnamese lunar date to the Gregorian calendar.
// It returns an error if that lunar date does not exist: a month outside
// 1–12, a leap month the year does not have, or a day past the end of a
// 29-day month.
func LunarToSolar(l LunarDate) (Date, error) {
	if l.Year < minLunarYear || l.Year > maxLunarYear {
		return Date{}, fmt.Errorf("lunar date %v: year out of supported range %d-%d", l, minLunarYear, maxLunarYear)
	}
	start, next, err := lunarMonthStart(l.Year, l.Month, l.Leap)
	if err != nil {
		return Date{}, fmt.Errorf("lunar date %v: %w", l, err)
	}
	if l.Day < 1 || l.Day > next-start {
		return Date{}, fmt.Errorf("lunar date %v: day %d out of range 1-%d", l, l.Day, next-start)
	}
	return dateOfJulianDay(start + l.Day - 1), nil
}

// The range of lunar years LunarToSolar accepts; far outside it the
// astronomical series is meaningless and the arithmetic could overflow.
const (
	minLunarYear = -10000
	maxLunarYear = 10000
)
