package agent

import (
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// DockerFacts is what the Docker collector found: the host's topology, which
// container is cloudflared, and where tunneldoctor itself runs.
type DockerFacts struct {
	Gap
	// Failure is set when Docker was expected but could not be read (as
	// opposed to being switched off); Missing then holds the same text.
	Failure string `json:"failure,omitempty"`
	// Host is the Docker API address used; APIVersion the negotiated one.
	Host       string `json:"host"`
	APIVersion string `json:"api_version,omitempty"`
	// Engine describes the daemon (Desktop, rootless, Podman); nil when
	// /info could not be read.
	Engine *dockernet.EngineInfo `json:"engine,omitempty"`

	Topology *dockernet.Topology `json:"topology,omitempty"`
	// Cloudflared is the cloudflared container, nil when discovery could
	// not decide (Discovery says why).
	Cloudflared *dockernet.Container `json:"cloudflared,omitempty"`
	Discovery   Discovery            `json:"discovery"`
	// Self is tunneldoctor's own container, nil when it runs on the host or
	// cannot tell.
	Self *dockernet.Container `json:"self,omitempty"`
	// SharesNamespace is true when tunneldoctor runs in cloudflared's
	// network namespace: probes then see exactly what cloudflared sees.
	SharesNamespace bool `json:"shares_namespace"`
	// Settings is cloudflared's command line and environment, parsed.
	Settings *tunnelcfg.Settings `json:"settings,omitempty"`

	// Logs holds the last lines (redacted) of origin containers that look
	// unwell, or that refused a probe while running, by container ID;
	// LogErrors says why a read failed.
	Logs      map[string][]string `json:"logs,omitempty"`
	LogErrors map[string]string   `json:"log_errors,omitempty"`
	// Memory holds a memory sample of unwell origins with a limit.
	Memory map[string]dockernet.Memory `json:"memory,omitempty"`

	// Calls counts the Docker API requests of this run.
	Calls int `json:"calls"`
	// TooLarge lists the answers of this run that exceeded their size bound
	// (and an oversized event of the last minutes): tunneldoctor stopped
	// reading them rather than hold them in memory.
	TooLarge []dockernet.TooLargeError `json:"too_large,omitempty"`
	// Unknown lists facts Docker did not give (refused by a socket proxy,
	// failed calls): verdicts that need them are not made.
	Unknown []string `json:"unknown,omitempty"`

	// HostAddrs are the host's own addresses, read in host mode (cloudflared
	// installed on the host) when tunneldoctor shares the host's network
	// namespace: a rule dialing one of them reaches the ports containers
	// publish there.
	HostAddrs []string `json:"host_addrs,omitempty"`
}

// Discovery says how cloudflared was chosen, or why it could not be.
type Discovery struct {
	// How: "shares its network namespace", "--cloudflared", "the only
	// cloudflared container".
	How string `json:"how,omitempty"`
	// Error is set when no single cloudflared container was found.
	Error string `json:"error,omitempty"`
	// Candidates lists the cloudflared-looking containers ("name (image,
	// state)") when there were several or the named one was not found.
	Candidates []string `json:"candidates,omitempty"`
	// Note adds context: e.g. --cloudflared named a different container
	// than the one whose namespace tunneldoctor shares.
	Note string `json:"note,omitempty"`
}
