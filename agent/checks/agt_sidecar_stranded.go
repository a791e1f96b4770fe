package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// agtSidecarStranded: the sidecar joined cloudflared's network namespace,
// and cloudflared was restarted or re-created since: tunneldoctor is left in
// the old namespace and sees nothing cloudflared sees (not even the Docker
// API through a socket proxy).
func agtSidecarStranded() agent.Check {
	c := agent.Check{
		Code:     "AGT104",
		Title:    "Sidecar stranded in cloudflared's old network namespace",
		Hop:      agent.HopNetwork,
		Severity: agent.Error,
		Explain: "With network_mode: service:cloudflared (container:cloudflared) tunneldoctor joins cloudflared's " +
			"network namespace once, when it starts. `docker restart cloudflared`, `docker compose restart " +
			"cloudflared`, or re-creating cloudflared alone (docker-compose v1, `up --no-deps`) gives cloudflared a " +
			"new namespace and leaves tunneldoctor in the old one, with no network: every probe, the metrics server " +
			"and a socket proxy are out of reach, and its verdicts would be wrong. docker compose v2 re-creates the " +
			"containers that use `network_mode: service:cloudflared` itself when `up` re-creates cloudflared; a " +
			"restart does not.",
		Fix: "Re-create tunneldoctor so it joins cloudflared's current namespace: `docker compose up -d --force-recreate tunneldoctor` " +
			"(docker-compose v1: `docker-compose up -d --force-recreate tunneldoctor`; without compose: `docker rm -f` it and " +
			"`docker run` it again with `--network container:CLOUDFLARED`).",
	}
	c.Run = func(s *agent.Snapshot) []agent.Finding {
		why := s.Stranded()
		if why == "" {
			return nil
		}
		sc := s.Sidecar
		f := c.Finding(agent.Error, "tunneldoctor is stranded in cloudflared's old network namespace: "+why+
			". Until it is re-created it cannot see what cloudflared sees; its other verdicts are held.")
		f.Fix = strandedFix(sc)
		f.Evidence = map[string]string{"reason": why}
		if sc.Container != "" {
			f.Evidence["tunneldoctor"] = sc.Container
		}
		return []agent.Finding{f}
	}
	return c
}

// strandedFix is the exact recovery for this setup: compose's service, or
// the container for plain docker.
func strandedFix(sc agent.SidecarFacts) string {
	service := sc.Service
	if sc.Project == "" && sc.Container != "" {
		return fmt.Sprintf("Re-create %s so it joins cloudflared's current network namespace: `docker rm -f %s`, then the same "+
			"`docker run` again (with `--network container:CLOUDFLARED`). A `docker restart %s` also re-joins, by name, only if "+
			"it was started with `--network container:NAME`.", sc.Container, sc.Container, sc.Container)
	}
	if service == "" {
		service = "tunneldoctor"
	}
	return fmt.Sprintf("Re-create the sidecar so it joins cloudflared's current network namespace:\n"+
		"  docker compose up -d --force-recreate %[1]s\n"+
		"(docker-compose v1: `docker-compose up -d --force-recreate %[1]s`). docker compose v2 does this itself when `up` "+
		"re-creates cloudflared; after `docker restart cloudflared` or `docker compose restart cloudflared` it must be done by hand.", service)
}
