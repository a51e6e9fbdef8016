package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/dossier"
)

// bucket is the SQL of the period (Vietnam time, UTC+7 all year) of a
// time column: "2026-11" by month, "2026-11-23" by day.
func (q q) bucket(col string, byDay bool) string {
	if q.d == postgres {
		f := "YYYY-MM"
		if byDay {
			f = "YYYY-MM-DD"
		}
		return "to_char((" + col + " AT TIME ZONE 'UTC') + interval '7 hours', '" + f + "')"
	}
	f := "%Y-%m"
	if byDay {
		f = "%Y-%m-%d"
	}
	return "strftime('" + f + "', " + col + ", '+7 hours')"
}

// statsAcc gathers the counts of DossierStats.
type statsAcc struct {
	st                           *dossier.Stats
	byAgency, byCommune, periods map[string]*dossier.StatsRow
}

func (a statsAcc) row(m map[string]*dossier.StatsRow, k string) *dossier.StatsRow {
	if m[k] == nil {
		m[k] = &dossier.StatsRow{Key: k}
	}
	return m[k]
}

// pair adds the counts of an (agency, commune).
func (a statsAcc) pair(agency, commune string, x dossier.StatsRow) {
	addRow(a.row(a.byAgency, agency), x)
	addRow(a.row(a.byCommune, commune), x)
	addRow(&a.st.Total, x)
}

// DossierStats aggregates the dossiers of a scope. Whole months (Vietnam
// time) are read from dossier_counts, which CreateDossier and
// UpdateDossier keep; the days of a period outside whole months, and
// periods by day, are grouped from the dossiers themselves over covering
// indexes; the overdue, which depend on Now, always are.
func (r Reader) DossierStats(ctx context.Context, f dossier.StatsFilter) (dossier.Stats, error) {
	st := dossier.Stats{ByStatus: map[int]int{}}
	acc := statsAcc{st: &st, byAgency: map[string]*dossier.StatsRow{}, byCommune: map[string]*dossier.StatsRow{}, periods: map[string]*dossier.StatsRow{}}
	from, to := f.From.In(vnZone), f.To.In(vnZone)
	m0 := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, vnZone)
	if m0.Before(from) {
		m0 = m0.AddDate(0, 1, 0)
	}
	m1 := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, vnZone)
	if f.ByDay || !m0.Before(m1) {
		if err := r.liveStats(ctx, f, from, to, acc); err != nil {
			return st, err
		}
	} else {
		if err := r.monthStats(ctx, f, m0, m1, acc); err != nil {
			return st, err
		}
		for _, iv := range [][2]time.Time{{from, m0}, {m1, to}} {
			if iv[0].Before(iv[1]) {
				if err := r.liveStats(ctx, f, iv[0], iv[1], acc); err != nil {
					return st, err
				}
			}
		}
	}
	if err := r.overdueStats(ctx, f, acc); err != nil {
		return st, err
	}
	st.ByAgency, st.ByCommune, st.ByPeriod = sortedRows(acc.byAgency), sortedRows(acc.byCommune), sortedRows(acc.periods)
	return st, nil
}

// where is the WHERE clause of the scope on the given columns, with more
// conditions.
func (f scopeFilter) where(agencyCol, communeCol string, more ...string) (string, []any) {
	var c []string
	var args []any
	if f.agency != "" {
		c, args = append(c, agencyCol+" = ?"), append(args, f.agency)
	}
	if f.commune != "" {
		c, args = append(c, communeCol+" = ?"), append(args, f.commune)
	}
	c = append(c, more...)
	if len(c) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(c, " AND "), args
}

type scopeFilter struct{ agency, commune string }

// monthStats reads the whole months [m0, m1) from dossier_counts: for the
// whole province the per-agency and per-commune rows (levels 1 and 2),
// else the per-(agency, commune) rows of the scope (level 0).
func (r Reader) monthStats(ctx context.Context, f dossier.StatsFilter, m0, m1 time.Time, acc statsAcc) error {
	months := []any{m0.Format("2006-01"), m1.Format("2006-01")}
	type pass struct {
		level      int
		sc         scopeFilter
		group      string
		add        func(agency, commune string, x dossier.StatsRow)
		withPeriod bool
	}
	var passes []pass
	if f.Agency == "" && f.CommuneCode == "" {
		passes = []pass{
			{1, scopeFilter{}, "agency", func(a, _ string, x dossier.StatsRow) { addRow(acc.row(acc.byAgency, a), x); addRow(&acc.st.Total, x) }, true},
			{2, scopeFilter{}, "commune", func(_, c string, x dossier.StatsRow) { addRow(acc.row(acc.byCommune, c), x) }, false},
		}
	} else {
		passes = []pass{{0, scopeFilter{f.Agency, f.CommuneCode}, "agency, commune", acc.pair, true}}
	}
	for _, p := range passes {
		where, args := p.sc.where("agency", "commune", "level = ?", "month >= ?", "month < ?")
		args = append(append(args, p.level), months...)
		rows, err := r.q.query(ctx, "SELECT agency, commune, sum(submitted), sum(online), sum(finished), sum(on_time), sum(late) FROM dossier_counts"+
			where+" GROUP BY "+p.group+", agency, commune", args...)
		if err != nil {
			return fmt.Errorf("dossier stats by %s: %w", p.group, err)
		}
		for rows.Next() {
			var agency, commune string
			var x dossier.StatsRow
			if err := rows.Scan(&agency, &commune, &x.Submitted, &x.Online, &x.Finished, &x.OnTime, &x.Late); err != nil {
				rows.Close()
				return fmt.Errorf("dossier stats by %s: %w", p.group, err)
			}
			p.add(agency, commune, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("dossier stats by %s: %w", p.group, err)
		}
		if p.withPeriod {
			if err := r.monthPeriods(ctx, where, args, acc); err != nil {
				return err
			}
		}
	}
	return nil
}

// monthPeriods adds the months and the statuses of the rows of where.
func (r Reader) monthPeriods(ctx context.Context, where string, args []any, acc statsAcc) error {
	sums := "sum(submitted), sum(online)"
	for s := 1; s <= 10; s++ {
		sums += fmt.Sprintf(", sum(s%d)", s)
	}
	rows, err := r.q.query(ctx, "SELECT month, "+sums+", sum(finished), sum(on_time), sum(late) FROM dossier_counts"+where+" GROUP BY month", args...)
	if err != nil {
		return fmt.Errorf("dossier stats by month: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v [nCounts]int
		dst := []any{&k}
		for i := range v {
			dst = append(dst, &v[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return fmt.Errorf("dossier stats by month: %w", err)
		}
		p := acc.row(acc.periods, k)
		p.Submitted += v[cSubmitted]
		p.Online += v[cOnline]
		p.Finished += v[cFinished]
		p.OnTime += v[cOnTime]
		p.Late += v[cLate]
		for s := 1; s <= 10; s++ {
			if v[1+s] != 0 {
				acc.st.ByStatus[s] += v[1+s]
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dossier stats by month: %w", err)
	}
	return nil
}

// liveStats groups the dossiers submitted or finished in [from, to): by
// (agency, commune), by period, status and channel, by period and
// timeliness; each one pass over a covering index.
func (r Reader) liveStats(ctx context.Context, f dossier.StatsFilter, from, to time.Time, acc statsAcc) error {
	sc := scopeFilter{f.Agency, f.CommuneCode}
	a, b := r.q.ts(from), r.q.ts(to)
	where, sargs := sc.where("competent_agency", "commune_code", "((submitted_at >= ? AND submitted_at < ?) OR (finished_at >= ? AND finished_at < ?))")
	pairs := `SELECT competent_agency, commune_code,
		sum(CASE WHEN submitted_at >= ? AND submitted_at < ? THEN 1 ELSE 0 END),
		sum(CASE WHEN submitted_at >= ? AND submitted_at < ? AND channel = 2 THEN 1 ELSE 0 END),
		sum(CASE WHEN finished_at >= ? AND finished_at < ? THEN 1 ELSE 0 END),
		sum(CASE WHEN finished_at >= ? AND finished_at < ? AND late = 0 THEN 1 ELSE 0 END),
		sum(CASE WHEN finished_at >= ? AND finished_at < ? AND late = 1 THEN 1 ELSE 0 END)
		FROM dossiers` + where + " GROUP BY competent_agency, commune_code"
	args := append([]any{a, b, a, b, a, b, a, b, a, b}, append(sargs, a, b, a, b)...)
	rows, err := r.q.query(ctx, pairs, args...)
	if err != nil {
		return fmt.Errorf("dossier stats by agency: %w", err)
	}
	for rows.Next() {
		var agency, commune string
		var x dossier.StatsRow
		if err := rows.Scan(&agency, &commune, &x.Submitted, &x.Online, &x.Finished, &x.OnTime, &x.Late); err != nil {
			rows.Close()
			return fmt.Errorf("dossier stats by agency: %w", err)
		}
		acc.pair(agency, commune, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dossier stats by agency: %w", err)
	}

	// Submitted, by period, status and channel.
	where, args = sc.where("competent_agency", "commune_code", "submitted_at >= ?", "submitted_at < ?")
	rows, err = r.q.query(ctx, "SELECT "+r.q.bucket("submitted_at", f.ByDay)+", status, channel, count(*) FROM dossiers"+where+" GROUP BY 1, 2, 3", append(args, a, b)...)
	if err != nil {
		return fmt.Errorf("dossier stats by period: %w", err)
	}
	for rows.Next() {
		var k string
		var status, channel, n int
		if err := rows.Scan(&k, &status, &channel, &n); err != nil {
			rows.Close()
			return fmt.Errorf("dossier stats by period: %w", err)
		}
		acc.st.ByStatus[status] += n
		p := acc.row(acc.periods, k)
		p.Submitted += n
		if channel == int(dossier.ChannelOnline) {
			p.Online += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dossier stats by period: %w", err)
	}

	// Finished, by period and timeliness.
	where, args = sc.where("competent_agency", "commune_code", "finished_at >= ?", "finished_at < ?")
	rows, err = r.q.query(ctx, "SELECT "+r.q.bucket("finished_at", f.ByDay)+", late, count(*) FROM dossiers"+where+" GROUP BY 1, 2", append(args, a, b)...)
	if err != nil {
		return fmt.Errorf("dossier stats of the finished: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var late sql.NullInt64
		var n int
		if err := rows.Scan(&k, &late, &n); err != nil {
			return fmt.Errorf("dossier stats of the finished: %w", err)
		}
		p := acc.row(acc.periods, k)
		p.Finished += n
		switch {
		case late.Valid && late.Int64 == 0:
			p.OnTime += n
		case late.Valid && late.Int64 == 1:
			p.Late += n
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dossier stats of the finished: %w", err)
	}
	return nil
}

// overdueStats counts the dossiers whose running deadline is before Now,
// by (agency, commune).
func (r Reader) overdueStats(ctx context.Context, f dossier.StatsFilter, acc statsAcc) error {
	where, args := scopeFilter{f.Agency, f.CommuneCode}.where("competent_agency || ''", "commune_code || ''", "running_due_at < ?")
	// Expressions, not columns, keep SQLite from scanning dossiers_stats
	// (for its order, or an agency's prefix) rather than the few overdue
	// through dossiers_running.
	rows, err := r.q.query(ctx, "SELECT competent_agency || '', commune_code || '', count(*) FROM dossiers"+where+" GROUP BY 1, 2",
		append(args, r.q.ts(f.Now))...)
	if err != nil {
		return fmt.Errorf("dossier stats of the overdue: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var agency, commune string
		var n int
		if err := rows.Scan(&agency, &commune, &n); err != nil {
			return fmt.Errorf("dossier stats of the overdue: %w", err)
		}
		acc.pair(agency, commune, dossier.StatsRow{Overdue: n})
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dossier stats of the overdue: %w", err)
	}
	return nil
}

func addRow(dst *dossier.StatsRow, x dossier.StatsRow) {
	dst.Submitted += x.Submitted
	dst.Online += x.Online
	dst.Finished += x.Finished
	dst.OnTime += x.OnTime
	dst.Late += x.Late
	dst.Overdue += x.Overdue
}

func sortedRows(m map[string]*dossier.StatsRow) []dossier.StatsRow {
	out := make([]dossier.StatsRow, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, *m[k])
	}
	return out
}

// vnZone is Vietnam's time (UTC+7 all year), in which months are counted.
var vnZone = time.FixedZone("ICT", 7*3600)

// countState is what a dossier adds to dossier_counts.
type countState struct {
	agency, commune string
	submitted       time.Time
	status, channel int
	finished        *time.Time
	late            *int // 1 late, 0 on time, nil unknown
}

// countsOf derives a dossier's counted columns from dossier.Tally.
func countsOf(d *dossier.Dossier) countState {
	t := d.Tally()
	c := countState{agency: d.CompetentAgency, commune: t.Commune, submitted: d.SubmittedAt, status: int(d.Status), channel: int(d.Channel), finished: t.Finished}
	if t.Late != nil {
		late := 0
		if *t.Late {
			late = 1
		}
		c.late = &late
	}
	return c
}

// The columns of dossier_counts after its key, in this order.
const (
	cSubmitted = 0
	cOnline    = 1
	// status s is column 1+s
	cFinished = 12
	cOnTime   = 13
	cLate     = 14
	nCounts   = 15
)

// countKey is a row of dossier_counts: level 0 per (agency, commune),
// 1 per agency, 2 per commune.
type countKey struct {
	level                  int
	agency, commune, month string
}

// add adds sign times the state's contribution to m.
func (c countState) add(m map[countKey]*[nCounts]int, sign int) {
	for _, k := range []countKey{{0, c.agency, c.commune, ""}, {1, c.agency, "", ""}, {2, "", c.commune, ""}} {
		row := func(t time.Time) *[nCounts]int {
			k.month = t.In(vnZone).Format("2006-01")
			if m[k] == nil {
				m[k] = new([nCounts]int)
			}
			return m[k]
		}
		r := row(c.submitted)
		r[cSubmitted] += sign
		if c.channel == int(dossier.ChannelOnline) {
			r[cOnline] += sign
		}
		if c.status >= 1 && c.status <= 10 {
			r[1+c.status] += sign
		}
		if c.finished != nil {
			r = row(*c.finished)
			r[cFinished] += sign
			if c.late != nil {
				r[cOnTime+*c.late] += sign
			}
		}
	}
}

// storedCounts reads the counted columns of a stored dossier (nil if none).
func (t *Tx) storedCounts(ctx context.Context, code string) (*countState, error) {
	var c countState
	var finished time.Time
	var late sql.NullInt64
	err := t.q.queryRow(ctx, "SELECT competent_agency, commune_code, submitted_at, status, channel, finished_at, late FROM dossiers WHERE code = ?", code).
		Scan(&c.agency, &c.commune, timeCol{&c.submitted}, &c.status, &c.channel, timeCol{&finished}, &late)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !finished.IsZero() {
		c.finished = &finished
	}
	if late.Valid {
		l := int(late.Int64)
		c.late = &l
	}
	return &c, nil
}

// countsUpsert adds to n rows of dossier_counts, creating them if needed,
// in one statement (the rows of one change have distinct keys).
func countsUpsert(n int) string {
	if n < len(countsUpserts) {
		return countsUpserts[n]
	}
	return buildCountsUpsert(n)
}

// countsUpserts are the statements for 0..12 rows (a change touches at
// most 12 rows, usually 3), so that the statement cache sees few texts.
var countsUpserts = func() []string {
	out := make([]string, 13)
	for n := 1; n < len(out); n++ {
		out[n] = buildCountsUpsert(n)
	}
	return out
}()

func buildCountsUpsert(n int) string {
	cols := []string{"submitted", "online"}
	for s := 1; s <= 10; s++ {
		cols = append(cols, fmt.Sprintf("s%d", s))
	}
	cols = append(cols, "finished", "on_time", "late")
	set := make([]string, len(cols))
	for i, c := range cols {
		set[i] = c + " = dossier_counts." + c + " + excluded." + c
	}
	tuple := "(?, ?, ?, ?, ?" + strings.Repeat(", ?", len(cols)) + ")"
	tuples := make([]string, n)
	for i := range tuples {
		tuples[i] = tuple
	}
	return "INSERT INTO dossier_counts (level, agency, commune, month, shard, " + strings.Join(cols, ", ") + ") VALUES " + strings.Join(tuples, ", ") +
		" ON CONFLICT (level, agency, commune, month, shard) DO UPDATE SET " + strings.Join(set, ", ")
}

// countDelta is a change to one row of dossier_counts.
type countDelta struct {
	key countKey
	n   [nCounts]int
}

// applyCounts moves a dossier's contribution to dossier_counts from old
// (nil for a new dossier) to now. The change is kept in t until seal
// writes it.
func (t *Tx) applyCounts(ctx context.Context, old *countState, now countState) error {
	m := map[countKey]*[nCounts]int{}
	if old != nil {
		old.add(m, -1)
	}
	now.add(m, 1)
	for k, v := range m {
		if *v != ([nCounts]int{}) {
			t.counts = append(t.counts, countDelta{k, *v})
		}
	}
	return nil
}

// countsArgs sums the transaction's changes by row and returns the rows,
// in one order for every writer, with the arguments of countsUpsert for
// shard.
func (t *Tx) countsArgs(shard int) (rows int, args []any) {
	if len(t.counts) == 0 {
		return 0, nil
	}
	sum := make(map[countKey]*[nCounts]int, len(t.counts))
	for _, d := range t.counts {
		r := sum[d.key]
		if r == nil {
			r = new([nCounts]int)
			sum[d.key] = r
		}
		for i, n := range d.n {
			r[i] += n
		}
	}
	keys := make([]countKey, 0, len(sum))
	for k, v := range sum {
		if *v != ([nCounts]int{}) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b countKey) int {
		return cmp.Or(cmp.Compare(a.level, b.level), cmp.Compare(a.agency, b.agency), cmp.Compare(a.commune, b.commune), cmp.Compare(a.month, b.month))
	})
	args = make([]any, 0, len(keys)*(5+nCounts))
	for _, k := range keys {
		args = append(args, k.level, k.agency, k.commune, k.month, shard)
		for _, n := range sum[k] {
			args = append(args, n)
		}
	}
	return len(keys), args
}
