package checks_test

import (
	"time"

	"encoding/json"
	"fmt"
	"github.com/tunneldoctor/tunneldoctor/agent/probe"
)

// fmtAll renders values every way a log or report might.
func fmtAll(vs ...any) string {
	out := ""
	for _, v := range vs {
		b, _ := json.Marshal(v)
		out += fmt.Sprintf("%v %+v %#v %s %q ", v, v, v, v, v) + string(b)
	}
	return out
}

func probeAt(host string, ttfb time.Duration) probe.Result {
	return probe.Result{Target: probe.Target{Rule: 0, Hostname: host, Service: "http://web:8080"},
		HTTP: &probe.HTTPPhase{Status: 200, TTFB: ttfb}}
}
