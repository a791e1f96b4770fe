package cfclient

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
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

// Collect gathers the API facts with a small, bounded number of calls; see
// cfapi.TTLs for what the cache saves across runs. It never fails: every problem
// is recorded in the returned Facts.
func (c *Client) Collect(ctx context.Context, req Request) *cfapi.Facts {
	f := &cfapi.Facts{AccountID: strings.ToLower(req.AccountID), TunnelID: strings.ToLower(req.TunnelID), Skipped: map[string]string{}}
	f.Hostnames = normalizeHosts(req.Hostnames)
	for _, z := range req.Zones {
		if z = cfapi.NormalizeHost(z); z != "" {
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
		skipAll(f, cfapi.SkipNoToken)
		return f
	}
	f.Token, f.TokenErr = cached(c, "verify|"+f.AccountID, c.cfg.TTL.Token, cfapi.EndpointUserVerify, "", func() (*cfapi.TokenStatus, *cfapi.CallError) {
		return c.verifyToken(ctx, f.AccountID)
	})
	switch {
	case f.TokenErr != nil && f.TokenErr.Kind == cfapi.KindAuth:
		skipAll(f, cfapi.SkipTokenRefused)
		return f
	case f.TokenErr != nil && (f.TokenErr.Kind == cfapi.KindNetwork || f.TokenErr.Kind == cfapi.KindTimeout || f.TokenErr.Kind == cfapi.KindRateLimited):
		skipAll(f, cfapi.SkipAPIDown+": "+f.TokenErr.Message)
		return f
	case f.Token != nil && f.Token.Status != "" && f.Token.Status != "active":
		skipAll(f, cfapi.SkipTokenRefused+" (status "+f.Token.Status+")")
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

// skipAll records every API fact as not attempted, for why.
func skipAll(f *cfapi.Facts, why string) {
	for _, e := range []string{cfapi.EndpointZones, cfapi.EndpointDNSRecords, cfapi.EndpointZoneSetting,
		cfapi.EndpointTunnel, cfapi.EndpointConnections, cfapi.EndpointConfiguration} {
		f.Skipped[e] = why
	}
}

// RemoteConfig returns the tunnel's dashboard configuration through the
// cache: the ingress collector asks for it when cloudflared's /config and
// the local file are both unavailable, and Collect then reuses it.
func (c *Client) RemoteConfig(ctx context.Context, account, tunnel string) (*tunnelcfg.Config, *cfapi.CallError) {
	account, tunnel = strings.ToLower(account), strings.ToLower(tunnel)
	if !cfapi.ValidAccountID(account) || !cfapi.ValidTunnelID(tunnel) {
		return nil, &cfapi.CallError{Endpoint: cfapi.EndpointConfiguration, Subject: tunnel, Kind: cfapi.KindNotFound, Permission: cfapi.PermTunnelRead,
			Message: "account id or tunnel id missing or malformed; not called"}
	}
	if !c.HasToken() {
		return nil, &cfapi.CallError{Endpoint: cfapi.EndpointConfiguration, Subject: tunnel, Kind: cfapi.KindAuth, Permission: cfapi.PermTunnelRead, Message: cfapi.SkipNoToken}
	}
	return cached(c, "config|"+account+"|"+tunnel, c.cfg.TTL.Tunnel, cfapi.EndpointConfiguration, tunnel, func() (*tunnelcfg.Config, *cfapi.CallError) {
		return c.remoteConfig(ctx, account, tunnel)
	})
}

func (c *Client) collectTunnel(ctx context.Context, f *cfapi.Facts, skip map[string]string) {
	switch {
	case f.AccountID == "":
		skipTunnel(skip, cfapi.SkipNoAccount)
		return
	case !cfapi.ValidAccountID(f.AccountID):
		skipTunnel(skip, "the account id "+quote(f.AccountID)+" is not 32 hex digits")
		return
	case f.TunnelID == "":
		skipTunnel(skip, cfapi.SkipNoTunnel)
		return
	case !cfapi.ValidTunnelID(f.TunnelID):
		skipTunnel(skip, "the tunnel id "+quote(f.TunnelID)+" is not a UUID")
		return
	}
	key := f.AccountID + "|" + f.TunnelID
	f.Tunnel, f.TunnelErr = cached(c, "tunnel|"+key, c.cfg.TTL.Tunnel, cfapi.EndpointTunnel, f.TunnelID, func() (*cfapi.Tunnel, *cfapi.CallError) {
		return c.tunnel(ctx, f.AccountID, f.TunnelID)
	})
	if f.TunnelErr != nil && f.TunnelErr.Kind == cfapi.KindNotFound {
		// The tunnel does not exist in this account: nothing more to read.
		skip[cfapi.EndpointConnections] = "the tunnel was not found"
		skip[cfapi.EndpointConfiguration] = "the tunnel was not found"
		return
	}
	f.Connectors, f.ConnectorsErr = cached(c, "conns|"+key, c.cfg.TTL.Tunnel, cfapi.EndpointConnections, f.TunnelID, func() ([]cfapi.Connector, *cfapi.CallError) {
		return c.connectors(ctx, f.AccountID, f.TunnelID)
	})
	f.ConnectorsRead = f.ConnectorsErr == nil
	if f.Tunnel != nil && !f.Tunnel.RemotelyManaged() {
		skip[cfapi.EndpointConfiguration] = cfapi.SkipLocalConfig
		return
	}
	f.RemoteConfig, f.RemoteConfigErr = c.RemoteConfig(ctx, f.AccountID, f.TunnelID)
}

func skipTunnel(skip map[string]string, why string) {
	for _, e := range []string{cfapi.EndpointTunnel, cfapi.EndpointConnections, cfapi.EndpointConfiguration} {
		skip[e] = why
	}
}

func (c *Client) collectZones(ctx context.Context, f *cfapi.Facts, skip map[string]string) {
	account := f.AccountID
	if !cfapi.ValidAccountID(account) {
		account = ""
	}
	names := f.ZoneFilter
	if len(names) == 0 {
		names = []string{""}
	}
	for _, name := range names {
		zs, err := cached(c, "zones|"+account+"|"+name, c.cfg.TTL.Zones, cfapi.EndpointZones, name, func() (zoneListing, *cfapi.CallError) {
			return c.listZones(ctx, account, name)
		})
		if err != nil {
			f.ZonesErr = err
			skip[cfapi.EndpointDNSRecords] = "the zones could not be listed"
			skip[cfapi.EndpointZoneSetting] = "the zones could not be listed"
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
		ref := cfapi.Zone{ID: z.ID, Name: z.Name}
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
				Records   []cfapi.Record
				Truncated bool
			}
			l, err := cached(c, "dns|"+ref.ID, c.cfg.TTL.DNS, cfapi.EndpointDNSRecords, ref.Name, func() (listing, *cfapi.CallError) {
				recs, trunc, err := c.listRecords(ctx, ref, keep)
				return listing{recs, trunc}, err
			})
			z.Records, z.Truncated, z.RecordsErr, z.RecordsRead = l.Records, l.Truncated, err, err == nil
		})
		for _, s := range []struct {
			id  string
			dst *cfapi.Setting
		}{
			{cfapi.SettingProxyReadTimeout, &z.Settings.ProxyReadTimeout},
			{cfapi.SettingAlwaysOnline, &z.Settings.AlwaysOnline},
			{cfapi.SettingDevelopmentMode, &z.Settings.DevelopmentMode},
			{cfapi.SettingOriginErrorPagePassThru, &z.Settings.OriginErrorPagePassThru},
		} {
			run(func() {
				v, err := cached(c, "setting|"+ref.ID+"|"+s.id, c.cfg.TTL.Settings, cfapi.EndpointZoneSetting, ref.Name, func() (cfapi.Setting, *cfapi.CallError) {
					st := c.zoneSetting(ctx, ref, s.id)
					return st, st.Err
				})
				if err != nil {
					v = cfapi.Setting{Err: err}
				}
				*s.dst = v
			})
		}
	}
	wg.Wait()
}

// collectOtherTunnels looks up the tunnels that ingress hostnames' CNAMEs
// point to when they are not ours: deleted, or alive in the same account.
func (c *Client) collectOtherTunnels(ctx context.Context, f *cfapi.Facts) {
	if !cfapi.ValidAccountID(f.AccountID) || f.Skipped[cfapi.EndpointTunnel] != "" {
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
			if id := r.TunnelOf(); id != "" && id != f.TunnelID && !seen[id] && cfapi.ValidTunnelID(id) {
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
		t, err := cached(c, "tunnel|"+f.AccountID+"|"+id, c.cfg.TTL.Zones, cfapi.EndpointTunnel, id, func() (*cfapi.Tunnel, *cfapi.CallError) {
			return c.tunnel(ctx, f.AccountID, id)
		})
		if f.OtherTunnels == nil {
			f.OtherTunnels = map[string]cfapi.OtherTunnel{}
		}
		switch {
		case err != nil && err.Kind == cfapi.KindNotFound:
			f.OtherTunnels[id] = cfapi.OtherTunnel{Found: false}
		case err != nil:
			f.OtherTunnels[id] = cfapi.OtherTunnel{Err: err}
		default:
			f.OtherTunnels[id] = cfapi.OtherTunnel{Found: true, Name: t.Name, Deleted: t.Deleted(), Status: t.Status}
		}
	}
}

func (c *Client) collectStatusPage(ctx context.Context, f *cfapi.Facts) {
	key := "statuspage|" + c.cfg.StatusPageURL
	if value, cerr, ok := c.cache.Get(key); ok {
		f.Incidents, _ = value.([]cfapi.Incident)
		f.IncidentsRead = true
		if cerr != nil {
			f.IncidentsErr, f.IncidentsRead = cerr.Message, false
		}
		return
	}
	inc, err := c.unresolvedIncidents(ctx)
	if err != nil {
		f.IncidentsErr = oneLine(err)
		c.cache.Put(key, nil, &cfapi.CallError{Endpoint: cfapi.EndpointStatusPage, Kind: cfapi.KindOther, Message: f.IncidentsErr}, c.cfg.TTL.Failure)
		return
	}
	f.Incidents, f.IncidentsRead = inc, true
	c.cache.Put(key, inc, nil, c.cfg.TTL.StatusPage)
}

func normalizeHosts(hs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range hs {
		h = cfapi.NormalizeHost(h)
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
func keepRecord(hosts []string) func(cfapi.Record) bool {
	set := map[string]bool{}
	for _, h := range hosts {
		set[h] = true
	}
	return func(r cfapi.Record) bool {
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
