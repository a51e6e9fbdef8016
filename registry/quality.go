package registry

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/identity"
)

// Rule is one of the five quality criteria of a shared dataset (Plan
// 02: "đúng, đủ, sạch, sống, thống nhất").
type Rule string

// The rules, in report order.
const (
	Correct  Rule = "correct"  // đúng: formats, codes, plausible dates
	Complete Rule = "complete" // đủ: required fields present
	Clean    Rule = "clean"    // sạch: no duplicates, one record per person where so defined
	Live     Rule = "live"     // sống: updated within the dataset's freshness window
	Unified  Rule = "unified"  // thống nhất: references to real units and agencies
)

// Rules lists the rules in report order.
var Rules = []Rule{Correct, Complete, Clean, Live, Unified}

// RuleName is a rule's Vietnamese name.
func RuleName(r Rule) string {
	switch r {
	case Correct:
		return "Đúng"
	case Complete:
		return "Đủ"
	case Clean:
		return "Sạch"
	case Live:
		return "Sống"
	case Unified:
		return "Thống nhất"
	}
	return string(r)
}

// Refs answers whether referenced codes exist.
type Refs interface {
	CommuneExists(code string) bool
	AgencyExists(id string) bool
	// OldProvinceExists: a pre-2025 province code (2 digits), the
	// birthplace part of a citizen ID.
	OldProvinceExists(code string) bool
}

// Issue is one failure of one record.
type Issue struct {
	Rule    Rule   `json:"rule"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"` // Vietnamese
}

// Sample is a failing record shown in a report.
type Sample struct {
	Key     string   `json:"key"`
	Reasons []string `json:"reasons"`
}

// RuleResult is one rule's line of a report.
type RuleResult struct {
	Rule    Rule     `json:"rule"`
	Name    string   `json:"name"`
	Passed  int      `json:"passed"`
	Failed  int      `json:"failed"`
	Rate    float64  `json:"rate"` // passed / total in percent, 2 decimals; 100 for an empty dataset
	Samples []Sample `json:"samples,omitempty"`
}

// Report is the quality report of a dataset.
type Report struct {
	Dataset   string       `json:"dataset"`
	Name      string       `json:"name"`
	Total     int          `json:"total"`
	Rules     []RuleResult `json:"rules"`
	CheckedAt time.Time    `json:"checked_at"`
}

// maxSamples is how many failing records a report shows per rule.
const maxSamples = 5

// Checker measures the records of one dataset, one at a time, in memory
// independent of their number except for one 8-byte word per record with
// a subject when the dataset allows one record per person.
type Checker struct {
	ds       *Dataset
	refs     Refs
	now      time.Time
	oldest   time.Time // updated before this: not live
	today    string    // now as YYYY-MM-DD (Vietnam)
	horizon  string    // 50 years ahead, for dates that may lie ahead
	total    int
	failed   map[Rule]int
	samples  map[Rule][]Sample
	subjects []uint64
	// idx: field positions for the typed checks
	birthField, genderField string
}

// NewChecker returns a checker of ds's records as of now.
func NewChecker(ds *Dataset, refs Refs, now time.Time) *Checker {
	c := &Checker{ds: ds, refs: refs, now: now, failed: map[Rule]int{}, samples: map[Rule][]Sample{},
		today: now.In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly), horizon: now.AddDate(50, 0, 0).Format(time.DateOnly)}
	if ds.FreshDays > 0 {
		c.oldest = now.AddDate(0, 0, -ds.FreshDays)
	}
	if _, ok := ds.Field("birth_date"); ok {
		c.birthField = "birth_date"
	}
	if _, ok := ds.Field("gender"); ok {
		c.genderField = "gender"
	}
	return c
}

// Inspect returns the issues of one record by every rule but Clean
// (duplicates need the whole dataset); it does not count it.
func (c *Checker) Inspect(r Record) []Issue {
	var out []Issue
	add := func(rule Rule, field, msg string) { out = append(out, Issue{Rule: rule, Field: field, Message: msg}) }
	for _, f := range c.ds.Fields {
		v := r.Data[f.Name]
		if v == "" {
			if f.Required {
				add(Complete, f.Name, "Thiếu "+f.Label+".")
			}
			continue
		}
		switch f.Type {
		case CitizenID:
			if msg := c.citizenIDProblem(v, r); msg != "" {
				add(Correct, f.Name, f.Label+": "+msg)
			}
		case TaxCode:
			if !identity.ValidTaxCode(v) {
				add(Correct, f.Name, f.Label+" không đúng định dạng (10 chữ số, chi nhánh thêm -3 chữ số).")
			}
		case Date:
			switch {
			case !validDate(v):
				add(Correct, f.Name, f.Label+" không phải ngày hợp lệ (YYYY-MM-DD): "+v+".")
			case v < "1900-01-01" || (!f.Future && v > c.today) || (f.Future && v > c.horizon):
				add(Correct, f.Name, f.Label+" không hợp lý: "+v+".")
			}
		case Enum:
			if !slices.Contains(f.Values, v) {
				add(Correct, f.Name, f.Label+" không thuộc danh mục: "+v+".")
			}
		case Number:
			if n, err := strconv.ParseFloat(v, 64); err != nil || n < 0 {
				add(Correct, f.Name, f.Label+" không phải số không âm: "+v+".")
			}
		case Code:
			if !digits(v) || (f.Length > 0 && len(v) != f.Length) {
				add(Correct, f.Name, f.Label+" phải gồm "+strconv.Itoa(f.Length)+" chữ số.")
			}
		case Commune:
			if len(v) != 5 || !digits(v) {
				add(Correct, f.Name, f.Label+" phải là mã xã 5 chữ số.")
			} else if c.refs != nil && !c.refs.CommuneExists(v) {
				add(Unified, f.Name, f.Label+": mã "+v+" không có trong danh mục đơn vị hành chính từ 1/7/2025.")
			}
		case Agency:
			if c.refs != nil && !c.refs.AgencyExists(v) {
				add(Unified, f.Name, f.Label+": cơ quan "+v+" không có trong danh mục cơ quan.")
			}
		}
	}
	if !c.oldest.IsZero() && r.UpdatedAt.Before(c.oldest) {
		add(Live, "", "Cập nhật lần cuối "+r.UpdatedAt.In(calendar.VN).Format("02/01/2006")+", quá "+strconv.Itoa(c.ds.FreshDays)+" ngày.")
	}
	if r.UpdatedAt.After(c.now.Add(24 * time.Hour)) {
		add(Correct, "", "Thời điểm cập nhật ở tương lai.")
	}
	return out
}

// citizenIDProblem checks a citizen ID's structure (DOMAIN.md) and, for
// the record's own subject, its agreement with the birth date and gender.
func (c *Checker) citizenIDProblem(v string, r Record) string {
	id, ok := identity.ParseCitizenID(v)
	if len(v) != 12 || !digits(v) {
		return "phải gồm 12 chữ số."
	}
	if !ok {
		return "chữ số thứ 4 (giới tính, thế kỷ) không hợp lệ."
	}
	if c.refs != nil && v[0] == '0' && !c.refs.OldProvinceExists(v[1:3]) {
		return "mã nơi đăng ký khai sinh " + v[:3] + " không có."
	}
	if v != r.Subject {
		return ""
	}
	if c.birthField != "" {
		if b := r.Data[c.birthField]; len(b) >= 4 {
			if b[:4] != strconv.Itoa(id.BirthYear) {
				return "không khớp năm sinh " + b[:4] + "."
			}
		}
	}
	if c.genderField != "" {
		g := r.Data[c.genderField]
		if (g == "Nam" && id.Female) || (g == "Nữ" && !id.Female) {
			return "không khớp giới tính " + g + "."
		}
	}
	return ""
}

// Add counts one record.
func (c *Checker) Add(r Record) {
	c.total++
	issues := c.Inspect(r)
	var seen [5]bool
	for _, is := range issues {
		i := slices.Index(Rules, is.Rule)
		if !seen[i] {
			seen[i] = true
			c.failed[is.Rule]++
		}
	}
	for i, rule := range Rules {
		if seen[i] && len(c.samples[rule]) < maxSamples {
			var reasons []string
			for _, is := range issues {
				if is.Rule == rule {
					reasons = append(reasons, is.Message)
				}
			}
			c.samples[rule] = append(c.samples[rule], Sample{Key: r.Key, Reasons: reasons})
		}
	}
	if c.ds.OnePerSubject && c.ds.SubjectField != c.ds.KeyField && r.Subject != "" {
		if n, err := strconv.ParseUint(r.Subject, 10, 64); err == nil && len(r.Subject) == 12 {
			c.subjects = append(c.subjects, n)
		}
	}
}

// Report finishes the count. Keys are unique in a store (a record with an
// existing key replaces it), so Clean counts the records beyond the first
// about the same person in a one-per-person dataset.
func (c *Checker) Report() Report {
	if len(c.subjects) > 1 {
		slices.Sort(c.subjects)
		for i := 1; i < len(c.subjects); i++ {
			if c.subjects[i] == c.subjects[i-1] {
				c.failed[Clean]++
				if len(c.samples[Clean]) < maxSamples {
					id := strconv.FormatUint(c.subjects[i], 10)
					for len(id) < 12 {
						id = "0" + id
					}
					c.samples[Clean] = append(c.samples[Clean], Sample{Key: id, Reasons: []string{"Nhiều bản ghi về cùng một người (số định danh " + id + ")."}})
				}
			}
		}
		c.subjects = nil
	}
	rep := Report{Dataset: c.ds.Code, Name: c.ds.Name, Total: c.total, CheckedAt: c.now}
	for _, rule := range Rules {
		f := min(c.failed[rule], c.total)
		rate := 100.0 // nothing to fault in an empty dataset
		if c.total > 0 {
			rate = Percent(c.total-f, c.total)
		}
		rep.Rules = append(rep.Rules, RuleResult{Rule: rule, Name: RuleName(rule), Passed: c.total - f, Failed: f, Rate: rate, Samples: c.samples[rule]})
	}
	return rep
}

// MarkDuplicate counts a record that duplicates another (an import's
// repeated key).
func (c *Checker) MarkDuplicate(r Record) {
	c.failed[Clean]++
	if len(c.samples[Clean]) < maxSamples {
		c.samples[Clean] = append(c.samples[Clean], Sample{Key: r.Key, Reasons: []string{"Trùng khóa " + r.Key + "."}})
	}
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Percent is n out of of in percent, rounded to two decimals (as the
// national reports round ratios); 0 when of is 0.
func Percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)*10000/float64(of)) / 100
}

// validDate reports whether s is a real calendar date YYYY-MM-DD (the hot
// path of a check over millions of records: no time.Parse).
func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) {
		return false
	}
	y, _ := strconv.Atoi(s[:4])
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	d := int(s[8]-'0')*10 + int(s[9]-'0')
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
