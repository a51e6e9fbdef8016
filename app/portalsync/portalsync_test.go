package portalsync_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/portalsync"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/dvcqgclient"
	"github.com/motcua/motcua/errs"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/internal/testclock"
	"github.com/motcua/motcua/national"
	"github.com/motcua/motcua/national/httpapi"
	"github.com/motcua/motcua/national/nationaltest"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
	"github.com/motcua/motcua/unit"
)

var (
	units = unit.MustLoad()
	t0    = time.Date(2026, 12, 3, 8, 0, 0, 0, calendar.VN)
	quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
)

// fault is what the portal does to a request instead of answering it.
type fault string

const (
	none       fault = ""
	down       fault = "down"        // the connection is dropped
	http500    fault = "http500"     // HTTP 500, nothing stored
	malformed  fault = "malformed"   // HTTP 200 with an answer that is not JSON
	slow       fault = "slow"        // answers after the client's timeout
	lostAnswer fault = "lost-answer" // stores, then the answer is lost (HTTP 502)
)

// portal is the real national mode (national.Service over its own store)
// behind a switch that spoils requests: the next n get fault, and every
// request naming refuse is answered -1.
type portal struct {
	srv   *httptest.Server
	db    *sqlstore.DB
	clock *testclock.Clock

	mu       sync.Mutex
	fault    fault
	n        int
	refuse   string
	requests int
}

func newPortal(t *testing.T) *portal {
	t.Helper()
	db, err := sqlstore.OpenSQLite(context.Background(), t.TempDir(), sqlstore.WithSync(sqlstore.SyncNormal))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := national.DemoCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	p := &portal{db: db, clock: testclock.New(t0)}
	svc, err := national.New(national.Config{Store: db, Units: units, Catalogue: cat, Accounts: national.DemoAccounts(units), Clock: p.clock.Now, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	h := httpapi.New(svc, httpapi.Options{Logger: quiet, Ping: db.Ping})
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.requests++
		f := none
		if p.n > 0 && !strings.HasSuffix(r.URL.Path, "/auth") {
			f = p.fault
			p.n--
		}
		refuse := p.refuse
		p.mu.Unlock()
		if refuse != "" && strings.Contains(string(body), refuse) && !strings.HasSuffix(r.URL.Path, "/auth") {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"error_code":"-1","message":"Trường MaHoSo %s không hợp lệ (lỗi giả lập)"}`, refuse)
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		switch f {
		case down:
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.(*net.TCPConn).SetLinger(0)
				conn.Close()
			}
			return
		case http500:
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		case malformed:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"error_code":"0","message":"Đồng bộ thành cô`)
			return
		case slow:
			time.Sleep(300 * time.Millisecond)
		case lostAnswer:
			h.ServeHTTP(httptest.NewRecorder(), r)
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *portal) spoil(f fault, n int) {
	p.mu.Lock()
	p.fault, p.n = f, n
	p.mu.Unlock()
}

func (p *portal) refusing(code string) {
	p.mu.Lock()
	p.refuse = code
	p.mu.Unlock()
}

// walk is the events of a birth registration's handling, in order.
var walk = []struct {
	act      dossier.Action
	from, to dossier.Status
	actor    string
}{
	{dossier.ActSubmit, 0, dossier.StatusNew, "Nguyễn Văn An"},
	{dossier.ActReceive, 1, 2, "Vũ Thị Lan"},
	{dossier.ActRequestSupplement, 2, 5, "Trần Minh Đức"},
	{dossier.ActSupplement, 5, 4, "Nguyễn Văn An"},
	{dossier.ActCompleteStep, 4, 9, "Trần Minh Đức"},
	{dossier.ActReturn, 9, 10, "Vũ Thị Lan"},
}

// walked is dossier n of the province after its first k events.
func walked(n, k int) *dossier.Dossier {
	at := func(i int) time.Time { return t0.Add(time.Duration(n)*time.Minute + time.Duration(i)*time.Hour) }
	d := &dossier.Dossier{
		Code: fmt.Sprintf("000.00.50.H01-261203-%05d", n), ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", Field: "Hộ tịch",
		Channel: dossier.ChannelOnline, Applicant: dossier.Applicant{AccountID: 7, Name: "Nguyễn Văn An", CitizenID: "001090012345"},
		SubmittedAt: at(0), ReceivingAgency: "000.00.50.H01", CompetentAgency: "000.00.50.H01",
		Deadline: calendar.Deadline{Due: at(0).Add(72 * time.Hour)}, Current: 0,
		Steps: []dossier.Step{{Name: "Tiếp nhận", Role: identity.RoleReceiver, AgencyID: "000.00.50.H01", StartedAt: ptr(at(0))}},
	}
	for i := range k {
		w := walk[i]
		d.History = append(d.History, dossier.Event{At: at(i), Actor: w.actor, AgencyID: "000.00.50.H01", Action: w.act, From: w.from, To: w.to, Step: -1})
		d.Status = w.to
		switch w.act {
		case dossier.ActReceive:
			d.ReceivedAt = ptr(at(i))
		case dossier.ActCompleteStep:
			d.FinishedAt = ptr(at(i))
		case dossier.ActReturn:
			d.ReturnedAt = ptr(at(i))
		}
	}
	d.Version = k
	return d
}

func ptr[T any](v T) *T { return &v }

// put stores dossiers (new, or the next version of a stored one) and
// queues them, as a change does.
func put(t *testing.T, db store.Store, ds ...*dossier.Dossier) {
	t.Helper()
	ctx := context.Background()
	err := db.Update(ctx, func(tx store.Tx) error {
		for _, d := range ds {
			_, err := tx.Dossier(ctx, d.Code)
			if errs.KindOf(err) == errs.NotFound {
				err = tx.CreateDossier(ctx, d)
			} else if err == nil {
				err = tx.UpdateDossier(ctx, d)
			}
			if err != nil {
				return err
			}
			if err := tx.QueuePortalSync(ctx, d.Code, d.Version, d.History[len(d.History)-1].At); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func newSyncer(db store.Store, p *portal, style dvcqgclient.Style, c *testclock.Clock) *portalsync.Syncer {
	client := dvcqgclient.New(dvcqgclient.Config{URL: p.srv.URL, Username: "tinh-01", Password: "matkhau-01", Agency: "01",
		Style: style, Timeout: 150 * time.Millisecond})
	return portalsync.New(db, client, portalsync.Config{Batch: 4, Now: c.Now, Log: quiet})
}

// check asserts the portal holds dossier d as it is: its status and every
// event once, in order.
func (p *portal) check(t *testing.T, d *dossier.Dossier) {
	t.Helper()
	ctx := context.Background()
	rec, err := p.db.NationalDossier(ctx, d.Code)
	if err != nil {
		t.Fatalf("%s not on the portal: %v", d.Code, err)
	}
	if int(rec.Record.TrangThaiHoSo) != int(d.Status) || rec.ProvinceCode != "01" {
		t.Errorf("%s on the portal: status %d province %s, want %d 01", d.Code, rec.Record.TrangThaiHoSo, rec.ProvinceCode, d.Status)
	}
	prog, err := p.db.NationalProgress(ctx, d.Code)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, e := range prog {
		got = append(got, int(e.Entry.TrangThai))
	}
	var want []int
	for _, e := range d.History {
		want = append(want, int(e.To))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s progress on the portal = %v, want %v", d.Code, got, want)
	}
}

func state(t *testing.T, db store.Store, code string) store.PortalSync {
	t.Helper()
	s, err := db.PortalSync(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// drain runs passes until none is left to do (at most 50).
func drain(t *testing.T, s *portalsync.Syncer) (passes int, downs int) {
	t.Helper()
	for passes = 1; passes <= 50; passes++ {
		n, err := s.Pass(context.Background())
		if err != nil {
			downs++
			continue
		}
		if n == 0 {
			return passes, downs
		}
	}
	t.Fatal("the queue did not drain in 50 passes")
	return
}

// TestSync: dossiers walked in steps reach the portal with their status and
// every step once, in order, in both transport styles and on both stores;
// each fault of the portal leaves nothing lost and nothing twice.
func TestSync(t *testing.T) {
	for _, style := range []dvcqgclient.Style{dvcqgclient.StyleAdapter, dvcqgclient.StyleThreeURL} {
		for _, f := range []fault{none, down, http500, malformed, slow, lostAnswer} {
			name := string(style) + "/" + string(f)
			if f == none {
				name = string(style) + "/clean"
			}
			t.Run(name, func(t *testing.T) {
				nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
					p := newPortal(t)
					c := testclock.New(t0.Add(8 * time.Hour))
					s := newSyncer(db, p, style, c)
					const n = 6
					for k := 1; k <= len(walk); k++ {
						var ds []*dossier.Dossier
						for i := 1; i <= n; i++ {
							ds = append(ds, walked(i, k))
						}
						put(t, db, ds...)
						p.spoil(f, 3)
						_, downs := drain(t, s)
						if f != none && downs == 0 {
							t.Errorf("step %d: fault %s never reached the syncer", k, f)
						}
						for _, d := range ds {
							p.check(t, d)
							if st := state(t, db, d.Code); st.State != store.PortalSynced || st.SyncedVersion != k || st.ProgressSent != k || st.LastError != "" {
								t.Errorf("step %d: %s state %+v", k, d.Code, st)
							}
						}
					}
				})
			})
		}
	}
}

// TestRefused: a record the portal refuses holds back no other in its
// batch; it is marked failed with the portal's message, retried after a
// delay, and synced once the portal takes it.
func TestRefused(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		p := newPortal(t)
		c := testclock.New(t0.Add(8 * time.Hour))
		s := newSyncer(db, p, dvcqgclient.StyleThreeURL, c)
		var ds []*dossier.Dossier
		for i := 1; i <= 4; i++ {
			ds = append(ds, walked(i, 2))
		}
		put(t, db, ds...)
		bad := ds[2].Code
		p.refusing(bad)
		drain(t, s)
		for _, d := range ds {
			st := state(t, db, d.Code)
			if d.Code == bad {
				if st.State != store.PortalFailed || st.Attempts != 1 || !strings.Contains(st.LastError, "mã -1") || !strings.Contains(st.LastError, "lỗi giả lập") ||
					!st.NextAt.Equal(c.Now().Add(time.Second)) {
					t.Errorf("refused dossier: %+v", st)
				}
				continue
			}
			if st.State != store.PortalSynced {
				t.Errorf("%s held back by another's refusal: %+v", d.Code, st)
			}
			p.check(t, d)
		}
		// Refused again: the delay doubles.
		c.Add(time.Second)
		drain(t, s)
		if st := state(t, db, bad); st.Attempts != 2 || !st.NextAt.Equal(c.Now().Add(2*time.Second)) {
			t.Errorf("second refusal: %+v", st)
		}
		p.refusing("")
		c.Add(2 * time.Second)
		drain(t, s)
		if st := state(t, db, bad); st.State != store.PortalSynced || st.Attempts != 0 || st.LastError != "" {
			t.Errorf("after the portal took it: %+v", st)
		}
		p.check(t, ds[2])
	})
}

// TestSessionExpired: the adapter's session expires between passes; the
// client logs in again and nothing is lost.
func TestSessionExpired(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		p := newPortal(t)
		c := testclock.New(t0.Add(8 * time.Hour))
		s := newSyncer(db, p, dvcqgclient.StyleAdapter, c)
		put(t, db, walked(1, 1))
		drain(t, s)
		p.clock.Add(2 * national.DefaultSessionTTL)
		d := walked(1, 2)
		put(t, db, d)
		drain(t, s)
		p.check(t, d)
		if st := state(t, db, d.Code); st.State != store.PortalSynced {
			t.Errorf("after the session expired: %+v", st)
		}
	})
}

// TestPortalForgot: the portal lost a dossier it had (restored from a
// backup): the update it refuses as unknown is sent again as an add, with
// every step.
func TestPortalForgot(t *testing.T) {
	nationaltest.OnStores(t, func(t *testing.T, db *sqlstore.DB) {
		p := newPortal(t)
		c := testclock.New(t0.Add(8 * time.Hour))
		put(t, db, walked(1, 1))
		drain(t, newSyncer(db, p, dvcqgclient.StyleThreeURL, c))
		other := newPortal(t) // the portal's store, empty again
		d := walked(1, 2)
		put(t, db, d)
		drain(t, newSyncer(db, other, dvcqgclient.StyleThreeURL, c))
		other.check(t, walked(1, 2))
		if st := state(t, db, d.Code); st.State != store.PortalSynced {
			t.Errorf("after the portal forgot: %+v", st)
		}
	})
}
