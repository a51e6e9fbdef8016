package catalog_test

import (
	"slices"
	"testing"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/catalog/demo"
	"github.com/motcua/motcua/errs"
)

// TestFeesForResidence walks the residence procedures of the demo
// catalogue through every channel and applicant: the amounts are those of
// Circular 75/2022/TT-BTC (FACTS-CITIZEN §3), written here independently
// of the data.
func TestFeesForResidence(t *testing.T) {
	procs, err := demo.Procedures()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]*catalog.Procedure{}
	for i := range procs {
		byCode[procs[i].Code] = &procs[i]
	}
	tests := []struct {
		proc, channel, applicant, exemption string
		proven                              bool
		want                                []string // codes charged
		total                               int64
		errCode                             string
	}{
		{proc: "1.004222", channel: catalog.ChannelOnline, want: []string{"LP02"}, total: 10000},
		{proc: "1.004222", channel: catalog.ChannelInPerson, want: []string{"LP01"}, total: 20000},
		{proc: "1.004222", channel: catalog.ChannelPost, want: []string{"LP01"}, total: 20000},
		{proc: "1.004222", channel: catalog.ChannelOnline, applicant: "citizen", want: []string{"LP02"}, total: 10000},
		{proc: "1.004194", channel: catalog.ChannelOnline, want: []string{"LP02"}, total: 7000},
		{proc: "1.004194", channel: catalog.ChannelInPerson, want: []string{"LP01"}, total: 15000},
		{proc: "DEMO-003", channel: catalog.ChannelOnline, want: []string{"LP02"}, total: 7000},
		{proc: "DEMO-004", channel: catalog.ChannelOnline, want: nil, total: 0}, // free
		{proc: "1.004222", channel: catalog.ChannelOnline, exemption: "MG01", proven: true, want: nil, total: 0},
		{proc: "1.004222", channel: catalog.ChannelOnline, exemption: "MG03", errCode: "fee.exemption_proof"},
		{proc: "1.004222", channel: catalog.ChannelOnline, exemption: "NOPE", proven: true, errCode: "fee.exemption"},
		{proc: "1.004222", channel: "fax", errCode: "fee.channel"},
		{proc: "1.001193", channel: catalog.ChannelOnline, want: nil, total: 0}, // birth registration: free
	}
	for _, tc := range tests {
		p := byCode[tc.proc]
		if p == nil {
			t.Fatalf("no procedure %s in the demo catalogue", tc.proc)
		}
		got, err := p.FeesFor(catalog.FeeCase{Channel: tc.channel, Applicant: tc.applicant, Exemption: tc.exemption, Proven: tc.proven})
		if tc.errCode != "" {
			if e, ok := errs.As(err); !ok || e.Key != tc.errCode {
				t.Errorf("%s %s %s: err %v, want %s", tc.proc, tc.channel, tc.exemption, err, tc.errCode)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s %s: %v", tc.proc, tc.channel, err)
		}
		var codes []string
		for _, f := range got {
			codes = append(codes, f.Code)
		}
		if !slices.Equal(codes, tc.want) || catalog.FeeTotal(got) != tc.total {
			t.Errorf("%s %s %s: charged %v (%d), want %v (%d)", tc.proc, tc.channel, tc.exemption, codes, catalog.FeeTotal(got), tc.want, tc.total)
		}
	}
}

// TestFeesForApplicant picks rates by applicant kind, keeps separate
// charges apart, and refuses a catalogue where two rates of one charge
// meet.
func TestFeesForApplicant(t *testing.T) {
	p := catalog.Procedure{Fees: []catalog.Fee{
		{Code: "A1", Item: "a", Amount: 100, Applicants: []string{"citizen"}},
		{Code: "A2", Item: "a", Amount: 500, Applicants: []string{"enterprise", "organisation"}},
		{Code: "B", Amount: 30}, // a charge of its own, every case
		{Code: "C1", Item: "c", Amount: 40, Channels: []string{"online"}, Applicants: []string{"enterprise"}},
	}}
	tests := []struct {
		channel, applicant string
		want               []string
	}{
		{"online", "", []string{"A1", "B"}},
		{"online", "citizen", []string{"A1", "B"}},
		{"online", "enterprise", []string{"A2", "B", "C1"}},
		{"in_person", "enterprise", []string{"A2", "B"}},
		{"post", "organisation", []string{"A2", "B"}},
		{"post", "agency", []string{"B"}},
	}
	for _, tc := range tests {
		got, err := p.FeesFor(catalog.FeeCase{Channel: tc.channel, Applicant: tc.applicant})
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, f := range got {
			codes = append(codes, f.Code)
		}
		if !slices.Equal(codes, tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.channel, tc.applicant, codes, tc.want)
		}
	}
	// The bug of issue 15: two rates of one charge without channels both
	// apply; FeesFor refuses rather than charging twice.
	bad := catalog.Procedure{Fees: []catalog.Fee{{Code: "LP01", Item: "x", Amount: 20000}, {Code: "LP02", Item: "x", Amount: 10000, Channels: []string{"online"}}}}
	if _, err := bad.FeesFor(catalog.FeeCase{Channel: "online"}); err == nil {
		t.Error("two rates of one charge for one case: no error")
	}
	if _, err := bad.FeesFor(catalog.FeeCase{Channel: "in_person"}); err != nil {
		t.Errorf("in person only one rate applies: %v", err)
	}
}

// TestKeepFeeRules: an edit from a form without fee rules keeps the
// stored rates' channels, so an online registration is still charged once.
func TestKeepFeeRules(t *testing.T) {
	old := catalog.Procedure{
		Fees: []catalog.Fee{
			{Code: "LP01", Item: "x", Amount: 20000, Channels: []string{"in_person", "post"}},
			{Code: "LP02", Item: "x", Amount: 10000, Channels: []string{"online"}},
		},
		FeeExemptions: []catalog.FeeExemption{{Code: "MG01", Name: "Trẻ em", Proof: "Giấy khai sinh"}},
	}
	edited := catalog.Procedure{Fees: []catalog.Fee{
		{Code: "LP01", Amount: 25000},                                 // amount edited, no rules on the form
		{Code: "LP02", Amount: 10000},                                 //
		{Code: "LP03", Amount: 5000},                                  // new: its own charge
		{Code: "LP04", Amount: 1, Applicants: []string{"enterprise"}}, // its own rules kept
	}}
	edited.KeepFeeRules(&old)
	got, err := edited.FeesFor(catalog.FeeCase{Channel: catalog.ChannelOnline})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range got {
		codes = append(codes, f.Code)
	}
	if !slices.Equal(codes, []string{"LP02", "LP03"}) || len(edited.FeeExemptions) != 1 || edited.Fees[3].Item != "" {
		t.Errorf("online fees %v, exemptions %v, LP04 %+v", codes, edited.FeeExemptions, edited.Fees[3])
	}
	old.Fees[0].Channels[0] = "changed"
	if edited.Fees[0].Channels[0] != "in_person" {
		t.Error("rules shared with the old procedure, not copied")
	}
}

// TestQuote: what the applicant and form 01 are told: the amount, or the
// exemption claimed (pending: the amount a refusal charges is kept) or
// confirmed, in words.
func TestQuote(t *testing.T) {
	procs, err := demo.Procedures()
	if err != nil {
		t.Fatal(err)
	}
	var p *catalog.Procedure
	for i := range procs {
		if procs[i].Code == "1.004222" {
			p = &procs[i]
		}
	}
	for _, tc := range []struct {
		name    string
		c       catalog.FeeCase
		total   int64
		note    string
		errCode string
	}{
		{"online", catalog.FeeCase{Channel: catalog.ChannelOnline}, 10000, "", ""},
		{"in person", catalog.FeeCase{Channel: catalog.ChannelInPerson}, 20000, "", ""},
		{"claimed", catalog.FeeCase{Channel: catalog.ChannelOnline, Exemption: "MG01"}, 10000, "Miễn lệ phí (đề nghị: Trẻ em dưới 16 tuổi) – chờ kiểm tra", ""},
		{"claimed in person", catalog.FeeCase{Channel: catalog.ChannelInPerson, Exemption: "MG03"}, 20000, "Miễn lệ phí (đề nghị: Thành viên hộ nghèo) – chờ kiểm tra", ""},
		{"confirmed", catalog.FeeCase{Channel: catalog.ChannelOnline, Exemption: "MG01", Proven: true}, 0, "Miễn lệ phí (Trẻ em dưới 16 tuổi)", ""},
		{"unknown exemption", catalog.FeeCase{Channel: catalog.ChannelOnline, Exemption: "MG99"}, 0, "", "fee.exemption"},
		{"unknown channel", catalog.FeeCase{Channel: "fax", Exemption: "MG01"}, 0, "", "fee.channel"},
	} {
		q, err := p.Quote(tc.c)
		if tc.errCode != "" {
			if e, ok := errs.As(err); !ok || e.Key != tc.errCode {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.errCode)
			}
			continue
		}
		if err != nil || q.Total != tc.total || q.Note() != tc.note || catalog.FeeTotal(q.Fees) != q.Total {
			t.Errorf("%s: %+v (%v) note %q, want total %d note %q", tc.name, q, err, q.Note(), tc.total, tc.note)
		}
	}
}
