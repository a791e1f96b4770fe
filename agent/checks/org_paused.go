package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// orgPaused: the origin container is paused.
func orgPaused() agent.Check {
	c := agent.Check{
		Code:     "ORG004",
		Title:    "Origin container is paused",
		Hop:      agent.HopOrigin,
		Severity: agent.Error,
		Explain: "A paused container (docker pause) keeps its network and name, but its processes are " +
			"frozen: connections are accepted by the kernel and never answered, so cloudflared times " +
			"out (502/504, or 524 from the edge).",
		Fix:   "docker unpause CONTAINER",
		Needs: orgNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runPaused(c, s) }
	return c
}

func runPaused(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, o := range ruleOrigins(s) {
		if o.c.State != "paused" {
			continue
		}
		msg := fmt.Sprintf("%s: origin container %s is paused: requests hang until cloudflared gives up.", ruleLabel(o.t), o.c.Name)
		out = append(out, orgFinding(c, agent.Error, s, o, msg, "docker unpause "+o.c.Name))
	}
	return out
}
