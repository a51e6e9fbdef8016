package national

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// Lookup is a dossier as the national mode holds it, whatever its
// province.
type Lookup struct {
	Province     string           `json:"province"`
	ProvinceName string           `json:"province_name"`
	Record       dvcqg.Dossier    `json:"record"`
	Progress     []dvcqg.Progress `json:"progress"`
	// ReceivedAt is when the dossier was first synced, UpdatedAt when the
	// record held was.
	ReceivedAt time.Time `json:"received_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Lookup returns a dossier by its code (errs.NotFound if none was synced).
func (s *Service) Lookup(ctx context.Context, code string) (Lookup, error) {
	if code == "" || len(code) > 200 {
		return Lookup{}, errs.New(errs.Invalid, "national.code_invalid", "Mã hồ sơ không hợp lệ.", "invalid dossier code")
	}
	d, err := s.db.NationalDossier(ctx, code)
	if err != nil {
		return Lookup{}, err
	}
	entries, err := s.db.NationalProgress(ctx, code)
	if err != nil {
		return Lookup{}, err
	}
	out := Lookup{Province: d.ProvinceCode, ProvinceName: s.provinceName(d.ProvinceCode), Record: d.Record,
		Progress: make([]dvcqg.Progress, len(entries)), ReceivedAt: d.FirstSyncedAt, UpdatedAt: d.SyncedAt}
	for i, e := range entries {
		out.Progress[i] = e.Entry
	}
	return out, nil
}

// ProvinceStats are one province's synced dossiers (or the totals).
type ProvinceStats struct {
	Province string `json:"province,omitempty"`
	Name     string `json:"name"`
	// Synced counts the records held; Received those the province
	// received (NgayTiepNhan); Finished those handled (NgayKetThucXuLy);
	// OnTime those finished by NgayHenTra (or with none); Online those
	// submitted online (KenhThucHien 2), OnlineShare their share of Synced.
	Synced      int        `json:"synced"`
	Received    int        `json:"received"`
	Finished    int        `json:"finished"`
	OnTime      int        `json:"on_time"`
	Online      int        `json:"online"`
	OnlineShare float64    `json:"online_share"`
	LastSyncAt  *time.Time `json:"last_sync_at,omitempty"`
}

// Stats are the national statistics: the dossiers submitted in a period
// (all when unbounded), by province and in total.
type Stats struct {
	From      string          `json:"from,omitempty"` // YYYY-MM-DD
	To        string          `json:"to,omitempty"`
	Provinces []ProvinceStats `json:"provinces"`
	Totals    ProvinceStats   `json:"totals"`
}

const dateLayout = "2006-01-02"

// Stats counts the dossiers submitted from from to to (YYYY-MM-DD, Vietnam
// time, both included; "" unbounded) by province: every province of the
// directory, those that synced nothing with zeros.
func (s *Service) Stats(ctx context.Context, from, to string) (Stats, error) {
	var f store.NationalStatsFilter
	parse := func(name, v string) (time.Time, error) {
		if v == "" {
			return time.Time{}, nil
		}
		t, err := time.ParseInLocation(dateLayout, v, calendar.VN)
		if err != nil || !calendar.InRange(t) {
			return time.Time{}, errs.InvalidFields("national.date_invalid", fmt.Sprintf("Ngày %s không đúng dạng YYYY-MM-DD.", name), "invalid date",
				[]errs.FieldError{{Field: name, Key: "invalid_date", Message: "Ngày phải có dạng YYYY-MM-DD."}})
		}
		return t, nil
	}
	var err error
	if f.From, err = parse("from", from); err != nil {
		return Stats{}, err
	}
	if f.To, err = parse("to", to); err != nil {
		return Stats{}, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return Stats{}, errs.New(errs.Invalid, "national.period_invalid", "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.", "from after to")
	}
	rows, err := s.db.NationalStats(ctx, f)
	if err != nil {
		return Stats{}, err
	}
	byCode := make(map[string]store.NationalProvinceStats, len(rows))
	for _, r := range rows {
		byCode[r.ProvinceCode] = r
	}
	out := Stats{From: from, To: to, Totals: ProvinceStats{Name: "Toàn quốc"}}
	add := func(p *ProvinceStats, r store.NationalProvinceStats) {
		p.Synced += r.Synced
		p.Received += r.Received
		p.Finished += r.Finished
		p.OnTime += r.OnTime
		p.Online += r.Online
		if !r.LastSyncAt.IsZero() && (p.LastSyncAt == nil || r.LastSyncAt.After(*p.LastSyncAt)) {
			t := r.LastSyncAt
			p.LastSyncAt = &t
		}
	}
	for _, p := range s.units.Provinces() {
		ps := ProvinceStats{Province: p.Code, Name: p.Name}
		add(&ps, byCode[p.Code])
		ps.OnlineShare = share(ps.Online, ps.Synced)
		out.Provinces = append(out.Provinces, ps)
		add(&out.Totals, byCode[p.Code])
		delete(byCode, p.Code)
	}
	for _, r := range byCode { // a province no longer in the directory
		add(&out.Totals, r)
	}
	out.Totals.OnlineShare = share(out.Totals.Online, out.Totals.Synced)
	return out, nil
}

// share is n/of rounded to four decimals (0 when of is 0).
func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(of)*10000) / 10000
}
