package cloudflared

import (
	"fmt"
	"strings"
	"testing"
)

// benchLines is a realistic tail: registrations, origin errors in both
// formats, edge failures and lines of no interest.
func benchLines(n int) []string {
	pattern := []string{
		`2026-11-22T02:15:44Z INF Registered tunnel connection connIndex=0 connection=f347adab-43d8-4fed-9a00-a77f800e8069 event=0 ip=198.41.200.13 location=ams01 protocol=quic`,
		`2026-11-22T02:15:47Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp 172.18.0.3:8080: connect: connection refused" connIndex=0 event=1 ingressRule=0 originService=http://web:8080`,
		`{"connIndex":1,"error":"Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp: lookup api on 127.0.0.11:53: no such host","event":1,"ingressRule":1,"level":"error","originService":"http://api:3000","time":"2026-11-22T02:15:48Z"}`,
		`2026-11-22T02:15:45Z ERR Failed to dial a quic connection error="failed to dial to edge with quic: timeout: no recent network activity" connIndex=0 event=0 ip=198.41.192.227`,
		`2026-11-22T02:15:44Z INF Settings: map[metrics:0.0.0.0:20241 no-autoupdate:true token:*****]`,
	}
	out := make([]string, n)
	for i := range out {
		out[i] = pattern[i%len(pattern)]
	}
	return out
}

// BenchmarkClassify300 is one run's log read (the default tail).
func BenchmarkClassify300(b *testing.B) {
	lines := benchLines(300)
	b.ReportAllocs()
	for b.Loop() {
		if ev := Classify(lines, nil); len(ev) != 240 {
			b.Fatalf("%d events", len(ev))
		}
	}
}

// BenchmarkParseConfig2000 parses a /config body of 2,000 rules with every
// originRequest field resolved, as cloudflared serves it.
func BenchmarkParseConfig2000(b *testing.B) {
	or := `{"connectTimeout":30,"tlsTimeout":10,"tcpKeepAlive":30,"noHappyEyeballs":false,"keepAliveTimeout":90,"keepAliveConnections":100,"httpHostHeader":"","originServerName":"","matchSNItoHost":false,"caPool":"","noTLSVerify":false,"disableChunkedEncoding":false,"bastionMode":false,"proxyAddress":"127.0.0.1","proxyPort":0,"proxyType":"","ipRules":null,"http2Origin":false,"access":{"teamName":"","audTag":null}}`
	var rules []string
	for i := 0; i < 1999; i++ {
		rules = append(rules, fmt.Sprintf(`{"hostname":"app%d.example.com","path":null,"service":"http://web%d:8080","Handlers":null,"originRequest":%s}`, i, i, or))
	}
	rules = append(rules, `{"hostname":"","path":null,"service":"http_status:404","Handlers":null,"originRequest":`+or+`}`)
	body := []byte(`{"version":-1,"config":{"ingress":[` + strings.Join(rules, ",") + `],"warp-routing":{},"originRequest":` + or + `}}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := parseConfigJSON(body)
		if err != nil || len(cfg.Rules) != 2000 {
			b.Fatalf("%v %d", err, len(cfg.Rules))
		}
	}
}
