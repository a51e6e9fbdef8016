package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/national"
)

// tokens logs the demo users in once each.
type tokens struct {
	s  *server
	mu sync.Mutex
	m  map[string]string
}

func (k *tokens) of(t *testing.T, user string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]string{}
	}
	if tok, ok := k.m[user]; ok {
		return tok
	}
	tok := k.s.login(t, user)
	k.m[user] = tok
	return tok
}

// provinceDossier is the citizen's read of a dossier: its status and the
// status each event left it in.
type provinceDossier struct {
	Code    string
	Status  int
	History []struct{ To int } `json:"history"`
}

func (d provinceDossier) statuses() []int {
	out := make([]int, len(d.History))
	for i, e := range d.History {
		out[i] = e.To
	}
	return out
}

// walkToReturn submits procedure 1.001193 as congdan and has the demo
// officials take it to status 10; after each action it calls step with the
// dossier's code.
func walkToReturn(t *testing.T, s *server, tok *tokens, step func(code string)) string {
	t.Helper()
	citizen := tok.of(t, "congdan")
	var d e2eDossier
	if st := s.call(t, "POST", "/api/v1/dossiers", citizen, s.submission(t, citizen, "1.001193"), &d); st != 201 {
		t.Fatalf("submit: %d", st)
	}
	step(d.Code)
	users := map[string]string{"receiver": "tiepnhan", "specialist": "chuyenvien", "leader": "lanhdao", "clerk": "vanthu"}
	for i := 0; d.Status != 10; i++ {
		action, user := "complete_step", ""
		switch {
		case i > 12:
			t.Fatalf("walk stuck at %+v", d)
		case d.Status == 9:
			action, user = "return", "tiepnhan"
		case d.CurrentStep == nil:
			t.Fatalf("no step at %+v", d)
		case d.Status == 1:
			action, user = "receive", users[d.CurrentStep.Role]
		default:
			user = users[d.CurrentStep.Role]
		}
		if st := s.call(t, "POST", "/api/v1/dossiers/"+d.Code+"/actions", tok.of(t, user), `{"action":"`+action+`"}`, &d); st != 200 {
			t.Fatalf("%s by %s: %d", action, user, st)
		}
		step(d.Code)
	}
	return d.Code
}

// nationalHas reports whether the national mode holds the dossier as the
// province does: the same status, and every status it passed through once,
// in order.
func nationalHas(t *testing.T, nat *server, want provinceDossier) (bool, string) {
	t.Helper()
	var l national.Lookup
	if st := nat.call(t, "GET", "/api/v1/national/dossiers/"+want.Code, "", "", &l); st != 200 {
		return false, fmt.Sprintf("look-up %d", st)
	}
	got := make([]int, len(l.Progress))
	for i, p := range l.Progress {
		got[i] = int(p.TrangThai)
	}
	if int(l.Record.TrangThaiHoSo) != want.Status || fmt.Sprint(got) != fmt.Sprint(want.statuses()) || l.Province != "01" {
		return false, fmt.Sprintf("province %s status %d progress %v; want status %d progress %v", l.Province, l.Record.TrangThaiHoSo, got, want.Status, want.statuses())
	}
	return true, ""
}

func (s *server) citizenRead(t *testing.T, tok *tokens, code string) provinceDossier {
	t.Helper()
	var d provinceDossier
	if st := s.call(t, "GET", "/api/v1/dossiers/"+code, tok.of(t, "congdan"), "", &d); st != 200 {
		t.Fatalf("read %s: %d", code, st)
	}
	return d
}

// TestServeSyncToNation is the contract of issue 13 over two real
// processes: a province (serve --demo --national-url) and the national
// mode. A dossier walked to status 10 appears in the national mode with
// every status it passed through, in order, under the same code, within
// 5 s of each action; a dossier posted to the province as if from the
// portal lands in the receiver's inbox at status 1, and goes back up.
func TestServeSyncToNation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	for _, style := range []string{"adapter", "three-url"} {
		t.Run(style, func(t *testing.T) {
			nat := startServer(t, "--national", "--data", filepath.Join(t.TempDir(), "national"))
			prov := startServer(t, "--demo", "--data", t.TempDir(), "--nats", "off", "--national-url", nat.base, "--national-style", style)
			tok := &tokens{s: prov}
			var slowest time.Duration
			walkToReturn(t, prov, tok, func(code string) {
				want := prov.citizenRead(t, tok, code)
				start := time.Now()
				for {
					ok, why := nationalHas(t, nat, want)
					if ok {
						break
					}
					if time.Since(start) > 5*time.Second {
						t.Fatalf("%s at status %d not on the national mode within 5 s: %s", code, want.Status, why)
					}
					time.Sleep(20 * time.Millisecond)
				}
				slowest = max(slowest, time.Since(start))
			})
			t.Logf("slowest action to reach the national mode: %v", slowest.Round(time.Millisecond))

			// Handed over by the portal: papers on a host of the portal's.
			files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/pdf")
				io.WriteString(w, samplePDF)
			}))
			defer files.Close()
			doc := func(id, comp string) dvcqg.Document {
				return dvcqg.Document{TepDinhKemID: id, TenTepDinhKem: "Giấy tờ " + comp, MaThanhPhanHoSo: comp, DuongDan: files.URL + "/" + id + ".pdf", DuocSoHoa: 1}
			}
			in := dossiers.NationalSubmission{MaXa: "00004", Dossier: dvcqg.Dossier{
				MaHoSo: "G22.99-261203-00042", MaTTHC: "1.001193", TenTTHC: "Đăng ký khai sinh", KenhThucHien: 2, LoaiDoiTuong: 1, ChuHoSo: "Nguyễn Văn An",
				SoGiayToChuHoSo: "001090012345", DinhDanhCHS: []dvcqg.Identity{{LoaiDinhDanh: 1, SoDinhDanh: "001090012345"}}, SoDienThoai: "0912345678",
				TrangThaiHoSo: 1, NgayNopHoSo: dvcqg.FormatTime(time.Now().Add(-30 * time.Minute)),
				TaiLieuNop: []dvcqg.Document{doc("tk", "TP01"), doc("cs", "TP02"), doc("cc", "TP03")},
			}}
			body, _ := json.Marshal(in)
			var receipt struct {
				Code   string
				Status int
			}
			if st := prov.call(t, "POST", "/api/v1/national/inbound/dossiers", tok.of(t, "cong-dvcqg"), string(body), &receipt); st != 201 || receipt.Status != 1 {
				t.Fatalf("handed over: %d %+v", st, receipt)
			}
			var inbox struct {
				Items []struct {
					Code   string
					Status int
				}
			}
			if st := prov.call(t, "GET", "/api/v1/dossiers?inbox=true&status=1", tok.of(t, "tiepnhan"), "", &inbox); st != 200 {
				t.Fatalf("inbox: %d", st)
			}
			found := false
			for _, it := range inbox.Items {
				found = found || (it.Code == receipt.Code && it.Status == 1)
			}
			if !found {
				t.Errorf("the dossier handed over (%s) is not in tiepnhan's inbox at status 1: %+v", receipt.Code, inbox.Items)
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				var l national.Lookup
				st := nat.call(t, "GET", "/api/v1/national/dossiers/"+receipt.Code, "", "", &l)
				if st == 200 && l.Record.MaHoSoKhac == in.MaHoSo && l.Record.TrangThaiHoSo == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the dossier handed over is not synced back with MaHoSoKhac %s: %d %+v", in.MaHoSo, st, l.Record)
				}
				time.Sleep(20 * time.Millisecond)
			}
			prov.stop(t)
			nat.stop(t)
		})
	}
}

// TestServeSyncNationDown: the national mode is killed, the province walks
// 50 dossiers to status 10 meanwhile (its officials never wait), and the
// national mode starts again on the same address and store: all 50 arrive,
// each status once.
func TestServeSyncNationDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	natAddr, natDir := freeAddr(t), filepath.Join(t.TempDir(), "national")
	nat := startServerAt(t, natAddr, "--national", "--data", natDir)
	prov := startServer(t, "--demo", "--data", t.TempDir(), "--nats", "off", "--national-url", "http://"+natAddr)
	nat.stop(t)
	tok := &tokens{s: prov}
	const n = 50
	codes := make([]string, 0, n)
	var slowest time.Duration
	start := time.Now()
	for range n {
		last := time.Now()
		codes = append(codes, walkToReturn(t, prov, tok, func(string) {
			slowest = max(slowest, time.Since(last))
			last = time.Now()
		}))
	}
	t.Logf("%d dossiers walked with the national mode down in %v; slowest action %v", n, time.Since(start).Round(time.Millisecond), slowest.Round(time.Millisecond))
	req, _ := http.NewRequest("GET", prov.base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+e2eMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	metrics := string(raw)
	if !strings.Contains(metrics, `motcua_portal_sync_rows{state="pending"} 50`) {
		t.Errorf("with the national mode down the 50 dossiers are not pending:\n%s", grepLines(metrics, "motcua_portal"))
	}
	restarted := time.Now()
	nat = startServerAt(t, natAddr, "--national", "--data", natDir)
	wants := make([]provinceDossier, n)
	for i, c := range codes {
		wants[i] = prov.citizenRead(t, tok, c)
	}
	for _, want := range wants {
		for {
			ok, why := nationalHas(t, nat, want)
			if ok {
				break
			}
			if time.Since(restarted) > 60*time.Second {
				t.Fatalf("%s not on the national mode 60 s after its restart: %s", want.Code, why)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	t.Logf("backlog of %d dossiers drained %v after the national mode's restart", n, time.Since(restarted).Round(time.Millisecond))
	var st national.Stats
	if code := nat.call(t, "GET", "/api/v1/national/stats", "", "", &st); code != 200 || st.Totals.Synced != n || st.Totals.Finished != n {
		t.Errorf("national stats = %d %+v, want %d synced and finished", code, st.Totals, n)
	}
	prov.stop(t)
	nat.stop(t)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
