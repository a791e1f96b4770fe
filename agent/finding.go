package agent

import "strconv"

// Hop names the part of the request path a finding is about. The strings are
// part of the stable JSON output.
const (
	HopEdge     = "edge"
	HopTunnel   = "tunnel"
	HopIngress  = "ingress"
	HopNetwork  = "network"
	HopOrigin   = "origin"
	HopProtocol = "protocol"
)

// Hops lists the hops in request order: visitor side first.
var Hops = []string{HopEdge, HopTunnel, HopIngress, HopNetwork, HopOrigin, HopProtocol}

// NoRule is the Rule value of a finding that is not about one ingress rule.
const NoRule = -1

// Finding is one judgement about one thing. Its JSON field names are stable:
// scripts and log pipelines depend on them, so fields may be added, never
// renamed or removed.
type Finding struct {
	Code     string            `json:"code"`
	Severity Severity          `json:"severity"`
	Hop      string            `json:"hop"`
	Hostname string            `json:"hostname"`
	Rule     int               `json:"rule"`
	Service  string            `json:"service"`
	Message  string            `json:"message"`
	Fix      string            `json:"fix"`
	Evidence map[string]string `json:"evidence,omitempty"`
}

// Key identifies "the same finding" across runs (watch mode compares runs):
// the check, and the rule and hostname it is about.
func (f Finding) Key() string {
	return f.Code + "|" + f.Hostname + "|" + strconv.Itoa(f.Rule) + "|" + f.Service + "|" + f.Evidence[EvidenceSubject]
}

// EvidenceSubject is an optional evidence key that tells apart findings of one
// check about different things that share a rule (two containers, two records).
const EvidenceSubject = "subject"
