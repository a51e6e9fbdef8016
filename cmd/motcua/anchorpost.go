package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/motcua/motcua/dvcqgclient"
)

// maxPendingAnchors bounds the anchors kept in memory while the national
// mode cannot be reached: the oldest go first (each is also in the anchors
// file, which stays the evidence).
const maxPendingAnchors = 100

// anchorLastFlush bounds the last attempt to post the pending anchors, at
// shutdown (each post is bounded by the client's timeout, 30 s).
const anchorLastFlush = 5 * time.Second

// anchorPoster posts the province's signed audit anchors to the national
// mode (dvcqgclient.PostAnchor: POST {base}/dvcqg/neo-nhat-ky, HTTP Basic
// with the province's credentials), in its own goroutine so that a slow
// or absent national side never holds serving back. An anchor that could
// not be posted stays pending, in memory, and is posted again, oldest
// first, when the next one is added; one the national mode refuses is
// dropped (logged).
type anchorPoster struct {
	client *dvcqgclient.Client
	log    *slog.Logger

	mu      sync.Mutex
	pending [][]byte // oldest first

	wake     chan struct{}
	cancel   context.CancelFunc
	finished chan struct{}
}

// newAnchorPoster starts posting with client (the national portal's, of
// --national-url); close stops it.
func newAnchorPoster(client *dvcqgclient.Client, log *slog.Logger) *anchorPoster {
	ctx, cancel := context.WithCancel(context.Background())
	p := &anchorPoster{client: client, log: log.With("component", "anchor-post"),
		wake: make(chan struct{}, 1), cancel: cancel, finished: make(chan struct{})}
	go func() {
		defer close(p.finished)
		for {
			select {
			case <-p.wake:
				p.flush(ctx)
			case <-ctx.Done():
				return
			}
		}
	}()
	return p
}

// add queues a signed anchor (its JSON) and wakes the poster, which posts
// every pending anchor; it never waits on the network.
func (p *anchorPoster) add(anchor []byte) {
	p.mu.Lock()
	p.pending = append(p.pending, anchor)
	dropped := p.trim()
	p.mu.Unlock()
	if dropped > 0 {
		p.log.Warn("audit anchors never posted to the national mode dropped from memory (kept in the anchors file)", "dropped", dropped, "kept", maxPendingAnchors)
	}
	select {
	case p.wake <- struct{}{}:
	default: // a flush is due already
	}
}

// trim drops the oldest pending anchors beyond maxPendingAnchors (p.mu
// held) and says how many.
func (p *anchorPoster) trim() int {
	n := len(p.pending) - maxPendingAnchors
	if n <= 0 {
		return 0
	}
	p.pending = append([][]byte(nil), p.pending[n:]...)
	return n
}

// close stops the poster after a last attempt, within anchorLastFlush, to
// post what is pending (the anchor signed at shutdown).
func (p *anchorPoster) close() {
	p.cancel()
	<-p.finished
	ctx, cancel := context.WithTimeout(context.Background(), anchorLastFlush)
	defer cancel()
	p.flush(ctx)
}

// flush posts the pending anchors, oldest first, until one cannot be
// posted (it stays first, for the next flush) or none is left.
func (p *anchorPoster) flush(ctx context.Context) {
	for {
		p.mu.Lock()
		if len(p.pending) == 0 {
			p.mu.Unlock()
			return
		}
		a := p.pending[0]
		p.pending = p.pending[1:]
		p.mu.Unlock()
		ans, err := p.client.PostAnchor(ctx, a)
		switch {
		case err == nil && ans.Accepted():
			p.log.Debug("audit anchor posted to the national mode")
		case err == nil:
			p.log.Warn("audit anchor refused by the national mode: dropped (kept in the anchors file)", "error_code", ans.Code, "message", ans.Message)
		default:
			p.mu.Lock()
			p.pending = append([][]byte{a}, p.pending...)
			dropped, n := p.trim(), len(p.pending)
			p.mu.Unlock()
			p.log.Warn("audit anchor not posted to the national mode: posted again with the next anchor", "pending", n, "dropped", dropped, "error", err)
			return
		}
	}
}
