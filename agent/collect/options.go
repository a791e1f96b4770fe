package collect

import (
	"net"
	"net/http"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Options configures one collection. Each fact source has its own section,
// defined beside its collector.
type Options struct {
	Logger zerolog.Logger
	// HTTP is the client for cloudflared's metrics server and other local
	// HTTP reads; nil means a default with timeouts.
	HTTP        *http.Client
	Ingress     IngressOptions
	Docker      DockerOptions
	Cloudflared CloudflaredOptions
	Probes      ProbeOptions
	Edge        EdgeOptions
	// Redactor is the run's redactor: the collectors add every secret they
	// find (container env values, cloudflared's secret flags, the API
	// token) and redact what they keep with it, and the caller's outputs
	// use it afterwards. nil means a fresh one for the run.
	Redactor *redact.Redactor
}

// CloudflaredOptions configures the cloudflared collector.
type CloudflaredOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
	// Metrics is cloudflared's metrics server address (--metrics, env
	// TUNNELDOCTOR_METRICS); it wins over discovery and is the way to reach
	// a cloudflared installed on a host without Docker.
	Metrics string
	// LocalAddrs are where a cloudflared installed on this host (or one
	// whose namespace tunneldoctor shares without a Docker socket) is looked
	// for when no cloudflared container was found and Metrics is empty: nil
	// means cloudflared's default ports on 127.0.0.1, empty means nowhere.
	LocalAddrs []string
	// LogLines is how many of cloudflared's last log lines to read (0 means
	// 300, negative none); LogBytes bounds them (0 means 256 KiB).
	LogLines int
	LogBytes int
	// Timeout bounds each metrics request (0 means 3s).
	Timeout time.Duration
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
	// new one from Host.
	Client *dockerapi.Client
	// SelfHints replaces the clues read from /proc and the hostname about
	// tunneldoctor's own container (tests); nil means read them.
	SelfHints []dockernet.Hint
	// Timeout bounds all Docker calls of one run; 0 means 20s.
	Timeout time.Duration
	// LogLines is how many log lines of an unwell origin to quote; 0 means
	// 10, negative means none.
	LogLines int
}

// EdgeOptions configures the edge collector.
type EdgeOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
	// Token returns the API token; it is called every run, so a rotated
	// Docker secret file is picked up. nil or "" means no token.
	Token func() (cfapi.Token, error)
	// BaseURL and StatusPageURL override Cloudflare's (tests, proxies).
	BaseURL       string
	StatusPageURL string
	// AccountID and TunnelID override what discovery found.
	AccountID string
	TunnelID  string
	// Zones restricts the zone lookup to these names (--zone).
	Zones        []string
	NoStatusPage bool
	// PublicProbe is one of the PublicProbe* modes ("" means auto).
	PublicProbe string
	Public      cfapi.PublicOptions
	// Cache keeps API facts across runs; the watch loop shares one. nil
	// means nothing is reused beyond this run.
	Cache *cfapi.Cache
	// HTTP is the API's HTTP client; nil means cfclient's default.
	HTTP *http.Client
	TTL  cfapi.TTLs
	// CallTimeout bounds each API call (0: cfclient's default).
	CallTimeout time.Duration
}

// ProbeOptions configures the probes collector.
type ProbeOptions struct {
	// Disabled skips the source; the reason is shown in the report.
	Disabled string
	// MaxTime bounds one probe (--probe-timeout); Concurrency bounds how
	// many run at once (--probe-concurrency). Zero takes probe's defaults.
	MaxTime     time.Duration
	Concurrency int
	// Prober runs the probes of each run; nil probes every origin now and
	// waits for all of them (one-shot `check`). Watch mode passes one that
	// does not let a slow origin hold back the verdict on the others.
	Prober Prober
	// Resolver looks up the origins' names; nil means the system's (what
	// cloudflared beside tunneldoctor uses).
	Resolver *net.Resolver
	// Anywhere probes even when cloudflared was not found (--probe-anywhere).
	// By default a run that found neither cloudflared's container nor its
	// metrics server does not probe: from an unknown vantage point a
	// failure says nothing about what cloudflared sees, and names such as
	// `web` would be looked up in this machine's DNS.
	Anywhere bool
}

// Public probe modes (--public-probe).
const (
	PublicProbeAuto = "auto" // always tried; reported only when something answered (or the API did)
	PublicProbeOn   = "on"
	PublicProbeOff  = "off"
)
