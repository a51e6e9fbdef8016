package relay_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/motcua/motcua/app/relay"
	"github.com/motcua/motcua/natsbus"
	"github.com/motcua/motcua/store"
	"github.com/motcua/motcua/store/sqlstore"
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

const province = "01"

// stores are the stores each test runs on: SQLite, and PostgreSQL when
// MOTCUA_TEST_POSTGRES names a database (skipped otherwise).
var stores = []struct {
	name string
	open func(t *testing.T) *sqlstore.DB
}{
	{"sqlite", func(t *testing.T) *sqlstore.DB {
		db, err := sqlstore.OpenSQLite(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}},
	{"postgres", func(t *testing.T) *sqlstore.DB {
		base := os.Getenv("MOTCUA_TEST_POSTGRES")
		if base == "" {
			t.Skip("MOTCUA_TEST_POSTGRES is not set: PostgreSQL run skipped")
		}
		ctx := context.Background()
		u, drop, err := sqlstore.CreateSchema(ctx, base, "relay")
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlstore.OpenPostgres(ctx, u)
		if err != nil {
			drop()
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(); drop() })
		return db
	}},
}

// bus is an embedded NATS server in the test's directory with the
// province's stream, and a Bus connected to it.
func bus(t *testing.T) *natsbus.Bus {
	t.Helper()
	e, err := natsbus.StartEmbedded(t.TempDir(), discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	b, err := e.Connect(discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	if _, err := b.EnsureStream(context.Background(), province); err != nil {
		t.Fatal(err)
	}
	return b
}

// publisher is the bus as the relay sees it (serve has the same adapter).
type publisher struct{ *natsbus.Bus }

func (p publisher) PublishBatch(ctx context.Context, msgs []relay.Message) []relay.Ack {
	nm := make([]natsbus.Message, len(msgs))
	for i, m := range msgs {
		nm[i] = natsbus.Message(m)
	}
	var acks []relay.Ack
	for _, a := range p.Bus.PublishBatch(ctx, nm) {
		acks = append(acks, relay.Ack(a))
	}
	return acks
}

func config() relay.Config {
	return relay.Config{Subject: func(topic string) string { return natsbus.Subject(province, topic) }, Log: discard}
}

// walk is the events of three dossiers changing in turn, as the use cases
// write them: each dossier's versions in order, the dossiers interleaved.
var walk = []store.OutboxEvent{
	{Topic: "dossier.submit", Key: "A/1"},
	{Topic: "dossier.submit", Key: "B/1"},
	{Topic: "dossier.receive", Key: "A/2"},
	{Topic: "dossier.complete_step", Key: "A/3"},
	{Topic: "dossier.receive", Key: "B/2"},
	{Topic: "dossier.submit", Key: "C/1"},
	{Topic: "dossier.complete_step", Key: "A/4"},
	{Topic: "dossier.result_issued", Key: "A/4/result"},
	{Topic: "dossier.return", Key: "A/5"},
	{Topic: "dossier.rated", Key: "A/rating"},
}

// commit writes events, each in its own transaction.
func commit(t *testing.T, db store.Store, events ...store.OutboxEvent) {
	t.Helper()
	ctx := context.Background()
	for _, e := range events {
		e.At = time.Now()
		e.Payload = []byte(`{"key":"` + e.Key + `"}`)
		if err := db.Update(ctx, func(tx store.Tx) error { return tx.AppendOutbox(ctx, e) }); err != nil {
			t.Fatal(err)
		}
	}
}

// msg is a message of the stream: its subject, ID and topic header.
type msg struct{ subject, id, topic string }

// streamed is what the province's stream holds, in its order.
func streamed(t *testing.T, b *natsbus.Bus) []msg {
	t.Helper()
	ctx := context.Background()
	s, err := b.JetStream().Stream(ctx, natsbus.StreamName(province))
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []msg
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		id := m.Header.Get(jetstream.MsgIDHeader)
		if strings.ReplaceAll(string(m.Data), " ", "") != `{"key":"`+id+`"}` || m.Header.Get("Content-Type") != "application/json" || m.Header.Get("Motcua-At") == "" {
			t.Errorf("message %d: %s %v", seq, m.Data, m.Header)
		}
		out = append(out, msg{m.Subject, id, m.Header.Get("Motcua-Topic")})
	}
	return out
}

func want(events []store.OutboxEvent) []msg {
	var out []msg
	for _, e := range events {
		out = append(out, msg{"motcua." + province + "." + e.Topic, e.Key, e.Topic})
	}
	return out
}

func pending(t *testing.T, db store.Store) []string {
	t.Helper()
	ev, err := db.PendingOutbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range ev {
		keys = append(keys, e.Key)
	}
	return keys
}

// metricValues gathers the relay's metrics: a counter's or gauge's value,
// a histogram's count of observations.
func metricValues(t *testing.T, r *relay.Relay) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(r)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			switch {
			case m.Counter != nil:
				out[f.GetName()] = m.Counter.GetValue()
			case m.Gauge != nil:
				out[f.GetName()] = m.Gauge.GetValue()
			case m.Histogram != nil:
				out[f.GetName()] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return out
}

func keys(events []store.OutboxEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Key)
	}
	return out
}

// TestPublish: the relay publishes every pending event in id order, to the
// subject of its topic, with its key as message ID, batch after batch,
// and marks them published; its metrics count them and the backlog.
func TestPublish(t *testing.T) {
	for _, st := range stores {
		for _, batch := range []int{500, 3} {
			t.Run(fmt.Sprintf("%s/batch %d", st.name, batch), func(t *testing.T) {
				ctx := context.Background()
				db, b := st.open(t), bus(t)
				commit(t, db, walk...)
				cfg := config()
				cfg.Batch = batch
				r := relay.New(db, publisher{b}, cfg)
				if m := metricValues(t, r); m["motcua_outbox_pending"] != float64(len(walk)) || m["motcua_outbox_lag_seconds"] <= 0 {
					t.Errorf("backlog metrics before = %v", m)
				}
				n, err := r.Publish(ctx)
				if err != nil || n != len(walk) {
					t.Fatalf("Publish = %d, %v; want %d", n, err, len(walk))
				}
				if got := streamed(t, b); !slices.Equal(got, want(walk)) {
					t.Errorf("stream =\n%v\nwant\n%v", got, want(walk))
				}
				if p := pending(t, db); len(p) != 0 {
					t.Errorf("still pending: %v", p)
				}
				m := metricValues(t, r)
				for name, v := range map[string]float64{
					"motcua_outbox_pending": 0, "motcua_outbox_lag_seconds": 0, "motcua_outbox_published_total": float64(len(walk)),
					"motcua_outbox_duplicates_total": 0, "motcua_outbox_publish_failures_total": 0, "motcua_outbox_publish_delay_seconds": float64(len(walk)),
				} {
					if got, ok := m[name]; !ok || got != v {
						t.Errorf("%s = %v (present %v), want %v", name, got, ok, v)
					}
				}
				// Nothing pending: a pass publishes nothing.
				if n, err := r.Publish(ctx); n != 0 || err != nil {
					t.Errorf("Publish with nothing pending = %d, %v", n, err)
				}
			})
		}
	}
}

// failing is the bus failing the publication of some keys (NATS down,
// a timeout), once each.
type failing struct {
	relay.Publisher
	fail map[string]bool
}

func (f *failing) PublishBatch(ctx context.Context, msgs []relay.Message) []relay.Ack {
	var pass []relay.Message
	for _, m := range msgs {
		if !f.fail[m.ID] {
			pass = append(pass, m)
		}
	}
	passed := f.Publisher.PublishBatch(ctx, pass)
	acks := make([]relay.Ack, len(msgs))
	for i, m := range msgs {
		if f.fail[m.ID] {
			acks[i].Err = errors.New("nats: timeout")
			delete(f.fail, m.ID)
			continue
		}
		acks[i], passed = passed[0], passed[1:]
	}
	return acks
}

// TestStopsAtFailure: when an event fails, it and every later event of
// its dossier stay pending, nothing after its window is sent, and what the
// bus acknowledged is marked published (in its window, events of other
// dossiers only); the next pass publishes what is pending, in order, with
// what was committed since, and no dossier's events are out of order.
func TestStopsAtFailure(t *testing.T) {
	// The walk goes out in the windows [A/1 B/1] [A/2] [A/3 B/2 C/1] [A/4]
	// [A/4/result] [A/5] [A/rating].
	for _, tc := range []struct {
		fail      string
		published []string
	}{
		{"A/2", []string{"A/1", "B/1"}}, // the third event
		{"B/2", []string{"A/1", "B/1", "A/2", "A/3", "C/1"}},
		{"A/1", []string{"B/1"}},
		{"A/rating", []string{"A/1", "B/1", "A/2", "A/3", "B/2", "C/1", "A/4", "A/4/result", "A/5"}},
	} {
		for _, st := range stores {
			t.Run(st.name+"/"+tc.fail, func(t *testing.T) {
				ctx := context.Background()
				db, b := st.open(t), bus(t)
				commit(t, db, walk...)
				r := relay.New(db, &failing{Publisher: publisher{b}, fail: map[string]bool{tc.fail: true}}, config())
				n, err := r.Publish(ctx)
				if n != len(tc.published) || err == nil || !strings.Contains(err.Error(), tc.fail) {
					t.Fatalf("Publish = %d, %v; want %d and the failure of %s", n, err, len(tc.published), tc.fail)
				}
				var first, left []store.OutboxEvent
				for _, e := range walk {
					if slices.Contains(tc.published, e.Key) {
						first = append(first, e)
					} else {
						left = append(left, e)
					}
				}
				if p := pending(t, db); !slices.Equal(p, keys(left)) {
					t.Fatalf("pending = %v, want %v", p, keys(left))
				}
				if got := streamed(t, b); !slices.Equal(got, want(first)) {
					t.Fatalf("stream = %v, want %v", got, want(first))
				}
				if m := metricValues(t, r); m["motcua_outbox_publish_failures_total"] != 1 || m["motcua_outbox_pending"] != float64(len(left)) {
					t.Errorf("metrics = %v", m)
				}

				later := []store.OutboxEvent{{Topic: "dossier.receive", Key: "C/2"}}
				commit(t, db, later...)
				n, err = r.Publish(ctx)
				if n != len(left)+1 || err != nil {
					t.Fatalf("Publish again = %d, %v", n, err)
				}
				all := append(append(first, left...), later...)
				got := streamed(t, b)
				if !slices.Equal(got, want(all)) {
					t.Errorf("stream =\n%v\nwant\n%v", got, want(all))
				}
				// Each dossier's events in the order they were committed.
				var order []string
				for _, m := range got {
					order = append(order, m.id)
				}
				for _, d := range []string{"A/", "B/", "C/"} {
					var inStream, committed []string
					for _, k := range order {
						if strings.HasPrefix(k, d) {
							inStream = append(inStream, k)
						}
					}
					for _, e := range append(slices.Clone(walk), later...) {
						if strings.HasPrefix(e.Key, d) {
							committed = append(committed, e.Key)
						}
					}
					if !slices.Equal(inStream, committed) {
						t.Errorf("dossier %s: stream %v, committed %v", d, inStream, committed)
					}
				}
			})
		}
	}
}

// crashed is the store of a process that stopped after publishing, before
// marking the events published.
type crashed struct{ relay.Outbox }

func (crashed) Update(context.Context, func(store.Tx) error) error {
	return errors.New("process stopped")
}

// TestRestart: events published but not marked (the process stopped in
// between) are published again by the next relay over the same store;
// JetStream drops them as duplicates, so the stream holds each once.
func TestRestart(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ctx := context.Background()
			db, b := st.open(t), bus(t)
			commit(t, db, walk...)
			if n, err := relay.New(crashed{db}, publisher{b}, config()).Publish(ctx); n != 0 || err == nil {
				t.Fatalf("Publish before the crash = %d, %v", n, err)
			}
			if got := streamed(t, b); !slices.Equal(got, want(walk)) {
				t.Fatalf("stream before the restart = %v", got)
			}
			if p := pending(t, db); len(p) != len(walk) {
				t.Fatalf("pending before the restart = %v", p)
			}

			r := relay.New(db, publisher{b}, config())
			if n, err := r.Publish(ctx); n != len(walk) || err != nil {
				t.Fatalf("Publish after the restart = %d, %v", n, err)
			}
			if got := streamed(t, b); !slices.Equal(got, want(walk)) {
				t.Errorf("stream after the restart =\n%v\nwant\n%v", got, want(walk))
			}
			if p := pending(t, db); len(p) != 0 {
				t.Errorf("pending after the restart = %v", p)
			}
			if m := metricValues(t, r); m["motcua_outbox_duplicates_total"] != float64(len(walk)) || m["motcua_outbox_publish_delay_seconds"] != 0 {
				t.Errorf("metrics = %v", m)
			}
		})
	}
}

// waitPublished waits until nothing is pending in db.
func waitPublished(t *testing.T, db store.Store, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for len(pending(t, db)) > 0 {
		if time.Since(start) > within {
			t.Fatalf("still pending after %v: %v", within, pending(t, db))
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// TestRun: running, the relay publishes an event as soon as the store
// notifies it of the commit (its poll set to an hour here); when NATS goes
// away it retries with back-off and, once NATS is back (the embedded
// server started again on its directory and port), publishes what waited,
// in order.
func TestRun(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			db := st.open(t)
			dir, addr := t.TempDir(), freeAddr(t)
			e, err := natsbus.StartEmbedded(dir, discard, natsbus.Listen(addr))
			if err != nil {
				t.Fatal(err)
			}
			b, err := natsbus.Connect(e.ClientURL(), discard)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(b.Close)
			if _, err := b.EnsureStream(ctx, province); err != nil {
				t.Fatal(err)
			}
			cfg := config()
			cfg.Poll, cfg.MaxBackoff = time.Hour, 500*time.Millisecond
			r := relay.New(db, publisher{b}, cfg)
			db.OnOutbox(r.Notify)
			done := make(chan struct{})
			go func() { r.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()

			commit(t, db, walk[0])
			if d := waitPublished(t, db, 2*time.Second); d > time.Second {
				t.Errorf("published %v after the commit", d)
			}

			e.Shutdown()
			commit(t, db, walk[1:5]...)
			for deadline := time.Now().Add(5 * time.Second); metricValues(t, r)["motcua_outbox_publish_failures_total"] < 2; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("no failed publication while NATS is down")
				}
			}
			if p := pending(t, db); !slices.Equal(p, keys(walk[1:5])) {
				t.Fatalf("pending while NATS is down = %v", p)
			}
			e, err = natsbus.StartEmbedded(dir, discard, natsbus.Listen(addr))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(e.Shutdown)
			waitPublished(t, db, 10*time.Second)
			if got := streamed(t, b); !slices.Equal(got, want(walk[:5])) {
				t.Errorf("stream =\n%v\nwant\n%v", got, want(walk[:5]))
			}
		})
	}
}

func freeAddr(t *testing.T) string {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestTwoRelays: two nodes' relays over one outbox, while dossiers change
// concurrently: the stream holds every event once, each dossier's in the
// order of its versions.
func TestTwoRelays(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			db, b := st.open(t), bus(t)
			var wg sync.WaitGroup
			for range 2 {
				cfg := config()
				cfg.Poll, cfg.Batch = 5*time.Millisecond, 7
				r := relay.New(db, publisher{b}, cfg)
				wg.Add(1)
				go func() { defer wg.Done(); r.Run(ctx) }()
			}
			defer func() { cancel(); wg.Wait() }()
			const dossiers, versions = 12, 15
			var writers sync.WaitGroup
			for d := range dossiers {
				writers.Add(1)
				go func() {
					defer writers.Done()
					for v := 1; v <= versions; v++ {
						commit(t, db, store.OutboxEvent{Topic: "dossier.complete_step", Key: fmt.Sprintf("D%d/%d", d, v)})
					}
				}()
			}
			writers.Wait()
			waitPublished(t, db, 20*time.Second)
			got := streamed(t, b)
			if len(got) != dossiers*versions {
				t.Fatalf("stream holds %d messages, want %d", len(got), dossiers*versions)
			}
			last := map[string]int{}
			for _, m := range got {
				var d, v int
				if _, err := fmt.Sscanf(m.id, "D%d/%d", &d, &v); err != nil {
					t.Fatal(err)
				}
				k := fmt.Sprint(d)
				if v != last[k]+1 {
					t.Fatalf("dossier D%d: version %d after %d", d, v, last[k])
				}
				last[k] = v
			}
		})
	}
}
