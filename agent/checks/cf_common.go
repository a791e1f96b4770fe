package checks

import (
	"fmt"
	"sort"
	"strings"

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

// cfMatchRule returns the index of the first non-catch-all rule whose
// hostname answers for host (exact, or a "*." wildcard that is not the apex),
// or -1. Paths are ignored: a rule with a path still takes some requests.
func cfMatchRule(cfg *tunnelcfg.Config, host string) int {
	if cfg == nil {
		return -1
	}
	host = cfapi.NormalizeHost(host)
	for i, r := range cfg.Rules {
		if r.IsCatchAll() {
			continue
		}
		rh := cfapi.NormalizeHost(r.Hostname)
		if rh == host {
			return i
		}
		if base, ok := strings.CutPrefix(rh, "*."); ok && strings.HasSuffix(host, "."+base) {
			return i
		}
	}
	return -1
}

// cfCatchAll describes what the last rule does with unmatched requests.
func cfCatchAll(cfg *tunnelcfg.Config) string {
	if cfg == nil || len(cfg.Rules) == 0 {
		return "the catch-all rule"
	}
	last := cfg.Rules[len(cfg.Rules)-1]
	return fmt.Sprintf("the catch-all rule #%d (service %s)", len(cfg.Rules)-1, last.Service)
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

func cfSortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
