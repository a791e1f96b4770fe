package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// bodyIntegrity: a gzip body that does not decompress, or a body shorter
// than its Content-Length.
func bodyIntegrity() agent.Check {
	c := agent.Check{
		Code:     "PRB009",
		Title:    "Origin sends a broken body",
		Hop:      agent.HopProtocol,
		Severity: agent.Error,
		Explain: "A response labelled Content-Encoding: gzip whose body does not decompress, or whose body " +
			"ends before its Content-Length, is cut off or replaced with a 502 on the way to the visitor. " +
			"Typical causes: compressing twice (app and proxy), a proxy adding the header to an " +
			"uncompressed body, or an app crashing mid-response.",
		Fix:   "Compress in one place only and let it set Content-Encoding; never set Content-Length by hand on a body that is rewritten.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runBodyIntegrity(c, s) }
	return c
}

func runBodyIntegrity(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		h, t := r.HTTP, r.Target
		if h == nil {
			continue
		}
		if h.Gzip != nil && h.Gzip.Error != "" {
			msg := fmt.Sprintf("%s: %s labels its answer Content-Encoding: gzip but the body does not decompress (%s after %d bytes).",
				ruleName(t), targetAddress(t), h.Gzip.Error, h.Gzip.Decompressed)
			f := probeFinding(c, agent.Error, s, r, msg,
				"Make exactly one layer compress: either the application or its reverse proxy (e.g. nginx `gzip off;` "+
					"when the app already compresses), and never add Content-Encoding: gzip to a body that is not gzip.")
			f.Evidence["gzip_error"] = h.Gzip.Error
			f.Evidence["body_bytes"] = fmt.Sprint(h.BodyRead)
			out = append(out, f)
		}
		if h.LengthMismatch {
			msg := fmt.Sprintf("%s: %s declared Content-Length: %d but closed the connection after %d bytes.",
				ruleName(t), targetAddress(t), h.ContentLength, h.BodyRead)
			f := probeFinding(c, agent.Error, s, r, msg,
				"Find why the origin stops mid-body (a crash or timeout in the app: see its logs), or stop setting "+
					"Content-Length by hand where the body is rewritten (compression, templating).")
			f.Evidence["content_length"] = fmt.Sprint(h.ContentLength)
			f.Evidence["body_bytes"] = fmt.Sprint(h.BodyRead)
			f.Evidence[agent.EvidenceSubject] = "content-length"
			out = append(out, f)
		}
	}
	return out
}
