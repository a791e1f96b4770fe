package probe

import (
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// readBody reads at most o.MaxBody raw bytes, keeps a sample, decompresses a
// gzip body up to o.MaxDecompressed (streamed, never held) and notes whether
// the body matched its Content-Length. Only transport errors are returned; a
// corrupt gzip stream is a fact in h.Gzip.
func readBody(body io.Reader, gzipped bool, o Options, h *HTTPPhase) error {
	raw := &countingReader{r: io.LimitReader(body, o.MaxBody+1)}
	sample := &sampleBuffer{max: o.BodySample}
	var src io.Reader = raw
	if gzipped {
		h.Gzip = checkGzip(raw, sample, o.MaxDecompressed)
	} else {
		src = io.TeeReader(raw, sample)
	}
	if h.Gzip == nil || h.Gzip.StoppedAt == 0 {
		// Drain what is left (errors land in raw.err). After a gzip stream
		// hit the decompression limit, stop: a bomb has made its point and
		// the rest would only cost time.
		_, _ = io.Copy(io.Discard, src)
	}
	h.BodyRead = raw.n
	if raw.n > o.MaxBody {
		h.BodyRead = o.MaxBody
	}
	h.BodySample = sample.String()
	if h.Gzip != nil && h.Gzip.Error != "" && (raw.err != nil || raw.n > o.MaxBody) {
		// The gzip reader failed because the transport did, or because we
		// stopped reading: not corruption.
		h.Gzip.Error, h.Gzip.StoppedAt = "", h.Gzip.Decompressed
	}
	switch {
	case h.Gzip != nil && h.Gzip.StoppedAt > 0 && raw.err == nil:
		// Stopped on purpose; completeness unknown.
	case raw.err == nil && raw.n <= o.MaxBody:
		h.BodyComplete = true
	case raw.err == nil:
		// More than MaxBody: stopped reading on purpose.
	case errors.Is(raw.err, io.ErrUnexpectedEOF) && h.ContentLength >= 0:
		h.LengthMismatch = true
		return nil // the whole body arrived, just shorter than declared
	default:
		return raw.err
	}
	return nil
}

// checkGzip decompresses from raw into nowhere, sampling the start.
func checkGzip(raw io.Reader, sample *sampleBuffer, limit int64) *GzipResult {
	g := &GzipResult{}
	zr, err := gzip.NewReader(raw)
	if errors.Is(err, io.EOF) {
		g.Complete = true // an empty body: nothing to decompress
		return g
	}
	if err != nil {
		g.Error = err.Error()
		return g
	}
	n, err := io.Copy(io.Discard, io.TeeReader(io.LimitReader(zr, limit), sample))
	g.Decompressed = n
	switch {
	case err != nil:
		g.Error = err.Error()
	case n >= limit:
		g.StoppedAt = limit // a gzip bomb or just big: stop, not an error
	default:
		g.Complete = true
	}
	return g
}

// countingReader counts bytes and remembers the first non-EOF error.
type countingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// sampleBuffer keeps the first max bytes written and drops the rest.
type sampleBuffer struct {
	max int
	b   []byte
}

func (s *sampleBuffer) Write(p []byte) (int, error) {
	if room := s.max - len(s.b); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		s.b = append(s.b, p[:room]...)
	}
	return len(p), nil
}

func (s *sampleBuffer) String() string {
	b := s.b
	// Cut a trailing partial rune so the sample is valid UTF-8 text.
	for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
