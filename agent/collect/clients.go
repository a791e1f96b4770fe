package collect

import (
	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfclient"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// clients are one run's live connections. They sit beside the Snapshot,
// never in it: checks and reports read facts, not clients.
type clients struct {
	// docker is nil until the Docker collector connected.
	docker *dockerapi.Client
	// lent is true when the caller owns docker (watch mode reuses one
	// client across runs), so the run must not close it.
	lent bool
	// callsBefore is docker's request count when the run started.
	callsBefore int

	// edge is the run's Cloudflare API client, built once: the ingress
	// collector (remote configuration) and the edge collector share it.
	edge *cfclient.Client
	// edgeTokenErr says why the API token could not be read, "" if it was.
	edgeTokenErr string

	// redactor is the run's (Options.Redactor or a new one).
	redactor *redact.Redactor
}

// countDockerCalls updates the facts with the Docker requests of this run so
// far.
func (cl *clients) countDockerCalls(d *agent.DockerFacts) {
	if cl.docker != nil {
		d.Calls = cl.docker.Calls() - cl.callsBefore
		d.TooLarge = cl.docker.TooLarge(cl.callsBefore)
	}
}

// close releases the run's Docker connection unless the caller lent it.
func (cl *clients) close() {
	if cl.docker != nil && !cl.lent {
		_ = cl.docker.Close()
	}
}
