package printform

import (
	"strconv"
	"strings"
	"time"
)

var digitWords = [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// twoDigitWords reads 0 ≤ n ≤ 99 as a Vietnamese number, the tens always
// read ("mười", "hai mươi"…); the ones after a ten follow the usual
// euphony: 1 → "mốt" after twenty and more, 5 → "lăm", 4 → "tư" after
// twenty and more.
func twoDigitWords(n int) string {
	tens, ones := n/10, n%10
	switch {
	case tens == 0:
		return digitWords[ones]
	case tens == 1:
		switch ones {
		case 0:
			return "mười"
		case 5:
			return "mười lăm"
		}
		return "mười " + digitWords[ones]
	}
	s := digitWords[tens] + " mươi"
	switch ones {
	case 0:
		return s
	case 1:
		return s + " mốt"
	case 4:
		return s + " tư"
	case 5:
		return s + " lăm"
	}
	return s + " " + digitWords[ones]
}

// numberWords reads 0 ≤ n ≤ 9999 as a Vietnamese number as dates are
// written out in words: 2026 → "hai nghìn không trăm hai mươi sáu",
// 2005 → "hai nghìn không trăm linh năm". Outside that range it returns
// the digits.
func numberWords(n int) string {
	if n < 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	if n < 100 {
		return twoDigitWords(n)
	}
	var parts []string
	thousands, hundreds, rest := n/1000, n/100%10, n%100
	if thousands > 0 {
		parts = append(parts, digitWords[thousands]+" nghìn")
	}
	if hundreds > 0 || rest > 0 {
		parts = append(parts, digitWords[hundreds]+" trăm")
	}
	switch {
	case rest == 0:
	case rest < 10:
		parts = append(parts, "linh "+digitWords[rest])
	default:
		parts = append(parts, twoDigitWords(rest))
	}
	return strings.Join(parts, " ")
}

// DateWords writes a date (its day in Viet Nam) out in words, as the
// civil-status papers do beside the digits (Circular 04/2020/TT-BTP,
// Art. 31): 05/11/2026 → "Ngày năm, tháng mười một, năm hai nghìn không
// trăm hai mươi sáu".
func DateWords(t time.Time) string {
	t = t.In(ict)
	month := twoDigitWords(int(t.Month()))
	if t.Month() == time.April {
		month = "tư"
	}
	return "Ngày " + twoDigitWords(t.Day()) + ", tháng " + month + ", năm " + numberWords(t.Year())
}

// Money writes an amount of đồng the way the forms do: 1500000 →
// "1.500.000 đồng".
func Money(v int64) string { return money(v) }
