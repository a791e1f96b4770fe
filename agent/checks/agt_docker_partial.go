package checks

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// agtDockerPartial: some Docker facts were refused or failed, so some
// verdicts are unknown rather than negative.
func agtDockerPartial() agent.Check {
	c := agent.Check{
		Code:     "AGT103",
		Title:    "Some Docker facts could not be read",
		Hop:      agent.HopNetwork,
		Severity: agent.Warn,
		Explain: "Part of the Docker API answered with an error, typically 403 from a socket proxy that " +
			"does not allow every read tunneldoctor uses. Verdicts that need those facts are left " +
			"unknown instead of being guessed.",
		Fix: "Allow these GET paths in the socket proxy: /_ping, /version, /info, /events, /containers/json, " +
			"/containers/{id}/json, /containers/{id}/logs, /containers/{id}/stats, /networks, /networks/{id} " +
			"(Tecnativa: CONTAINERS=1 NETWORKS=1 INFO=1; linuxserver: also ALLOW_LOGS=1).",
		Needs: []string{agent.SourceDocker},
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		if len(s.Docker.Unknown) == 0 {
			return nil
		}
		f := c.Finding(agent.Warn, "Some Docker facts could not be read, so verdicts that need them are unknown: "+strings.Join(s.Docker.Unknown, "; ")+".")
		f.Fix = c.Fix
		f.Evidence = map[string]string{"unknown": strings.Join(s.Docker.Unknown, "\n"), "docker_host": s.Docker.Host}
		return []agent.Finding{f}
	}
	return c
}
