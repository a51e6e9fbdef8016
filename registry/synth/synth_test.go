package synth

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

// now is the generation time of the tests (a time zone other than UTC, to
// check that dates stay "not after Now" however Now is expressed).
var now = time.Date(2026, 3, 15, 8, 30, 0, 0, time.FixedZone("ICT", 7*3600))

func config(t testing.TB, province string, people int, seed uint64, rate float64) Config {
	t.Helper()
	dir := unit.MustLoad()
	p, err := dir.Province(province)
	if err != nil {
		t.Fatal(err)
	}
	return Config{Directory: dir, Province: p, People: people, Seed: seed, Now: now, DefectRate: rate}
}

// checker checks one record against its dataset definition, as the
// data-quality report would, plus the generator's own promises.
type checker struct {
	dir      *unit.Directory
	province string
	now      time.Time
	defs     map[string]*registry.Dataset
}

func newChecker(cfg Config) *checker {
	c := &checker{dir: cfg.Directory, province: cfg.Province.Code, now: cfg.Now, defs: map[string]*registry.Dataset{}}
	for _, ds := range registry.Builtin() {
		c.defs[ds.Code] = &ds
	}
	return c
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// problems lists what is wrong with r ("" for nothing).
func (c *checker) problems(r registry.Record) []string {
	var out []string
	bad := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	ds := c.defs[r.Dataset]
	if ds == nil {
		return []string{"unknown dataset " + r.Dataset}
	}
	if r.Source != "demo" {
		bad("source %q", r.Source)
	}
	if r.Key == "" || r.Key != r.Data[ds.KeyField] {
		bad("key %q vs %s %q", r.Key, ds.KeyField, r.Data[ds.KeyField])
	}
	if ds.SubjectField != "" && r.Subject != r.Data[ds.SubjectField] {
		bad("subject %q vs %s %q", r.Subject, ds.SubjectField, r.Data[ds.SubjectField])
	}
	for name := range r.Data {
		if _, ok := ds.Field(name); !ok {
			bad("field %s not in dataset", name)
		}
	}
	for _, f := range ds.Fields {
		v := r.Data[f.Name]
		if v == "" {
			if f.Required {
				bad("missing %s", f.Name)
			}
			continue
		}
		if v != strings.TrimSpace(v) || !norm.NFC.IsNormalString(v) {
			bad("%s not trimmed NFC: %q", f.Name, v)
		}
		switch f.Type {
		case registry.CitizenID:
			if len(v) != 12 || !allDigits(v) || v[0] != '0' || v[3] > '3' {
				bad("%s malformed: %q", f.Name, v)
				continue
			}
			if _, err := c.dir.ResolveOldProvince(v[1:3]); err != nil {
				bad("%s birthplace %s: %v", f.Name, v[:3], err)
			}
			if v == r.Subject {
				if b := r.Data["birth_date"]; b != "" {
					century := 1900 + 100*int((v[3]-'0')/2)
					if len(b) < 4 || b[:4] != strconv.Itoa(century+int(v[4]-'0')*10+int(v[5]-'0')) {
						bad("%s %s does not match birth date %s", f.Name, v, b)
					}
				}
				if g := r.Data["gender"]; g != "" {
					if male := (v[3]-'0')%2 == 0; male != (g == "Nam") {
						bad("%s %s does not match gender %s", f.Name, v, g)
					}
				}
			}
		case registry.TaxCode:
			if len(v) != 10 || !allDigits(v) {
				bad("%s malformed: %q", f.Name, v)
			}
		case registry.Date:
			d, err := time.Parse(time.DateOnly, v)
			switch {
			case err != nil:
				bad("%s: %v", f.Name, err)
			case d.Year() < 1900:
				bad("%s before 1900: %s", f.Name, v)
			case d.After(c.now) && f.Name != "card_valid_to": // a card's end of validity is in the future
				bad("%s after now: %s", f.Name, v)
			}
		case registry.Enum:
			if !slices.Contains(f.Values, v) {
				bad("%s value %q not in the list", f.Name, v)
			}
		case registry.Number:
			if n, err := strconv.ParseFloat(v, 64); err != nil || n < 0 || strings.Contains(v, ",") {
				bad("%s not a number: %q", f.Name, v)
			}
		case registry.Code:
			if !allDigits(v) || len(v) != f.Length {
				bad("%s not %d digits: %q", f.Name, f.Length, v)
			}
		case registry.Commune:
			cm, err := c.dir.Commune(v)
			if err != nil {
				bad("%s unknown commune %s", f.Name, v)
			} else if cm.ProvinceCode != c.province {
				bad("%s %s outside the province", f.Name, v)
			}
		}
	}
	if r.UpdatedAt.After(c.now) {
		bad("updated in the future: %s", r.UpdatedAt)
	}
	if ds.FreshDays > 0 && r.UpdatedAt.Before(c.now.AddDate(0, 0, -ds.FreshDays)) {
		bad("stale: %s", r.UpdatedAt)
	}
	d := r.Data
	switch r.Dataset {
	case registry.Population:
		if hid := d["household_id"]; hid != "" && !strings.HasPrefix(hid, d["residence_commune"]) {
			bad("household %s not in commune %s", hid, d["residence_commune"])
		}
		if p := d["phone"]; p != "" && (len(p) != 10 || p[0] != '0' || !allDigits(p)) {
			bad("phone %q", p)
		}
		if d["nationality"] != "" && d["nationality"] != "Việt Nam" {
			bad("nationality %q", d["nationality"])
		}
	case registry.Land:
		if d["parcel_id"] != d["commune"]+"-"+d["sheet_no"]+"-"+d["parcel_no"] {
			bad("parcel_id %s vs %s, %s, %s", d["parcel_id"], d["commune"], d["sheet_no"], d["parcel_no"])
		}
		if n := d["certificate_no"]; n != "" && (len(n) != 9 || n[0] < 'A' || n[0] > 'Z' || n[1] < 'A' || n[1] > 'Z' || n[2] != ' ' || !allDigits(n[3:])) {
			bad("certificate_no %q", n)
		}
		if (d["certificate_no"] == "") != (d["certificate_on"] == "") {
			bad("certificate number and date not together")
		}
	case registry.CivilStatus:
		switch d["kind"] {
		case registry.KindBirth:
			b, err1 := time.Parse(time.DateOnly, d["birth_date"])
			reg, err2 := time.Parse(time.DateOnly, d["registered_on"])
			if err1 == nil && err2 == nil && (reg.Before(b) || reg.After(b.AddDate(0, 0, 61))) {
				bad("birth %s registered on %s", d["birth_date"], d["registered_on"])
			}
			if d["father_name"] == "" || d["mother_name"] == "" || !strings.HasPrefix(d["record_no"], "KS.") {
				bad("birth record incomplete")
			}
		case registry.KindMarriage:
			if d["spouse_id"] == "" || d["spouse_name"] == "" || !strings.HasPrefix(d["record_no"], "KH.") {
				bad("marriage record incomplete")
			}
		}
	}
	return out
}

// run generates cfg and checks every record, returning the counts and the
// records' problems by dataset.
func run(t *testing.T, cfg Config, each func(registry.Record, []string)) Counts {
	t.Helper()
	c := newChecker(cfg)
	counts, err := Generate(cfg, func(r registry.Record) error {
		each(r, c.problems(r))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

func digest(t *testing.T, cfg Config) [32]byte {
	t.Helper()
	h := sha256.New()
	if _, err := Generate(cfg, func(r registry.Record) error {
		b, err := json.Marshal(r)
		h.Write(b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}

func TestDeterminism(t *testing.T) {
	base := config(t, "01", 5000, 42, 0.05)
	ref := digest(t, base)
	tests := []struct {
		name string
		edit func(*Config)
		same bool
	}{
		{"same config", func(*Config) {}, true},
		{"other seed", func(c *Config) { c.Seed = 43 }, false},
		{"other defect rate", func(c *Config) { c.DefectRate = 0.1 }, false},
		{"other now", func(c *Config) { c.Now = c.Now.Add(time.Hour) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.edit(&cfg)
			if got := digest(t, cfg); (got == ref) != tt.same {
				t.Errorf("digest equal = %v, want %v", got == ref, tt.same)
			}
		})
	}
}

// household is the residents of one household, in emission order.
type household []map[string]string

func surname(name string) string { s, _, _ := strings.Cut(name, " "); return s }
func birthYear(p map[string]string) int {
	y, _ := strconv.Atoi(p["birth_date"][:4])
	return y
}

// checkHousehold checks a household's members against each other.
func checkHousehold(h household) []string {
	var out []string
	bad := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	var head, father, mother map[string]string
	heads := 0
	for _, p := range h {
		if p["household_id"] != h[0]["household_id"] || p["residence_commune"] != h[0]["residence_commune"] || p["residence_address"] != h[0]["residence_address"] {
			bad("member %s not at the household's place", p["citizen_id"])
		}
		switch p["relation_to_head"] {
		case "Chủ hộ":
			head = p
			heads++
		case "Chồng":
			father = p
		case "Vợ":
			mother = p
		}
	}
	if heads != 1 {
		return append(out, fmt.Sprintf("household %s has %d heads", h[0]["household_id"], heads))
	}
	if head["gender"] == "Nam" && father == nil {
		father = head
	}
	if head["gender"] == "Nữ" && mother == nil {
		mother = head
	}
	within := func(older, younger map[string]string, lo, hi int) {
		if d := birthYear(younger) - birthYear(older); d < lo || d > hi {
			bad("%s (%s) and %s (%s): %d years apart", older["full_name"], older["birth_date"], younger["full_name"], younger["birth_date"], d)
		}
	}
	if father != nil && mother != nil && father["citizen_id"] != mother["citizen_id"] {
		if d := birthYear(father) - birthYear(mother); d < -10 || d > 10 {
			bad("spouses %d years apart", d)
		}
		if father["marital_status"] != "Đã kết hôn" || mother["marital_status"] != "Đã kết hôn" {
			bad("spouses not married")
		}
	}
	for _, p := range h {
		switch p["relation_to_head"] {
		case "Con":
			if father != nil {
				if surname(p["full_name"]) != surname(father["full_name"]) {
					bad("child %s, father %s", p["full_name"], father["full_name"])
				}
				within(father, p, 18, 45)
			}
			if mother != nil {
				within(mother, p, 18, 45)
			}
		case "Bố", "Mẹ":
			within(p, head, 18, 45)
			if p["relation_to_head"] == "Bố" && surname(p["full_name"]) != surname(head["full_name"]) {
				bad("head %s, father %s", head["full_name"], p["full_name"])
			}
		}
	}
	return out
}

func TestCleanPopulation(t *testing.T) {
	const people = 50_000
	cfg := config(t, "01", people, 7, 0)
	keys := map[string]map[string]bool{}
	got := map[string]int{}
	var failures []string
	fail := func(s string) {
		if len(failures) < 20 {
			failures = append(failures, s)
		}
	}
	var cur household
	households, nguyen, kinh := 0, 0, 0
	spouseOf := map[string]string{}
	flush := func() {
		if len(cur) == 0 {
			return
		}
		households++
		for _, p := range checkHousehold(cur) {
			fail(p)
		}
		cur = nil
	}
	counts := run(t, cfg, func(r registry.Record, problems []string) {
		for _, p := range problems {
			fail(r.Dataset + " " + r.Key + ": " + p)
		}
		if keys[r.Dataset] == nil {
			keys[r.Dataset] = map[string]bool{}
		}
		if keys[r.Dataset][r.Key] {
			fail("duplicate key " + r.Dataset + " " + r.Key)
		}
		keys[r.Dataset][r.Key] = true
		got[r.Dataset]++
		d := r.Data
		switch r.Dataset {
		case registry.Population:
			if len(cur) > 0 && cur[0]["household_id"] != d["household_id"] {
				flush()
			}
			cur = append(cur, d)
			if surname(d["full_name"]) == "Nguyễn" {
				nguyen++
			}
			if d["ethnicity"] == "Kinh" {
				kinh++
			}
		case registry.CivilStatus:
			switch d["kind"] {
			case registry.KindBirth:
				if surname(d["father_name"]) != surname(d["full_name"]) {
					fail("birth record " + r.Key + ": " + d["full_name"] + ", father " + d["father_name"])
				}
			case registry.KindMarriage:
				spouseOf[d["citizen_id"]] = d["spouse_id"]
			}
		}
	})
	flush()
	for _, f := range failures {
		t.Error(f)
	}
	if got[registry.Population] != people || counts.Records[registry.Population] != people {
		t.Errorf("population records: emitted %d, counted %d, want %d", got[registry.Population], counts.Records[registry.Population], people)
	}
	for ds, n := range counts.Records {
		if got[ds] != n {
			t.Errorf("%s: counted %d, emitted %d", ds, n, got[ds])
		}
		if counts.Defects[ds] != 0 {
			t.Errorf("%s: %d defects at rate 0", ds, counts.Defects[ds])
		}
	}
	if got[registry.Results] != 0 {
		t.Errorf("results records: %d", got[registry.Results])
	}
	for id, sp := range spouseOf {
		if spouseOf[sp] != id {
			t.Errorf("marriage of %s to %s not mirrored", id, sp)
			break
		}
	}
	// The distributions, loosely.
	ratio := func(name string, n, of int, lo, hi float64) {
		if x := float64(n) / float64(of); x < lo || x > hi {
			t.Errorf("%s = %.3f, want %.2f–%.2f", name, x, lo, hi)
		}
	}
	ratio("mean household size", people, households, 3.2, 3.7)
	ratio("Nguyễn share", nguyen, people, 0.33, 0.44)
	ratio("Kinh share (Hà Nội)", kinh, people, 0.96, 1)
	ratio("insured share", got[registry.SocialInsurance], people, 0.90, 0.94)
	ratio("parcels per household", got[registry.Land], households, 0.80, 0.95) // 0.70 × 1.25
	ratio("businesses per person", got[registry.Enterprise], people, 0.04, 0.06)
	ratio("civil records per person", got[registry.CivilStatus], people, 0.6, 1.0)
}

func TestDefects(t *testing.T) {
	const people, rate = 50_000, 0.05
	cfg := config(t, "01", people, 11, rate)
	failing := map[string]int{}
	kinds := map[string]int{}
	counts := run(t, cfg, func(r registry.Record, problems []string) {
		if len(problems) == 0 {
			return
		}
		failing[r.Dataset]++
		for _, p := range problems {
			switch {
			case strings.HasPrefix(p, "missing"):
				kinds["missing"]++
			case strings.HasPrefix(p, "stale"):
				kinds["stale"]++
			case strings.Contains(p, "unknown commune"):
				kinds["old commune"]++
			case strings.Contains(p, "after now"):
				kinds["future date"]++
			}
		}
	})
	total, defects := 0, 0
	for ds, n := range counts.Records {
		total += n
		defects += counts.Defects[ds]
		// Clean records pass (the population is the clean one, spoiled),
		// so every defective record, and only those, fails a check.
		if failing[ds] != counts.Defects[ds] {
			t.Errorf("%s: %d records fail the checks, %d defects counted", ds, failing[ds], counts.Defects[ds])
		}
	}
	if x := float64(defects) / float64(total); math.Abs(x-rate) > 0.015 {
		t.Errorf("defect share %.4f, want %.2f ± 0.015", x, rate)
	}
	for _, k := range []string{"missing", "stale", "old commune", "future date"} {
		if kinds[k] == 0 {
			t.Errorf("no %s defect found (%v)", k, kinds)
		}
	}
}

func TestProvinces(t *testing.T) {
	tests := []struct{ province string }{
		{"79"}, // Hồ Chí Minh City: three old provinces, mostly wards, Hoa minority, hẻm
		{"08"}, // Tuyên Quang with Hà Giang: northern hills, bản
		{"96"}, // Cà Mau with Bạc Liêu: ấp, Khmer
		{"46"}, // Huế: kiệt
	}
	for _, tt := range tests {
		t.Run(tt.province, func(t *testing.T) {
			cfg := config(t, tt.province, 10_000, 3, 0)
			keys := map[string]bool{}
			home := 0
			n := 0
			counts := run(t, cfg, func(r registry.Record, problems []string) {
				if len(problems) > 0 {
					t.Fatalf("%s %s: %v", r.Dataset, r.Key, problems)
				}
				if keys[r.Dataset+" "+r.Key] {
					t.Fatalf("duplicate %s %s", r.Dataset, r.Key)
				}
				keys[r.Dataset+" "+r.Key] = true
				if r.Dataset == registry.Population {
					n++
					u, _ := cfg.Directory.ResolveOldProvince(r.Key[1:3])
					if slices.Contains(u.New, tt.province) {
						home++
					}
				}
			})
			if counts.Records[registry.Population] != 10_000 {
				t.Errorf("population = %d", counts.Records[registry.Population])
			}
			if x := float64(home) / float64(n); x < 0.83 || x > 0.90 {
				t.Errorf("born in the province: %.3f, want about 0.85 (+ the others drawn from it)", x)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	good := config(t, "01", 10, 1, 0)
	tests := []struct {
		name string
		edit func(*Config)
	}{
		{"no directory", func(c *Config) { c.Directory = nil }},
		{"no communes", func(c *Config) { c.Province = unit.Province{Code: "01"} }},
		{"negative people", func(c *Config) { c.People = -1 }},
		{"defect rate too high", func(c *Config) { c.DefectRate = 0.3 }},
		{"defect rate negative", func(c *Config) { c.DefectRate = -0.1 }},
		{"defect rate NaN", func(c *Config) { c.DefectRate = math.NaN() }},
		{"no now", func(c *Config) { c.Now = time.Time{} }},
		{"now too early", func(c *Config) { c.Now = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"unknown commune", func(c *Config) {
			c.Province.Communes = append(slices.Clone(c.Province.Communes), unit.Commune{Code: "99999", Name: "Xã Không Có"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			if _, err := Generate(cfg, func(registry.Record) error { return nil }); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, err := Generate(good, nil); err == nil {
		t.Error("nil emit: no error")
	}
	if c, err := Generate(good, func(registry.Record) error { return nil }); err != nil || c.Records[registry.Population] != 10 {
		t.Errorf("good config: %v, %v", c, err)
	}
}

func TestEmitError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	_, err := Generate(config(t, "01", 1000, 1, 0), func(registry.Record) error {
		if n++; n == 100 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 100 {
		t.Errorf("err = %v after %d records", err, n)
	}
}

// TestTablesNFC: every name and place string is in NFC with the tone
// placement of vntext.NFC, so it compares equal to what users type.
func TestTablesNFC(t *testing.T) {
	var all []string
	for _, rg := range []region{north, northHills, central, highlands, south} {
		w := surnames(rg)
		all = append(all, w.vals...)
	}
	for _, p := range []string{"04", "25", "38", "52", "51", "56", "46", "79", "96", "01"} {
		w := ethnicities(p, regionOf(p))
		all = append(all, w.vals...)
	}
	for _, w := range []weighted[string]{middleMaleOld, middleMaleNew, middleFemaleOld, middleFemaleNew, givenMale, givenFemale, streets, hamlets, hillHamlets, southHamlets, brands} {
		all = append(all, w.vals...)
	}
	for _, w := range []weighted[trade]{householdTrades, companyTrades} {
		for _, tr := range w.vals {
			all = append(all, tr.word, tr.line)
		}
	}
	for _, s := range all {
		if s != vntext.NFC(s) || s != strings.TrimSpace(s) || s == "" {
			t.Errorf("%q is not in NFC (want %q)", s, vntext.NFC(s))
		}
	}
	if n := len(givenMale.vals); n < 40 {
		t.Errorf("%d male given names", n)
	}
	if n := len(givenFemale.vals); n < 40 {
		t.Errorf("%d female given names", n)
	}
}

func TestPermIsBijection(t *testing.T) {
	for _, h := range []uint64{0, 1, 42, 0xdeadbeef} {
		p := newPerm(h, 1_000_000)
		seen := make([]bool, 1_000_000)
		for i := range uint64(1_000_000) {
			v := p.at(i)
			if v >= 1_000_000 || seen[v] {
				t.Fatalf("perm %d: %d ↦ %d repeats or overflows", h, i, v)
			}
			seen[v] = true
		}
	}
}

func TestDates(t *testing.T) {
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := start; d.Year() < 2101; d = d.AddDate(0, 0, 1) {
		z := dayOf(d.Year(), int(d.Month()), d.Day())
		if int64(z) != d.Unix()/86400 {
			t.Fatalf("dayOf(%s) = %d", d.Format(time.DateOnly), z)
		}
		if got := string(appendDate(nil, z)); got != d.Format(time.DateOnly) {
			t.Fatalf("appendDate(%d) = %s, want %s", z, got, d.Format(time.DateOnly))
		}
	}
	if got := string(appendTenths(nil, 1234)); got != "123.4" {
		t.Errorf("appendTenths = %s", got)
	}
	if got := string(appendTenths(nil, 1230)); got != "123" {
		t.Errorf("appendTenths = %s", got)
	}
}

func TestCitizenIDPrefixFull(t *testing.T) {
	g, err := newGen(config(t, "01", 1, 1, 0), func(registry.Record) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for i := range g.cidCount {
		g.cidCount[i] = 1_000_000
	}
	if _, err := g.appendCitizenID(nil, true, 1990); err == nil {
		t.Error("no error for a full prefix")
	}
}

// BenchmarkGenerate measures generation with a no-op emit; set
// MOTCUA_SYNTH_PEOPLE to change the population per run (default 200,000),
// e.g. 10000000 for the full-scale check.
func BenchmarkGenerate(b *testing.B) {
	people := 200_000
	if s := os.Getenv("MOTCUA_SYNTH_PEOPLE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		people = n
	}
	cfg := config(b, "01", people, 1, 0.02)
	records := 0
	b.ReportAllocs()
	for b.Loop() {
		c, err := Generate(cfg, func(registry.Record) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		records = 0
		for _, n := range c.Records {
			records += n
		}
	}
	b.ReportMetric(float64(people)*float64(b.N)/b.Elapsed().Seconds(), "people/s")
	b.ReportMetric(float64(records)/float64(people), "records/person")
}
