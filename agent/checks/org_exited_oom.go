package checks

import (
	"fmt"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// oomKilled reports whether a stopped container died of its memory limit:
// Docker recorded OOMKilled, or it died of SIGKILL (137) under a limit (the
// flag is sometimes lost, see ORG003).
func oomKilled(c *dockernet.Container) bool {
	return !c.Running() && (c.OOMKilled || (c.ExitCode == 137 && c.MemoryLimit > 0))
}

// oomExitFix is ORG001's fix for an origin the kernel killed for memory:
// starting it again would only repeat the kill, so the fix is the limit (or
// the leak), and a restart policy so the next kill does not leave it down.
func oomExitFix(c *dockernet.Container) string {
	limit := "no memory limit of its own: the host ran out"
	if c.MemoryLimit > 0 {
		limit = "its memory limit is " + mib(c.MemoryLimit)
	}
	if !composeManaged(c) {
		// Started with docker run: docker update changes the limit of the
		// existing container, so the start that follows does not repeat
		// the kill (--memory-swap too: it may not be below --memory).
		want := suggestedLimit(c.MemoryLimit)
		return fmt.Sprintf("It was killed for running out of memory (%s): starting it as it is would repeat the kill.\n"+
			"Raise its memory limit, keep it restarting, then start it:\n"+
			"docker update --memory %s --memory-swap %s --restart unless-stopped %s\n"+
			"docker start %s\n"+
			"(or --memory %s --restart unless-stopped on its docker run). Or fix the leak (%s shows what it was doing).",
			limit, want, want, c.Name, c.Name, want, logsHint(c))
	}
	svc := composeName(c)
	return fmt.Sprintf("It was killed for running out of memory (%s): starting it again would repeat the kill.\n"+
		"Raise its memory limit in compose, then re-create it (docker compose up -d %s, or docker-compose up -d %s):\n"+
		"services:\n  %s:\n    mem_limit: %s          # Compose v1 file format 2.x\n    restart: unless-stopped\n"+
		"or, with the Compose file format 3 / docker compose:\n"+
		"services:\n  %s:\n    deploy:\n      resources:\n        limits:\n          memory: %s\n    restart: unless-stopped\n"+
		"Or fix the leak (%s shows what it was doing).",
		limit, svc, svc, svc, suggestedLimit(c.MemoryLimit), svc, suggestedLimit(c.MemoryLimit), logsHint(c))
}
