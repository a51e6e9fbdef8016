package dossier_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/errs"
)

// TestSupplementComponents: the documents of a supplement replace the
// components of the same code and add new ones; bad input changes nothing;
// other actions refuse components.
func TestSupplementComponents(t *testing.T) {
	cal := newCalendar(t)
	newTP2 := dossier.Component{Code: "TP2", Name: "Bản sao giấy chứng nhận", FileID: "f-9", SHA256: "cc", Size: 99, ContentType: "application/pdf"}
	newTP3 := dossier.Component{Code: "TP3", Name: "Giấy ủy quyền", FileID: "f-10", SHA256: "dd", Size: 10, ContentType: "image/png"}
	for _, tc := range []struct {
		name    string
		comps   []dossier.Component
		wantErr bool
		want    map[string]string // code → file ID after the supplement
	}{
		{"none", nil, false, map[string]string{"TP1": "f-1", "TP2": "f-2"}},
		{"replace and add", []dossier.Component{newTP2, newTP3}, false, map[string]string{"TP1": "f-1", "TP2": "f-9", "TP3": "f-10"}},
		{"no code", []dossier.Component{{FileID: "x"}}, true, nil},
		{"no file", []dossier.Component{{Code: "TP3"}}, true, nil},
		{"twice", []dossier.Component{newTP3, newTP3}, true, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, at := reach(t, cal, procedure(catalog.SupplementPause), dossier.StatusSupplement)
			before := deepCopy(d)
			err := dossier.Apply(d, applicant, dossier.Request{Action: dossier.ActSupplement, Note: "đã bổ sung", Components: tc.comps}, dossier.Env{Now: at.Add(time.Hour), Calendar: cal})
			if tc.wantErr {
				if errs.KindOf(err) != errs.Invalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				assertUnchanged(t, before, d)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != dossier.StatusProcessing {
				t.Errorf("status %d", d.Status)
			}
			got := map[string]string{}
			for _, c := range d.Components {
				got[c.Code] = c.FileID
			}
			if len(got) != len(tc.want) || len(d.Components) != len(tc.want) {
				t.Fatalf("components %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("component %s = %q, want %q", k, got[k], v)
				}
			}
			if len(before.Components) != 2 || before.Components[1].FileID != "f-2" {
				t.Error("the copy taken before was changed: components aliased")
			}
		})
	}
	d, at := reach(t, cal, procedure(catalog.SupplementPause), dossier.StatusReceived)
	err := dossier.Apply(d, specialist, dossier.Request{Action: dossier.ActCompleteStep, Components: []dossier.Component{newTP3}}, dossier.Env{Now: at.Add(time.Hour), Calendar: cal})
	if errs.KindOf(err) != errs.Invalid {
		t.Errorf("components with complete_step: err = %v, want invalid", err)
	}
}

func assertUnchanged(t *testing.T, before, after *dossier.Dossier) {
	t.Helper()
	if after.Version != before.Version || after.Status != before.Status || len(after.Components) != len(before.Components) || len(after.History) != len(before.History) {
		t.Errorf("dossier changed by a refused supplement: version %d→%d status %d→%d", before.Version, after.Version, before.Status, after.Status)
	}
}
