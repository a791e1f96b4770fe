package agent

import (
	"fmt"
	"slices"
	"strings"
)

// SidecarFacts is what the sidecar (`tunneldoctor watch`) knows about its
// own network namespace, to tell when it is stranded: it joined
// cloudflared's namespace (network_mode: service:cloudflared), and
// cloudflared was restarted or re-created since, so cloudflared runs in a
// new namespace and tunneldoctor is left in the old, empty one. The watcher
// fills it; a one-shot check leaves it zero (Known false).
type SidecarFacts struct {
	// Known: the watcher read its own interfaces for this run.
	Known bool `json:"known"`
	// Addrs are tunneldoctor's own interface addresses (no loopback, no
	// link-local), as read from inside its namespace.
	Addrs []string `json:"addrs,omitempty"`
	// Shared: an earlier run found tunneldoctor in cloudflared's network
	// namespace (it is a sidecar of cloudflared).
	Shared bool `json:"shared"`
	// Container, Project and Service name tunneldoctor's own container as
	// an earlier run saw it (for the fix); "" when unknown.
	Container string `json:"container,omitempty"`
	Project   string `json:"project,omitempty"`
	Service   string `json:"service,omitempty"`
	// JoinedID is the container ID tunneldoctor's NetworkMode names
	// (container:<ID>), "" when not known.
	JoinedID string `json:"joined_id,omitempty"`
}

// Stranded says why tunneldoctor is no longer in cloudflared's network
// namespace though it was (or was set up to be), "" when it is not
// stranded or cannot tell.
func (s *Snapshot) Stranded() string {
	sc := s.Sidecar
	if !sc.Known {
		return ""
	}
	d := s.Docker
	cf := d.Cloudflared
	var cfAddrs []string
	if d.Available() && cf != nil && cf.Running() {
		for _, ep := range cf.Endpoints {
			if ep.IPv4 != "" {
				cfAddrs = append(cfAddrs, ep.IPv4)
			}
		}
	}
	switch {
	case sc.Shared && len(sc.Addrs) == 0:
		return "tunneldoctor's network namespace has no interface left but loopback: the namespace of cloudflared it joined was torn down (cloudflared was restarted or re-created)"
	case len(cfAddrs) > 0 && (sc.Shared || sc.JoinedID != "") && !overlaps(sc.Addrs, cfAddrs):
		why := fmt.Sprintf("cloudflared %s now has %s, tunneldoctor's namespace has %s: they no longer share a network namespace",
			cf.Name, strings.Join(cfAddrs, ", "), strings.Join(sc.Addrs, ", "))
		if sc.JoinedID != "" && sc.JoinedID != cf.ID {
			why += fmt.Sprintf(" (tunneldoctor joined container %.12s; cloudflared is now %.12s: it was re-created)", sc.JoinedID, cf.ID)
		}
		return why
	}
	return ""
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
