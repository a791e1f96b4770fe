package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/agent/collect"
	"github.com/tunneldoctor/tunneldoctor/agent/report"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

func checkCommand() command {
	return command{name: "check", summary: "check every hop once, print the report, exit with the verdict", run: runCheck}
}

const checkHelp = `Usage: tunneldoctor check [flags]

Collects every fact it can reach (cloudflared's config, Docker networks and
containers, cloudflared's metrics server, live probes of each origin, the
Cloudflare API), runs every check once and prints a report grouped by
hostname. Checks whose facts are missing are listed as skipped, with why.

Exit codes:
  0  healthy (nothing at or above --fail-on)
  1  warnings
  2  errors
  3  tunneldoctor could not run or check what was asked: bad flags; neither
     the ingress rules nor cloudflared could be read (whatever --fail-on
     says); or an explicit --metrics did not answer, or no source gave the
     ingress rules, and nothing else was found wrong

Examples:
  tunneldoctor check --config /etc/cloudflared/config.yml
  tunneldoctor check --output json | jq '.findings[] | select(.severity == "error")'
  tunneldoctor check --fail-on error        # warnings alone exit 0
  tunneldoctor check --verbose              # each finding's evidence too
  tunneldoctor check --support > ticket.txt # one redacted report for a support ticket
                                            # (text only: with --output json it is a usage error, exit 3)
  docker run --rm --network container:cloudflared \
    -v /var/run/docker.sock:/var/run/docker.sock:ro \
    --group-add "$(stat -c %g /var/run/docker.sock)" tunneldoctor check
  (the image runs as uid 65532: --group-add gives it the Docker socket's group)`

func runCheck(ctx context.Context, std stdio, args []string) int {
	fs := newFlagSet("check", std)
	var opts collect.Options
	bindCollectFlags(fs, &opts)
	output := enumFlag(fs, "output", "text", "report format: text or json (env TUNNELDOCTOR_OUTPUT)", "text", "json")
	failOn := enumFlag(fs, "fail-on", "warn", "lowest severity that fails the run: warn or error (env TUNNELDOCTOR_FAIL_ON)", "warn", "error")
	color := enumFlag(fs, "color", "auto", "colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never (env TUNNELDOCTOR_COLOR)", "auto", "always", "never")
	support := boolFlag(fs, new(bool), "support", false, "print one redacted support bundle instead of the report: timestamps, versions, each failing URL with what a visitor got and /cdn-cgi/trace, the hop chain and the findings; no tokens or environment values; text only, not with --output json (env TUNNELDOCTOR_SUPPORT)")
	verbose := boolFlag(fs, new(bool), "verbose", false, "text report: add each finding's evidence (the JSON report always has it; env TUNNELDOCTOR_VERBOSE)")
	timeout := durationFlag(fs, new(time.Duration), "timeout", 2*time.Minute, "give up collecting after this long; what was collected is reported (env TUNNELDOCTOR_TIMEOUT)", atLeast(time.Millisecond))
	logLevel := bindLogFlags(fs)
	pos, code, ok := parseArgs(fs, args, std, checkHelp)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(std, "check", "unexpected argument %q (the config file goes in --config)", pos[0])
	}
	if *support && *output == "json" {
		// The bundle is text to paste into a ticket; printing it for
		// --output json would hand a JSON consumer something else.
		return usageError(std, "check", "--support prints a text bundle, not JSON: drop --output json (or TUNNELDOCTOR_OUTPUT=json), or use --output json without --support for the JSON report")
	}
	threshold, err := agent.ParseSeverity(*failOn)
	if err != nil {
		return usageError(std, "check", "%v", err)
	}
	// One redactor for the run: collection adds every secret it finds, and
	// the logs and the report go through it.
	redactor := tunnelcfg.NewRedactor(knownSecrets(opts)...)
	log, err := newLogger(safeLogWriter(std.err, std.errTTY, redactor), std.errTTY, *logLevel)
	if err != nil {
		return usageError(std, "check", "%v", err)
	}
	opts.Logger = log
	opts.Redactor = redactor

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	start := time.Now()
	snap := collect.Snapshot(ctx, opts)
	findings := agent.Run(snap, checks.All())
	exit, why := checkExit(snap, findings, threshold, opts)
	if why != "" {
		// "healthy" would be a lie: say what was not checked.
		fmt.Fprintf(std.err, "tunneldoctor check: %s\n", why)
	}
	log.Debug().Dur("took", time.Since(start)).Int("findings", len(findings)).Int("exit_code", exit).Msg("check done")

	// Redacted with the run's secrets, rendered, then redacted once more as
	// a whole (the header quotes facts, not findings) and, as text, with
	// every control character but the report's own colours made visible.
	findings = agent.RedactFindings(redactor, findings)
	var buf bytes.Buffer
	useColor := *color == "always" || (*color == "auto" && std.outTTY && os.Getenv("NO_COLOR") == "")
	switch {
	case *support:
		v, _ := buildVersion()
		if err = report.Support(&buf, snap, findings, report.SupportOptions{Version: v, ExitCode: exit}); err == nil {
			_, err = redact.TerminalWriter(std.out, false).Write(redactor.Bytes(buf.Bytes()))
		}
	case *output == "json":
		if err = report.JSON(&buf, snap, findings, exit); err == nil {
			_, err = std.out.Write(redactor.JSON(buf.Bytes()))
		}
	default:
		if err = report.Text(&buf, snap, findings, report.TextOptions{Color: useColor, ExitCode: exit, Verbose: *verbose}); err == nil {
			_, err = redact.TerminalWriter(std.out, useColor).Write(redactor.Bytes(buf.Bytes()))
		}
	}
	if err != nil {
		fmt.Fprintf(std.err, "tunneldoctor check: %v\n", err)
		return agent.ExitCantRun
	}
	return exit
}

// examinedTunnel reports whether the run saw the tunnel itself: its ingress
// rules or its cloudflared. Without either, every hostname check is skipped.
func examinedTunnel(s *agent.Snapshot) bool {
	return s.Ingress.Available() || s.Cloudflared.Available()
}
