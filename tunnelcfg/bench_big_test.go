package tunnelcfg

import (
	"runtime"
	"testing"
)

// bigConfig is a generated config of about 30 MB (issue 12: it cost 25-29 s
// and 1.1 GB).
func bigConfig() []byte { return generateConfig(330_000) }

// BenchmarkParse30MB measures parsing a 30 MB config: time, allocations,
// and the heap it leaves alive (the model) against the input size.
//
//	go test ./tunnelcfg -run '^$' -bench Parse30MB -benchtime 1x -benchmem
func BenchmarkParse30MB(b *testing.B) {
	data := bigConfig()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var c *Config
	for b.Loop() {
		c, _ = Parse(data, "big.yml")
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(len(data))/(1<<20), "input-MB")
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "live-heap-MB")
	b.ReportMetric(float64(m.HeapSys)/(1<<20), "heap-sys-MB")
	runtime.KeepAlive(c)
}
