package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/cfapi"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/status"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

func watchCommand() command {
	return command{name: "watch", summary: "run as a sidecar: re-check on an interval and on Docker events, log changes, serve health and metrics", run: runWatch}
}

const watchHelp = `Usage: tunneldoctor watch [flags]

The sidecar. Runs every check at start-up, then again every --interval and
within a second of a Docker event (a container died, started, ran out of
memory or changed health; a network gained or lost a container). It logs
state changes only, one JSON line each on stdout: finding_opened,
finding_changed, finding_resolved (run_summary lines at --log-level debug).

Flapping is damped: a finding opens after two runs see it (an error right
after a Docker event opens at once) and resolves after two runs miss it; a
confirm run follows 2 s after a first sighting, so this costs seconds.

A slow or hung origin does not hold back the others: a run waits at most
--probe-budget (1.5 s) for an origin's probe, then reports that origin by
its last completed probe (or as not checked yet) while the probe goes on;
when it ends, a run follows at once with its verdict.

HTTP (--listen):
  /healthz   200 while the process is alive; 503 while the sidecar is
             stranded in cloudflared's old network namespace (AGT104)
  /readyz    200 when the tunnel is connected and every origin passes,
             else 503 with the reasons as JSON
  /metrics   Prometheus metrics
  /          status page: each hostname's hop chain, coloured, with the fix

The status server shows container names, service URLs and cloudflared's
command line (secrets redacted) to whoever reaches it, and --listen :9090
binds every interface. Use --listen 127.0.0.1:9090 to keep it local, and
--web.config.file (Prometheus' web configuration format) for TLS and
basic auth.

Examples:
  tunneldoctor watch
  tunneldoctor watch --interval 1m --listen 127.0.0.1:9090 --log-format console
  tunneldoctor watch --web.config.file /etc/tunneldoctor/web.yml   # TLS, basic auth
  docker compose -f deploy/compose.yml up -d      # the sidecar recipe (Compose v2)
  docker-compose -f deploy/compose.yml up -d      # the same with Compose v1 (Debian's docker-compose)`

func runWatch(ctx context.Context, std stdio, args []string) int {
	fs := newFlagSet("watch", std)
	var opts collect.Options
	bindCollectFlags(fs, &opts)
	interval := durationFlag(fs, new(time.Duration), "interval", watch.DefaultInterval, "re-check this often, at least 1s (env TUNNELDOCTOR_INTERVAL)", atLeast(time.Second))
	debounce := durationFlag(fs, new(time.Duration), "debounce", watch.DefaultDebounce, "wait this long after a Docker event for quiet before re-checking; positive, below --interval (env TUNNELDOCTOR_DEBOUNCE)", atLeast(time.Nanosecond))
	probeBudget := durationFlag(fs, new(time.Duration), "probe-budget", watch.DefaultProbeBudget, "how long a run waits for an origin's probe before it reports the others without it (its verdict follows when the probe ends; env TUNNELDOCTOR_PROBE_BUDGET)", atLeast(time.Nanosecond))
	listen := stringFlag(fs, "listen", ":9090", `HTTP address for /healthz /readyz /metrics and the status page; "off" disables (env TUNNELDOCTOR_LISTEN)`, checkListen)
	logFormat := enumFlag(fs, "log-format", "json", "log format on stdout: json or console (env TUNNELDOCTOR_LOG_FORMAT)", "json", "console")
	logLevel := stringFlag(fs, "log-level", "info", "lowest level logged: debug (adds run summaries), info, warn or error (env TUNNELDOCTOR_LOG_LEVEL)",
		func(s string) error { _, err := parseSidecarLevel(s); return err })
	noEvents := boolFlag(fs, new(bool), "no-events", false, "do not follow Docker events: re-check on the interval only (env TUNNELDOCTOR_NO_EVENTS)")
	refresh := intFlag(fs, new(int), "refresh", 10, "status page self-refresh period, seconds (env TUNNELDOCTOR_REFRESH)")
	webConfigFile := bindWebConfigFlag(fs)
	pos, code, ok := parseArgs(fs, args, std, watchHelp)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(std, "watch", "unexpected argument %q", pos[0])
	}
	if *debounce > *interval {
		return usageError(std, "watch", "--debounce %v is longer than --interval %v: want a positive duration below --interval, e.g. 500ms", *debounce, *interval)
	}
	webCfg, err := loadWebConfig(*webConfigFile)
	if err != nil {
		return usageError(std, "watch", "%v", err)
	}
	redactor := watch.NewRedactor(knownSecrets(opts)...)
	events, err := sidecarLogger(std.out, std.outTTY, redactor, *logFormat, *logLevel)
	if err != nil {
		return usageError(std, "watch", "%v", err)
	}
	diag, err := sidecarLogger(std.err, std.errTTY, redactor, *logFormat, *logLevel)
	if err != nil {
		return usageError(std, "watch", "%v", err)
	}
	opts.Logger = diag
	opts.Redactor = redactor // collection adds each run's secrets
	if opts.Edge.Cache == nil {
		opts.Edge.Cache = cfapi.NewCache() // API facts are cached across runs
	}
	// One hung origin must not hold back the verdict on the others: probes
	// are scheduled per origin, a run waits --probe-budget for them.
	prober := watch.NewProber(*probeBudget, nil)
	opts.Probes.Prober = prober

	w := &watch.Watcher{
		Collect: func(ctx context.Context) *agent.Snapshot {
			redactor.Add(knownSecrets(opts)...) // a rotated token file
			return collect.Snapshot(ctx, opts)
		},
		// After a Docker event: Docker and cloudflared facts only, so an
		// origin that died is logged before the probes time out.
		Quick: func(ctx context.Context) *agent.Snapshot {
			quick := opts
			quick.Probes.Disabled = "quick pass after a Docker event; the full run that follows probes the origins"
			quick.Edge.Disabled = "quick pass after a Docker event; the full run that follows reads the API"
			return collect.Snapshot(ctx, quick)
		},
		Judge:    func(s *agent.Snapshot) []agent.Finding { return agent.Run(s, checks.All()) },
		Probed:   prober.Completed(),
		Interval: *interval,
		Debounce: *debounce,
		Log:      events,
		Diag:     diag,
		Redactor: redactor,
		// A sidecar stranded in cloudflared's old namespace (AGT104) is
		// told from its own interfaces.
		SelfAddrs: watch.OwnAddrs,
	}
	if opts.Docker.Disabled == "" && !*noEvents {
		cli, err := dockerapi.Dial(opts.Docker.Host)
		if err != nil {
			diag.Warn().Err(err).Msg("no Docker client: re-checking on the interval only")
		} else {
			defer cli.Close()
			opts.Docker.Client = cli // one client for collection and events
			w.Events = cli.Events
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	serveErr := make(chan error, 1)
	if *listen != "off" && *listen != "" {
		// Listen before the first run, so a taken port fails at once.
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			fmt.Fprintf(std.err, "tunneldoctor watch: --listen %s: %v\n", *listen, err)
			return agent.ExitCantRun
		}
		if ln, err = webCfg.Listener(ln); err != nil {
			fmt.Fprintf(std.err, "tunneldoctor watch: --web.config.file %s: %v\n", *webConfigFile, err)
			return agent.ExitCantRun
		}
		store := status.NewStore(redactor)
		v, commit := buildVersion()
		store.SetBuild(status.Build{Version: v, Commit: commit})
		w.Publish = store.Publish
		h := webCfg.Protect(status.Handler(store, *refresh))
		go func() { serveErr <- status.ServeListener(ctx, ln, h, diag) }()
	}
	runErr := make(chan error, 1)
	go func() { runErr <- w.Run(ctx) }()

	return awaitWatch(ctx, cancel, serveErr, runErr, diag)
}

// awaitWatch waits for the watcher and the HTTP server. A stop (SIGTERM,
// SIGINT: ctx ends) is not a failure: both return, nothing is logged, and
// the exit code is 0. Only a listener that fails on its own while the
// watcher runs exits 3. (Both channels are ready at once after a stop, and
// select picks one at random: the server's clean nil must never read as a
// failure.)
func awaitWatch(ctx context.Context, cancel context.CancelFunc, serveErr, runErr <-chan error, diag zerolog.Logger) int {
	select {
	case err := <-serveErr:
		stopped := ctx.Err() != nil
		cancel()
		<-runErr
		if err == nil || stopped || errors.Is(err, http.ErrServerClosed) {
			return 0
		}
		diag.Error().Err(err).Msg("tunneldoctor watch: the HTTP listener failed")
		return agent.ExitCantRun
	case err := <-runErr:
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			diag.Error().Err(err).Msg("tunneldoctor watch stopped")
			return agent.ExitCantRun
		}
	}
	return 0
}

// sidecarLogger builds a logger whose every line goes through the redactor:
// JSON lines (redacted string by string, so they stay JSON), or zerolog's
// console layout (coloured on a terminal only) with control characters
// from the logged text shown as escapes.
func sidecarLogger(w io.Writer, tty bool, r *watch.Redactor, format, level string) (zerolog.Logger, error) {
	lvl, err := parseSidecarLevel(level)
	if err != nil {
		return zerolog.Nop(), fmt.Errorf("--log-level %q: %w", level, err)
	}
	out := r.JSONWriter(w)
	if format == "console" {
		noColor := !tty || os.Getenv("NO_COLOR") != ""
		out = zerolog.ConsoleWriter{Out: r.Writer(redact.TerminalWriter(w, !noColor)), TimeFormat: time.RFC3339, NoColor: noColor}
	}
	return zerolog.New(out).Level(lvl).With().Timestamp().Logger(), nil
}

// knownSecrets are the secret values the sidecar can know up front: the
// Cloudflare API token and a tunnel token in its own environment. Tokens
// found later look like tokens and are caught by pattern.
func knownSecrets(opts collect.Options) []string {
	secrets := []string{os.Getenv("TUNNEL_TOKEN"), os.Getenv("CLOUDFLARE_API_TOKEN")}
	if opts.Edge.Token != nil {
		if tok, err := opts.Edge.Token(); err == nil && !tok.Empty() {
			secrets = append(secrets, tok.Reveal())
		}
	}
	return secrets
}

// parseSidecarLevel is watch's --log-level: debug, info, warn or error.
func parseSidecarLevel(level string) (zerolog.Level, error) {
	name := strings.ToLower(strings.TrimSpace(level))
	if name == "warning" {
		name = "warn"
	}
	lvl, err := zerolog.ParseLevel(name)
	if err != nil || name == "" || lvl < zerolog.DebugLevel || lvl > zerolog.ErrorLevel {
		return zerolog.InfoLevel, errors.New("want debug, info, warn or error")
	}
	return lvl, nil
}
