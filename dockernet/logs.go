package dockernet

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/moby/moby/api/pkg/stdcopy"
)

// Bounds on a log read: a container that logs megabyte lines, or a stream
// that never ends, must not cost more than this.
const (
	maxLogStream = 16 << 20 // bytes read from the API at most
	maxLogLine   = 2048     // bytes kept of one line
)

// ReadLogs returns the last tail lines of a container's stdout and stderr,
// in order, keeping at most maxBytes (the newest ones), read through any
// Engine (dockerapi.Client.Logs is this over the live client). Lines are not
// redacted: use Redact before showing them.
func ReadLogs(ctx context.Context, eng Engine, id string, tail, maxBytes int) ([]string, error) {
	if tail <= 0 || maxBytes <= 0 {
		return nil, nil
	}
	rc, err := eng.ContainerLogs(ctx, id, tail)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	keep := &tailBuffer{max: maxBytes}
	if err := demux(keep, io.LimitReader(rc, maxLogStream)); err != nil {
		return nil, fmt.Errorf("logs of container %s: %w", ShortID(id), err)
	}
	text := keep.Bytes()
	if keep.cut {
		// The oldest kept line lost its start: drop it rather than quote half.
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			text = text[i+1:]
		}
	}
	return splitLines(text), nil
}

// demux copies a log stream to w, removing Docker's 8-byte frame headers
// unless the container has a TTY (raw stream). Both streams go to one
// writer so lines keep their order.
func demux(w io.Writer, r io.Reader) error {
	var head [8]byte
	n, err := io.ReadFull(r, head[:])
	if n == 0 {
		if err == io.EOF {
			return nil
		}
		return err
	}
	r = io.MultiReader(bytes.NewReader(head[:n]), r)
	multiplexed := n == 8 && head[0] <= 2 && head[1] == 0 && head[2] == 0 && head[3] == 0
	if !multiplexed {
		_, err := io.Copy(w, r)
		return err
	}
	_, err = stdcopy.StdCopy(w, w, r)
	if err == io.ErrUnexpectedEOF {
		return nil // cut by the byte limit: keep what was read
	}
	return err
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	buf []byte
	max int
	cut bool // older bytes were dropped
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte { return t.buf }

func splitLines(b []byte) []string {
	text := strings.TrimRight(string(b), "\n")
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		if len(l) > maxLogLine {
			l = l[:maxLogLine] + "…"
		}
		lines[i] = l
	}
	return lines
}
