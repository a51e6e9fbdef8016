package printform

import (
	"strings"
	"time"
)

var digitWords = [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// scaleWords name the groups of three digits; past "tỷ" they repeat
// ("nghìn tỷ", "triệu tỷ").
var scaleWords = [...]string{"", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"}

// numberWords reads a non-negative number in Vietnamese words, lower case:
// 2026 → "hai nghìn không trăm hai mươi sáu", 105000 → "một trăm linh năm
// nghìn". A group after the first is read in full ("một triệu không trăm
// linh năm"); an empty group is left out.
func numberWords(u uint64) string {
	if u == 0 {
		return digitWords[0]
	}
	var groups []int
	for ; u > 0; u /= 1000 {
		groups = append(groups, int(u%1000))
	}
	var parts []string
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		parts = append(parts, triple(g, i < len(groups)-1))
		if scaleWords[i] != "" {
			parts = append(parts, scaleWords[i])
		}
	}
	return strings.Join(parts, " ")
}

// MoneyWords writes an amount of đồng in Vietnamese words, as a receipt's
// "Số tiền bằng chữ": "Mười nghìn đồng", "Một trăm linh năm nghìn đồng",
// "Hai mươi mốt nghìn đồng".
func MoneyWords(amount int64) string {
	if amount == 0 {
		return "Không đồng"
	}
	u := uint64(amount)
	if amount < 0 {
		u = uint64(-amount)
	}
	s := numberWords(u) + " đồng"
	if amount < 0 {
		s = "âm " + s
	}
	return upperFirstRune(s)
}

// triple reads 0–999; full reads the hundreds and "linh" even when the
// group leads with zeros (a group after the first). The ones after a ten
// follow the usual euphony: 1 → "mốt" after twenty and more, 5 → "lăm",
// 4 → "tư" after twenty and more.
func triple(n int, full bool) string {
	h, t, u := n/100, n/10%10, n%10
	var w []string
	if full || h > 0 {
		w = append(w, digitWords[h], "trăm")
	}
	switch t {
	case 0:
		if u > 0 {
			if len(w) > 0 {
				w = append(w, "linh")
			}
			w = append(w, digitWords[u])
		}
	case 1:
		w = append(w, "mười")
		if u == 5 {
			w = append(w, "lăm")
		} else if u > 0 {
			w = append(w, digitWords[u])
		}
	default:
		w = append(w, digitWords[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 4:
			w = append(w, "tư")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digitWords[u])
		}
	}
	return strings.Join(w, " ")
}

func upperFirstRune(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// DateWords writes a date (its day in Viet Nam) out in words, as the
// civil-status papers do beside the digits (Circular 04/2020/TT-BTP,
// Art. 31): 05/11/2026 → "Ngày năm, tháng mười một, năm hai nghìn không
// trăm hai mươi sáu".
func DateWords(t time.Time) string {
	t = t.In(ict)
	month := numberWords(uint64(t.Month()))
	if t.Month() == time.April {
		month = "tư"
	}
	return "Ngày " + numberWords(uint64(t.Day())) + ", tháng " + month + ", năm " + numberWords(uint64(t.Year()))
}

// Money writes an amount of đồng the way the forms do: 1500000 →
// "1.500.000 đồng".
func Money(v int64) string { return money(v) }
