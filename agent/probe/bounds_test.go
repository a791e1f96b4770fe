package probe

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

// gzipBomb serves size bytes of zeros gzip-compressed, generated on the fly
// and streamed: nothing of that size ever exists in memory.
func gzipBomb(size int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		zeros := make([]byte, 1<<20)
		for left := size; left > 0; left -= int64(len(zeros)) {
			n := int64(len(zeros))
			if left < n {
				n = left
			}
			if _, err := zw.Write(zeros[:n]); err != nil {
				return
			}
		}
		_ = zw.Close()
	})
}

func TestGzipBombIsBounded(t *testing.T) {
	s := plainOrigin(t, gzipBomb(256<<20))
	r, _ := Probe(context.Background(), target(t, s.URL), Options{MaxTime: 10 * time.Second, MaxDecompressed: 8 << 20})
	if !r.OK() {
		t.Fatalf("probe failed: %s", r.Error)
	}
	g := r.HTTP.Gzip
	if g == nil || g.Error != "" || g.Complete || g.StoppedAt != 8<<20 || g.Decompressed != 8<<20 {
		t.Fatalf("gzip %+v: want decompression stopped at the 8 MiB limit, not an error", g)
	}
}

func TestConcurrencyBound(t *testing.T) {
	var mu sync.Mutex
	inFlight, peak := 0, 0
	s := plainOrigin(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		inFlight++
		if inFlight > peak {
			peak = inFlight
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	targets := make([]Target, 12)
	for i := range targets {
		targets[i] = target(t, s.URL)
	}
	for _, r := range Run(context.Background(), targets, Options{Concurrency: 3}) {
		if !r.OK() {
			t.Fatalf("probe failed: %s", r.Error)
		}
	}
	if peak > 3 {
		t.Errorf("%d probes ran at once with a bound of 3", peak)
	}
}

func TestRunHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rs := Run(ctx, []Target{target(t, "http://"+silentListener(t))}, Options{Concurrency: 1})
	if rs[0].OK() {
		t.Fatal("a cancelled run must not report success")
	}
}
