package probe

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkRun50Origins10Hanging probes 50 origins of which 10 never accept
// the connection (full accept queue: SYNs dropped, like a firewall). It
// reports the run's wall time divided by the configured connectTimeout: ~1
// means the run takes as long as its slowest probe, 10 would be the sum.
//
//	go test ./agent/probe -run '^$' -bench Run50 -benchtime 5x
func BenchmarkRun50Origins10Hanging(b *testing.B) {
	const connectTimeout = 500 * time.Millisecond
	ok := plainOrigin(b, http.HandlerFunc(okHandler))
	hang := backloggedAddr(b)
	var targets []Target
	for i := 0; i < 50; i++ {
		svc := ok.URL
		if i%5 == 0 {
			svc = "http://" + hang
		}
		tg := target(b, svc)
		tg.Rule, tg.ConnectTimeout = i, connectTimeout
		targets = append(targets, tg)
	}
	b.ResetTimer()
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		rs := Run(context.Background(), targets, Options{})
		wall := time.Since(start)
		worst = max(worst, wall)
		for j, r := range rs {
			if hung := j%5 == 0; hung != (r.Cause == CauseConnectTimeout) || !hung && !r.OK() {
				b.Fatalf("rule %d: cause %q error %q", j, r.Cause, r.Error)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(connectTimeout), "wall/connectTimeout")
	b.ReportMetric(float64(worst)/float64(connectTimeout), "worst-wall/connectTimeout")
}

// BenchmarkGzipBomb1GiB probes an origin streaming 1 GiB of zeros as gzip
// (about 1 MiB on the wire) and reports the peak Go heap seen while it ran,
// origin server included, sampled every millisecond.
//
//	go test ./agent/probe -run '^$' -bench GzipBomb -benchtime 3x -benchmem
func BenchmarkGzipBomb1GiB(b *testing.B) {
	s := plainOrigin(b, gzipBomb(1<<30))
	tg := target(b, s.URL)
	b.ReportAllocs()
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, _ := Probe(context.Background(), tg, Options{MaxTime: time.Minute})
		if !r.OK() || r.HTTP.Gzip == nil || r.HTTP.Gzip.StoppedAt == 0 {
			b.Fatalf("error %q gzip %+v", r.Error, r.HTTP)
		}
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}
