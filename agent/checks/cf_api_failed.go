package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfAPIFailed: a call failed for a reason other than the token or a
// permission: 5xx, 429, timeout, no connection, an unreadable answer.
func cfAPIFailed() agent.Check {
	c := agent.Check{
		Code:     "CF004",
		Title:    "Cloudflare API call failed: some checks skipped",
		Hop:      agent.HopEdge,
		Severity: agent.Warn,
		Explain: "An API call failed after its one retry: the API answered 5xx or 429 (rate limited: 1,200 " +
			"requests per 5 minutes per token), timed out, could not be reached, or answered something that is " +
			"not its JSON. The checks that need that answer were skipped; the next run tries again.",
		Fix: "Usually transient: run again. If it persists, check https://www.cloudflarestatus.com, that this " +
			"machine reaches api.cloudflare.com:443 (proxy, firewall, DNS), and that no other tool shares the token's rate limit.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		var out []agent.Finding
		seen := map[string]bool{}
		for _, e := range cfCallErrors(cfAPI(s)) {
			switch e.Kind {
			case cfapi.KindAuth, cfapi.KindPermission, cfapi.KindNotFound:
				continue // CF002, CF003, CF005
			}
			key := e.Endpoint + "|" + string(e.Kind)
			if e.Kind == cfapi.KindRateLimited {
				key = string(e.Kind) // one 429 blocks every call: say it once
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			skipped := cfChecksFor(e.Endpoint)
			msg := fmt.Sprintf("Cloudflare API call %s failed (%s): %s", e.Endpoint, e.Kind, e.Message)
			if len(skipped) > 0 {
				msg += "; skipped " + strings.Join(skipped, ", ")
			}
			f := c.Finding(agent.Warn, msg+".")
			f.Fix = c.Fix
			if e.Kind == cfapi.KindRateLimited {
				f.Fix = "Wait for the Retry-After to pass (tunneldoctor makes no call until then) and lower the run rate, " +
					"or give tunneldoctor its own token: the limit is 1,200 requests per 5 minutes per token."
			}
			f.Evidence = e.Evidence()
			f.Evidence[agent.EvidenceSubject] = key
			out = append(out, f)
		}
		return out
	}
	return c
}
