// Package synth generates a realistic, deterministic synthetic population
// for one province and the records the province's shared datasets
// (registry.Builtin) hold about it: residents (dân cư), civil-status
// records (hộ tịch: khai sinh, kết hôn), household businesses and companies
// (hộ kinh doanh, doanh nghiệp), land parcels (thửa đất) and social
// insurance (bảo hiểm xã hội, y tế). It feeds `motcua demo generate
// --people N` and the benchmarks.
//
// People are generated household by household (hộ gia đình): a head (chủ
// hộ), usually a spouse, children who carry their father's surname, and
// sometimes a grandparent, living at one address in one commune (xã,
// phường, đặc khu) of the province. Names are Vietnamese, in NFC, with
// surname, middle-name and given-name frequencies that depend on the
// region and the generation. Identifiers follow their real structure
// (DOMAIN.md, "Identifiers") and are unique by construction: each is a
// counter passed through a bijection, so nothing is remembered per person
// and memory stays proportional to the number of communes, whatever the
// number of people.
//
// The same Config gives byte-identical output: all randomness comes from
// one SplitMix64 stream seeded by Config.Seed, and the deliberate defects
// from a second stream, so a population with defects is the clean one with
// some records spoiled.
//
// The frequencies used are approximate and provisional (see names.go).
package synth

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/unit"
)

// Config describes the population to generate.
type Config struct {
	Directory *unit.Directory
	Province  unit.Province // the province whose communes people live in
	People    int           // number of people in the population dataset
	Seed      uint64        // same seed + config => byte-identical output
	// Now: records' UpdatedAt are spread over the 2 years before Now (at
	// most the dataset's FreshDays); birth dates are before Now.
	Now time.Time
	// DefectRate is the share (0..0.2) of records given one deliberate quality defect, so the
	// data-quality report has something to find: a missing required field, a stale UpdatedAt
	// (older than the dataset's FreshDays), a pre-2025 (non-existent) commune code, an impossible
	// date (after Now) — chosen at random. 0 = perfect data.
	DefectRate float64
}

// Counts is what Generate emitted.
type Counts struct {
	Records map[string]int // by dataset code
	Defects map[string]int // by dataset code: records given a defect
}

// Source is the Source of every generated record.
const Source = "demo"

// nationality is the nationality of everyone generated.
const nationality = "Việt Nam"

// Household sizes (people), after the 2019 census (mean ≈ 3.5).
var householdSizes = table(
	row[int]{1, 10}, row[int]{2, 18}, row[int]{3, 22}, row[int]{4, 27}, row[int]{5, 13}, row[int]{6, 10},
)

// Shares of the other datasets (approximate; provisional).
const (
	shareCouple       = 0.85 // households of 2+ people headed by a couple
	shareHusbandHead  = 0.80 // couples whose head is the husband
	shareOldBirthRec  = 0.30 // people born before 2016 with a digital birth record
	shareLand         = 0.70 // households holding land
	shareSecondParcel = 0.25 // of those, holding a second parcel
	shareCertificate  = 0.90 // parcels with a certificate
	shareHouseholdBiz = 0.06 // adults owning a household business
	shareCompany      = 0.01 // adults owning a company
	shareInsured      = 0.92 // people with social/health insurance
	sharePhone        = 0.88 // adults with a phone number on record
	shareHomeBirth    = 0.85 // people born in (a predecessor of) the province
)

// Generate streams the synthetic population of cfg to emit, household by
// household: for each household its residents, then their civil-status
// records, land parcels, businesses and insurance records. It stops at
// the first error emit returns. Records of the "results" dataset are not
// generated. Emit may keep the records it receives.
func Generate(cfg Config, emit func(registry.Record) error) (Counts, error) {
	g, err := newGen(cfg, emit)
	if err != nil {
		return Counts{}, err
	}
	for left := cfg.People; left > 0; {
		size := min(householdSizes.pick(&g.r), left)
		if err := g.household(size); err != nil {
			return g.counts, err
		}
		left -= size
	}
	return g.counts, nil
}

// Commune kinds.
const (
	phuong = iota
	xa
	dacKhu
)

// commune is a commune of the province and its counters.
type commune struct {
	code, short string
	kind        int
	health      string   // its health station, e.g. "Trạm Y tế phường Ba Đình"
	old         []string // pre-2025 commune codes merged into it (for defects)
	households  int      // last household sequence
	sheet       int      // current cadastral map sheet
	parcel      int      // last parcel number on it
	sheetCap    int      // parcels the sheet holds
}

// dsMeta is what the generator needs of a dataset definition.
type dsMeta struct {
	ds           *registry.Dataset
	missable     []string // required fields other than the key and subject
	communeField string   // "" when none
	pastDates    []string // date fields that may not be after Now
	window       int64    // UpdatedAt spread, seconds
}

// gen is one run's state; its size depends on the communes, not on the
// number of people.
type gen struct {
	cfg    Config
	emit   func(registry.Record) error
	r      rng // the population
	dr     rng // the defects
	today  int // day number of the last date not after Now
	minDay int // 1900-01-01
	nowSec int64
	loc    *time.Location
	years  int // 1900 .. today's year

	communes    []commune
	pickCommune weighted[int]
	oldAny      []string // pre-2025 codes of the province, for communes without their own
	hospitals   []string // regional and provincial hospitals
	region      region
	surnames    weighted[string]
	ethnic      weighted[string]

	oldProvinces []string // 2-digit codes of the pre-2025 63-province scheme
	home         []int    // indexes of the old provinces that became this one
	cidCount     []uint32 // per citizen-ID prefix: old province × digit 4 × year
	civSeq       []uint32 // per commune × year × kind: civil record numbers
	taxPerm      perm
	taxN         uint64
	insPerm      perm
	insN         uint64
	seedHash     uint64

	pop, civ, ent, land, ins dsMeta

	// Enumerated values, looked up in the dataset definitions.
	male, female                                      string
	relHead, relWife, relHusband, relChild, relFather string
	relMother                                         string
	single, married, divorced, widowed                string
	kindBirth, kindMarriage                           string
	kindHousehold                                     string
	companyKinds                                      weighted[string]
	entStatus, bizStatus                              weighted[string]
	insActive, insPaused, insLumpSum                  string
	useResidentialUrban, useResidentialRural          string
	urbanSecond, ruralSecond                          weighted[string]

	counts Counts
	rb     recBuf
	hb     []byte   // the household's strings
	ms     []member // the household's members
}

func newGen(cfg Config, emit func(registry.Record) error) (*gen, error) {
	switch {
	case cfg.Directory == nil:
		return nil, errors.New("synth: no unit directory")
	case len(cfg.Province.Communes) == 0:
		return nil, fmt.Errorf("synth: province %q has no communes", cfg.Province.Code)
	case len(cfg.Province.Code) != 2:
		return nil, fmt.Errorf("synth: province code %q is not 2 digits", cfg.Province.Code)
	case cfg.People < 0:
		return nil, fmt.Errorf("synth: negative number of people %d", cfg.People)
	case !(cfg.DefectRate >= 0 && cfg.DefectRate <= 0.2):
		return nil, fmt.Errorf("synth: defect rate %v outside 0..0.2", cfg.DefectRate)
	case cfg.Now.IsZero():
		return nil, errors.New("synth: Now is not set")
	case cfg.Now.Year() < 2000 || cfg.Now.Year() > 2099:
		// Citizen IDs here encode births in 1900–2099, and people live up to 100.
		return nil, fmt.Errorf("synth: Now %s outside 2000–2099", cfg.Now.Format(time.DateOnly))
	case emit == nil:
		return nil, errors.New("synth: no emit function")
	}
	g := &gen{
		cfg:      cfg,
		emit:     emit,
		r:        rng{s: mix(cfg.Seed^0x243f6a8885a308d3) ^ provinceHash(cfg.Province.Code)},
		dr:       rng{s: mix(cfg.Seed^0x13198a2e03707344) ^ provinceHash(cfg.Province.Code)},
		nowSec:   cfg.Now.Unix(),
		loc:      cfg.Now.Location(),
		minDay:   dayOf(1900, 1, 1),
		seedHash: mix(cfg.Seed ^ 0xa4093822299f31d0),
		counts:   Counts{Records: map[string]int{}, Defects: map[string]int{}},
	}
	// A date D is "not after Now" when D 00:00 UTC ≤ Now.
	g.today = int(floorDiv(g.nowSec, 86400))
	g.years = yearOf(g.today) - 1900 + 1
	if err := g.setUnits(); err != nil {
		return nil, err
	}
	if err := g.setDatasets(); err != nil {
		return nil, err
	}
	for _, ds := range registry.Builtin() {
		g.counts.Records[ds.Code] = 0
		g.counts.Defects[ds.Code] = 0
	}
	g.region = regionOf(cfg.Province.Code)
	g.surnames = surnames(g.region)
	g.ethnic = ethnicities(cfg.Province.Code, g.region)
	g.civSeq = make([]uint32, len(g.communes)*g.years*2)
	g.cidCount = make([]uint32, len(g.oldProvinces)*400)
	g.taxPerm = newPerm(g.seedHash^0x7a, 1e8)
	g.insPerm = newPerm(g.seedHash^0xb5, 1e8)
	return g, nil
}

// provinceHash separates the streams of provinces generated with one seed.
func provinceHash(code string) uint64 {
	h := uint64(0xcbf29ce484222325)
	for i := 0; i < len(code); i++ {
		h = (h ^ uint64(code[i])) * 0x100000001b3
	}
	return mix(h)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// setUnits prepares the communes, their pre-2025 predecessors and the old
// provinces.
func (g *gen) setUnits() error {
	dir, p := g.cfg.Directory, g.cfg.Province
	own := make(map[string]int, len(p.Communes))
	weights := make([]float64, len(p.Communes))
	idx := make([]int, len(p.Communes))
	var phuongs []string
	for i, c := range p.Communes {
		if _, err := dir.Commune(c.Code); err != nil {
			return fmt.Errorf("synth: commune %s of province %s: %w", c.Code, p.Code, err)
		}
		cm := commune{code: c.Code, short: c.Name, kind: xa, sheet: 1}
		for _, pre := range []struct {
			prefix string
			kind   int
			weight float64
		}{{"Phường ", phuong, 1.3}, {"Xã ", xa, 1}, {"Đặc khu ", dacKhu, 0.6}} {
			if s, ok := strings.CutPrefix(c.Name, pre.prefix); ok {
				cm.short, cm.kind, weights[i] = s, pre.kind, pre.weight
			}
		}
		if weights[i] == 0 {
			weights[i] = 1
		}
		cm.health = "Trạm Y tế " + strings.ToLower(strings.TrimSuffix(c.Name, cm.short)) + cm.short
		if cm.kind == phuong && len(phuongs) < 12 {
			phuongs = append(phuongs, cm.short)
		}
		g.communes = append(g.communes, cm)
		own[c.Code] = i
		idx[i] = i
	}
	g.pickCommune = newWeighted(idx, weights)
	for i := range g.communes {
		g.communes[i].sheetCap = 150 + g.r.intn(350)
	}

	// Hospitals: the provincial general hospital and regional ones named
	// after the first wards.
	level := "tỉnh "
	if p.Type != "tỉnh" {
		level = "thành phố "
	}
	g.hospitals = append(g.hospitals, "Bệnh viện Đa khoa "+level+p.ShortName())
	for _, s := range phuongs {
		g.hospitals = append(g.hospitals, "Bệnh viện Đa khoa khu vực "+s)
	}

	// Pre-2025 commune codes: old codes are numbered near the new ones
	// (a new commune usually keeps the code of one of the old ones it
	// merged), so probe the neighbourhood of each new code for codes that
	// resolve as old ones but are no longer communes.
	seen := map[string]bool{}
	probe := func(n int) {
		if n <= 0 || n > 99999 {
			return
		}
		code := string(appendPad(nil, uint64(n), 5))
		if _, ok := own[code]; ok || seen[code] {
			return
		}
		seen[code] = true
		res, err := dir.ResolveOld(code)
		if err != nil {
			return
		}
		if _, err := dir.Commune(code); err == nil {
			return // still a commune (elsewhere)
		}
		for _, nc := range res.New {
			if i, ok := own[nc.Code]; ok {
				g.communes[i].old = append(g.communes[i].old, code)
				if len(g.oldAny) < 256 {
					g.oldAny = append(g.oldAny, code)
				}
			}
		}
	}
	for _, c := range p.Communes {
		n, _ := strconv.Atoi(c.Code)
		for d := 1; d <= 30; d++ {
			probe(n - d)
			probe(n + d)
		}
	}
	if len(g.oldAny) == 0 {
		for n := 1; n <= 99999 && len(g.oldAny) == 0; n++ {
			probe(n)
		}
	}
	if len(g.oldAny) == 0 {
		return fmt.Errorf("synth: no pre-2025 commune code found for province %s", p.Code)
	}

	// Old provinces (63-province scheme), for citizen IDs' birthplace.
	for n := 1; n <= 99; n++ {
		code := string(appendPad(nil, uint64(n), 2))
		u, err := dir.ResolveOldProvince(code)
		if err != nil {
			continue
		}
		if slices.Contains(u.New, p.Code) {
			g.home = append(g.home, len(g.oldProvinces))
		}
		g.oldProvinces = append(g.oldProvinces, code)
	}
	if len(g.oldProvinces) == 0 {
		return errors.New("synth: the directory has no pre-2025 provinces")
	}
	if len(g.home) == 0 {
		for i := range g.oldProvinces {
			g.home = append(g.home, i)
		}
	}
	return nil
}

// setDatasets reads the dataset definitions: key and subject fields, the
// fields a defect may touch, and the enumerated values used. A definition
// that no longer has a field or value the generator writes is an error.
func (g *gen) setDatasets() error {
	defs := map[string]*registry.Dataset{}
	for _, ds := range registry.Builtin() {
		defs[ds.Code] = &ds
	}
	var errs []error
	meta := func(code string, fields ...string) dsMeta {
		ds := defs[code]
		if ds == nil {
			errs = append(errs, fmt.Errorf("synth: no built-in dataset %q", code))
			return dsMeta{ds: &registry.Dataset{Code: code}}
		}
		for _, f := range fields {
			if _, ok := ds.Field(f); !ok {
				errs = append(errs, fmt.Errorf("synth: dataset %s has no field %s", code, f))
			}
		}
		m := dsMeta{ds: ds}
		for _, f := range ds.Fields {
			if f.Required && f.Name != ds.KeyField && f.Name != ds.SubjectField {
				m.missable = append(m.missable, f.Name)
			}
			if f.Type == registry.Commune && m.communeField == "" {
				m.communeField = f.Name
			}
			// A card's validity end is naturally in the future, so it is
			// never spoiled as "a date after Now". NOTE: registry.Checker
			// (quality.go) currently flags every future date, including
			// this one; it should exempt validity ends.
			if f.Type == registry.Date && f.Name != "card_valid_to" {
				m.pastDates = append(m.pastDates, f.Name)
			}
		}
		days := 730
		if ds.FreshDays > 0 {
			days = min(days, ds.FreshDays-1)
		}
		m.window = int64(days) * 86400
		return m
	}
	g.pop = meta(registry.Population, "citizen_id", "full_name", "birth_date", "gender", "ethnicity", "nationality",
		"residence_commune", "residence_address", "household_id", "relation_to_head", "marital_status", "phone")
	g.civ = meta(registry.CivilStatus, "record_no", "kind", "citizen_id", "full_name", "birth_date", "gender",
		"father_name", "mother_name", "spouse_id", "spouse_name", "registered_on", "registry_commune")
	g.ent = meta(registry.Enterprise, "tax_code", "kind", "name", "owner_id", "owner_name", "commune", "address",
		"business_line", "capital", "registered_on", "status")
	g.land = meta(registry.Land, "parcel_id", "commune", "sheet_no", "parcel_no", "area_m2", "land_use",
		"owner_id", "owner_name", "certificate_no", "certificate_on")
	g.ins = meta(registry.SocialInsurance, "insurance_no", "citizen_id", "full_name", "birth_date",
		"card_valid_to", "hospital", "status")

	enum := func(m dsMeta, field, v string) string {
		f, ok := m.ds.Field(field)
		if ok && !slices.Contains(f.Values, v) {
			errs = append(errs, fmt.Errorf("synth: %s.%s has no value %q", m.ds.Code, field, v))
		}
		return v
	}
	g.male, g.female = enum(g.pop, "gender", "Nam"), enum(g.pop, "gender", "Nữ")
	enum(g.civ, "gender", "Nam")
	enum(g.civ, "gender", "Nữ")
	g.relHead, g.relWife = enum(g.pop, "relation_to_head", "Chủ hộ"), enum(g.pop, "relation_to_head", "Vợ")
	g.relHusband, g.relChild = enum(g.pop, "relation_to_head", "Chồng"), enum(g.pop, "relation_to_head", "Con")
	g.relFather, g.relMother = enum(g.pop, "relation_to_head", "Bố"), enum(g.pop, "relation_to_head", "Mẹ")
	g.single, g.married = enum(g.pop, "marital_status", "Chưa kết hôn"), enum(g.pop, "marital_status", "Đã kết hôn")
	g.divorced, g.widowed = enum(g.pop, "marital_status", "Ly hôn"), enum(g.pop, "marital_status", "Góa")
	g.kindBirth, g.kindMarriage = enum(g.civ, "kind", registry.KindBirth), enum(g.civ, "kind", registry.KindMarriage)
	g.kindHousehold = enum(g.ent, "kind", "Hộ kinh doanh")
	g.companyKinds = table(
		row[string]{enum(g.ent, "kind", "Công ty TNHH một thành viên"), 45},
		row[string]{enum(g.ent, "kind", "Công ty TNHH hai thành viên trở lên"), 20},
		row[string]{enum(g.ent, "kind", "Công ty cổ phần"), 25},
		row[string]{enum(g.ent, "kind", "Doanh nghiệp tư nhân"), 10},
	)
	active := enum(g.ent, "status", "Đang hoạt động")
	paused := enum(g.ent, "status", "Tạm ngừng kinh doanh")
	closed := enum(g.ent, "status", "Đã chấm dứt hoạt động")
	g.bizStatus = table(row[string]{active, 88}, row[string]{paused, 5}, row[string]{closed, 7})
	g.entStatus = table(row[string]{active, 85}, row[string]{paused, 7}, row[string]{closed, 8})
	g.insActive = enum(g.ins, "status", "Đang tham gia")
	g.insPaused = enum(g.ins, "status", "Tạm dừng")
	g.insLumpSum = enum(g.ins, "status", "Đã hưởng một lần")
	use := func(v string) string { return enum(g.land, "land_use", v) }
	g.useResidentialUrban, g.useResidentialRural = use("ODT"), use("ONT")
	g.urbanSecond = table(row[string]{use("ODT"), 60}, row[string]{use("CLN"), 25}, row[string]{use("BHK"), 15})
	g.ruralSecond = table(row[string]{use("LUC"), 45}, row[string]{use("CLN"), 25}, row[string]{use("BHK"), 15},
		row[string]{use("NTS"), 8}, row[string]{use("RSX"), 7})
	return errors.Join(errs...)
}

// span is a part of the household's string buffer.
type span struct{ lo, hi int32 }

// member is one person of the household being generated.
type member struct {
	male     bool
	age      int // whole years, as generated
	birth    int // day number
	surname  string
	middle   string
	given    string
	rel      string
	marital  string // "" for minors
	ethnic   string
	father   int  // index in the household, -1 when absent
	mother   int  // index in the household, -1 when absent
	spouse   int  // index in the household, -1 when none
	birthRec bool // has a digital birth record
	phoneOK  bool

	name, id, birthS, phone, fatherName, motherName span
	// The strings, once the household's buffer is converted.
	sName, sID, sBirth, sPhone, sFather, sMother string
}

// household generates and emits one household of size people.
func (g *gen) household(size int) error {
	r := &g.r
	ci := g.pickCommune.pick(r)
	c := &g.communes[ci]
	c.households++
	if c.households > 9_999_999 {
		return fmt.Errorf("synth: more than 9,999,999 households in commune %s", c.code)
	}

	// Composition: a couple or a single parent (or a single person), maybe
	// a grandparent (a parent of the head), and children.
	couple := size >= 2 && r.chance(shareCouple)
	adults := 1
	if couple {
		adults = 2
	}
	grand := false
	if size >= 3 {
		p := 0.2
		if size >= 5 {
			p = 0.4
		}
		grand = r.chance(p)
	}
	kids := size - adults
	if grand {
		kids--
	}

	// Ages. b[i] is the mother's (or single parent's) age at child i's
	// birth: 19–43, the first mostly in the early twenties, then gaps of
	// 1–5 years.
	var b [6]int
	parentAge := 0
	if kids > 0 {
		b[0] = 19 + r.skewed(0, 13)
		for i := 1; i < kids; i++ {
			b[i] = min(b[i-1]+r.between(1, 5), 43)
		}
		// Grown-up children often live with their parents.
		youngest := r.intn(18)
		if r.chance(0.3) {
			youngest = r.between(18, 35)
		}
		if grand {
			youngest = min(youngest, 60-b[kids-1])
		}
		parentAge = b[kids-1] + youngest
	}

	ms := g.ms[:0]
	hb := g.hb[:0]
	add := func(m member) int {
		m.father, m.mother, m.spouse = -1, -1, -1
		ms = append(ms, m)
		return len(ms) - 1
	}
	head, wife, husband := 0, -1, -1
	eth := g.ethnic.pick(r)
	var fatherSurname string // the children's surname
	absentFather := ""       // surname of a father who does not live here

	switch {
	case couple:
		var wifeAge, d int
		switch {
		case kids > 0:
			wifeAge = parentAge
			// The husband is 20–44 at each birth, and close in age.
			d = max(min(r.between(0, 3)+r.between(0, 4)-boolInt(r.chance(0.1)), 44-b[kids-1]), 20-b[0], -1)
		case grand || r.chance(0.4):
			wifeAge, d = r.between(20, 34), r.between(0, 6)
		default:
			wifeAge, d = r.between(50, 82), r.between(-1, 7)
		}
		husbandAge := max(wifeAge+d, 20)
		hEth, wEth := eth, eth
		if r.chance(0.1) {
			wEth = g.ethnic.pick(r)
		}
		h := member{male: true, age: husbandAge, surname: g.surnames.pick(r), marital: g.married, ethnic: hEth}
		w := member{male: false, age: wifeAge, surname: g.surnames.pick(r), marital: g.married, ethnic: wEth}
		if r.chance(shareHusbandHead) {
			h.rel, w.rel = g.relHead, g.relWife
			husband, wife = add(h), add(w)
		} else {
			w.rel, h.rel = g.relHead, g.relHusband
			wife, husband = add(w), add(h)
		}
		ms[husband].spouse, ms[wife].spouse = wife, husband
		fatherSurname = ms[husband].surname
	case kids > 0 || grand:
		p := member{male: r.chance(0.25), age: parentAge, surname: g.surnames.pick(r), rel: g.relHead, ethnic: eth}
		if p.age == 0 {
			p.age = r.between(25, 60)
		}
		p.marital = g.divorced
		if r.chance(0.45) || (p.age > 50 && r.chance(0.5)) {
			p.marital = g.widowed
		}
		add(p)
		if p.male {
			husband, fatherSurname = 0, p.surname
		} else {
			wife = 0
			absentFather = g.surnames.pick(r)
			fatherSurname = absentFather
		}
	default: // one person living alone
		p := member{male: r.chance(0.5), rel: g.relHead, ethnic: eth, surname: g.surnames.pick(r)}
		switch x := r.float(); {
		case x < 0.45:
			p.age = r.between(18, 35)
			p.marital = g.single
			if r.chance(0.1) {
				p.marital = g.divorced
			}
		case x < 0.65:
			p.age = r.between(36, 59)
			p.marital = pick3(r, 0.40, g.single, 0.45, g.divorced, g.widowed)
		default:
			p.age = r.between(60, 90)
			p.marital = pick3(r, 0.15, g.single, 0.15, g.divorced, g.widowed)
		}
		add(p)
	}

	if grand {
		hd := &ms[head]
		gp := member{male: r.chance(0.35), ethnic: hd.ethnic}
		gp.age = hd.age + r.between(20, max(20, min(35, 99-hd.age)))
		gp.marital = g.widowed
		if r.chance(0.2) {
			gp.marital = g.married
		}
		if gp.male {
			gp.rel, gp.surname = g.relFather, hd.surname
		} else {
			gp.rel, gp.surname = g.relMother, g.surnames.pick(r)
		}
		gi := add(gp)
		if gp.male {
			ms[head].father = gi
		} else {
			ms[head].mother = gi
		}
	}

	for i := range kids {
		k := member{male: r.chance(0.512), age: parentAge - b[i], surname: fatherSurname, rel: g.relChild, father: -1, mother: -1, spouse: -1}
		if husband >= 0 {
			k.father, k.ethnic = husband, ms[husband].ethnic
		}
		if wife >= 0 {
			k.mother = wife
			if husband < 0 {
				k.ethnic = ms[wife].ethnic
			}
		}
		if k.age >= 18 {
			k.marital = g.single
			if k.age >= 25 && r.chance(0.05) {
				k.marital = g.divorced
			}
		}
		ms = append(ms, k)
	}

	// Names, births, identifiers and phones, into the household buffer.
	for i := range ms {
		m := &ms[i]
		m.birth = max(addYears(g.today, -m.age)-r.intn(365), g.minDay)
		year := yearOf(m.birth)
		m.middle, m.given = g.middleGiven(m.male, year)
		lo := int32(len(hb))
		hb = appendName(hb, m.surname, m.middle, m.given)
		m.name = span{lo, int32(len(hb))}
		var err error
		lo = int32(len(hb))
		if hb, err = g.appendCitizenID(hb, m.male, year); err != nil {
			return err
		}
		m.id = span{lo, int32(len(hb))}
		lo = int32(len(hb))
		hb = appendDate(hb, m.birth)
		m.birthS = span{lo, int32(len(hb))}
		m.phoneOK = m.age >= 18 && r.chance(sharePhone)
		if m.phoneOK {
			lo = int32(len(hb))
			hb = append(hb, '0')
			hb = append(hb, phonePrefixes.pick(r)...)
			hb = appendPad(hb, uint64(r.intn(10_000_000)), 7)
			m.phone = span{lo, int32(len(hb))}
		}
		m.birthRec = year >= 2016 || r.chance(shareOldBirthRec)
		if !m.birthRec {
			continue
		}
		// Parents not in the household get a name: the father carries the
		// person's surname (or the absent father's, for the children).
		if m.father < 0 {
			s := m.surname
			if m.rel == g.relChild && absentFather != "" {
				s = absentFather
			}
			mid, giv := g.middleGiven(true, year-28)
			lo = int32(len(hb))
			hb = appendName(hb, s, mid, giv)
			m.fatherName = span{lo, int32(len(hb))}
		}
		if m.mother < 0 {
			mid, giv := g.middleGiven(false, year-26)
			lo = int32(len(hb))
			hb = appendName(hb, g.surnames.pick(r), mid, giv)
			m.motherName = span{lo, int32(len(hb))}
		}
	}
	// The household's number and address.
	lo := int32(len(hb))
	hb = append(hb, c.code...)
	hb = appendPad(hb, uint64(c.households), 7)
	hidSpan := span{lo, int32(len(hb))}
	lo = int32(len(hb))
	hb = g.appendAddress(hb, c)
	addrSpan := span{lo, int32(len(hb))}

	hs := string(hb)
	str := func(s span) string { return hs[s.lo:s.hi] }
	for i := range ms {
		m := &ms[i]
		m.sName, m.sID, m.sBirth, m.sPhone = str(m.name), str(m.id), str(m.birthS), str(m.phone)
		m.sFather, m.sMother = str(m.fatherName), str(m.motherName)
	}
	for i := range ms {
		m := &ms[i]
		if m.father >= 0 {
			m.sFather = ms[m.father].sName
		}
		if m.mother >= 0 {
			m.sMother = ms[m.mother].sName
		}
	}
	hid, addr := str(hidSpan), str(addrSpan)
	g.ms, g.hb = ms, hb

	// Residents.
	for i := range ms {
		m := &ms[i]
		rb := g.rb.reset()
		rb.set("citizen_id", m.sID)
		rb.set("full_name", m.sName)
		rb.set("birth_date", m.sBirth)
		rb.set("gender", g.gender(m))
		rb.set("ethnicity", m.ethnic)
		rb.set("nationality", nationality)
		rb.set("residence_commune", c.code)
		rb.set("residence_address", addr)
		rb.set("household_id", hid)
		rb.set("relation_to_head", m.rel)
		rb.set("marital_status", m.marital)
		rb.set("phone", m.sPhone)
		if err := g.finish(&g.pop, ci, m.birth); err != nil {
			return err
		}
	}
	// Civil status: birth records, then the couple's marriage.
	for i := range ms {
		if ms[i].birthRec {
			if err := g.birthRecord(&ms[i], ci); err != nil {
				return err
			}
		}
	}
	if couple {
		if err := g.marriage(ms, husband, wife, kids, ci); err != nil {
			return err
		}
	}
	// Land held by the head.
	if r.chance(shareLand) {
		n := 1 + boolInt(r.chance(shareSecondParcel))
		for j := range n {
			if err := g.parcel(&ms[head], ci, j); err != nil {
				return err
			}
		}
	}
	// Businesses of adults.
	for i := range ms {
		if ms[i].age < 18 {
			continue
		}
		switch x := r.float(); {
		case x < shareHouseholdBiz:
			if err := g.business(&ms[i], ci, addr, true); err != nil {
				return err
			}
		case x < shareHouseholdBiz+shareCompany:
			if err := g.business(&ms[i], ci, addr, false); err != nil {
				return err
			}
		}
	}
	// Insurance.
	for i := range ms {
		if r.chance(shareInsured) {
			if err := g.insurance(&ms[i], ci); err != nil {
				return err
			}
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pick3 returns a with probability pa, b with probability pb, else c.
func pick3(r *rng, pa float64, a string, pb float64, b, c string) string {
	switch x := r.float(); {
	case x < pa:
		return a
	case x < pa+pb:
		return b
	}
	return c
}

func (g *gen) gender(m *member) string {
	if m.male {
		return g.male
	}
	return g.female
}

// middleGiven picks a middle and a given name for someone born in year.
func (g *gen) middleGiven(male bool, year int) (string, string) {
	r := &g.r
	if male {
		if year < 1995 {
			return middleMaleOld.pick(r), givenMale.pick(r)
		}
		return middleMaleNew.pick(r), givenMale.pick(r)
	}
	if year < 1995 {
		return middleFemaleOld.pick(r), givenFemale.pick(r)
	}
	return middleFemaleNew.pick(r), givenFemale.pick(r)
}

func appendName(b []byte, surname, middle, given string) []byte {
	b = append(b, surname...)
	b = append(b, ' ')
	b = append(b, middle...)
	b = append(b, ' ')
	return append(b, given...)
}

// appendCitizenID appends a new citizen ID (DOMAIN.md): "0" and the
// birthplace's pre-2025 province code, the gender-and-century digit, the
// birth year's last two digits, and six digits unique within that prefix
// (a counter through a bijection of [0, 10⁶)).
func (g *gen) appendCitizenID(b []byte, male bool, year int) ([]byte, error) {
	oi := g.home[g.r.intn(len(g.home))]
	if !g.r.chance(shareHomeBirth) {
		oi = g.r.intn(len(g.oldProvinces))
	}
	digit := (year/100-19)*2 + 1 - boolInt(male) // 0/1: 1900s, 2/3: 2000s; even: male
	yy := year % 100
	idx := (oi*4+digit)*100 + yy
	n := g.cidCount[idx]
	if n >= 1_000_000 {
		return b, fmt.Errorf("synth: more than 1,000,000 citizen IDs with prefix 0%s%d%02d", g.oldProvinces[oi], digit, yy)
	}
	g.cidCount[idx]++
	v := newPerm(g.seedHash^uint64(idx)*0x9e3779b97f4a7c15, 1_000_000).at(uint64(n))
	b = append(b, '0')
	b = append(b, g.oldProvinces[oi]...)
	b = append(b, byte('0'+digit), byte('0'+yy/10), byte('0'+yy%10))
	return appendPad(b, v, 6), nil
}

// appendAddress appends an address in commune c, without the commune's
// name: a house on a street or lane in a ward, a hamlet in a rural commune.
func (g *gen) appendAddress(b []byte, c *commune) []byte {
	r := &g.r
	if c.kind == phuong || (c.kind == dacKhu && r.chance(0.5)) {
		lane, street := "ngõ", "đường"
		switch g.region {
		case north, northHills:
			if r.chance(0.5) {
				street = "phố"
			}
		case central:
			lane = "kiệt"
		default:
			lane = "hẻm"
		}
		b = append(b, "Số "...)
		b = strconv.AppendInt(b, int64(r.skewed(1, 250)), 10)
		if r.chance(0.5) {
			b = append(b, ", "...)
			b = append(b, lane...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(r.skewed(1, 150)), 10)
		}
		b = append(b, ", "...)
		b = append(b, street...)
		b = append(b, ' ')
		return append(b, streets.pick(r)...)
	}
	word, names := "Thôn", &hamlets
	switch g.region {
	case north:
		if r.chance(0.3) {
			word = "Xóm"
		}
	case northHills:
		if r.chance(0.45) {
			word, names = "Bản", &hillHamlets
		}
	case highlands:
		switch x := r.float(); {
		case x < 0.15:
			word = "Buôn"
		case x < 0.25:
			word = "Làng"
		}
	case south:
		word, names = "Ấp", &southHamlets
	}
	b = append(b, word...)
	b = append(b, ' ')
	if word != "Bản" && r.chance(0.35) {
		return strconv.AppendInt(b, int64(r.between(1, 15)), 10)
	}
	return append(b, names.pick(r)...)
}

// registryCommune is where a person's civil status was registered: mostly
// their own commune.
func (g *gen) registryCommune(ci int) int {
	if g.r.chance(0.7) {
		return ci
	}
	return g.pickCommune.pick(&g.r)
}

// appendRecordNo appends a civil-status record number, e.g.
// "KS.00004.2020.123": the kind, the registering commune, the year and a
// sequence within them.
func (g *gen) appendRecordNo(b []byte, prefix string, ci, day, kind int) []byte {
	year := yearOf(day)
	i := (ci*g.years+year-1900)*2 + kind
	g.civSeq[i]++
	b = append(b, prefix...)
	b = append(b, g.communes[ci].code...)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(year), 10)
	b = append(b, '.')
	return strconv.AppendUint(b, uint64(g.civSeq[i]), 10)
}

// birthRecord emits m's birth record, registered within 60 days of birth.
func (g *gen) birthRecord(m *member, ci int) error {
	reg := min(m.birth+1+g.r.skewed(0, 59), g.today)
	rc := g.registryCommune(ci)
	rb := g.rb.reset()
	lo := rb.open()
	rb.buf = g.appendRecordNo(rb.buf, "KS.", rc, reg, 0)
	rb.close("record_no", lo)
	rb.set("kind", g.kindBirth)
	rb.set("citizen_id", m.sID)
	rb.set("full_name", m.sName)
	rb.set("birth_date", m.sBirth)
	rb.set("gender", g.gender(m))
	rb.set("father_name", m.sFather)
	rb.set("mother_name", m.sMother)
	lo = rb.open()
	rb.buf = appendDate(rb.buf, reg)
	rb.close("registered_on", lo)
	rb.set("registry_commune", g.communes[rc].code)
	return g.finish(&g.civ, rc, reg)
}

// addYears returns the day n years after day (29 February → 28).
func addYears(day, n int) int {
	y, m, d := civil(day)
	if m == 2 && d == 29 {
		d = 28
	}
	return dayOf(y+n, m, d)
}

// marriage emits the marriage record of each spouse: registered after the
// wife is 18 and the husband 20 (the legal ages), usually in the years
// before the first child.
func (g *gen) marriage(ms []member, husband, wife, kids, ci int) error {
	r := &g.r
	h, w := &ms[husband], &ms[wife]
	legal := max(addYears(w.birth, 18), addYears(h.birth, 20))
	var day int
	switch {
	case kids > 0:
		first := ms[len(ms)-kids].birth // the eldest child comes first
		day = first - 280 - r.intn(3*365)
	case w.age < 40:
		day = r.between(min(max(legal, g.today-10*365), g.today), g.today)
	default:
		day = addYears(w.birth, r.between(19, 28))
	}
	day = min(max(day, legal), g.today)
	rc := g.registryCommune(ci)
	for _, p := range [2][2]*member{{h, w}, {w, h}} {
		me, sp := p[0], p[1]
		rb := g.rb.reset()
		lo := rb.open()
		rb.buf = g.appendRecordNo(rb.buf, "KH.", rc, day, 1)
		rb.close("record_no", lo)
		rb.set("kind", g.kindMarriage)
		rb.set("citizen_id", me.sID)
		rb.set("full_name", me.sName)
		rb.set("birth_date", me.sBirth)
		rb.set("gender", g.gender(me))
		rb.set("spouse_id", sp.sID)
		rb.set("spouse_name", sp.sName)
		lo = rb.open()
		rb.buf = appendDate(rb.buf, day)
		rb.close("registered_on", lo)
		rb.set("registry_commune", g.communes[rc].code)
		if err := g.finish(&g.civ, rc, day); err != nil {
			return err
		}
	}
	return nil
}

// parcel emits the j-th land parcel of the household's head: the house
// plot first, then farmland (or a second plot in a ward).
func (g *gen) parcel(owner *member, ci, j int) error {
	r := &g.r
	home := &g.communes[ci]
	pc := ci
	if j > 0 && r.chance(0.15) {
		pc = g.pickCommune.pick(r)
	}
	c := &g.communes[pc]
	var use string
	switch {
	case j == 0 && home.kind == xa:
		use = g.useResidentialRural
	case j == 0:
		use = g.useResidentialUrban
	case home.kind == xa:
		use = g.ruralSecond.pick(r)
	default:
		use = g.urbanSecond.pick(r)
	}
	// Parcels are numbered along a map sheet, some numbers belonging to
	// land not held by households; a full sheet starts the next.
	c.parcel += 1 + boolInt(r.chance(0.15))*r.between(1, 3)
	if c.parcel > c.sheetCap {
		c.sheet++
		c.parcel, c.sheetCap = 1, 150+r.intn(350)
	}
	var tenths int // area in tenths of m²
	switch use {
	case "ODT":
		tenths = r.skewed(400, 3000)
	case "ONT":
		tenths = r.skewed(1000, 10000)
	case "RSX":
		tenths = r.skewed(10000, 200000)
	default:
		tenths = r.skewed(1000, 20000)
	}
	rb := g.rb.reset()
	lo := rb.open()
	rb.buf = append(rb.buf, c.code...)
	rb.buf = append(rb.buf, '-')
	sheetLo := rb.open()
	rb.buf = strconv.AppendInt(rb.buf, int64(c.sheet), 10)
	sheetHi := rb.open()
	rb.buf = append(rb.buf, '-')
	parcelLo := rb.open()
	rb.buf = strconv.AppendInt(rb.buf, int64(c.parcel), 10)
	rb.close("parcel_id", lo)
	rb.setRange("sheet_no", sheetLo, sheetHi)
	rb.setRange("parcel_no", parcelLo, rb.open())
	rb.set("commune", c.code)
	lo = rb.open()
	rb.buf = appendTenths(rb.buf, tenths)
	rb.close("area_m2", lo)
	rb.set("land_use", use)
	rb.set("owner_id", owner.sID)
	rb.set("owner_name", owner.sName)
	lower := g.minDay
	if r.chance(shareCertificate) {
		from := max(addYears(owner.birth, 18), dayOf(1994, 1, 1)) // Land Law 1993 certificates
		day := r.between(min(from, g.today), g.today)
		series := certSeries(yearOf(day))
		lo = rb.open()
		rb.buf = append(rb.buf, series[r.intn(len(series))]...)
		rb.buf = append(rb.buf, ' ')
		rb.buf = appendPad(rb.buf, uint64(r.intn(1_000_000)), 6)
		rb.close("certificate_no", lo)
		lo = rb.open()
		rb.buf = appendDate(rb.buf, day)
		rb.close("certificate_on", lo)
		lower = day
	}
	return g.finish(&g.land, pc, lower)
}

// business emits a household business or a company owned by m.
func (g *gen) business(m *member, ci int, homeAddr string, household bool) error {
	r := &g.r
	bc := ci
	if r.chance(0.1) {
		bc = g.pickCommune.pick(r)
	}
	c := &g.communes[bc]
	g.taxN++
	if g.taxN > 1e8 {
		return errors.New("synth: more than 100,000,000 tax codes")
	}
	rb := g.rb.reset()
	lo := rb.open()
	rb.buf = append(rb.buf, g.cfg.Province.Code...)
	rb.buf = appendPad(rb.buf, g.taxPerm.at(g.taxN-1), 8)
	rb.close("tax_code", lo)
	lo = rb.open()
	var kind, status string
	var capital, years int
	var tr trade
	if household {
		tr = householdTrades.pick(r)
		kind, status, years = g.kindHousehold, g.bizStatus.pick(r), 20
		capital = []int{10, 20, 30, 50, 80, 100, 150, 200, 300, 500}[r.intn(10)]
		rb.buf = append(rb.buf, "Hộ kinh doanh "...)
		rb.buf = append(rb.buf, tr.word...)
		rb.buf = append(rb.buf, ' ')
		switch x := r.float(); {
		case x < 0.5:
			rb.buf = append(rb.buf, m.given...)
		case x < 0.7 && m.middle != "Văn" && m.middle != "Thị":
			rb.buf = append(rb.buf, m.middle...)
			rb.buf = append(rb.buf, ' ')
			rb.buf = append(rb.buf, m.given...)
		default:
			rb.buf = append(rb.buf, brands.pick(r)...)
		}
	} else {
		tr = companyTrades.pick(r)
		kind, status, years = g.companyKinds.pick(r), g.entStatus.pick(r), 25
		capital = []int{500, 1000, 1500, 2000, 3000, 5000, 10000, 20000, 50000}[r.intn(9)]
		switch kind {
		case "Doanh nghiệp tư nhân":
			rb.buf = append(rb.buf, "Doanh nghiệp tư nhân "...)
		case "Công ty cổ phần":
			rb.buf = append(rb.buf, "Công ty Cổ phần "...)
			rb.buf = append(rb.buf, tr.word...)
			rb.buf = append(rb.buf, ' ')
		default:
			rb.buf = append(rb.buf, "Công ty TNHH "...)
			rb.buf = append(rb.buf, tr.word...)
			rb.buf = append(rb.buf, ' ')
		}
		rb.buf = append(rb.buf, brands.pick(r)...)
	}
	rb.close("name", lo)
	rb.set("kind", kind)
	rb.set("owner_id", m.sID)
	rb.set("owner_name", m.sName)
	rb.set("commune", c.code)
	if household && bc == ci && r.chance(0.7) {
		rb.set("address", homeAddr) // trading from home
	} else {
		lo = rb.open()
		rb.buf = g.appendAddress(rb.buf, c)
		rb.close("address", lo)
	}
	rb.set("business_line", tr.line)
	lo = rb.open()
	rb.buf = strconv.AppendInt(rb.buf, int64(capital), 10)
	rb.buf = append(rb.buf, "000000"...) // millions of đồng
	rb.close("capital", lo)
	from := max(addYears(m.birth, 18), g.today-years*365)
	day := r.between(min(from, g.today), g.today)
	lo = rb.open()
	rb.buf = appendDate(rb.buf, day)
	rb.close("registered_on", lo)
	rb.set("status", status)
	return g.finish(&g.ent, bc, day)
}

// insurance emits m's social-insurance record; most health-insurance
// cards are valid into the next year, some have lapsed.
func (g *gen) insurance(m *member, ci int) error {
	r := &g.r
	g.insN++
	if g.insN > 1e8 {
		return errors.New("synth: more than 100,000,000 insurance numbers")
	}
	status := g.insActive
	switch x := r.float(); {
	case m.age < 18:
		if x < 0.03 {
			status = g.insPaused
		}
	case x < 0.07:
		status = g.insPaused
	case x < 0.10 && m.age >= 25:
		status = g.insLumpSum
	}
	validTo := 0
	switch {
	case status == g.insActive && r.chance(0.88):
		validTo = g.today + r.between(1, 365)
	case status == g.insActive:
		validTo = g.today - r.between(1, 180)
	case status == g.insPaused && r.chance(0.6):
		validTo = g.today - r.between(30, 730)
	}
	rb := g.rb.reset()
	lo := rb.open()
	rb.buf = append(rb.buf, g.cfg.Province.Code...)
	rb.buf = appendPad(rb.buf, g.insPerm.at(g.insN-1), 8)
	rb.close("insurance_no", lo)
	rb.set("citizen_id", m.sID)
	rb.set("full_name", m.sName)
	rb.set("birth_date", m.sBirth)
	if validTo > 0 {
		lo = rb.open()
		rb.buf = appendDate(rb.buf, validTo)
		rb.close("card_valid_to", lo)
	}
	if status != g.insLumpSum {
		if r.chance(0.6) {
			rb.set("hospital", g.communes[ci].health)
		} else {
			rb.set("hospital", g.hospitals[r.intn(len(g.hospitals))])
		}
	}
	rb.set("status", status)
	return g.finish(&g.ins, -1, m.birth)
}

// field is one value of the record being built: a string, or a range of
// the record's buffer.
type field struct {
	name   string
	value  string
	lo, hi int32
	inBuf  bool
}

// recBuf builds a record's data with one string allocation for all its
// formatted values.
type recBuf struct {
	fields []field
	buf    []byte
}

func (b *recBuf) reset() *recBuf {
	b.fields, b.buf = b.fields[:0], b.buf[:0]
	return b
}

// set adds a value; empty values are left out (an optional field unset).
func (b *recBuf) set(name, v string) {
	if v != "" {
		b.fields = append(b.fields, field{name: name, value: v})
	}
}

func (b *recBuf) open() int32 { return int32(len(b.buf)) }

// close adds the value appended to the buffer since lo.
func (b *recBuf) close(name string, lo int32) { b.setRange(name, lo, int32(len(b.buf))) }

func (b *recBuf) setRange(name string, lo, hi int32) {
	b.fields = append(b.fields, field{name: name, lo: lo, hi: hi, inBuf: true})
}

// finish turns the built record into a registry.Record of m's dataset,
// dates it, maybe spoils it, and emits it. ci is the commune of the
// record's commune field (-1 when none); lower the day before which it
// cannot have been updated.
func (g *gen) finish(m *dsMeta, ci, lower int) error {
	b := &g.rb
	s := string(b.buf)
	data := make(map[string]string, len(b.fields))
	for _, f := range b.fields {
		if f.inBuf {
			data[f.name] = s[f.lo:f.hi]
		} else {
			data[f.name] = f.value
		}
	}
	lo := g.nowSec - m.window
	if l := int64(lower) * 86400; l > lo {
		lo = min(l, g.nowSec)
	}
	updated := time.Unix(lo+int64(g.r.intn(int(g.nowSec-lo+1))), 0).In(g.loc)
	code := m.ds.Code
	if g.cfg.DefectRate > 0 && g.dr.chance(g.cfg.DefectRate) {
		if g.spoil(m, data, ci, &updated) {
			g.counts.Defects[code]++
		}
	}
	rec := registry.Record{Dataset: code, Key: data[m.ds.KeyField], Data: data, UpdatedAt: updated, Source: Source}
	if m.ds.SubjectField != "" {
		rec.Subject = data[m.ds.SubjectField]
	}
	if err := g.emit(rec); err != nil {
		return err
	}
	g.counts.Records[code]++
	return nil
}

// The kinds of defect.
const (
	defectMissing = iota
	defectStale
	defectOldCommune
	defectFutureDate
)

// spoil gives a record one defect, chosen at random among those its
// dataset allows, and reports whether it could.
func (g *gen) spoil(m *dsMeta, data map[string]string, ci int, updated *time.Time) bool {
	r := &g.dr
	var kinds [4]int
	n := 0
	if present(data, m.missable) > 0 {
		kinds[n], n = defectMissing, n+1
	}
	if m.ds.FreshDays > 0 {
		kinds[n], n = defectStale, n+1
	}
	if m.communeField != "" && data[m.communeField] != "" {
		kinds[n], n = defectOldCommune, n+1
	}
	if present(data, m.pastDates) > 0 {
		kinds[n], n = defectFutureDate, n+1
	}
	if n == 0 {
		return false
	}
	switch kinds[r.intn(n)] {
	case defectMissing:
		delete(data, nth(data, m.missable, r.intn(present(data, m.missable))))
	case defectStale:
		days := int64(m.ds.FreshDays + 1 + r.intn(730))
		*updated = time.Unix(g.nowSec-days*86400-int64(r.intn(86400)), 0).In(g.loc)
	case defectOldCommune:
		old := g.oldAny
		if ci >= 0 && len(g.communes[ci].old) > 0 {
			old = g.communes[ci].old
		}
		data[m.communeField] = old[r.intn(len(old))]
	case defectFutureDate:
		f := nth(data, m.pastDates, r.intn(present(data, m.pastDates)))
		data[f] = string(appendDate(nil, g.today+1+r.intn(3650)))
	}
	return true
}

// present counts the fields set in data.
func present(data map[string]string, fields []string) int {
	n := 0
	for _, f := range fields {
		if data[f] != "" {
			n++
		}
	}
	return n
}

// nth returns the i-th of the fields set in data.
func nth(data map[string]string, fields []string, i int) string {
	for _, f := range fields {
		if data[f] != "" {
			if i == 0 {
				return f
			}
			i--
		}
	}
	return ""
}
