package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// netRoundRobin: several running containers answer the rule's host name.
func netRoundRobin() agent.Check {
	c := agent.Check{
		Code:     "NET008",
		Title:    "Several containers answer to the service's host name",
		Hop:      agent.HopNetwork,
		Severity: agent.Warn,
		Explain: "When several containers on cloudflared's networks answer to one name (scaled replicas, " +
			"or the same alias or service name in two compose projects on a shared network), Docker's DNS " +
			"returns them in random order: requests land on whichever comes first, and intermittent errors " +
			"follow when one of them is the wrong app or unwell.",
		Fix:   "Point the rule at a name only the intended container has (its container name or a unique alias), unless the replicas are meant.",
		Needs: netNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runRoundRobin(c, s) }
	return c
}

func runRoundRobin(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, t := range netTargets(s) {
		if t.res.Kind != dockernet.ResolveContainers {
			continue
		}
		running := answerContainers(t.res.Running())
		if len(running) < 2 {
			continue
		}
		var names, projects []string
		seenProject := map[string]bool{}
		for _, c := range running {
			names = append(names, c.Name)
			if !seenProject[c.Project] {
				seenProject[c.Project] = true
				projects = append(projects, c.Project)
			}
		}
		msg := fmt.Sprintf("%s: %d running containers answer to %q (%s); Docker's DNS spreads requests across them at random.",
			ruleLabel(t), len(running), t.svc.Host, strings.Join(names, ", "))
		sev := agent.Warn
		if len(projects) > 1 {
			msg = strings.TrimSuffix(msg, ".") + fmt.Sprintf(", and they belong to different compose projects (%s): probably a name clash, not replicas.", joinOr(projects, ""))
		}
		fix := "Use a name only the intended container answers to:\n" + serviceYAML(t, serviceWithHost(t, running[0].Name, ""))
		f := netFinding(c, sev, s, t, msg, fix)
		f.Evidence["answering"] = strings.Join(names, ", ")
		out = append(out, f)
	}
	return out
}
