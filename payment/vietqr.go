package payment

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/errs"
)

// VietQR is a NAPAS "IBFT via QR" bank transfer (EMVCo merchant-presented
// QR, FACTS-CITIZEN §1): to an account (service QRIBFTTA) or a card
// (QRIBFTTC), dynamic when it carries an amount.
type VietQR struct {
	BIN     string // the acquirer bank's 6-digit BIN, e.g. 970403
	Account string // the beneficiary's account or card number (≤ 19 characters)
	Card    bool   // Account is a card number
	Amount  int64  // VND; 0: a static code without amount
	Bill    string // 62/01 bill number ("" none)
	Purpose string // 62/08 transfer content ("" none)
}

// tlv writes one EMVCo data object: two-digit ID, two-digit length, value.
func tlv(id, value string) string { return fmt.Sprintf("%s%02d%s", id, len(value), value) }

// Payload is the QR's text: tags 00, 01, 38, 53, 54, 58, 62 in the order of
// the NAPAS examples, then the CRC (tag 63). The bill number and purpose
// are written without diacritics, as banking apps expect (FACTS §1.1).
func (q VietQR) Payload() (string, error) {
	switch {
	case len(q.BIN) != 6 || strings.Trim(q.BIN, "0123456789") != "":
		return "", errs.New(errs.Invalid, "payment.bin", "Mã BIN ngân hàng phải gồm 6 chữ số.", "the bank BIN must be 6 digits")
	case q.Account == "" || len(q.Account) > 19 || strings.Trim(q.Account, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		return "", errs.New(errs.Invalid, "payment.account", "Số tài khoản thụ hưởng không hợp lệ.", "bad beneficiary account")
	case q.Amount < 0 || len(strconv.FormatInt(q.Amount, 10)) > 13:
		return "", errs.New(errs.Invalid, "payment.amount", "Số tiền không hợp lệ.", "bad amount")
	}
	bill, purpose := ascii(q.Bill), ascii(q.Purpose)
	if len(bill) > 25 || len(purpose) > 25 {
		return "", errs.New(errs.Invalid, "payment.purpose", "Nội dung chuyển khoản quá dài (tối đa 25 ký tự).", "transfer content too long")
	}
	service, method := "QRIBFTTA", "11"
	if q.Card {
		service = "QRIBFTTC"
	}
	if q.Amount > 0 {
		method = "12"
	}
	var b strings.Builder
	b.WriteString(tlv("00", "01") + tlv("01", method))
	b.WriteString(tlv("38", tlv("00", "A000000727")+tlv("01", tlv("00", q.BIN)+tlv("01", q.Account))+tlv("02", service)))
	b.WriteString(tlv("53", "704"))
	if q.Amount > 0 {
		b.WriteString(tlv("54", strconv.FormatInt(q.Amount, 10)))
	}
	b.WriteString(tlv("58", "VN"))
	var add string
	if bill != "" {
		add += tlv("01", bill)
	}
	if purpose != "" {
		add += tlv("08", purpose)
	}
	if add != "" {
		b.WriteString(tlv("62", add))
	}
	b.WriteString("6304")
	return b.String() + fmt.Sprintf("%04X", CRC16(b.String())), nil
}

// ascii folds Vietnamese to unaccented ASCII (đ → d) and keeps the
// printable ASCII characters, EMVCo's "ans" set.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch r {
		case 'đ':
			r = 'd'
		case 'Đ':
			r = 'D'
		}
		if r >= 0x20 && r < 0x7F {
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// CRC16 is CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no
// reflection, no final XOR (check value of "123456789": 0x29B1).
func CRC16(s string) uint16 {
	crc := uint16(0xFFFF)
	for i := 0; i < len(s); i++ {
		crc ^= uint16(s[i]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// Field is one decoded EMVCo data object.
type Field struct {
	ID, Value string
}

// Decode splits an EMVCo payload into its top-level data objects and checks
// its CRC (the last object, tag 63, over everything before its value).
func Decode(payload string) ([]Field, error) {
	fields, err := DecodeTLV(payload)
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 || fields[len(fields)-1].ID != "63" || len(fields[len(fields)-1].Value) != 4 {
		return nil, fmt.Errorf("emv qr: no CRC at the end")
	}
	if want := fmt.Sprintf("%04X", CRC16(payload[:len(payload)-4])); !strings.EqualFold(want, fields[len(fields)-1].Value) {
		return nil, fmt.Errorf("emv qr: CRC %s, computed %s", fields[len(fields)-1].Value, want)
	}
	return fields, nil
}

// DecodeTLV splits a sequence of EMVCo data objects (a payload or the value
// of a template such as 38 or 62).
func DecodeTLV(s string) ([]Field, error) {
	var out []Field
	for len(s) > 0 {
		if len(s) < 4 {
			return nil, fmt.Errorf("emv qr: truncated data object %q", s)
		}
		n, err := strconv.Atoi(s[2:4])
		if err != nil || n < 0 || strings.Trim(s[2:4], "0123456789") != "" {
			return nil, fmt.Errorf("emv qr: bad length %q", s[2:4])
		}
		if len(s) < 4+n {
			return nil, fmt.Errorf("emv qr: data object %s declares %d characters, %d left", s[:2], n, len(s)-4)
		}
		out = append(out, Field{ID: s[:2], Value: s[4 : 4+n]})
		s = s[4+n:]
	}
	return out, nil
}
