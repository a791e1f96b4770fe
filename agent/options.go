package agent

import (
	"net/http"

	"github.com/rs/zerolog"
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
}
