package tunnelcfg

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// ParseCommandLine reads cloudflared's arguments and environment the way
// urfave/cli parses them: flags belong to the command they follow
// (`cloudflared [root flags] tunnel [tunnel flags] run [run flags] [TUNNEL]`),
// flag parsing stops at the first argument that is not a flag, and env
// vars fill what the command line did not set.
func ParseCommandLine(entrypoint, cmd []string, env []string) Settings {
	s := Settings{Flags: map[string]FlagValue{}}
	args := cloudflaredArgs(append(append([]string{}, entrypoint...), cmd...))
	if len(args) == 0 {
		return s
	}
	s.Binary = args[0]
	p := cliParser{s: &s, idx: newFlagIndex(), scope: scopeTunnel, redacted: []string{args[0]}}
	p.parse(args[1:])
	// The parser masked the table's secret flags; the redactor adds the
	// unknown secret-named flags and secrets by shape (a password in a URL).
	s.Args = NewRedactor().Args(p.redacted)
	s.applyEnv(env, p.reachedRun)
	s.derive()
	return s
}

// cloudflaredArgs finds cloudflared's argv in a container's entrypoint+cmd,
// also behind `sh -c "cloudflared ..."` or an init such as tini.
func cloudflaredArgs(all []string) []string {
	if len(all) == 0 {
		return nil
	}
	for i, a := range all {
		if strings.HasPrefix(path.Base(a), "cloudflared") {
			return all[i:]
		}
		if (a == "-c") && i+1 < len(all) && strings.Contains(all[i+1], "cloudflared") {
			return cloudflaredArgs(strings.Fields(all[i+1]))
		}
	}
	if len(all) > 0 && !strings.HasPrefix(all[0], "-") && all[0] != "tunnel" {
		return all // not recognisably cloudflared: parse as given
	}
	return append([]string{"cloudflared"}, all...) // cmd only (image entrypoint unknown)
}

type cliParser struct {
	s          *Settings
	idx        flagIndex
	scope      flagScope
	path       []string
	reachedRun bool
	redacted   []string
}

func (p *cliParser) parse(args []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			p.positional(args[i+1:])
			return
		}
		if isFlagArg(a) {
			i += p.flag(a, args[i+1:])
			continue
		}
		p.redacted = append(p.redacted, a)
		if !p.subcommand(a) {
			p.positional(args[i:])
			return
		}
	}
}

// subcommand moves into a command; false when a is an argument instead.
func (p *cliParser) subcommand(a string) bool {
	switch {
	case len(p.path) == 0:
		p.path = append(p.path, a)
		p.s.Subcommand = strings.Join(p.path, " ")
		return a == "tunnel" // other commands (version, access, service...) have their own flags: stop judging
	case len(p.path) == 1 && p.path[0] == "tunnel":
		p.path = append(p.path, a)
		p.s.Subcommand = strings.Join(p.path, " ")
		if a == "run" {
			p.scope, p.reachedRun = scopeRun, true
			return true
		}
		return false
	}
	return false
}

// positional handles the arguments after flag parsing stopped.
func (p *cliParser) positional(rest []string) {
	if len(p.path) == 0 || !p.reachedRun {
		return
	}
	p.redacted = append(p.redacted, rest[1:]...)
	if len(rest) == 0 {
		return
	}
	p.s.RunTarget = rest[0]
	if len(rest) > 1 {
		p.s.Problems = append(p.s.Problems, Problem{
			Kind: KindRunExtraArgs, Rule: -1, Field: "run", Fatal: true,
			Message: fmt.Sprintf("\"cloudflared tunnel run\" accepts only one argument, the ID or name of the tunnel to run. Got %q and then %s: flags after the tunnel name are not parsed.", rest[0], strings.Join(NewRedactor().Args(rest[1:]), " ")),
			Fix:     fmt.Sprintf("Put every flag before the tunnel name: `cloudflared tunnel [flags] run [run flags] %s`.", rest[0]),
		})
	}
}

// flag handles one flag argument and returns how many following arguments
// it consumed (its value).
func (p *cliParser) flag(a string, next []string) int {
	name, value, hasValue := splitFlag(a)
	spec, known := p.idx[name]
	consumed := 0
	if !known {
		p.redacted = append(p.redacted, a)
		p.s.Problems = append(p.s.Problems, Problem{
			Kind: KindFlagUnknown, Rule: -1, Field: "--" + name,
			Message: fmt.Sprintf("tunneldoctor does not know cloudflared flag --%s; if cloudflared does not either, it stops with \"Incorrect Usage: flag provided but not defined: -%s\".", name, name),
			Fix:     "Check the flag's spelling against `cloudflared tunnel --help` / `cloudflared tunnel run --help`.",
		})
		return 0
	}
	if spec.typ != flagBool && !hasValue {
		if len(next) == 0 {
			p.redacted = append(p.redacted, a)
			p.s.Problems = append(p.s.Problems, Problem{
				Kind: KindFlagValueInvalid, Rule: -1, Field: "--" + spec.name, Fatal: true,
				Message: "Incorrect Usage: flag needs an argument: -" + name,
				Fix:     fmt.Sprintf("Give a value: `--%s VALUE`.", spec.name),
			})
			return 0
		}
		value, consumed = next[0], 1
	}
	if spec.secret {
		p.redacted = append(p.redacted, "--"+name)
		if hasValue || consumed == 1 {
			p.redacted[len(p.redacted)-1] += "=" + Redacted
		}
	} else {
		p.redacted = append(p.redacted, a)
		if consumed == 1 {
			p.redacted = append(p.redacted, value)
		}
	}
	if spec.scope&p.scope == 0 {
		p.s.Problems = append(p.s.Problems, misplacedFlag(spec, name, p.scope))
		return consumed
	}
	if spec.typ == flagBool && !hasValue {
		value = "true"
	}
	if msg := checkFlagValue(spec, value); msg != "" {
		p.s.Problems = append(p.s.Problems, Problem{
			Kind: KindFlagValueInvalid, Rule: -1, Field: "--" + spec.name, Fatal: true,
			Message: fmt.Sprintf("Incorrect Usage: invalid value %q for flag -%s: %s", redactValue(spec, value), name, msg),
			Fix:     fmt.Sprintf("Give --%s %s.", spec.name, typeWord(spec.typ)),
		})
		return consumed
	}
	p.s.record(spec, value, FlagValue{Source: SourceCLI})
	return consumed
}

func misplacedFlag(spec flagSpec, name string, at flagScope) Problem {
	p := Problem{
		Kind: KindFlagMisplaced, Rule: -1, Field: "--" + spec.name, Fatal: true,
		Message: "Incorrect Usage: flag provided but not defined: -" + name,
	}
	if at == scopeRun {
		p.Message += fmt.Sprintf(" (--%s belongs to `cloudflared tunnel`, before `run`)", spec.name)
		p.Fix = fmt.Sprintf("Move it before `run`: `cloudflared tunnel --%s VALUE run ...`.", spec.name)
	} else {
		p.Message += fmt.Sprintf(" (--%s belongs to `cloudflared tunnel run`, after `run`)", spec.name)
		p.Fix = fmt.Sprintf("Move it after `run`: `cloudflared tunnel run --%s VALUE`%s.", spec.name, envHint(spec))
	}
	return p
}

// checkFlagValue parses a value as the flag's type; "" when fine.
func checkFlagValue(spec flagSpec, v string) string {
	var err error
	switch spec.typ {
	case flagBool:
		_, err = strconv.ParseBool(v)
	case flagInt:
		_, err = strconv.ParseInt(v, 0, strconv.IntSize)
	case flagUint:
		_, err = strconv.ParseUint(v, 0, 64)
	case flagDuration:
		_, err = time.ParseDuration(v)
	}
	if err != nil {
		return "parse error"
	}
	return ""
}

// record stores a flag value (redacted when secret) and decodes tokens.
func (s *Settings) record(spec flagSpec, value string, fv FlagValue) {
	fv.Value = redactValue(spec, value)
	if old, ok := s.Flags[spec.name]; ok && spec.typ == flagSlice {
		fv.Value = old.Value + "," + fv.Value
	}
	s.Flags[spec.name] = fv
	if spec.name == "token" {
		s.Token = nil
		t, err := DecodeToken(value)
		if err != nil {
			where := "--token"
			if fv.Source == SourceEnv {
				where = fv.Env
			}
			s.Problems = append(s.Problems, Problem{
				Kind: KindTokenInvalid, Rule: -1, Field: where, Fatal: true,
				Message: fmt.Sprintf("Provided Tunnel token is not valid. (%s: %v)", where, err),
				Fix:     "Copy the token again from the dashboard (Networks > Tunnels > your tunnel > the install command), without quotes or line breaks.",
			})
			return
		}
		s.Token = &t
	}
}

func redactValue(spec flagSpec, v string) string {
	if spec.secret && v != "" {
		return Redacted
	}
	return v
}

// applyEnv fills flags the command line did not set from the environment,
// for the commands on the path (run's env vars only when `run` is there).
func (s *Settings) applyEnv(env []string, reachedRun bool) {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, spec := range cloudflaredFlags() {
		if _, set := s.Flags[spec.name]; set || len(spec.env) == 0 {
			continue
		}
		if spec.scope&scopeTunnel == 0 && !reachedRun {
			continue
		}
		for _, name := range spec.env {
			v, ok := vars[name]
			if !ok {
				continue
			}
			if spec.typ == flagBool && v == "" {
				v = "false"
			}
			if msg := checkFlagValue(spec, v); msg != "" {
				s.Problems = append(s.Problems, Problem{
					Kind: KindFlagValueInvalid, Rule: -1, Field: name, Fatal: true,
					Message: fmt.Sprintf("could not parse %q as %s value from environment variable %q for flag %s", redactValue(spec, v), typeWord(spec.typ), name, spec.name),
					Fix:     fmt.Sprintf("Set %s to %s (e.g. %s=%s).", name, typeWord(spec.typ), name, typeExample(spec)),
				})
				break
			}
			s.record(spec, v, FlagValue{Source: SourceEnv, Env: name})
			break
		}
	}
}
