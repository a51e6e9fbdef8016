package main

import (
	"flag"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/mailer"
)

// passwordFlags rule the public's local passwords and the mailer that
// resets them.
type passwordFlags struct {
	local                bool
	smtpAddr, from, user string
}

func (f *passwordFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.local, "local-citizens", os.Getenv("MOTCUA_LOCAL_CITIZENS") == "true", "citizens, enterprises and organisations may sign in with a password of the province (default with --demo; otherwise they sign in with the national identity only) [MOTCUA_LOCAL_CITIZENS=true]")
	fs.StringVar(&f.smtpAddr, "smtp-addr", os.Getenv("MOTCUA_SMTP_ADDR"), "SMTP server (host:port) the platform's mail goes through: password reset links, the applicants' notifications (docs/notifications.md); unset: no mail [MOTCUA_SMTP_ADDR]")
	fs.StringVar(&f.from, "smtp-from", os.Getenv("MOTCUA_SMTP_FROM"), "sender of the platform's mail, e.g. \"Một cửa tỉnh <noreply@dichvucong.tinh.gov.vn>\" [MOTCUA_SMTP_FROM]")
	fs.StringVar(&f.user, "smtp-user", os.Getenv("MOTCUA_SMTP_USER"), "SMTP username (its password in MOTCUA_SMTP_PASSWORD; none: no authentication) [MOTCUA_SMTP_USER]")
}

// apply sets cfg.Passwords; with --demo local passwords stay allowed
// unless --local-citizens=false was given.
func (f *passwordFlags) apply(fs *flag.FlagSet, cfg *platform.Config, demo bool, publicURL string) error {
	local := f.local || (demo && !flagSet(fs, "local-citizens") && os.Getenv("MOTCUA_LOCAL_CITIZENS") == "")
	cfg.Passwords.NoLocalPublic = !local
	if f.smtpAddr == "" {
		return nil
	}
	if f.from == "" {
		return cli.UsageError("--smtp-addr: cần --smtp-from (the sender's address is needed)")
	}
	cfg.Passwords.Mailer = &mailer.SMTP{Addr: f.smtpAddr, From: f.from, Username: f.user, Password: os.Getenv("MOTCUA_SMTP_PASSWORD"), Timeout: 30 * time.Second}
	cfg.Passwords.ResetURL = strings.TrimRight(publicURL, "/") + "/dat-lai-mat-khau"
	return nil
}
