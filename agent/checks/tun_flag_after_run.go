package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
)

// tunFlagAfterRun: "Incorrect Usage: flag provided but not defined: -metrics".
func tunFlagAfterRun() agent.Check {
	c := agent.Check{
		Code:     "TUN003",
		Title:    "A cloudflared flag stands after `run`",
		Hop:      agent.HopTunnel,
		Severity: agent.Error,
		Explain: "`tunnel run` defines only a few flags (--token, --protocol, --url, --credentials-file...). " +
			"--metrics, --config, --loglevel, --logfile, --output, --edge-ip-version and --no-autoupdate belong " +
			"before `run`; after it cloudflared prints \"Incorrect Usage: flag provided but not defined\" with its " +
			"help and exits with status 0, so a restart policy of on-failure leaves it stopped and " +
			"unless-stopped/always restarts it forever.",
		Fix:   "Move the flag before `run`: `tunnel --metrics 0.0.0.0:20241 run --token ...`.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		f := &s.Cloudflared
		e, n, ok := lastOf(current(f), cloudflared.KindFlagAfterRun)
		if !ok || connected(f) {
			return nil
		}
		msg := fmt.Sprintf("%s refuses its command line: \"%s\": --%s must come before `run`, so cloudflared exits without connecting.",
			cfName(f), e.Cause, e.Flag)
		fix := commandFix(f)
		if fix == "" {
			fix = fmt.Sprintf("Move --%s before `run`: `cloudflared tunnel --%s ... run --token <token>`.", e.Flag, e.Flag)
		}
		out := eventFinding(c, agent.Error, f, e, n, msg, fix)
		out.Evidence["flag"] = "--" + e.Flag
		return []agent.Finding{out}
	}
	return c
}
