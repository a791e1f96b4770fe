package agent

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// EdgeFacts is what Cloudflare knows and what a visitor gets: the API's facts
// (token, zones, DNS, zone settings, the tunnel and its connectors, its
// remote configuration), the status page, and the outside-in probe.
type EdgeFacts struct {
	Gap
	// API is never nil once the source is collected; what it could not
	// read says why in API.Skipped and the *Err fields.
	API *cfapi.Facts `json:"api,omitempty"`
	// TokenSourceError is set when the token file could not be read.
	TokenSourceError string `json:"token_source_error,omitempty"`
	// IDSource says where the account and tunnel ids came from.
	IDSource string `json:"id_source,omitempty"`
	// Public holds the outside-in probe's results; PublicSkipped why it
	// did not run ("" when it ran).
	Public        []cfapi.PublicResult `json:"public,omitempty"`
	PublicSkipped string               `json:"public_skipped,omitempty"`
}

// ProxyReadTimeout returns the proxy read timeout of the zone that serves
// hostname, and whether the zone setting was read (else the default applies).
func (e EdgeFacts) ProxyReadTimeout(hostname string) (time.Duration, bool) {
	if e.API == nil {
		return cfapi.DefaultProxyReadTimeout, false
	}
	z := e.API.ZoneFor(hostname)
	if z == nil || !z.Settings.ProxyReadTimeout.Read {
		return cfapi.DefaultProxyReadTimeout, false
	}
	secs, err := strconv.ParseFloat(z.Settings.ProxyReadTimeout.Value, 64)
	if err != nil || secs <= 0 {
		return cfapi.DefaultProxyReadTimeout, false
	}
	return time.Duration(secs * float64(time.Second)), true
}

// Public probe modes (--public-probe).
const (
	PublicProbeAuto = "auto" // always tried; reported only when something answered (or the API did)
	PublicProbeOn   = "on"
	PublicProbeOff  = "off"
)

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
