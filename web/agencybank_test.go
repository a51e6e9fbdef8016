package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAdminAgencyBank: the system administrator sets an agency's fee
// account in the console (a bank of the VietQR list, 6–19 digits, the
// holder stored as banks print it), a wrong one is refused with the field
// named and nothing changed, each change is audited, the account can be
// removed; other officials cannot open the page.
func TestAdminAgencyBank(t *testing.T) {
	f := newFixture(t)
	b := f.browser(t, "quantri")
	page := "/quan-tri/co-quan/" + baDinh + "/tai-khoan"
	if _, agency := b.get("/quan-tri/co-quan/" + baDinh); !strings.Contains(agency, `href="`+page+`"`) {
		t.Errorf("the agency page does not link to its fee account")
	}
	st, body := b.get(page)
	if st != 200 || !strings.Contains(body, `<option value="970415" selected>VietinBank`) || !strings.Contains(body, "Vietcombank") {
		t.Fatalf("bank page = %d: %.3000s", st, body)
	}
	account := func() string {
		_, body := f.do(t, "GET", "/api/v1/agencies/"+baDinh, "", "")
		s := string(body)
		if i := strings.Index(s, `"bank":`); i >= 0 {
			return s[i:]
		}
		return ""
	}
	before, audited := account(), f.auditCount(t, "agency.bank")
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string // the field named in error
	}{
		{"no bank", url.Values{"bin": {""}, "number": {"1234567890"}, "name": {"X"}}, "e-bank-bin"},
		{"a BIN of no bank", url.Values{"bin": {"970499"}, "number": {"1234567890"}, "name": {"X"}}, "e-bank-bin"},
		{"5 digits", url.Values{"bin": {"970436"}, "number": {"12345"}, "name": {"X"}}, "e-bank-number"},
		{"letters", url.Values{"bin": {"970436"}, "number": {"12345ABC"}, "name": {"X"}}, "e-bank-number"},
		{"no holder", url.Values{"bin": {"970436"}, "number": {"1234567890"}, "name": {" "}}, "e-bank-name"},
	} {
		res, body := b.post(page, tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`"`) {
			t.Errorf("%s = %d, want 422 naming %s: %.2000s", tc.name, res.StatusCode, tc.field, body)
		}
	}
	if account() != before {
		t.Errorf("a refused account changed the agency")
	}
	res, body := b.post(page, url.Values{"op": {"luu"}, "bin": {"970436"}, "number": {"0011001234567"}, "name": {"Ủy ban nhân dân phường Ba Đình"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d: %.2000s", res.StatusCode, body)
	}
	want := `"bank":{"bin":"970436","number":"0011001234567","name":"UY BAN NHAN DAN PHUONG BA DINH","bank":"Vietcombank"}`
	if got := account(); !strings.HasPrefix(got, want) {
		t.Errorf("stored %s, want %s", got, want)
	}
	if _, body := b.get(page + "?da-luu=1"); !strings.Contains(body, "Đã lưu tài khoản nhận phí, lệ phí.") || !strings.Contains(body, "UY BAN NHAN DAN PHUONG BA DINH") {
		t.Errorf("page after save: %.3000s", body)
	}
	if res, _ := b.post(page, url.Values{"op": {"xoa"}}); res.StatusCode != http.StatusSeeOther || account() != "" {
		t.Errorf("remove = %d, account %s", res.StatusCode, account())
	}
	if n := f.auditCount(t, "agency.bank"); n != audited+2 {
		t.Errorf("agency.bank audited %d times, want %d", n, audited+2)
	}
	// Only the system administrator.
	for _, user := range []string{"chuyenvien", "tiepnhan", "congdan"} {
		if st, _ := f.browser(t, user).get(page); st != http.StatusForbidden {
			t.Errorf("%s opens the fee account page: %d", user, st)
		}
		if res, _ := f.browser(t, user).post(page, url.Values{"bin": {"970436"}, "number": {"0011001234567"}, "name": {"X"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s posts the fee account: %d", user, res.StatusCode)
		}
	}
	if account() != "" {
		t.Errorf("a refused user changed the account")
	}
}
