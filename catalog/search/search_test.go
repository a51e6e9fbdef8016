package search

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/catalog"
)

// small is a catalogue of a few procedures and one term.
func small() *Index {
	procs := []catalog.Summary{
		{Code: "KS", Name: "Đăng ký khai sinh", Field: "Hộ tịch", Level: catalog.LevelCommune},
		{Code: "KSL", Name: "Đăng ký lại khai sinh", Field: "Hộ tịch", Level: catalog.LevelCommune},
		{Code: "KH", Name: "Đăng ký kết hôn", Field: "Hộ tịch", Level: catalog.LevelCommune},
		{Code: "TT", Name: "Đăng ký tạm trú", Field: "Cư trú", Level: catalog.LevelCommune},
		{Code: "GP", Name: "Cấp giấy phép xây dựng nhà ở riêng lẻ", Field: "Xây dựng", Level: catalog.LevelProvince},
		{Code: "DD", Name: "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", Field: "Đất đai", Level: catalog.LevelCommune},
	}
	terms := []Term{
		{Phrase: "sổ đỏ", Codes: []string{"DD"}},
		{Phrase: "cất nhà", Codes: []string{"GP", "NOPE"}},
		{Phrase: "người thuê trọ", Codes: []string{"TT"}},
	}
	return Build(procs, terms)
}

func first(r Result) string {
	if len(r.Hits) == 0 {
		return ""
	}
	return r.Hits[0].Summary.Code
}

// TestSearchReadings: each way of typing a word finds the procedure: with
// and without diacritics, i for y, a letter wrong, two swapped, Telex or
// VNI keys left in, words run together, a last word not finished, an
// everyday term.
func TestSearchReadings(t *testing.T) {
	ix := small()
	for _, tt := range []struct{ q, want string }{
		{"Đăng ký khai sinh", "KS"},
		{"dang ky khai sinh", "KS"},
		{"ĐĂNG KÍ KHAI SINH", "KS"},
		{"dang ky lai khai sinh", "KSL"},
		{"dang ky khia sinh", "KS"},    // swapped letters
		{"dang ky khai sinhh", "KS"},   // one letter more
		{"ddawng kys khai sinh", "KS"}, // Telex
		{"d9a8ng ky1 khai sinh", "KS"}, // VNI
		{"dangky khaisinh", "KS"},      // run together
		{"dang ky ket h", "KH"},        // prefix of the last word
		{"xin so do", "DD"},            // term
		{"cat nha", "GP"},              // term, the unknown code ignored
		{"tam tru cho nguoi thue tro", "TT"},
		{"giay phep xay dung", "GP"},
		{"giấy phép xây dụng", "GP"}, // folded alike
	} {
		if got := first(ix.Search(tt.q, nil)); got != tt.want {
			t.Errorf("Search(%q) first = %q, want %q (%v)", tt.q, got, tt.want, ix.Search(tt.q, nil).Hits)
		}
	}
}

// TestSearchSuggestion: a query found as typed has no suggestion; one with
// a correction says how the catalogue spells it; nonsense finds nothing
// and suggests nothing; a word too far for the search but near enough for
// "did you mean" gets a suggestion with diacritics.
func TestSearchSuggestion(t *testing.T) {
	ix := small()
	for _, tt := range []struct {
		q, suggest string
		hits       bool
	}{
		{"dang ky khai sinh", "", true},
		{"khai sinhh", "khai sinh", true},
		{"zzzz qqqq", "", false},
		{"", "", false},
		{"thue troo", "thuê trọ", true},
		{"ket hhonn", "kết hôn", true},
	} {
		r := ix.Search(tt.q, nil)
		if r.Suggestion != tt.suggest || (len(r.Hits) > 0) != tt.hits {
			t.Errorf("Search(%q) = %d hits, suggestion %q; want hits %v, %q", tt.q, len(r.Hits), r.Suggestion, tt.hits, tt.suggest)
		}
	}
	// Nothing within the search's distance, something within the
	// suggestion's: no hits, a suggestion that finds.
	r := ix.Search("hhoon", nil)
	if len(r.Hits) != 0 || r.Suggestion == "" || len(ix.Search(r.Suggestion, nil).Hits) == 0 {
		t.Errorf("hhoon: %d hits, suggestion %q", len(r.Hits), r.Suggestion)
	}
}

// TestSearchFilterAndOrder: the filter drops procedures; better matches
// come first; a share of the best score too small is dropped.
func TestSearchFilterAndOrder(t *testing.T) {
	ix := small()
	r := ix.Search("đăng ký", func(s catalog.Summary) bool { return s.Field == "Hộ tịch" })
	var codes []string
	for _, h := range r.Hits {
		codes = append(codes, h.Summary.Code)
	}
	slices.Sort(codes)
	if !slices.Equal(codes, []string{"KH", "KS", "KSL"}) {
		t.Errorf("filtered = %v", codes)
	}
	r = ix.Search("khai sinh", nil)
	if len(r.Hits) != 2 || r.Hits[0].Summary.Code != "KS" || r.Hits[0].Score <= r.Hits[1].Score {
		t.Errorf("khai sinh = %+v", r.Hits)
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"khai", "khai", 3, 0},
		{"khia", "khai", 3, 1},
		{"sinhh", "sinh", 3, 1},
		{"sanh", "sinh", 3, 1},
		{"kinh", "khai", 4, 3},
		{"kinh", "khai", 3, 3},
		{"abcdef", "xyz", 3, 3},
		{"", "abc", 5, 3},
		{"thuong", "thuogn", 2, 1},
	} {
		if got := distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestParseTerms(t *testing.T) {
	for _, tt := range []struct {
		name, in, err string
	}{
		{"ok", `{"version":1,"terms":[{"phrase":" sổ  đỏ ","codes":["A","A","B"]}]}`, ""},
		{"version", `{"version":2,"terms":[]}`, "version 2"},
		{"unknown key", `{"version":1,"terms":[],"x":1}`, "unknown field"},
		{"no code", `{"version":1,"terms":[{"phrase":"a","codes":[]}]}`, "1 to 20"},
		{"empty phrase", `{"version":1,"terms":[{"phrase":"  ","codes":["A"]}]}`, "phrase"},
		{"punctuation only", `{"version":1,"terms":[{"phrase":"?!","codes":["A"]}]}`, "letter or digit"},
		{"twice folded", `{"version":1,"terms":[{"phrase":"sổ đỏ","codes":["A"]},{"phrase":"SO DO","codes":["B"]}]}`, "twice"},
		{"control", `{"version":1,"terms":[{"phrase":"a\u0007b","codes":["A"]}]}`, "control"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			terms, err := ParseTerms(strings.NewReader(tt.in))
			if tt.err == "" {
				if err != nil || len(terms) != 1 || terms[0].Phrase != "sổ đỏ" || !slices.Equal(terms[0].Codes, []string{"A", "B"}) {
					t.Fatalf("ParseTerms = %+v, %v", terms, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("ParseTerms error = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestParseQuestions(t *testing.T) {
	qs, err := ParseQuestions(strings.NewReader("# comment\n\nA\tdang ky\r\nB\t xin so do \n"))
	if err != nil || !slices.Equal(qs, []Question{{"A", "dang ky"}, {"B", "xin so do"}}) {
		t.Fatalf("ParseQuestions = %v, %v", qs, err)
	}
	for _, bad := range []string{"A dang ky\n", "\tq\n", "A\t \n", "A\tb\tc\n"} {
		if _, err := ParseQuestions(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseQuestions(%q) accepted", bad)
		}
	}
}

// FuzzSearch: any query, however typed, returns hits ordered by score
// without panicking, and the same hits twice.
func FuzzSearch(f *testing.F) {
	ix := small()
	for _, s := range []string{"dang ky khai sinh", "ddawngs", "d9a8", "khaisinh", "", "ｋｈａｉ", "đ", "a b c d e f g", strings.Repeat("x", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		r := ix.Search(q, nil)
		for i := 1; i < len(r.Hits); i++ {
			if r.Hits[i].Score > r.Hits[i-1].Score {
				t.Fatalf("%q: hits out of order", q)
			}
		}
		if r2 := ix.Search(q, nil); len(r2.Hits) != len(r.Hits) || r2.Suggestion != r.Suggestion {
			t.Fatalf("%q: two answers", q)
		}
	})
}

// FuzzParseTerms: a terms file either parses into terms CheckTerm accepts
// as they are, or is refused; never a panic.
func FuzzParseTerms(f *testing.F) {
	f.Add([]byte(`{"version":1,"terms":[{"phrase":"sổ đỏ","codes":["A"],"note":"x"}]}`))
	f.Add([]byte(`{"version":1,"terms":[]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, b []byte) {
		terms, err := ParseTerms(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, term := range terms {
			again, err := CheckTerm(term)
			if err != nil || again.Phrase != term.Phrase || !slices.Equal(again.Codes, term.Codes) {
				t.Fatalf("CheckTerm(%+v) = %+v, %v", term, again, err)
			}
		}
	})
}

// FuzzParseQuestions: never a panic; every question has a code and a text.
func FuzzParseQuestions(f *testing.F) {
	f.Add("A\tdang ky\n# x\n")
	f.Fuzz(func(t *testing.T, s string) {
		qs, err := ParseQuestions(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, q := range qs {
			if q.Code == "" || q.Text == "" {
				t.Fatalf("%q: empty question %+v", s, q)
			}
		}
	})
}
