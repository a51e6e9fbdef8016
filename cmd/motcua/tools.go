package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/motcua/motcua/app/auditlog"
	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

func loadCalendar(schedule string) (*calendar.Calendar, error) {
	var ss []calendar.Schedule
	if schedule != "" {
		f, err := os.Open(schedule)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		ss, err = calendar.ParseSchedules(f)
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", schedule, err)
		}
	}
	return calendar.New(calendar.DefaultOfficeHours(), ss...)
}

func cmdCalendar(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return cli.UsageError("calendar: want 'due' or 'holidays'")
	}
	fs := flag.NewFlagSet("calendar "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	schedule := fs.String("schedule", "", "JSON file of official yearly schedules (days off, swapped working days)")
	switch args[0] {
	case "due":
		from := fs.String("from", "", "receipt instant, RFC 3339 (e.g. 2026-02-13T10:00:00+07:00)")
		days := fs.Int("days", 0, "working days")
		hours := fs.Int("hours", 0, "working hours")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		t, err := time.Parse(time.RFC3339, *from)
		if err != nil {
			return cli.UsageError(fmt.Sprintf("calendar due: --from must be RFC 3339: %v", err))
		}
		if *days < 0 || *hours < 0 || (*days > 0 && *hours > 0) {
			return cli.UsageError("calendar due: give --days or --hours, not both, not negative")
		}
		c, err := loadCalendar(*schedule)
		if err != nil {
			return err
		}
		due := c.DueDays(t, *days)
		if *hours > 0 {
			due = c.DueHours(t, *hours)
		}
		fmt.Fprintln(stdout, due.Format(time.RFC3339))
		return nil
	case "holidays":
		year := fs.Int("year", time.Now().In(calendar.VN).Year(), "year")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *year < 1901 || *year > 2199 {
			return cli.UsageError("calendar holidays: --year must be between 1901 and 2199")
		}
		c, err := loadCalendar(*schedule)
		if err != nil {
			return err
		}
		for _, h := range c.Holidays(*year) {
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", h.Date, weekdayVI[h.Date.Weekday()], h.Name)
		}
		return nil
	}
	return cli.UsageError("calendar: want 'due' or 'holidays', got " + args[0])
}

var weekdayVI = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

func cmdUnits(args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "resolve-old" {
		return cli.UsageError("usage: motcua units resolve-old CODE")
	}
	d, err := unit.Load()
	if err != nil {
		return err
	}
	r, err := d.ResolveOld(args[1])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "# %s %s (%s, trước 1/7/2025)\n", r.Old.Code, r.Old.Name, r.Old.ProvinceName)
	for _, c := range r.New {
		p, _ := d.Province(c.ProvinceCode)
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", c.Code, c.Name, p.Name)
	}
	return nil
}

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usage = "usage: motcua audit verify|anchor [--data DIR | --db URL] [--pki DIR] [--anchors FILE]"
	if len(args) == 0 || (args[0] != "verify" && args[0] != "anchor") {
		return cli.UsageError(usage)
	}
	fs := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	pkiDir := fs.String("pki", os.Getenv("MOTCUA_PKI"), "PKI directory: signs anchors, checks their signatures (default DATA/pki) [MOTCUA_PKI]")
	anchors := fs.String("anchors", os.Getenv("MOTCUA_AUDIT_ANCHORS"), "file of signed audit anchors (default DATA/"+auditlog.AnchorsFile+") [MOTCUA_AUDIT_ANCHORS]")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *pkiDir == "" {
		*pkiDir = filepath.Join(sf.data, "pki")
	}
	if *anchors == "" {
		*anchors = filepath.Join(sf.data, auditlog.AnchorsFile)
	}
	if sf.db == "" {
		if _, err := os.Stat(filepath.Join(sf.data, sqlstore.SQLiteFile)); err != nil {
			return fmt.Errorf("audit %s: no store in %s: %w", args[0], sf.data, err)
		}
	}
	db, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "anchor" {
		return auditAnchor(ctx, db, sf, *pkiDir, *anchors, stdout)
	}
	list, err := auditlog.ReadAnchorsFile(*anchors)
	if err != nil {
		return err
	}
	var roots *x509.CertPool
	if len(list) > 0 {
		p, err := pki.Open(*pkiDir)
		if err != nil {
			return fmt.Errorf("audit verify: %d anchors in %s, but no PKI to check them: %w", len(list), *anchors, err)
		}
		roots = p.Roots()
	}
	rep, err := auditlog.VerifyChain(ctx, db, list, roots)
	if err != nil {
		return err
	}
	if !rep.OK {
		fmt.Fprintf(stderr, "audit chain BROKEN at entry %d: %s (%d entries verified before it)\n", rep.BadSeq, rep.Problem, rep.Entries)
		return cli.ExitError(1)
	}
	fmt.Fprintf(stdout, "audit chain intact: %d entries in %d chains, last entry %d, %d signed anchors hold\n", rep.Entries, rep.Chains, rep.HeadSeq, rep.Anchors)
	return nil
}

// auditAnchor signs where the log ends now and appends it to the anchors
// file.
func auditAnchor(ctx context.Context, db *sqlstore.DB, sf storeFlags, pkiDir, anchors string, stdout io.Writer) error {
	p, err := pki.Open(pkiDir)
	if err != nil {
		return fmt.Errorf("audit anchor: %w", err)
	}
	a, err := platform.New(ctx, db, platform.Config{ProvinceCode: sf.province, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	signer, _, err := p.SignerOrIssue(auditlog.AnchorAgency(a.Kernel.Province.Name), time.Now())
	if err != nil {
		return fmt.Errorf("audit anchor: %w", err)
	}
	sa, err := a.AuditLog.Anchor(ctx, signer, anchors)
	if err != nil {
		return err
	}
	var last int64
	for _, h := range sa.Heads {
		last = max(last, h.Seq)
	}
	fmt.Fprintf(stdout, "audit anchored at %s: last entry %d, %d chains, in %s\n", sa.At.In(calendar.VN).Format(time.RFC3339), last, len(sa.Heads), anchors)
	return nil
}

func cmdCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		return cli.UsageError("usage: motcua catalog import FILE | export [--data DIR | --db URL]")
	}
	fs := flag.NewFlagSet("catalog "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, db, err := openApp(ctx, sf, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "export" {
		ps, err := a.Province.ExportCatalog(ctx)
		if err != nil {
			return err
		}
		return catalog.Write(stdout, ps)
	}
	if fs.NArg() != 1 {
		return cli.UsageError("usage: motcua catalog import FILE")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	ps, err := catalog.Parse(f)
	if err != nil {
		return err
	}
	n, err := a.Province.ImportCatalog(ctx, identity.SystemActor("cli"), ps)
	if err != nil {
		return err
	}
	out, _ := json.Marshal(map[string]int{"imported": n})
	fmt.Fprintln(stdout, string(out))
	return nil
}

func cmdFiles(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "cleanup" {
		return cli.UsageError("usage: motcua files cleanup [--data DIR | --db URL]")
	}
	fs := flag.NewFlagSet("files cleanup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, db, err := openApp(ctx, sf, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer db.Close()
	n, m, err := a.Dossiers.CleanupUploads(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d uploads not taken by any dossier within %s deleted (%d stored files removed)\n", n, dossiers.UnattachedAfter, m)
	return nil
}
