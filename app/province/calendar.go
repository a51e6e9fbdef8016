package province

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/store"
)

func (s *Service) reloadCalendar(ctx context.Context) error {
	ss, err := s.db.Schedules(ctx)
	if err != nil {
		return fmt.Errorf("load holiday schedules: %w", err)
	}
	c, err := calendar.New(calendar.DefaultOfficeHours(), ss...)
	if err != nil {
		return fmt.Errorf("load holiday schedules: %w", err)
	}
	s.calMu.Lock()
	s.cal = c
	s.agencyCals = map[string]*calendar.Calendar{}
	s.calMu.Unlock()
	return nil
}

// Calendar returns the province's working-day calendar with default office
// hours.
func (s *Service) Calendar() *calendar.Calendar {
	s.calMu.RLock()
	defer s.calMu.RUnlock()
	return s.cal
}

// AgencyCalendar returns the calendar with an agency's office hours
// (cached until the schedules or the agency change).
func (s *Service) AgencyCalendar(ctx context.Context, agencyID string) (*calendar.Calendar, error) {
	base := s.Calendar()
	if agencyID == "" {
		return base, nil
	}
	s.calMu.RLock()
	c, ok := s.agencyCals[agencyID]
	s.calMu.RUnlock()
	if ok {
		return c, nil
	}
	ag, err := s.Agency(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	c = base
	if !reflect.DeepEqual(ag.OfficeHours, base.Hours()) {
		ss, err := s.db.Schedules(ctx)
		if err != nil {
			return nil, err
		}
		if c, err = calendar.New(ag.OfficeHours, ss...); err != nil {
			return nil, err
		}
	}
	s.calMu.Lock()
	if s.cal == base {
		s.agencyCals[agencyID] = c
	}
	s.calMu.Unlock()
	return c, nil
}

// forgetAgencyCalendar drops an agency's cached calendar.
func (s *Service) forgetAgencyCalendar(id string) {
	s.calMu.Lock()
	delete(s.agencyCals, id)
	s.calMu.Unlock()
}

// Due computes a due instant from a receipt instant.
func (s *Service) Due(ctx context.Context, agencyID string, from time.Time, days, hours int) (time.Time, error) {
	if days < 0 || hours < 0 || days > 3650 || hours > 10000 || (days > 0 && hours > 0) {
		return time.Time{}, errs.New(errs.Invalid, "due.invalid", "Số ngày hoặc số giờ làm việc không hợp lệ (chỉ một trong hai, không âm).", "invalid days or hours")
	}
	if !calendar.InRange(from) {
		return time.Time{}, errs.InvalidFields("due.invalid", "Thời điểm bắt đầu phải trong các năm 1900–2199.", "from out of range",
			[]errs.FieldError{{Field: "from", Key: "range", Message: fmt.Sprintf("Thời điểm bắt đầu phải trong các năm %d–%d.", calendar.MinYear, calendar.MaxYear)}})
	}
	c, err := s.AgencyCalendar(ctx, agencyID)
	if err != nil {
		return time.Time{}, err
	}
	due := c.DueDays(from, days)
	if hours > 0 {
		due = c.DueHours(from, hours)
	}
	if !calendar.InRange(due) {
		return time.Time{}, errs.InvalidFields("due.invalid", "Hạn tính ra vượt quá năm 2199.", "due out of range",
			[]errs.FieldError{{Field: "from", Key: "range", Message: fmt.Sprintf("Hạn tính ra phải trong các năm %d–%d.", calendar.MinYear, calendar.MaxYear)}})
	}
	return due, nil
}

// LoadSchedules stores official yearly holiday schedules (administrators)
// and applies them at once.
func (s *Service) LoadSchedules(ctx context.Context, ac identity.Actor, ss []calendar.Schedule) error {
	if err := ac.Require(identity.PermCalendarManage, ""); err != nil {
		return err
	}
	if _, err := calendar.New(calendar.DefaultOfficeHours(), ss...); err != nil {
		return errs.Wrap(errs.Invalid, "schedule.invalid", "Lịch nghỉ không hợp lệ: "+err.Error(), "invalid schedule", err)
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		for _, sc := range ss {
			if err := tx.PutSchedule(ctx, sc); err != nil {
				return err
			}
			if err := s.Record(ctx, tx, ac, "calendar.schedule", fmt.Sprintf("schedule:%d", sc.Year), sc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load schedules: %w", err)
	}
	return s.reloadCalendar(ctx)
}

// DeleteSchedule removes a year's schedule: the rules apply again.
func (s *Service) DeleteSchedule(ctx context.Context, ac identity.Actor, year int) error {
	if err := ac.Require(identity.PermCalendarManage, ""); err != nil {
		return err
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteSchedule(ctx, year); err != nil {
			return err
		}
		return s.Record(ctx, tx, ac, "calendar.schedule_delete", fmt.Sprintf("schedule:%d", year), nil)
	})
	if err != nil {
		return err
	}
	return s.reloadCalendar(ctx)
}

// Schedules returns the loaded schedules.
func (s *Service) Schedules(ctx context.Context) ([]calendar.Schedule, error) {
	return s.db.Schedules(ctx)
}
