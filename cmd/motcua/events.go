package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/motcua/motcua/app/relay"
	"github.com/motcua/motcua/natsbus"
	"github.com/motcua/motcua/store/sqlstore"
)

// natsOff is the --nats value that publishes nothing.
const natsOff = "off"

// events is the outbox relay to NATS that serve runs, and the consumer of
// the national portal's dossiers.
type events struct {
	relay *relay.Relay // nil with --nats off
	stop  func()
}

// startEvents starts publishing the outbox's events as --nats says: to the
// NATS servers of a URL, to a server embedded in this process (its
// streams under DATA/nats) when it is empty, or not at all when it is
// "off" (the events wait in the outbox until a start with NATS). The
// province's stream is made now, or at the first publication if NATS does
// not answer yet (serve runs without it). With NATS, inbound (nil: none)
// takes in the dossiers the national portal publishes for the province
// (consumePortal). stop stops that consumer, then the relay after a last
// pass, then the connection and the embedded server: call it after the
// HTTP server stopped and before the store is closed.
//
// also are called, with the relay's wake-up, after every commit that
// appended events (the national portal's sync).
func startEvents(ctx context.Context, nats, data, province string, db *sqlstore.DB, inbound func(context.Context, []byte) error, log *slog.Logger, also ...func()) (events, error) {
	notify := func(first func()) func() {
		return func() {
			if first != nil {
				first()
			}
			for _, fn := range also {
				fn()
			}
		}
	}
	if nats == natsOff {
		log.Warn("events not published (--nats off): they wait in the outbox")
		if len(also) > 0 {
			db.OnOutbox(notify(nil))
		}
		return events{stop: func() { db.OnOutbox(nil) }}, nil
	}
	var emb *natsbus.Embedded
	var bus *natsbus.Bus
	var err error
	if nats == "" {
		dir := filepath.Join(data, "nats")
		if emb, err = natsbus.StartEmbedded(dir, log); err != nil {
			return events{}, err
		}
		if bus, err = emb.Connect(log); err != nil {
			emb.Shutdown()
			return events{}, err
		}
		log.Info("events published to the embedded NATS server", "dir", dir, "stream", natsbus.StreamName(province))
	} else {
		if bus, err = natsbus.Connect(nats, log); err != nil {
			return events{}, err
		}
		log.Info("events published to NATS", "url", natsbus.Redact(nats), "connected", bus.Connected(), "stream", natsbus.StreamName(province))
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	if _, err := bus.EnsureStream(sctx, province); err != nil {
		log.Warn("NATS stream not made yet: made at the first publication", "error", err)
	}
	cancel()
	rel := relay.New(db, busPublisher{bus}, relay.Config{
		Subject: func(topic string) string { return natsbus.Subject(province, topic) },
		Log:     log.With("component", "relay"),
	})
	db.OnOutbox(notify(rel.Notify))
	rctx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		rel.Run(rctx)
	}()
	stopInbound := func() {}
	if inbound != nil {
		stopInbound = consumePortal(ctx, bus, province, inbound, log)
	}
	stop := func() {
		stopInbound()
		db.OnOutbox(nil)
		stopRun()
		<-done
		// What the last requests committed goes out before NATS stops.
		fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if n, err := rel.Publish(fctx); err != nil {
			log.Warn("events left in the outbox at shutdown: published at the next start", "published", n, "error", err)
		}
		bus.Close()
		if emb != nil {
			emb.Shutdown()
		}
	}
	return events{relay: rel, stop: stop}, nil
}

// natsMode is how the start log names --nats.
func natsMode(nats string) string {
	switch nats {
	case "":
		return "embedded"
	case natsOff:
		return natsOff
	}
	return fmt.Sprintf("external %s", natsbus.Redact(nats))
}

// busPublisher is the bus as the relay uses it.
type busPublisher struct{ *natsbus.Bus }

func (p busPublisher) PublishBatch(ctx context.Context, msgs []relay.Message) []relay.Ack {
	nm := make([]natsbus.Message, len(msgs))
	for i, m := range msgs {
		nm[i] = natsbus.Message(m)
	}
	acks := p.Bus.PublishBatch(ctx, nm)
	out := make([]relay.Ack, len(acks))
	for i, a := range acks {
		out[i] = relay.Ack(a)
	}
	return out
}
