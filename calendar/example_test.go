package calendar_test

import (
	"fmt"
	"time"

	"github.com/motcua/motcua/calendar"
)

func ExampleCalendar_DueDays() {
	cal, err := calendar.New(calendar.DefaultOfficeHours())
	if err != nil {
		panic(err)
	}
	const layout = "Mon 2006-01-02 15:04"
	for _, received := range []time.Time{
		time.Date(2026, time.March, 10, 9, 0, 0, 0, calendar.VN),     // Tuesday morning
		time.Date(2026, time.March, 10, 16, 0, 0, 0, calendar.VN),    // after the 15:00 cut-off
		time.Date(2026, time.February, 13, 10, 0, 0, 0, calendar.VN), // Friday before Tết
	} {
		due := cal.DueDays(received, 3)
		fmt.Printf("received %s → due %s\n", received.Format(layout), due.Format(layout))
	}
	// Output:
	// received Tue 2026-03-10 09:00 → due Fri 2026-03-13 09:00
	// received Tue 2026-03-10 16:00 → due Fri 2026-03-13 17:30
	// received Fri 2026-02-13 10:00 → due Wed 2026-02-25 10:00
}

func ExampleSolarToLunar() {
	tet := calendar.Date{Year: 2026, Month: time.February, Day: 17}
	fmt.Println(calendar.SolarToLunar(tet))
	leap, _ := calendar.LunarToSolar(calendar.LunarDate{Year: 2023, Month: 2, Day: 2, Leap: true})
	fmt.Println(leap)
	// Output:
	// 2026-01-01
	// 2023-03-23
}
