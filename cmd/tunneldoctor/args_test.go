package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseArgsInterspersed(t *testing.T) {
	var out, errOut bytes.Buffer
	std := stdio{out: &out, err: &errOut}
	cases := []struct {
		args    []string
		config  string
		wantPos []string
	}{
		{[]string{"--config", "a.yml", "https://x"}, "a.yml", []string{"https://x"}},
		{[]string{"https://x", "--config", "a.yml"}, "a.yml", []string{"https://x"}},
		{[]string{"one", "--config=a.yml", "two"}, "a.yml", []string{"one", "two"}},
		{[]string{"--config", "a.yml", "--", "--not-a-flag", "x"}, "a.yml", []string{"--not-a-flag", "x"}},
		{[]string{"x", "--", "-y"}, "", []string{"x", "-y"}},
	}
	for _, c := range cases {
		fs := newFlagSet("t", std)
		config := fs.String("config", "", "")
		pos, code, ok := parseArgs(fs, c.args, std, "help")
		if !ok || code != 0 {
			t.Errorf("%v: ok=%v code=%d", c.args, ok, code)
			continue
		}
		if *config != c.config || strings.Join(pos, "|") != strings.Join(c.wantPos, "|") {
			t.Errorf("%v: config=%q pos=%q, want %q %q", c.args, *config, pos, c.config, c.wantPos)
		}
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{
		"chek": "check", "NET02": "NET002", "net002": "NET002", "xyzzy": "",
	} {
		got := strings.Join(suggest(in, []string{"check", "explain", "version", "NET002", "NET003"}), ",")
		if !strings.HasPrefix(got, want) || (want == "" && got != "") {
			t.Errorf("suggest(%q) = %q, want %q first", in, got, want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance = %d", d)
	}
}
