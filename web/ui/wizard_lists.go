package ui

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/catalog/codelist"
	"github.com/motcua/motcua/dossier"
)

// listOption is one choice of a pick-list.
type listOption struct {
	Code, Label string
	Provisional bool // a code not checked against the official list
}

func listOptions(es []codelist.Entry) []listOption {
	out := make([]listOption, len(es))
	for i, e := range es {
		out[i] = listOption{Code: e.Code, Label: e.Name, Provisional: e.Provisional}
		if e.Short != "" {
			out[i].Label = e.Short
		}
	}
	return out
}

// pickLists gives the coded fields (catalog x-list) their choices, the
// value as a code so that the option shows selected, whether it was typed,
// prefilled ("Kinh") or posted ("01"). A commune is chosen within a
// province: the one posted beside it ("pl-<field>"), else the value's,
// else home (the portal's province).
func pickLists(fields []formField, r *http.Request, home string) {
	for i := range fields {
		f := &fields[i]
		if f.Type == "object" {
			pickLists(f.Children, r, home)
			continue
		}
		l, ok := codelist.Get(f.List)
		if !ok {
			continue
		}
		e, found := l.Resolve(f.Value)
		if found {
			f.Value = e.Code
		}
		if f.List != codelist.Commune {
			f.Options = listOptions(l.Entries)
			continue
		}
		provinces, _ := codelist.Get(codelist.Province)
		f.Provinces = listOptions(provinces.Entries)
		f.Province = home
		if found {
			f.Province = e.Group
		}
		if r != nil {
			if p, ok := provinces.Resolve(r.PostFormValue("pl-" + f.Name)); ok && !found {
				f.Province = p.Code
			}
		}
		f.Options = listOptions(l.Group(f.Province))
	}
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
