package dockertest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// TestLocalResolverProbe: a probe made with the local resolver asks it (and
// no server of /etc/resolv.conf) and fails the way an unknown container
// name fails on a host: NXDOMAIN, in the DNS phase.
func TestLocalResolverProbe(t *testing.T) {
	lr := NewLocalResolver(t)
	name := "tdtest-named-resolver.invalid"
	target := probe.Target{Kind: probe.KindHTTP, Network: "tcp", Host: name, Address: name + ":8080",
		Service: "http://" + name + ":8080", ConnectTimeout: time.Second, TLSTimeout: time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := probe.Probe(ctx, target, probe.Options{MaxTime: 5 * time.Second, Resolver: lr.Resolver})
	if err == nil || r.Cause != probe.CauseDNSNotFound || r.Phase != probe.PhaseDNS {
		t.Fatalf("want NXDOMAIN in the DNS phase, got cause %q phase %q: %v", r.Cause, r.Phase, err)
	}
	if !slices.Contains(lr.Asked(), name) {
		t.Errorf("the local server was not asked for %s: %v", name, lr.Asked())
	}
}
