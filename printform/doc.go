// Package printform renders the seven forms of Appendix I of Circular
// 03/2025/TT-VPCP as PDF documents:
//
//	01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả                  Receipt
//	02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ                  SupplementRequest
//	03 Phiếu từ chối tiếp nhận giải quyết hồ sơ                 Refusal
//	04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết  Apology
//	05 Thông báo dừng giải quyết hồ sơ                          StopNotice
//	06 Phiếu kiểm soát quá trình giải quyết hồ sơ               ControlSlip
//	07 Sổ theo dõi hồ sơ                                        RegisterBook
//
// The caller fills plain structs (Doc, Register); the package knows nothing
// of databases or HTTP. Every form carries the national heading of Decree
// 30/2020/NĐ-CP: on the left the governing body, the agency (and its unit)
// in bold with a short rule and the "Số:" line; on the right the national
// title, the motto with its rule and the italic place-and-date line, whose
// day (1–9) and month (1–2) take a leading zero ("ngày 05 tháng 02 năm
// 2026", "ngày 23 tháng 11 năm 2026"). Forms 01–06 carry a QR code of
// Doc.LookupURL, captioned "Tra cứu hồ sơ" and the dossier code, in the
// bottom-left corner of the last page when the URL is set.
//
// Wording: the titles are those of Appendix I of Circular 03/2025. The body
// text is not copied from the official text of 03/2025: it follows the
// well-known layout of the corresponding forms of Circular 01/2018/TT-VPCP
// (Mẫu 01 receipt, 02 supplement, 03 refusal, 04 apology and new
// appointment, 05 control slip, 06 register there) as carried into
// 03/2025, and is to be checked against the official text. Form 05 (stop
// notice) has no counterpart in 01/2018: its wording is this package's own,
// modelled on form 04. Additions not on the 2018 forms: the applicant's
// identity number, field, submission channel, procedure code and a fee
// line (only when Dossier.Fee > 0) on form 01; the step deadline and
// completion time in the time column of form 06; the status column of form
// 07. The statutory processing time of form 01 ("Thời gian giải quyết hồ sơ
// theo quy định là") is Dossier.StatutoryTime; the register volume and
// entry number ("Quyển số", "Số thứ tự") are dotted blanks. Empty optional values print as dotted blanks to fill by hand.
//
// Signatures: form 01 is signed by the applicant and Doc.Receiver (else
// Doc.Signer); 02 ("Người hướng dẫn") and 03 ("Người tiếp nhận hồ sơ") by
// Doc.Signer (else Doc.Receiver); 04 and 05 by Doc.Signer under its Title
// in upper case ("CHỦ TỊCH"), with a "Nơi nhận" list. Form 06 has no
// signature block.
//
// Conventions: every string is NFC-normalised before it is measured or
// drawn; every time is shown in Vietnam time (UTC+7, a fixed zone, so no
// tzdata is needed) on the 24-hour clock; money is written "1.234.567
// đồng". Output is deterministic: the same input gives byte-identical PDF
// (creation and modification dates are IssuedAt, catalogs are sorted, the
// producer is fixed). Invalid input gives an error prefixed "printform:";
// the functions never panic.
//
// Fonts: DejaVu Sans (regular, bold, oblique) is embedded in every PDF, as
// subsets of the glyphs drawn, without TrueType hinting; see fonts/LICENSE
// for its licence (Bitstream Vera, Arev). The PDF is written by this
// package (pdf.go): the fonts are parsed once per process, and the font
// objects of a set of characters are cached, so that a document costs well
// under a millisecond of CPU.
package printform
