package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// memoryNearLimit is the fraction of its limit above which an origin is
// one allocation away from being OOM-killed.
const memoryNearLimit = 0.9

// orgMemory: an unwell origin uses nearly all of its memory limit.
func orgMemory() agent.Check {
	c := agent.Check{
		Code:     "ORG007",
		Title:    "Origin container is near its memory limit",
		Hop:      agent.HopOrigin,
		Severity: agent.Warn,
		Explain: "An origin that uses nearly all of its memory limit slows down (page cache evicted, " +
			"GC pressure) and is soon OOM-killed. tunneldoctor reads memory only for origins that look " +
			"unwell.",
		Fix:   "Raise the container's memory limit or reduce the app's memory use.",
		Needs: orgNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runMemory(c, s) }
	return c
}

func runMemory(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, o := range ruleOrigins(s) {
		m, ok := s.Docker.Memory[o.c.ID]
		if !ok || o.c.MemoryLimit <= 0 || m.Fraction() < memoryNearLimit {
			continue
		}
		msg := fmt.Sprintf("%s: origin container %s uses %s of its %s memory limit (%.0f%%).",
			ruleLabel(o.t), o.c.Name, mib(int64(m.Usage)), mib(int64(m.Limit)), 100*m.Fraction())
		fix := "Give it more memory, " + memoryLimitFix(o.c, mib(2*int64(m.Limit)))
		f := orgFinding(c, agent.Warn, s, o, msg, fix)
		f.Evidence["memory_usage"] = mib(int64(m.Usage))
		f.Evidence["memory_limit"] = mib(int64(m.Limit))
		out = append(out, f)
	}
	return out
}
