package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// orgUnhealthy: the origin container's own healthcheck fails.
func orgUnhealthy() agent.Check {
	c := agent.Check{
		Code:     "ORG005",
		Title:    "Origin container is unhealthy",
		Hop:      agent.HopOrigin,
		Severity: agent.Error,
		Explain: "The origin container's own healthcheck fails. Docker keeps routing to it, so " +
			"cloudflared's requests reach an app that says itself it is not working.",
		Fix:   "Read the healthcheck output (docker inspect --format '{{json .State.Health}}' CONTAINER) and the app's log, and fix the app.",
		Needs: orgNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runUnhealthy(c, s) }
	return c
}

func runUnhealthy(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, o := range ruleOrigins(s) {
		h := o.c.Health
		if h == nil || h.Status != "unhealthy" || !o.c.Running() {
			continue
		}
		msg := fmt.Sprintf("%s: origin container %s is unhealthy (%d failed healthchecks in a row)", ruleLabel(o.t), o.c.Name, h.FailingStreak)
		last, ok := h.Last()
		if ok {
			msg += fmt.Sprintf("; last check exited %d: %q", last.ExitCode, clipLine(last.Output, 200))
		}
		msg += "."
		fix := fmt.Sprintf("docker inspect --format '{{json .State.Health}}' %s\n%s\nthen fix what the healthcheck reports.", o.c.Name, logsHint(o.c))
		f := orgFinding(c, agent.Error, s, o, msg, fix)
		if ok {
			f.Evidence["health_output"] = strings.TrimSpace(last.Output)
			f.Evidence["health_exit_code"] = fmt.Sprint(last.ExitCode)
		}
		f.Evidence["failing_streak"] = fmt.Sprint(h.FailingStreak)
		out = append(out, f)
	}
	return out
}

// clipLine shortens s to one line of at most n bytes.
func clipLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
