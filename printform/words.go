package printform

import "strings"

var digitWords = [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// scaleWords name the groups of three digits; past "tỷ" they repeat
// ("nghìn tỷ", "triệu tỷ").
var scaleWords = [...]string{"", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"}

// MoneyWords writes an amount of đồng in Vietnamese words, as a receipt's
// "Số tiền bằng chữ": "Mười nghìn đồng", "Một trăm linh năm nghìn đồng",
// "Hai mươi mốt nghìn đồng". A group after the first is read in full
// ("một triệu không trăm linh năm"); an empty group is left out.
func MoneyWords(amount int64) string {
	if amount == 0 {
		return "Không đồng"
	}
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = uint64(-amount)
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
	s := strings.Join(parts, " ") + " đồng"
	if neg {
		s = "âm " + s
	}
	return upperFirstRune(s)
}

// triple reads 0–999; full reads the hundreds and "linh" even when the
// group leads with zeros (a group after the first).
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
