package cloudflared

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Metrics is the subset of cloudflared's Prometheus metrics the checks use.
// A metric cloudflared did not expose is absent from Seen.
type Metrics struct {
	// TotalRequests and RequestErrors are cloudflared_tunnel_total_requests
	// and cloudflared_tunnel_request_errors (the 502s cloudflared produced).
	TotalRequests float64 `json:"total_requests"`
	RequestErrors float64 `json:"request_errors"`
	// ResponsesByCode is cloudflared_tunnel_response_by_code: statuses the
	// origins (or http_status rules) answered; cloudflared's own 502s are not here.
	ResponsesByCode map[string]float64 `json:"responses_by_code,omitempty"`
	// HAConnections counts connection attempts, not live connections; use
	// /ready for connectivity.
	HAConnections float64 `json:"ha_connections"`
	// ConfigVersion reads 0 while /config says -1.
	ConfigVersion float64 `json:"config_version"`
	// Version is build_info's version label.
	Version string          `json:"version,omitempty"`
	Seen    map[string]bool `json:"-"`
}

// Metric names read from /metrics.
const (
	MetricTotalRequests  = "cloudflared_tunnel_total_requests"
	MetricRequestErrors  = "cloudflared_tunnel_request_errors"
	MetricResponseByCode = "cloudflared_tunnel_response_by_code"
	MetricHAConnections  = "cloudflared_tunnel_ha_connections"
	MetricConfigVersion  = "cloudflared_orchestration_config_version"
	MetricBuildInfo      = "build_info"
)

// Metrics reads /metrics and keeps the subset above.
func (c *Client) Metrics(ctx context.Context) (Metrics, error) {
	code, body, err := c.get(ctx, "/metrics")
	if err != nil {
		return Metrics{}, err
	}
	if code != http.StatusOK {
		return Metrics{}, fmt.Errorf("GET %s/metrics: HTTP %d: %q", c.base, code, snippet(body))
	}
	return ParseMetrics(body), nil
}

// ParseMetrics reads the Prometheus text format, keeping the known metrics
// and ignoring every other line.
func ParseMetrics(body []byte) Metrics {
	m := Metrics{Seen: map[string]bool{}}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, labels, value, ok := splitSample(line)
		if !ok {
			continue
		}
		switch name {
		case MetricTotalRequests:
			m.TotalRequests = value
		case MetricRequestErrors:
			m.RequestErrors = value
		case MetricHAConnections:
			m.HAConnections = value
		case MetricConfigVersion:
			m.ConfigVersion = value
		case MetricResponseByCode:
			if m.ResponsesByCode == nil {
				m.ResponsesByCode = map[string]float64{}
			}
			m.ResponsesByCode[labelValue(labels, "status_code")] += value
		case MetricBuildInfo:
			m.Version = labelValue(labels, "version")
		default:
			continue
		}
		m.Seen[name] = true
	}
	return m
}

// splitSample splits `name{labels} value [timestamp]`.
func splitSample(line string) (name, labels string, value float64, ok bool) {
	rest := line
	if i := strings.IndexByte(line, '{'); i >= 0 {
		j := strings.LastIndexByte(line, '}')
		if j < i {
			return "", "", 0, false
		}
		name, labels, rest = line[:i], line[i+1:j], line[j+1:]
	} else {
		sp := strings.IndexAny(line, " \t")
		if sp < 0 {
			return "", "", 0, false
		}
		name, rest = line[:sp], line[sp:]
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return "", "", 0, false
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return "", "", 0, false
	}
	return name, labels, v, true
}

// labelValue finds key="value" in a label set.
func labelValue(labels, key string) string {
	for _, part := range strings.Split(labels, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == key {
			if u, err := strconv.Unquote(v); err == nil {
				return u
			}
			return strings.Trim(v, `"`)
		}
	}
	return ""
}
