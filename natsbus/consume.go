package natsbus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Msg is a message delivered to a consumer.
type Msg struct {
	Subject   string
	ID        string // the Nats-Msg-Id header: the outbox event's key
	Header    nats.Header
	Data      []byte
	Delivered uint64    // 1 on the first delivery, more on redeliveries
	Sequence  uint64    // the stream's sequence number
	Stored    time.Time // when the stream stored it
}

// termError is a handler's error that gives the message up (Term).
type termError struct{ err error }

func (e termError) Error() string { return e.err.Error() }
func (e termError) Unwrap() error { return e.err }

// Term marks a handler's error as final: the message would fail the same
// way on every delivery (it is malformed, or refers to what does not
// exist), and Consume terminates it instead of delivering it again. It is
// logged with the error, and stays in the stream until it expires.
func Term(err error) error {
	if err == nil {
		return nil
	}
	return termError{err}
}

// IsTerm reports whether err is marked with Term.
func IsTerm(err error) bool {
	var t termError
	return errors.As(err, &t)
}

// ConsumeOption tunes Consume.
type ConsumeOption func(*consumeOptions)

type consumeOptions struct {
	ackWait        time.Duration
	minNak, maxNak time.Duration
}

// AckWait is how long a delivered message may stay unacknowledged (its
// handler still running, or the process gone) before JetStream delivers it
// again (default 30 s): longer than a handler takes.
func AckWait(d time.Duration) ConsumeOption {
	return func(o *consumeOptions) { o.ackWait = d }
}

// Backoff is the delay before a message whose handler failed is delivered
// again: min after the first failure, doubling with each delivery up to
// max (default 1 s to 5 min).
func Backoff(min, max time.Duration) ConsumeOption {
	return func(o *consumeOptions) { o.minNak, o.maxNak = min, max }
}

// nakDelay is the delay before the next delivery of a message delivered
// n times so far.
func (o consumeOptions) nakDelay(n uint64) time.Duration {
	d := o.minNak
	for i := uint64(1); i < n && d < o.maxNak; i++ {
		d *= 2
	}
	return min(d, o.maxNak)
}

// Consume hands the messages of the stream that holds filterSubject (e.g.
// motcua.01.dossier.>) to handle, one at a time and in the stream's order,
// through the durable pull consumer named durable (made or updated with
// this configuration), until ctx is done; it then returns nil.
//
// A message is acknowledged when handle returns nil; when it returns an
// error, the message is delivered again after a delay growing with each
// failure (Backoff), without limit on the deliveries, unless the error is
// marked with Term: then the message is terminated, never delivered again. The consumer keeps
// its place across restarts: a message is handled at least once, and a
// handler must be idempotent (Msg.ID is the event's key).
//
// One message at a time (MaxAckPending 1, across every process bound to
// the durable): a message handled late holds the others back, which keeps
// each dossier's events in order at the price of throughput, one handler
// call and one round trip per message. A consumer that needs more can
// partition by subject, with one durable per part.
func (b *Bus) Consume(ctx context.Context, durable, filterSubject string, handle func(context.Context, Msg) error, opts ...ConsumeOption) error {
	o := consumeOptions{ackWait: 30 * time.Second, minNak: time.Second, maxNak: 5 * time.Minute}
	for _, opt := range opts {
		opt(&o)
	}
	stream, err := b.js.StreamNameBySubject(ctx, filterSubject)
	if err != nil {
		return fmt.Errorf("consumer %s: the stream of %s: %w", durable, filterSubject, err)
	}
	cons, err := b.js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
		Durable:       durable,
		FilterSubject: filterSubject,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       o.ackWait,
		MaxDeliver:    -1,
		MaxAckPending: 1,
	})
	if err != nil {
		return fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(1))
	if err != nil {
		return fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
	}
	defer it.Stop()
	log := b.log.With("consumer", durable, "stream", stream)
	for {
		jm, err := it.Next(jetstream.NextContext(ctx))
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			return fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
		}
		if err != nil {
			// Missed heartbeats while NATS is away: the iterator pulls
			// again once it is back.
			log.Warn("consumer waiting for NATS", "error", err)
			continue
		}
		m := Msg{Subject: jm.Subject(), Header: jm.Headers(), Data: jm.Data(), Delivered: 1}
		m.ID = m.Header.Get(jetstream.MsgIDHeader)
		if md, err := jm.Metadata(); err == nil {
			m.Delivered, m.Sequence, m.Stored = md.NumDelivered, md.Sequence.Stream, md.Timestamp
		}
		err = handle(ctx, m)
		if IsTerm(err) {
			log.Warn("message given up: not delivered again", "subject", m.Subject, "id", m.ID, "delivered", m.Delivered, "error", err)
			// Term, not TermWithReason: servers before 2.10.4 ignore the
			// latter, and the message would come back (the reason is in
			// this log).
			if err := jm.Term(); err != nil {
				log.Warn("term not sent: delivered again after the ack wait", "id", m.ID, "error", err)
			}
			continue
		}
		if err != nil {
			delay := o.nakDelay(m.Delivered)
			log.Warn("event not handled: delivered again later", "subject", m.Subject, "id", m.ID, "delivered", m.Delivered, "retry_in", delay, "error", err)
			if err := jm.NakWithDelay(delay); err != nil {
				log.Warn("nak not sent: delivered again after the ack wait", "id", m.ID, "error", err)
			}
			continue
		}
		if err := jm.Ack(); err != nil {
			log.Warn("ack not sent: delivered again after the ack wait", "id", m.ID, "error", err)
		}
	}
}
