package notify

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sample is a dossier's data as the use case fills it.
func sample() Data {
	due := time.Date(2026, 12, 10, 10, 30, 0, 0, time.UTC) // 17:30 in Vietnam
	return Data{
		Name: "Nguyễn Văn An", Code: "000.00.01.H01-261204-0001", Procedure: "Đăng ký khai sinh",
		Agency: "UBND xã Hòa Bình", Link: "https://dichvucong.example.vn/ho-so/000.00.01.H01-261204-0001",
		Submitted: due.AddDate(0, 0, -5), Due: due, Note: "Bản sao Giấy chứng nhận kết hôn của cha mẹ", Amount: 30000, Reference: "MC261204000001",
		NewDue: due.AddDate(0, 0, 3), Result: "Giấy khai sinh",
	}
}

func TestRenderGolden(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		for _, e := range Events {
			t.Run(lang+"/"+string(e), func(t *testing.T) {
				m, err := Render(e, lang, sample())
				if err != nil {
					t.Fatal(err)
				}
				got := "Subject: " + m.Subject + "\nShort: " + m.Short + "\n\n" + m.Text
				path := filepath.Join("testdata", string(e)+"."+lang+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("%s differs (go test ./notify -update):\n%s", path, got)
				}
			})
		}
	}
}

// Every message names the dossier, its procedure and agency, links its
// page, and dates in Vietnam time with the offset; nothing is left out
// when optional data is missing.
func TestRenderContents(t *testing.T) {
	full, bare := sample(), Data{Code: "X-1", Procedure: "P", Agency: "A", Link: "http://h/ho-so/X-1"}
	for _, lang := range []string{"vi", "en", "fr"} {
		for _, e := range Events {
			for _, d := range []Data{full, bare} {
				m, err := Render(e, lang, d)
				if err != nil {
					t.Fatalf("%s %s: %v", lang, e, err)
				}
				for _, want := range []string{d.Code, d.Link} {
					if !strings.Contains(m.Text, want) || !strings.Contains(m.Short, want) {
						t.Errorf("%s %s: %q missing:\n%s\n%s", lang, e, want, m.Text, m.Short)
					}
				}
				if !strings.Contains(m.Subject, d.Code) || !strings.Contains(m.Text, d.Agency) || !strings.Contains(m.Text, d.Procedure) {
					t.Errorf("%s %s: subject %q or text without the code, agency, procedure", lang, e, m.Subject)
				}
				if strings.Contains(m.Text, "<no value>") || strings.Contains(m.Text, "0001-01-01") {
					t.Errorf("%s %s: an empty value shown:\n%s", lang, e, m.Text)
				}
				if d.Due.IsZero() == strings.Contains(m.Text, "UTC+07:00") && e != Supplement && e != Payment {
					t.Errorf("%s %s: due date shown %v, want %v:\n%s", lang, e, !d.Due.IsZero(), !d.Due.IsZero(), m.Text)
				}
			}
		}
	}
}

func TestWhenMoney(t *testing.T) {
	at := time.Date(2026, 1, 2, 23, 5, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{When("vi", at), "06:05 ngày 03/01/2026 (UTC+07:00)"},
		{When("en", at), "06:05 on 3 January 2026 (UTC+07:00)"},
		{Money("vi", 0), "0 đồng"},
		{Money("vi", 999), "999 đồng"},
		{Money("vi", 1000), "1.000 đồng"},
		{Money("vi", 1234567), "1.234.567 đồng"},
		{Money("en", 30000), "VND 30,000"},
		{Money("en", -30000), "VND -30,000"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestParseChannels(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
		bad  bool
	}{
		{nil, "", false},
		{[]string{"zalo", "email", "zalo"}, "email,zalo", false},
		{[]string{" sms "}, "sms", false},
		{[]string{"fax"}, "", true},
		{[]string{""}, "", true},
	} {
		got, err := ParseChannels(c.in)
		if (err != nil) != c.bad {
			t.Errorf("%q: error %v", c.in, err)
			continue
		}
		var s []string
		for _, ch := range got {
			s = append(s, string(ch))
		}
		if strings.Join(s, ",") != c.want {
			t.Errorf("%q: %q, want %q", c.in, s, c.want)
		}
	}
	if p := DefaultPrefs(7, ""); len(p.Channels) != 0 || p.Lang != "vi" {
		t.Errorf("no address: %+v", p)
	}
	if p := DefaultPrefs(7, "a@b.vn"); len(p.Channels) != 1 || p.Channels[0] != Email {
		t.Errorf("with an address: %+v", p)
	}
}

// FuzzParseChannels: whatever a form sends, the channels read are known
// ones, each once, in the order of Channels; or an error.
func FuzzParseChannels(f *testing.F) {
	for _, s := range []string{"email", "sms,zalo", "email,email", " sms", "fax", "", "zalo,\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseChannels(strings.Split(s, ","))
		if err != nil {
			return
		}
		last := -1
		for _, c := range got {
			i := slices.Index(Channels, c)
			if i <= last {
				t.Fatalf("%q → %q: unknown, repeated or out of order", s, got)
			}
			last = i
		}
	})
}

// TestRenderExemptionRefused: the payment notice of a refused fee
// exemption tells the reason and the fee to come, not a payment to make
// now.
func TestRenderExemptionRefused(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
		not  string
	}{
		{"vi", []string{"Đề nghị miễn lệ phí không được chấp nhận. Lý do: Giấy xác nhận hết hạn", "Số tiền: 10.000 đồng.", "Cơ quan sẽ đề nghị nộp khoản này"}, "Xin vui lòng thanh toán"},
		{"en", []string{"was not accepted. Reason: Giấy xác nhận hết hạn", "Amount: VND 10,000.", "The agency will ask for it"}, "Please pay on"},
	} {
		d := sample()
		d.Amount, d.Reference, d.ExemptionRefused = 10000, "", "Giấy xác nhận hết hạn"
		m, err := Render(Payment, tc.lang, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(m.Text, w) {
				t.Errorf("%s: %q missing from:\n%s", tc.lang, w, m.Text)
			}
		}
		if strings.Contains(m.Text, tc.not) {
			t.Errorf("%s: %q in:\n%s", tc.lang, tc.not, m.Text)
		}
	}
}
