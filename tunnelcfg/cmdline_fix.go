package tunnelcfg

import (
	"path"
	"strings"
)

// FixCommandLine rewrites cloudflared's argv (entrypoint + cmd) into one
// `cloudflared tunnel run` accepts, by the same flag table ParseCommandLine
// reads: a flag only `tunnel` defines (--metrics, --loglevel...) moves
// before `run`, a flag only `run` defines (--token, --credentials-file...)
// moves after it, each with its value, and the tunnel name (or any other
// argument) goes last, after run's flags. extra holds flag/value pairs to
// add before `run` ("--metrics", "0.0.0.0:20241") unless that flag is
// already set there. Values are kept as given: pass a redacted argv when the
// result is shown (the agent's record of cloudflared's command line is).
// nil when argv has no `tunnel run`.
func FixCommandLine(argv []string, extra ...string) []string {
	idx := newFlagIndex()
	start := 0 // argv[:start] is what runs cloudflared (an init, the binary): kept as it is
	for i, a := range argv {
		if strings.HasPrefix(path.Base(a), "cloudflared") {
			start = i + 1
			break
		}
	}
	args := splitArgs(argv[start:], idx)
	runAt, operands := -1, 0
	for i, g := range args {
		if g.flag {
			continue
		}
		operands++
		if operands == 1 && g.tokens[0] != "tunnel" {
			return nil // another command (version, access, service...)
		}
		if operands == 2 {
			if g.tokens[0] == "run" {
				runAt = i
			}
			break
		}
	}
	if runAt < 0 {
		return nil
	}
	var before, runFlags, rest []argGroup
	for _, g := range args[:runAt] {
		if g.spec != nil && g.spec.scope&scopeTunnel == 0 {
			runFlags = append(runFlags, g)
		} else {
			before = append(before, g)
		}
	}
	for _, g := range args[runAt+1:] {
		switch {
		case g.spec != nil && g.spec.scope&scopeRun == 0:
			before = append(before, g)
		case g.flag:
			runFlags = append(runFlags, g) // run's own flags, and unknown ones where they were
		default:
			rest = append(rest, g)
		}
	}
	for j := 0; j+1 < len(extra); j += 2 {
		if !setIn(before, extra[j], idx) {
			before = append(before, argGroup{tokens: []string{extra[j], extra[j+1]}, flag: true})
		}
	}
	out := append([]string(nil), argv[:start]...)
	for _, part := range [][]argGroup{before, {args[runAt]}, runFlags, rest} {
		for _, g := range part {
			out = append(out, g.tokens...)
		}
	}
	return out
}

// argGroup is one flag with its value, or one other argument, as cloudflared's
// flag parser reads them.
type argGroup struct {
	tokens []string
	flag   bool      // a flag (known or not), not an argument
	spec   *flagSpec // the known flag, nil for arguments and unknown flags
}

// splitArgs groups arguments into flags with their values. A known flag that
// takes a value takes the next argument (whatever it looks like, as Go's flag
// package does) unless it is written `--flag=value`; a boolean flag never
// does; an unknown flag stands alone. After "--" everything is one argument
// group.
func splitArgs(args []string, idx flagIndex) []argGroup {
	var out []argGroup
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			out = append(out, argGroup{tokens: append([]string(nil), args[i:]...)})
			break
		}
		if !isFlagArg(a) {
			out = append(out, argGroup{tokens: []string{a}})
			continue
		}
		name, _, hasValue := splitFlag(a)
		spec, known := idx[name]
		if !known {
			out = append(out, argGroup{tokens: []string{a}, flag: true})
			continue
		}
		g := argGroup{tokens: []string{a}, flag: true, spec: &spec}
		if spec.typ != flagBool && !hasValue && i+1 < len(args) {
			i++
			g.tokens = append(g.tokens, args[i])
		}
		out = append(out, g)
	}
	return out
}

// isFlagArg reports whether a is a flag ("-x", "--name", "--name=value").
func isFlagArg(a string) bool { return len(a) > 1 && a[0] == '-' }

// splitFlag takes a flag argument apart: "--name=value" -> name, value, true.
func splitFlag(a string) (name, value string, hasValue bool) {
	name = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
	if k := strings.IndexByte(name, '='); k >= 0 {
		return name[:k], name[k+1:], true
	}
	return name, "", false
}

// setIn reports whether one of the groups sets the flag (by any of its names).
func setIn(groups []argGroup, flag string, idx flagIndex) bool {
	want, _, _ := splitFlag(flag)
	if spec, ok := idx[want]; ok {
		want = spec.name
	}
	for _, g := range groups {
		if !g.flag {
			continue
		}
		name, _, _ := splitFlag(g.tokens[0])
		if g.spec != nil {
			name = g.spec.name
		}
		if name == want {
			return true
		}
	}
	return false
}
