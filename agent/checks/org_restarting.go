package checks

import (
	"fmt"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// crashLoopRestarts is how many restarts, with the last start recent, make
// a running container a crash loop rather than an old incident.
const crashLoopRestarts = 3

// orgRestarting: the origin container is restarting or crash-looping.
func orgRestarting() agent.Check {
	c := agent.Check{
		Code:     "ORG002",
		Title:    "Origin container is restarting (crash loop)",
		Hop:      agent.HopOrigin,
		Severity: agent.Error,
		Explain: "The origin container keeps dying and its restart policy keeps starting it again. " +
			"Between restarts cloudflared gets connection refused or no such host: intermittent 502s.",
		Fix:   "Read its log (docker logs CONTAINER) for the cause of the crash and fix that; the restart policy only hides it.",
		Needs: orgNeeds,
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding { return runRestarting(c, s) }
	return c
}

func runRestarting(c agent.Check, s *agent.Snapshot) []agent.Finding {
	var out []agent.Finding
	for _, o := range ruleOrigins(s) {
		recent := !o.c.StartedAt.IsZero() && s.Taken.Sub(o.c.StartedAt) < 10*time.Minute
		looping := o.c.Running() && o.c.RestartCount >= crashLoopRestarts && recent
		if o.c.State != "restarting" && !looping {
			continue
		}
		msg := fmt.Sprintf("%s: origin container %s is restarting: %d restarts so far, last exit code %d%s.",
			ruleLabel(o.t), o.c.Name, o.c.RestartCount, o.c.ExitCode, exitMeaning(o.c.ExitCode))
		if !o.c.Inspected {
			msg = fmt.Sprintf("%s: origin container %s is restarting (%s).", ruleLabel(o.t), o.c.Name, o.c.Status)
		}
		if looping {
			msg = fmt.Sprintf("%s: origin container %s is crash-looping: %d restarts, the last at %s.",
				ruleLabel(o.t), o.c.Name, o.c.RestartCount, o.c.StartedAt.UTC().Format("15:04:05Z"))
		}
		f := orgFinding(c, agent.Error, s, o, msg, logsHint(o.c)+"\nthen fix the cause of the crash shown there.")
		out = append(out, f)
	}
	return out
}
