package demo_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/store/sqlstore"
)

// historyStore seeds the demo and its history at now in a new store and
// returns the dossiers, by code.
func historyStore(t *testing.T, now time.Time) (map[string]dossier.Dossier, time.Duration) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	files, err := blob.Open(t.TempDir(), 5<<20)
	if err != nil {
		t.Fatal(err)
	}
	a, err := platform.New(ctx, db, platform.Config{ProvinceCode: "01", Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Files: files})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, a, db); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n, err := demo.History(ctx, a, db, 4, 1)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := demo.History(ctx, a, db, 4, 1); err != nil || again != 0 {
		t.Errorf("a second run added %d (%v), want none", again, err)
	}
	ds, total, err := db.Dossiers(ctx, dossier.Filter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if total != n {
		t.Errorf("%d dossiers stored, History said %d", total, n)
	}
	out := map[string]dossier.Dossier{}
	for _, d := range ds {
		out[d.Code] = d
	}
	return out, took
}

// The demo's history: months of dossiers on working days, most returned on
// time, some late after an apology, a few refused, the recent ones open
// and a few overdue; deterministic; fast (under 2 s); each dossier a state
// the engine reached (its history replays through the rules).
func TestHistory(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, calendar.VN)
	ds, took := historyStore(t, now)
	t.Logf("%d dossiers in %v", len(ds), took)
	if took > 2*time.Second {
		t.Errorf("the history took %v, want under 2 s", took)
	}
	if len(ds) < 150 {
		t.Fatalf("%d dossiers over 4 months, want at least 150", len(ds))
	}
	count := map[string]int{}
	months := map[string]int{}
	for _, d := range ds {
		months[d.SubmittedAt.In(calendar.VN).Format("2006-01")]++
		if d.SubmittedAt.After(now) || d.SubmittedAt.Before(now.AddDate(0, -4, -1)) {
			t.Errorf("%s submitted %v, outside the 4 months before %v", d.Code, d.SubmittedAt, now)
		}
		if wd := d.SubmittedAt.In(calendar.VN).Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s submitted on a %v", d.Code, wd)
		}
		for _, e := range d.History {
			if e.At.After(now) {
				t.Errorf("%s: %s at %v, after now", d.Code, e.Action, e.At)
			}
		}
		switch {
		case d.Status == dossier.StatusReturned && d.Late():
			count["late"]++
		case d.Status == dossier.StatusReturned:
			count["on time"]++
		case d.Status == dossier.StatusRefused:
			count["refused"]++
		case d.Overdue(now):
			count["overdue"]++
		case !d.Status.Closed():
			count["open"]++
		}
		if d.Channel == dossier.ChannelOnline {
			count["online"]++
		}
	}
	for _, k := range []string{"late", "on time", "refused", "overdue", "open", "online"} {
		if count[k] == 0 {
			t.Errorf("no %s dossier: %v", k, count)
		}
	}
	if count["on time"] < 3*count["late"] {
		t.Errorf("more late than a commune would have: %v", count)
	}
	if len(months) < 4 {
		t.Errorf("dossiers in %d months: %v", len(months), months)
	}
	t.Logf("%v, by month %v", count, months)

	again, _ := historyStore(t, now)
	if len(again) != len(ds) {
		t.Fatalf("not deterministic: %d then %d dossiers", len(ds), len(again))
	}
	for code, d := range ds {
		if e := again[code]; e.Status != d.Status || e.Applicant.Name != d.Applicant.Name || !e.SubmittedAt.Equal(d.SubmittedAt) {
			t.Errorf("%s differs between two runs", code)
		}
	}
}
