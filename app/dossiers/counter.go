package dossiers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

// receiveCalendar checks that a dossier to be received on submission comes
// in at a counter and returns the competent agency's calendar for its
// deadline (nil when not receiving).
func (s *Service) receiveCalendar(ctx context.Context, receive bool, counter, competent string) (*calendar.Calendar, error) {
	if !receive {
		return nil, nil
	}
	if counter == "" {
		return nil, errs.New(errs.Forbidden, "dossier.counter_only", "Chỉ hồ sơ nộp tại bộ phận một cửa được tiếp nhận ngay khi nộp.", "only a counter's dossier is received on submission")
	}
	cal, err := s.prov.AgencyCalendar(ctx, competent)
	if err != nil {
		return nil, fmt.Errorf("receive on submission: %w", err)
	}
	return cal, nil
}

// receiveAtCounter receives a dossier just created in tx by the counter
// that submitted it: the receive action, its audit entry and outbox event
// join the submission's transaction.
func (s *Service) receiveAtCounter(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, cal *calendar.Calendar, now time.Time) error {
	if err := dossier.Apply(d, identity.ActorOf(ac.Account), dossier.Request{Action: dossier.ActReceive}, dossier.Env{Now: now, Calendar: cal}); err != nil {
		return err
	}
	if err := tx.UpdateDossier(ctx, d); err != nil {
		return err
	}
	return s.dossierChanged(ctx, tx, ac, d, dossier.ActReceive)
}

// CounterPerson is what a counter learns of a walk-in applicant from their
// citizen ID: the platform's accounts with that ID and their dossiers.
// The population dataset's record, when there is one, prefills the form.
type CounterPerson struct {
	CitizenID string
	Accounts  []identity.Account
	Dossiers  []dossier.Dossier // of those accounts, newest first
	// Person is the population dataset's record of the citizen, limited to
	// the fields a counter may read to prefill a form; nil if none.
	Person *registry.Record
	// Address is the person's residence as one line.
	Address string
}

// CounterLookup finds a walk-in applicant by citizen ID for a receiver; the
// read of personal data is audited.
func (s *Service) CounterLookup(ctx context.Context, ac identity.Actor, citizenID string) (CounterPerson, error) {
	if ac.Account == nil {
		return CounterPerson{}, ac.Require(identity.PermAccountRead, "")
	}
	if !ac.Account.HasRole(identity.RoleReceiver, "") {
		return CounterPerson{}, errs.New(errs.Forbidden, "counter.receiver_only", "Chỉ bộ phận một cửa được tra cứu người nộp hồ sơ.", "only receivers look applicants up")
	}
	id := strings.TrimSpace(citizenID)
	if !identity.ValidCitizenID(id) {
		return CounterPerson{}, errs.InvalidFields("counter.citizen_id", "Số định danh cá nhân không hợp lệ.", "invalid citizen ID",
			[]errs.FieldError{{Field: "citizen_id", Key: "cccd", Message: "Số định danh cá nhân phải gồm đúng 12 chữ số."}})
	}
	out := CounterPerson{CitizenID: id}
	list, _, err := s.db.Accounts(ctx, identity.AccountFilter{Text: id, Limit: 20})
	if err != nil {
		return out, fmt.Errorf("counter lookup: %w", err)
	}
	var ids []int64
	for _, acc := range list {
		if acc.CitizenID == id && acc.Kind == identity.KindCitizen && !acc.Disabled {
			out.Accounts = append(out.Accounts, acc)
			ids = append(ids, acc.ID)
			ds, _, err := s.db.Dossiers(ctx, dossier.Filter{ApplicantID: acc.ID, Limit: 20})
			if err != nil {
				return out, fmt.Errorf("counter lookup: %w", err)
			}
			out.Dossiers = append(out.Dossiers, ds...)
		}
	}
	slices.SortFunc(out.Dossiers, func(x, y dossier.Dossier) int { return y.SubmittedAt.Compare(x.SubmittedAt) })
	var fields []string
	if ds, err := s.data.Dataset(registry.Population); err == nil {
		acc := sharedata.Access(ac, registry.PurposePrefill, "", "")
		if fields, err = ds.Allowed(acc); err == nil {
			rec, err := s.data.Fetch(ctx, ds, id, acc)
			switch {
			case err == nil:
				p := registry.Project(rec, fields)
				out.Person, out.Address = &p, s.data.FullAddress(rec.Data["residence_address"], rec.Data["residence_commune"])
			case errs.KindOf(err) != errs.NotFound:
				return out, fmt.Errorf("counter lookup: %w", err)
			}
		}
	}
	if err := s.RecordRead(ctx, ac, "counter.lookup", "accounts", map[string]any{"citizen_id": id, "returned": ids, "dossiers": len(out.Dossiers),
		"purpose": registry.PurposePrefill, "population": out.Person != nil, "fields": fields}); err != nil {
		return out, err
	}
	return out, nil
}
