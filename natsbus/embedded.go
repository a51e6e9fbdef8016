// Package natsbus carries the platform's events on NATS JetStream: an
// in-process server for a one-node installation, a client of an external
// cluster for production, the province's stream and the national portal's
// stream to it, publishing with de-duplication and durable consumers. The domain and the use cases know
// nothing of it: the outbox relay (app/relay) publishes through a small
// interface that Bus implements.
//
// Everything here works with nats-server 2.9 and later (an external
// cluster need not run the version embedded).
package natsbus

import (
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Embedded is a NATS server with JetStream running inside this process.
type Embedded struct {
	srv     *server.Server
	release func() // the directory's lock
}

// EmbeddedOption tunes StartEmbedded.
type EmbeddedOption func(*server.Options) error

// Listen has the embedded server accept connections on a loopback address
// (host:port, port 0 for any), for tools and benchmarks that watch the
// stream from another process; without it the server has no network
// listener and only this process reaches it.
func Listen(addr string) EmbeddedOption {
	return func(o *server.Options) error {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return fmt.Errorf("listen address %q: %w", addr, err)
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("listen address %q: only a loopback address (the embedded server has no authentication)", addr)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return fmt.Errorf("listen address %q: %w", addr, err)
		}
		if p == 0 {
			p = server.RANDOM_PORT
		}
		o.DontListen, o.Host, o.Port = false, host, p
		return nil
	}
}

// StartEmbedded starts a NATS server with JetStream in this process, its
// streams stored under dir, and waits until it accepts connections.
// Its log goes to log (component "nats"; its start-up notices at debug
// level).
func StartEmbedded(dir string, log *slog.Logger, opts ...EmbeddedOption) (*Embedded, error) {
	o := &server.Options{
		ServerName: "motcua-embedded",
		JetStream:  true,
		StoreDir:   dir,
		DontListen: true,
		// The process's signals are the command's: no handler of the
		// server's own (it would exit on SIGTERM, before the relay stops).
		NoSigs: true,
	}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, fmt.Errorf("embedded NATS: %w", err)
		}
	}
	release, err := lockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	srv, err := server.NewServer(o)
	if err != nil {
		release()
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	srv.SetLoggerV2(logger{log.With("component", "nats")}, false, false, false)
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		srv.WaitForShutdown()
		release()
		return nil, fmt.Errorf("embedded NATS under %s: not ready within 30 s", dir)
	}
	if !srv.JetStreamEnabled() {
		srv.Shutdown()
		srv.WaitForShutdown()
		release()
		return nil, fmt.Errorf("embedded NATS under %s: JetStream did not start (see the log)", dir)
	}
	return &Embedded{srv: srv, release: release}, nil
}

// ClientURL is the address other processes connect to, "" without Listen.
func (e *Embedded) ClientURL() string {
	a := e.srv.Addr()
	if a == nil {
		return ""
	}
	return "nats://" + a.String()
}

// Shutdown stops the server and waits until it has stopped (its streams
// flushed to disk). Close the buses connected to it first.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	e.release()
}

// logger writes the server's log to slog.
type logger struct{ l *slog.Logger }

func (g logger) Noticef(format string, v ...any) { g.l.Debug(fmt.Sprintf(format, v...)) }
func (g logger) Warnf(format string, v ...any)   { g.l.Warn(fmt.Sprintf(format, v...)) }

// Fatalf logs only: the server stops itself, and StartEmbedded reports
// what did not start.
func (g logger) Fatalf(format string, v ...any) { g.l.Error(fmt.Sprintf(format, v...)) }
func (g logger) Errorf(format string, v ...any) { g.l.Error(fmt.Sprintf(format, v...)) }
func (g logger) Debugf(format string, v ...any) { g.l.Debug(fmt.Sprintf(format, v...)) }
func (g logger) Tracef(format string, v ...any) { g.l.Debug(fmt.Sprintf(format, v...)) }
