package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunStartFailed: "Couldn't start tunnel" (cloudflared refused its ingress).
func tunStartFailed() agent.Check {
	c := agent.Check{
		Code:     "TUN011",
		Title:    "cloudflared refused its configuration at start",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "cloudflared validates its ingress rules at start; an invalid rule makes it log " +
			"\"Couldn't start tunnel\" with the reason and exit.",
		Fix:   "Fix the rule it names; `tunneldoctor ingress validate --config FILE` lists every problem at once.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		e, n, ok := lastOf(current(f), cloudflared.KindStartFailed)
		if !ok || connected(f) {
			return nil
		}
		msg := fmt.Sprintf("%s refused to start: %s.", cfName(f), firstSentence(e.Cause))
		fix := "Correct the configuration and restart cloudflared. `tunneldoctor ingress validate --config <file>` reports every problem " +
			"with its line; the ingress findings (ING) of this report show them for the file tunneldoctor read."
		return []agent.Finding{eventFinding(c, agent.Error, f, e, n, msg, fix)}
	}
	return c
}
