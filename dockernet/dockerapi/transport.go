package dockerapi

import (
	"io"
	"net/http"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// limitTransport wraps every Docker API answer's body in a reader that fails
// with a *dockernet.TooLargeError past the answer's bound (Limits), and
// tells the client (note) so the collector can record the fact.
type limitTransport struct {
	base   http.RoundTripper
	limits Limits
	note   func(*dockernet.TooLargeError)
}

func (t *limitTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(r)
	if err != nil || res.Body == nil || r.Method == http.MethodHead {
		return res, err
	}
	what, bare, limit, stream := t.limits.answerKind(r.URL.Path)
	tl := &dockernet.TooLargeError{What: what, Path: bare, Limit: limit}
	if stream {
		res.Body = &eventBody{rc: res.Body, limit: limit, tooLarge: tl, note: t.note}
		return res, nil
	}
	b := &limitBody{rc: res.Body, left: limit, tooLarge: tl, note: t.note}
	if res.ContentLength > limit {
		b.left = -1 // the header says so: fail on the first read, read nothing
	}
	res.Body = b
	return res, nil
}

// limitBody fails with tooLarge once more than the bound was read.
type limitBody struct {
	rc       io.ReadCloser
	left     int64 // bytes still allowed; -1 once the bound was passed
	tooLarge *dockernet.TooLargeError
	note     func(*dockernet.TooLargeError)
	failed   bool
}

func (b *limitBody) Read(p []byte) (int, error) {
	if b.failed || b.left < 0 {
		return 0, b.fail()
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1] // one byte past the bound tells "too large" from "exactly"
	}
	n, err := b.rc.Read(p)
	if allowed := b.left; int64(n) > allowed {
		return int(allowed), b.fail()
	}
	b.left -= int64(n)
	return n, err
}

func (b *limitBody) fail() error {
	if !b.failed {
		b.failed, b.left = true, -1
		if b.note != nil {
			b.note(b.tooLarge)
		}
	}
	return b.tooLarge
}

func (b *limitBody) Close() error { return b.rc.Close() }

// eventBody bounds each JSON value of a stream (the /events answer) rather
// than the stream: moby's events decoder is a json.Decoder, which holds one
// whole value in memory before decoding it, so a value that never ends (a
// string without its closing quote, an array that keeps growing, even
// endless whitespace) is what must be cut. It follows the JSON structure
// (depth, strings, escapes) byte by byte and starts a fresh budget after
// each complete top-level value; a newline is not a boundary, because a
// value may span lines.
type eventBody struct {
	rc       io.ReadCloser
	limit    int64
	tooLarge *dockernet.TooLargeError
	note     func(*dockernet.TooLargeError)
	err      error

	used     int64 // bytes of the current value (and the blanks before it)
	depth    int
	inString bool
	escaped  bool
}

func (b *eventBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	for i := 0; i < n; i++ {
		b.used++
		if b.used > b.limit {
			b.err = b.tooLarge
			if b.note != nil {
				b.note(b.tooLarge)
			}
			return i, b.err
		}
		if b.step(p[i]) {
			b.used = 0
		}
	}
	return n, err
}

// step advances the scanner by one byte; it reports whether the byte ended
// a top-level value.
func (b *eventBody) step(c byte) bool {
	if b.inString {
		switch {
		case b.escaped:
			b.escaped = false
		case c == '\\':
			b.escaped = true
		case c == '"':
			b.inString = false
			return b.depth == 0
		}
		return false
	}
	switch c {
	case '"':
		b.inString = true
	case '{', '[':
		b.depth++
	case '}', ']':
		if b.depth > 0 {
			b.depth--
		}
		return b.depth == 0
	}
	return false
}

func (b *eventBody) Close() error { return b.rc.Close() }
