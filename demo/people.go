package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/app/platform"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/registry/synth"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/unit"
)

// SamplePeople is the size of the synthetic population the demo server
// loads beside the demo citizens.
const SamplePeople = 2000

// citizenRecords are the shared-data records of the demo citizens, so that
// congdan's forms are prefilled and his residence, birth and marriage
// records and land parcel replace paper components.
func citizenRecords(p unit.Province, home, other string, now time.Time) []registry.Record {
	rec := func(ds string, data map[string]string) registry.Record {
		for _, d := range registry.Builtin() {
			if d.Code == ds {
				r := registry.Record{Data: data, UpdatedAt: now, Source: "demo"}
				d.Normalize(&r)
				return r
			}
		}
		panic("no dataset " + ds)
	}
	household := home + "0000001"
	return []registry.Record{
		rec(registry.Population, map[string]string{"citizen_id": "001090012345", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-14", "gender": "Nam",
			"ethnicity": "Kinh", "nationality": "Việt Nam", "residence_commune": home, "residence_address": "Số 18, ngõ 25, phố Văn Cao", "residence_since": "2015-03-12",
			"household_id": household, "relation_to_head": "Chủ hộ", "marital_status": "Đã kết hôn", "phone": "0912345678", "email": "congdan@example.vn"}),
		rec(registry.Population, map[string]string{"citizen_id": "001192007788", "full_name": "Lê Thị Mai", "birth_date": "1992-09-02", "gender": "Nữ",
			"ethnicity": "Kinh", "nationality": "Việt Nam", "residence_commune": home, "residence_address": "Số 18, ngõ 25, phố Văn Cao", "residence_since": "2019-01-10",
			"household_id": household, "relation_to_head": "Vợ", "head_id": "001090012345", "marital_status": "Đã kết hôn"}),
		rec(registry.Population, map[string]string{"citizen_id": "001195004321", "full_name": "Trần Thị Bích Ngọc", "birth_date": "1995-11-20", "gender": "Nữ",
			"ethnicity": "Kinh", "nationality": "Việt Nam", "residence_commune": other, "residence_address": "Thôn Đông", "residence_since": "1995-12-04",
			"household_id": other + "0000001", "relation_to_head": "Chủ hộ", "marital_status": "Chưa kết hôn", "phone": "0987654321",
			// A two-year temporary residence registered a year ago.
			"temporary_commune": home, "temporary_address": "Phòng 302, nhà B, số 7 phố Đội Cấn",
			"temporary_since": now.AddDate(-1, 0, 0).Format(time.DateOnly), "temporary_until": now.AddDate(1, 0, 0).Format(time.DateOnly)}),
		rec(registry.CivilStatus, map[string]string{"record_no": "KS.1990.000123", "kind": registry.KindBirth, "citizen_id": "001090012345", "full_name": "Nguyễn Văn An",
			"birth_date": "1990-05-14", "gender": "Nam", "father_name": "Nguyễn Văn Bình", "mother_name": "Phạm Thị Hạnh", "registered_on": "1990-05-30", "registry_commune": home}),
		rec(registry.CivilStatus, map[string]string{"record_no": "KH.2018.000045", "kind": registry.KindMarriage, "citizen_id": "001090012345", "full_name": "Nguyễn Văn An",
			"spouse_id": "001192007788", "spouse_name": "Lê Thị Mai", "registered_on": "2018-12-08", "registry_commune": home}),
		rec(registry.Land, map[string]string{"parcel_id": home + "-12-345", "commune": home, "sheet_no": "12", "parcel_no": "345", "area_m2": "68.5", "land_use": "ODT",
			"owner_id": "001090012345", "owner_name": "Nguyễn Văn An", "certificate_no": "DA 123456", "certificate_on": "2019-03-15"}),
		rec(registry.SocialInsurance, map[string]string{"insurance_no": "0190012345", "citizen_id": "001090012345", "full_name": "Nguyễn Văn An", "birth_date": "1990-05-14",
			"card_valid_to": fmt.Sprintf("%d-12-31", now.Year()), "hospital": "Bệnh viện Đa khoa " + p.ShortName(), "status": "Đang tham gia"}),
	}
}

// People loads a synthetic population of n people (registry/synth) into
// the store, in transactions of 5,000 records, each audited; defects is
// the share of records given a deliberate quality defect. It returns the
// records written by dataset.
func People(ctx context.Context, a *platform.Services, s store.Store, n int, seed uint64, defects float64) (map[string]int, error) {
	const chunk = 5000
	var buf []registry.Record
	sys := identity.SystemActor("demo")
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		err := s.Update(ctx, func(tx store.Tx) error {
			if err := tx.PutDatasetRecords(ctx, buf); err != nil {
				return err
			}
			return a.Kernel.Record(ctx, tx, sys, "demo.people", "registry", map[string]int{"records": len(buf)})
		})
		buf = buf[:0]
		return err
	}
	counts, err := synth.Generate(synth.Config{Directory: a.Kernel.Units, Province: a.Kernel.Province, People: n, Seed: seed, Now: a.Kernel.Now(), DefectRate: defects},
		func(r registry.Record) error {
			buf = append(buf, r)
			if len(buf) >= chunk {
				return flush()
			}
			return nil
		})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, fmt.Errorf("demo people: %w", err)
	}
	return counts.Records, nil
}
