// Package codelist holds the code lists a declaration's pick-lists draw
// from: the 54 ethnic groups (Decision 1019/QĐ-TCTK of 2008), nationalities
// (ISO 3166-1 countries with their Vietnamese names) and places (the 34
// provinces and 3,321 communes since 1/7/2025). A form field names its list
// with the schema extension "x-list" (Kinds); the server resolves what is
// posted — a code, or a name as a person or another system writes it — to
// the list's entry, and the dossier keeps the code with the list's ID.
package codelist

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/motcua/motcua/unit"
	"github.com/motcua/motcua/vntext"
)

// The kinds of list a form field may name in "x-list".
const (
	Ethnicity   = "ethnicity"
	Nationality = "nationality"
	Province    = "province"
	Commune     = "commune"
)

// Kinds are the list kinds, in the order the documentation gives them.
var Kinds = []string{Ethnicity, Nationality, Province, Commune}

// Entry is one item of a list.
type Entry struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Group is the province code of a commune ("" for other lists): the
	// wizard offers the communes of one province at a time.
	Group string `json:"group,omitempty"`
	// Short is a commune's own name, shown within its province ("" for
	// other lists: Name is shown).
	Short string `json:"short,omitempty"`
	// Provisional marks a code not checked against the official text.
	Provisional bool     `json:"provisional,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
}

// List is a code list.
type List struct {
	ID      string  `json:"id"` // stored with each code, e.g. "TCTK-1019-2008"
	Name    string  `json:"name"`
	Source  string  `json:"source,omitempty"`
	Entries []Entry `json:"entries"`

	byKey map[string]int // normalised code, name and aliases → entry
}

// Value is a coded answer of a declaration: the field (form.<path>), the
// list's ID and the entry's code, kept with the dossier beside the name
// the declaration holds.
type Value struct {
	Field string `json:"field"`
	List  string `json:"list"`
	Code  string `json:"code"`
}

//go:embed ethnic-groups-1019-2008.json
var ethnicJSON []byte

var (
	once  sync.Once
	lists map[string]*List
	err   error
)

// Get returns the list of kind, or false for an unknown kind.
func Get(kind string) (*List, bool) {
	once.Do(func() { lists, err = load() })
	if err != nil {
		panic(fmt.Sprintf("codelist: %v", err)) // embedded data: a broken build, caught by the tests
	}
	l, ok := lists[kind]
	return l, ok
}

// Known reports whether kind is a list kind.
func Known(kind string) bool { return slices.Contains(Kinds, kind) }

// Resolve finds the entry v stands for: its code, its name or an alias
// (case, hyphens and spacing aside), or for a commune its full name with
// the province ("Phường Ba Đình, Thành phố Hà Nội").
func (l *List) Resolve(v string) (Entry, bool) {
	i, ok := l.byKey[key(v)]
	if !ok {
		return Entry{}, false
	}
	return l.Entries[i], true
}

// Group is the entries of one group (a province's communes), in list order.
func (l *List) Group(g string) []Entry {
	var out []Entry
	for _, e := range l.Entries {
		if e.Group == g {
			out = append(out, e)
		}
	}
	return out
}

// key normalises a code or a name for lookup: NFC, lower case, hyphens
// and runs of spaces as one space.
func key(s string) string {
	s = vntext.Lower(vntext.NFC(strings.TrimSpace(s)))
	s = strings.ReplaceAll(s, "-", " ")
	return strings.Join(strings.Fields(s), " ")
}

func (l *List) index() error {
	l.byKey = map[string]int{}
	add := func(k string, i int) error {
		k = key(k)
		if j, dup := l.byKey[k]; dup && j != i {
			return fmt.Errorf("list %s: %q names both %s and %s", l.ID, k, l.Entries[j].Code, l.Entries[i].Code)
		}
		l.byKey[k] = i
		return nil
	}
	for i, e := range l.Entries {
		if err := add(e.Code, i); err != nil {
			return err
		}
		// A commune's name is its full name: its own name (Short) is not
		// unique across provinces and is no key.
		if err := add(e.Name, i); err != nil {
			return err
		}
		for _, a := range e.Aliases {
			if err := add(a, i); err != nil {
				return err
			}
		}
	}
	return nil
}

func load() (map[string]*List, error) {
	var eth List
	if err := json.Unmarshal(ethnicJSON, &eth); err != nil {
		return nil, fmt.Errorf("ethnic groups: %w", err)
	}
	prov, comm, err := places()
	if err != nil {
		return nil, err
	}
	out := map[string]*List{Ethnicity: &eth, Nationality: nationalities(), Province: prov, Commune: comm}
	for _, l := range out {
		if err := l.index(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// nationalities is ISO 3166-1: the regions CLDR knows that are countries
// with an ISO numeric code and an alpha-3 code (not the user-assigned XK,
// the exceptional UK, TA …), Việt Nam first, then by Vietnamese name.
func nationalities() *List {
	names := display.Vietnamese.Regions()
	var es []Entry
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.Canonicalize().String() != code || r.M49() == 0 || r.ISO3() == "ZZZ" || a == 'X' || a == 'Q' {
				continue
			}
			if n := names.Name(r); n != "" && n != code {
				es = append(es, Entry{Code: code, Name: n})
			}
		}
	}
	col := collate.New(language.Vietnamese)
	slices.SortFunc(es, func(x, y Entry) int {
		switch {
		case x.Code == "VN":
			return -1
		case y.Code == "VN":
			return 1
		}
		return col.CompareString(x.Name, y.Name)
	})
	return &List{ID: "ISO-3166-1", Name: "Quốc gia, vùng lãnh thổ (ISO 3166-1, tên tiếng Việt theo CLDR)", Entries: es}
}

// places are the provinces and communes of the unit directory.
func places() (*List, *List, error) {
	d, err := unit.Load()
	if err != nil {
		return nil, nil, err
	}
	prov := &List{ID: "DVHC-2025", Name: "Tỉnh, thành phố (từ 01/7/2025)"}
	comm := &List{ID: "DVHC-2025", Name: "Xã, phường, đặc khu (từ 01/7/2025)"}
	for _, p := range d.Provinces() {
		prov.Entries = append(prov.Entries, Entry{Code: p.Code, Name: p.Name, Aliases: []string{p.ShortName()}})
		for _, c := range p.Communes {
			comm.Entries = append(comm.Entries, Entry{Code: c.Code, Name: c.Name + ", " + p.Name, Group: p.Code, Short: c.Name,
				Aliases: []string{c.Name + ", " + p.ShortName()}})
		}
	}
	return prov, comm, nil
}
