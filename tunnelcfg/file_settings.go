package tunnelcfg

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// settingText renders a top-level flag value as text; secrets are redacted
// so a Config can be printed as is.
func settingText(name string, v any, idx flagIndex) string {
	if spec, ok := idx[name]; (ok && spec.secret) || (!ok && isSecretName(name)) {
		if v == nil {
			return ""
		}
		return Redacted
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return "{" + strings.Join(keys, ",") + "}"
	}
	return fmt.Sprint(v)
}

// settingProblem judges one top-level key that is not a typed key: cloudflared
// reads it as a flag through altsrc, which fails on a wrong type
// (configuration.go configFileSettings.String/Int/Bool/Duration), ignores
// unknown names, and never reads `config` or `output` from the file.
func settingProblem(name string, v any, line int, idx flagIndex) (Problem, bool) {
	spec, ok := idx[name]
	if !ok || spec.name != name { // altsrc looks flags up by their main name only
		known := append(typedTopKeys(), fileFlagNames(idx)...)
		p := Problem{Kind: KindUnknownKey, Rule: -1, Field: name, Line: line}
		p.Message = fmt.Sprintf("cloudflared ignores the top-level key `%s`: it is neither a config key nor a flag it reads from the file.", name)
		if ok {
			p.Message = fmt.Sprintf("cloudflared ignores the top-level key `%s`: the file must use the flag's full name `%s`.", name, spec.name)
			p.Fix = fmt.Sprintf("Rename it to `%s:`.", spec.name)
			return p, true
		}
		if s := suggest(name, known); s != "" {
			p.Message += fmt.Sprintf(" Did you mean `%s`?", s)
			p.Fix = fmt.Sprintf("Rename it to `%s:`.", s)
		} else {
			p.Fix = fmt.Sprintf("Remove `%s:` or correct its name.", name)
		}
		return p, true
	}
	if !spec.file {
		return Problem{
			Kind: KindSettingNotFromFile, Rule: -1, Field: name, Line: line,
			Message: fmt.Sprintf("cloudflared does not read `%s` from the config file; this line has no effect.", name),
			Fix:     fmt.Sprintf("Pass it on cloudflared's command line before `run` (`cloudflared tunnel --%s VALUE run`)%s.", name, envHint(spec)),
		}, true
	}
	if msg := settingTypeError(spec, v); msg != "" {
		return Problem{
			Kind: KindSettingType, Rule: -1, Field: name, Line: line, Fatal: true,
			Message: fmt.Sprintf("`%s` has the wrong type: cloudflared fails with %q and does not start.", name, msg),
			Fix:     fmt.Sprintf("Write it as %s, e.g. `%s: %s`.", typeWord(spec.typ), name, typeExample(spec)),
		}, true
	}
	return Problem{}, false
}

func envHint(spec flagSpec) string {
	if len(spec.env) == 0 {
		return ""
	}
	return " or set " + spec.env[0]
}

// settingTypeError reproduces configFileSettings' checks; "" when fine.
func settingTypeError(spec flagSpec, v any) string {
	typeName := func(v any) string {
		if v == nil {
			return "<nil>"
		}
		return fmt.Sprintf("%T", v)
	}
	switch spec.typ {
	case flagString:
		if _, ok := v.(string); !ok {
			return fmt.Sprintf("expected string found %s for %s", typeName(v), spec.name)
		}
	case flagBool:
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("expected boolean found %s for %s", typeName(v), spec.name)
		}
	case flagInt, flagUint:
		if _, ok := v.(int); !ok {
			return fmt.Sprintf("expected int found %s for %s", typeName(v), spec.name)
		}
	case flagDuration:
		switch x := v.(type) {
		case string:
			if _, err := time.ParseDuration(x); err != nil {
				return err.Error()
			}
		default:
			return fmt.Sprintf("expected duration found %s for %s", typeName(v), spec.name)
		}
	case flagSlice:
		list, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("expected string slice found %s for %s", typeName(v), spec.name)
		}
		for _, e := range list {
			if _, ok := e.(string); !ok {
				return fmt.Sprintf("expected string, found %s for %v", typeName(e), e)
			}
		}
	}
	return ""
}

func typeWord(t flagType) string {
	switch t {
	case flagBool:
		return "true or false"
	case flagInt, flagUint:
		return "a whole number"
	case flagDuration:
		return "a Go duration string"
	case flagSlice:
		return "a list of strings"
	}
	return "a string (quote values that look like numbers)"
}

func typeExample(spec flagSpec) string {
	switch spec.typ {
	case flagBool:
		return "true"
	case flagInt, flagUint:
		return "5"
	case flagDuration:
		return "30s"
	case flagSlice:
		return `["a", "b"]`
	}
	if spec.name == "metrics" {
		return `"0.0.0.0:20241"`
	}
	return `"value"`
}

func fileFlagNames(idx flagIndex) []string {
	var names []string
	for k, f := range idx {
		if k == f.name && f.file {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}
