package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/tunneldoctor/tunneldoctor/agent/checks"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

func ingressCommand() command {
	return command{
		name:    "ingress",
		summary: "offline config tools: validate a config file, find the rule a URL matches",
		run: func(ctx context.Context, std stdio, args []string) int {
			return dispatch(ctx, std, "tunneldoctor ingress", []command{
				{name: "validate", summary: "say whether cloudflared would accept a config file, and every problem in it", run: runIngressValidate},
				{name: "rule", summary: "print the ingress rule a URL matches, as cloudflared would pick it", run: runIngressRule},
			}, args)
		},
	}
}

const ingressValidateHelp = `Usage: tunneldoctor ingress validate --config FILE [--output text|json]

Reads a cloudflared config file and lists every problem in it at once, each
with its line, the rule it is about and the fix. Errors are what cloudflared
itself refuses; warnings are accepted by cloudflared but break requests or
were probably not meant (a misspelt key is silently ignored by cloudflared).

Exit codes: 0 cloudflared would accept the file (warnings allowed), 1 it would
not (or the file cannot be read), 3 bad command line.

Examples:
  tunneldoctor ingress validate --config /etc/cloudflared/config.yml
  tunneldoctor ingress validate --config config.yml --output json | jq '.problems[]'`

const ingressRuleHelp = `Usage: tunneldoctor ingress rule --config FILE [--output text|json] URL

Prints the ingress rule cloudflared would send a request for URL to: the
first rule whose hostname and path match, else the last (catch-all) rule.
Rule numbers are 0-based, as in cloudflared's logs (ingressRule=N).

Exit codes: 0 matched, 1 the config is invalid (problems are listed, as
cloudflared does) or the URL cannot be read, 3 bad command line.

Examples:
  tunneldoctor ingress rule --config config.yml https://app.example.com/api/users
  tunneldoctor ingress rule https://app.example.com --config config.yml --output json`

// ingressFlags are the flags both ingress commands take.
type ingressFlags struct {
	config, output, logLevel *string
}

func bindIngressCommandFlags(fsName string, std stdio) (*flag.FlagSet, ingressFlags) {
	fs := newFlagSet(fsName, std)
	f := ingressFlags{
		config: fs.String("config", envOr("TUNNELDOCTOR_CONFIG", ""), "cloudflared config file (env TUNNELDOCTOR_CONFIG)"),
		output: fs.String("output", "text", "text or json"),
	}
	f.logLevel = bindLogFlags(fs)
	return fs, f
}

func runIngressValidate(ctx context.Context, std stdio, args []string) int {
	const name = "ingress validate"
	fs, f := bindIngressCommandFlags(name, std)
	pos, code, ok := parseArgs(fs, args, std, ingressValidateHelp)
	if !ok {
		return code
	}
	// The file may also be given as the one argument.
	if *f.config == "" && len(pos) == 1 {
		*f.config, pos = pos[0], nil
	}
	log, code, ok := checkIngressFlags(std, name, f, pos, 0)
	if !ok {
		return code
	}
	_, problems, err := loadConfig(log, *f.config)
	if err != nil {
		fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
		return 1
	}
	valid := tunnelcfg.Valid(problems)
	if *f.output == "json" {
		if err := writeJSON(std.out, validateJSON{Valid: valid, Problems: problemsJSON(problems)}); err != nil {
			fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
			return 1
		}
	} else {
		fmt.Fprintf(std.out, "Validating rules from %s\n", *f.config)
		writeProblems(std.out, problems)
		errs, warns := countProblems(problems)
		if valid {
			fmt.Fprintf(std.out, "OK%s\n", warningsSuffix(warns))
		} else {
			fmt.Fprintf(std.out, "Validation failed: %d %s%s\n", errs, plural(errs, "error", "errors"), warningsSuffix(warns))
		}
	}
	if !valid {
		return 1
	}
	return 0
}

func runIngressRule(ctx context.Context, std stdio, args []string) int {
	const name = "ingress rule"
	fs, f := bindIngressCommandFlags(name, std)
	pos, code, ok := parseArgs(fs, args, std, ingressRuleHelp)
	if !ok {
		return code
	}
	log, code, ok := checkIngressFlags(std, name, f, pos, 1)
	if !ok {
		return code
	}
	cfg, problems, err := loadConfig(log, *f.config)
	if err != nil {
		fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
		return 1
	}
	if !tunnelcfg.Valid(problems) {
		// Like cloudflared: an invalid config matches nothing.
		fmt.Fprintf(std.err, "Validation failed for %s:\n", *f.config)
		writeProblems(std.err, fatalOnly(problems))
		return 1
	}
	i, err := cfg.MatchURL(pos[0])
	if err != nil {
		fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
		return 1
	}
	if i < 0 || i >= len(cfg.Rules) {
		fmt.Fprintf(std.err, "tunneldoctor %s: no rule matches %s\n", name, pos[0])
		return 1
	}
	r := cfg.Rules[i]
	if *f.output == "json" {
		if err := writeJSON(std.out, ruleJSON{Rule: i, Hostname: r.Hostname, Path: r.Path, Service: r.Service, Line: r.Line}); err != nil {
			fmt.Fprintf(std.err, "tunneldoctor %s: %v\n", name, err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(std.out, "Matched rule #%d\n", i)
	if r.Hostname != "" {
		fmt.Fprintf(std.out, "\thostname: %s\n", r.Hostname)
	}
	if r.Path != "" {
		fmt.Fprintf(std.out, "\tpath: %s\n", r.Path)
	}
	fmt.Fprintf(std.out, "\tservice: %s\n", r.Service)
	return 0
}

// checkIngressFlags validates the command line and builds the logger.
func checkIngressFlags(std stdio, name string, f ingressFlags, pos []string, wantArgs int) (zerolog.Logger, int, bool) {
	nop := zerolog.Nop()
	if *f.config == "" {
		return nop, usageError(std, name, "--config FILE is required"), false
	}
	if err := oneOf("output", *f.output, "text", "json"); err != nil {
		return nop, usageError(std, name, "%v", err), false
	}
	log, err := newLogger(std.err, std.errTTY, *f.logLevel)
	if err != nil {
		return nop, usageError(std, name, "%v", err), false
	}
	if len(pos) != wantArgs {
		if wantArgs == 0 {
			return nop, usageError(std, name, "unexpected argument %q", pos[0]), false
		}
		return nop, usageError(std, name, "want exactly one URL, got %d arguments", len(pos)), false
	}
	return log, 0, true
}

// loadConfig reads a config file and validates it: every problem at once.
func loadConfig(log zerolog.Logger, path string) (*tunnelcfg.Config, []tunnelcfg.Problem, error) {
	start := time.Now()
	cfg, problems, err := tunnelcfg.Load(path)
	if err != nil {
		return nil, nil, err
	}
	if cfg != nil {
		problems = append(problems, tunnelcfg.Validate(cfg)...)
		log.Debug().Str("config", path).Int("rules", len(cfg.Rules)).Int("problems", len(problems)).
			Dur("took", time.Since(start)).Msg("config loaded and validated")
	}
	sort.SliceStable(problems, func(i, j int) bool {
		a, b := problems[i], problems[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Rule < b.Rule
	})
	return cfg, problems, nil
}

// problemSeverity is "error" for what cloudflared refuses, else the usual
// severity of the check that reports this kind of problem.
func problemSeverity(p tunnelcfg.Problem) string {
	if p.Fatal {
		return "error"
	}
	if c, ok := checks.ByCode(checks.CodeForKind(p.Kind)); ok && c.Severity.String() != "error" {
		return c.Severity.String()
	}
	return "warn"
}

// writeProblems lists problems for a terminal: where, severity and code on
// one line, then the message and the fix wrapped to 80 columns.
func writeProblems(w io.Writer, problems []tunnelcfg.Problem) {
	for _, p := range problems {
		var where []string
		if p.Line > 0 {
			where = append(where, fmt.Sprintf("line %d", p.Line))
		}
		if p.Rule >= 0 {
			where = append(where, fmt.Sprintf("rule #%d", p.Rule))
		}
		if p.Field != "" {
			where = append(where, p.Field)
		}
		head := problemSeverity(p)
		if code := checks.CodeForKind(p.Kind); code != "" {
			head += " " + code
		}
		if len(where) > 0 {
			head = strings.Join(where, ", ") + ": " + head
		}
		fmt.Fprintf(w, "\n  %s\n", head)
		fmt.Fprintln(w, indentLines(p.Message, "    "))
		if p.Fix != "" {
			fix := indentLines("fix: "+p.Fix, "    ")
			fmt.Fprintln(w, strings.ReplaceAll(fix, "\n    ", "\n         "))
		}
	}
	if len(problems) > 0 {
		fmt.Fprintln(w)
	}
}

func countProblems(problems []tunnelcfg.Problem) (errs, warns int) {
	for _, p := range problems {
		if p.Fatal {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

func fatalOnly(problems []tunnelcfg.Problem) []tunnelcfg.Problem {
	var out []tunnelcfg.Problem
	for _, p := range problems {
		if p.Fatal {
			out = append(out, p)
		}
	}
	return out
}

func warningsSuffix(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d %s)", n, plural(n, "warning", "warnings"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
