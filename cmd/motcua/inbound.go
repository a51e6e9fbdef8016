package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/motcua/motcua/app/dossiers"
	"github.com/motcua/motcua/natsbus"
)

// The consumer of the dossiers the national portal hands over on NATS.
const (
	// portalDurable is the durable consumer's name, on the stream
	// DVCQG_<PROVINCE>: every node of the province binds to the same one.
	portalDurable = "motcua-dossiers-inbound"
	// portalHandleTimeout bounds one dossier's taking in (its papers
	// fetched included): a delivery that takes longer is delivered again.
	portalHandleTimeout = 4 * time.Minute
	// portalAckWait is longer than portalHandleTimeout, so that a dossier
	// being taken in is not delivered to another node meanwhile.
	portalAckWait = 5 * time.Minute
	// portalMaxDeliveries is the most deliveries of one dossier whose
	// failures may pass (about 20 minutes with the consumer's backoff, 1 s
	// doubling to 5 min): the consumer takes one message at a time, and a
	// dossier whose file host keeps failing would hold every later one
	// back for ever. It is then given up (logged), still in the stream.
	portalMaxDeliveries = 12
	// portalRetry is the wait before the consumer is made again when it
	// could not be (NATS away at start, the stream deleted).
	portalRetry = 5 * time.Second
)

// portalVerdict is what the consumer makes of a delivery's outcome err:
// nil acknowledges it; an error marked natsbus.Term gives it up (the
// failure would recur: dossiers.RetryNational says no, or it was
// delivered portalMaxDeliveries times); another error delivers it again
// later.
func portalVerdict(err error, delivered uint64) error {
	switch {
	case err == nil:
		return nil
	case !dossiers.RetryNational(err):
		return natsbus.Term(err)
	case delivered >= portalMaxDeliveries:
		return natsbus.Term(fmt.Errorf("given up after %d deliveries: %w", delivered, err))
	}
	return err
}

// consumePortal takes in the dossiers submitted on the national portal
// (dossiers.NationalSubject: dvcqg.<province>.dossier.submitted, stream
// DVCQG_<PROVINCE>, made here if missing) with handle, through a durable
// consumer, until stop is called: acknowledged once the dossier is in (new,
// or handed over before: the handler is idempotent on MaHoSo), delivered
// again later when dossiers.RetryNational says the failure may pass (a
// file host or the store unavailable; portalMaxDeliveries times at most),
// terminated otherwise (an invalid record, an unknown procedure: logged
// with the reason). stop waits for a
// dossier being taken in; call it before the bus is closed.
func consumePortal(ctx context.Context, bus *natsbus.Bus, province string, handle func(context.Context, []byte) error, log *slog.Logger) (stop func()) {
	log = log.With("component", "portal-inbound")
	subject := dossiers.NationalSubject(province)
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			ectx, ecancel := context.WithTimeout(cctx, 10*time.Second)
			_, err := bus.EnsurePortalStream(ectx, province)
			ecancel()
			if err == nil {
				log.Info("dossiers from the national portal consumed", "subject", subject, "stream", natsbus.PortalStreamName(province), "consumer", portalDurable)
				err = bus.Consume(cctx, portalDurable, subject, func(ctx context.Context, m natsbus.Msg) error {
					hctx, hcancel := context.WithTimeout(ctx, portalHandleTimeout)
					defer hcancel()
					return portalVerdict(handle(hctx, m.Data), m.Delivered)
				}, natsbus.AckWait(portalAckWait))
			}
			if cctx.Err() != nil {
				return
			}
			log.Warn("dossiers from the national portal not consumed: trying again", "retry_in", portalRetry, "error", err)
			select {
			case <-time.After(portalRetry):
			case <-cctx.Done():
				return
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
