package catalog

import (
	"fmt"
	"slices"

	"github.com/motcua/motcua/errs"
)

// The channels a fee rate applies to (Fee.Channels).
const (
	ChannelInPerson = "in_person" // nộp trực tiếp
	ChannelOnline   = "online"    // nộp trực tuyến
	ChannelPost     = "post"      // nộp qua dịch vụ bưu chính công ích
)

// FeeChannels are the channels, in the order of the national portal's
// KenhThucHien (1, 2, 3).
var FeeChannels = []string{ChannelInPerson, ChannelOnline, ChannelPost}

// FeeApplicants are the applicant kinds a fee rate may be limited to, as
// in Procedure.Applicants.
var FeeApplicants = []string{"citizen", "enterprise", "agency", "organisation"}

// FeeExemption is a case in which no fee is charged (e.g. Article 4 of
// Circular 75/2022/TT-BTC). The applicant shows Proof, unless the fact is
// in ProofData, a shared dataset the official can read instead (the
// national population database and connected ones).
type FeeExemption struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Basis       string   `json:"basis,omitempty"` // the legal text
	Proof       string   `json:"proof"`           // the paper that proves it
	ProofData   *DataRef `json:"proof_data,omitempty"`
	Provisional bool     `json:"provisional,omitempty"` // not confirmed against the legal text
}

// FeeCase is what decides the fee of one dossier.
type FeeCase struct {
	Channel   string // one of FeeChannels
	Applicant string // one of FeeApplicants; "" is a citizen
	// Exemption is the code of the exemption claimed ("" none); Proven
	// says its proof was seen (the paper, or the dataset's record).
	Exemption string
	Proven    bool
}

// item is the charge a fee is a rate of: its Item, else its own code.
func (f Fee) item() string {
	if f.Item != "" {
		return f.Item
	}
	return f.Code
}

// applies reports whether the rate f is the one of channel and applicant.
func (f Fee) applies(channel, applicant string) bool {
	if applicant == "" {
		applicant = "citizen"
	}
	return (len(f.Channels) == 0 || slices.Contains(f.Channels, channel)) &&
		(len(f.Applicants) == 0 || slices.Contains(f.Applicants, applicant))
}

// FeesFor picks the fees charged in case c: for each charge (the fees of
// one Item are its rates by channel and applicant) the one rate that
// applies, none when the charge is free or does not apply, and nothing at
// all for a proven exemption. It never charges two rates of one charge:
// an online residence registration pays the online fee only.
func (p *Procedure) FeesFor(c FeeCase) ([]Fee, error) {
	if !slices.Contains(FeeChannels, c.Channel) {
		return nil, errs.New(errs.Invalid, "fee.channel", "Kênh nộp hồ sơ không hợp lệ.", "unknown channel "+c.Channel)
	}
	if c.Exemption != "" {
		i := slices.IndexFunc(p.FeeExemptions, func(e FeeExemption) bool { return e.Code == c.Exemption })
		if i < 0 {
			return nil, errs.New(errs.Invalid, "fee.exemption", "Trường hợp miễn phí, lệ phí không có trong thủ tục này.", "unknown exemption "+c.Exemption)
		}
		if !c.Proven {
			e := p.FeeExemptions[i]
			return nil, errs.New(errs.Invalid, "fee.exemption_proof",
				fmt.Sprintf("Cần kiểm tra giấy tờ chứng minh được miễn (%s) trước khi miễn lệ phí.", e.Proof), "the exemption's proof was not checked")
		}
		return nil, nil
	}
	var out []Fee
	picked := map[string]string{}
	for _, f := range p.Fees {
		if !f.applies(c.Channel, c.Applicant) {
			continue
		}
		if other, ok := picked[f.item()]; ok {
			return nil, errs.New(errs.Conflict, "fee.ambiguous",
				fmt.Sprintf("Hai mức phí %s và %s cùng áp dụng cho một trường hợp: cần sửa danh mục thủ tục.", other, f.Code), "two rates of one charge apply: "+other+", "+f.Code)
		}
		picked[f.item()] = f.Code
		if f.Amount > 0 {
			out = append(out, f)
		}
	}
	return out, nil
}

// FeeTotal is the sum of fees.
func FeeTotal(fees []Fee) int64 {
	var t int64
	for _, f := range fees {
		t += f.Amount
	}
	return t
}

// validateFees checks that every case has at most one rate of each charge,
// and the channels, applicants and exemptions are known.
func validateFees(p *Procedure, add func(field, key, msg string)) {
	for i, f := range p.Fees {
		for _, ch := range f.Channels {
			if !slices.Contains(FeeChannels, ch) {
				add(fmt.Sprintf("fees[%d].channels", i), "invalid", "Kênh nộp phải là in_person, online hoặc post.")
			}
		}
		for _, a := range f.Applicants {
			if !slices.Contains(FeeApplicants, a) {
				add(fmt.Sprintf("fees[%d].applicants", i), "invalid", "Đối tượng phải là citizen, enterprise, agency hoặc organisation.")
			}
		}
	}
	codes := map[string]bool{}
	for _, f := range p.Fees {
		codes[f.Code] = true
	}
	if len(codes) < len(p.Fees) {
		return // a duplicate code is reported already, and makes two charges of one name
	}
	for _, ch := range FeeChannels {
		for _, a := range FeeApplicants {
			if _, err := p.FeesFor(FeeCase{Channel: ch, Applicant: a}); err != nil {
				add("fees", "overlap", fmt.Sprintf("Hai mức phí của cùng một khoản áp dụng cho kênh %s, đối tượng %s.", ch, a))
				return
			}
		}
	}
	seen := map[string]bool{}
	for i, e := range p.FeeExemptions {
		path := fmt.Sprintf("fee_exemptions[%d]", i)
		if e.Code == "" || seen[e.Code] {
			add(path+".code", "invalid_code", "Mã trường hợp miễn trống hoặc bị trùng.")
		}
		seen[e.Code] = true
		if e.Name == "" {
			add(path+".name", "required", "Tên trường hợp miễn là bắt buộc.")
		}
		if e.Proof == "" && e.ProofData == nil {
			add(path+".proof", "required", "Cần nêu giấy tờ hoặc dữ liệu chứng minh trường hợp được miễn.")
		}
	}
}

// KeepFeeRules carries the fee rules a form without them (the console's)
// cannot show over from old, the stored procedure: the item, channels and
// applicants of the fee of the same code that has none of its own, and
// the exemptions when p has none. Without it an edit in the console would
// turn an online and an in-person rate into two charges.
func (p *Procedure) KeepFeeRules(old *Procedure) {
	for i, f := range p.Fees {
		if f.Item != "" || len(f.Channels) > 0 || len(f.Applicants) > 0 {
			continue
		}
		for _, o := range old.Fees {
			if o.Code == f.Code {
				p.Fees[i].Item, p.Fees[i].Channels, p.Fees[i].Applicants = o.Item, slices.Clone(o.Channels), slices.Clone(o.Applicants)
			}
		}
	}
	if p.FeeExemptions == nil {
		p.FeeExemptions = slices.Clone(old.FeeExemptions)
	}
}

// FeeQuote is what a case is told it will be charged before the fee is
// asked: the fees, or an exemption, claimed (Pending until its proof is
// checked, Fees then being what a refusal charges) or confirmed.
type FeeQuote struct {
	Fees      []Fee
	Total     int64
	Exemption *FeeExemption
	Pending   bool
}

// Quote is the fee of case c as the applicant and form 01 are told it.
func (p *Procedure) Quote(c FeeCase) (FeeQuote, error) {
	var q FeeQuote
	if c.Exemption != "" {
		i := slices.IndexFunc(p.FeeExemptions, func(e FeeExemption) bool { return e.Code == c.Exemption })
		if i < 0 {
			return FeeQuote{}, errs.New(errs.Invalid, "fee.exemption", "Trường hợp miễn phí, lệ phí không có trong thủ tục này.", "unknown exemption "+c.Exemption)
		}
		q.Exemption, q.Pending = &p.FeeExemptions[i], !c.Proven
		if c.Proven {
			return q, nil
		}
	}
	fees, err := p.FeesFor(FeeCase{Channel: c.Channel, Applicant: c.Applicant})
	if err != nil {
		return FeeQuote{}, err
	}
	q.Fees, q.Total = fees, FeeTotal(fees)
	return q, nil
}

// Note is the quote in words when an exemption is claimed ("" otherwise,
// the amount then being the text): "Miễn lệ phí (đề nghị: …) – chờ kiểm
// tra" until the counter decides, "Miễn lệ phí (…)" once confirmed.
func (q FeeQuote) Note() string {
	switch {
	case q.Exemption == nil:
		return ""
	case q.Pending:
		return "Miễn lệ phí (đề nghị: " + q.Exemption.Name + ") – chờ kiểm tra"
	}
	return "Miễn lệ phí (" + q.Exemption.Name + ")"
}
