package natsbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Bus is a connection to NATS with JetStream.
//
// It reconnects forever, and buffers nothing while disconnected: a publish
// then fails at once, and the outbox relay, which marks an event published
// only once JetStream acknowledged it, tries again later. A server
// unreachable at start is not an error: the Bus connects when it can.
type Bus struct {
	nc  *nats.Conn
	js  jetstream.JetStream
	log *slog.Logger

	// streams are the streams EnsureStream was asked for, by name: a
	// publish that finds no stream (EnsureStream ran while NATS was down,
	// or the stream was deleted) makes them again.
	mu      sync.Mutex
	streams map[string]jetstream.StreamConfig
}

// Connect connects to the NATS servers of url (comma-separated
// nats://host:port addresses, credentials in the URL if any).
func Connect(url string, log *slog.Logger) (*Bus, error) {
	return connect(url, log)
}

// Connect connects to the embedded server, in process.
func (e *Embedded) Connect(log *slog.Logger) (*Bus, error) {
	return connect("", log, nats.InProcessServer(e.srv))
}

func connect(url string, log *slog.Logger, extra ...nats.Option) (*Bus, error) {
	log = log.With("component", "nats")
	opts := append([]nats.Option{
		nats.Name("motcua"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.ReconnectJitter(500*time.Millisecond, 2*time.Second),
		nats.ReconnectBufSize(-1),
		nats.RetryOnFailedConnect(true),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("NATS disconnected: events wait in the outbox", "error", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("NATS reconnected", "url", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			log.Warn("NATS error", "error", err)
		}),
	}, extra...)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to NATS %s: %w", Redact(url), err)
	}
	// An acknowledgement that never comes (the connection lost) fails its
	// publication after this long, so that nothing waits on it forever.
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(30*time.Second))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("JetStream on %s: %w", Redact(url), err)
	}
	return &Bus{nc: nc, js: js, log: log, streams: map[string]jetstream.StreamConfig{}}, nil
}

// Connected reports whether the Bus is connected now.
func (b *Bus) Connected() bool { return b.nc.IsConnected() }

// Close closes the connection (consumers stop; Close the Bus before
// shutting an embedded server down).
func (b *Bus) Close() { b.nc.Close() }

// Redact hides the credentials of a NATS URL (user and password, or a
// token), for logs.
func Redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	return url[:scheme+3] + "***" + url[at:]
}

// StreamName is the name of a province's stream: MOTCUA_<PROVINCE>.
func StreamName(province string) string {
	return "MOTCUA_" + strings.ToUpper(token(province))
}

// Subject is the subject of a province's event of a topic:
// motcua.<province>.<topic>, e.g. motcua.01.dossier.receive. A character
// NATS gives a meaning to (space, *, >) becomes _.
func Subject(province, topic string) string {
	return "motcua." + token(province) + "." + token(topic)
}

func token(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == '*' || r == '>' || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}

// StreamOption tunes EnsureStream.
type StreamOption func(*jetstream.StreamConfig)

// DuplicateWindow is how long JetStream remembers a message ID to drop a
// second publication of it (default 2 minutes): longer than the outbox
// relay's longest retry, so that a batch published but not marked (a
// crash, another node's relay) is dropped, not stored twice.
func DuplicateWindow(d time.Duration) StreamOption {
	return func(c *jetstream.StreamConfig) { c.Duplicates = d }
}

// MaxAge is how long the stream keeps an event (default 30 days): the
// longest a consumer may be away and still catch up from the stream (the
// outbox in the database keeps every event beyond that).
func MaxAge(d time.Duration) StreamOption {
	return func(c *jetstream.StreamConfig) { c.MaxAge = d }
}

// Replicas is the number of servers of a cluster that store the stream
// (default 1; 3 on a production cluster).
func Replicas(n int) StreamOption {
	return func(c *jetstream.StreamConfig) { c.Replicas = n }
}

// EnsureStream creates the province's stream, MOTCUA_<PROVINCE> over the
// subjects motcua.<province>.>, or updates it to this configuration:
// stored on disk, limits retention (events expire by age, whoever read
// them), de-duplicated by message ID. It is idempotent. The configuration
// is remembered even when NATS is unreachable, and Publish makes the stream
// once NATS answers.
func (b *Bus) EnsureStream(ctx context.Context, province string, opts ...StreamOption) (string, error) {
	return b.ensureStream(ctx, StreamName(province), "motcua: events of province "+province, "motcua."+token(province)+".>", opts)
}

// PortalStreamName is the name of the stream of what the national portal
// (DVCQG) sends a province: DVCQG_<PROVINCE>.
func PortalStreamName(province string) string {
	return "DVCQG_" + strings.ToUpper(token(province))
}

// EnsurePortalStream creates the stream of what the national portal sends
// a province, DVCQG_<PROVINCE> over the subjects dvcqg.<province>.> (e.g.
// the dossiers submitted on the portal), or updates it, configured as
// EnsureStream's. It is a stream of its own, not more subjects of the
// province's: the province publishes its events, the portal publishes
// these, and each stream has one writer, its own limits and its own
// permissions on a shared cluster.
func (b *Bus) EnsurePortalStream(ctx context.Context, province string, opts ...StreamOption) (string, error) {
	return b.ensureStream(ctx, PortalStreamName(province), "motcua: messages of the national portal to province "+province, "dvcqg."+token(province)+".>", opts)
}

func (b *Bus) ensureStream(ctx context.Context, name, description, subject string, opts []StreamOption) (string, error) {
	cfg := jetstream.StreamConfig{
		Name:        name,
		Description: description,
		Subjects:    []string{subject},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		MaxAge:      30 * 24 * time.Hour,
		Duplicates:  2 * time.Minute,
		Replicas:    1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	b.mu.Lock()
	b.streams[cfg.Name] = cfg
	b.mu.Unlock()
	return cfg.Name, b.ensure(ctx, cfg)
}

func (b *Bus) ensure(ctx context.Context, cfg jetstream.StreamConfig) error {
	if _, err := b.js.CreateOrUpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("stream %s: %w", cfg.Name, err)
	}
	return nil
}

// ensureAll makes again the streams EnsureStream was asked for.
func (b *Bus) ensureAll(ctx context.Context) error {
	b.mu.Lock()
	cfgs := make([]jetstream.StreamConfig, 0, len(b.streams))
	for _, c := range b.streams {
		cfgs = append(cfgs, c)
	}
	b.mu.Unlock()
	var errs []error
	for _, c := range cfgs {
		errs = append(errs, b.ensure(ctx, c))
	}
	return errors.Join(errs...)
}

// Publish publishes payload to subject with the message ID msgID (the
// Nats-Msg-Id header) and the headers given, and waits for JetStream's
// acknowledgement: when it returns nil the message is stored. duplicate
// reports that the stream had the message ID already, within its
// duplicate window, and dropped this copy. Without a deadline in ctx,
// JetStream's default timeout (5 s) applies.
func (b *Bus) Publish(ctx context.Context, subject, msgID string, payload []byte, header map[string]string) (duplicate bool, err error) {
	m := nats.NewMsg(subject)
	m.Data = payload
	for k, v := range header {
		m.Header.Set(k, v)
	}
	ack, err := b.js.PublishMsg(ctx, m, jetstream.WithMsgID(msgID))
	if errors.Is(err, jetstream.ErrNoStreamResponse) {
		// No stream listens: make the streams asked for, and try once more.
		if e := b.ensureAll(ctx); e == nil {
			ack, err = b.js.PublishMsg(ctx, m, jetstream.WithMsgID(msgID))
		}
	}
	if err != nil {
		return false, fmt.Errorf("publish %s %s: %w", subject, msgID, err)
	}
	return ack.Duplicate, nil
}

// JetStream is the JetStream client of the Bus, for what the Bus does not
// wrap (tools and tests reading a stream).
func (b *Bus) JetStream() jetstream.JetStream { return b.js }

// Message is one message of PublishBatch.
type Message struct {
	Subject string
	ID      string // the Nats-Msg-Id header
	Data    []byte
	Header  map[string]string
}

// Ack is JetStream's answer to one message of PublishBatch.
type Ack struct {
	Duplicate bool  // the stream had the ID already and dropped this copy
	Err       error // nil: stored (or a duplicate)
}

// PublishBatch publishes msgs one after the other without waiting in
// between, then waits for every acknowledgement, or for ctx: acks[i] is
// msgs[i]'s. A round trip for the batch instead of one per message.
//
// The stream stores them in this order, except that when one fails the
// ones after it may be stored all the same: a caller that needs some
// messages in order (the events of one dossier) puts at most one of them
// in a batch, and sends the next after the previous was acknowledged.
func (b *Bus) PublishBatch(ctx context.Context, msgs []Message) []Ack {
	acks := make([]Ack, len(msgs))
	futs := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		nm := nats.NewMsg(m.Subject)
		nm.Data = m.Data
		for k, v := range m.Header {
			nm.Header.Set(k, v)
		}
		f, err := b.js.PublishMsgAsync(nm, jetstream.WithMsgID(m.ID))
		if err != nil {
			for j := i; j < len(msgs); j++ {
				acks[j].Err = fmt.Errorf("publish %s %s: %w", msgs[j].Subject, msgs[j].ID, err)
			}
			break
		}
		futs[i] = f
	}
	noStream := false
	for i, f := range futs {
		if f == nil {
			continue
		}
		var err error
		select {
		case pa := <-f.Ok():
			acks[i].Duplicate = pa.Duplicate
		case err = <-f.Err():
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			noStream = noStream || errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, nats.ErrNoResponders)
			acks[i].Err = fmt.Errorf("publish %s %s: %w", msgs[i].Subject, msgs[i].ID, err)
		}
	}
	if noStream {
		// No stream listens: make the streams asked for; the caller
		// publishes again.
		if err := b.ensureAll(ctx); err != nil {
			b.log.Warn("stream not made again", "error", err)
		}
	}
	return acks
}
