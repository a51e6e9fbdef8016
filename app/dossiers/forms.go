package dossiers

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/printform"
)

// Form renders form number (01–07) of a dossier as PDF, for those who may
// see the dossier. Form 07 is the register of the dossier's competent
// agency for the month the dossier was received in.
func (s *Service) Form(ctx context.Context, ac identity.Actor, code, number, lookupBase string) ([]byte, error) {
	title, ok := printform.Title(number)
	if !ok {
		return nil, errs.New(errs.NotFound, "form.unknown", fmt.Sprintf("Không có mẫu số %q (chỉ 01 đến 07).", number), "no form "+number)
	}
	d, err := s.Dossier(ctx, ac, code)
	if err != nil {
		return nil, err
	}
	missing := func() error {
		return errs.New(errs.Conflict, "form.not_applicable", fmt.Sprintf("Hồ sơ %s chưa có %s (mẫu số %s).", d.Code, title, number), "form not applicable to this dossier yet")
	}
	if number == "07" {
		if d.ReceivedAt == nil {
			return nil, missing()
		}
		return s.Register(ctx, ac, d.CompetentAgency, monthOf(*d.ReceivedAt))
	}
	doc := printform.Doc{
		Agency:    s.prov.PrintAgency(ctx, d.CompetentAgency, ""),
		Dossier:   results.PrintDossier(&d),
		IssuedAt:  s.Now(),
		LookupURL: lookupBase + "/api/v1/public/dossiers/" + d.Code,
	}
	role := func(e dossier.Event, fallback string) printform.Person {
		if e.AgencyID != "" {
			if acc, err := s.prov.ActorTitle(ctx, e.ActorID, e.AgencyID); err == nil {
				return printform.Person{Name: e.Actor, Title: acc}
			}
		}
		return printform.Person{Name: e.Actor, Title: fallback}
	}
	switch number {
	case "01":
		e, ok := d.LastEvent(dossier.ActReceive)
		if !ok {
			return nil, missing()
		}
		doc.Agency = s.prov.PrintAgency(ctx, d.ReceivingAgency, "Bộ phận Một cửa")
		doc.Receiver, doc.IssuedAt = role(e, "Công chức tiếp nhận hồ sơ"), e.At
		if d.Delivery != nil && d.Delivery.Method == dossier.DeliveryCounter {
			doc.Dossier.ResultChannel = d.Delivery.Name(counterName(doc.Agency))
		}
		doc.Dossier.Fee, doc.Dossier.FeeNote = s.dueFee(ctx, &d)
	case "02":
		e, ok := d.LastEvent(dossier.ActRequestSupplement)
		if !ok {
			return nil, missing()
		}
		doc.Signer, doc.IssuedAt, doc.Reason, doc.Missing = role(e, "Công chức xử lý hồ sơ"), e.At, e.Note, []string{e.Note}
	case "03":
		e, ok := d.LastEvent(dossier.ActRefuse)
		if !ok {
			return nil, missing()
		}
		doc.Agency = s.prov.PrintAgency(ctx, e.AgencyID, "Bộ phận Một cửa")
		doc.Signer, doc.IssuedAt, doc.Reason = role(e, "Công chức tiếp nhận hồ sơ"), e.At, e.Note
	case "04":
		if len(d.Apologies) == 0 {
			return nil, missing()
		}
		ap := d.Apologies[len(d.Apologies)-1]
		e, _ := d.LastEvent(dossier.ActApologize)
		doc.Signer, doc.IssuedAt, doc.Reason, doc.NewDueAt = role(e, "Thủ trưởng cơ quan"), ap.IssuedAt, ap.Reason, ap.NewDueAt
		doc.Dossier.DueAt = ap.OldDueAt
	case "05":
		e, ok := d.LastEvent(dossier.ActStop)
		if !ok {
			return nil, missing()
		}
		doc.Signer, doc.IssuedAt, doc.Reason = role(e, "Thủ trưởng cơ quan"), e.At, e.Note
	case "06":
		if d.ReceivedAt == nil {
			return nil, missing()
		}
		doc.Handovers = s.handovers(ctx, &d)
	}
	return printform.Render(number, doc)
}

// handovers are the rows of form 06: one per step handed over.
func (s *Service) handovers(ctx context.Context, d *dossier.Dossier) []printform.Handover {
	var out []printform.Handover
	label := func(i int) string {
		st := d.Steps[i]
		who := st.DoneBy
		if who == "" {
			who = st.AssigneeName
		}
		name := st.Name
		if ag := st.AgencyID; ag != "" {
			name += " (" + s.prov.PrintAgency(ctx, ag, "").Name + ")"
		}
		if who != "" {
			name += " – " + who
		}
		return name
	}
	for i := 1; i < len(d.Steps); i++ {
		st := d.Steps[i]
		if st.StartedAt == nil {
			continue
		}
		h := printform.Handover{From: label(i - 1), To: label(i), HandedAt: *st.StartedAt, DueAt: st.Deadline.Due, OnTime: st.OnTime}
		if st.DoneAt != nil {
			h.DoneAt = *st.DoneAt
		}
		out = append(out, h)
	}
	return out
}

// monthOf is the calendar month (in Vietnam) containing t: [first, next).
func monthOf(t time.Time) [2]time.Time {
	t = t.In(calendar.VN)
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, calendar.VN)
	return [2]time.Time{first, first.AddDate(0, 1, 0)}
}

// MaxRegisterDays is the longest period a register covers: a year.
const MaxRegisterDays = 366

func invalidPeriod(fe []errs.FieldError) error {
	return errs.InvalidFields("register.period", "Khoảng ngày của sổ theo dõi không hợp lệ: xem chi tiết từng trường.", "invalid register period", fe)
}

// RegisterPeriod reads the days of a register as typed by a client —
// from and to, YYYY-MM-DD, to included — into its period [from, to + 1
// day) in Vietnam. Each must be a real date of the years calendar.MinYear
// to calendar.MaxYear, from no later than to, and the period at most
// MaxRegisterDays long; otherwise it answers Invalid naming "from" or "to"
// with a Vietnamese message.
func RegisterPeriod(from, to string) ([2]time.Time, error) {
	var fe []errs.FieldError
	day := func(field, name, v string) time.Time {
		v = strings.TrimSpace(v)
		if v == "" {
			fe = append(fe, errs.FieldError{Field: field, Key: "required", Message: fmt.Sprintf("Phải nêu %s (YYYY-MM-DD).", name)})
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, calendar.VN)
		switch {
		case err != nil:
			fe = append(fe, errs.FieldError{Field: field, Key: "date", Message: fmt.Sprintf("%s không phải một ngày có thật (định dạng YYYY-MM-DD, ví dụ 2026-11-01).", upperFirst(name))})
			return time.Time{}
		case !calendar.InRange(t):
			fe = append(fe, errs.FieldError{Field: field, Key: "range", Message: fmt.Sprintf("%s phải trong các năm %d–%d.", upperFirst(name), calendar.MinYear, calendar.MaxYear)})
			return time.Time{}
		}
		return t
	}
	f, t := day("from", "ngày bắt đầu", from), day("to", "ngày kết thúc", to)
	if len(fe) > 0 {
		return [2]time.Time{}, invalidPeriod(fe)
	}
	period := [2]time.Time{f, t.AddDate(0, 0, 1)}
	if fe := checkPeriod(period); len(fe) > 0 {
		return [2]time.Time{}, invalidPeriod(fe)
	}
	return period, nil
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// checkPeriod checks the period [from, to) of a register.
func checkPeriod(p [2]time.Time) []errs.FieldError {
	switch {
	case p[0].IsZero() || !calendar.InRange(p[0]):
		return []errs.FieldError{{Field: "from", Key: "range", Message: fmt.Sprintf("Ngày bắt đầu phải trong các năm %d–%d.", calendar.MinYear, calendar.MaxYear)}}
	case p[1].IsZero() || !calendar.InRange(p[1].Add(-time.Nanosecond)):
		return []errs.FieldError{{Field: "to", Key: "range", Message: fmt.Sprintf("Ngày kết thúc phải trong các năm %d–%d.", calendar.MinYear, calendar.MaxYear)}}
	case !p[0].Before(p[1]):
		return []errs.FieldError{{Field: "to", Key: "order", Message: "Ngày kết thúc không được trước ngày bắt đầu."}}
	case p[1].Sub(p[0]) > MaxRegisterDays*24*time.Hour:
		return []errs.FieldError{{Field: "to", Key: "max", Message: fmt.Sprintf("Sổ theo dõi chỉ lập cho tối đa một năm (%d ngày).", MaxRegisterDays)}}
	}
	return nil
}

// Register renders form 07, the register of the dossiers an agency
// received in [period[0], period[1]), for its officials. A period that is
// not one (see RegisterPeriod) is Invalid.
func (s *Service) Register(ctx context.Context, ac identity.Actor, agencyID string, period [2]time.Time) ([]byte, error) {
	if fe := checkPeriod(period); len(fe) > 0 {
		return nil, invalidPeriod(fe)
	}
	if !ac.System {
		ok := false
		if ac.Account != nil {
			for _, g := range ac.Account.Grants {
				if g.AgencyID == agencyID && g.Role != identity.RoleViewer {
					ok = true
				}
			}
		}
		if !ok {
			return nil, errs.New(errs.Forbidden, "register.forbidden", "Chỉ cán bộ của cơ quan được xem sổ theo dõi hồ sơ.", "only the agency's officials may read its register")
		}
	}
	ds, _, err := s.db.Dossiers(ctx, dossier.Filter{Agency: agencyID, From: period[0], To: period[1], Limit: 1000})
	if err != nil {
		return nil, err
	}
	if err := s.RecordRead(ctx, ac, "register.read", "agency:"+agencyID, map[string]any{"from": period[0], "to": period[1], "count": len(ds)}); err != nil {
		return nil, err
	}
	r := printform.Register{Agency: s.prov.PrintAgency(ctx, agencyID, ""), From: period[0], To: period[1], IssuedAt: s.Now()}
	for i := len(ds) - 1; i >= 0; i-- { // oldest first
		d := &ds[i]
		row := printform.RegisterRow{No: len(r.Rows) + 1, Code: d.Code, ProcedureName: d.ProcedureName, ApplicantName: d.Applicant.Name,
			ApplicantAddress: d.Applicant.Address, DueAt: d.Deadline.Due}
		if d.ReceivedAt != nil {
			row.ReceivedAt = *d.ReceivedAt
		}
		if len(d.Steps) > 1 && d.Steps[1].StartedAt != nil {
			row.HandedAt = *d.Steps[1].StartedAt
		}
		if d.FinishedAt != nil {
			row.DoneAt = *d.FinishedAt
		}
		if d.ReturnedAt != nil {
			row.ReturnedAt = *d.ReturnedAt
		}
		switch {
		case d.FinishedAt != nil && d.Late():
			row.Status = "Quá hạn"
		case d.FinishedAt != nil:
			row.Status = "Đúng hạn"
		case d.Overdue(s.Now()):
			row.Status = "Đang xử lý, quá hạn"
		default:
			row.Status = d.Status.Name()
		}
		r.Rows = append(r.Rows, row)
	}
	return printform.RegisterBook(r)
}

// counterName names the counter that receives the dossier, where the
// applicant collects the result: "Bộ phận Một cửa, Ủy ban nhân dân Phường
// Ba Đình".
func counterName(a printform.Agency) string {
	if strings.TrimSpace(a.Unit) == "" {
		return a.Name
	}
	return a.Unit + ", " + a.Name
}
