package tunnelcfg

import (
	"fmt"
	"strings"
	"testing"
)

// generateConfig writes n distinct hostname rules plus a catch-all, with a
// path on every tenth rule and an originRequest on every seventh.
func generateConfig(n int) []byte {
	var b strings.Builder
	b.WriteString("tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /etc/cloudflared/creds.json\noriginRequest:\n  connectTimeout: 10s\ningress:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - hostname: app%d.example.com\n", i)
		if i%10 == 0 {
			fmt.Fprintf(&b, "    path: ^/api/v%d/\n", i)
		}
		fmt.Fprintf(&b, "    service: http://app%d:%d\n", i, 8000+i%1000)
		if i%7 == 0 {
			b.WriteString("    originRequest:\n      httpHostHeader: internal.example\n      keepAliveTimeout: 30s\n")
		}
	}
	b.WriteString("  - service: http_status:404\n")
	return []byte(b.String())
}

// BenchmarkLoadValidate parses and validates generated files of 200 to
// 100,000 rules, as `tunneldoctor ingress validate` does.
func BenchmarkLoadValidate(b *testing.B) {
	for _, n := range []int{200, 2000, 20000, 100000} {
		data := generateConfig(n)
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				c, ps := Parse(data, "bench.yml")
				ps = append(ps, Validate(c)...)
				if !Valid(ps) || len(c.Rules) != n+1 {
					b.Fatal("generated config should be valid")
				}
			}
		})
	}
}

func BenchmarkMatchAll2000(b *testing.B) {
	c, _ := Parse(generateConfig(2000), "bench.yml")
	hosts := make([]string, 2000)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("app%d.example.com", i)
	}
	c.Match("warm.example.com", "/") // compile once
	b.ReportAllocs()
	for b.Loop() {
		for i, h := range hosts {
			if got := c.Match(h, "/x"); got != i && i%10 != 0 {
				b.Fatalf("%s matched %d", h, got)
			}
		}
	}
}
