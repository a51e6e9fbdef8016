package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/payment"
)

// testPaymentSecret is the fixture's secret shared with the payment
// provider.
const testPaymentSecret = "bi-mat-cua-ngan-hang-thu-nghiem"

// postCallback posts a provider's callback with a signature header.
func (f *fixture) postCallback(t *testing.T, body []byte, signature string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/payments/callback", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set(payment.SignatureHeader, signature)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestPaymentJourney walks the fee of an online residence registration
// (issue 15): routed to the commune police, charged once at the online
// rate, the citizen's page shows the amount, the reference and the VietQR
// code, the citizen's own click never pays, the demo bank confirms by a
// signed callback (a bad signature refused and audited, the same callback
// twice changing nothing), and the receipt PDF follows.
func TestPaymentJourney(t *testing.T) {
	f := newFixture(t)
	// The demo bank, confirming through the real callback endpoint.
	var mu sync.Mutex
	var delivered [][2]string
	bank := &payment.Demo{Secret: []byte(testPaymentSecret), Delay: 10 * time.Millisecond, Deliver: func(_ context.Context, body []byte, sig string) error {
		mu.Lock()
		delivered = append(delivered, [2]string{string(body), sig})
		mu.Unlock()
		if st, _ := f.postCallback(t, body, sig); st != 200 {
			t.Errorf("demo bank callback = %d", st)
		}
		return nil
	}}
	cfg := f.cfg
	cfg.Payments = bank
	f.rebuild(t, cfg)

	st, d, b := f.submit(t, "congdan", "1.004222", "")
	if st != 201 {
		t.Fatalf("submit = %d %s", st, b)
	}
	stored := f.stored(t, d.Code)
	police, err := f.app.Province.Agency(t.Context(), stored.CompetentAgency)
	if err != nil || police.Kind != "police" || police.CommuneCode != stored.CommuneCode || police.CommuneCode == "" {
		t.Fatalf("residence registration routed to %+v (%v), want the police of commune %s", police, err, stored.CommuneCode)
	}
	for i, s := range stored.Steps[1:] {
		if s.AgencyID != police.ID {
			t.Errorf("step %d %q at %s, want the commune police %s", i+1, s.Name, s.AgencyID, police.ID)
		}
	}
	if st, _, b := f.act(t, "tiepnhan", d.Code, `{"action":"receive"}`); st != 200 {
		t.Fatalf("receive = %d %s", st, b)
	}
	if st, d, b = f.act(t, "congan", d.Code, `{"action":"request_payment"}`); st != 200 || d.Status != 6 {
		t.Fatalf("request_payment = %d %s", st, b)
	}
	// Charged once, at the online fee (Circular 75/2022: 10,000 đồng).
	pay := f.stored(t, d.Code).Payment
	if pay == nil || pay.Total != 10000 || len(pay.Lines) != 1 || pay.Lines[0].Code != "LP02" {
		t.Fatalf("payment asked %+v, want the online fee LP02 of 10000 only", pay)
	}

	// The citizen's own "pay" is refused.
	if st, _, b := f.act(t, "congdan", d.Code, `{"action":"pay"}`); st != 403 {
		t.Errorf("citizen's pay = %d %s", st, b)
	}
	// The API gives the amount, the reference and the VietQR code.
	res, b := f.do(t, "GET", "/api/v1/dossiers/"+d.Code+"/payment", f.token(t, "congdan"), "")
	var info struct {
		Amount    int64
		Reference string
		VietQR    string
		Paid      bool
		Account   struct{ BIN, Number string }
	}
	if err := json.Unmarshal(b, &info); res.StatusCode != 200 || err != nil || info.Amount != 10000 || info.Reference != pay.Reference || info.Paid {
		t.Fatalf("payment info = %d %s", res.StatusCode, b)
	}
	fields, err := payment.Decode(info.VietQR)
	if err != nil {
		t.Fatalf("vietqr %q: %v", info.VietQR, err)
	}
	tags := map[string]string{}
	for _, fl := range fields {
		tags[fl.ID] = fl.Value
	}
	add, _ := payment.DecodeTLV(tags["62"])
	if tags["54"] != "10000" || tags["53"] != "704" || tags["01"] != "12" || len(add) != 1 || add[0].Value != pay.Reference ||
		!strings.Contains(tags["38"], info.Account.BIN) || !strings.Contains(tags["38"], info.Account.Number) {
		t.Errorf("vietqr fields %v (additional %v), account %+v", tags, add, info.Account)
	}
	// The citizen's page shows them, with the QR drawn.
	br := f.browser(t, "congdan")
	code, page := br.get("/ho-so/" + d.Code)
	for _, want := range []string{"10.000 đồng", pay.Reference, "<svg", info.Account.Number, `action="/ho-so/` + d.Code + `/da-chuyen-khoan"`} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("dossier page (%d) lacks %q", code, want)
		}
	}

	// The citizen is never offered a button that marks the fee paid; the
	// counter's receiver is, named for what they do (issue 15 item 5).
	if strings.Contains(page, `value="pay"`) || strings.Contains(page, "Xác nhận đã thu lệ phí") {
		t.Errorf("the citizen's page offers to mark the fee paid")
	}
	if code, counter := f.browser(t, "tiepnhan").get("/ho-so/" + d.Code); code != 200 ||
		!strings.Contains(counter, `value="pay"`) || !strings.Contains(counter, ">Xác nhận đã thu lệ phí</button>") {
		t.Errorf("the receiver's page (%d) lacks the button \"Xác nhận đã thu lệ phí\"", code)
	}

	// A callback with a bad signature is refused, audited, and changes nothing.
	forged, _ := json.Marshal(payment.Callback{Provider: "demo-bank", Reference: pay.Reference, Amount: 10000, Transaction: "GIA-MAO", PaidAt: clock})
	refused := f.auditCount(t, "payment.callback_refused")
	for _, sig := range []string{"", "sha256=00", payment.Sign([]byte("sai-bi-mat"), forged)} {
		if st, _ := f.postCallback(t, forged, sig); st != 401 {
			t.Errorf("callback signed %q = %d, want 401", sig, st)
		}
	}
	if n := f.auditCount(t, "payment.callback_refused"); n != refused+3 {
		t.Errorf("refused callbacks audited %d, want %d", n, refused+3)
	}
	if got := f.stored(t, d.Code); got.Status != 6 || got.Payment.PaidAt != nil {
		t.Fatalf("forged callback changed the dossier: status %d", got.Status)
	}

	// "I have transferred": the dossier waits for the bank...
	res, b = f.do(t, "POST", "/api/v1/dossiers/"+d.Code+"/payment/sent", f.token(t, "congdan"), "")
	if res.StatusCode != 202 || !strings.Contains(string(b), "awaiting_bank") {
		t.Fatalf("payment sent = %d %s", res.StatusCode, b)
	}
	// ...and the demo bank confirms by its signed callback.
	bank.Wait()
	got := f.stored(t, d.Code)
	if got.Status != 4 || got.Payment.PaidAt == nil || got.Payment.Provider != "demo-bank" || got.Payment.Receipt != "DEMO"+pay.Reference {
		t.Fatalf("after the bank's callback: status %d payment %+v", got.Status, got.Payment)
	}
	// The same callback again changes nothing.
	mu.Lock()
	again := delivered[0]
	mu.Unlock()
	st, out := f.postCallback(t, []byte(again[0]), again[1])
	if st != 200 || out["changed"] != false {
		t.Errorf("repeated callback = %d %v", st, out)
	}
	if v := f.stored(t, d.Code).Version; v != got.Version {
		t.Errorf("repeated callback bumped the version %d → %d", got.Version, v)
	}

	// The receipt: for the citizen and the official, not for others.
	for _, tc := range []struct {
		user string
		want int
	}{{"congdan", 200}, {"congan", 200}, {"congdan2", 404}} {
		res, b := f.do(t, "GET", "/api/v1/dossiers/"+d.Code+"/payment/receipt", f.token(t, tc.user), "")
		if res.StatusCode != tc.want || (tc.want == 200 && (!bytes.HasPrefix(b, []byte("%PDF-")) || res.Header.Get("Content-Type") != "application/pdf")) {
			t.Errorf("receipt for %s = %d %q", tc.user, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if code, page := br.get("/ho-so/" + d.Code); code != 200 || !strings.Contains(page, "/ho-so/"+d.Code+"/bien-lai") {
		t.Errorf("paid dossier page (%d) lacks the receipt link", code)
	}
	if code, _ := br.get("/ho-so/" + d.Code + "/bien-lai"); code != 200 {
		t.Errorf("receipt page download = %d", code)
	}
}

// walkPayment is the contract walk's payment of a dossier waiting for its
// fee: the payment info, the citizen's notice, a refused forged callback,
// the provider's signed callback, and the receipt.
func walkPayment(t *testing.T, f *fixture, code string) {
	t.Helper()
	var info struct {
		Amount    int64
		Reference string
	}
	if err := json.Unmarshal(f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code+"/payment", ""), &info); err != nil {
		t.Fatal(err)
	}
	f.call(t, 202, "congdan", "POST", "/api/v1/dossiers/"+code+"/payment/sent", "")
	f.call(t, 409, "congdan", "GET", "/api/v1/dossiers/"+code+"/payment/receipt", "")
	body, _ := json.Marshal(payment.Callback{Provider: "vietinbank", Reference: info.Reference, Amount: info.Amount, Transaction: "FT26" + info.Reference, PaidAt: clock})
	if st, _ := f.postCallback(t, body, "sha256=00"); st != 401 {
		t.Fatalf("forged callback = %d", st)
	}
	if st, out := f.postCallback(t, body, payment.Sign([]byte(testPaymentSecret), body)); st != 200 || out["changed"] != true {
		t.Fatalf("callback = %d %v", st, out)
	}
	f.call(t, 200, "congdan", "GET", "/api/v1/dossiers/"+code+"/payment/receipt", "")
}
