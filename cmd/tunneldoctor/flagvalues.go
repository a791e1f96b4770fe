package main

import (
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// The flag values below check their value in Set, so a bad value fails
// where it is read: on the command line with the flag package's
// `invalid value "x" for flag -name: reason`, from the environment with
// applyEnv's `environment variable TUNNELDOCTOR_NAME="x" (as --name): reason`.
// A check after parsing could not tell which of the two the value came
// from. Each error says why (the stdlib's bool and duration flags say only
// "parse error" through FlagSet.Set).

// checkedString is a string flag whose Set rejects what check rejects.
type checkedString struct {
	p     *string
	check func(string) error
}

func (c *checkedString) String() string {
	if c == nil || c.p == nil {
		return ""
	}
	return *c.p
}

func (c *checkedString) Set(s string) error {
	if err := c.check(s); err != nil {
		return err
	}
	*c.p = s
	return nil
}

// stringFlag defines a string flag checked in Set.
func stringFlag(fs *flag.FlagSet, name, value, usage string, check func(string) error) *string {
	p := new(string)
	*p = value
	fs.Var(&checkedString{p: p, check: check}, name, usage)
	return p
}

// enumFlag defines a string flag that takes only one of allowed.
func enumFlag(fs *flag.FlagSet, name, value, usage string, allowed ...string) *string {
	return stringFlag(fs, name, value, usage, func(s string) error {
		for _, a := range allowed {
			if s == a {
				return nil
			}
		}
		return fmt.Errorf("want %s", orList(allowed))
	})
}

// orList is "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// boolValue is a boolean flag (--name alone is true) whose error says why.
type boolValue struct{ p *bool }

func (b *boolValue) String() string {
	if b == nil || b.p == nil {
		return "false"
	}
	return strconv.FormatBool(*b.p)
}

func (b *boolValue) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%q is not a boolean: want true or false (or 1, t, 0, f)", s)
	}
	*b.p = v
	return nil
}

func (b *boolValue) IsBoolFlag() bool { return true }

// boolFlag defines a boolean flag stored in p.
func boolFlag(fs *flag.FlagSet, p *bool, name string, value bool, usage string) *bool {
	*p = value
	fs.Var(&boolValue{p: p}, name, usage)
	return p
}

// durationValue is a duration flag that returns time.ParseDuration's error
// and then check's (nil check: any duration).
type durationValue struct {
	p     *time.Duration
	check func(time.Duration) error
}

func (d *durationValue) String() string {
	if d == nil || d.p == nil {
		return "0s"
	}
	return d.p.String()
}

func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%w (want e.g. 30s or 2m)", err)
	}
	if d.check != nil {
		if err := d.check(v); err != nil {
			return err
		}
	}
	*d.p = v
	return nil
}

// durationFlag defines a duration flag stored in p.
func durationFlag(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string, check func(time.Duration) error) *time.Duration {
	*p = value
	fs.Var(&durationValue{p: p, check: check}, name, usage)
	return p
}

// atLeast is a duration check: min or longer.
func atLeast(min time.Duration) func(time.Duration) error {
	return func(d time.Duration) error {
		if d < min {
			return fmt.Errorf("%v is too short: want at least %v", d, min)
		}
		return nil
	}
}

// intValue is an integer flag whose error says why.
type intValue struct{ p *int }

func (i *intValue) String() string {
	if i == nil || i.p == nil {
		return "0"
	}
	return strconv.Itoa(*i.p)
}

func (i *intValue) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*i.p = v
	return nil
}

// intFlag defines an integer flag stored in p.
func intFlag(fs *flag.FlagSet, p *int, name string, value int, usage string) *int {
	*p = value
	fs.Var(&intValue{p: p}, name, usage)
	return p
}

// checkListen accepts "off", "" or HOST:PORT with a port number or name.
func checkListen(s string) error {
	if s == "off" || s == "" {
		return nil
	}
	_, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("want HOST:PORT or :PORT (e.g. :9090 or 127.0.0.1:9090) or off: %w", err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("want HOST:PORT or :PORT (e.g. :9090 or 127.0.0.1:9090) or off: bad port %q", port)
	}
	return nil
}
