package results

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/registry"
)

// A result drawn from the shared datasets (the residence confirmation,
// form CT07) prints what the datasets hold about the applicant, not what
// the applicant typed: its "data:" sources read the applicant's
// population record (the residence data are part of it) in the
// transaction that issues the result.
//
//   - data:population.<field>: a field of the record (registry.Builtin);
//   - data:residence.permanent: the permanent residence, address line,
//     commune and province;
//   - data:residence.temporary: the temporary residence so written, or
//     "Không có" when the record has none;
//   - data:residence.current: the place of living now, taken as the
//     temporary residence when there is one, else the permanent one
//     (provisional: the dataset has no field of its own for it);
//   - data:residence.head_name: the household head's name (the applicant's
//     own when the head, else the record named by head_id);
//   - data:residence.permanent_period, data:residence.temporary_period: the
//     time at each place, "từ ngày 12/03/2015" and "từ ngày 15/08/2025 đến
//     ngày 15/08/2027" (the temporary residence's term), "" when the record
//     has no date. A temporary residence whose term ended before the day
//     of issue is none: "Không có", and the place of living is the
//     permanent residence.
//
// The record is the applicant's, by the citizen ID of the account (checked
// at sign-on), never by an ID typed in the declaration: a confirmation is
// about its requester.

// dataSources are the derived "data:" sources.
var dataSources = map[string]bool{"residence.permanent": true, "residence.temporary": true, "residence.current": true, "residence.head_name": true,
	"residence.permanent_period": true, "residence.temporary_period": true}

// populationFields are the fields of the population dataset.
var populationFields = func() map[string]registry.Field {
	out := map[string]registry.Field{}
	for _, ds := range registry.Builtin() {
		if ds.Code == registry.Population {
			for _, f := range ds.Fields {
				out[f.Name] = f
			}
		}
	}
	return out
}()

// errNoData: the applicant has no record to draw the result from. The
// result is then not issued (a confirmation of nothing would be printed
// with dots); the officials verify the residence (the 3-day case) or
// refuse the dossier with the reason.
var errNoData = errs.New(errs.Conflict, "result.no_residence_data",
	"Không có thông tin cư trú của người yêu cầu trong Cơ sở dữ liệu về cư trú, Cơ sở dữ liệu quốc gia về dân cư: không cấp được kết quả để trống. Cần xác minh thông tin cư trú hoặc từ chối giải quyết và nêu rõ lý do.",
	"the applicant has no residence record: the result cannot be issued empty; verify the residence or refuse the dossier")

// noDataWarning is what the draft prints when the record is missing.
func noDataWarning(d *dossier.Dossier) string {
	return fmt.Sprintf("CHƯA CÓ DỮ LIỆU: không tìm thấy thông tin cư trú của người yêu cầu (số định danh cá nhân %s) trong Cơ sở dữ liệu về cư trú. "+
		"Kết quả sẽ không được cấp: cần xác minh thông tin cư trú hoặc từ chối giải quyết.", d.Applicant.CitizenID)
}

// applicantData reads the applicant's population record for a template's
// "data:" sources, as of the day of issue on. ok is false when the
// applicant has none.
func (s *Service) applicantData(ctx context.Context, db dataReader, d *dossier.Dossier, on time.Time) (map[string]string, bool, error) {
	ds, err := s.data.Dataset(registry.Population)
	if err != nil {
		return nil, false, err
	}
	if ds.Remote != nil {
		return nil, false, errs.New(errs.Unavailable, "population.remote", "Cơ sở dữ liệu dân cư ở hệ thống khác: chưa hỗ trợ lập kết quả từ dữ liệu qua kết nối.",
			"the population dataset is remote: results drawn from it are not supported through the connector")
	}
	if d.Applicant.CitizenID == "" {
		return nil, false, nil
	}
	rec, err := db.DatasetRecord(ctx, registry.Population, d.Applicant.CitizenID)
	if errs.KindOf(err) == errs.NotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("residence data of %s: %w", d.Code, err)
	}
	out := map[string]string{}
	for k, v := range rec.Data {
		out["population."+k] = v
	}
	perm := s.data.FullAddress(rec.Data["residence_address"], rec.Data["residence_commune"])
	out["residence.permanent"], out["residence.current"], out["residence.temporary"] = perm, perm, "Không có"
	out["residence.permanent_period"] = period(rec.Data["residence_since"], "")
	ended := rec.Data["temporary_until"] != "" && rec.Data["temporary_until"] < on.In(calendar.VN).Format(time.DateOnly)
	if (rec.Data["temporary_address"] != "" || rec.Data["temporary_commune"] != "") && !ended {
		tmp := s.data.FullAddress(rec.Data["temporary_address"], rec.Data["temporary_commune"])
		out["residence.temporary"], out["residence.current"] = tmp, tmp
		out["residence.temporary_period"] = period(rec.Data["temporary_since"], rec.Data["temporary_until"])
	}
	switch {
	case rec.Data["relation_to_head"] == "Chủ hộ":
		out["residence.head_name"] = rec.Data["full_name"]
	case rec.Data["head_id"] != "":
		head, err := db.DatasetRecord(ctx, registry.Population, rec.Data["head_id"])
		if err == nil {
			out["residence.head_name"] = head.Data["full_name"]
		} else if errs.KindOf(err) != errs.NotFound {
			return nil, false, fmt.Errorf("household head of %s: %w", d.Code, err)
		}
	}
	return out, true, nil
}

// period writes the time at a place from its dates (YYYY-MM-DD, either
// may be empty): "từ ngày 12/03/2015", "từ ngày 15/08/2025 đến ngày
// 15/08/2027", "đến ngày 15/08/2027", or "" without either.
func period(from, until string) string {
	var parts []string
	if from != "" {
		parts = append(parts, "từ ngày "+format(from, "date"))
	}
	if until != "" {
		parts = append(parts, "đến ngày "+format(until, "date"))
	}
	return strings.Join(parts, " ")
}

// OneYearOn is the last day of a validity of one year from t, in Vietnam's
// time ("có giá trị 01 năm kể từ ngày cấp"): the period starts the day
// after t and ends on the corresponding day of the next year, or on the
// last day of that month when it has no such day (29 February → 28
// February; Civil Code 2015 Art. 147(1), 148(1)).
func OneYearOn(t time.Time) time.Time {
	t = t.In(calendar.VN)
	y, m, d := t.Date()
	first := time.Date(y+1, m, 1, 0, 0, 0, 0, calendar.VN)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(y+1, m, min(d, last), 0, 0, 0, 0, calendar.VN)
}

// dataRead is what the audit entry of a result (or its draft) drawn from
// the datasets says was read: the dataset and the subject; nil for other
// templates.
func dataRead(template string, d *dossier.Dossier) map[string]any {
	tpl, ok := templates[template]
	if !ok || !tpl.usesData() {
		return nil
	}
	return map[string]any{"dataset": registry.Population, "subject": d.Applicant.CitizenID}
}
