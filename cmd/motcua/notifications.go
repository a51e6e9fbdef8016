package main

import (
	"context"
	"flag"
	"log/slog"
	"os"

	"github.com/motcua/motcua/app/notifications"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/mailer"
	"github.com/motcua/motcua/notify"
)

// notifyFlags choose the channels applicants are told on: e-mail through
// the --smtp-* server, SMS and Zalo through a provider.
type notifyFlags struct {
	sms string
}

func (f *notifyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.sms, "sms-provider", os.Getenv("MOTCUA_SMS_PROVIDER"), "provider of the SMS and Zalo notifications: log (the demo's: logs the message instead of sending it) or none (default log with --demo, else none) [MOTCUA_SMS_PROVIDER]")
}

// apply sets cfg.Notifications: e-mail when the mailer is configured
// (--smtp-addr), SMS and Zalo by --sms-provider; links under public.
func (f *notifyFlags) apply(cfg *platform.Config, demo bool, public string, log *slog.Logger) error {
	senders := map[notify.Channel]notifications.Sender{}
	if m, ok := cfg.Passwords.Mailer.(*mailer.SMTP); ok && m != nil {
		senders[notify.Email] = notifications.Mail{SMTP: m}
	}
	provider := f.sms
	if provider == "" && demo {
		provider = "log"
	}
	switch provider {
	case "", "none":
	case "log":
		l := log.With("component", "notifications")
		senders[notify.SMS] = notifications.LogSender{Channel: notify.SMS, Log: l}
		senders[notify.Zalo] = notifications.LogSender{Channel: notify.Zalo, Log: l}
	default:
		return cli.UsageError("--sms-provider " + provider + ": log or none")
	}
	cfg.Notifications = notifications.Config{BaseURL: public, Senders: senders}
	return nil
}

// startNotifications runs the workers that send the notifications; stop
// ends them after their pass (call it before the store is closed).
func startNotifications(ctx context.Context, a *platform.Services, log *slog.Logger) func() {
	chans := a.Notifications.Channels()
	if len(chans) == 0 {
		log.Warn("applicants are not notified (no --smtp-addr, no --sms-provider)")
		return func() {}
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Notifications.Run(rctx)
	}()
	log.Info("applicants notified", "channels", chans)
	return func() {
		cancel()
		<-done
	}
}
