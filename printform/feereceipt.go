package printform

import (
	"fmt"
	"time"
)

// FeeLine is one fee on a receipt.
type FeeLine struct {
	Name   string
	Amount int64 // VND
}

// FeeReceipt is the electronic receipt of the fees of a dossier (biên lai
// thu phí, lệ phí điện tử). Its layout is this package's own: the
// official e-receipt template (Decree 11/2020/NĐ-CP and the Ministry of
// Finance's rules on e-receipts) is not reproduced (provisional).
type FeeReceipt struct {
	Agency        Agency // the agency that collects
	Number        string // the receipt number (the bank's transaction, or BL-… at the counter)
	PaidAt        time.Time
	Payer         string
	PayerID       string // personal ID or tax code
	DossierCode   string
	ProcedureName string
	Lines         []FeeLine
	Method        string // "Chuyển khoản ngân hàng (VietQR)", "Nộp tại Bộ phận Một cửa"
	Reference     string // the transfer content quoted
	LookupURL     string // QR code to the dossier's public look-up ("" none)
}

// Total is the sum of the receipt's lines.
func (r FeeReceipt) Total() int64 {
	var t int64
	for _, l := range r.Lines {
		t += l.Amount
	}
	return t
}

// RenderFeeReceipt renders the receipt as PDF: the heading of the agency,
// the payer, the dossier, each fee, the total in digits and in words, how
// and when it was paid.
func RenderFeeReceipt(r FeeReceipt) ([]byte, error) {
	return safely(func() ([]byte, error) {
		var p problems
		if blank(r.Agency.Name) {
			p.add("agency name is empty")
		}
		if blank(r.Payer) {
			p.add("payer is empty")
		}
		if r.PaidAt.IsZero() {
			p.add("payment time is zero")
		}
		if len(r.Lines) == 0 || r.Total() <= 0 {
			p.add("no fee to receipt")
		}
		for _, l := range r.Lines {
			if l.Amount < 0 {
				p.add("fee %d is negative", l.Amount)
			}
		}
		if err := p.err("fee receipt"); err != nil {
			return nil, err
		}
		w := newWriter("P", "Biên lai thu phí, lệ phí", r.PaidAt)
		w.heading(r.Agency, r.Number, r.PaidAt, true, "")
		w.title("Biên lai thu phí, lệ phí", plain("(Bản điện tử)"), bold("Số biên lai: "+oneLine(r.Number)))
		w.field("Họ, chữ đệm và tên người nộp", r.Payer, "B")
		if !blank(r.PayerID) {
			w.field("Số định danh cá nhân/Mã số thuế", r.PayerID, "")
		}
		w.field("Mã hồ sơ", r.DossierCode, "")
		w.field("Thủ tục", r.ProcedureName, "")
		w.para(0, 0, bold("Nội dung thu:"))
		for _, l := range r.Lines {
			w.para(5, 0, plain(fmt.Sprintf("- %s: %s", oneLine(l.Name), money(l.Amount))))
		}
		w.field("Tổng số tiền", money(r.Total()), "B")
		w.field("Số tiền bằng chữ", MoneyWords(r.Total()), "I")
		w.field("Hình thức thanh toán", r.Method, "")
		if !blank(r.Reference) {
			w.field("Nội dung chuyển khoản (mã thanh toán)", r.Reference, "")
		}
		w.field("Thời điểm thanh toán", clock(r.PaidAt), "")
		w.signatures(&signBlock{title: "Người nộp tiền", name: r.Payer}, signBlock{title: "Đơn vị thu tiền", hint: "(Biên lai điện tử, không cần chữ ký tay)", name: r.Agency.Name}, nil)
		if err := w.qrBlock(r.LookupURL, r.DossierCode); err != nil {
			return nil, err
		}
		return w.finish()
	})
}
