package dvcqg_test

import (
	"testing"

	"github.com/motcua/motcua/dvcqg"
)

func TestLocalProcedure(t *testing.T) {
	m := dvcqg.Mapping{Procedures: map[string]string{"DEMO-001": "2.000001", "DEMO-009": "2.000001", "1.001193": "1.009999"},
		Databases: map[string]string{"CSDLQGDC": "7"}}
	for national, want := range map[string]string{
		"2.000001": "DEMO-001", // two local codes map to it: the smallest
		"1.009999": "1.001193",
		"1.001193": "", // a local code mapped elsewhere names no procedure of this code
		"1.000894": "1.000894",
	} {
		if got := m.LocalProcedure(national); got != want {
			t.Errorf("LocalProcedure(%s) = %q, want %q", national, got, want)
		}
		if want != "" && m.Procedure(m.LocalProcedure(national)) != national {
			t.Errorf("Procedure(LocalProcedure(%s)) is not %s", national, national)
		}
	}
	if got := (dvcqg.Mapping{}).LocalProcedure("1.001193"); got != "1.001193" {
		t.Errorf("empty mapping: %q", got)
	}
	if m.LocalDatabase("7") != "CSDLQGDC" || m.LocalDatabase("9") != "9" {
		t.Errorf("LocalDatabase: %q %q", m.LocalDatabase("7"), m.LocalDatabase("9"))
	}
}

// A dossier handed over by the portal goes back to it with the portal's
// code as its other code.
func TestFromNationalDossier(t *testing.T) {
	d := walked()
	if r := dvcqg.FromDossier(d, source()); r.MaHoSoKhac != "" {
		t.Errorf("MaHoSoKhac %q of a dossier of the province", r.MaHoSoKhac)
	}
	d.NationalCode = "G22.99-261123-00042"
	r := dvcqg.FromDossier(d, source())
	if r.MaHoSo != d.Code || r.MaHoSoKhac != d.NationalCode {
		t.Errorf("MaHoSo %q MaHoSoKhac %q", r.MaHoSo, r.MaHoSoKhac)
	}
	if p := r.Validate(); len(p) > 0 {
		t.Error(p)
	}
}
