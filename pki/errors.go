package pki

import "errors"

// Errors callers tell apart with errors.Is. Every returned error wraps one of
// these when it is about the input rather than the machine.
var (
	// ErrNotPDF: the input is not a PDF at all.
	ErrNotPDF = errors.New("không phải tệp PDF (not a PDF)")
	// ErrMalformed: the PDF's structure cannot be read.
	ErrMalformed = errors.New("cấu trúc PDF bị hỏng (malformed PDF)")
	// ErrUnsupported: a valid PDF feature this package does not handle
	// (encryption, exotic filters).
	ErrUnsupported = errors.New("PDF dùng tính năng chưa hỗ trợ (unsupported PDF feature)")
	// ErrNoSignature: the PDF carries no signature to verify.
	ErrNoSignature = errors.New("tệp PDF không có chữ ký số (no signature)")
	// ErrNoCertificate: no certificate (or key) for the agency.
	ErrNoCertificate = errors.New("cơ quan chưa có chứng thư số (no certificate for the agency)")
	// ErrNoCAKey: the CA's private key is not here (an imported production
	// CA keeps it elsewhere), so nothing can be issued or revoked.
	ErrNoCAKey = errors.New("không có khóa bí mật của CA (CA key not available)")
	// ErrUnknownSerial: no certificate issued here has this serial.
	ErrUnknownSerial = errors.New("không có chứng thư với số hiệu này (unknown serial)")
)
