package dockerapi

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// maxTooLargeKept bounds the record of oversized answers.
const maxTooLargeKept = 16

// tooLargeLog remembers the answers that passed their bound: the newest
// few, each with the request count at the time (so a collection can take
// those of its own calls), and the last oversized event.
type tooLargeLog struct {
	mu      sync.Mutex
	answers []tooLargeAt
	event   *tooLargeAt
}

type tooLargeAt struct {
	err  dockernet.TooLargeError
	call int64
	at   time.Time
}

// add returns the transport's note function, which stamps each record
// with the client's request count.
func (l *tooLargeLog) add(calls *atomic.Int64) func(*dockernet.TooLargeError) {
	return func(e *dockernet.TooLargeError) {
		r := tooLargeAt{err: *e, call: calls.Load(), at: time.Now()}
		l.mu.Lock()
		defer l.mu.Unlock()
		if e.Path == "/events" {
			l.event = &r
			return
		}
		if len(l.answers) == maxTooLargeKept {
			l.answers = append(l.answers[:0], l.answers[1:]...)
		}
		l.answers = append(l.answers, r)
	}
}

// TooLarge lists the answers that exceeded their bound among the requests
// made after the first sinceCalls ones (Calls() before a collection), and
// the last oversized event if it came less than EventTooLargeMemory ago.
func (c *Client) TooLarge(sinceCalls int) []dockernet.TooLargeError {
	c.tooLarge.mu.Lock()
	defer c.tooLarge.mu.Unlock()
	var out []dockernet.TooLargeError
	for _, r := range c.tooLarge.answers {
		if r.call > int64(sinceCalls) {
			out = append(out, r.err)
		}
	}
	if e := c.tooLarge.event; e != nil && time.Since(e.at) < EventTooLargeMemory {
		out = append(out, e.err)
	}
	return out
}
