// Package cfapi holds what tunneldoctor knows about the Cloudflare side of a
// tunnel: the facts read from the Cloudflare API and the status page (Facts),
// what a visitor gets from the edge (PublicResult), failed calls kept as data
// (CallError), and the cache they are reused from across runs. The checks and
// the reports read these types only.
//
// The client that fills them, built on cloudflare-go, is package
// agent/cfapi/cfclient; this package must not import it, nor cloudflare-go
// (imports_test.go keeps it so), so that the checks and the reports do not
// compile the API client.
package cfapi

import (
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Facts is everything one collection learned from the Cloudflare API and the
// status page. A nil section with its error set means the call failed; a nil
// section without an error means it was not attempted (see Skipped).
type Facts struct {
	AccountID string `json:"account_id,omitempty"`
	TunnelID  string `json:"tunnel_id,omitempty"`

	Token    *TokenStatus `json:"token,omitempty"`
	TokenErr *CallError   `json:"token_error,omitempty"`

	// Zones are the zones the token can see (in the account, when known).
	Zones    []Zone     `json:"zones,omitempty"`
	ZonesErr *CallError `json:"zones_error,omitempty"`
	// ZonesListed is true when the zone list was read (possibly empty).
	ZonesListed bool `json:"zones_listed"`
	// ZonesTruncated is true when the listing stopped at its page limit
	// (thousands of zones): a hostname without a zone then proves nothing.
	ZonesTruncated bool `json:"zones_truncated,omitempty"`
	// ZoneFilter is the --zone names the listing was restricted to.
	ZoneFilter []string `json:"zone_filter,omitempty"`

	// Hostnames are the ingress hostnames looked up (lower case, ASCII).
	Hostnames []string `json:"hostnames,omitempty"`

	Tunnel        *Tunnel     `json:"tunnel,omitempty"`
	TunnelErr     *CallError  `json:"tunnel_error,omitempty"`
	Connectors    []Connector `json:"connectors,omitempty"`
	ConnectorsErr *CallError  `json:"connectors_error,omitempty"`
	// ConnectorsRead is true when the connections list was read.
	ConnectorsRead bool `json:"connectors_read"`

	// RemoteConfig is the tunnel's dashboard configuration, fetched for
	// remotely managed tunnels (config_src "cloudflare").
	RemoteConfig    *tunnelcfg.Config `json:"remote_config,omitempty"`
	RemoteConfigErr *CallError        `json:"remote_config_error,omitempty"`

	// OtherTunnels are tunnels that DNS records point to, other than ours,
	// looked up to tell a stale CNAME to a deleted tunnel from one to a live one.
	OtherTunnels map[string]OtherTunnel `json:"other_tunnels,omitempty"`

	Incidents []Incident `json:"incidents,omitempty"`
	// IncidentsErr is why the status page could not be read ("" when read).
	IncidentsErr string `json:"incidents_error,omitempty"`
	// IncidentsRead is true when the status page was read.
	IncidentsRead bool `json:"incidents_read"`

	// Skipped says which API facts were not attempted and why (no token, no
	// account id...), keyed by endpoint.
	Skipped map[string]string `json:"skipped,omitempty"`
	// Requests counts the HTTP requests this collection sent (cache hits are
	// free); Cached counts the facts served from the cache.
	Requests int `json:"requests"`
	Cached   int `json:"cached"`
}

// Reasons recorded in Facts.Skipped.
const (
	SkipNoToken      = "no API token (set CLOUDFLARE_API_TOKEN or CLOUDFLARE_API_TOKEN_FILE)"
	SkipTokenRefused = "the API token was refused"
	SkipAPIDown      = "the API could not be reached"
	SkipNoAccount    = "the account id is unknown (pass --account-id, or let tunneldoctor read cloudflared's token)"
	SkipNoTunnel     = "the tunnel id is unknown (pass --tunnel-id, or let tunneldoctor read cloudflared's token)"
	SkipLocalConfig  = "the tunnel is managed by a local config file (config_src local)"
)

// TokenStatus is the verified token's state.
type TokenStatus struct {
	// Owner is "user" or "account": which verify endpoint accepted it.
	Owner     string    `json:"owner"`
	ID        string    `json:"id"`
	Status    string    `json:"status"` // active | disabled | expired
	ExpiresOn time.Time `json:"expires_on,omitzero"`
	NotBefore time.Time `json:"not_before,omitzero"`
}

// Zone is one zone with the records and settings tunneldoctor needs.
type Zone struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Status      string   `json:"status"` // initializing | pending | active | moved
	Paused      bool     `json:"paused"`
	Type        string   `json:"type,omitempty"`
	AccountID   string   `json:"account_id,omitempty"`
	NameServers []string `json:"name_servers,omitempty"`

	// Records are the A, AAAA and CNAME records that matter: at an ingress
	// hostname, a wildcard covering one, or pointing at any tunnel.
	Records    []Record   `json:"records,omitempty"`
	RecordsErr *CallError `json:"records_error,omitempty"`
	// RecordsRead is true when the listing completed; Truncated when it
	// stopped at the page limit (then "no record" cannot be concluded).
	RecordsRead bool `json:"records_read"`
	Truncated   bool `json:"truncated,omitempty"`

	Settings ZoneSettings `json:"settings"`
}

// Record is one DNS record.
type Record struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Content string `json:"content"`
	Proxied bool   `json:"proxied"`
}

// TunnelTarget is the suffix of a tunnel route's CNAME target.
const TunnelTarget = ".cfargotunnel.com"

// TunnelOf returns the tunnel id a CNAME content points to, or "".
func (r Record) TunnelOf() string {
	c := strings.TrimSuffix(strings.ToLower(r.Content), ".")
	if r.Type != "CNAME" || !strings.HasSuffix(c, TunnelTarget) {
		return ""
	}
	return strings.TrimSuffix(c, TunnelTarget)
}

// Setting is one zone setting's value as text ("on", "off", "100"). Err is
// set when it could not be read; Read is false when not attempted.
type Setting struct {
	Value    string     `json:"value,omitempty"`
	Editable bool       `json:"editable,omitempty"`
	Read     bool       `json:"read"`
	Err      *CallError `json:"error,omitempty"`
	// TimeRemaining is development mode's seconds left, when reported.
	TimeRemaining float64 `json:"time_remaining,omitempty"`
}

// ZoneSettings are the settings that change what a visitor sees on errors.
type ZoneSettings struct {
	ProxyReadTimeout        Setting `json:"proxy_read_timeout"`
	AlwaysOnline            Setting `json:"always_online"`
	DevelopmentMode         Setting `json:"development_mode"`
	OriginErrorPagePassThru Setting `json:"origin_error_page_pass_thru"`
}

// Setting ids, as the API names them.
const (
	SettingProxyReadTimeout        = "proxy_read_timeout"
	SettingAlwaysOnline            = "always_online"
	SettingDevelopmentMode         = "development_mode"
	SettingOriginErrorPagePassThru = "origin_error_page_pass_thru"
)

// DefaultProxyReadTimeout is Cloudflare's proxy read timeout when the zone
// does not say otherwise: after it, visitors get a 524. Cloudflare documents
// 125 s since July 2026 (it was 100 s, then 120 s).
const DefaultProxyReadTimeout = 125 * time.Second

// Tunnel is the API's view of the tunnel.
type Tunnel struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Status          string    `json:"status"` // inactive | degraded | healthy | down
	ConfigSrc       string    `json:"config_src,omitempty"`
	TunType         string    `json:"tun_type,omitempty"`
	CreatedAt       time.Time `json:"created_at,omitzero"`
	DeletedAt       time.Time `json:"deleted_at,omitzero"`
	ConnsActiveAt   time.Time `json:"conns_active_at,omitzero"`
	ConnsInactiveAt time.Time `json:"conns_inactive_at,omitzero"`
}

// Deleted reports whether the tunnel was deleted.
func (t Tunnel) Deleted() bool { return !t.DeletedAt.IsZero() }

// RemotelyManaged reports whether the dashboard holds the ingress.
func (t Tunnel) RemotelyManaged() bool {
	return t.ConfigSrc == "cloudflare"
}

// Connector is one running cloudflared (replica) and its edge connections.
type Connector struct {
	ID            string       `json:"id"`
	Version       string       `json:"version,omitempty"`
	Arch          string       `json:"arch,omitempty"`
	ConfigVersion int64        `json:"config_version"`
	RunAt         time.Time    `json:"run_at,omitzero"`
	Conns         []Connection `json:"conns,omitempty"`
}

// Connection is one edge connection of a connector.
type Connection struct {
	ColoName           string    `json:"colo_name"`
	OriginIP           string    `json:"origin_ip,omitempty"`
	OpenedAt           time.Time `json:"opened_at,omitzero"`
	IsPendingReconnect bool      `json:"is_pending_reconnect,omitempty"`
}

// OtherTunnel is what the API says about a tunnel a DNS record points to.
type OtherTunnel struct {
	Name    string     `json:"name,omitempty"`
	Found   bool       `json:"found"`
	Deleted bool       `json:"deleted"`
	Status  string     `json:"status,omitempty"`
	Err     *CallError `json:"error,omitempty"`
}

// Incident is one unresolved incident on Cloudflare's status page.
type Incident struct {
	Name       string    `json:"name"`
	Status     string    `json:"status"` // investigating | identified | monitoring
	Impact     string    `json:"impact"` // none | minor | major | critical | maintenance
	Shortlink  string    `json:"shortlink,omitempty"`
	CreatedAt  time.Time `json:"created_at,omitzero"`
	Components []string  `json:"components,omitempty"`
}

// ZoneFor returns the zone with the longest name that covers the hostname
// (wildcards are looked up by their base), or nil.
func (f *Facts) ZoneFor(hostname string) *Zone {
	host := strings.TrimPrefix(NormalizeHost(hostname), "*.")
	var best *Zone
	for i := range f.Zones {
		z := &f.Zones[i]
		name := strings.ToLower(z.Name)
		if host == name || strings.HasSuffix(host, "."+name) {
			if best == nil || len(name) > len(best.Name) {
				best = z
			}
		}
	}
	return best
}

// RecordsAt returns the zone's records whose name is exactly host.
func (z *Zone) RecordsAt(host string) []Record {
	host = NormalizeHost(host)
	var out []Record
	for _, r := range z.Records {
		if NormalizeHost(r.Name) == host {
			out = append(out, r)
		}
	}
	return out
}

// Covering returns the records that answer for host in DNS: those at the
// exact name, else those of the closest wildcard ("*.example.com" answers
// for "a.example.com" and "b.a.example.com" when nothing closer exists).
func (z *Zone) Covering(host string) []Record {
	if rs := z.RecordsAt(host); len(rs) > 0 {
		return rs
	}
	host = NormalizeHost(host)
	zone := strings.ToLower(z.Name)
	for h := host; h != zone && strings.Contains(h, "."); {
		_, parent, _ := strings.Cut(h, ".")
		if rs := z.RecordsAt("*." + parent); len(rs) > 0 {
			return rs
		}
		h = parent
	}
	return nil
}
