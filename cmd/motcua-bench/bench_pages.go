package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/cli"
	"github.com/motcua/motcua/internal/democlient"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/web"
)

// benchPages seeds a fresh store with the demo province and --n dossiers
// spread over twelve months, serves the real handler in-process and
// measures the time to first byte of the inbox, a dossier page and the
// dashboard, one request at a time; in the same run the floor (/healthz)
// and a naive dashboard that loads every dossier of the period into Go.
func benchPages(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench pages", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100000, "dossiers to seed")
	reqs := fs.Int("requests", 200, "timed requests per page and run")
	warm := fs.Int("warmup", 20, "untimed requests per page before timing")
	runs := fs.Int("runs", 1, "runs of the measurements; medians are printed when > 1")
	naive := fs.Int("naive", 5, "timed runs of the naive baseline per run (it is slow)")
	pg := fs.String("postgres", "", "PostgreSQL URL to measure too (a fresh schema is created and dropped)")
	keep := fs.String("data", "", "keep the SQLite store in this directory (reused, not seeded again, if it holds dossiers)")
	skipLite := fs.Bool("skip-sqlite", false, "measure PostgreSQL only")
	cpu := fs.String("cpuprofile", "", "write a CPU profile of the measurements to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "motcua-bench-pages")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "store\tpage\tuser\trequests\tp50\tp90\tp99\t\n")
	measure := func(name string, db *sqlstore.DB) error {
		defer db.Close()
		return pagesOn(ctx, name, db, filepath.Join(dir, name+"-files"), *n, *reqs, *warm, *runs, *naive, tw, stderr)
	}
	stopProfile, err := cli.StartCPUProfile(*cpu)
	if err != nil {
		return err
	}
	defer stopProfile()
	liteDir := filepath.Join(dir, "sqlite")
	if *keep != "" {
		liteDir = *keep
	}
	lite, err := sqlstore.OpenSQLite(ctx, liteDir)
	if err != nil {
		return err
	}
	if *skipLite {
		lite.Close()
	} else if err := measure("sqlite", lite); err != nil {
		return err
	}
	if *pg != "" {
		u, drop, err := sqlstore.CreateSchema(ctx, *pg, "benchpages")
		if err != nil {
			return err
		}
		defer drop()
		db, err := sqlstore.OpenPostgres(ctx, u)
		if err != nil {
			return err
		}
		if err := measure("postgres", db); err != nil {
			return err
		}
	}
	return tw.Flush()
}

// pageCase is one measured page.
type pageCase struct {
	name, user, path string
}

func pagesOn(ctx context.Context, name string, db *sqlstore.DB, filesDir string, n, reqs, warm, runs, naiveRuns int, tw io.Writer, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	files, err := blob.Open(filesDir, 5<<20)
	if err != nil {
		return err
	}
	a, err := platform.New(ctx, db, platform.Config{ProvinceCode: "01", Logger: log, Files: files, LoginBurst: 1000})
	if err != nil {
		return err
	}
	info, err := demo.Seed(ctx, a, db)
	if err != nil {
		return err
	}
	start := time.Now()
	var sample string
	if list, total, err := db.Dossiers(ctx, dossier.Filter{CompetentAgency: info.CommuneAgency, Status: int(dossier.StatusProcessing), Limit: 1}); err != nil {
		return err
	} else if total > 0 {
		sample = list[0].Code
		fmt.Fprintf(stderr, "%s: reusing the seeded store\n", name)
	} else {
		if sample, err = seedDossiers(ctx, a, db, info, n); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%s: seeded %d dossiers in %.1fs\n", name, n, time.Since(start).Seconds())
		// What autovacuum would have done by now on PostgreSQL.
		if err := db.Analyze(ctx); err != nil {
			return err
		}
	}
	srv := httptest.NewServer(web.New(a, web.Options{Logger: log}).Handler())
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: time.Minute}
	tokens := map[string]string{}
	for _, u := range []string{"chuyenvien", "tiepnhanxa", "lanhdaotinh", "lanhdao"} {
		token, err := democlient.Login(client, srv.URL, u)
		if err != nil {
			return fmt.Errorf("bench pages: %w", err)
		}
		tokens[u] = token
	}
	cases := []pageCase{
		{"floor: /healthz", "", "/healthz"},
		{"inbox /ho-so", "chuyenvien", "/ho-so"},
		{"inbox /ho-so", "tiepnhanxa", "/ho-so"},
		{"inbox, overdue only", "chuyenvien", "/ho-so?qua-han=1"},
		{"dossier /ho-so/{code}", "chuyenvien", "/ho-so/" + sample},
		{"code search, whole code", "lanhdaotinh", "/ho-so?pham-vi=1&ma=" + sample},
		{"code search, part of a code", "lanhdaotinh", "/ho-so?pham-vi=1&ma=" + sample[len(sample)-12:]},
		{"dashboard /bang-dieu-khien", "lanhdaotinh", "/bang-dieu-khien"},
		{"dashboard /bang-dieu-khien", "lanhdao", "/bang-dieu-khien"},
		{"list behind a number", "lanhdaotinh", "/ho-so?pham-vi=1&qua-han=1"},
	}
	get := func(c pageCase) (time.Duration, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+c.path, nil)
		if c.user != "" {
			req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: tokens[c.user]})
		}
		var t0, first time.Time
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			WroteRequest:         func(httptrace.WroteRequestInfo) { t0 = time.Now() },
			GotFirstResponseByte: func() { first = time.Now() },
		}))
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return 0, fmt.Errorf("bench pages: GET %s as %s = %d", c.path, c.user, res.StatusCode)
		}
		return first.Sub(t0), nil
	}
	type stat struct{ p50, p90, p99 []time.Duration }
	stats := make([]stat, len(cases)+1)
	for range runs {
		for i, c := range cases {
			for range warm {
				if _, err := get(c); err != nil {
					return err
				}
			}
			lat := make([]time.Duration, 0, reqs)
			for range reqs {
				d, err := get(c)
				if err != nil {
					return err
				}
				lat = append(lat, d)
			}
			slices.Sort(lat)
			stats[i].p50 = append(stats[i].p50, pct(lat, 50))
			stats[i].p90 = append(stats[i].p90, pct(lat, 90))
			stats[i].p99 = append(stats[i].p99, pct(lat, 99))
		}
		// The naive dashboard: every dossier of the last twelve months
		// read (JSON decoded) and counted in Go; no HTTP, so it is a
		// lower bound of such a page.
		lat := make([]time.Duration, 0, naiveRuns)
		for range naiveRuns {
			t := time.Now()
			if _, err := naiveDashboard(ctx, db, a.Kernel.Now()); err != nil {
				return err
			}
			lat = append(lat, time.Since(t))
		}
		slices.Sort(lat)
		k := len(cases)
		stats[k].p50 = append(stats[k].p50, pct(lat, 50))
		stats[k].p90 = append(stats[k].p90, pct(lat, 90))
		stats[k].p99 = append(stats[k].p99, pct(lat, 99))
	}
	for i, c := range cases {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d×%d\t%s\t%s\t%s\t\n", name, c.name, c.user, runs, reqs, med(stats[i].p50), med(stats[i].p90), med(stats[i].p99))
	}
	k := len(cases)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%d×%d\t%s\t%s\t%s\t\n", name, "baseline: naive dashboard (all dossiers into Go)", "—", runs, naiveRuns, med(stats[k].p50), med(stats[k].p90), med(stats[k].p99))
	return nil
}

// med is the median of v with its range when there are several runs.
func med(v []time.Duration) string {
	slices.Sort(v)
	s := ms(v[len(v)/2])
	if len(v) > 1 {
		s += fmt.Sprintf(" (%s–%s)", ms(v[0]), ms(v[len(v)-1]))
	}
	return s
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// naiveDashboard is the baseline: read every dossier submitted in the
// last twelve months (pages of 1,000, newest first, each page starting
// before the last one read) and aggregate in Go.
func naiveDashboard(ctx context.Context, db store.DossierReader, now time.Time) (dossier.StatsRow, error) {
	var r dossier.StatsRow
	from, to := now.AddDate(-1, 0, 0), now.Add(time.Hour)
	for {
		list, _, err := db.Dossiers(ctx, dossier.Filter{SubmittedFrom: from, SubmittedTo: to, Limit: 1000})
		if err != nil {
			return r, err
		}
		for i := range list {
			d := &list[i]
			r.Submitted++
			if d.Channel == dossier.ChannelOnline {
				r.Online++
			}
			if d.FinishedAt != nil {
				r.Finished++
				if d.Late() {
					r.Late++
				} else {
					r.OnTime++
				}
			}
			if d.Overdue(now) {
				r.Overdue++
			}
		}
		if len(list) < 1000 {
			return r, nil
		}
		to = list[len(list)-1].SubmittedAt
	}
}

// seedDossiers inserts n dossiers of the demo province, submitted over the
// last twelve months, through the store's transactions (5,000 a
// transaction), and returns the code of one in the inbox of the demo
// commune's specialist.
func seedDossiers(ctx context.Context, a *platform.Services, db store.Store, info demo.Accounts, n int) (string, error) {
	procs, err := db.AllProcedures(ctx)
	if err != nil {
		return "", err
	}
	ags, err := db.Agencies(ctx, unit.AgencyFilter{})
	if err != nil {
		return "", err
	}
	var communes, departments []unit.Agency
	for _, ag := range ags {
		switch ag.Kind {
		case unit.KindCommuneCommittee:
			communes = append(communes, ag)
		case unit.KindDepartment:
			departments = append(departments, ag)
		}
	}
	var communeProcs, provinceProcs []catalog.Procedure
	for _, p := range procs {
		if p.Level == catalog.LevelCommune {
			communeProcs = append(communeProcs, p)
		} else {
			provinceProcs = append(provinceProcs, p)
		}
	}
	if len(communes) == 0 || len(departments) == 0 || len(communeProcs) == 0 || len(provinceProcs) == 0 {
		return "", fmt.Errorf("bench pages: the demo province lacks agencies or procedures")
	}
	rng := rand.New(rand.NewPCG(7, 11))
	now := a.Kernel.Now()
	seq := map[string]int{}
	names := []string{"Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Nam", "Phạm Thu Hà", "Hoàng Minh Tuấn", "Vũ Thị Lan", "Đặng Quốc Bảo", "Bùi Ngọc Anh"}
	form := json.RawMessage(`{"nguoi_yeu_cau":{"ho_ten":"Nguyễn Văn An","so_dinh_danh":"001090012345","quan_he":"cha"},"tre":{"ho_ten":"Nguyễn Minh Khôi","ngay_sinh":"2026-10-01","gioi_tinh":"nam","noi_sinh":"Bệnh viện Phụ sản Hà Nội","dan_toc":"Kinh","quoc_tich":"Việt Nam"}}`)
	sample := ""
	const batch = 5000
	for done := 0; done < n; {
		k := min(batch, n-done)
		err := db.Update(ctx, func(tx store.Tx) error {
			for range k {
				d := benchDossier(rng, now, communes, departments, communeProcs, provinceProcs, names, form, seq, info)
				if err := tx.CreateDossier(ctx, d); err != nil {
					return err
				}
				if sample == "" && d.CompetentAgency == info.CommuneAgency && d.Status == dossier.StatusProcessing {
					sample = d.Code
				}
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("bench pages: seed: %w", err)
		}
		done += k
	}
	if sample == "" {
		return "", fmt.Errorf("bench pages: no dossier in the demo commune's inbox")
	}
	return sample, nil
}

// benchDossier makes one dossier: 70% commune-level (a fifth of those at
// the demo commune, whose officials are measured), 30% province-level;
// the older, the more likely finished; a tenth of the finished late.
func benchDossier(rng *rand.Rand, now time.Time, communes, departments []unit.Agency, communeProcs, provinceProcs []catalog.Procedure,
	names []string, form json.RawMessage, seq map[string]int, info demo.Accounts) *dossier.Dossier {
	var p catalog.Procedure
	var competent unit.Agency
	commune := communes[rng.IntN(len(communes))]
	if rng.IntN(10) < 7 {
		p = communeProcs[rng.IntN(len(communeProcs))]
		if rng.IntN(5) == 0 {
			for _, c := range communes {
				if c.ID == info.CommuneAgency {
					commune = c
				}
			}
		}
		competent = commune
	} else {
		p = provinceProcs[rng.IntN(len(provinceProcs))]
		competent = departments[rng.IntN(len(departments))]
	}
	age := time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))
	submitted := now.Add(-age)
	channel := dossier.ChannelOnline
	switch r := rng.IntN(10); {
	case r < 3:
		channel = dossier.ChannelInPerson
	case r == 3:
		channel = dossier.ChannelPost
	}
	day := submitted.In(calendar.VN).Format("060102")
	key := competent.ID + day
	seq[key]++
	d := &dossier.Dossier{Code: fmt.Sprintf("%s-%s-%05d", competent.ID, day, seq[key]), ProcedureCode: p.Code, ProcedureName: p.Name, Field: p.Field,
		Level: p.Level, ProcessingTime: p.ProcessingTime, SupplementRule: p.SupplementRule, Channel: channel,
		Applicant: dossier.Applicant{AccountID: int64(1000 + rng.IntN(50000)), Type: dossier.ApplicantCitizen, Name: names[rng.IntN(len(names))],
			CitizenID: fmt.Sprintf("0010900%05d", rng.IntN(100000)), CommuneCode: commune.CommuneCode, Phone: "0912345678"},
		Form: form, SubmittedAt: submitted, CompetentAgency: competent.ID, CommuneCode: commune.CommuneCode, Version: 1,
		Components: []dossier.Component{{Code: "GCS", Name: "Giấy chứng sinh", FileID: "f1", SHA256: strings.Repeat("ab", 32), Size: 48213, ContentType: "application/pdf", Original: true}},
		Steps: []dossier.Step{{Name: "Tiếp nhận hồ sơ", Role: identity.RoleReceiver, Share: 10}, {Name: "Thẩm định", Role: identity.RoleSpecialist, AgencyID: competent.ID, Share: 60},
			{Name: "Phê duyệt", Role: identity.RoleLeader, AgencyID: competent.ID, Share: 20}, {Name: "Vào sổ, trả kết quả", Role: identity.RoleClerk, AgencyID: competent.ID, Share: 10}},
		History: []dossier.Event{{At: submitted, Actor: "Công dân", Action: dossier.ActSubmit, To: dossier.StatusNew, Step: -1}}}
	if channel != dossier.ChannelOnline {
		d.ReceivingAgency = competent.ID
		d.Steps[0].AgencyID = competent.ID
	}
	days := max(p.ProcessingTime.Days, 1)
	received := submitted.Add(time.Hour)
	due := received.Add(time.Duration(days) * 24 * time.Hour * 7 / 5)
	// What became of it: the older, the more likely finished.
	// (per mille: after a month, 1.5% are still open, most of them
	// overdue)
	finishedShare := min(985, 200+int(age/(24*time.Hour))*30)
	r := rng.IntN(1000)
	switch {
	case age < 2*time.Hour || r >= 990 && age < 10*24*time.Hour:
		d.Status, d.Current = dossier.StatusNew, 0
		return d
	case r < 20:
		d.Status, d.Current, d.Reason = dossier.StatusRefused, -1, "Hồ sơ không thuộc thẩm quyền"
		d.History = append(d.History, dossier.Event{At: received, Action: dossier.ActRefuse, From: dossier.StatusNew, To: dossier.StatusRefused, Step: 0})
		return d
	}
	d.ReceivedAt = &received
	if d.ReceivingAgency == "" {
		d.ReceivingAgency = info.ServiceCentre
	}
	d.Deadline = calendar.Deadline{Due: due}
	d.History = append(d.History, dossier.Event{At: received, Action: dossier.ActReceive, From: dossier.StatusNew, To: dossier.StatusReceived, Step: 0})
	if r < finishedShare {
		fin := received.Add(time.Duration(rng.Int64N(int64(due.Sub(received)))))
		if rng.IntN(10) == 0 {
			fin = due.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
		}
		if fin.After(now) {
			fin = now.Add(-time.Minute)
		}
		d.FinishedAt = &fin
		d.Status, d.Current = dossier.StatusDone, -1
		if rng.IntN(10) < 9 && fin.Add(48*time.Hour).Before(now) {
			ret := fin.Add(48 * time.Hour)
			d.Status, d.ReturnedAt = dossier.StatusReturned, &ret
		}
		for i := range d.Steps {
			ok := !fin.After(due)
			d.Steps[i].DoneAt, d.Steps[i].OnTime = &fin, &ok
		}
		d.History = append(d.History, dossier.Event{At: fin, Action: dossier.ActCompleteStep, From: dossier.StatusProcessing, To: dossier.StatusDone, Step: 3})
		return d
	}
	// Still open: received, being handled, or waiting for a supplement.
	d.Current = 1 + rng.IntN(3)
	d.Status = dossier.StatusProcessing
	switch rng.IntN(10) {
	case 0:
		d.Status, d.Current = dossier.StatusReceived, 1
	case 1:
		d.Status = dossier.StatusSupplement
		paused := received.Add(24 * time.Hour)
		d.Deadline.PausedAt = &paused
	}
	st := received.Add(2 * time.Hour)
	d.Steps[d.Current].StartedAt = &st
	d.Steps[d.Current].Deadline = calendar.Deadline{Due: due}
	return d
}
