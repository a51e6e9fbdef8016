package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/wallet"
)

func testDatasetRecords(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.DatasetRecord(ctx, registry.Population, "001099000001"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("missing record: %v", err)
	}
	// 1,203 people (more than two INSERT chunks and an odd remainder) and
	// two land parcels of the first.
	var recs []registry.Record
	for i := range 1203 {
		id := fmt.Sprintf("001099%06d", i)
		recs = append(recs, registry.Record{Dataset: registry.Population, Key: id, Subject: id, Source: "test",
			Data: map[string]string{"citizen_id": id, "full_name": "Nguyễn Văn " + fmt.Sprint(i)}, UpdatedAt: t0})
	}
	owner := "001099000000"
	for i, p := range []string{"00004-12-34", "00004-12-35"} {
		recs = append(recs, registry.Record{Dataset: registry.Land, Key: p, Subject: owner, Data: map[string]string{"parcel_id": p, "owner_id": owner},
			UpdatedAt: t0.Add(time_(i)), Source: "test"})
	}
	update(t, s, func(tx store.Tx) error { return tx.PutDatasetRecords(ctx, recs) })
	got, err := s.DatasetRecord(ctx, registry.Population, "001099000007")
	if err != nil || !reflect.DeepEqual(got, recs[7]) {
		t.Fatalf("record = %+v, %v; want %+v", got, err, recs[7])
	}
	// Replace by key.
	changed := recs[7]
	changed.Data = map[string]string{"citizen_id": changed.Key, "full_name": "Trần Thị Hoà"}
	update(t, s, func(tx store.Tx) error { return tx.PutDatasetRecords(ctx, []registry.Record{changed}) })
	if got, _ := s.DatasetRecord(ctx, registry.Population, changed.Key); got.Data["full_name"] != "Trần Thị Hoà" {
		t.Errorf("replaced record = %+v", got)
	}
	if n, err := s.DatasetCount(ctx, registry.Population); err != nil || n != 1203 {
		t.Errorf("count = %d, %v", n, err)
	}
	// By subject: the population record (key = subject) and the land
	// parcels (subject ≠ key), newest first.
	if got, err := s.DatasetRecordsBySubject(ctx, registry.Population, owner, 10); err != nil || len(got) != 1 || got[0].Key != owner {
		t.Errorf("population of %s = %+v, %v", owner, got, err)
	}
	land, err := s.DatasetRecordsBySubject(ctx, registry.Land, owner, 10)
	if err != nil || len(land) != 2 || land[0].Key != "00004-12-35" {
		t.Errorf("land of %s = %+v, %v", owner, land, err)
	}
	if got, _ := s.DatasetRecordsBySubject(ctx, registry.Land, "001099000001", 10); len(got) != 0 {
		t.Errorf("land of another = %+v", got)
	}
	var keys []string
	err = s.ScanDataset(ctx, registry.Population, func(r registry.Record) error { keys = append(keys, r.Key); return nil })
	if err != nil || len(keys) != 1203 {
		t.Fatalf("scan: %d, %v", len(keys), err)
	}
	slices.Sort(keys)
	if keys = slices.Compact(keys); len(keys) != 1203 {
		t.Fatalf("scan returned %d distinct keys", len(keys))
	}
	// fn's error stops the scan and comes back as is.
	stop := errs.New(errs.Conflict, "stop", "dừng", "stop")
	seen := 0
	err = s.ScanDataset(ctx, registry.Population, func(registry.Record) error {
		if seen++; seen == 700 {
			return stop
		}
		return nil
	})
	if err != stop || seen != 700 {
		t.Errorf("stopped scan: %v after %d records", err, seen)
	}
	// A failing transaction leaves nothing behind.
	bad := registry.Record{Dataset: registry.Population, Key: "001099999999", Subject: "001099999999", Data: map[string]string{}, UpdatedAt: t0}
	if err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutDatasetRecords(ctx, []registry.Record{bad}); err != nil {
			return err
		}
		return errs.New(errs.Invalid, "x", "x", "x")
	}); err == nil {
		t.Fatal("update did not fail")
	}
	if _, err := s.DatasetRecord(ctx, registry.Population, bad.Key); errs.KindOf(err) != errs.NotFound {
		t.Errorf("rolled-back record present: %v", err)
	}
}

func time_(i int) time.Duration { return time.Duration(i) * time.Hour }

func testQuarantine(t *testing.T, s store.Store) {
	ctx := context.Background()
	q := []registry.QuarantinedRecord{
		{Dataset: registry.Population, Batch: "b1", Line: 2, Key: "12", Data: map[string]string{"citizen_id": "12"}, Reasons: []string{"Số định danh cá nhân: phải gồm 12 chữ số."}, At: t0},
		{Dataset: registry.Population, Batch: "b1", Line: 5, Key: "", Data: map[string]string{}, Reasons: []string{"Thiếu Họ, chữ đệm và tên.", "Thiếu Ngày sinh."}, At: t0},
	}
	update(t, s, func(tx store.Tx) error { return tx.QuarantineRecords(ctx, q) })
	got, n, err := s.Quarantined(ctx, registry.Population, 10)
	if err != nil || n != 2 || len(got) != 2 || got[0].Line != 5 || len(got[0].Reasons) != 2 || got[1].Data["citizen_id"] != "12" {
		t.Fatalf("quarantined = %+v, %d, %v", got, n, err)
	}
	if got, n, err := s.Quarantined(ctx, registry.Population, 0); err != nil || n != 2 || len(got) != 0 {
		t.Errorf("count only = %d records, %d, %v", len(got), n, err)
	}
	if _, n, _ := s.Quarantined(ctx, registry.Land, 10); n != 0 {
		t.Errorf("land quarantine = %d", n)
	}
	b := registry.ImportBatch{ID: "b1", Kind: "dataset:population", File: "dan-cu.csv", StartedAt: t0, Total: 10, Imported: 8, Quarantined: 2}
	update(t, s, func(tx store.Tx) error { return tx.PutImportBatch(ctx, b) })
	b.FinishedAt = t0.Add(5e9)
	update(t, s, func(tx store.Tx) error { return tx.PutImportBatch(ctx, b) })
	if got, err := s.ImportBatches(ctx, "dataset:population"); err != nil || len(got) != 1 || !got[0].FinishedAt.Equal(b.FinishedAt) || got[0].Imported != 8 {
		t.Errorf("batches = %+v, %v", got, err)
	}
}

func testDocuments(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Document(ctx, "nope"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("missing document: %v", err)
	}
	d1 := wallet.Document{ID: "d1aaaaaaaaaaaaaaaa", Owner: "001099000001", Kind: wallet.KindResult, Title: "Giấy khai sinh", Issuer: "UBND phường Ba Đình", IssuedOn: "2026-03-02", CreatedAt: t0, Source: "platform"}
	d2 := wallet.Document{ID: "d2aaaaaaaaaaaaaaaa", Owner: "001099000001", Kind: wallet.KindDigitized, Title: "Giấy chứng nhận kết hôn", Issuer: "UBND huyện Đông Anh", IssuedOn: "2019-05-20", OldUnit: "017", CreatedAt: t0.Add(1e9), Source: "import:x.csv"}
	d3 := wallet.Document{ID: "d3aaaaaaaaaaaaaaaa", Owner: "001099000002", Kind: wallet.KindResult, Title: "Giấy khai sinh", Issuer: "x", IssuedOn: "2026-03-02", CreatedAt: t0}
	update(t, s, func(tx store.Tx) error {
		for _, d := range []wallet.Document{d1, d2, d3} {
			if err := tx.PutDocument(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := s.Documents(ctx, "001099000001")
	if err != nil || len(got) != 2 || got[0].ID != d2.ID || !reflect.DeepEqual(got[1], d1) {
		t.Fatalf("documents = %+v, %v", got, err)
	}
	d1.Shared = true
	update(t, s, func(tx store.Tx) error { return tx.PutDocument(ctx, d1) })
	if got, err := s.Document(ctx, d1.ID); err != nil || !got.Shared {
		t.Errorf("shared document = %+v, %v", got, err)
	}
}
