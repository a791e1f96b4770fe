package cloudflared

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultPorts are the ports cloudflared tries, in order, when --metrics is
// not given (metrics/metrics.go in cloudflared 2026.8).
func DefaultPorts() []int { return []int{20241, 20242, 20243, 20244, 20245} }

// Candidates lists where cloudflared's metrics server may answer, in order.
// metricsFlag is cloudflared's --metrics value ("" when unset); hosts are the
// addresses cloudflared can be reached at from here (its container IPs, or
// "127.0.0.1" when we share its network namespace or it runs on this host).
// sharedNS says whether a loopback bind is reachable from here.
//
// The second result explains a --metrics value that cannot be reached from
// here (a loopback bind inside another namespace).
func Candidates(metricsFlag string, hosts []string, sharedNS bool) ([]string, string) {
	if metricsFlag == "" {
		var out []string
		for _, h := range hosts {
			for _, p := range DefaultPorts() {
				out = append(out, net.JoinHostPort(h, strconv.Itoa(p)))
			}
		}
		return out, ""
	}
	host, port, err := net.SplitHostPort(metricsFlag)
	if err != nil {
		return nil, fmt.Sprintf("cloudflared's --metrics %q is not host:port", metricsFlag)
	}
	switch {
	case host == "" || host == "0.0.0.0" || host == "::":
		var out []string
		for _, h := range hosts {
			out = append(out, net.JoinHostPort(h, port))
		}
		return out, ""
	case isLoopbackHost(host) && !sharedNS:
		return nil, fmt.Sprintf("cloudflared binds its metrics server to %s, which only its own network namespace can reach", metricsFlag)
	}
	return []string{metricsFlag}, ""
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Probe is the outcome of trying one candidate address.
type Probe struct {
	Addr  string `json:"addr"`
	Error string `json:"error,omitempty"`
}

// Discover tries every candidate at once (each bounded by timeout) and
// returns the first one, in candidate order, that answers /ready with
// cloudflared's JSON, plus what happened at each.
func Discover(ctx context.Context, hc *http.Client, candidates []string, timeout time.Duration) (string, []Probe, error) {
	if len(candidates) == 0 {
		return "", nil, errors.New("no address to try for cloudflared's metrics server")
	}
	probes := make([]Probe, len(candidates))
	var wg sync.WaitGroup
	for i, addr := range candidates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			probes[i].Addr = addr
			if _, err := NewClient(addr, hc, 64*1024).Ready(cctx); err != nil {
				probes[i].Error = err.Error()
			}
		}()
	}
	wg.Wait()
	var errs []string
	for _, p := range probes {
		if p.Error == "" {
			return p.Addr, probes, nil
		}
		errs = append(errs, p.Error)
	}
	return "", probes, fmt.Errorf("no cloudflared metrics server answered at %s: %s",
		strings.Join(candidates, ", "), firstDistinct(errs, 3))
}

// firstDistinct joins up to n distinct messages.
func firstDistinct(msgs []string, n int) string {
	seen := map[string]bool{}
	var out []string
	for _, m := range msgs {
		if !seen[m] && len(out) < n {
			seen[m] = true
			out = append(out, m)
		}
	}
	return strings.Join(out, "; ")
}
