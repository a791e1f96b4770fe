package checks

import (
	"fmt"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// agtDockerTooLarge: a Docker API answer exceeded its size bound, so
// tunneldoctor stopped reading it instead of holding it in memory.
func agtDockerTooLarge() agent.Check {
	c := agent.Check{
		Code:     "AGT105",
		Title:    "Docker API answer too large",
		Hop:      agent.HopNetwork,
		Severity: agent.Warn,
		Explain: "tunneldoctor bounds every Docker API answer (containers list 16 MiB, container inspect " +
			"4 MiB, networks list 16 MiB, each event 4 MiB, stats, ping and info 1 MiB) so that a broken or " +
			"hostile daemon, or a proxy that never ends an answer, cannot make it use unbounded memory. " +
			"An answer past its bound was cut; the facts it carried are unknown, and the checks that need " +
			"them are skipped. An oversized event is skipped and a run is done in its place.",
		Fix: "Make sure DOCKER_HOST (or the mounted socket) is the Docker Engine, or a socket proxy that " +
			"passes answers through unchanged; real answers are far below these bounds. If one container " +
			"carries megabytes of labels or environment, trim them (docker inspect NAME | wc -c shows the size).",
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		if len(s.Docker.TooLarge) == 0 {
			return nil
		}
		var what, paths []string
		seen := map[string]bool{}
		for _, e := range s.Docker.TooLarge {
			d := fmt.Sprintf("%s exceeded %s", e.What, dockernet.FormatBytes(e.Limit))
			if seen[d] {
				continue
			}
			seen[d] = true
			what, paths = append(what, d), append(paths, "GET "+e.Path)
		}
		f := c.Finding(agent.Warn, "Docker API answer too large: "+strings.Join(what, "; ")+
			"; tunneldoctor stopped reading it, and the facts it carried are unknown.")
		f.Fix = c.Fix
		f.Evidence = map[string]string{"too_large": strings.Join(what, "\n"), "requests": strings.Join(paths, "\n"), "docker_host": s.Docker.Host}
		return []agent.Finding{f}
	}
	return c
}
