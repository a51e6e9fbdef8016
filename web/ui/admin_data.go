package ui

import (
	"net/http"
	"strings"

	"github.com/motcua/motcua/app/results"
	"github.com/motcua/motcua/app/sharedata"
	"github.com/motcua/motcua/registry"
)

// The console's shared-data pages: the datasets with their owners, sizes
// and access policies, the quality report, the quarantine, and the
// digitization of the district level's results.

type adminDataPage struct {
	adminPage
	Datasets []sharedata.DatasetInfo
	District results.DistrictProgress
}

func (s *Server) adminData(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	p := adminDataPage{adminPage: adminPage{page: s.base(w, r, "admin.section.data")}}
	var err error
	if p.Datasets, err = s.app.ShareData.DatasetInfos(r.Context(), ac); err == nil {
		p.District, err = s.app.Results.DistrictProgress(r.Context())
	}
	status := http.StatusOK
	if err != nil {
		status = s.adminFail(r, &p.adminPage, err)
	}
	s.render(w, status, "admin_data", p)
}

type policyRow struct {
	Purpose, Who, Procedures, Fields string
}

type adminDatasetPage struct {
	adminPage
	DS          registry.Dataset
	Policies    []policyRow
	Report      *registry.Report
	Quarantine  []registry.QuarantinedRecord
	Quarantined int
}

func (s *Server) adminDataset(w http.ResponseWriter, r *http.Request) {
	ac, ok := s.admin(w, r, 0)
	if !ok {
		return
	}
	ds, err := s.app.ShareData.Dataset(r.PathValue("code"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := adminDatasetPage{adminPage: adminPage{page: s.base(w, r, keyOr("dataset."+ds.Code, ds.Name))}, DS: *ds}
	for _, pol := range ds.Policies {
		var who []string
		if pol.Self {
			who = append(who, p.T("admin.data.self"))
		}
		for _, role := range pol.Roles {
			who = append(who, p.T(roleKey(role)))
		}
		row := policyRow{Purpose: p.T(purposeKey(pol.Purpose)), Who: strings.Join(who, ", "), Procedures: strings.Join(pol.Procedures, ", "), Fields: strings.Join(pol.Fields, ", ")}
		if row.Procedures == "" {
			row.Procedures = p.T("admin.data.any_procedure")
		}
		if row.Fields == "" {
			row.Fields = p.T("admin.data.all_fields")
		}
		p.Policies = append(p.Policies, row)
	}
	status := http.StatusOK
	if ds.Remote == nil {
		p.Quarantine, p.Quarantined, err = s.app.ShareData.Quarantine(r.Context(), ac, ds.Code, 50)
		if err == nil && r.URL.Query().Get("kiem-tra") == "1" {
			var rep registry.Report
			if rep, err = s.app.ShareData.QualityReport(r.Context(), ac, ds.Code); err == nil {
				p.Report = &rep
			}
		}
		if err != nil {
			status = s.adminFail(r, &p.adminPage, err)
		}
	}
	s.render(w, status, "admin_dataset", p)
}
