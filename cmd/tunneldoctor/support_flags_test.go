package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestSupportWithJSONIsAUsageError: --support prints a text bundle; asked
// together with --output json (from the command line or the environment)
// the command refuses, exit 3, instead of silently printing text to a JSON
// consumer. Nothing is collected or printed on stdout.
func TestSupportWithJSONIsAUsageError(t *testing.T) {
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
	}{
		"flags":        {nil, []string{"--support", "--output", "json"}},
		"env output":   {map[string]string{"TUNNELDOCTOR_OUTPUT": "json"}, []string{"--support"}},
		"env support":  {map[string]string{"TUNNELDOCTOR_SUPPORT": "true"}, []string{"--output", "json"}},
		"env for both": {map[string]string{"TUNNELDOCTOR_SUPPORT": "1", "TUNNELDOCTOR_OUTPUT": "json"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var out, errb bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			code := dispatch(ctx, stdio{out: &out, err: &errb}, "tunneldoctor", commands(), append([]string{"check", "--docker-host", "off"}, tc.args...))
			if code != exitUsage || !strings.Contains(errb.String(), "--support") || !strings.Contains(errb.String(), "--output json") {
				t.Fatalf("exit %d, stderr %q: want %d and why", code, errb.String(), exitUsage)
			}
			if out.Len() != 0 {
				t.Errorf("printed anyway: %q", out.String())
			}
		})
	}
}
