package agent

import (
	"context"
	"errors"
	"time"

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
	// Client is the live read-only connection, for later collectors
	// (cloudflared's logs). Checks never use it.
	Client DockerClient `json:"-"`
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
	// unwell, by container ID; LogErrors says why a read failed.
	Logs      map[string][]string `json:"logs,omitempty"`
	LogErrors map[string]string   `json:"log_errors,omitempty"`
	// Memory holds a memory sample of unwell origins with a limit.
	Memory map[string]dockernet.Memory `json:"memory,omitempty"`

	// Calls counts the Docker API requests of this run.
	Calls int `json:"calls"`
	// callsBefore is the client's count when the run started (watch mode
	// lends one client to every run).
	callsBefore int
	// Unknown lists facts Docker did not give (refused by a socket proxy,
	// failed calls): verdicts that need them are not made.
	Unknown []string `json:"unknown,omitempty"`
}

// DockerClient is the live, read-only Docker connection the collectors use;
// dockerapi.Client is the real one.
type DockerClient interface {
	dockernet.Engine
	// Host is the daemon address in use; Calls the requests made so far.
	Host() string
	Calls() int
	Close() error
	// Ping checks the daemon answers and returns the negotiated API version.
	Ping(ctx context.Context) (string, error)
	Info(ctx context.Context) (dockernet.EngineInfo, error)
	// Logs and Memory are dockernet.ReadLogs and ReadMemory over the client.
	Logs(ctx context.Context, id string, tail, maxBytes int) ([]string, error)
	Memory(ctx context.Context, id string) (dockernet.Memory, error)
}

// Dial makes a client for Host with Dialer.
func (o DockerOptions) Dial() (DockerClient, error) {
	if o.Dialer == nil {
		return nil, errors.New("no Docker client: DockerOptions.Dialer is not set")
	}
	c, err := o.Dialer(o.Host)
	if err != nil {
		return nil, err // never a typed nil client
	}
	return c, nil
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

// DockerOptions configures the Docker collector.
type DockerOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
	// Host is the Docker API address (--docker-host); "" means DOCKER_HOST,
	// else the default socket.
	Host string
	// Cloudflared names the cloudflared container (--cloudflared NAME|ID).
	Cloudflared string
	// Client reuses a Docker client across runs (watch mode); nil means a
	// new one from Host, made by Dialer.
	Client DockerClient
	// Dialer makes the client for Host when Client is nil: dockerapi.Dial,
	// which cmd/tunneldoctor passes in. It is a field rather than an import
	// so that this package, and the ones that only read snapshots
	// (agent/checks, agent/report), do not compile the Docker client. nil
	// (with no Client) fails the Docker collector with a clear message.
	Dialer func(host string) (DockerClient, error)
	// SelfHints replaces the clues read from /proc and the hostname about
	// tunneldoctor's own container (tests); nil means read them.
	SelfHints []dockernet.Hint
	// Timeout bounds all Docker calls of one run; 0 means 20s.
	Timeout time.Duration
	// LogLines is how many log lines of an unwell origin to quote; 0 means
	// 10, negative means none.
	LogLines int
}
