// Package cfclient fills package cfapi's facts: it reads what tunneldoctor
// needs from the Cloudflare API (token, zones, DNS records, zone settings,
// the tunnel, its connectors and remote configuration), Cloudflare's public
// status page, and what a visitor gets from the edge. Every failure is
// returned as data (cfapi.CallError), never a panic.
//
// It uses cloudflare-go v7's service packages (user, accounts, zones, dns,
// zero_trust), never the root package: that one compiles ~150 services and
// reads CLOUDFLARE_* environment variables behind the caller's back. Only
// the collectors and the command import this package; the checks and the
// reports read cfapi's types, which do not compile cloudflare-go.
package cfclient

import (
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cloudflare/cloudflare-go/v7/accounts"
	"github.com/cloudflare/cloudflare-go/v7/dns"
	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/cloudflare/cloudflare-go/v7/user"
	"github.com/cloudflare/cloudflare-go/v7/zero_trust"
	"github.com/cloudflare/cloudflare-go/v7/zones"
	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
)

// DefaultBaseURL is the production API.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4/"

// DefaultStatusPageURL is Cloudflare's public status page (Atlassian Statuspage).
const DefaultStatusPageURL = "https://www.cloudflarestatus.com"

// Config configures a Client. Zero values get safe defaults.
type Config struct {
	Token cfapi.Token
	// BaseURL of the API; DefaultBaseURL when empty. Tests point it at a
	// local server. Nothing is read from the environment.
	BaseURL string
	// StatusPageURL is the status page's base URL; DefaultStatusPageURL when empty.
	StatusPageURL string
	// HTTP is the client for every call; nil means one with timeouts.
	HTTP   *http.Client
	Logger zerolog.Logger
	// CallTimeout bounds one call including its single retry (default 15 s).
	CallTimeout time.Duration
	// MaxRetryAfter caps how long a 429's Retry-After is waited for before
	// the one retry (default 10 s); a longer one fails the call at once.
	MaxRetryAfter time.Duration
	// RetryBackoff is the wait before retrying a 5xx or a connection error
	// without Retry-After (default 500 ms).
	RetryBackoff time.Duration
	// MaxBody bounds each response body (default 8 MiB).
	MaxBody int64
	// Concurrency bounds calls in flight (default 4).
	Concurrency int
	// TTL says how long each fact is reused from the Cache.
	TTL cfapi.TTLs
}

// Client makes the calls of one collection. It is cheap: build one per run
// around a long-lived Cache, so a re-read token file takes effect at once.
type Client struct {
	cfg      Config
	cache    *cfapi.Cache
	requests atomic.Int64
	cached   atomic.Int64
	http     *http.Client

	userTokens     *user.TokenService
	accountTokens  *accounts.TokenService
	zones          *zones.ZoneService
	settings       *zones.SettingService
	records        *dns.RecordService
	tunnels        *zero_trust.TunnelCloudflaredService
	connections    *zero_trust.TunnelCloudflaredConnectionService
	configurations *zero_trust.TunnelCloudflaredConfigurationService
}

// NewHTTPClient returns an HTTP client with every timeout set.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 20 * time.Second,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 15 * time.Second,
			IdleConnTimeout:       60 * time.Second,
			MaxIdleConnsPerHost:   4,
		},
		// The API never redirects; following one would carry the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// New builds a client. cache may be nil (nothing is reused across runs).
func New(cfg Config, cache *cfapi.Cache) *Client {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	if cfg.StatusPageURL == "" {
		cfg.StatusPageURL = DefaultStatusPageURL
	}
	cfg.StatusPageURL = strings.TrimSuffix(cfg.StatusPageURL, "/")
	if cfg.HTTP == nil {
		cfg.HTTP = NewHTTPClient()
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 15 * time.Second
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 10 * time.Second
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = 500 * time.Millisecond
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 8 << 20
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	cfg.TTL = cfg.TTL.WithDefaults()
	if cache == nil {
		cache = cfapi.NewCache()
	}
	c := &Client{cfg: cfg, cache: cache, http: cfg.HTTP}
	tr := &transport{
		log:           cfg.Logger,
		maxBody:       cfg.MaxBody,
		maxRetryAfter: cfg.MaxRetryAfter,
		retryBackoff:  cfg.RetryBackoff,
		requests:      &c.requests,
		onRateLimit:   cache.RateLimited,
		onRecovered:   cache.Unblock,
	}
	opts := []option.RequestOption{
		option.WithBaseURL(cfg.BaseURL),
		option.WithHTTPClient(cfg.HTTP),
		option.WithAPIToken(cfg.Token.Reveal()),
		option.WithMaxRetries(0), // the middleware does the one retry
		option.WithHeader("User-Agent", "tunneldoctor"),
		option.WithMiddleware(tr.middleware()),
	}
	c.userTokens = user.NewTokenService(opts...)
	c.accountTokens = accounts.NewTokenService(opts...)
	c.zones = zones.NewZoneService(opts...)
	c.settings = zones.NewSettingService(opts...)
	c.records = dns.NewRecordService(opts...)
	c.tunnels = zero_trust.NewTunnelCloudflaredService(opts...)
	c.connections = zero_trust.NewTunnelCloudflaredConnectionService(opts...)
	c.configurations = zero_trust.NewTunnelCloudflaredConfigurationService(opts...)
	return c
}

// Requests is the number of HTTP requests this client sent (retries count).
func (c *Client) Requests() int { return int(c.requests.Load()) }

// HasToken reports whether the client has a token to call the API with.
func (c *Client) HasToken() bool { return !c.cfg.Token.Empty() }
