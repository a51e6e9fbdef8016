package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/motcua/motcua/app/dossiers"
)

// PaymentSentOut answers the applicant's "I have transferred".
type PaymentSentOut struct {
	Status string `json:"status" enum:"awaiting_bank" doc:"the dossier is paid when the bank's signed callback arrives, never by this call"`
}

// PaymentCallbackOut answers a provider's callback.
type PaymentCallbackOut struct {
	Code    string `json:"code"`
	Status  int    `json:"status"`
	Changed bool   `json:"changed" doc:"false when the same confirmation was taken before"`
}

// paymentRoutes mounts the payment of fees: the QR and reference, the
// applicant's notice, the provider's signed callback and the receipt.
func (s *Server) paymentRoutes() {
	tag := []string{"Thanh toán"}
	register(s, huma.Operation{OperationID: "dossier-payment", Method: http.MethodGet, Path: "/api/v1/dossiers/{code}/payment",
		Summary: "Khoản phí, lệ phí phải nộp của hồ sơ: số tiền, mã thanh toán (nội dung chuyển khoản), tài khoản và mã VietQR", Tags: tag}, loggedIn,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"60"`
		}) (*bodyOut[dossiers.PaymentInfo], error) {
			p, err := s.app.Dossiers.Payment(ctx, actorOf(ctx), in.Code)
			if err != nil {
				return nil, err
			}
			return body(p), nil
		})
	register(s, huma.Operation{OperationID: "dossier-payment-sent", Method: http.MethodPost, Path: "/api/v1/dossiers/{code}/payment/sent",
		Summary: "Người nộp báo đã chuyển khoản: hồ sơ chờ ngân hàng xác nhận (không tự chuyển sang đã thanh toán)", Tags: tag, DefaultStatus: http.StatusAccepted}, loggedIn,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"60"`
		}) (*bodyOut[PaymentSentOut], error) {
			if err := s.app.Dossiers.PaymentSent(ctx, actorOf(ctx), in.Code); err != nil {
				return nil, err
			}
			return body(PaymentSentOut{Status: "awaiting_bank"}), nil
		})
	register(s, huma.Operation{OperationID: "dossier-payment-receipt", Method: http.MethodGet, Path: "/api/v1/dossiers/{code}/payment/receipt",
		Summary: "Biên lai thu phí, lệ phí điện tử (PDF) của hồ sơ đã thanh toán", Tags: tag,
		Responses: map[string]*huma.Response{"200": {Description: "PDF", Content: map[string]*huma.MediaType{"application/pdf": {}}}}}, loggedIn,
		func(ctx context.Context, in *struct {
			Code string `path:"code" maxLength:"60"`
			Host string `header:"Host"`
		}) (*pdfFile, error) {
			b, err := s.app.Dossiers.PaymentReceipt(ctx, actorOf(ctx), in.Code, s.publicURL(in.Host))
			if err != nil {
				return nil, err
			}
			return &pdfFile{ContentType: "application/pdf", ContentDisposition: `attachment; filename="bien-lai-` + in.Code + `.pdf"`, Body: b}, nil
		})
	register(s, huma.Operation{OperationID: "payment-callback", Method: http.MethodPost, Path: "/api/v1/payments/callback",
		Summary:     "Thông báo của ngân hàng/đơn vị thanh toán rằng khoản chuyển khoản đã đến (có chữ ký HMAC-SHA256)",
		Description: "The body is signed with the secret shared with the provider: header X-Motcua-Signature: sha256=<hex HMAC-SHA256 of the body>. A bad signature is refused (401) and audited; after 10 refusals from one source in a minute, its next calls with a bad signature get 429 with Retry-After until the minute is over (counted, not audited one by one); a well-signed callback is never held off. The same confirmation twice changes nothing (changed: false).",
		Tags:        tag, MaxBodyBytes: 8 << 10, SkipValidateBody: true}, public,
		func(ctx context.Context, in *struct {
			Signature string `header:"X-Motcua-Signature" maxLength:"80"`
			RawBody   []byte `contentType:"application/json"`
		}) (*bodyOut[PaymentCallbackOut], error) {
			d, changed, err := s.app.Dossiers.PaymentCallback(ctx, in.RawBody, in.Signature, actorOf(ctx).IP)
			if err != nil {
				return nil, err
			}
			return body(PaymentCallbackOut{Code: d.Code, Status: int(d.Status), Changed: changed}), nil
		})
}

// pdfFile is a PDF answer.
type pdfFile struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}
