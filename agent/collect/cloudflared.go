package collect

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// Defaults of the cloudflared collector.
const (
	defaultCloudflaredLogLines = 300
	defaultCloudflaredLogBytes = 256 << 10
	defaultMetricsTimeout      = 3 * time.Second
)

// collectCloudflared reads cloudflared's metrics server and recent logs. It
// runs after Docker discovery (which finds the container and its command
// line) and before the ingress collector (which prefers /config).
func collectCloudflared(ctx context.Context, opts Options, s *agent.Snapshot, cl *clients) {
	co := opts.Cloudflared
	f := &s.Cloudflared
	if co.Disabled != "" {
		f.Missing = co.Disabled
		return
	}
	c := s.Docker.Cloudflared
	f.SharesNamespace = s.Docker.SharesNamespace
	if c != nil {
		f.Container = c.Name
		f.Process = &agent.ProcessState{State: c.State, ExitCode: c.ExitCode, RestartCount: c.RestartCount,
			StartedAt: c.StartedAt, FinishedAt: c.FinishedAt}
		f.Command = cl.redactor.Args(append(append([]string(nil), c.Entrypoint...), c.Cmd...))
		f.Entrypoint = f.Command[:len(c.Entrypoint)]
		view := cloudflaredView(s.Docker.Settings, f.Command)
		f.MetricsFlag, f.Protocol = view.metrics, view.protocol
	}
	hc := opts.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	timeout := co.Timeout
	if timeout <= 0 {
		timeout = defaultMetricsTimeout
	}
	explicit := co.Metrics
	if c == nil && explicit == "" {
		// No container to start from: a cloudflared installed on this host,
		// or one whose namespace we share without a Docker socket, answers
		// on loopback at its default ports.
		local := co.LocalAddrs
		if local == nil {
			local, _ = cloudflared.Candidates("", []string{"127.0.0.1"}, true)
		}
		if len(local) == 0 {
			f.Missing = noCloudflaredReason(s)
			return
		}
		addr, _, err := cloudflared.Discover(ctx, hc, local, timeout)
		if err != nil {
			f.Missing = noCloudflaredReason(s) + " (nothing answered on " + describeAddrs(local) + " either)"
			return
		}
		explicit = addr
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		readMetricsServer(ctx, hc, timeout, explicit, cloudflaredHosts(c, f.SharesNamespace), f)
	}()
	go func() {
		defer wg.Done()
		readCloudflaredLogs(ctx, co, cl, c, f)
	}()
	wg.Wait()
	if f.MetricsAddr == "" && explicit == "" {
		retryFromLog(ctx, hc, timeout, cloudflaredHosts(c, f.SharesNamespace), f)
	}
	fillTunnelFromCloudflared(&s.Tunnel, f)
	opts.Logger.Debug().Str("container", f.Container).Str("metrics_addr", f.MetricsAddr).
		Str("metrics_error", f.MetricsError).Int("log_lines", f.LogLines).Int("log_events", len(f.Events)).
		Strs("command", f.Command).Msg("cloudflared collected")
}

// retryFromLog tries the port cloudflared logged ("Starting metrics server
// on ADDR/metrics") when the default ports did not answer: with all of
// 20241-20245 taken, cloudflared picks a random one.
func retryFromLog(ctx context.Context, hc *http.Client, timeout time.Duration, hosts []string, f *agent.CloudflaredFacts) {
	var logged string
	for _, e := range f.Events {
		if e.Kind == cloudflared.KindMetricsStarted {
			logged = e.Addr
		}
	}
	_, port, err := net.SplitHostPort(logged)
	if err != nil {
		return
	}
	tried := map[string]bool{}
	for _, p := range f.MetricsProbes {
		tried[p.Addr] = true
	}
	flag := net.JoinHostPort("0.0.0.0", port)
	if host, _, _ := net.SplitHostPort(logged); host != "" && host != "0.0.0.0" && host != "::" && host != "[::]" {
		flag = logged
	}
	cands, _ := cloudflared.Candidates(flag, hosts, f.SharesNamespace)
	var fresh []string
	for _, c := range cands {
		if !tried[c] {
			fresh = append(fresh, c)
		}
	}
	if len(fresh) == 0 {
		return
	}
	saved := *f
	f.MetricsError, f.MetricsProbes = "", nil
	readMetricsServer(ctx, hc, timeout, "", nil, f, fresh...)
	if f.MetricsAddr == "" {
		f.MetricsError, f.MetricsProbes = saved.MetricsError, append(saved.MetricsProbes, f.MetricsProbes...)
	}
}

func noCloudflaredReason(s *agent.Snapshot) string {
	switch {
	case strings.HasSuffix(s.Docker.Discovery.Error, "--cloudflared NAME"):
		// It already says to name the container: say it once.
		return s.Docker.Discovery.Error + ", or give --metrics HOST:PORT"
	case s.Docker.Discovery.Error != "":
		return s.Docker.Discovery.Error + "; name it with --cloudflared NAME, or give --metrics HOST:PORT"
	case s.Docker.Missing != "":
		return "no cloudflared to ask: Docker is unavailable (" + s.Docker.Missing + ") and no --metrics HOST:PORT was given"
	}
	return "no cloudflared container found; name it with --cloudflared NAME, or give --metrics HOST:PORT for a cloudflared outside Docker"
}

// cloudflaredHosts lists the addresses cloudflared can be reached at from
// tunneldoctor: loopback when we share its namespace (or it uses the host's
// network), else its container IPs.
func cloudflaredHosts(c *dockernet.Container, shared bool) []string {
	if shared || c == nil || c.NetworkMode == "host" {
		return []string{"127.0.0.1"}
	}
	var hosts []string
	for _, e := range c.Endpoints {
		if e.IPv4 != "" {
			hosts = append(hosts, e.IPv4)
		}
	}
	return hosts
}

// readMetricsServer finds the metrics server and reads its four endpoints.
// Candidates are, in order: given ones, the explicit --metrics, or those
// derived from cloudflared's own --metrics and addresses.
func readMetricsServer(ctx context.Context, hc *http.Client, timeout time.Duration, explicit string, hosts []string, f *agent.CloudflaredFacts, given ...string) {
	candidates, why := []string{explicit}, ""
	switch {
	case len(given) > 0:
		candidates = given
	case explicit == "":
		candidates, why = cloudflared.Candidates(f.MetricsFlag, hosts, f.SharesNamespace)
	}
	if len(candidates) == 0 {
		if why == "" {
			why = "cloudflared has no network address tunneldoctor can reach"
		}
		f.MetricsError = why
		return
	}
	addr, probes, err := cloudflared.Discover(ctx, hc, candidates, timeout)
	f.MetricsProbes = probes
	if err != nil {
		f.MetricsError = err.Error()
		return
	}
	f.MetricsAddr = addr
	client := cloudflared.NewClient(addr, hc, 0)
	read := func(fn func(context.Context) error) func() {
		return func() {
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			_ = fn(cctx)
		}
	}
	var wg sync.WaitGroup
	for _, job := range []func(){
		read(func(c context.Context) error {
			r, err := client.Ready(c)
			f.Ready, f.ReadyError = keep(r, err)
			return err
		}),
		read(func(c context.Context) error {
			cfg, err := client.Config(c)
			if err != nil {
				f.ConfigError = err.Error()
			} else {
				f.Config = cfg
			}
			return err
		}),
		read(func(c context.Context) error {
			ts, err := client.TunnelState(c)
			f.TunnelState, f.TunnelStateError = keep(ts, err)
			return err
		}),
		read(func(c context.Context) error {
			m, err := client.Metrics(c)
			f.Metrics, f.MetricsReadError = keep(m, err)
			return err
		}),
	} {
		wg.Add(1)
		go func() { defer wg.Done(); job() }()
	}
	wg.Wait()
}

// keep returns a pointer to v, or the error text.
func keep[T any](v T, err error) (*T, string) {
	if err != nil {
		return nil, err.Error()
	}
	return &v, ""
}

func readCloudflaredLogs(ctx context.Context, co CloudflaredOptions, cl *clients, c *dockernet.Container, f *agent.CloudflaredFacts) {
	dc := cl.docker
	if c == nil || co.LogLines < 0 {
		return
	}
	if dc == nil {
		f.LogsError = "no Docker client to read cloudflared's logs with"
		return
	}
	n, max := co.LogLines, co.LogBytes
	if n == 0 {
		n = defaultCloudflaredLogLines
	}
	if max <= 0 {
		max = defaultCloudflaredLogBytes
	}
	lines, err := dc.Logs(ctx, c.ID, n, max)
	if err != nil {
		f.LogsError = "reading cloudflared's logs: " + err.Error()
		return
	}
	f.LogLines = len(lines)
	f.Events = cloudflared.Classify(lines, cl.redactor)
}

// fillTunnelFromCloudflared records the tunnel's state in the report header.
func fillTunnelFromCloudflared(t *agent.TunnelInfo, f *agent.CloudflaredFacts) {
	if t.Cloudflared == "" {
		t.Cloudflared = f.Container
	}
	if v := f.Connected(); v != nil {
		t.Connected = v
	}
	if f.Process != nil && agent.Stopped(f.Process.State) {
		// A stopped container holds no edge connection, whatever its
		// metrics server (which is gone with it) could not say.
		no := false
		t.Connected = &no
	}
	if f.Config != nil {
		t.ConfigVersion = f.Config.Version
		t.ConfigSource = agent.ConfigSourceLocal
		if f.Config.Version >= 0 {
			t.ConfigSource = agent.ConfigSourceRemote
		}
	}
	if f.TunnelState != nil && f.TunnelState.TunnelID != "" && t.ID == "" {
		t.ID = f.TunnelState.TunnelID
	}
}

// describeAddrs names the addresses tried, compactly when they are
// cloudflared's consecutive default ports on one host.
func describeAddrs(addrs []string) string {
	if len(addrs) > 1 {
		first, last := addrs[0], addrs[len(addrs)-1]
		if h1, p1, err1 := net.SplitHostPort(first); err1 == nil {
			if h2, p2, err2 := net.SplitHostPort(last); err2 == nil && h1 == h2 {
				return net.JoinHostPort(h1, p1) + "-" + p2
			}
		}
	}
	return strings.Join(addrs, ", ")
}
