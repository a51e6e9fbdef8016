package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/store"
)

// nationalRow is a national dossier record of the tests: submitted at sub,
// its order key the latest date, finished at fin (zero: not), due at due.
func nationalRow(code, province string, status dvcqg.Code, channel dvcqg.Code, sub, fin, due time.Time, synced time.Time) store.NationalDossier {
	rec := dvcqg.Dossier{MaHoSo: code, MaTTHC: "1.001193", TenTTHC: "Đăng ký khai sinh", KenhThucHien: channel, ChuHoSo: "Nguyễn Văn An",
		LoaiDoiTuong: 1, TrangThaiHoSo: status, NgayNopHoSo: dvcqg.FormatTime(sub), NgayTiepNhan: dvcqg.FormatTime(sub.Add(time.Hour)),
		NgayHenTra: dvcqg.FormatTime(due), NgayKetThucXuLy: dvcqg.FormatTime(fin)}
	key := max(rec.NgayNopHoSo, rec.NgayTiepNhan, rec.NgayKetThucXuLy)
	return store.NationalDossier{Record: rec, ProvinceCode: province, SubmittedAt: sub, ReceivedAt: sub.Add(time.Hour), DueAt: due, FinishedAt: fin,
		OrderKey: key, FirstSyncedAt: synced, SyncedAt: synced}
}

func putNational(t *testing.T, s store.Store, recs ...store.NationalDossier) int {
	t.Helper()
	var n int
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.PutNationalDossiers(context.Background(), recs)
		return err
	})
	return n
}

func addProgress(t *testing.T, s store.Store, entries ...store.NationalProgress) int {
	t.Helper()
	var n int
	update(t, s, func(tx store.Tx) error {
		var err error
		n, err = tx.AddNationalProgress(context.Background(), entries)
		return err
	})
	return n
}

// testNational: records are replaced by newer ones of the same province
// only, progress entries are stored once and read in time order, and the
// statistics count by province and period.
func testNational(t *testing.T, s store.Store) {
	ctx := context.Background()
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, calendar.VN) }
	a := nationalRow("000.00.01.H26-261102-00001", "01", 2, 2, day(2, 8), time.Time{}, day(5, 8), t0)
	b := nationalRow("000.00.79.H29-261103-00001", "79", 10, 1, day(3, 8), day(4, 9), day(5, 8), t0)
	if n := putNational(t, s, a, b); n != 2 {
		t.Fatalf("PutNationalDossiers = %d, want 2", n)
	}
	got, err := s.NationalDossier(ctx, a.Record.MaHoSo)
	if err != nil || got.ProvinceCode != "01" || got.Record.ChuHoSo != "Nguyễn Văn An" || got.Record.TrangThaiHoSo != 2 ||
		!got.SubmittedAt.Equal(day(2, 8)) || !got.FinishedAt.IsZero() || !got.DueAt.Equal(day(5, 8)) || !got.FirstSyncedAt.Equal(t0) || got.OrderKey != a.OrderKey {
		t.Fatalf("NationalDossier = %+v, %v", got, err)
	}
	if _, err := s.NationalDossier(ctx, "khong-co"); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("unknown dossier err = %v, want NotFound", err)
	}
	states, err := s.NationalStates(ctx, []string{a.Record.MaHoSo, b.Record.MaHoSo, "khong-co"})
	if err != nil || len(states) != 2 || states[b.Record.MaHoSo] != (store.NationalState{ProvinceCode: "79", OrderKey: b.OrderKey}) {
		t.Fatalf("NationalStates = %v, %v", states, err)
	}

	// Older: not applied. Equal: applied (last writer wins). Newer:
	// applied, the first sync time kept. Another province's: not applied.
	t1 := t0.Add(time.Hour)
	older := nationalRow(a.Record.MaHoSo, "01", 1, 2, day(1, 8), time.Time{}, day(5, 8), t1)
	equal := nationalRow(a.Record.MaHoSo, "01", 4, 2, day(2, 8), time.Time{}, day(5, 8), t1)
	newer := nationalRow(a.Record.MaHoSo, "01", 10, 2, day(2, 8), day(3, 10), day(5, 8), t1.Add(time.Hour))
	stolen := nationalRow(a.Record.MaHoSo, "02", 7, 2, day(2, 8), day(9, 10), day(5, 8), t1)
	for _, tc := range []struct {
		name   string
		rec    store.NationalDossier
		n      int
		status dvcqg.Code
	}{{"older", older, 0, 2}, {"equal", equal, 1, 4}, {"newer", newer, 1, 10}, {"other province", stolen, 0, 10}} {
		if n := putNational(t, s, tc.rec); n != tc.n {
			t.Errorf("%s: written %d, want %d", tc.name, n, tc.n)
		}
		got, _ := s.NationalDossier(ctx, a.Record.MaHoSo)
		if got.Record.TrangThaiHoSo != tc.status || got.ProvinceCode != "01" || !got.FirstSyncedAt.Equal(t0) {
			t.Errorf("%s: stored status %d province %s first synced %v", tc.name, got.Record.TrangThaiHoSo, got.ProvinceCode, got.FirstSyncedAt)
		}
	}

	// Progress: a duplicate in the batch and a retry store nothing twice;
	// entries are read by time, then arrival.
	entry := func(at time.Time, status dvcqg.Code, who, key string) store.NationalProgress {
		return store.NationalProgress{Entry: dvcqg.Progress{MaHoSo: a.Record.MaHoSo, NguoiXuLy: who, ThoiDiemXuLy: dvcqg.FormatTime(at), NoiDungXuLy: "Xử lý", TrangThai: status},
			ProvinceCode: "01", Key: key, At: at, SyncedAt: t1}
	}
	e1, e2, e3 := entry(day(2, 9), 2, "Vũ Thị Lan", "k1"), entry(day(2, 8), 1, "Nguyễn Văn An", "k2"), entry(day(2, 9), 4, "Trần Minh Đức", "k3")
	if n := addProgress(t, s, e1, e2, e1); n != 2 {
		t.Errorf("AddNationalProgress with a duplicate = %d, want 2", n)
	}
	if n := addProgress(t, s, e3, e2); n != 1 {
		t.Errorf("AddNationalProgress retry = %d, want 1", n)
	}
	prog, err := s.NationalProgress(ctx, a.Record.MaHoSo)
	if err != nil || len(prog) != 3 {
		t.Fatalf("NationalProgress = %d entries, %v", len(prog), err)
	}
	for i, want := range []string{"Nguyễn Văn An", "Vũ Thị Lan", "Trần Minh Đức"} {
		if prog[i].Entry.NguoiXuLy != want || prog[i].ProvinceCode != "01" {
			t.Errorf("entry %d = %+v, want %s", i, prog[i], want)
		}
	}
	if prog[0].Key != "k2" || !prog[0].At.Equal(day(2, 8)) || !prog[0].SyncedAt.Equal(t1) {
		t.Errorf("entry 0 = %+v", prog[0])
	}

	// Statistics: a is finished on time (3 < 5), b on the 4th (on time),
	// c late and online, d of province 01 in December.
	c := nationalRow("000.00.79.H29-261103-00002", "79", 10, 2, day(3, 9), day(8, 9), day(5, 8), t1)
	d := nationalRow("000.00.01.H26-261201-00001", "01", 2, 1, time.Date(2026, 12, 1, 8, 0, 0, 0, calendar.VN), time.Time{}, time.Time{}, t1)
	d.ReceivedAt, d.Record.NgayTiepNhan = time.Time{}, ""
	putNational(t, s, c, d)
	all, err := s.NationalStats(ctx, store.NationalStatsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.NationalProvinceStats{
		{ProvinceCode: "01", Synced: 2, Received: 1, Finished: 1, OnTime: 1, Online: 1, LastSyncAt: t1.Add(time.Hour)},
		{ProvinceCode: "79", Synced: 2, Received: 2, Finished: 2, OnTime: 1, Online: 1, LastSyncAt: t1},
	}
	if !equalStats(all, want) {
		t.Errorf("NationalStats = %+v\nwant %+v", all, want)
	}
	nov, err := s.NationalStats(ctx, store.NationalStatsFilter{From: day(3, 0), To: day(4, 0)})
	if err != nil || len(nov) != 1 || nov[0].ProvinceCode != "79" || nov[0].Synced != 2 {
		t.Errorf("NationalStats of 3/11 = %+v, %v", nov, err)
	}
}

func equalStats(a, b []store.NationalProvinceStats) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.LastSyncAt.Equal(y.LastSyncAt) {
			return false
		}
		x.LastSyncAt, y.LastSyncAt = time.Time{}, time.Time{}
		if x != y {
			return false
		}
	}
	return true
}
