package ui

import (
	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/identity"
)

// feeNotice is the fee an applicant will be charged, shown before they
// submit: the rates catalog.FeesFor picks for the channel and the
// applicant's kind, and the exemptions that may apply.
type feeNotice struct {
	Lines      []catalog.Fee
	Total      int64
	Exemptions []catalog.FeeExemption
}

// feeNoticeOf is the fee of p for channel and the signed-in account's
// kind (a citizen when unknown).
func feeNoticeOf(p *catalog.Procedure, channel string, acc *identity.Account) feeNotice {
	kind := "citizen"
	if acc != nil && acc.Kind == identity.KindEnterprise {
		kind = "enterprise"
	}
	fees, err := p.FeesFor(catalog.FeeCase{Channel: channel, Applicant: kind})
	if err != nil {
		return feeNotice{}
	}
	return feeNotice{Lines: fees, Total: catalog.FeeTotal(fees), Exemptions: p.FeeExemptions}
}
