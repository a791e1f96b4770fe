package checks

import (
	"fmt"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// slowRatio is the share of Cloudflare's proxy read timeout above which a
// time to first byte is a 524 risk: a little more load and it is over.
const slowRatio = 0.8

// slowFirstByte: the origin takes close to Cloudflare's read timeout.
func slowFirstByte() agent.Check {
	c := agent.Check{
		Code:     "PRB008",
		Title:    "Origin is slow to answer (524 risk)",
		Hop:      agent.HopProtocol,
		Severity: agent.Warn,
		Explain: "cloudflared itself waits for an origin's answer without limit, but Cloudflare's edge " +
			"gives up after the zone's proxy read timeout (125 s unless changed) and shows 524. An origin " +
			"whose first byte takes over 80% of that, or that never answers, or that trickles its body, " +
			"produces 524s under load.",
		Fix:   "Make the slow request faster or asynchronous (answer first, work in the background); on Enterprise plans the proxy read timeout can be raised.",
		Needs: []string{agent.SourceProbes},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runSlowFirstByte(c, s) }
	return c
}

func runSlowFirstByte(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, r := range results(s) {
		t := r.Target
		// The zone's own proxy_read_timeout, when the API read it and it
		// is not the default, is CF050's to compare: it knows the zone.
		limit, zoneSet := s.Edge.ProxyReadTimeout(t.Hostname)
		zoneSet = zoneSet && limit != cfapi.DefaultProxyReadTimeout
		threshold := time.Duration(float64(limit) * slowRatio)
		fix := "Find what the origin waits on for the first byte (database, upstream API, cold start) and make it answer " +
			fmt.Sprintf("well within %s; long jobs should answer at once and finish in the background.", limit)
		var msg string
		switch {
		case r.HTTP != nil && r.HTTP.TTFB >= threshold && !zoneSet:
			msg = fmt.Sprintf("%s: %s took %s to send its first byte, over %.0f%% of Cloudflare's %s proxy read timeout: visitors get 524 when it is a little slower.",
				ruleName(t), targetAddress(t), ms(r.HTTP.TTFB), slowRatio*100, limit)
		case r.Phase == probe.PhaseResponse && r.CutShort:
			msg = fmt.Sprintf("%s: %s accepted the request but sent nothing within tunneldoctor's %s probe limit; past %s Cloudflare answers 524.",
				ruleName(t), targetAddress(t), r.Limit, limit)
		case r.Phase == probe.PhaseBody && r.CutShort && r.HTTP != nil:
			msg = fmt.Sprintf("%s: %s answered %d but its body was still trickling in after %s (%d bytes read): a slow or stuck stream times out at the edge.",
				ruleName(t), targetAddress(t), r.HTTP.Status, r.Limit, r.HTTP.BodyRead)
		default:
			continue
		}
		f := probeFinding(c, agent.Warn, s, r, msg, fix)
		f.Evidence["proxy_read_timeout"] = limit.String()
		out = append(out, f)
	}
	return out
}
