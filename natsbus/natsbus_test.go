package natsbus

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
)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// ExternalURL is the NATS server the external runs use (CI runs one).
const ExternalURL = "nats://127.0.0.1:4222"

// target is a NATS server to run a test against.
type target struct {
	name    string
	connect func(t *testing.T) *Bus
}

// targets are an embedded server in the test's directory and the external
// server at ExternalURL; the external run is skipped when nothing answers
// there, unless CI=true (then it fails).
func targets() []target {
	return []target{
		{"embedded", func(t *testing.T) *Bus {
			e := startEmbedded(t, t.TempDir())
			b, err := e.Connect(discard)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(b.Close)
			return b
		}},
		{"external", connectExternal},
	}
}

func startEmbedded(t *testing.T, dir string, opts ...EmbeddedOption) *Embedded {
	t.Helper()
	e, err := StartEmbedded(dir, discard, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	return e
}

func connectExternal(t *testing.T) *Bus {
	t.Helper()
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(ExternalURL, "nats://"), time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no NATS server at %s in CI: %v", ExternalURL, err)
		}
		t.Skipf("no NATS server at %s: %v", ExternalURL, err)
	}
	c.Close()
	b, err := Connect(ExternalURL, discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// province is a province code of the test's own, so that runs sharing
// the external server do not meet; its stream is deleted when the test
// ends.
func province(t *testing.T, b *Bus) string {
	p := fmt.Sprintf("t%d", time.Now().UnixNano())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, name := range []string{StreamName(p), PortalStreamName(p)} {
			if err := b.js.DeleteStream(ctx, name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
				t.Errorf("delete stream %s: %v", name, err)
			}
		}
	})
	return p
}

func streamMsgs(t *testing.T, b *Bus, name string) uint64 {
	t.Helper()
	s, err := b.js.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// TestPublish: the stream is made idempotently with its subjects, limits
// and duplicate window; a publication is acknowledged once stored; the
// same message ID published again is reported a duplicate and not stored;
// a publication after the stream was deleted makes it again.
func TestPublish(t *testing.T) {
	for _, tg := range targets() {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			b := tg.connect(t)
			p := province(t, b)
			name, err := b.EnsureStream(ctx, p)
			if err != nil || name != StreamName(p) {
				t.Fatalf("EnsureStream = %q, %v", name, err)
			}
			if _, err := b.EnsureStream(ctx, p, MaxAge(7*24*time.Hour), DuplicateWindow(time.Minute)); err != nil {
				t.Fatalf("EnsureStream again, changed: %v", err)
			}
			s, err := b.js.Stream(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			cfg := s.CachedInfo().Config
			if cfg.MaxAge != 7*24*time.Hour || cfg.Duplicates != time.Minute || cfg.Storage != jetstream.FileStorage ||
				!slices.Equal(cfg.Subjects, []string{"motcua." + p + ".>"}) {
				t.Errorf("stream config = %+v", cfg)
			}
			for _, tc := range []struct {
				topic, id string
				wantDup   bool
			}{
				{"dossier.submit", "D1/1", false},
				{"dossier.receive", "D1/2", false},
				{"dossier.submit", "D2/1", false},
				{"dossier.receive", "D1/2", true}, // the relay again after a crash
				{"dossier.submit", "D1/1", true},
			} {
				dup, err := b.Publish(ctx, Subject(p, tc.topic), tc.id, []byte(`{"k":"`+tc.id+`"}`), map[string]string{"Motcua-Topic": tc.topic})
				if err != nil || dup != tc.wantDup {
					t.Errorf("publish %s %s = duplicate %v, %v; want %v", tc.topic, tc.id, dup, err, tc.wantDup)
				}
			}
			if n := streamMsgs(t, b, name); n != 3 {
				t.Errorf("stream holds %d messages, want 3", n)
			}
			raw, err := s.GetMsg(ctx, 2)
			if err != nil || raw.Subject != "motcua."+p+".dossier.receive" || string(raw.Data) != `{"k":"D1/2"}` ||
				raw.Header.Get("Nats-Msg-Id") != "D1/2" || raw.Header.Get("Motcua-Topic") != "dossier.receive" {
				t.Errorf("message 2 = %+v, %v", raw, err)
			}

			if err := b.js.DeleteStream(ctx, name); err != nil {
				t.Fatal(err)
			}
			if dup, err := b.Publish(ctx, Subject(p, "dossier.submit"), "D3/1", []byte(`{}`), nil); err != nil || dup {
				t.Fatalf("publish after the stream was deleted = %v, %v", dup, err)
			}
			if n := streamMsgs(t, b, name); n != 1 {
				t.Errorf("stream made again holds %d messages, want 1", n)
			}
		})
	}
}

// TestPublishBatch: a batch is stored in its order, each message
// acknowledged (a duplicate reported as such); a batch to a deleted stream
// fails, message by message, and makes the stream again for the next.
func TestPublishBatch(t *testing.T) {
	for _, tg := range targets() {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			b := tg.connect(t)
			p := province(t, b)
			name, err := b.EnsureStream(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			batch := func(ids ...string) []Message {
				var ms []Message
				for _, id := range ids {
					ms = append(ms, Message{Subject: Subject(p, "dossier.submit"), ID: id, Data: []byte(id), Header: map[string]string{"Motcua-Topic": "dossier.submit"}})
				}
				return ms
			}
			if _, err := b.Publish(ctx, Subject(p, "dossier.submit"), "B/1", []byte("B/1"), nil); err != nil {
				t.Fatal(err)
			}
			acks := b.PublishBatch(ctx, batch("A/1", "B/1", "C/1", "D/1"))
			for i, want := range []bool{false, true, false, false} {
				if acks[i].Err != nil || acks[i].Duplicate != want {
					t.Errorf("ack %d = %+v, want duplicate %v", i, acks[i], want)
				}
			}
			s, err := b.js.Stream(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for seq := uint64(1); seq <= 4; seq++ {
				m, err := s.GetMsg(ctx, seq)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, string(m.Data)+"="+m.Header.Get("Nats-Msg-Id"))
			}
			if want := []string{"B/1=B/1", "A/1=A/1", "C/1=C/1", "D/1=D/1"}; !slices.Equal(got, want) {
				t.Errorf("stream = %v, want %v", got, want)
			}

			if err := b.js.DeleteStream(ctx, name); err != nil {
				t.Fatal(err)
			}
			for i, a := range b.PublishBatch(ctx, batch("E/1", "F/1")) {
				if a.Err == nil {
					t.Errorf("message %d published without a stream", i)
				}
			}
			for i, a := range b.PublishBatch(ctx, batch("E/1", "F/1")) {
				if a.Err != nil || a.Duplicate {
					t.Errorf("message %d to the stream made again: %+v", i, a)
				}
			}
			if n := streamMsgs(t, b, name); n != 2 {
				t.Errorf("stream made again holds %d messages, want 2", n)
			}
		})
	}
}

// delivery is one call of a consumer's handler.
type delivery struct {
	id        string
	delivered uint64
}

// TestConsume: a durable consumer hands the messages over in the stream's
// order; a message whose handler fails is delivered again, after a delay,
// before any later message; a consumer started again with the same
// durable name goes on where it stopped.
func TestConsume(t *testing.T) {
	for _, tg := range targets() {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			b := tg.connect(t)
			p := province(t, b)
			if _, err := b.EnsureStream(ctx, p); err != nil {
				t.Fatal(err)
			}
			publish := func(ids ...string) {
				for _, id := range ids {
					if _, err := b.Publish(ctx, Subject(p, "dossier.submit"), id, []byte(id), nil); err != nil {
						t.Fatal(err)
					}
				}
			}
			// Another subject of the stream that the consumer's filter leaves out.
			if _, err := b.Publish(ctx, Subject(p, "other.thing"), "o/1", nil, nil); err != nil {
				t.Fatal(err)
			}
			publish("a/1", "a/2", "a/3")

			// run consumes until want deliveries were seen; the handler
			// fails the deliveries in fail.
			run := func(want int, fail map[delivery]bool) ([]delivery, []time.Time) {
				t.Helper()
				cctx, cancel := context.WithCancel(ctx)
				defer cancel()
				var mu sync.Mutex
				var got []delivery
				var at []time.Time
				done := make(chan error, 1)
				go func() {
					done <- b.Consume(cctx, "sync-"+p, "motcua."+p+".dossier.>", func(_ context.Context, m Msg) error {
						mu.Lock()
						defer mu.Unlock()
						d := delivery{m.ID, m.Delivered}
						got, at = append(got, d), append(at, time.Now())
						if string(m.Data) != m.ID || m.Subject != Subject(p, "dossier.submit") || m.Sequence == 0 || m.Stored.IsZero() {
							t.Errorf("message %+v", m)
						}
						if len(got) == want {
							cancel()
						}
						if fail[d] {
							return errors.New("national portal unavailable")
						}
						return nil
					}, Backoff(200*time.Millisecond, time.Second), AckWait(5*time.Second))
				}()
				select {
				case err := <-done:
					if err != nil {
						t.Fatal(err)
					}
				case <-time.After(15 * time.Second):
					cancel()
					<-done
					t.Fatalf("consumer saw %v, want %d deliveries", got, want)
				}
				return got, at
			}

			got, at := run(5, map[delivery]bool{{"a/2", 1}: true, {"a/2", 2}: true})
			want := []delivery{{"a/1", 1}, {"a/2", 1}, {"a/2", 2}, {"a/2", 3}, {"a/3", 1}}
			if !slices.Equal(got, want) {
				t.Fatalf("deliveries = %v, want %v", got, want)
			}
			// Backoff: 200 ms after the first failure, 400 ms after the second.
			if d := at[2].Sub(at[1]); d < 150*time.Millisecond {
				t.Errorf("first redelivery after %v, want about 200 ms", d)
			}
			if d := at[3].Sub(at[2]); d < 350*time.Millisecond {
				t.Errorf("second redelivery after %v, want about 400 ms", d)
			}

			// Acknowledgements are sent without waiting: let the last one land.
			time.Sleep(200 * time.Millisecond)
			publish("a/4")
			if got, _ := run(1, nil); !slices.Equal(got, []delivery{{"a/4", 1}}) {
				t.Fatalf("the durable consumer again = %v, want a/4 only", got)
			}
		})
	}
}

// TestConsumeTerm: on the portal's stream, beside the province's, a
// message whose handler's error is marked Term is delivered once and given
// up; the others are acknowledged, or delivered again on other errors.
func TestConsumeTerm(t *testing.T) {
	for _, tg := range targets() {
		t.Run(tg.name, func(t *testing.T) {
			ctx := context.Background()
			b := tg.connect(t)
			p := province(t, b)
			for _, ensure := range []func(context.Context, string, ...StreamOption) (string, error){b.EnsureStream, b.EnsurePortalStream} {
				if _, err := ensure(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			subject := "dvcqg." + p + ".dossier.submitted"
			publish := func(ids ...string) {
				for _, id := range ids {
					if _, err := b.Publish(ctx, subject, id, []byte(id), nil); err != nil {
						t.Fatal(err)
					}
				}
			}
			publish("bad", "later", "good")
			if n := streamMsgs(t, b, PortalStreamName(p)); n != 3 {
				t.Fatalf("%d messages in %s", n, PortalStreamName(p))
			}
			run := func(want int) []delivery {
				t.Helper()
				cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
				defer cancel()
				var got []delivery
				err := b.Consume(cctx, "inbound-"+p, subject, func(_ context.Context, m Msg) error {
					d := delivery{m.ID, m.Delivered}
					got = append(got, d)
					if len(got) == want {
						cancel()
					}
					switch {
					case m.ID == "bad":
						return Term(errors.New("hồ sơ không hợp lệ"))
					case m.ID == "later" && m.Delivered == 1:
						return errors.New("file host unavailable")
					}
					return nil
				}, Backoff(100*time.Millisecond, time.Second), AckWait(5*time.Second))
				if err != nil || len(got) != want {
					t.Fatalf("consumer saw %v (%v), want %d deliveries", got, err, want)
				}
				return got
			}
			if got, want := run(4), []delivery{{"bad", 1}, {"later", 1}, {"later", 2}, {"good", 1}}; !slices.Equal(got, want) {
				t.Fatalf("deliveries = %v, want %v", got, want)
			}
			time.Sleep(200 * time.Millisecond)
			publish("next")
			if got := run(1); !slices.Equal(got, []delivery{{"next", 1}}) {
				t.Fatalf("the durable consumer again = %v, want next only (bad given up)", got)
			}
			if Term(nil) != nil || IsTerm(errors.New("x")) || !IsTerm(fmt.Errorf("wrapped: %w", Term(errors.New("x")))) {
				t.Error("Term and IsTerm")
			}
		})
	}
}

func TestNakDelay(t *testing.T) {
	o := consumeOptions{minNak: time.Second, maxNak: 5 * time.Second}
	for n, want := range map[uint64]time.Duration{0: time.Second, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 5 * time.Second, 100: 5 * time.Second} {
		if got := o.nakDelay(n); got != want {
			t.Errorf("nakDelay(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestEmbedded: the embedded server keeps its streams on disk across a
// restart; with Listen, other processes reach it on loopback; while it is
// down a publication fails at once instead of waiting in a buffer.
func TestEmbedded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := StartEmbedded(dir, discard, Listen("127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	if e.ClientURL() == "" {
		t.Fatal("no client URL with Listen")
	}
	b, err := Connect(e.ClientURL(), discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.EnsureStream(ctx, "01"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publish(ctx, Subject("01", "dossier.submit"), "x/1", []byte(`{}`), nil); err != nil {
		t.Fatal(err)
	}
	b.Close()
	e.Shutdown()
	if _, err := os.Stat(dir + "/jetstream"); err != nil {
		t.Fatalf("no JetStream store under the directory: %v", err)
	}

	e = startEmbedded(t, dir)
	if e.ClientURL() != "" {
		t.Errorf("client URL %q without Listen", e.ClientURL())
	}
	b, err = e.Connect(discard)
	if err != nil {
		t.Fatal(err)
	}
	if n := streamMsgs(t, b, StreamName("01")); n != 1 {
		t.Fatalf("after a restart the stream holds %d messages, want 1", n)
	}
	if dup, err := b.Publish(ctx, Subject("01", "dossier.submit"), "x/1", []byte(`{}`), nil); err != nil || !dup {
		t.Errorf("the same ID after a restart = duplicate %v, %v", dup, err)
	}
	b.Close()
	e.Shutdown()

	// A bus whose server is gone (and that knows it: until it notices, a
	// publication waits for its acknowledgement until the deadline).
	e2 := startEmbedded(t, t.TempDir(), Listen("127.0.0.1:0"))
	b, err = Connect(e2.ClientURL(), discard)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	e2.Shutdown()
	for deadline := time.Now().Add(5 * time.Second); b.Connected(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the bus did not notice the server stopped")
		}
	}
	start := time.Now()
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if _, err := b.Publish(pctx, Subject("01", "dossier.submit"), "x/2", []byte(`{}`), nil); err == nil {
		t.Fatal("published with the server down")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a publication with the server down failed after %v, want at once", d)
	}
}

// TestEmbeddedDirLocked: a second embedded server on the directory of a
// running one is refused (two would corrupt the store); once the first
// stopped, the directory is free again.
func TestEmbeddedDirLocked(t *testing.T) {
	dir := t.TempDir()
	e, err := StartEmbedded(dir, discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := StartEmbedded(dir, discard); err == nil || !strings.Contains(err.Error(), "used by another") {
		t.Fatalf("second server on the same directory: %v", err)
	}
	e.Shutdown()
	startEmbedded(t, dir)
}

func TestListenLoopbackOnly(t *testing.T) {
	if _, err := StartEmbedded(t.TempDir(), discard, Listen("0.0.0.0:4222")); err == nil {
		t.Fatal("the embedded server listened beyond loopback")
	}
}

func TestSubject(t *testing.T) {
	for _, tc := range []struct{ province, topic, want string }{
		{"01", "dossier.receive", "motcua.01.dossier.receive"},
		{"79", "dossier.result_issued", "motcua.79.dossier.result_issued"},
		{"01", "dossier.bad topic*>", "motcua.01.dossier.bad_topic__"},
	} {
		if got := Subject(tc.province, tc.topic); got != tc.want {
			t.Errorf("Subject(%q, %q) = %q, want %q", tc.province, tc.topic, got, tc.want)
		}
	}
	if got := StreamName("ab"); got != "MOTCUA_AB" {
		t.Errorf("StreamName = %q", got)
	}
	if got := PortalStreamName("ab"); got != "DVCQG_AB" {
		t.Errorf("PortalStreamName = %q", got)
	}
}
