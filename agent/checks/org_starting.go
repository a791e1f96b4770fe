package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// orgStarting: the origin's healthcheck has not passed yet.
func orgStarting() agent.Check {
	c := agent.Check{
		Code:     "ORG006",
		Title:    "Origin container is still starting",
		Hop:      agent.HopOrigin,
		Severity: agent.Info,
		Explain: "The origin container's healthcheck has not passed yet (health: starting). Errors now " +
			"may be transient; if it stays there, its healthcheck or the app is failing.",
		Fix:   "Wait for it to become healthy, then check again; if it never does, read its log.",
		Needs: orgNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runStarting(c, s) }
	return c
}

func runStarting(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, o := range ruleOrigins(s) {
		if h := o.c.Health; h == nil || h.Status != "starting" || !o.c.Running() {
			continue
		}
		msg := fmt.Sprintf("%s: origin container %s is still starting (healthcheck not passed yet); errors now may be transient.", ruleLabel(o.t), o.c.Name)
		out = append(out, orgFinding(c, agent.Info, s, o, msg, "Check again in a minute; if it stays starting: "+logsHint(o.c)))
	}
	return out
}
