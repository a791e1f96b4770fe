package checks

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ingLoopbackService: a rule's service is localhost.
func ingLoopbackService() problemCheck {
	pc := newProblemCheck(agent.Check{
		Code:     "ING022",
		Title:    "A rule's service is localhost",
		Severity: agent.Info,
		Explain:  "localhost, 127.0.0.1, ::1 and 0.0.0.0 are cloudflared's own network namespace. On a host install that is right; in a container it is cloudflared's container, not your app, and requests fail with connection refused (the network checks confirm this with Docker's view).",
		Fix:      "In Docker, use the app container's name on a network shared with cloudflared: `service: http://app:8080`.",
	}, tunnelcfg.KindLoopbackService)
	run := pc.check.Run
	pc.check.Run = func(s *agent.Snapshot) []agent.Finding {
		if s.HostMode() {
			return nil // cloudflared on the host: localhost is the host, as intended
		}
		return run(s)
	}
	return pc
}
