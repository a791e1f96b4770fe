package dockernet

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"strings"
	"testing"
)

// logHost serves a fixed log stream.
type logHost struct {
	synthHost
	stream func() io.Reader
}

func (h *logHost) ContainerLogs(context.Context, string, int) (io.ReadCloser, error) {
	return io.NopCloser(h.stream()), nil
}

func frame(stream byte, text string) []byte {
	hdr := make([]byte, 8)
	hdr[0] = stream
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(text)))
	return append(hdr, text...)
}

// endless is a log that never ends (a hostile or broken proxy).
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "line\n"[i%5]
	}
	return len(p), nil
}

func TestReadLogsDemuxesAndBounds(t *testing.T) {
	var mux bytes.Buffer
	mux.Write(frame(1, "starting\n"))
	mux.Write(frame(2, "error: db down\n"))
	mux.Write(frame(1, "retrying\r\n"))
	cases := []struct {
		name   string
		stream func() io.Reader
		max    int
		want   []string
	}{
		{"multiplexed, order kept", func() io.Reader { return bytes.NewReader(mux.Bytes()) }, 4096, []string{"starting", "error: db down", "retrying"}},
		{"newest kept under maxBytes", func() io.Reader { return bytes.NewReader(mux.Bytes()) }, 24, []string{"retrying"}},
		{"tty raw stream", func() io.Reader { return strings.NewReader("plain one\nplain two\n") }, 4096, []string{"plain one", "plain two"}},
		{"truncated frame", func() io.Reader {
			return bytes.NewReader(append(frame(1, "whole\n"), frame(1, "cut short here\n")[:12]...))
		}, 4096, []string{"whole"}}, // a partial frame is dropped
		{"empty", func() io.Reader { return strings.NewReader("") }, 4096, nil},
	}
	for _, tc := range cases {
		got, err := ReadLogs(context.Background(), &logHost{stream: tc.stream}, "x", 10, tc.max)
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	// An endless stream stops at the read bound and keeps maxBytes.
	got, err := ReadLogs(context.Background(), &logHost{stream: func() io.Reader { return endless{} }}, "x", 10, 100)
	if err != nil || len(strings.Join(got, "\n")) > 100 || len(got) == 0 {
		t.Errorf("endless: %d lines, err %v", len(got), err)
	}
	// One enormous line is cut to maxLogLine.
	huge := strings.Repeat("y", 10*maxLogLine) + "\n"
	got, _ = ReadLogs(context.Background(), &logHost{stream: func() io.Reader { return strings.NewReader(huge) }}, "x", 10, 1<<20)
	if len(got) != 1 || len(got[0]) > maxLogLine+len("…") {
		t.Errorf("a huge line must be cut: %d bytes", len(got[0]))
	}
}
