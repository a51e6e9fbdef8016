package results

import (
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/printform"
)

// PrintDossier is the dossier as the printed forms and the result show it.
func PrintDossier(d *dossier.Dossier) printform.Dossier {
	pd := printform.Dossier{Code: d.Code, ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName, Field: d.Field,
		ApplicantName: d.Applicant.Name, ApplicantID: d.Applicant.CitizenID, ApplicantAddress: d.Applicant.Address,
		ApplicantPhone: d.Applicant.Phone, ApplicantEmail: d.Applicant.Email, Channel: d.Channel.Name()}
	if d.Applicant.Type == dossier.ApplicantEnterprise {
		pd.ApplicantID = d.Applicant.TaxCode
	}
	if d.ReceivedAt != nil {
		pd.ReceivedAt = *d.ReceivedAt
	}
	pd.DueAt = d.Deadline.Due
	pd.StatutoryTime = d.ProcessingTime.Text()
	if d.Delivery != nil {
		pd.ResultChannel = d.Delivery.Name("")
	}
	for _, c := range d.Components {
		pd.Components = append(pd.Components, printform.Component{Name: c.Name, Original: c.Original, Copies: 1})
	}
	if d.Payment != nil {
		pd.Fee = d.Payment.Total
	}
	return pd
}
