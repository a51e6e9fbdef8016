package notifications_test

import (
	"testing"

	"github.com/motcua/motcua/app/apptest"
	"github.com/motcua/motcua/app/notifications"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/notify"
)

// BenchmarkSupplementNotified is a specialist's request for supplements
// (one action, one transaction) without notifications (the baseline) and
// with the applicant's messages queued in its transaction (e-mail and SMS;
// nothing sent during the measure).
func BenchmarkSupplementNotified(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "queued"
		}
		b.Run(name, func(b *testing.B) {
			opts := []apptest.Option{apptest.WithConfig(func(c *platform.Config) { c.UploadsPerHour = 1 << 20 })}
			if on {
				sms := &texts{}
				opts = append(opts, apptest.WithConfig(func(c *platform.Config) {
					c.Notifications = notifications.Config{Senders: map[notify.Channel]notifications.Sender{notify.Email: sms, notify.SMS: sms}}
				}))
			}
			e := apptest.New(b, opts...)
			codes := make([]string, b.N)
			for i := range codes {
				d, err := e.App.Dossiers.Submit(e.Ctx, e.Actor(apptest.Citizen), e.SubmitInput(b, apptest.Citizen, "1.001193"))
				if err != nil {
					b.Fatal(err)
				}
				e.Act(b, apptest.Receiver, d.Code, dossier.ActReceive)
				codes[i] = d.Code
			}
			ac := e.Actor(apptest.Specialist)
			b.ResetTimer()
			for i := range b.N {
				if _, err := e.App.Dossiers.Act(e.Ctx, ac, codes[i], dossier.Request{Action: dossier.ActRequestSupplement, Note: "Bản sao giấy tờ"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
