package main

import (
	"context"
	"flag"
	"sort"
	"time"

	"github.com/rs/zerolog"
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

// ingressFlags are the flags both ingress commands take.
type ingressFlags struct {
	config, output, logLevel *string
}

func bindIngressCommandFlags(fsName string, std stdio) (*flag.FlagSet, ingressFlags) {
	fs := newFlagSet(fsName, std)
	f := ingressFlags{
		config: fs.String("config", "", "cloudflared config file (env TUNNELDOCTOR_CONFIG)"),
		output: fs.String("output", "text", "text or json"),
	}
	f.logLevel = bindLogFlags(fs)
	return fs, f
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
