package status

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/agent/watch"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// MetricsContentType is the Prometheus text exposition format, version 0.0.4.
const MetricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// family is one metric family of the exposition: HELP and TYPE once, then
// its samples.
type family struct {
	name, help, typ string
	samples         []sample
}

type sample struct {
	labels []label
	value  float64
}

type label struct{ name, value string }

// WriteMetrics writes the Prometheus exposition of a view. It is written by
// hand (a dozen gauges do not need a client library) and kept stable:
// dashboards and alerts depend on these names.
func WriteMetrics(w io.Writer, v View) error {
	bw := bufio.NewWriter(w)
	for _, f := range families(v) {
		if len(f.samples) == 0 {
			continue
		}
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.typ)
		for _, s := range f.samples {
			bw.WriteString(f.name)
			writeLabels(bw, s.labels)
			bw.WriteByte(' ')
			bw.WriteString(formatValue(s.value))
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

func families(v View) []family {
	r := v.Latest
	fs := []family{
		buildInfo(v.Build),
		{name: "tunneldoctor_start_time_seconds", help: "When the sidecar started, in Unix seconds.", typ: "gauge",
			samples: []sample{{value: unixSeconds(v.Started)}}},
		runsTotal(v),
		{name: "tunneldoctor_run_crashes_total", help: "Runs that crashed (tunneldoctor bugs) since start.", typ: "counter",
			samples: []sample{{value: float64(v.Crashes)}}},
	}
	if r == nil {
		return fs
	}
	ready := Ready(r)
	fs = append(fs,
		family{name: "tunneldoctor_last_run_timestamp_seconds", help: "When the last run started, in Unix seconds.", typ: "gauge",
			samples: []sample{{value: unixSeconds(r.Started)}}},
		family{name: "tunneldoctor_last_run_duration_seconds", help: "How long the last run (collection and checks) took.", typ: "gauge",
			samples: []sample{{value: r.Duration.Seconds()}}},
		family{name: "tunneldoctor_ready", help: "1 when the tunnel is connected and every origin passes (the /readyz verdict).", typ: "gauge",
			samples: []sample{{value: boolValue(ready.Ready)}}},
	)
	if ready.Connected != nil {
		fs = append(fs, family{name: "tunneldoctor_tunnel_connected", help: "1 when cloudflared has a registered connection to the edge; absent when unknown.", typ: "gauge",
			samples: []sample{{value: boolValue(*ready.Connected)}}})
	}
	fs = append(fs, ruleUp(r), findingsBy(r.Findings, "tunneldoctor_findings", "Findings of the last run by code, severity and hop."),
		findingsBy(r.Open, "tunneldoctor_findings_open", "Open (flap-damped) findings by code, severity and hop, as the logs report them."),
		probePhases(r.Snapshot))
	return fs
}

func runsTotal(v View) family {
	f := family{name: "tunneldoctor_runs_total", help: "Runs since start, by what triggered them (start, interval, event, confirm, probe).", typ: "counter"}
	for _, t := range []watch.Trigger{watch.TriggerStart, watch.TriggerInterval, watch.TriggerEvent, watch.TriggerConfirm, watch.TriggerProbe} {
		f.samples = append(f.samples, sample{labels: []label{{"trigger", string(t)}}, value: float64(v.Runs[t])})
	}
	return f
}

// ruleUp is 1 for an ingress rule whose path has no error on any hop, as
// agent.Attribute judges it (the same verdict the status page colours and
// the text report leads with).
func ruleUp(r *watch.Result) family {
	f := family{name: "tunneldoctor_rule_up", help: "1 when the ingress rule's path (edge, tunnel, rule, network, container, protocol) has no error.", typ: "gauge"}
	if r.Snapshot == nil || r.Snapshot.Ingress.Config == nil {
		return f
	}
	for _, v := range agent.Attribute(r.Snapshot, r.Findings) {
		f.samples = append(f.samples, sample{labels: []label{
			{"rule", strconv.Itoa(v.Rule)}, {"hostname", v.Hostname}, {"path", v.Path}, {"service", v.Service},
		}, value: boolValue(v.Up())})
	}
	return f
}

func findingsBy(fs []agent.Finding, name, help string) family {
	type key struct{ code, sev, hop string }
	counts := map[key]int{}
	for _, f := range fs {
		if f.Severity == agent.Pass {
			continue
		}
		counts[key{f.Code, f.Severity.String(), f.Hop}]++
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].code != keys[j].code {
			return keys[i].code < keys[j].code
		}
		return keys[i].sev < keys[j].sev
	})
	out := family{name: name, help: help, typ: "gauge"}
	for _, k := range keys {
		out.samples = append(out.samples, sample{labels: []label{{"code", k.code}, {"severity", k.sev}, {"hop", k.hop}}, value: float64(counts[k])})
	}
	return out
}

// writeLabels writes {a="x",b="y"} with the format's escaping: backslash,
// double quote and newline.
func writeLabels(w *bufio.Writer, ls []label) {
	if len(ls) == 0 {
		return
	}
	w.WriteByte('{')
	for i, l := range ls {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(l.name)
		w.WriteString(`="`)
		// Control characters and bidi overrides shown as escapes first,
		// as the text report shows them; then the exposition format's own
		// escaping (which doubles their backslash).
		w.WriteString(labelEscaper.Replace(redact.Terminal(l.value)))
		w.WriteByte('"')
	}
	w.WriteByte('}')
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
