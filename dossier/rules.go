package dossier

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/identity"
)

// rule is when an action may be requested: the statuses it is allowed in,
// then who may request it on the dossier as it stands. Apply refuses an
// action through its rule before changing anything; Allowed lists the
// actions whose rule passes. The request's parameters (a note, an
// assignee, a date, fees, files) are not part of the rule: Apply checks
// them after it.
type rule struct {
	action Action
	in     []Status
	// may checks the actor once the status allows the action, and returns
	// the agency the actor acts for ("" for the applicant or the platform).
	// Its errors are Forbidden for the wrong actor, Conflict when the
	// dossier's position forbids the action (a step claimed by someone
	// else, a payment already made).
	may func(d *Dossier, actor identity.Actor, now time.Time) (string, error)
}

// rules is the workflow, one rule per action, in the order a page offers
// the actions: moving the dossier forward first, closing it last.
var rules = []rule{
	{ActReceive, []Status{StatusNew}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		ag, err := stepHolder(d, actor)
		if err == nil && d.Exemption.Pending() {
			return "", conflict("exemption_pending", "Cần xác nhận hoặc không chấp nhận đề nghị miễn lệ phí trước khi tiếp nhận hồ sơ.", "decide the fee exemption claim before receiving")
		}
		return ag, err
	}},
	{ActCompleteStep, []Status{StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, now time.Time) (string, error) {
		ag, err := stepOwner(d, actor)
		if err != nil {
			return "", err
		}
		if d.Current == len(d.Steps)-1 && now.After(d.Deadline.Due) {
			return "", conflict("apology_required",
				fmt.Sprintf("Hồ sơ đã quá hạn (hẹn trả %s): cần ban hành văn bản xin lỗi và hẹn lại ngày trả (mẫu 04) trước khi kết thúc.", d.Deadline.Due.In(calendar.VN).Format("15:04 02/01/2006")),
				"the dossier is late: issue an apology with a new appointment first")
		}
		return ag, nil
	}},
	{ActClaim, []Status{StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		ag, err := stepHolder(d, actor)
		if err != nil {
			return "", err
		}
		if s := d.CurrentStep(); s.AssigneeID != 0 && s.AssigneeID != actor.ID() {
			return "", conflict("claimed", fmt.Sprintf("Bước %q đã được giao cho %s.", s.Name, s.AssigneeName), "step already assigned")
		}
		return ag, nil
	}},
	{ActAssign, []Status{StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		s := d.CurrentStep()
		if s == nil {
			return "", conflict("no_open_step", "Hồ sơ không có bước nào đang xử lý.", "no open step")
		}
		ag, ok := actor.Holds(identity.RoleLeader, s.AgencyID)
		if !ok && !actor.System {
			return "", forbidden("Chỉ lãnh đạo của cơ quan thực hiện bước này được phân công.", "only a leader of the step's agency may assign")
		}
		return ag, nil
	}},
	{ActSendBack, []Status{StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		return stepOwner(d, actor)
	}},
	{ActRequestSupplement, []Status{StatusNew, StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		return stepOwner(d, actor)
	}},
	{ActExtendForVerification, []Status{StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, now time.Time) (string, error) {
		ag, err := stepOwner(d, actor)
		if err != nil {
			return "", err
		}
		switch vt := d.VerificationTime; {
		case vt == nil || !vt.Longer(d.ProcessingTime):
			return "", conflict("no_verification_time", "Thủ tục này không có thời hạn riêng cho trường hợp cần xác minh.", "the procedure has no time limit for verification")
		case d.Verification != nil:
			return "", conflict("verification_extended", fmt.Sprintf("Hồ sơ đã được gia hạn để xác minh (đến %s).", d.Verification.NewDueAt.In(calendar.VN).Format("15:04 02/01/2006")),
				"the deadline was already extended for verification")
		case d.Deadline.Due.IsZero() || now.After(d.Deadline.Due):
			return "", conflict("late_for_verification", "Hồ sơ đã quá hạn: không gia hạn để xác minh được; cần ban hành văn bản xin lỗi và hẹn lại ngày trả (mẫu 04).",
				"the dossier is late: it can no longer be extended for verification; issue an apology with a new date")
		}
		return ag, nil
	}},
	{ActRefuse, []Status{StatusNew}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		return stepHolder(d, actor)
	}},
	{ActRequestPayment, []Status{StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		ag, err := stepOwner(d, actor)
		if err != nil {
			return "", err
		}
		if d.Payment != nil && d.Payment.PaidAt != nil {
			return "", conflict("paid", "Hồ sơ đã được thanh toán.", "already paid")
		}
		return ag, nil
	}},
	{ActPay, []Status{StatusPayment}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		if d.Payment == nil {
			return "", wrongStatus(d, ActPay)
		}
		// Never the applicant's own click: the payment provider's signed
		// callback (the platform) or a receiver taking the fee at the counter.
		if actor.System {
			return "", nil
		}
		if ag, ok := actor.Holds(identity.RoleReceiver, ""); ok {
			return ag, nil
		}
		return "", forbidden("Chỉ ngân hàng (qua thông báo có chữ ký) hoặc bộ phận một cửa ghi nhận thanh toán.", "only the bank's signed callback or a receiver records a payment")
	}},
	{ActSupplement, []Status{StatusSupplement}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		return applicantOrCounter(d, actor, forbidden("Chỉ người nộp hồ sơ hoặc bộ phận một cửa được bổ sung hồ sơ.", "only the applicant or a receiver may supplement"))
	}},
	{ActReturn, []Status{StatusDone}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		ag, ok := actor.Holds(identity.RoleReceiver, "")
		if !ok {
			ag, ok = actor.Holds(identity.RoleClerk, d.CompetentAgency)
		}
		if !ok && !actor.System {
			return "", forbidden("Chỉ bộ phận một cửa hoặc văn thư của cơ quan có thẩm quyền được trả kết quả.", "only a receiver or the competent agency's clerk may return the result")
		}
		return ag, nil
	}},
	{ActApologize, []Status{StatusReceived, StatusProcessing}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		ag, err := stepHolder(d, actor)
		if err != nil {
			if a, ok := actor.Holds(identity.RoleLeader, d.CompetentAgency); ok {
				return a, nil
			}
			return "", err
		}
		return ag, nil
	}},
	{ActStop, []Status{StatusReceived, StatusProcessing, StatusSupplement, StatusPayment}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		ag, ok := actor.Holds(identity.RoleLeader, d.CompetentAgency)
		if !ok && !actor.System {
			return "", forbidden("Chỉ lãnh đạo cơ quan có thẩm quyền được dừng xử lý hồ sơ.", "only a leader of the competent agency may stop")
		}
		return ag, nil
	}},
	{ActWithdraw, []Status{StatusNew, StatusReceived, StatusProcessing, StatusSupplement, StatusPayment}, func(d *Dossier, actor identity.Actor, _ time.Time) (string, error) {
		if !isApplicant(d, actor) && !actor.System {
			return "", forbidden("Chỉ người nộp hồ sơ được rút hồ sơ.", "only the applicant may withdraw")
		}
		return "", nil
	}},
}

// check applies the rule of action a to d and actor at now: the agency the
// actor acts for, or why the action is refused (Invalid for an unknown
// action, Conflict for the wrong status, Forbidden for the wrong actor).
func check(d *Dossier, actor identity.Actor, a Action, now time.Time) (string, error) {
	for _, r := range rules {
		if r.action != a {
			continue
		}
		if !in(d.Status, r.in...) {
			return "", wrongStatus(d, a)
		}
		return r.may(d, actor, now)
	}
	return "", invalid("action", "enum", fmt.Sprintf("Thao tác %q không tồn tại.", a))
}

// Allowed lists the actions actor may request on d at now, by the rules
// Apply enforces: an action listed is refused by Apply only for its
// parameters (a missing note, assignee, date or fee), never for the
// dossier's status or the actor. The order is the order a page offers them.
func Allowed(d *Dossier, actor identity.Actor, now time.Time) []Action {
	var out []Action
	for _, r := range rules {
		if _, err := check(d, actor, r.action, now); err == nil {
			out = append(out, r.action)
		}
	}
	return out
}

func wrongStatus(d *Dossier, a Action) error {
	return conflict("illegal_transition",
		fmt.Sprintf("Không thể thực hiện thao tác %q khi hồ sơ ở trạng thái %d (%s).", actionNames[a], int(d.Status), d.Status.Name()),
		fmt.Sprintf("action %s is not allowed in status %d", a, int(d.Status)))
}

func in(s Status, set ...Status) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

// stepHolder checks that the actor holds the open step's role at its
// agency; the receiving step of an online dossier (no agency yet) is taken
// at an intake counter (IntakeCounter).
func stepHolder(d *Dossier, actor identity.Actor) (string, error) {
	s := d.CurrentStep()
	if s == nil {
		return "", conflict("no_open_step", "Hồ sơ không có bước nào đang xử lý.", "no open step")
	}
	if actor.System {
		return s.AgencyID, nil
	}
	if s.AgencyID == "" {
		if ag, ok := IntakeCounter(d, actor); ok {
			return ag, nil
		}
		return "", forbidden("Hồ sơ trực tuyến này do bộ phận một cửa của cơ quan có thẩm quyền, hoặc của trung tâm tiếp nhận cho toàn tỉnh, tiếp nhận; quầy của bạn không tiếp nhận hồ sơ này.",
			"an online dossier is taken in at its competent agency's counter or a counter configured to receive for the province")
	}
	if ag, ok := actor.Holds(s.Role, s.AgencyID); ok {
		return ag, nil
	}
	return "", forbidden(fmt.Sprintf("Bước %q do %s của %s thực hiện; tài khoản của bạn không có vai trò này.", s.Name, s.Role.Vietnamese(), s.agencyLabel()),
		fmt.Sprintf("step %q needs role %s at %s", s.Name, s.Role, cmp.Or(s.AgencyName, s.AgencyID)))
}

// stepOwner is stepHolder plus the claim: once a step is assigned, only
// its assignee acts on it.
func stepOwner(d *Dossier, actor identity.Actor) (string, error) {
	ag, err := stepHolder(d, actor)
	if err != nil {
		return "", err
	}
	if s := d.CurrentStep(); s.AssigneeID != 0 && s.AssigneeID != actor.ID() && !actor.System {
		return "", conflict("claimed", fmt.Sprintf("Bước %q đã được giao cho %s.", s.Name, s.AssigneeName), "step assigned to someone else")
	}
	return ag, nil
}

func isApplicant(d *Dossier, actor identity.Actor) bool {
	return actor.ID() != 0 && actor.ID() == d.Applicant.AccountID
}

// applicantOrCounter lets the applicant, the platform or a receiver of any
// counter act (for the applicant at a counter); anyone else gets denied.
// The agency is the receiver's.
func applicantOrCounter(d *Dossier, actor identity.Actor, denied error) (string, error) {
	if isApplicant(d, actor) || actor.System {
		return "", nil
	}
	if ag, ok := actor.Holds(identity.RoleReceiver, ""); ok {
		return ag, nil
	}
	return "", denied
}

// WorksOn reports whether actor is working on d now: the holder of its
// open step (at the step's agency), or, while the dossier is at reception,
// a receiver of its receiving agency (an intake counter, IntakeCounter,
// for an online dossier not yet received). The platform itself always is. What an official may
// read about people for a dossier (shared datasets) follows this.
func WorksOn(d *Dossier, actor identity.Actor) bool {
	if actor.System {
		return true
	}
	if s := d.CurrentStep(); s != nil && !d.Status.Closed() {
		if _, ok := actor.Holds(s.Role, s.AgencyID); ok {
			return true
		}
	}
	if atIntake(d) {
		_, ok := IntakeCounter(d, actor)
		return ok
	}
	if in(d.Status, StatusNew, StatusReceived) && d.ReceivingAgency != "" {
		if _, ok := actor.Holds(identity.RoleReceiver, d.ReceivingAgency); ok {
			return true
		}
	}
	return false
}

// atIntake reports whether d waits to be taken in with no counter yet: an
// online dossier not received (new, or back with its applicant for a
// supplement before receipt).
func atIntake(d *Dossier) bool {
	return d.ReceivingAgency == "" && in(d.Status, StatusNew, StatusSupplement)
}

// IntakeCounter returns the counter at which actor may take in d while d
// waits at reception with no counter yet (an online dossier): a receiver
// at d's competent agency, or at a counter configured to receive for the
// whole province (Grant.ForProvince). Other counters neither see nor take
// in the province's online dossiers.
func IntakeCounter(d *Dossier, actor identity.Actor) (string, bool) {
	province := ""
	for _, g := range actor.Grants() {
		if g.Role != identity.RoleReceiver {
			continue
		}
		if g.AgencyID == d.CompetentAgency && d.CompetentAgency != "" {
			return g.AgencyID, true
		}
		if g.ForProvince && province == "" {
			province = g.AgencyID
		}
	}
	return province, province != ""
}

// Names reports whether key (a citizen ID, a tax code, a parcel number)
// belongs to d's applicant or is written in d's form or data: the people
// and things a dossier is about.
func Names(d *Dossier, key string) bool {
	key = strings.TrimSpace(key)
	if key == "" {
		return false
	}
	if key == d.Applicant.CitizenID || key == d.Applicant.TaxCode {
		return true
	}
	var form any
	if json.Unmarshal(d.Form, &form) == nil && mentions(form, key) {
		return true
	}
	for _, c := range d.Components {
		if c.Data == nil {
			continue
		}
		if c.Data.Key == key {
			return true
		}
		for _, v := range c.Data.Values {
			if v == key {
				return true
			}
		}
	}
	return false
}

func mentions(v any, key string) bool {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x) == key
	case map[string]any:
		for _, e := range x {
			if mentions(e, key) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentions(e, key) {
				return true
			}
		}
	}
	return false
}
