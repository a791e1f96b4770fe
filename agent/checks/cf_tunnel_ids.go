package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// cfTunnelIDs: the tunnel cannot be looked up: ids unknown or malformed, or
// the API does not know the tunnel in that account.
func cfTunnelIDs() agent.Check {
	c := agent.Check{
		Code:     "CF005",
		Title:    "Tunnel not found at Cloudflare, or its ids are unknown",
		Hop:      agent.HopEdge,
		Severity: agent.Error,
		Explain: "tunneldoctor reads the account and tunnel ids from cloudflared's token or credentials file. When " +
			"they are unknown the tunnel checks are skipped (info). When the API answers 404 or code 7003 for the " +
			"tunnel, it does not exist in that account: a wrong account, or a tunnel deleted and purged, whose " +
			"token cloudflared still runs with.",
		Fix:   "Pass --account-id and --tunnel-id (see `cloudflared tunnel list`), or give tunneldoctor access to cloudflared's container so it can read them.",
		Needs: []string{agent.SourceEdge},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := cfAPI(s)
		if f == nil {
			return nil
		}
		ev := map[string]string{"account_id": f.AccountID, "tunnel_id": f.TunnelID, "ids_from": s.Edge.IDSource}
		// Skips caused by the token or an unreachable API are CF001/CF002/CF004's.
		why := f.Skipped[cfapi.EndpointTunnel]
		if why != "" && !strings.HasPrefix(why, cfapi.SkipNoToken) && !strings.HasPrefix(why, cfapi.SkipTokenRefused) &&
			!strings.HasPrefix(why, cfapi.SkipAPIDown) {
			out := c.Finding(agent.Info, "Tunnel checks at Cloudflare were skipped: "+why+".")
			out.Fix, out.Evidence = c.Fix, ev
			return []agent.Finding{out}
		}
		if e := f.TunnelErr; e != nil && e.Kind == cfapi.KindNotFound {
			out := c.Finding(agent.Error, fmt.Sprintf("Cloudflare has no tunnel %s in account %s (%s): the ids are wrong, or the tunnel was deleted.",
				f.TunnelID, f.AccountID, e.Message))
			out.Fix = "Compare with `cloudflared tunnel list` in the right account. If the tunnel was deleted, create a new one " +
				"(`cloudflared tunnel create NAME`), run cloudflared with its new token, and re-point DNS: `cloudflared tunnel route dns NAME HOSTNAME`."
			for k, v := range e.Evidence() {
				ev[k] = v
			}
			out.Evidence = ev
			return []agent.Finding{out}
		}
		return nil
	}
	return c
}
