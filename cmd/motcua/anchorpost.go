package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/national/httpapi"
)

// maxPendingAnchors bounds the anchors kept in memory while the national
// mode cannot be reached: the oldest go first (each is also in the anchors
// file, which stays the evidence).
const maxPendingAnchors = 100

// anchorPostTimeout bounds one post, and the last flush at shutdown.
const (
	anchorPostTimeout = 30 * time.Second
	anchorLastFlush   = 5 * time.Second
)

// errAnchorRefused is a post the national mode answered with a code other
// than success: the same anchor would be refused again.
var errAnchorRefused = errors.New("anchor refused")

// anchorPoster posts the province's signed audit anchors to the national
// mode (POST {base}/dvcqg/neo-nhat-ky, HTTP Basic with the province's
// credentials), in its own goroutine so that a slow or absent national
// side never holds serving back. An anchor that could not be posted stays
// pending, in memory, and is posted again, oldest first, when the next one
// is added; one the national mode refuses is dropped (logged).
type anchorPoster struct {
	url, user, password string
	http                *http.Client
	log                 *slog.Logger

	mu      sync.Mutex
	pending [][]byte // oldest first

	wake     chan struct{}
	cancel   context.CancelFunc
	finished chan struct{}
}

// newAnchorPoster starts posting to the national mode at base; close stops
// it.
func newAnchorPoster(base, user, password string, log *slog.Logger) *anchorPoster {
	ctx, cancel := context.WithCancel(context.Background())
	p := &anchorPoster{url: strings.TrimRight(base, "/") + httpapi.PathAnchor, user: user, password: password,
		http: &http.Client{Timeout: anchorPostTimeout}, log: log.With("component", "anchor-post", "url", strings.TrimRight(base, "/")),
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
		err := p.post(ctx, a)
		switch {
		case err == nil:
			p.log.Debug("audit anchor posted to the national mode")
		case errors.Is(err, errAnchorRefused):
			p.log.Warn("audit anchor refused by the national mode: dropped (kept in the anchors file)", "error", err)
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

// post sends one anchor and reads the answer (a dvcqg.Reply): nil on
// success, errAnchorRefused when the national mode refused it (the same
// anchor would be refused again), another error when it may succeed later
// (unreachable, 5xx, credentials refused: fixed by the operator).
func (p *anchorPoster) post(ctx context.Context, anchor []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(anchor))
	if err != nil {
		return fmt.Errorf("post audit anchor: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(p.user, p.password)
	res, err := p.http.Do(req)
	if err != nil {
		return fmt.Errorf("post audit anchor: %w", err)
	}
	defer res.Body.Close()
	var rep dvcqg.Reply
	derr := json.NewDecoder(io.LimitReader(res.Body, 64<<10)).Decode(&rep)
	switch {
	case res.StatusCode == http.StatusOK && derr == nil && strings.TrimSpace(rep.ErrorCode) == dvcqg.CodeOK:
		return nil
	case (res.StatusCode == http.StatusOK || res.StatusCode == http.StatusBadRequest || res.StatusCode == http.StatusRequestEntityTooLarge) &&
		derr == nil && strings.TrimSpace(rep.ErrorCode) == dvcqg.CodeInvalid:
		return fmt.Errorf("%w: error_code %s: %s", errAnchorRefused, rep.ErrorCode, clipRunes(rep.Message, 200))
	case derr != nil:
		return fmt.Errorf("post audit anchor: HTTP %d, answer not read: %w", res.StatusCode, derr)
	}
	return fmt.Errorf("post audit anchor: HTTP %d, error_code %s: %s", res.StatusCode, rep.ErrorCode, clipRunes(rep.Message, 200))
}

// clipRunes cuts s to at most n characters (a message in a log line).
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
