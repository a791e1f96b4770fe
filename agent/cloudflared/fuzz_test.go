package cloudflared

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// FuzzClassifyLine: any log line, however hostile, is classified without a
// panic, and no recognised token survives into the event.
func FuzzClassifyLine(f *testing.F) {
	for _, s := range benchLines(5) {
		f.Add(s)
	}
	f.Add(`2026-11-22T02:15:44Z ERR  error="unterminated`)
	f.Add(`{"level":"error","error":{"nested":[1,2]},"ingressRule":"x"}`)
	f.Add(`Incorrect Usage: flag provided but not defined: -`)
	f.Add("2026-11-22T02:15:44Z INF precheck component=\"UDP Connectivity\" status=fail")
	f.Add(`2026-11-22T02:15:44Z ERR Couldn't start tunnel error="hunter2\u0068unter2"`)
	f.Fuzz(func(t *testing.T, line string) {
		e, ok := ClassifyLine(line, tunnelcfg.NewRedactor("hunter2hunter2"))
		if !ok {
			return
		}
		all := e.Line + e.Cause + e.Message + e.Config + e.OriginService
		if strings.Contains(all, "hunter2hunter2") {
			t.Errorf("secret survived: %+v", e)
		}
		if len(e.Line) > maxEventLine+3 {
			t.Errorf("event line of %d bytes", len(e.Line))
		}
	})
}
