package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchConfig writes a config of n hostname rules plus a catch-all: a path
// on every tenth rule, an originRequest on every seventh, and, as real
// files have, some rules that tunneldoctor notes (an upper-case hostname
// on every twentieth, localhost on every twentieth) or warns about (a
// misspelt key on every 343rd).
func benchConfig(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: /etc/cloudflared/creds.json\noriginRequest:\n  connectTimeout: 10s\ningress:\n")
	for i := 0; i < n; i++ {
		host := fmt.Sprintf("app%d.example.com", i)
		if i%20 == 3 {
			host = fmt.Sprintf("App%d.example.com", i)
		}
		fmt.Fprintf(&b, "  - hostname: %s\n", host)
		if i%10 == 0 {
			fmt.Fprintf(&b, "    path: ^/api/v%d/\n", i)
		}
		svc := fmt.Sprintf("http://app%d:%d", i, 8000+i%1000)
		if i%20 == 11 {
			svc = fmt.Sprintf("http://localhost:%d", 8000+i%1000)
		}
		fmt.Fprintf(&b, "    service: %s\n", svc)
		if i%7 == 0 {
			b.WriteString("    originRequest:\n      httpHostHeader: internal.example\n      keepAliveTimeout: 30s\n")
			if i%49 == 0 {
				b.WriteString("      noTlsVerify: true\n")
			}
		}
	}
	b.WriteString("  - service: http_status:404\n")
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("config-%d.yml", n))
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkIngressValidate runs `tunneldoctor ingress validate` in process,
// from the file to the last line of the report, for files of 200 to 100,000
// rules (text and JSON output).
func BenchmarkIngressValidate(b *testing.B) {
	for _, n := range []int{200, 2000, 20000, 100000} {
		path := benchConfig(b, n)
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, output := range []string{"text", "json"} {
			b.Run(fmt.Sprintf("rules=%d/%s", n, output), func(b *testing.B) {
				b.SetBytes(st.Size())
				b.ReportAllocs()
				for b.Loop() {
					std := stdio{out: io.Discard, err: io.Discard}
					if code := runIngressValidate(context.Background(), std, []string{"--config", path, "--output", output}); code != 0 {
						b.Fatalf("exit %d", code)
					}
				}
			})
		}
	}
}
