package checks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// Helpers shared by the edge-hop checks (cf_*.go). Every check reads the API
// facts defensively: a fact that was not read yields no finding (CF001,
// CF003 and CF004 say what was skipped), never a false alarm.

// cfAPI returns the API facts, or nil when the edge source has none.
func cfAPI(s *agent.Snapshot) *cfapi.Facts { return s.Edge.API }

// cfChecksFor lists the checks that need one endpoint's facts: what a
// missing permission or a failed call leaves unchecked. Zones gate DNS and
// settings too (both are read per zone), the tunnel gates its connectors
// and configuration.
func cfChecksFor(endpoint string) []string {
	switch endpoint {
	case cfapi.EndpointZones:
		return append([]string{"CF010", "CF011", "CF012"}, append(cfChecksFor(cfapi.EndpointDNSRecords), cfChecksFor(cfapi.EndpointZoneSetting)...)...)
	case cfapi.EndpointDNSRecords:
		return []string{"CF020", "CF021", "CF022", "CF023", "CF024", "CF025"}
	case cfapi.EndpointZoneSetting:
		return []string{"CF050", "CF051", "CF052", "CF053"}
	case cfapi.EndpointTunnel:
		return append([]string{"CF030", "CF031", "CF032"}, append(cfChecksFor(cfapi.EndpointConnections), cfChecksFor(cfapi.EndpointConfiguration)...)...)
	case cfapi.EndpointConnections:
		return []string{"CF033"}
	case cfapi.EndpointConfiguration:
		return []string{"CF040"}
	}
	return nil
}

// cfHost is an ingress hostname with the rule it came from.
type cfHost struct {
	Host    string // normalized (lower case, ASCII)
	Rule    int
	Service string
}

// cfIngressHosts lists the live ingress's hostnames (first rule wins), or
// the hostnames the API facts were collected for when ingress is missing.
func cfIngressHosts(s *agent.Snapshot) []cfHost {
	var out []cfHost
	seen := map[string]bool{}
	if cfg := s.Ingress.Config; cfg != nil {
		for i, r := range cfg.Rules {
			h := cfapi.NormalizeHost(r.Hostname)
			if h == "" || h == "*" || seen[h] {
				continue
			}
			seen[h] = true
			out = append(out, cfHost{Host: h, Rule: i, Service: r.Service})
		}
		return out
	}
	if f := cfAPI(s); f != nil {
		for _, h := range f.Hostnames {
			out = append(out, cfHost{Host: h, Rule: agent.NoRule})
		}
	}
	return out
}

// cfFinding starts a finding about one ingress hostname.
func cfFinding(c agent.Check, sev agent.Severity, h cfHost, msg, fix string) agent.Finding {
	f := c.Finding(sev, msg)
	f.Hostname, f.Rule, f.Service, f.Fix = h.Host, h.Rule, h.Service, fix
	f.Evidence = map[string]string{}
	return f
}

// cfRuleFor returns the first rule (other than a catch-all) that takes
// requests for a DNS name, or -1. Two comparisons meet here: DNS names are
// case-insensitive (Cloudflare stores them lowercase, and browsers send the
// Host header lowercase), so the name is normalised first; ingress matching
// is cloudflared's, exact and case-sensitive (tunnelcfg.Config.MatchHost),
// so "*.Example.com" takes none of app.example.com's requests.
func cfRuleFor(cfg *tunnelcfg.Config, dnsName string) int {
	if cfg == nil {
		return -1
	}
	return cfg.MatchHost(cfapi.NormalizeHost(dnsName))
}

// cfCatchAll describes what the last rule does with unmatched requests.
func cfCatchAll(cfg *tunnelcfg.Config) string {
	if cfg == nil || len(cfg.Rules) == 0 {
		return "the catch-all rule"
	}
	last := cfg.Rules[len(cfg.Rules)-1]
	return fmt.Sprintf("the catch-all rule #%d (service %s)", len(cfg.Rules)-1, last.Service)
}

// cfCatchAllHost is a hostname no rule names, attached to the catch-all
// rule that answers its requests.
func cfCatchAllHost(cfg *tunnelcfg.Config, host string) cfHost {
	h := cfHost{Host: host, Rule: len(cfg.Rules) - 1}
	if h.Rule >= 0 {
		h.Service = cfg.Rules[h.Rule].Service
	}
	return h
}

// cfRouteFix is the command that points a hostname at the tunnel.
func cfRouteFix(f *cfapi.Facts, host string) string {
	tunnel := "<tunnel-name-or-id>"
	if f != nil && f.TunnelID != "" {
		tunnel = f.TunnelID
	}
	target := "<tunnel-id>.cfargotunnel.com"
	if f != nil && f.TunnelID != "" {
		target = f.TunnelID + cfapi.TunnelTarget
	}
	return fmt.Sprintf("cloudflared tunnel route dns --overwrite-dns %s %s  (or in the dashboard: DNS > Records > "+
		"CNAME %s -> %s, Proxy status: Proxied)", tunnel, host, host, target)
}

// cfRecordText renders a record for messages and evidence.
func cfRecordText(r cfapi.Record) string {
	p := "DNS only"
	if r.Proxied {
		p = "proxied"
	}
	return fmt.Sprintf("%s %s %s (%s)", r.Type, r.Name, r.Content, p)
}

func cfRecordsText(rs []cfapi.Record) string {
	var out []string
	for _, r := range rs {
		out = append(out, cfRecordText(r))
	}
	return strings.Join(out, "; ")
}

// cfZoneReadable returns the zone serving host when its records were read
// completely (so "no record" is a fact), else nil.
func cfZoneRecords(f *cfapi.Facts, host string) *cfapi.Zone {
	if f == nil {
		return nil
	}
	z := f.ZoneFor(host)
	if z == nil || !z.RecordsRead || z.Truncated {
		return nil
	}
	return z
}

// cfReadHostFindings calls judge for every ingress hostname whose zone's
// records were read completely (so "no record" is a fact) and gathers what
// it finds.
func cfReadHostFindings(s *agent.Snapshot, judge func(h cfHost, z *cfapi.Zone) []agent.Finding) []agent.Finding {
	f := cfAPI(s)
	var out []agent.Finding
	for _, h := range cfIngressHosts(s) {
		if z := cfZoneRecords(f, h.Host); z != nil {
			out = append(out, judge(h, z)...)
		}
	}
	return out
}

// cfRecordFindings calls judge for every record answering for an ingress
// hostname (in a completely read zone); each finding names its record.
func cfRecordFindings(s *agent.Snapshot, judge func(h cfHost, z *cfapi.Zone, r cfapi.Record) *agent.Finding) []agent.Finding {
	return cfReadHostFindings(s, func(h cfHost, z *cfapi.Zone) []agent.Finding {
		var out []agent.Finding
		for _, r := range z.Covering(h.Host) {
			if fd := judge(h, z, r); fd != nil {
				fd.Evidence["record"] = cfRecordText(r)
				fd.Evidence[agent.EvidenceSubject] = r.ID
				out = append(out, *fd)
			}
		}
		return out
	})
}

// cfCallErrors gathers every failed call of the API facts.
func cfCallErrors(f *cfapi.Facts) []*cfapi.CallError {
	if f == nil {
		return nil
	}
	var out []*cfapi.CallError
	add := func(e *cfapi.CallError) {
		if e != nil {
			out = append(out, e)
		}
	}
	add(f.TokenErr)
	add(f.ZonesErr)
	for _, z := range f.Zones {
		add(z.RecordsErr)
		for _, st := range []cfapi.Setting{z.Settings.ProxyReadTimeout, z.Settings.AlwaysOnline, z.Settings.DevelopmentMode, z.Settings.OriginErrorPagePassThru} {
			add(st.Err)
		}
	}
	add(f.TunnelErr)
	add(f.ConnectorsErr)
	add(f.RemoteConfigErr)
	for _, id := range cfSortedKeys(f.OtherTunnels) {
		add(f.OtherTunnels[id].Err)
	}
	return out
}

func cfSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// cfZoneHosts groups the ingress hostnames by the zone that serves them.
func cfZoneHosts(s *agent.Snapshot) (map[string][]cfHost, map[string]*cfapi.Zone) {
	f := cfAPI(s)
	hosts, zones := map[string][]cfHost{}, map[string]*cfapi.Zone{}
	if f == nil {
		return hosts, zones
	}
	for _, h := range cfIngressHosts(s) {
		if z := f.ZoneFor(h.Host); z != nil {
			hosts[z.ID] = append(hosts[z.ID], h)
			zones[z.ID] = z
		}
	}
	return hosts, zones
}

func cfHostNames(hs []cfHost) string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Host)
	}
	return strings.Join(out, ", ")
}

// cfZoneFinding starts a finding about a zone, attached to its first
// ingress hostname (reports group by hostname).
func cfZoneFinding(c agent.Check, sev agent.Severity, z *cfapi.Zone, hs []cfHost, msg, fix string) agent.Finding {
	f := cfFinding(c, sev, hs[0], msg, fix)
	f.Evidence["zone"] = z.Name
	f.Evidence["zone_id"] = z.ID
	f.Evidence["zone_status"] = z.Status
	f.Evidence["hostnames"] = cfHostNames(hs)
	f.Evidence[agent.EvidenceSubject] = z.Name
	return f
}

// cfTunnelFinding starts a finding about the tunnel itself.
func cfTunnelFinding(c agent.Check, sev agent.Severity, t *cfapi.Tunnel, msg, fix string) agent.Finding {
	f := c.Finding(sev, msg)
	f.Fix = fix
	f.Evidence = map[string]string{"tunnel_id": t.ID, "tunnel_name": t.Name, "status": t.Status}
	if t.ConfigSrc != "" {
		f.Evidence["config_src"] = t.ConfigSrc
	}
	for k, v := range map[string]time.Time{"conns_active_at": t.ConnsActiveAt, "conns_inactive_at": t.ConnsInactiveAt, "deleted_at": t.DeletedAt} {
		if !v.IsZero() {
			f.Evidence[k] = v.UTC().Format(time.RFC3339)
		}
	}
	return f
}

// cfSettingFindings runs one per-zone setting check over the zones that
// serve ingress hostnames, skipping settings that were not read.
func cfSettingFindings(s *agent.Snapshot, pick func(*cfapi.Zone) cfapi.Setting, judge func(z *cfapi.Zone, st cfapi.Setting, hs []cfHost) *agent.Finding) []agent.Finding {
	hosts, zones := cfZoneHosts(s)
	var out []agent.Finding
	for _, id := range cfSortedKeys(zones) {
		z := zones[id]
		st := pick(z)
		if !st.Read {
			continue
		}
		if f := judge(z, st, hosts[id]); f != nil {
			f.Evidence["setting_value"] = st.Value
			out = append(out, *f)
		}
	}
	return out
}

// cfSettingIs reports, with the check's severity and fix, every zone whose
// setting has value; msg says what that means for the zone.
func cfSettingIs(c agent.Check, s *agent.Snapshot, pick func(*cfapi.Zone) cfapi.Setting, value string, msg func(z *cfapi.Zone, st cfapi.Setting) string) []agent.Finding {
	return cfSettingFindings(s, pick, func(z *cfapi.Zone, st cfapi.Setting, hs []cfHost) *agent.Finding {
		if st.Value != value {
			return nil
		}
		f := cfZoneFinding(c, c.Severity, z, hs, msg(z, st), c.Fix)
		return &f
	})
}

// cfPublicVerdict calls judge for every outside-in probe that ended in verdict.
func cfPublicVerdict(s *agent.Snapshot, verdict string, judge func(p cfapi.PublicResult) agent.Finding) []agent.Finding {
	var out []agent.Finding
	for _, p := range s.Edge.Public {
		if p.Verdict == verdict {
			out = append(out, judge(p))
		}
	}
	return out
}

// cfPublicFinding starts a finding about the outside-in probe of a hostname.
func cfPublicFinding(c agent.Check, sev agent.Severity, s *agent.Snapshot, p cfapi.PublicResult, msg, fix string) agent.Finding {
	h := cfHost{Host: p.Hostname, Rule: agent.NoRule}
	for _, ih := range cfIngressHosts(s) {
		if ih.Host == p.Hostname {
			h = ih
		}
	}
	f := cfFinding(c, sev, h, msg, fix)
	ev := f.Evidence
	ev["verdict"] = p.Verdict
	if p.Page.Status != 0 {
		ev["status"] = fmt.Sprint(p.Page.Status)
	}
	for k, v := range map[string]string{
		"cf_ray": p.Page.CFRay, "server": p.Page.Server, "cf_error_type": p.Page.CFErrorType,
		"content_type": p.Page.ContentType, "page_error": p.Page.Error, "trace_error": p.Trace.Error, "colo": p.Trace.Colo,
	} {
		if v != "" {
			ev[k] = v
		}
	}
	if p.Trace.Cloudflare {
		ev["trace"] = "served by Cloudflare (DNS and proxy work)"
	} else if p.Trace.Status != 0 {
		ev["trace"] = fmt.Sprintf("HTTP %d, not Cloudflare's trace", p.Trace.Status)
	}
	if e := p.Page.JSONError; e != nil {
		ev["error_code"] = fmt.Sprint(e.ErrorCode)
		ev["error_name"] = e.ErrorName
		ev["error_category"] = e.ErrorCategory
		if e.Detail != "" {
			ev["detail"] = e.Detail
		}
	}
	return f
}
