package notifications_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/notifications"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/mailer"
	"github.com/motcua/motcua/mailer/mailtest"
	"github.com/motcua/motcua/notify"
	"github.com/motcua/motcua/store"
)

const citizenMail = "congdan@example.vn" // the demo citizen's address

// texts records the messages of a channel.
type texts struct {
	mu  sync.Mutex
	got []notifications.Message
}

func (r *texts) Send(_ context.Context, m notifications.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	return nil
}

func (r *texts) all() []notifications.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notifications.Message(nil), r.got...)
}

// env is the demo province with e-mail through srv and SMS recorded.
func env(t *testing.T, srv *mailtest.Server, sms *texts, opts ...apptest.Option) *apptest.Env {
	t.Helper()
	opts = append([]apptest.Option{apptest.WithConfig(func(c *platform.Config) {
		c.Notifications = notifications.Config{MaxAttempts: 3, Senders: map[notify.Channel]notifications.Sender{
			notify.Email: notifications.Mail{SMTP: &mailer.SMTP{Addr: srv.Addr, From: "Một cửa <noreply@motcua.example.vn>", Timeout: 5 * time.Second}},
			notify.SMS:   sms,
		}}
	})}, opts...)
	return apptest.New(t, opts...)
}

// pass runs the workers' pass once and returns how many rows it claimed.
func pass(t *testing.T, e *apptest.Env) int {
	t.Helper()
	n, err := e.App.Notifications.Pass(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNotifications(t *testing.T) { testNotifications(t) }

func TestNotificationsPostgres(t *testing.T) { testNotifications(t, apptest.Postgres()) }

// testNotifications walks a dossier of the demo citizen, who chose e-mail
// and SMS in English: its submission, a supplement request and its
// result each send one e-mail and one SMS; the mail server refusing the
// first e-mail delays it (retried after the back-off), never the action;
// a receipt after the submission tells nothing more, nor a pass again.
func testNotifications(t *testing.T, opts ...apptest.Option) {
	srv, sms := mailtest.Start(t), &texts{}
	e := env(t, srv, sms, opts...)
	if _, err := e.App.Notifications.SetPrefs(e.Ctx, e.Actor(apptest.Citizen), []string{"sms", "email"}, "en"); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(1)
	d := e.Submit(t, apptest.Citizen, "1.001193")
	if n := pass(t, e); n != 2 {
		t.Fatalf("first pass claimed %d rows, want 2 (e-mail and SMS)", n)
	}
	rows, err := e.Store.Notifications(e.Ctx, d.Code)
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows = %+v, %v", rows, err)
	}
	for _, r := range rows {
		switch r.Channel {
		case notify.Email:
			if r.State != store.NotifyPending || r.Attempts != 1 || !strings.Contains(r.LastError, "451") || !r.NextAt.After(e.Now()) {
				t.Fatalf("e-mail after a refusal: %+v", r)
			}
		case notify.SMS:
			if r.State != store.NotifySent || r.Recipient != "0912345678" || !r.SentAt.Equal(e.Now()) {
				t.Fatalf("SMS: %+v", r)
			}
		}
	}
	if n := pass(t, e); n != 0 || len(srv.Mails()) != 0 {
		t.Fatalf("retried before the back-off: %d rows, %d mails", n, len(srv.Mails()))
	}
	e.Advance(time.Minute)
	if n := pass(t, e); n != 1 {
		t.Fatalf("retry claimed %d rows", n)
	}
	m, ok := srv.Wait(1)
	if !ok || m.To != citizenMail || m.Subject != "Dossier "+d.Code+" received" || !strings.Contains(m.Text, apptest.PublicURL+"/ho-so/"+d.Code) ||
		!strings.Contains(m.Text, d.ProcedureName) || !strings.HasPrefix(m.Header.Get("Message-ID"), "<notify.") {
		t.Fatalf("mail = %+v", m)
	}

	// Received at the counter: told already. Supplements requested: told.
	d = e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	e.Act(t, e.StepUser(t, &d), d.Code, dossier.ActRequestSupplement)
	pass(t, e)
	if got := srv.To(citizenMail); len(got) != 2 || got[1].Subject != "Dossier "+d.Code+" needs more documents" || !strings.Contains(got[1].Text, "apptest") {
		t.Fatalf("after the supplement request: %+v", got)
	}
	if _, err := e.App.Dossiers.Act(e.Ctx, e.Actor(apptest.Citizen), d.Code, dossier.Request{Action: dossier.ActSupplement}); err != nil {
		t.Fatal(err)
	}
	e.WalkToDone(t, d.Code)
	pass(t, e)
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReturn)
	pass(t, e)
	got := srv.To(citizenMail)
	if len(got) != 3 || got[2].Subject != "Dossier "+d.Code+": the result is ready" {
		t.Fatalf("mails = %+v", got)
	}
	if s := sms.all(); len(s) != 3 || s[2].To != "0912345678" || !strings.Contains(s[2].Text, d.Code) || len(s[2].Text) > 200 {
		t.Fatalf("SMS = %+v", s)
	}
	// A change dated two days back (seeded, imported) tells nothing.
	old, err := e.Store.Dossier(e.Ctx, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	old.Code = "OLD-1"
	old.History = append(old.History, dossier.Event{At: e.Now().Add(-48 * time.Hour), Action: dossier.ActRequestSupplement, Note: "x"})
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error { return e.App.Notifications.Queue(e.Ctx, tx, &old) }); err != nil {
		t.Fatal(err)
	}
	if rows, _ := e.Store.Notifications(e.Ctx, "OLD-1"); len(rows) != 0 {
		t.Fatalf("stale change told: %+v", rows)
	}
	// Queued again (a replayed change): nothing more.
	full, err := e.Store.Dossier(e.Ctx, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	full.History = full.History[:len(full.History)-1] // back to "done"
	if err := e.Store.Update(e.Ctx, func(tx store.Tx) error { return e.App.Notifications.Queue(e.Ctx, tx, &full) }); err != nil {
		t.Fatal(err)
	}
	if n := pass(t, e); n != 0 || len(srv.Mails()) != 3 {
		t.Fatalf("a replay sent again: %d rows, %d mails", n, len(srv.Mails()))
	}
}

// A citizen who chose nothing is told by e-mail in Vietnamese; fees
// requested and an apology are told with their amount and new date; a
// mail server refusing every attempt marks the message failed after the
// last one, and the dossier's actions went on meanwhile.
func TestPaymentApologyAndGivingUp(t *testing.T) {
	srv, sms := mailtest.Start(t), &texts{}
	e := env(t, srv, sms)
	d := e.Submit(t, apptest.Citizen, "1.004873")
	e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	d, err := e.Store.Dossier(e.Ctx, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	e.Act(t, e.StepUser(t, &d), d.Code, dossier.ActRequestPayment)
	pass(t, e)
	got := srv.To(citizenMail)
	if len(got) != 2 || got[1].Subject != "Hồ sơ "+d.Code+": đề nghị nộp phí, lệ phí" || !strings.Contains(got[1].Text, "Số tiền: 5.000 đồng") || len(sms.all()) != 0 {
		t.Fatalf("mails = %+v, SMS %+v", got, sms.all())
	}
	if _, err := e.App.Dossiers.Act(e.Ctx, e.Actor(apptest.Receiver), d.Code, dossier.Request{Action: dossier.ActPay}); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(100)
	d, _ = e.Store.Dossier(e.Ctx, d.Code)
	newDue := d.Deadline.Due.Add(72 * time.Hour)
	if _, err := e.App.Dossiers.Act(e.Ctx, e.Actor(e.StepUser(t, &d)), d.Code, dossier.Request{Action: dossier.ActApologize, Note: "Chờ xác minh", NewDueAt: newDue}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		pass(t, e)
		e.Advance(2 * time.Hour)
	}
	rows, _ := e.Store.Notifications(e.Ctx, d.Code)
	var last store.Notification
	for _, r := range rows {
		if r.Event == notify.Apology {
			last = r
		}
	}
	if last.Event != notify.Apology || last.State != store.NotifyFailed || last.Attempts != 3 ||
		!strings.Contains(last.Body, notify.When("vi", newDue)) || !strings.Contains(last.Body, "Chờ xác minh") {
		t.Fatalf("apology row = %+v", last)
	}
	if n := pass(t, e); n != 0 {
		t.Fatalf("a failed row claimed again")
	}
}

// A deadline extended for a verification (marriage registration: 5
// working days instead of the same day) is told once, with the old and
// the new date and what is verified; never as an apology.
func TestVerificationNotice(t *testing.T) {
	srv, sms := mailtest.Start(t), &texts{}
	e := env(t, srv, sms)
	d := e.Submit(t, apptest.Citizen, "1.000894")
	d = e.Act(t, apptest.Receiver, d.Code, dossier.ActReceive)
	pass(t, e)
	old := d.Deadline.Due
	d, err := e.App.Dossiers.Act(e.Ctx, e.Actor(e.StepUser(t, &d)), d.Code, dossier.Request{Action: dossier.ActExtendForVerification, Note: "Xác minh tình trạng hôn nhân"})
	if err != nil {
		t.Fatal(err)
	}
	pass(t, e)
	got := srv.To(citizenMail)
	if len(got) != 2 {
		t.Fatalf("mails = %+v", got)
	}
	m := got[1]
	for _, want := range []string{"Ngày hẹn trước đây: " + notify.When("vi", old), "Ngày hẹn trả kết quả mới: " + notify.When("vi", d.Deadline.Due), "Nội dung cần xác minh: Xác minh tình trạng hôn nhân"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("mail lacks %q:\n%s", want, m.Text)
		}
	}
	if m.Subject != "Hồ sơ "+d.Code+": gia hạn để xác minh" || strings.Contains(m.Text, "xin lỗi") || !d.Deadline.Due.After(old) {
		t.Errorf("mail %q, due %v → %v", m.Subject, old, d.Deadline.Due)
	}
	rows, _ := e.Store.Notifications(e.Ctx, d.Code)
	if n := len(rows); n != 2 || rows[1].Event != notify.Verification {
		t.Errorf("rows = %+v", rows)
	}
}

// The choice of channels: offered ones only, each needing its address.
func TestPrefs(t *testing.T) {
	srv, sms := mailtest.Start(t), &texts{}
	e := env(t, srv, sms)
	cit := e.Actor(apptest.Citizen)
	if p, err := e.App.Notifications.Prefs(e.Ctx, cit); err != nil || len(p.Channels) != 1 || p.Channels[0] != notify.Email || p.Lang != "vi" {
		t.Fatalf("default = %+v, %v", p, err)
	}
	for _, bad := range [][]string{{"zalo"}, {"fax"}} {
		_, err := e.App.Notifications.SetPrefs(e.Ctx, cit, bad, "vi")
		apptest.WantKind(t, err, errs.Invalid)
	}
	if _, err := e.App.Notifications.SetPrefs(e.Ctx, e.Actor(apptest.Citizen2), []string{"email"}, "vi"); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("e-mail without an address: %v", err)
	}
	_, err := e.App.Notifications.SetPrefs(e.Ctx, apptest.Anonymous(), nil, "vi")
	apptest.WantKind(t, err, errs.Unauthorized)
	if _, err := e.App.Notifications.SetPrefs(e.Ctx, cit, nil, "en"); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.App.Notifications.Prefs(e.Ctx, cit); len(p.Channels) != 0 || p.Lang != "en" {
		t.Fatalf("after turning all off: %+v", p)
	}
	if n := len(e.Audit(t, "account.notification_prefs", "")); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	d := e.Submit(t, apptest.Citizen, "1.001193")
	if rows, _ := e.Store.Notifications(e.Ctx, d.Code); len(rows) != 0 {
		t.Fatalf("told on no channel: %+v", rows)
	}
}

// TestRunRetries: the workers, woken by the commit, meet a mail server
// that refuses twice, and try again after the back-off until it takes
// the message: one e-mail arrives, its row sent after two failed attempts.
func TestRunRetries(t *testing.T) {
	srv, sms := mailtest.Start(t), &texts{}
	e := env(t, srv, sms, apptest.WithConfig(func(c *platform.Config) {
		c.Notifications.MinBackoff, c.Notifications.MaxAttempts, c.Notifications.Poll = time.Second, 5, 10*time.Millisecond
	}))
	ctx, cancel := context.WithCancel(e.Ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.App.Notifications.Run(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	srv.FailNext(2)
	d := e.Submit(t, apptest.Citizen, "1.001193")
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Mails()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		e.Advance(time.Second) // the back-off passes on the environment's clock
	}
	if got := srv.To(citizenMail); len(got) != 1 {
		t.Fatalf("%d mails", len(got))
	}
	var row store.Notification
	for time.Now().Before(deadline) {
		rows, err := e.Store.Notifications(e.Ctx, d.Code)
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %+v, %v", rows, err)
		}
		if row = rows[0]; row.State == store.NotifySent {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if row.State != store.NotifySent || row.Attempts != 2 || row.Key != d.Code+"/received/email" {
		t.Fatalf("row = %+v", row)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(srv.Mails()); n != 1 {
		t.Fatalf("%d mails after the row was sent", n)
	}
}
