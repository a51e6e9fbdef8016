package results

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/store"
)

// PersonalIDNumber composes a 12-digit personal identification number as
// the population dataset establishes it for a person registered at birth
// (Law on Identification 26/2023/QH15 Art. 12; structure of Decree
// 137/2015/NĐ-CP Art. 13, which Decree 70/2024/NĐ-CP is understood to
// keep — provisional): the 3-digit code of the province of birth
// registration, one digit for century and sex (20th century: male 0,
// female 1; 21st: male 2, female 3; 22nd: 4, 5), the last two digits of
// the year of birth, and six digits (serial).
func PersonalIDNumber(provinceCode string, male bool, birthYear, serial int) (string, error) {
	p, err := strconv.Atoi(provinceCode)
	if err != nil || p < 0 || p > 999 {
		return "", fmt.Errorf("personal ID: province code %q is not a number of up to 3 digits", provinceCode)
	}
	if birthYear < 1900 || birthYear > 2199 {
		return "", fmt.Errorf("personal ID: year of birth %d outside 1900–2199", birthYear)
	}
	if serial < 0 || serial > 999999 {
		return "", fmt.Errorf("personal ID: serial %d outside 0–999999", serial)
	}
	cs := (birthYear/100 - 19) * 2
	if !male {
		cs++
	}
	return fmt.Sprintf("%03d%d%02d%06d", p, cs, birthYear%100, serial), nil
}

// newbornID is the personal ID number the population dataset issues to
// the person of a birth registration who has none: the dataset hosted
// here numbers them (a number not yet in it); the number is provisional
// until the national population database confirms it, which the audit
// entry of the write-back says.
func (s *Service) newbornID(ctx context.Context, db dataReader, d *dossier.Dossier, rule *PersonalIDRule) (string, error) {
	ds, err := s.data.Dataset(registry.Population)
	if err != nil {
		return "", err
	}
	if ds.Remote != nil {
		return "", errs.New(errs.Unavailable, "population.remote", "Cơ sở dữ liệu dân cư ở hệ thống khác chưa hỗ trợ cấp số định danh cá nhân qua kết nối.",
			"the population dataset is remote: issuing numbers through the connector is not supported")
	}
	f := newFilling(d, "", time.Time{}, "")
	born, err := time.ParseInLocation("2006-01-02", f.source("form:"+rule.Of+".ngay_sinh"), calendar.VN)
	if err != nil {
		return "", fmt.Errorf("personal ID of %s: no date of birth", d.Code)
	}
	male := f.source("form:"+rule.Of+".gioi_tinh") == "Nam"
	for range 20 {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		id, err := PersonalIDNumber("0"+s.Province.Code, male, born.Year(), int(binary.BigEndian.Uint32(b[:])%1000000))
		if err != nil {
			return "", err
		}
		_, err = db.DatasetRecord(ctx, registry.Population, id)
		if errs.KindOf(err) == errs.NotFound {
			return id, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("personal ID of %s: no free number found", d.Code)
}

type dataReader interface {
	DatasetRecord(ctx context.Context, dataset, key string) (registry.Record, error)
}

// writeNewborn adds the person given a number at registration to the
// population dataset: identity from the declaration, residence and
// household from a parent's record (the mother's first: a minor's
// residence is the parents', Law on Residence 2020 Art. 12), relation
// "Con". A record the quality rules refuse is quarantined (see
// putChecked).
func (s *Service) writeNewborn(ctx context.Context, tx store.Tx, ac identity.Actor, d *dossier.Dossier, rule *PersonalIDRule) error {
	f := newFilling(d, "", time.Time{}, "")
	o := "form:" + rule.Of + "."
	data := map[string]string{"citizen_id": d.Result.HolderID, "full_name": f.source(o + "ho_ten"), "birth_date": f.source(o + "ngay_sinh"),
		"gender": f.source(o + "gioi_tinh"), "ethnicity": f.source(o + "dan_toc"), "nationality": f.source(o + "quoc_tich"), "relation_to_head": "Con"}
	var parentIDs []string
	for _, p := range rule.Parents {
		parentIDs = append(parentIDs, f.source("form:"+p+".so_dinh_danh"))
	}
	if rule.ApplicantRelation != "" && slices.Contains(rule.ParentRelations, f.source("form:"+rule.ApplicantRelation)) {
		parentIDs = append(parentIDs, d.Applicant.CitizenID) // the applicant is the father or mother
	}
	for _, id := range parentIDs {
		if id == "" {
			continue
		}
		if pr, err := tx.DatasetRecord(ctx, registry.Population, id); err == nil {
			for _, k := range []string{"residence_commune", "residence_address", "household_id"} {
				data[k] = pr.Data[k]
			}
			break
		}
	}
	rec := registry.Record{Data: data, UpdatedAt: d.Result.SignedAt, Source: "birth:" + d.Code}
	return s.putChecked(ctx, tx, ac, registry.Population, rec, d.Code)
}
