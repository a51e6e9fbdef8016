package dossier

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/vntext"
)

// Action is what an actor does to a dossier.
type Action string

// The actions.
const (
	ActSubmit            Action = "submit"
	ActReceive           Action = "receive"
	ActRefuse            Action = "refuse"
	ActRequestSupplement Action = "request_supplement"
	ActSupplement        Action = "supplement"
	ActClaim             Action = "claim"
	ActAssign            Action = "assign"
	ActCompleteStep      Action = "complete_step"
	ActSendBack          Action = "send_back"
	ActRequestPayment    Action = "request_payment"
	ActPay               Action = "pay"
	ActWithdraw          Action = "withdraw"
	ActStop              Action = "stop"
	ActApologize         Action = "apologize"
	// ActExtendForVerification extends the deadline to the procedure's
	// VerificationTime, once, before it falls due: the case needs
	// verification (xác minh), which the law gives more time.
	ActExtendForVerification Action = "extend_for_verification"
	ActReturn                Action = "return"
)

// Actions lists the actions a caller may request (submit is its own use case).
var Actions = []Action{ActReceive, ActRefuse, ActRequestSupplement, ActSupplement, ActClaim, ActAssign,
	ActCompleteStep, ActSendBack, ActExtendForVerification, ActRequestPayment, ActPay, ActWithdraw, ActStop, ActApologize, ActReturn}

// Request is one action with its parameters: what the caller asks (the
// pages, the API and the command line fill these) and what the use case
// resolves before the engine applies it.
type Request struct {
	// Asked by the caller.
	Action   Action
	Note     string
	ToStep   *int      // send_back: the step to go back to (default: the previous handling step)
	NewDueAt time.Time // apologize
	// AssigneeID is the official chosen (assign).
	AssigneeID int64
	// Files are the documents handed in with a supplement (uploaded first
	// by the actor, or data references): each replaces the dossier's
	// component of the same code, or is added.
	Files []ComponentInput
	// Version is the version of the dossier the request was made from; a
	// request made from another version is refused (CheckVersion). 0 = not
	// given, not checked.
	Version int

	// Resolved by the use case; a caller's values are ignored.
	Assignee         *identity.Account // assign: the official of AssigneeID, with their grants
	Fees             []FeeLine         // request_payment: the procedure's fees
	PaymentReference string            // request_payment: the provider's reference
	Receipt          string            // pay: the provider's receipt
	Provider         string            // pay
	Components       []Component       // supplement: the stored Files
}

// Asked returns the request with only what a caller may ask.
func (r Request) Asked() Request {
	return Request{Action: r.Action, Note: r.Note, ToStep: r.ToStep, NewDueAt: r.NewDueAt, AssigneeID: r.AssigneeID, Files: r.Files, Version: r.Version}
}

// Env is what the engine needs from outside: the time and the calendar.
type Env struct {
	Now      time.Time
	Calendar *calendar.Calendar
}

func conflict(key, vi, en string) error { return errs.New(errs.Conflict, "dossier."+key, vi, en) }

func forbidden(vi, en string) error { return errs.New(errs.Forbidden, "dossier.forbidden", vi, en) }

func invalid(field, key, vi string) error {
	return errs.InvalidFields("dossier.invalid", vi, "invalid action input", []errs.FieldError{{Field: field, Key: key, Message: vi}})
}

// Apply performs r on d as actor at env.Now: it checks that the action is
// allowed in d's status and that the actor may do it, then changes d,
// appends the event to its history and bumps its version. On error d is
// left unchanged. A request made from another version of d (r.Version) is
// refused before anything else.
func Apply(d *Dossier, actor identity.Actor, r Request, env Env) error {
	if err := CheckVersion(d, r.Version); err != nil {
		return fmt.Errorf("%s dossier %s: %w", r.Action, d.Code, err)
	}
	if len(r.Components) > 0 && r.Action != ActSupplement {
		return fmt.Errorf("%s dossier %s: %w", r.Action, d.Code, invalid("components", "not_allowed", "Chỉ gửi kèm thành phần hồ sơ khi bổ sung hồ sơ."))
	}
	note, err := vntext.CleanNote(r.Note)
	if err != nil {
		key, msg, _ := vntext.Problem(err, "Ghi chú")
		return fmt.Errorf("%s dossier %s: %w", r.Action, d.Code, invalid("note", key, msg))
	}
	r.Note = note
	work := clone(d)
	from := work.Status
	step := work.Current
	agency, err := apply(work, actor, r, env)
	if err != nil {
		return fmt.Errorf("%s dossier %s: %w", r.Action, d.Code, err)
	}
	work.History = append(work.History, Event{At: env.Now, ActorID: actor.ID(), Actor: actor.DisplayName(), AgencyID: agency,
		Action: r.Action, From: from, To: work.Status, Step: step, Note: strings.TrimSpace(r.Note)})
	work.Version++
	*d = *work
	return nil
}

func clone(d *Dossier) *Dossier {
	c := *d
	c.Steps = append([]Step(nil), d.Steps...)
	c.History = append([]Event(nil), d.History...)
	c.Apologies = append([]Apology(nil), d.Apologies...)
	c.Components = append([]Component(nil), d.Components...)
	if d.Payment != nil {
		p := *d.Payment
		p.Lines = append([]FeeLine(nil), d.Payment.Lines...)
		c.Payment = &p
	}
	if d.Exemption != nil {
		e := *d.Exemption
		c.Exemption = &e
	}
	return &c
}

var actionNames = map[Action]string{
	ActSubmit: "nộp hồ sơ", ActReceive: "tiếp nhận", ActRefuse: "từ chối tiếp nhận", ActRequestSupplement: "yêu cầu bổ sung",
	ActSupplement: "bổ sung hồ sơ", ActClaim: "nhận xử lý", ActAssign: "phân công", ActCompleteStep: "hoàn thành bước",
	ActSendBack: "trả lại bước trước", ActRequestPayment: "yêu cầu thanh toán", ActPay: "thanh toán", ActWithdraw: "rút hồ sơ",
	ActStop: "dừng xử lý", ActApologize: "xin lỗi và hẹn lại", ActReturn: "trả kết quả",
	ActExtendForVerification: "gia hạn để xác minh",
	ActFeeExemption:          "kiểm tra đề nghị miễn lệ phí",
}

// ActionName is the action's Vietnamese name.
func ActionName(a Action) string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	return string(a)
}

func needNote(r Request, what string) error {
	if strings.TrimSpace(r.Note) == "" {
		return invalid("note", "required", "Cần ghi rõ "+what+".")
	}
	return nil
}

// apply checks the action's rule (rules.go), then its parameters, and
// changes d; it returns the agency the actor acted for.
func apply(d *Dossier, actor identity.Actor, r Request, env Env) (string, error) {
	now := env.Now
	ag, err := check(d, actor, r.Action, now)
	if err != nil {
		return "", err
	}
	switch r.Action {
	case ActReceive:
		d.ReceivingAgency = ag
		t := now
		d.ReceivedAt = &t
		d.Deadline = env.Calendar.Restart(now, d.ProcessingTime.Days, d.ProcessingTime.Hours)
		d.Status = StatusReceived
		d.closeStep(actor, now)
		d.openStep(d.Current+1, env)

	case ActRefuse:
		if err := needNote(r, "lý do từ chối"); err != nil {
			return "", err
		}
		d.Reason = strings.TrimSpace(r.Note)
		d.Status = StatusRefused
		d.Current = -1

	case ActRequestSupplement:
		if err := needNote(r, "giấy tờ cần bổ sung"); err != nil {
			return "", err
		}
		if d.Status != StatusNew {
			if err := d.pause(env); err != nil {
				return "", err
			}
			d.Supplements++
		}
		d.Resume = d.Status
		d.Status = StatusSupplement

	case ActSupplement:
		if d.Resume != StatusNew {
			if d.SupplementRule == catalog.SupplementRestart {
				// The whole time again: the time for verification when the
				// deadline was extended for one.
				limit := d.ProcessingTime
				if d.Verification != nil && d.VerificationTime != nil {
					limit = *d.VerificationTime
				}
				d.Deadline = env.Calendar.Restart(now, limit.Days, limit.Hours)
				if s := d.CurrentStep(); s != nil {
					s.Deadline = d.stepDeadline(*s, env)
				}
			} else if err := d.resume(env); err != nil {
				return "", err
			}
		}
		if err := d.supplementComponents(r.Components); err != nil {
			return "", err
		}
		d.Status = d.Resume
		if d.Status == StatusReceived {
			d.Status = StatusProcessing
		}

	case ActClaim:
		s := d.CurrentStep()
		s.AssigneeID, s.AssigneeName = actor.ID(), actor.DisplayName()
		d.Status = StatusProcessing

	case ActAssign:
		s := d.CurrentStep()
		if r.Assignee == nil {
			return "", invalid("assignee_id", "required", "Cần chọn người được phân công.")
		}
		if !r.Assignee.HasRole(s.Role, s.AgencyID) {
			return "", invalid("assignee_id", "role", fmt.Sprintf("%s không có vai trò %s tại cơ quan thực hiện bước này.", r.Assignee.DisplayName, s.Role.Vietnamese()))
		}
		s.AssigneeID, s.AssigneeName = r.Assignee.ID, r.Assignee.DisplayName
		d.Status = StatusProcessing

	case ActCompleteStep:
		d.closeStep(actor, now)
		if d.Current == len(d.Steps)-1 {
			d.Status = StatusDone
			t := now
			d.FinishedAt = &t
			d.Current = -1
			break
		}
		d.Status = StatusProcessing
		d.openStep(d.Current+1, env)

	case ActSendBack:
		if err := needNote(r, "lý do trả lại"); err != nil {
			return "", err
		}
		to := d.Current - 1
		if r.ToStep != nil {
			to = *r.ToStep
		}
		if to < 1 || to >= d.Current {
			return "", invalid("to_step", "range", fmt.Sprintf("Chỉ trả lại được một bước xử lý trước bước hiện tại (từ 1 đến %d).", d.Current-1))
		}
		s := d.CurrentStep()
		s.StartedAt, s.AssigneeID, s.AssigneeName = nil, 0, ""
		s.Deadline = calendar.Deadline{}
		d.Status = StatusProcessing
		d.openStep(to, env)

	case ActRequestPayment:
		var total int64
		for _, f := range r.Fees {
			total += f.Amount
		}
		if total <= 0 {
			return "", conflict("no_fee", "Thủ tục này không có khoản phí, lệ phí nào phải nộp.", "nothing to pay")
		}
		if err := d.pause(env); err != nil {
			return "", err
		}
		d.Payment = &Payment{Lines: append([]FeeLine(nil), r.Fees...), Total: total, RequestedAt: now, Reference: r.PaymentReference}
		d.Resume = d.Status
		d.Status = StatusPayment

	case ActPay:
		t := now
		d.Payment.PaidAt, d.Payment.Receipt, d.Payment.Provider = &t, r.Receipt, r.Provider
		if err := d.resume(env); err != nil {
			return "", err
		}
		d.Status = StatusProcessing

	case ActWithdraw:
		d.Reason = strings.TrimSpace(r.Note)
		d.Status = StatusWithdrawn
		d.Current = -1

	case ActStop:
		if err := needNote(r, "lý do dừng xử lý"); err != nil {
			return "", err
		}
		d.Reason = strings.TrimSpace(r.Note)
		d.Status = StatusStopped
		d.Current = -1

	case ActApologize:
		if err := needNote(r, "lý do chậm trễ"); err != nil {
			return "", err
		}
		if r.NewDueAt.IsZero() || !r.NewDueAt.After(now) || !r.NewDueAt.After(d.Deadline.Due) {
			return "", invalid("new_due_at", "after", "Ngày hẹn trả mới phải sau thời điểm hiện tại và sau ngày hẹn trả cũ.")
		}
		if !calendar.InRange(r.NewDueAt) {
			return "", invalid("new_due_at", "range", fmt.Sprintf("Ngày hẹn trả mới phải trong các năm %d–%d.", calendar.MinYear, calendar.MaxYear))
		}
		d.Apologies = append(d.Apologies, Apology{IssuedAt: now, OldDueAt: d.Deadline.Due, NewDueAt: r.NewDueAt.In(calendar.VN), Reason: strings.TrimSpace(r.Note), By: actor.DisplayName()})
		d.Deadline.Due = r.NewDueAt.In(calendar.VN)

	case ActExtendForVerification:
		if err := needNote(r, "nội dung cần xác minh"); err != nil {
			return "", err
		}
		extra := d.verificationExtra(env)
		old := d.Deadline.Due
		d.Deadline.Due = env.Calendar.AddWorkingTime(old, extra)
		if s := d.CurrentStep(); s != nil && !s.Deadline.Due.IsZero() {
			s.Deadline.Due = env.Calendar.AddWorkingTime(s.Deadline.Due, extra)
		}
		d.Verification = &Verification{At: now, OldDueAt: old, NewDueAt: d.Deadline.Due, Note: strings.TrimSpace(r.Note), By: actor.DisplayName()}

	case ActReturn:
		t := now
		d.ReturnedAt = &t
		d.Status = StatusReturned
	}
	return ag, nil
}

// verificationExtra is the working time verification adds to the
// deadline: VerificationTime less ProcessingTime in the calendar's office
// hours (never less than nothing: the rule compares them at 8 hours a
// day, which a province's own hours could turn round when one is in days
// and the other in hours).
func (d *Dossier) verificationExtra(env Env) time.Duration {
	if d.VerificationTime == nil {
		return 0
	}
	perDay := env.Calendar.Hours().PerDay()
	at := func(x catalog.Duration) time.Duration {
		return time.Duration(x.Days)*perDay + time.Duration(x.Hours)*time.Hour
	}
	return max(0, at(*d.VerificationTime)-at(d.ProcessingTime))
}

// closeStep marks the open step done by actor at now.
func (d *Dossier) closeStep(actor identity.Actor, now time.Time) {
	s := d.CurrentStep()
	t := now
	s.DoneAt, s.DoneBy = &t, actor.DisplayName()
	if !s.Deadline.Due.IsZero() {
		onTime := !now.After(s.Deadline.Due)
		s.OnTime = &onTime
	}
}

// openStep opens step i at env.Now with its share of the processing time.
func (d *Dossier) openStep(i int, env Env) {
	d.Current = i
	s := &d.Steps[i]
	t := env.Now
	s.StartedAt, s.DoneAt, s.DoneBy, s.OnTime = &t, nil, "", nil
	s.AssigneeID, s.AssigneeName = 0, ""
	s.Deadline = d.stepDeadline(*s, env)
}

// stepDeadline is the step's share of the processing time counted from now.
func (d *Dossier) stepDeadline(s Step, env Env) calendar.Deadline {
	if s.Share <= 0 {
		return calendar.Deadline{}
	}
	perDay := env.Calendar.Hours().PerDay()
	total := time.Duration(d.ProcessingTime.Days)*perDay + time.Duration(d.ProcessingTime.Hours)*time.Hour
	share := total * time.Duration(s.Share) / 100
	return calendar.Deadline{Due: env.Calendar.AddWorkingTime(env.Calendar.Start(env.Now), share)}
}

func (d *Dossier) pause(env Env) error {
	dl, err := env.Calendar.Pause(d.Deadline, env.Now)
	if err != nil {
		return pauseErr(err)
	}
	d.Deadline = dl
	if s := d.CurrentStep(); s != nil && !s.Deadline.Due.IsZero() && !s.Deadline.Paused() {
		if sd, err := env.Calendar.Pause(s.Deadline, env.Now); err == nil {
			s.Deadline = sd
		}
	}
	return nil
}

func (d *Dossier) resume(env Env) error {
	if d.Deadline.Paused() && !d.Deadline.PausedAt.Before(d.Deadline.Due) {
		// Paused after the deadline had passed: the wait does not make the
		// dossier on time again; the due stays where it was.
		d.Deadline = calendar.Deadline{Due: d.Deadline.Due}
		return d.resumeStep(env)
	}
	dl, err := env.Calendar.Resume(d.Deadline, env.Now)
	if err != nil {
		return pauseErr(err)
	}
	d.Deadline = dl
	return d.resumeStep(env)
}

func (d *Dossier) resumeStep(env Env) error {
	if s := d.CurrentStep(); s != nil && s.Deadline.Paused() {
		if !s.Deadline.PausedAt.Before(s.Deadline.Due) {
			s.Deadline = calendar.Deadline{Due: s.Deadline.Due}
		} else if sd, err := env.Calendar.Resume(s.Deadline, env.Now); err == nil {
			s.Deadline = sd
		}
	}
	return nil
}

func pauseErr(err error) error {
	if errors.Is(err, calendar.ErrPaused) || errors.Is(err, calendar.ErrNotPaused) {
		return conflict("clock", "Đồng hồ tính thời hạn của hồ sơ không ở trạng thái phù hợp.", err.Error())
	}
	return err
}
