package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// tunFileNotReloaded: a locally managed cloudflared runs other rules than
// its file holds now: the file was edited after it started.
func tunFileNotReloaded() agent.Check {
	c := agent.Check{
		Code:     "TUN014",
		Title:    "Config file changed since cloudflared started",
		Hop:      agent.HopIngress,
		Severity: agent.Warn,
		Explain: "`cloudflared tunnel run` reads its config file once, at start; it does not reload edits. When " +
			"the rules it reports on /config (version -1) differ from the file, the file was changed afterwards " +
			"(or tunneldoctor read another file than cloudflared did).",
		Fix:   "Restart cloudflared to load the file: `docker restart <container>`.",
		Needs: needCloudflared,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		live, file := s.Cloudflared.Config, s.Ingress.File
		if live == nil || live.Version >= 0 || file == nil || len(file.Rules) == 0 {
			return nil
		}
		diff := ruleDiff(live.Rules, file.Rules, "cloudflared", "the file")
		if len(diff) == 0 {
			return nil
		}
		f := c.Finding(agent.Warn, fmt.Sprintf("cloudflared runs other ingress rules than %s holds now (%d difference(s)): "+
			"the file changed after cloudflared started, and cloudflared does not reload it.", file.Path, len(diff)))
		f.Evidence = map[string]string{"file": file.Path, "differences": diffEvidence(diff)}
		f.Fix = fmt.Sprintf("Restart cloudflared to apply the file: `docker restart %s` (check it first with "+
			"`tunneldoctor ingress validate --config %s`). If the file is not the one cloudflared reads, pass that one with --config.",
			containerRef(&s.Cloudflared), file.Path)
		return []agent.Finding{f}
	}
	return c
}
