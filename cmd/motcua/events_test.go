package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/motcua/motcua/natsbus"
)

// externalNATS is the NATS server of the developers' machines and CI.
const externalNATS = "nats://127.0.0.1:4222"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// connectExternalNATS connects to externalNATS, or skips the test when
// nothing answers there, unless CI=true (then it fails).
func connectExternalNATS(t *testing.T) *natsbus.Bus {
	t.Helper()
	c, err := net.DialTimeout("tcp", strings.TrimPrefix(externalNATS, "nats://"), time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no NATS server at %s in CI: %v", externalNATS, err)
		}
		t.Skipf("no NATS server at %s: %v", externalNATS, err)
	}
	c.Close()
	b, err := natsbus.Connect(externalNATS, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// event is a dossier's event as read from the stream.
type event struct {
	subject, id string
	code        string
}

// nextEvent reads the next message of it within 5 s.
func nextEvent(t *testing.T, it jetstream.MessagesContext) event {
	t.Helper()
	m, err := it.Next(jetstream.NextMaxWait(5 * time.Second))
	if err != nil {
		t.Fatalf("no event within 5 s: %v", err)
	}
	var p struct{ Code string }
	if err := json.Unmarshal(m.Data(), &p); err != nil {
		t.Fatalf("payload of %s: %v", m.Subject(), err)
	}
	return event{m.Subject(), m.Headers().Get(jetstream.MsgIDHeader), p.Code}
}

// walkedActions is the actions of a dossier's history, as its applicant
// reads it.
func walkedActions(t *testing.T, s *server, code string) []string {
	t.Helper()
	var d struct {
		History []struct{ Action string }
	}
	if st := s.call(t, "GET", "/api/v1/dossiers/"+code, s.login(t, "congdan"), "", &d); st != 200 || len(d.History) == 0 {
		t.Fatalf("dossier %s: %d %+v", code, st, d)
	}
	var out []string
	for _, h := range d.History {
		out = append(out, h.Action)
	}
	return out
}

// checkWalkEvents reads the dossier's events from it, each within 5 s,
// until the last action of the walk, and checks that they are the walk's
// actions in order, on the subjects motcua.01.dossier.<action>, with
// message IDs <code>/<version> (and the result issued on its own subject).
func checkWalkEvents(t *testing.T, it jetstream.MessagesContext, code string, actions []string) {
	t.Helper()
	var got []string
	version := 0
	for len(got) < len(actions) {
		e := nextEvent(t, it)
		if e.code != code {
			continue
		}
		action, ok := strings.CutPrefix(e.subject, "motcua.01.dossier.")
		if !ok {
			t.Fatalf("subject %s", e.subject)
		}
		if action == "result_issued" {
			if e.id != fmt.Sprintf("%s/%d/result", code, version) {
				t.Errorf("result issued with ID %s after version %d", e.id, version)
			}
			continue
		}
		version++
		if e.id != fmt.Sprintf("%s/%d", code, version) {
			t.Errorf("%s: message ID %s, want %s/%d", action, e.id, code, version)
		}
		got = append(got, action)
	}
	if !slices.Equal(got, actions) {
		t.Errorf("events %v, want the walk's actions %v", got, actions)
	}
}

// TestServeNATS is the contract: with --nats on the external
// server, the subjects motcua.01.dossier.<action> carry every action of a
// walked dossier, in order, each within 5 s.
func TestServeNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	b := connectExternalNATS(t)
	ctx := context.Background()
	stream := natsbus.StreamName("01")
	// A run a minute ago published the same keys (the demo numbers its
	// dossiers alike): start from no stream, so that none is a duplicate.
	deleteStream := func() {
		if err := b.JetStream().DeleteStream(ctx, stream); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			t.Fatal(err)
		}
	}
	deleteStream()
	t.Cleanup(deleteStream)

	s := startServer(t, "--demo", "--data", t.TempDir(), "--nats", externalNATS)
	c, err := b.JetStream().OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{"motcua.01.dossier.>"}})
	if err != nil {
		t.Fatal(err)
	}
	it, err := c.Messages()
	if err != nil {
		t.Fatal(err)
	}
	defer it.Stop()
	code := dossierWalk(t, s)
	checkWalkEvents(t, it, code, walkedActions(t, s, code))
	s.stop(t)
	if !strings.Contains(s.logs.String(), `"events":"external nats://127.0.0.1:4222"`) {
		t.Errorf("the start log does not name the external NATS")
	}
}

// TestServeEmbeddedNATS: by default serve publishes to a NATS server of
// its own, its stream under DATA/nats, where the walk's events are found
// once it stopped; /metrics shows nothing left pending.
func TestServeEmbeddedNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	data := t.TempDir()
	s := startServer(t, "--demo", "--data", data)
	code := dossierWalk(t, s)
	actions := walkedActions(t, s, code)
	deadline := time.Now().Add(5 * time.Second)
	for {
		m := s.metrics(t)
		if strings.Contains(m, "\nmotcua_outbox_pending 0\n") && strings.Contains(m, "\nmotcua_outbox_lag_seconds 0\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events still pending after 5 s:\n%s", m)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stop(t)
	if !strings.Contains(s.logs.String(), `"events":"embedded"`) {
		t.Errorf("the start log does not name the embedded NATS")
	}

	e, err := natsbus.StartEmbedded(filepath.Join(data, "nats"), quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown()
	b, err := e.Connect(quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	c, err := b.JetStream().OrderedConsumer(context.Background(), natsbus.StreamName("01"), jetstream.OrderedConsumerConfig{FilterSubjects: []string{"motcua.01.dossier.>"}})
	if err != nil {
		t.Fatal(err)
	}
	it, err := c.Messages()
	if err != nil {
		t.Fatal(err)
	}
	defer it.Stop()
	checkWalkEvents(t, it, code, actions)
}

// metrics returns the server's /metrics.
func (s *server) metrics(t *testing.T) string {
	t.Helper()
	req, _ := http.NewRequest("GET", s.base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+e2eMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("/metrics: %d %s", res.StatusCode, b)
	}
	return string(b)
}
