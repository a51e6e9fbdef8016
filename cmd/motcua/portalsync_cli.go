package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/store"
)

const portalSyncUsage = `usage: motcua portal-sync status [--data DIR | --db URL]
       motcua portal-sync resync [--all] [CODE...] [--data DIR | --db URL]`

// failedShown is how many failed dossiers portal-sync status lists.
const failedShown = 20

// cmdPortalSync reads the sync of the dossiers to the national portal, or
// queues dossiers to be sent again (audited as the command line): the
// codes given, every dossier (--all), or every one that failed.
func cmdPortalSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "status" && args[0] != "resync") {
		return cli.UsageError(portalSyncUsage)
	}
	fs := flag.NewFlagSet("portal-sync "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf storeFlags
	sf.register(fs)
	var all bool
	if args[0] == "resync" {
		fs.BoolVar(&all, "all", false, "send every dossier again (default: the codes given, or every dossier that failed)")
	}
	codes, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if (args[0] == "status" && len(codes) > 0) || (all && len(codes) > 0) {
		return cli.UsageError(portalSyncUsage)
	}
	a, db, err := openApp(ctx, sf, newLogger(stderr, "warn"))
	if err != nil {
		return err
	}
	defer db.Close()
	ac := identity.SystemActor("cli")
	if args[0] == "resync" {
		n, err := a.PortalSync.Resync(ctx, ac, codes, all)
		if err != nil {
			return err
		}
		out, _ := json.Marshal(map[string]int{"queued": n})
		fmt.Fprintln(stdout, string(out))
		return nil
	}
	sum, err := a.PortalSync.Status(ctx, ac)
	if err != nil {
		return err
	}
	var failed []store.PortalSync
	if sum.ByState[store.PortalFailed] > 0 {
		if failed, _, err = a.PortalSync.List(ctx, ac, store.PortalSyncFilter{State: store.PortalFailed, Limit: failedShown}); err != nil {
			return err
		}
	}
	printPortalSync(stdout, sum, failed, a.Kernel.Now())
	return nil
}

// printPortalSync writes the sync's state: the rows by state, the oldest
// change waiting, the failed rows with their errors.
func printPortalSync(w io.Writer, sum portalsync.Summary, failed []store.PortalSync, now time.Time) {
	for _, st := range portalsync.States {
		fmt.Fprintf(w, "%-8s %d\t%s\n", st, sum.ByState[st], portalsync.StateName(st))
	}
	fmt.Fprintf(w, "total    %d\t%.2f%% đã đồng bộ (synced)\n", sum.Total, sum.SyncedShare())
	if sum.OldestQueued.IsZero() {
		fmt.Fprintln(w, "oldest   —\tkhông có thay đổi nào đang chờ (nothing waits)")
	} else {
		fmt.Fprintf(w, "oldest   %s\tchờ %s (waiting)\n", sum.OldestQueued.In(calendar.VN).Format(time.RFC3339), now.Sub(sum.OldestQueued).Round(time.Second))
	}
	if len(failed) == 0 {
		return
	}
	fmt.Fprintf(w, "\nHồ sơ lỗi (failed), %d/%d:\n", len(failed), sum.ByState[store.PortalFailed])
	for _, r := range failed {
		fmt.Fprintf(w, "%s\tlần thử %d\tthử lại %s\t%s\n", r.Code, r.Attempts, r.NextAt.In(calendar.VN).Format(time.RFC3339), strings.ReplaceAll(r.LastError, "\n", " "))
	}
}
