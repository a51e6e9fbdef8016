package ui

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
)

// admDate formats a date as dd/mm/yyyy.
func admDate(d calendar.Date) string {
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// admParseDate reads dd/mm/yyyy (or d/m/yyyy) or yyyy-mm-dd.
func admParseDate(s string) (calendar.Date, bool) {
	if d, err := calendar.ParseDate(s); err == nil {
		return d, true
	}
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return calendar.Date{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return calendar.Date{}, false
		}
		n[i] = v
	}
	d := calendar.Date{Year: n[2], Month: time.Month(n[1]), Day: n[0]}
	return d, d.IsValid()
}

// admDayLines formats schedule days one per line: "dd/mm/yyyy Name".
func admDayLines(ds []calendar.ScheduleDay) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(admDate(d.Date))
		if d.Name != "" {
			b.WriteString(" " + d.Name)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// admParseDayLines reads the lines of a textarea as schedule days, naming
// each bad line in Vietnamese under field.
func admParseDayLines(text, field, what, defaultName string, year int, seen map[calendar.Date]string, weekendOnly bool) ([]calendar.ScheduleDay, []errs.FieldError) {
	var out []calendar.ScheduleDay
	var fe []errs.FieldError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		bad := func(msg string) {
			fe = append(fe, errs.FieldError{Field: field, Key: "invalid", Message: fmt.Sprintf("%s, dòng %d (%q): %s", what, i+1, line, msg)})
		}
		date, name, _ := strings.Cut(line, " ")
		name = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(name), "-–:"))
		d, ok := admParseDate(date)
		switch {
		case !ok:
			bad("ngày không hợp lệ, cần dạng dd/mm/yyyy.")
			continue
		case d.Year != year:
			bad(fmt.Sprintf("ngày không thuộc năm %d.", year))
			continue
		case seen[d] != "":
			bad("ngày đã có trong " + seen[d] + ".")
			continue
		case weekendOnly && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday:
			bad(fmt.Sprintf("ngày làm bù phải là thứ Bảy hoặc Chủ nhật (ngày này là %s).", translate("vi", weekdayKey(d.Weekday()))))
			continue
		}
		seen[d] = strings.ToLower(what)
		if name == "" {
			name = defaultName
		}
		if len(name) > 200 {
			bad("tên quá dài (tối đa 200 ký tự).")
			continue
		}
		out = append(out, calendar.ScheduleDay{Date: d, Name: name})
	}
	return out, fe
}

// admHolidayRow is a day off; its weekday and kind are keys.
type admHolidayRow struct{ Date, WeekdayKey, Name, KindKey string }

type admCalendarData struct {
	adminPage
	Year, Prev, Next         int
	Holidays                 []admHolidayRow
	HasSchedule              bool
	DaysOff, Working, Source string
}

func (s *Server) adminShowCalendar(w http.ResponseWriter, r *http.Request, data admCalendarData, status int, keep bool) {
	ss, err := s.app.Province.Schedules(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	data.Prev, data.Next = data.Year-1, data.Year+1
	for _, sc := range ss {
		if sc.Year == data.Year {
			data.HasSchedule = true
			if !keep {
				data.DaysOff, data.Working, data.Source = admDayLines(sc.DaysOff), admDayLines(sc.WorkingDays), sc.Source
			}
		}
	}
	hs := s.app.Province.Calendar().Holidays(data.Year)
	for _, h := range hs {
		data.Holidays = append(data.Holidays, admHolidayRow{admDate(h.Date), weekdayKey(h.Date.Weekday()), h.Name, keyOr("holiday_kind."+h.Kind, h.Kind)})
	}
	if !data.HasSchedule && !keep {
		// Start from the days the rules give: a schedule replaces them.
		var ds []calendar.ScheduleDay
		for _, h := range hs {
			ds = append(ds, calendar.ScheduleDay{Date: h.Date, Name: h.Name})
		}
		data.DaysOff = admDayLines(ds)
	}
	s.render(w, status, "admin_calendar", data)
}

func admYear(s string, def int) (int, bool) {
	if s == "" {
		return def, true
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= 1901 && y <= 2199
}

// adminCalendar shows a year's days off (computed with the loaded
// schedules) and the form of that year's official schedule.
func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.admin(w, r, 0); !ok {
		return
	}
	data := admCalendarData{adminPage: adminPage{page: s.base(w, r, "admin.section.calendar")}}
	y, ok := admYear(r.URL.Query().Get("nam"), s.app.Kernel.Now().In(admVN).Year())
	if !ok {
		s.errorPage(w, r, errs.New(errs.Invalid, "year.invalid", "Năm phải từ 1901 đến 2199.", "year out of range"))
		return
	}
	data.Year = y
	switch {
	case r.URL.Query().Get("da-luu") != "":
		data.Notice = data.T("admin.calendar.saved")
	case r.URL.Query().Get("da-xoa") != "":
		data.Notice = data.T("admin.calendar.removed")
	}
	s.adminShowCalendar(w, r, data, http.StatusOK, false)
}

// adminSaveSchedule stores the year's schedule through LoadSchedules.
func (s *Server) adminSaveSchedule(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 256<<10)
	if !ok {
		return
	}
	data := admCalendarData{adminPage: adminPage{page: s.base(w, r, "admin.section.calendar")},
		DaysOff: r.PostFormValue("days_off"), Working: r.PostFormValue("working_days"), Source: strings.TrimSpace(r.PostFormValue("source"))}
	y, ok := admYear(r.PostFormValue("year"), 0)
	if !ok || y == 0 {
		s.errorPage(w, r, errs.New(errs.Invalid, "year.invalid", "Năm phải từ 1901 đến 2199.", "year out of range"))
		return
	}
	data.Year = y
	seen := map[calendar.Date]string{}
	off, fe := admParseDayLines(data.DaysOff, "days_off", "Ngày nghỉ", "Ngày nghỉ theo lịch", y, seen, false)
	working, fe2 := admParseDayLines(data.Working, "working_days", "Ngày làm bù", "Làm bù", y, seen, true)
	fe = append(fe, fe2...)
	if len(data.Source) > 500 {
		fe = append(fe, errs.FieldError{Field: "source", Key: "too_long", Message: "Căn cứ quá dài (tối đa 500 ký tự)."})
	}
	if len(fe) > 0 {
		data.Error = data.T("admin.calendar.not_saved")
		data.addFields(fe)
		s.adminShowCalendar(w, r, data, http.StatusUnprocessableEntity, true)
		return
	}
	sc := calendar.Schedule{Year: y, DaysOff: off, WorkingDays: working, Source: data.Source}
	if sc.DaysOff == nil {
		sc.DaysOff = []calendar.ScheduleDay{}
	}
	if sc.WorkingDays == nil {
		sc.WorkingDays = []calendar.ScheduleDay{}
	}
	if err := s.app.Province.LoadSchedules(r.Context(), ac, []calendar.Schedule{sc}); err != nil {
		status := s.adminFail(r, &data.adminPage, err)
		s.adminShowCalendar(w, r, data, status, true)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/lich?nam=%d&da-luu=1", y), http.StatusSeeOther)
}

// adminDeleteSchedule removes the year's schedule: the rules apply again.
func (s *Server) adminDeleteSchedule(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 16<<10)
	if !ok {
		return
	}
	y, ok := admYear(r.PostFormValue("year"), 0)
	if !ok || y == 0 {
		s.errorPage(w, r, errs.New(errs.Invalid, "year.invalid", "Năm phải từ 1901 đến 2199.", "year out of range"))
		return
	}
	if err := s.app.Province.DeleteSchedule(r.Context(), ac, y); err != nil {
		data := admCalendarData{adminPage: adminPage{page: s.base(w, r, "admin.section.calendar")}, Year: y}
		status := s.adminFail(r, &data.adminPage, err)
		s.adminShowCalendar(w, r, data, status, false)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/lich?nam=%d&da-xoa=1", y), http.StatusSeeOther)
}
