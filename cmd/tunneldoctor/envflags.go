package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

// envPrefix starts the environment variable of every flag.
const envPrefix = "TUNNELDOCTOR_"

// envName is the environment variable that sets a flag: TUNNELDOCTOR_ and
// the flag's name in upper case, "-" and "." as "_" (--no-events is
// TUNNELDOCTOR_NO_EVENTS).
func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(flagName))
}

// applyEnv sets every flag the command line did not set from its
// TUNNELDOCTOR_* variable, through the flag's own Set: the same parsing as
// on the command line (bools by strconv.ParseBool, durations by
// time.ParseDuration, the flag's own checks). The command line wins. An
// empty value counts as unset (compose's `VAR=` or `${VAR:-}`). A bad value
// is an error that names the variable, never a silently dropped setting.
func applyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || set[f.Name] {
			return
		}
		name := envName(f.Name)
		v, ok := lookup(name)
		if !ok || strings.TrimSpace(v) == "" {
			return
		}
		if e := fs.Set(f.Name, strings.TrimSpace(v)); e != nil {
			err = fmt.Errorf("environment variable %s=%q (as --%s): %w", name, v, f.Name, e)
		}
	})
	return err
}

// lookupEnv is the process environment, as applyEnv reads it.
func lookupEnv(name string) (string, bool) { return os.LookupEnv(name) }
