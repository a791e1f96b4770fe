package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const originErrorPrefix = "Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: "

const quicPersistentWarning = "If this log occurs persistently, and cloudflared is unable to connect to " +
	"Cloudflare Network with `quic` protocol, then most likely your machine/network is getting its egress " +
	"UDP to port 7844 (or others) blocked or dropped. Make sure to allow egress connectivity as per " +
	"https://developers.cloudflare.com/cloudflare-one/connections/connect-apps/configuration/ports-and-ips/\n" +
	"If you are using private routing to this Tunnel, then ICMP, UDP (and Private DNS Resolution) will not work " +
	"unless your cloudflared can connect with Cloudflare Network with `quic`."

var friendlyDNSErrorLines = []string{
	`Please try the following things to diagnose this issue:`,
	`  1. ensure that argotunnel.com is returning "origintunneld" service records.`,
	`     Run your system's equivalent of: dig srv _origintunneld._tcp.argotunnel.com`,
	`  2. ensure that your DNS resolver is not returning compressed SRV records.`,
	`     See GitHub issue https://github.com/golang/go/issues/27546`,
	`     For example, you could use Cloudflare's 1.1.1.1 as your resolver:`,
	`     https://developers.cloudflare.com/1.1.1.1/setting-up-1.1.1.1/`,
}

// run is the whole program; it returns the exit code cloudflared would.
func run(argv []string, getenv func(string) string, stdout, stderr io.Writer) int {
	inv := parseArgs(argv)
	mode := getenv("STANDIN_MODE")
	if mode == "flag-after-run" && inv.usageErr == "" {
		inv.usageErr, inv.usageCmd = "flag provided but not defined: -metrics", "run"
	}
	if inv.usageErr != "" {
		// urfave/cli prints this and the help to stdout; cloudflared ignores
		// app.Run's error, so the process exits 0 (linux_service.go runApp).
		_, _ = fmt.Fprintln(stdout, "Incorrect Usage:", inv.usageErr)
		_, _ = fmt.Fprintln(stdout)
		_, _ = fmt.Fprintf(stdout, "NAME:\n   cloudflared tunnel %s\n\nUSAGE:\n   cloudflared tunnel [tunnel command options] run [subcommand options] [TUNNEL]\n", inv.usageCmd)
		return 0
	}
	switch inv.command {
	case "version":
		_, _ = fmt.Fprintln(stdout, printVersion(getenv))
		return 0
	case "tunnel ready":
		return ready(inv, getenv, stderr)
	case "tunnel run":
		return runTunnel(inv, mode, getenv, stderr)
	}
	_, _ = fmt.Fprintf(stderr, "standin: %q is not simulated\n", inv.command)
	return 2
}

// exitErr prints an error the way urfave/cli's exit handler does.
func exitErr(stderr io.Writer, msg string, code int) int {
	_, _ = fmt.Fprintln(stderr, msg)
	return code
}

func ready(inv invocation, getenv func(string) string, stderr io.Writer) int {
	addr := inv.lookup("metrics", getenv, nil)
	if addr == "" {
		return exitErr(stderr, "--metrics has to be provided", 1)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + addr + "/ready")
	if err != nil {
		return exitErr(stderr, err.Error(), 1)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return exitErr(stderr, fmt.Sprintf("http://%s/ready endpoint returned status code %d\n%s", addr, resp.StatusCode, body), 1)
	}
	return 0
}

func runTunnel(inv invocation, mode string, getenv func(string) string, stderr io.Writer) int {
	cfgPath := inv.outer["config"]
	if cfgPath == "" {
		cfgPath = findDefaultConfig(getenv("HOME"))
	}
	var file rawConfig
	if cfgPath != "" {
		var err error
		if file, err = loadConfigFile(cfgPath); err != nil {
			return exitErr(stderr, err.Error(), 1)
		}
	}
	log := &logger{json: inv.lookup("output", getenv, nil) == "json", out: stderr, now: time.Now}
	if path := inv.lookup("logfile", getenv, file.Settings); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return exitErr(stderr, err.Error(), 1)
		}
		defer f.Close()
		log.file = f
	}

	tunnelID, ok := tunnelIdentity(inv, mode, getenv, file)
	if !ok {
		return exitErr(stderr, "Provided Tunnel token is not valid.\nSee 'cloudflared tunnel run --help'.", 255)
	}
	if tunnelID == "" {
		return exitErr(stderr, "\"cloudflared tunnel run\" requires the ID or name of the tunnel to run as the last command line argument or in the configuration file.\nSee 'cloudflared tunnel run --help'.", 255)
	}

	st := &state{tunnelID: tunnelID, connectorID: newUUID(), version: version(getenv), flags: map[string]string{}}
	rules := file
	if len(rules.Ingress) == 0 {
		if u := inv.lookup("url", getenv, file.Settings); u != "" {
			rules.Ingress = []rawRule{{Service: u}}
		}
	}
	err := validate(rules)
	if mode == "invalid-config" {
		err = errLastRuleNotCatchAll
	}
	if err != nil {
		log.error("Couldn't start tunnel", kv{"error", err.Error()})
		return exitErr(stderr, err.Error(), 1)
	}
	st.cfg = configJSON(rules, -1)

	log.info("Starting tunnel", kv{"tunnelID", tunnelID})
	log.info(fmt.Sprintf("Version %s (Checksum 3f1c0e1b)", st.version))
	log.info("GOOS: linux, GOVersion: go1.26.4, GoArch: amd64")
	log.info("Settings: " + settingsLine(inv, st.flags))
	log.info("Generated Connector ID: " + st.connectorID)

	// --edge (TUNNEL_EDGE): static edge addresses. cloudflared resolves
	// each one and does no SRV discovery; names that do not resolve are
	// logged and skipped, and it exits only when none resolves
	// (allregions.StaticEdge: "failed to resolve any edge address").
	edges := resolveStaticEdge(inv.lookup("edge", getenv, file.Settings), mode)
	logPrechecks(log, mode, inv.lookup("protocol", getenv, file.Settings), edges)

	if len(edges) > 0 {
		usable := 0
		for _, e := range edges {
			if e.err != "" {
				log.error("failed to resolve to TCP address", kv{"address", e.addr}, kv{"error", e.err})
				continue
			}
			usable++
		}
		if usable == 0 {
			msg := "failed to resolve any edge address"
			log.error("Initiating shutdown", kv{"error", msg})
			return exitErr(stderr, msg, 1)
		}
	} else if mode == "dns-fail" {
		cause := "lookup _v2-origintunneld._tcp.argotunnel.com on 127.0.0.11:53: server misbehaving"
		log.error("edge discovery: error looking up Cloudflare edge IPs: the DNS query failed", kv{"error", cause}, kv{"event", 0})
		for _, l := range friendlyDNSErrorLines {
			log.error(l, kv{"event", 0})
		}
		msg := "Could not lookup srv records on _v2-origintunneld._tcp.argotunnel.com: " + cause
		log.error("Initiating shutdown", kv{"error", msg})
		return exitErr(stderr, msg, 1)
	}

	ln, err := listenMetrics(inv.lookup("metrics", getenv, file.Settings))
	if err != nil {
		log.error("Error opening metrics server listener", kv{"error", err.Error()})
		return exitErr(stderr, err.Error(), 1)
	}
	log.info(fmt.Sprintf("Starting metrics server on %s/metrics", ln.Addr()))
	st.emitOrigin = func(rule int, cause string) { emitOriginError(log, st, rule, cause) }
	srv := &http.Server{Handler: st.handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	protocol := inv.lookup("protocol", getenv, file.Settings)
	if protocol == "" {
		protocol = "auto"
	}
	sim := &simulation{log: log, st: st, getenv: getenv, protocol: protocol, mode: mode}
	log.info("Initial protocol " + sim.initialProtocol())
	go sim.run(ctx)

	<-ctx.Done()
	log.info("Initiating graceful shutdown due to signal terminated ...")
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(shut)
	return 0
}

// tunnelIdentity finds the tunnel ID from the token (ok=false when the token
// does not decode), the tunnel argument of `run`, or the file's `tunnel:`.
func tunnelIdentity(inv invocation, mode string, getenv func(string) string, file rawConfig) (string, bool) {
	token := inv.lookup("token", getenv, file.Settings)
	if token == "" {
		if path := inv.lookup("token-file", getenv, file.Settings); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", false
			}
			token = strings.TrimSpace(string(b))
		}
	}
	if mode == "bad-token" {
		return "", false
	}
	if token != "" {
		raw, err := base64.StdEncoding.DecodeString(token)
		if err != nil {
			return "", false
		}
		var t struct {
			T string `json:"t"`
		}
		if json.Unmarshal(raw, &t) != nil || t.T == "" {
			return "", false
		}
		return t.T, true
	}
	if len(inv.args) > 0 {
		return inv.args[0], true
	}
	return file.Tunnel, true
}

// settingsLine renders cloudflared's "Settings: map[...]" with secrets masked.
func settingsLine(inv invocation, safe map[string]string) string {
	all := map[string]string{}
	for k, v := range inv.outer {
		all[k] = v
	}
	for k, v := range inv.inner {
		all[k] = v
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := all[k]
		if k == "token" || k == "credentials-contents" {
			v = "*****"
		} else {
			safe[k] = v
		}
		parts = append(parts, k+":"+v)
	}
	return "map[" + strings.Join(parts, " ") + "]"
}

func findDefaultConfig(home string) string {
	dirs := []string{filepath.Join(home, ".cloudflared"), filepath.Join(home, ".cloudflare-warp"),
		filepath.Join(home, "cloudflare-warp"), "/etc/cloudflared", "/usr/local/etc/cloudflared"}
	for _, d := range dirs {
		for _, f := range []string{"config.yml", "config.yaml"} {
			p := filepath.Join(d, f)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
	}
	return ""
}

// listenMetrics binds an explicit address as given, else the first free port
// of 20241-20245 on 0.0.0.0 (the container build's default).
func listenMetrics(addr string) (net.Listener, error) {
	if addr != "" {
		return net.Listen("tcp", addr)
	}
	var err error
	for port := 20241; port <= 20245; port++ {
		var ln net.Listener
		if ln, err = net.Listen("tcp", "0.0.0.0:"+strconv.Itoa(port)); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", "0.0.0.0:0")
}

func emitOriginError(log *logger, st *state, rule int, cause string) {
	st.mu.Lock()
	svc := ""
	if rule >= 0 && rule < len(st.cfg.Config.Ingress) {
		svc = st.cfg.Config.Ingress[rule].Service
	}
	st.totalRequests++
	st.requestErrors++
	st.mu.Unlock()
	log.error("", kv{"error", originErrorPrefix + cause}, kv{"connIndex", 0}, kv{"event", 1},
		kv{"ingressRule", rule}, kv{"originService", svc})
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// staticEdge is one --edge address and, when it does not resolve, the
// resolver's error (net.ResolveTCPAddr's text).
type staticEdge struct{ addr, err string }

// resolveStaticEdge resolves the comma-separated --edge list without any
// DNS traffic: IP literals always resolve, names resolve unless the
// simulated resolver fails (dns-fail).
func resolveStaticEdge(list, mode string) []staticEdge {
	var out []staticEdge
	for _, addr := range strings.Split(list, ",") {
		if addr = strings.TrimSpace(addr); addr == "" {
			continue
		}
		e := staticEdge{addr: addr}
		host, _, err := net.SplitHostPort(addr)
		switch {
		case err != nil:
			e.err = "address " + addr + ": missing port in address"
		case net.ParseIP(host) == nil && mode == "dns-fail":
			e.err = "lookup " + host + " on 127.0.0.11:53: server misbehaving"
		}
		out = append(out, e)
	}
	return out
}

// logPrechecks writes cloudflared 2026.8's structured connectivity
// pre-check lines (prechecks/result.go LogEvent) for the simulated network.
// With --edge the DNS rows are one per given address (prechecks
// resolveStaticEdge) instead of the SRV discovery's.
func logPrechecks(log *logger, mode, protocol string, edges []staticEdge) {
	if len(edges) > 0 {
		logStaticPrechecks(log, mode, protocol, edges)
		return
	}
	runID := newUUID()
	status := func(fail bool) string {
		if fail {
			return "fail"
		}
		return "pass"
	}
	dnsFail := mode == "dns-fail"
	quicFail := mode == "quic-blocked" || mode == "edge-blocked"
	tcpFail := mode == "tcp-blocked" || mode == "edge-blocked"
	checks := []struct {
		component, target, details string
		fail                       bool
	}{
		{"DNS Resolution", "region1.v2.argotunnel.com", "DNS Resolved successfully", dnsFail},
		{"UDP Connectivity", "Port 7844 (QUIC)", "QUIC connection successful", quicFail},
		{"TCP Connectivity", "Port 7844 (HTTP/2)", "HTTP/2 connection successful", tcpFail},
	}
	for _, c := range checks {
		details := c.details
		if c.fail {
			details = map[string]string{"DNS Resolution": "No addresses returned", "UDP Connectivity": "QUIC connection failed",
				"TCP Connectivity": "HTTP/2 connection is blocked or unreachable"}[c.component]
		}
		if dnsFail && c.component != "DNS Resolution" {
			details, c.fail = "DNS prerequisite failed", false
			log.info("precheck", kv{"run_id", runID}, kv{"component", c.component}, kv{"target", c.target}, kv{"status", "skip"}, kv{"details", details})
			continue
		}
		log.info("precheck", kv{"run_id", runID}, kv{"component", c.component}, kv{"target", c.target}, kv{"status", status(c.fail)}, kv{"details", details})
	}
	suggested := "quic"
	if quicFail || protocol == "http2" {
		suggested = "http2"
	}
	log.info("precheck complete", kv{"run_id", runID}, kv{"hard_fail", dnsFail || (quicFail && tcpFail)}, kv{"suggested_protocol", suggested})
}

func logStaticPrechecks(log *logger, mode, protocol string, edges []staticEdge) {
	runID := newUUID()
	resolved := false
	for _, e := range edges {
		status, details := "pass", "DNS Resolved successfully"
		if e.err != "" {
			// allregions.ResolveAddrs logs each failure as it goes.
			log.error("failed to resolve to TCP address", kv{"address", e.addr}, kv{"error", e.err})
			status, details = "fail", "No addresses returned"
		} else {
			resolved = true
		}
		log.info("precheck", kv{"run_id", runID}, kv{"component", "DNS Resolution"}, kv{"target", e.addr}, kv{"status", status}, kv{"details", details})
	}
	quicFail := mode == "quic-blocked" || mode == "edge-blocked"
	tcpFail := mode == "tcp-blocked" || mode == "edge-blocked"
	for _, c := range []struct {
		component, pass, failed string
		fail                    bool
	}{
		{"UDP Connectivity", "QUIC connection successful", "QUIC connection failed", quicFail},
		{"TCP Connectivity", "HTTP/2 connection successful", "HTTP/2 connection is blocked or unreachable", tcpFail},
	} {
		for _, e := range edges {
			status, details := "pass", c.pass
			switch {
			case !resolved:
				status, details = "skip", "DNS prerequisite failed"
			case e.err != "":
				status, details = "skip", "No suitable address found for configured IP version"
			case c.fail:
				status, details = "fail", c.failed
			}
			log.info("precheck", kv{"run_id", runID}, kv{"component", c.component}, kv{"target", e.addr}, kv{"status", status}, kv{"details", details})
		}
	}
	suggested := "quic"
	if quicFail || protocol == "http2" {
		suggested = "http2"
	}
	log.info("precheck complete", kv{"run_id", runID}, kv{"hard_fail", !resolved || (quicFail && tcpFail)}, kv{"suggested_protocol", suggested})
}
