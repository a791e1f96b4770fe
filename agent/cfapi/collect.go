package cfapi

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Request says what to look up.
type Request struct {
	AccountID string
	TunnelID  string
	// Hostnames are the ingress rules' hostnames (wildcards allowed).
	Hostnames []string
	// Zones restricts the zone listing to these names (--zone); empty lists
	// every zone of the account.
	Zones []string
	// StatusPage reads Cloudflare's status page for unresolved incidents.
	StatusPage bool
}

// maxOtherTunnels bounds the lookups of foreign tunnels DNS points to.
const maxOtherTunnels = 5

// Reasons recorded in Facts.Skipped.
const (
	SkipNoToken      = "no API token (set CLOUDFLARE_API_TOKEN or CLOUDFLARE_API_TOKEN_FILE)"
	SkipTokenRefused = "the API token was refused"
	SkipAPIDown      = "the API could not be reached"
	SkipNoAccount    = "the account id is unknown (pass --account-id, or let tunneldoctor read cloudflared's token)"
	SkipNoTunnel     = "the tunnel id is unknown (pass --tunnel-id, or let tunneldoctor read cloudflared's token)"
	SkipLocalConfig  = "the tunnel is managed by a local config file (config_src local)"
)

// Collect gathers the API facts with a small, bounded number of calls; see
// TTLs for what the cache saves across runs. It never fails: every problem
// is recorded in the returned Facts.
func (c *Client) Collect(ctx context.Context, req Request) *Facts {
	f := &Facts{AccountID: strings.ToLower(req.AccountID), TunnelID: strings.ToLower(req.TunnelID), Skipped: map[string]string{}}
	f.Hostnames = normalizeHosts(req.Hostnames)
	for _, z := range req.Zones {
		if z = NormalizeHost(z); z != "" {
			f.ZoneFilter = append(f.ZoneFilter, z)
		}
	}
	var wg sync.WaitGroup
	if req.StatusPage {
		wg.Add(1)
		go func() { defer wg.Done(); c.collectStatusPage(ctx, f) }()
	}
	defer func() {
		wg.Wait()
		f.Requests, f.Cached = c.Requests(), int(c.cached.Load())
	}()

	if !c.HasToken() {
		f.skipAll(SkipNoToken)
		return f
	}
	f.Token, f.TokenErr = cached(c, "verify|"+f.AccountID, c.cfg.TTL.Token, EndpointUserVerify, "", func() (*TokenStatus, *CallError) {
		return c.verifyToken(ctx, f.AccountID)
	})
	switch {
	case f.TokenErr != nil && f.TokenErr.Kind == KindAuth:
		f.skipAll(SkipTokenRefused)
		return f
	case f.TokenErr != nil && (f.TokenErr.Kind == KindNetwork || f.TokenErr.Kind == KindTimeout || f.TokenErr.Kind == KindRateLimited):
		f.skipAll(SkipAPIDown + ": " + f.TokenErr.Message)
		return f
	case f.Token != nil && f.Token.Status != "" && f.Token.Status != "active":
		f.skipAll(SkipTokenRefused + " (status " + f.Token.Status + ")")
		return f
	}

	// The tunnel and the zones are read side by side; each notes what it
	// skipped in its own map (no shared writes).
	tunnelSkips, zoneSkips := map[string]string{}, map[string]string{}
	var inner sync.WaitGroup
	inner.Add(2)
	go func() { defer inner.Done(); c.collectTunnel(ctx, f, tunnelSkips) }()
	go func() { defer inner.Done(); c.collectZones(ctx, f, zoneSkips) }()
	inner.Wait()
	for _, m := range []map[string]string{tunnelSkips, zoneSkips} {
		for k, v := range m {
			f.Skipped[k] = v
		}
	}
	c.collectOtherTunnels(ctx, f)
	return f
}

func (f *Facts) skipAll(why string) {
	for _, e := range []string{EndpointZones, EndpointDNSRecords, EndpointZoneSetting, EndpointTunnel, EndpointConnections, EndpointConfiguration} {
		f.Skipped[e] = why
	}
}

// RemoteConfig returns the tunnel's dashboard configuration through the
// cache: the ingress collector asks for it when cloudflared's /config and
// the local file are both unavailable, and Collect then reuses it.
func (c *Client) RemoteConfig(ctx context.Context, account, tunnel string) (*tunnelcfg.Config, *CallError) {
	account, tunnel = strings.ToLower(account), strings.ToLower(tunnel)
	if !ValidAccountID(account) || !ValidTunnelID(tunnel) {
		return nil, &CallError{Endpoint: EndpointConfiguration, Subject: tunnel, Kind: KindNotFound, Permission: PermTunnelRead,
			Message: "account id or tunnel id missing or malformed; not called"}
	}
	if !c.HasToken() {
		return nil, &CallError{Endpoint: EndpointConfiguration, Subject: tunnel, Kind: KindAuth, Permission: PermTunnelRead, Message: SkipNoToken}
	}
	return cached(c, "config|"+account+"|"+tunnel, c.cfg.TTL.Tunnel, EndpointConfiguration, tunnel, func() (*tunnelcfg.Config, *CallError) {
		return c.remoteConfig(ctx, account, tunnel)
	})
}

func (c *Client) collectTunnel(ctx context.Context, f *Facts, skip map[string]string) {
	switch {
	case f.AccountID == "":
		skipTunnel(skip, SkipNoAccount)
		return
	case !ValidAccountID(f.AccountID):
		skipTunnel(skip, "the account id "+quote(f.AccountID)+" is not 32 hex digits")
		return
	case f.TunnelID == "":
		skipTunnel(skip, SkipNoTunnel)
		return
	case !ValidTunnelID(f.TunnelID):
		skipTunnel(skip, "the tunnel id "+quote(f.TunnelID)+" is not a UUID")
		return
	}
	key := f.AccountID + "|" + f.TunnelID
	f.Tunnel, f.TunnelErr = cached(c, "tunnel|"+key, c.cfg.TTL.Tunnel, EndpointTunnel, f.TunnelID, func() (*Tunnel, *CallError) {
		return c.tunnel(ctx, f.AccountID, f.TunnelID)
	})
	if f.TunnelErr != nil && f.TunnelErr.Kind == KindNotFound {
		// The tunnel does not exist in this account: nothing more to read.
		skip[EndpointConnections] = "the tunnel was not found"
		skip[EndpointConfiguration] = "the tunnel was not found"
		return
	}
	f.Connectors, f.ConnectorsErr = cached(c, "conns|"+key, c.cfg.TTL.Tunnel, EndpointConnections, f.TunnelID, func() ([]Connector, *CallError) {
		return c.connectors(ctx, f.AccountID, f.TunnelID)
	})
	f.ConnectorsRead = f.ConnectorsErr == nil
	if f.Tunnel != nil && !f.Tunnel.RemotelyManaged() {
		skip[EndpointConfiguration] = SkipLocalConfig
		return
	}
	f.RemoteConfig, f.RemoteConfigErr = c.RemoteConfig(ctx, f.AccountID, f.TunnelID)
}

func skipTunnel(skip map[string]string, why string) {
	for _, e := range []string{EndpointTunnel, EndpointConnections, EndpointConfiguration} {
		skip[e] = why
	}
}

func (c *Client) collectZones(ctx context.Context, f *Facts, skip map[string]string) {
	account := f.AccountID
	if !ValidAccountID(account) {
		account = ""
	}
	names := f.ZoneFilter
	if len(names) == 0 {
		names = []string{""}
	}
	for _, name := range names {
		zs, err := cached(c, "zones|"+account+"|"+name, c.cfg.TTL.Zones, EndpointZones, name, func() (zoneListing, *CallError) {
			return c.listZones(ctx, account, name)
		})
		if err != nil {
			f.ZonesErr = err
			skip[EndpointDNSRecords] = "the zones could not be listed"
			skip[EndpointZoneSetting] = "the zones could not be listed"
			return
		}
		f.Zones = append(f.Zones, zs.Zones...)
		f.ZonesTruncated = f.ZonesTruncated || zs.Truncated
	}
	f.ZonesListed = true

	// Only zones that hold an ingress hostname are read further.
	sem := make(chan struct{}, c.cfg.Concurrency)
	var wg sync.WaitGroup
	keep := keepRecord(f.Hostnames)
	for i := range f.Zones {
		z := &f.Zones[i]
		if !zoneHoldsAny(z.Name, f.Hostnames) {
			continue
		}
		// Each goroutine writes its own field of *z; ref is what they read.
		ref := Zone{ID: z.ID, Name: z.Name}
		run := func(fn func()) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				fn()
			}()
		}
		run(func() {
			type listing struct {
				Records   []Record
				Truncated bool
			}
			l, err := cached(c, "dns|"+ref.ID, c.cfg.TTL.DNS, EndpointDNSRecords, ref.Name, func() (listing, *CallError) {
				recs, trunc, err := c.listRecords(ctx, ref, keep)
				return listing{recs, trunc}, err
			})
			z.Records, z.Truncated, z.RecordsErr, z.RecordsRead = l.Records, l.Truncated, err, err == nil
		})
		for _, s := range []struct {
			id  string
			dst *Setting
		}{
			{SettingProxyReadTimeout, &z.Settings.ProxyReadTimeout},
			{SettingAlwaysOnline, &z.Settings.AlwaysOnline},
			{SettingDevelopmentMode, &z.Settings.DevelopmentMode},
			{SettingOriginErrorPagePassThru, &z.Settings.OriginErrorPagePassThru},
		} {
			run(func() {
				v, err := cached(c, "setting|"+ref.ID+"|"+s.id, c.cfg.TTL.Settings, EndpointZoneSetting, ref.Name, func() (Setting, *CallError) {
					st := c.zoneSetting(ctx, ref, s.id)
					return st, st.Err
				})
				if err != nil {
					v = Setting{Err: err}
				}
				*s.dst = v
			})
		}
	}
	wg.Wait()
}

// collectOtherTunnels looks up the tunnels that ingress hostnames' CNAMEs
// point to when they are not ours: deleted, or alive in the same account.
func (c *Client) collectOtherTunnels(ctx context.Context, f *Facts) {
	if !ValidAccountID(f.AccountID) || f.Skipped[EndpointTunnel] != "" {
		return
	}
	seen := map[string]bool{}
	var ids []string
	for _, h := range f.Hostnames {
		z := f.ZoneFor(h)
		if z == nil {
			continue
		}
		for _, r := range z.RecordsAt(h) {
			if id := r.TunnelOf(); id != "" && id != f.TunnelID && !seen[id] && ValidTunnelID(id) {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	if len(ids) > maxOtherTunnels {
		ids = ids[:maxOtherTunnels]
	}
	for _, id := range ids {
		t, err := cached(c, "tunnel|"+f.AccountID+"|"+id, c.cfg.TTL.Zones, EndpointTunnel, id, func() (*Tunnel, *CallError) {
			return c.tunnel(ctx, f.AccountID, id)
		})
		if f.OtherTunnels == nil {
			f.OtherTunnels = map[string]OtherTunnel{}
		}
		switch {
		case err != nil && err.Kind == KindNotFound:
			f.OtherTunnels[id] = OtherTunnel{Found: false}
		case err != nil:
			f.OtherTunnels[id] = OtherTunnel{Err: err}
		default:
			f.OtherTunnels[id] = OtherTunnel{Found: true, Name: t.Name, Deleted: t.Deleted(), Status: t.Status}
		}
	}
}

func (c *Client) collectStatusPage(ctx context.Context, f *Facts) {
	key := "statuspage|" + c.cfg.StatusPageURL
	if e, ok := c.cache.get(key); ok {
		f.Incidents, _ = e.value.([]Incident)
		f.IncidentsRead = true
		if e.err != nil {
			f.IncidentsErr, f.IncidentsRead = e.err.Message, false
		}
		return
	}
	inc, err := c.unresolvedIncidents(ctx)
	if err != nil {
		f.IncidentsErr = oneLine(err)
		c.cache.put(key, cacheEntry{err: &CallError{Endpoint: EndpointStatusPage, Kind: KindOther, Message: f.IncidentsErr}}, c.cfg.TTL.Failure)
		return
	}
	f.Incidents, f.IncidentsRead = inc, true
	c.cache.put(key, cacheEntry{value: inc}, c.cfg.TTL.StatusPage)
}

func normalizeHosts(hs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range hs {
		h = NormalizeHost(h)
		if h == "" || h == "*" || seen[h] {
			continue
		}
		seen[h] = true
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

func zoneHoldsAny(zone string, hosts []string) bool {
	for _, h := range hosts {
		h = strings.TrimPrefix(h, "*.")
		if h == zone || strings.HasSuffix(h, "."+zone) {
			return true
		}
	}
	return false
}

// keepRecord keeps the records the checks read: at an ingress hostname, a
// wildcard that answers for one, or any tunnel route.
func keepRecord(hosts []string) func(Record) bool {
	set := map[string]bool{}
	for _, h := range hosts {
		set[h] = true
	}
	return func(r Record) bool {
		if set[r.Name] || r.TunnelOf() != "" {
			return true
		}
		if base, ok := strings.CutPrefix(r.Name, "*."); ok {
			for _, h := range hosts {
				if strings.HasSuffix(h, "."+base) {
					return true
				}
			}
		}
		return false
	}
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return "\"" + s + "\""
}
