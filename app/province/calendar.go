package province

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/motcua/motcua/app"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

func (a *Service) reloadCalendar(ctx context.Context) error {
	ss, err := a.Store.Schedules(ctx)
	if err != nil {
		return fmt.Errorf("load holiday schedules: %w", err)
	}
	c, err := calendar.New(calendar.DefaultOfficeHours(), ss...)
	if err != nil {
		return fmt.Errorf("load holiday schedules: %w", err)
	}
	a.calMu.Lock()
	a.cal = c
	a.agencyCals = map[string]*calendar.Calendar{}
	a.calMu.Unlock()
	return nil
}

// Calendar returns the province's working-day calendar with default office
// hours.
func (a *Service) Calendar() *calendar.Calendar {
	a.calMu.RLock()
	defer a.calMu.RUnlock()
	return a.cal
}

// AgencyCalendar returns the calendar with an agency's office hours
// (cached until the schedules or the agency change).
func (a *Service) AgencyCalendar(ctx context.Context, agencyID string) (*calendar.Calendar, error) {
	base := a.Calendar()
	if agencyID == "" {
		return base, nil
	}
	a.calMu.RLock()
	c, ok := a.agencyCals[agencyID]
	a.calMu.RUnlock()
	if ok {
		return c, nil
	}
	ag, err := a.Agency(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	c = base
	if !reflect.DeepEqual(ag.OfficeHours, base.Hours()) {
		ss, err := a.Store.Schedules(ctx)
		if err != nil {
			return nil, err
		}
		if c, err = calendar.New(ag.OfficeHours, ss...); err != nil {
			return nil, err
		}
	}
	a.calMu.Lock()
	if a.cal == base {
		a.agencyCals[agencyID] = c
	}
	a.calMu.Unlock()
	return c, nil
}

// forgetAgencyCalendar drops an agency's cached calendar.
func (a *Service) forgetAgencyCalendar(id string) {
	a.calMu.Lock()
	delete(a.agencyCals, id)
	a.calMu.Unlock()
}

// Due computes a due instant from a receipt instant.
func (a *Service) Due(ctx context.Context, agencyID string, from time.Time, days, hours int) (time.Time, error) {
	if days < 0 || hours < 0 || days > 3650 || hours > 10000 || (days > 0 && hours > 0) {
		return time.Time{}, errs.New(errs.Invalid, "due.invalid", "Số ngày hoặc số giờ làm việc không hợp lệ (chỉ một trong hai, không âm).", "invalid days or hours")
	}
	c, err := a.AgencyCalendar(ctx, agencyID)
	if err != nil {
		return time.Time{}, err
	}
	if hours > 0 {
		return c.DueHours(from, hours), nil
	}
	return c.DueDays(from, days), nil
}

// LoadSchedules stores official yearly holiday schedules (administrators)
// and applies them at once.
func (a *Service) LoadSchedules(ctx context.Context, ac app.Actor, ss []calendar.Schedule) error {
	if err := ac.Require(identity.PermCalendarManage, ""); err != nil {
		return err
	}
	if _, err := calendar.New(calendar.DefaultOfficeHours(), ss...); err != nil {
		return errs.Wrap(errs.Invalid, "schedule.invalid", "Lịch nghỉ không hợp lệ: "+err.Error(), "invalid schedule", err)
	}
	err := a.Store.Update(ctx, func(tx store.Tx) error {
		for _, s := range ss {
			if err := tx.PutSchedule(ctx, s); err != nil {
				return err
			}
			if err := a.Record(ctx, tx, ac, "calendar.schedule", fmt.Sprintf("schedule:%d", s.Year), s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load schedules: %w", err)
	}
	return a.reloadCalendar(ctx)
}

// DeleteSchedule removes a year's schedule: the rules apply again.
func (a *Service) DeleteSchedule(ctx context.Context, ac app.Actor, year int) error {
	if err := ac.Require(identity.PermCalendarManage, ""); err != nil {
		return err
	}
	err := a.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSchedule(ctx, year); err != nil {
			return err
		}
		return a.Record(ctx, tx, ac, "calendar.schedule_delete", fmt.Sprintf("schedule:%d", year), nil)
	})
	if err != nil {
		return err
	}
	return a.reloadCalendar(ctx)
}

// Schedules returns the loaded schedules.
func (a *Service) Schedules(ctx context.Context) ([]calendar.Schedule, error) {
	return a.Store.Schedules(ctx)
}
