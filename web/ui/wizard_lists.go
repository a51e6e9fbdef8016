package ui

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/dossier"
)

// listOption is one choice of the province pick-list beside a commune.
type listOption struct {
	Code, Label string
}

// pickList is a <datalist> of the form: the names of one code list (for
// communes, one province's), shared by every field that picks from it.
// The fields are text inputs with the list's suggestions: one list per
// kind, not hundreds of <option>s per field, keeps the page light, and
// the server resolves what is typed (catalog.Form.Coded: a name, a code
// or an alias).
type pickList struct {
	ID      string
	Entries []pickEntry
}

// pickEntry is one suggestion: the entry's name, what the declaration
// keeps (a commune's full name, with its province).
type pickEntry struct {
	Name        string
	Provisional bool // a code not checked against the official list
}

// pickListID is the id of the datalist of kind (of a commune: of province).
func pickListID(kind, province string) string {
	if kind == codelist.Commune {
		return "list-" + kind + "-" + province
	}
	return "list-" + kind
}

// pickLists gives the coded fields (catalog x-list) their datalist and
// returns the page's datalists, each once. A value the list knows shows as
// the entry's name, whether it was a code, prefilled ("Kinh") or posted;
// one it does not know stays as typed (its error says so). A commune is
// suggested within a province: the one posted beside it ("pl-<field>"),
// else the value's, else home (the portal's province).
func pickLists(fields []formField, r *http.Request, home string) []pickList {
	var out []pickList
	seen := map[string]bool{}
	var walk func([]formField)
	walk = func(fields []formField) {
		for i := range fields {
			f := &fields[i]
			if f.Type == "object" {
				walk(f.Children)
				continue
			}
			l, ok := codelist.Get(f.List)
			if !ok {
				continue
			}
			e, found := l.Resolve(f.Value)
			if found {
				f.Value = e.Name
			}
			entries := l.Entries
			if f.List == codelist.Commune {
				provinces, _ := codelist.Get(codelist.Province)
				f.Provinces = make([]listOption, len(provinces.Entries))
				for j, p := range provinces.Entries {
					f.Provinces[j] = listOption{Code: p.Code, Label: p.Name}
				}
				f.Province = home
				if found {
					f.Province = e.Group
				}
				if r != nil {
					if p, ok := provinces.Resolve(r.PostFormValue("pl-" + f.Name)); ok && !found {
						f.Province = p.Code
					}
				}
				entries = l.Group(f.Province)
			}
			f.DataList = pickListID(f.List, f.Province)
			if seen[f.DataList] {
				continue
			}
			seen[f.DataList] = true
			pl := pickList{ID: f.DataList, Entries: make([]pickEntry, len(entries))}
			for j, e := range entries {
				pl.Entries[j] = pickEntry{Name: e.Name, Provisional: e.Provisional}
			}
			out = append(out, pl)
		}
	}
	walk(fields)
	return out
}

// deliveryChoice is the wizard's "how to receive the result".
type deliveryChoice struct {
	Method, Address string
	Error           string
}

// deliveryFrom reads the choice posted (nil when none).
func deliveryFrom(r *http.Request) *dossier.Delivery {
	m := strings.TrimSpace(r.PostFormValue("delivery.method"))
	if m == "" {
		return nil
	}
	return &dossier.Delivery{Method: m, Address: r.PostFormValue("delivery.address")}
}

// stagedFile is a file uploaded with a submission the server refused: it
// stays in the file store, owned by the uploader, and the form posts its ID
// again ("up-<code>") so that the applicant does not choose it again.
type stagedFile struct {
	ID, Name string
}

// stagedFrom reads the files a re-shown form carries for a component.
func stagedFrom(r *http.Request, code string) (stagedFile, bool) {
	id := strings.TrimSpace(r.PostFormValue("up-" + code))
	if id == "" {
		return stagedFile{}, false
	}
	name := strings.TrimSpace(r.PostFormValue("upn-" + code))
	if name == "" {
		name = id
	}
	return stagedFile{ID: id, Name: name}, true
}
