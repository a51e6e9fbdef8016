// Package notifications tells applicants what happens to their dossiers:
// received, supplements requested, fees to pay, the result ready, an
// apology when late (package notify has the events and the messages).
//
// The change of a dossier queues its messages in its own transaction
// (Queue, called by app/dossiers): one row per channel the applicant
// chose, keyed "<dossier>/<event>[/<version>]/<channel>", so that an
// event queued twice (a retried request, a replay) is one message. The
// message is rendered then, from the dossier as the change left it, in
// the applicant's language. Workers (Run) claim due rows with a lease,
// send each through its channel's Sender and mark it sent; a failure
// leaves the row pending, due again after a growing delay (30 s doubling
// to an hour, with jitter), until the last attempt marks it failed.
// Nothing of this runs inside the action: a mail server down never slows
// or fails an official's click.
//
// Exactly one message per event and channel: the key makes one row, the
// lease one sender at a time (on any node), and a row marked sent is never
// claimed again. What remains is the instant between the mail server
// taking a message and the row being marked: a process stopped there sends
// it again when the lease ends; the e-mail's Message-ID is made from the
// key, the same at every attempt, so that mail clients show one.
package notifications

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/notify"
	"github.com/motcua/motcua/store"
)

// DossierPath is the dossier's page under the public address.
const DossierPath = "/ho-so/"

// staleAfter is how old a change may be and still be told: a change dated
// further back was written after the fact (seeded, imported), and its
// applicant learnt of it long ago.
const staleAfter = 24 * time.Hour

// notice is what an event of a dossier tells, and its key without the
// channel.
type notice struct {
	event notify.Event
	key   string
	data  notify.Data
}

// noticeOf is the notice of the dossier's last change, false if that
// change tells the applicant nothing.
func noticeOf(d *dossier.Dossier) (notice, bool) {
	if len(d.History) == 0 {
		return notice{}, false
	}
	ev := d.History[len(d.History)-1]
	n := notice{data: notify.Data{Name: d.Applicant.Name, Code: d.Code, Procedure: d.ProcedureName, Due: d.Deadline.Due}}
	if ev.Action == dossier.ActSubmit || ev.Action == dossier.ActReceive {
		n.data.Submitted = d.SubmittedAt
	}
	switch {
	case ev.Action == dossier.ActSubmit || ev.Action == dossier.ActReceive:
		// Once per dossier: an online submission is told at once, a
		// dossier received at a counter with its appointment.
		n.event, n.key = notify.Received, d.Code+"/received"
	case ev.Action == dossier.ActRequestSupplement:
		n.event, n.key = notify.Supplement, fmt.Sprintf("%s/supplement/%d", d.Code, d.Version)
		n.data.Note = ev.Note
	case ev.Action == dossier.ActRequestPayment && d.Status == dossier.StatusPayment && d.Payment != nil:
		n.event, n.key = notify.Payment, fmt.Sprintf("%s/payment/%d", d.Code, d.Version)
		n.data.Amount, n.data.Reference = d.Payment.Total, d.Payment.Reference
	case ev.Action == dossier.ActFeeExemption && d.Exemption != nil && d.Exemption.Decision == dossier.ExemptionRefused:
		// The claim refused: the normal fee will be asked, told with the
		// reason in the payment notice (no reference yet).
		n.event, n.key = notify.Payment, d.Code+"/exemption_refused"
		n.data.Amount, n.data.ExemptionRefused = d.Exemption.Fee, ev.Note
	case ev.To == dossier.StatusDone && ev.From != dossier.StatusDone:
		n.event, n.key = notify.Result, d.Code+"/result"
		if d.Result != nil {
			n.data.Result = d.Result.Name
		}
	case ev.Action == dossier.ActExtendForVerification && d.Verification != nil:
		v := d.Verification
		n.event, n.key = notify.Verification, d.Code+"/verification"
		n.data.Due, n.data.NewDue, n.data.Note = v.OldDueAt, v.NewDueAt, v.Note
	case ev.Action == dossier.ActApologize && len(d.Apologies) > 0:
		a := d.Apologies[len(d.Apologies)-1]
		n.event, n.key = notify.Apology, fmt.Sprintf("%s/apology/%d", d.Code, len(d.Apologies))
		n.data.Due, n.data.NewDue, n.data.Note = a.OldDueAt, a.NewDueAt, a.Reason
	default:
		return notice{}, false
	}
	return n, true
}

// Queue queues the messages of the dossier's last change to its
// applicant, in tx (the change's transaction), on the channels the
// applicant chose that have a sender. It fails only when the store does
// (the transaction is lost then anyway): an applicant without an address
// or a message that does not render is logged and skipped.
func (s *Service) Queue(ctx context.Context, tx store.Tx, d *dossier.Dossier) error {
	n, ok := noticeOf(d)
	if !ok || len(s.cfg.Senders) == 0 {
		return nil
	}
	if at := d.History[len(d.History)-1].At; at.Before(s.Now().Add(-staleAfter)) {
		return nil // a change written with its past date (a demo's history, an import): stale news
	}
	to, err := s.recipient(ctx, tx, d)
	if err != nil || len(to.prefs.Channels) == 0 {
		return err
	}
	if a, err := s.agencyName(ctx, tx, d.CompetentAgency); err != nil {
		return err
	} else {
		n.data.Agency = a
	}
	n.data.Link = s.cfg.BaseURL + DossierPath + d.Code
	msg, err := notify.Render(n.event, to.prefs.Lang, n.data)
	if err != nil {
		s.Log.Error("notification not rendered", "dossier", d.Code, "event", n.event, "error", err)
		return nil
	}
	at := d.History[len(d.History)-1].At
	var rows []store.Notification
	for _, ch := range to.prefs.Channels {
		if s.cfg.Senders[ch] == nil {
			continue
		}
		r := store.Notification{Key: n.key + "/" + string(ch), DossierCode: d.Code, Event: n.event, Channel: ch,
			State: store.NotifyPending, CreatedAt: at, NextAt: at}
		switch ch {
		case notify.Email:
			r.Recipient, r.Subject, r.Body = to.email, msg.Subject, msg.Text
		default:
			r.Recipient, r.Subject, r.Body = to.phone, msg.Subject, msg.Short
		}
		if r.Recipient != "" {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	k, err := tx.QueueNotifications(ctx, rows)
	if err != nil {
		return err
	}
	if k > 0 {
		tx.AfterCommit(s.Notify)
	}
	return nil
}

// to is where an applicant is told.
type to struct {
	email, phone string
	prefs        notify.Prefs
}

// recipient is the dossier's applicant as the messages reach them: the
// addresses of the dossier, else of the applicant's account; the
// account's choice of channels, else e-mail. A walk-in without an account
// is told by e-mail when the dossier has an address.
func (s *Service) recipient(ctx context.Context, tx store.Tx, d *dossier.Dossier) (to, error) {
	r := to{email: strings.TrimSpace(d.Applicant.Email), phone: strings.TrimSpace(d.Applicant.Phone)}
	id := d.Applicant.AccountID
	if id == 0 {
		id = d.SubmittedBy
	}
	var acc identity.Account
	if id != 0 {
		a, err := tx.Account(ctx, id)
		switch {
		case err == nil && a.Kind != identity.KindOfficial && a.Kind != identity.KindService:
			acc = a
		case err != nil && !errors.Is(err, errs.ErrNotFound):
			return r, err
		}
	}
	if r.email == "" {
		r.email = acc.Email
	}
	if r.phone == "" {
		r.phone = acc.Phone
	}
	r.prefs = notify.DefaultPrefs(acc.ID, r.email)
	if acc.ID != 0 {
		p, err := tx.NotificationPrefs(ctx, acc.ID)
		switch {
		case err == nil:
			r.prefs = p
		case !errors.Is(err, errs.ErrNotFound):
			return r, err
		}
	}
	return r, nil
}

// agencyName is the agency's name, its code if unknown.
func (s *Service) agencyName(ctx context.Context, tx store.Tx, id string) (string, error) {
	if id == "" {
		return "", nil
	}
	a, err := tx.Agency(ctx, id)
	if errors.Is(err, errs.ErrNotFound) {
		return id, nil
	}
	if err != nil {
		return "", err
	}
	return a.Name, nil
}
