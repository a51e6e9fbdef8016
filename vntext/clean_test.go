package vntext

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestCleanName(t *testing.T) {
	nfd := norm.NFD.String("Nguyễn Thị Hòa")
	tests := []struct {
		name, in, want, key string
	}{
		{"plain", "Nguyễn Văn An", "Nguyễn Văn An", ""},
		{"NFD stored as NFC", nfd, "Nguyễn Thị Hòa", ""},
		{"tone placement", "Thị Hoà", "Thị Hòa", ""},
		{"spaces collapsed and trimmed", "  Lê\u00a0\u00a0Văn\u3000Tám  ", "Lê Văn Tám", ""},
		{"empty", "", "", "required"},
		{"only whitespace", " \u00a0\u3000 ", "", "required"},
		{"only zero-width spaces", "\u200b\u200b", "", "invisible"},
		{"zero-width joiner", "An\u200dh", "", "invisible"},
		{"zero-width non-joiner", "An\u200ch", "", "invisible"},
		{"word joiner", "An\u2060h", "", "invisible"},
		{"byte order mark", "\ufeffAnh", "", "invisible"},
		{"NUL", "An\x00h", "", "control"},
		{"BEL", "An\ah", "", "control"},
		{"tab", "An\th", "", "control"},
		{"newline", "Nguyễn\nAn", "", "control"},
		{"C1 control", "An\u0085h", "", "control"},
		{"DEL", "An\x7fh", "", "control"},
		{"right-to-left override", "An\u202eh", "", "bidi"},
		{"left-to-right embedding", "\u202aAnh", "", "bidi"},
		{"isolate", "An\u2067h", "", "bidi"},
		{"right-to-left mark", "An\u200fh", "", "bidi"},
	}
	for _, tt := range tests {
		got, err := CleanName(tt.in)
		key, msg, _ := Problem(err, "Họ và tên")
		if got != tt.want || key != tt.key {
			t.Errorf("%s: CleanName(%q) = %q, %q; want %q, %q", tt.name, tt.in, got, key, tt.want, tt.key)
		}
		if tt.key != "" && !strings.HasPrefix(msg, "Họ và tên") {
			t.Errorf("%s: message %q does not name the field", tt.name, msg)
		}
	}
}

func TestCleanNote(t *testing.T) {
	tests := []struct{ in, want, key string }{
		{"  Thiếu bản sao\r\n\tgiấy khai sinh  ", "Thiếu bản sao\n\tgiấy khai sinh", ""},
		{"", "", ""},
		{"a\x00b", "", "control"},
		{"a\ab", "", "control"},
		{"a\u202eb", "", "bidi"},
		{"a\u200bb", "", "invisible"},
		{norm.NFD.String("Lý do"), "Lý do", ""},
	}
	for _, tt := range tests {
		got, err := CleanNote(tt.in)
		key, _, _ := Problem(err, "Ghi chú")
		if got != tt.want || key != tt.key {
			t.Errorf("CleanNote(%q) = %q, %q; want %q, %q", tt.in, got, key, tt.want, tt.key)
		}
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct{ in, want, key string }{
		{norm.NFD.String("Hà Nội"), "Hà Nội", ""},
		{" dòng 1\ndòng 2\t", " dòng 1\ndòng 2\t", ""},
		{"a\x00", "", "control"},
		{"a\u202e", "", "bidi"},
		{"a\u200db", "a\u200db", ""}, // joiners occur in free text (emoji)
	}
	for _, tt := range tests {
		got, err := CheckText(tt.in)
		key, _, _ := Problem(err, "x")
		if got != tt.want || key != tt.key {
			t.Errorf("CheckText(%q) = %q, %q; want %q, %q", tt.in, got, key, tt.want, tt.key)
		}
	}
}

func TestFoldInvisibleAndFullWidth(t *testing.T) {
	want := Fold("Đăng ký khai sinh")
	for _, in := range []string{
		"Đăng ký kh\u200bai sinh",
		"\ufeffĐăng ký khai\u200d sinh",
		"Đăng ký ｋｈａｉ ｓｉｎｈ",
		"ĐĂNG KÝ ＫＨＡＩ　ＳＩＮＨ",
		norm.NFD.String("Đăng ký khai sinh"),
		"Đăng ký kh\u00adai sinh",
		"Đăng ký kh\u202eai sinh",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Lower("ĐĂNG KÝ ｋｈａｉ s\u200binh"); got != "đăng ký khai sinh" {
		t.Errorf("Lower = %q", got)
	}
	if got := Fold("１．００１１９３"); got != "1 001193" {
		t.Errorf("Fold full-width code = %q", got)
	}
}

func refusedAny(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\t' || r == '\n') {
			continue
		}
		if unicode.IsControl(r) || IsBidi(r) || IsZeroWidth(r) {
			return true
		}
	}
	return false
}

func FuzzCleanName(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", " \u200b ", "a\x00", "\u202e", "Hoà\r\n", "\xff\u0301", "  a  b  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, err := CleanName(s); err == nil {
			if !norm.NFC.IsNormalString(got) || refusedAny(got, false) || got == "" || got != strings.TrimSpace(got) {
				t.Errorf("CleanName(%q) = %q", s, got)
			}
			if again, err := CleanName(got); err != nil || again != got {
				t.Errorf("CleanName not idempotent on %q: %q, %v", got, again, err)
			}
		}
		if got, err := CleanNote(s); err == nil && (!norm.NFC.IsNormalString(got) || refusedAny(got, true) || strings.Contains(got, "\r")) {
			t.Errorf("CleanNote(%q) = %q", s, got)
		}
		if got, err := CheckText(s); err == nil && !norm.NFC.IsNormalString(got) {
			t.Errorf("CheckText(%q) = %q", s, got)
		}
	})
}
