package identity

// CitizenID is what a 12-digit personal identification number (số định
// danh cá nhân) tells by its structure (DOMAIN.md): digits 1–3 the place of
// birth registration (a province code, or 0 + an old province code), digit
// 4 gender and century (0/1 the 1900s, 2/3 the 2000s, 4/5 the 2100s; even
// male, odd female), digits 5–6 the last two digits of the birth year,
// 7–12 a serial. There is no checksum. This is the one place the rule is
// written; forms, counters, datasets and the document store all ask here.
type CitizenID struct {
	Place     string // digits 1–3
	BirthYear int    // century from digit 4 plus digits 5–6
	Female    bool
}

// ParseCitizenID reads a citizen ID's structure; ok is false when s is not
// 12 digits or digit 4 is above 5.
func ParseCitizenID(s string) (id CitizenID, ok bool) {
	if len(s) != 12 {
		return id, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return id, false
		}
	}
	g := int(s[3] - '0')
	if g > 5 {
		return id, false
	}
	yy := int(s[4]-'0')*10 + int(s[5]-'0')
	return CitizenID{Place: s[:3], BirthYear: 1900 + 100*(g/2) + yy, Female: g%2 == 1}, true
}

// ValidCitizenID reports whether s has the structure of a citizen ID.
func ValidCitizenID(s string) bool {
	_, ok := ParseCitizenID(s)
	return ok
}
