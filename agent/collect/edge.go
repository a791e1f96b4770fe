package collect

import (
	"context"
	"errors"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfclient"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// ErrNoAPI is returned by the remote-configuration hook when the API cannot
// be asked (no token, unknown ids, edge collection disabled).
var ErrNoAPI = errors.New("the Cloudflare API is not configured")

func collectEdge(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	if why := opts.Edge.Disabled; why != "" {
		s.Edge.Missing = why
		return
	}
	client := cl.edgeClient(opts)
	if cl.edgeTokenErr != "" {
		s.Edge.TokenSourceError = cl.edgeTokenErr
	}
	account, tunnel, how := edgeIDs(opts.Edge, s)
	s.Edge.IDSource = how
	hosts := ingressHostnames(s)
	s.Edge.API = client.Collect(ctx, cfclient.Request{
		AccountID: account, TunnelID: tunnel, Hostnames: hosts,
		Zones: opts.Edge.Zones, StatusPage: !opts.Edge.NoStatusPage,
	})
	opts.Logger.Debug().Int("requests", s.Edge.API.Requests).Int("cached", s.Edge.API.Cached).Msg("cloudflare api facts collected")

	switch mode := opts.Edge.PublicProbe; {
	case mode == PublicProbeOff:
		s.Edge.PublicSkipped = "--no-public-probe"
	case len(hosts) == 0:
		s.Edge.PublicSkipped = "no ingress hostnames to probe"
	default:
		public := client.ProbePublic(ctx, hosts, opts.Edge.Public)
		// Auto: unless the production API answered this run (proof the
		// internet is reachable), a run where no hostname answered at all
		// says "this machine is offline", not "every hostname is down".
		if mode != PublicProbeOn && !reachedProductionAPI(opts.Edge, s.Edge.API) && noneAnswered(public) {
			s.Edge.PublicSkipped = "no hostname answered from this machine (no internet access, or outbound HTTPS blocked), so the visitor-side checks were skipped; pass --public-probe on to report them anyway"
			return
		}
		s.Edge.Public = public
	}
}

// noneAnswered reports whether not one hostname gave any HTTP answer.
func noneAnswered(rs []cfapi.PublicResult) bool {
	for _, r := range rs {
		if r.Trace.Status != 0 || r.Page.Status != 0 {
			return false
		}
	}
	return true
}

// remoteTunnelConfig is the hook for the ingress collector: the tunnel's
// dashboard configuration from the API, when cloudflared's /config and a
// local file are both unavailable. It goes through the same cache as the
// edge collector, so the later edge collection does not call again.
func remoteTunnelConfig(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) (*tunnelcfg.Config, error) {
	if opts.Edge.Disabled != "" {
		return nil, ErrNoAPI
	}
	client := cl.edgeClient(opts)
	if !client.HasToken() {
		return nil, ErrNoAPI
	}
	account, tunnel, _ := edgeIDs(opts.Edge, s)
	if account == "" || tunnel == "" {
		return nil, ErrNoAPI
	}
	cfg, err := client.RemoteConfig(ctx, account, tunnel)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// edgeClient returns this run's API client, built on first use around the
// long-lived cache; the token is read then, once per run. A token that
// cannot be read is recorded in edgeTokenErr, not fatal.
func (cl *clients) edgeClient(opts Options) *cfclient.Client {
	if cl.edge != nil {
		return cl.edge
	}
	var tok cfapi.Token
	if opts.Edge.Token != nil {
		t, err := opts.Edge.Token()
		if err != nil {
			cl.edgeTokenErr = err.Error()
		} else {
			tok = t
			cl.redactor.Add(t.Reveal()) // the API echoes it in some errors
		}
	}
	cl.edge = cfclient.New(cfclient.Config{
		Token: tok, BaseURL: opts.Edge.BaseURL, StatusPageURL: opts.Edge.StatusPageURL,
		HTTP: opts.Edge.HTTP, Logger: opts.Logger, TTL: opts.Edge.TTL, CallTimeout: opts.Edge.CallTimeout,
	}, opts.Edge.Cache)
	return cl.edge
}

// edgeIDs picks the account and tunnel ids: flags first, then what the
// sequential collectors found (cloudflared's token or credentials), then a
// UUID in the config file's "tunnel:" key.
func edgeIDs(o EdgeOptions, s *agent.Snapshot) (account, tunnel, how string) {
	account, tunnel = strings.TrimSpace(o.AccountID), strings.TrimSpace(o.TunnelID)
	var from []string
	if account != "" || tunnel != "" {
		from = append(from, "flags")
	}
	if account == "" && s.Tunnel.Account != "" {
		account = s.Tunnel.Account
		from = append(from, "cloudflared")
	}
	if tunnel == "" && s.Tunnel.ID != "" {
		tunnel = s.Tunnel.ID
		from = append(from, "cloudflared")
	}
	if tunnel == "" {
		for _, c := range []*tunnelcfg.Config{s.Ingress.Config, s.Ingress.File} {
			if c != nil && cfapi.ValidTunnelID(c.Tunnel) {
				tunnel = c.Tunnel
				from = append(from, "config file")
				break
			}
		}
	}
	return account, tunnel, strings.Join(dedupe(from), ", ")
}

// ingressHostnames lists the hostnames of the live ingress (and of the local
// file, which may differ for dashboard-managed tunnels).
func ingressHostnames(s *agent.Snapshot) []string {
	var hs []string
	for _, c := range []*tunnelcfg.Config{s.Ingress.Config, s.Ingress.File} {
		if c == nil {
			continue
		}
		for _, r := range c.Rules {
			if r.Hostname != "" && r.Hostname != "*" {
				hs = append(hs, r.Hostname)
			}
		}
	}
	return hs
}

func reachedProductionAPI(o EdgeOptions, f *cfapi.Facts) bool {
	if o.BaseURL != "" && strings.TrimSuffix(o.BaseURL, "/") != strings.TrimSuffix(cfclient.DefaultBaseURL, "/") {
		return false
	}
	return f != nil && f.Token != nil
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// fillTunnelFromEdge completes the report's tunnel object with the ids the
// edge collector used (flags, config file) when discovery found none.
func fillTunnelFromEdge(s *agent.Snapshot) {
	f := s.Edge.API
	if f == nil {
		return
	}
	if s.Tunnel.ID == "" {
		s.Tunnel.ID = f.TunnelID
	}
	if s.Tunnel.Account == "" {
		s.Tunnel.Account = f.AccountID
	}
}
