package cloudflared

import (
	"strconv"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Kind names what a log line says. The strings are stable: checks and
// reports key on them.
type Kind string

// Kinds of log events.
const (
	KindEdgeDNSFailure     Kind = "edge_dns_failure"     // SRV lookup of the edge failed; cloudflared exits
	KindQUICBlocked        Kind = "quic_blocked"         // UDP 7844 dropped
	KindProtocolFallback   Kind = "protocol_fallback"    // "Switching to fallback protocol http2"
	KindTCPBlocked         Kind = "tcp_blocked"          // TCP 7844 dial or TLS to the edge failed
	KindUnauthorized       Kind = "unauthorized"         // the edge refused the tunnel's credentials
	KindRegisterFailed     Kind = "register_failed"      // another server-side registration error
	KindInvalidToken       Kind = "invalid_token"        // "Provided Tunnel token is not valid."
	KindFlagAfterRun       Kind = "flag_after_run"       // "Incorrect Usage: flag provided but not defined: -metrics"
	KindStartFailed        Kind = "start_failed"         // "Couldn't start tunnel" (bad ingress...)
	KindShutdown           Kind = "shutdown"             // "Initiating shutdown" for another reason
	KindRegistered         Kind = "registered"           // "Registered tunnel connection"
	KindConnectionLost     Kind = "connection_lost"      // lost / terminated / unregistered connection
	KindConfigUpdated      Kind = "config_updated"       // "Updated to new configuration" (dashboard push)
	KindConfigUpdateFailed Kind = "config_update_failed" // a push cloudflared rejected
	KindOriginError        Kind = "origin_error"         // "Unable to reach the origin service ..."
	KindRequestFailed      Kind = "request_failed"       // transport-level "Request failed"
	KindNoIngress          Kind = "no_ingress"           // 503 for every request
	KindCredentialsMissing Kind = "credentials_missing"  // credentials file not found
	KindTunnelIDMissing    Kind = "tunnel_id_missing"    // run without a tunnel name or token
	KindMetricsStarted     Kind = "metrics_started"      // "Starting metrics server on ADDR/metrics"
	KindGracefulShutdown   Kind = "graceful_shutdown"    // stopped by a signal
)

// Event is one classified log line. Secrets are already redacted from every
// field.
type Event struct {
	Kind    Kind      `json:"kind"`
	Time    time.Time `json:"time,omitzero"`
	Level   string    `json:"level,omitempty"`
	Message string    `json:"message,omitempty"`
	// Cause is the error text: the edge's answer, the origin dial error
	// (without cloudflared's "Unable to reach..." preamble), the bad flag...
	Cause string `json:"cause,omitempty"`
	// CauseKind classifies an origin error's cause (OriginCause* values).
	CauseKind string `json:"cause_kind,omitempty"`
	// Rule is the 0-based ingressRule of an origin error, -1 otherwise.
	Rule          int    `json:"rule"`
	OriginService string `json:"origin_service,omitempty"`
	ConnIndex     int    `json:"conn_index"` // -1 when the line has none
	Protocol      string `json:"protocol,omitempty"`
	Location      string `json:"location,omitempty"`
	// Version and Config are a configuration push ("Updated to new
	// configuration"): its version and raw JSON.
	Version int    `json:"version,omitempty"`
	Config  string `json:"config,omitempty"`
	// Flag is the flag cloudflared refused (flag_after_run), e.g. "metrics".
	Flag string `json:"flag,omitempty"`
	// Addr is the metrics server address (metrics_started).
	Addr string `json:"addr,omitempty"`
	// Line is the whole line, redacted and cut to a readable length.
	Line string `json:"line"`
}

// OriginPrefix starts the error cloudflared logs when it cannot reach an origin.
const OriginPrefix = "Unable to reach the origin service"

const originPreamble = "Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: "

// maxEventLine bounds Event.Line (evidence, not an archive).
const maxEventLine = 1024

// Classify parses and classifies log lines (oldest first) and returns the
// events it recognises, in order. secrets is the run's redactor (its known
// values on top of the shapes it always removes); nil redacts by shape.
func Classify(lines []string, secrets *redact.Redactor) []Event {
	var out []Event
	for _, raw := range lines {
		if e, ok := ClassifyLine(raw, secrets); ok {
			out = append(out, e)
		}
	}
	return out
}

// ClassifyLine classifies one line; ok is false for lines of no interest.
func ClassifyLine(raw string, secrets *redact.Redactor) (Event, bool) {
	if len(raw) > MaxLineBytes {
		raw = raw[:MaxLineBytes]
	}
	red := secrets.String(raw)
	l := ParseLine(red)
	e := Event{Time: l.Time, Level: l.Level, Message: l.Message, Rule: -1, ConnIndex: -1, Line: cut(strings.TrimSpace(red), maxEventLine)}
	if v, ok := l.Fields["connIndex"]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			e.ConnIndex = n
		}
	}
	msg, errText := l.Message, l.Error
	switch {
	case strings.HasPrefix(errText, OriginPrefix):
		e.Kind = KindOriginError
		e.Cause = strings.TrimPrefix(errText, originPreamble)
		if e.Cause == errText { // another wording: keep what follows the first ": "
			if _, after, ok := strings.Cut(errText, ": "); ok {
				e.Cause = after
			}
		}
		e.CauseKind = OriginCauseKind(e.Cause)
		e.OriginService = l.Fields["originService"]
		if n, err := strconv.Atoi(l.Fields["ingressRule"]); err == nil {
			e.Rule = n
		}
	case strings.HasPrefix(msg, "edge discovery: error looking up Cloudflare edge IPs"),
		strings.Contains(errText, "Could not lookup srv records on"):
		e.Kind, e.Cause = KindEdgeDNSFailure, errText
	case msg == "failed to resolve to TCP address", msg == "failed to resolve to UDP address":
		// An --edge address that does not resolve (allregions.ResolveAddrs).
		e.Kind, e.Cause = KindEdgeDNSFailure, errText
	case msg == "Failed to dial a quic connection":
		e.Kind, e.Cause = KindQUICBlocked, errText
	case strings.HasPrefix(msg, "If this log occurs persistently, and cloudflared is unable to connect to Cloudflare Network with `quic` protocol"):
		e.Kind, e.Cause = KindQUICBlocked, "egress UDP to port 7844 blocked or dropped (cloudflared's warning)"
		e.Message = firstLine(msg)
	case strings.HasPrefix(msg, "Switching to fallback protocol "):
		e.Kind, e.Protocol = KindProtocolFallback, strings.TrimPrefix(msg, "Switching to fallback protocol ")
	case msg == "Unable to establish connection with Cloudflare edge",
		(msg == "Serve tunnel error" || msg == "Unable to establish connection.") && isEdgeDialError(errText):
		e.Kind, e.Cause = KindTCPBlocked, errText
	case msg == "Register tunnel error from server side":
		e.Kind, e.Cause = KindRegisterFailed, errText
		if strings.Contains(errText, "Unauthorized") {
			e.Kind = KindUnauthorized
		}
	case strings.Contains(errText, "Unauthorized: ") && l.Level != "":
		e.Kind, e.Cause = KindUnauthorized, errText
	case strings.HasPrefix(strings.ToLower(msg), "provided tunnel token is not valid"):
		e.Kind, e.Cause = KindInvalidToken, msg
	case strings.HasPrefix(msg, "Incorrect Usage: flag provided but not defined: "):
		e.Kind = KindFlagAfterRun
		e.Flag = strings.TrimLeft(strings.TrimPrefix(msg, "Incorrect Usage: flag provided but not defined: "), "-")
		e.Cause = strings.TrimPrefix(msg, "Incorrect Usage: ")
	case msg == "Couldn't start tunnel":
		e.Kind, e.Cause = KindStartFailed, errText
	case msg == "Initiating shutdown":
		e.Kind, e.Cause = KindShutdown, errText
	case msg == "Registered tunnel connection":
		e.Kind, e.Protocol, e.Location = KindRegistered, l.Fields["protocol"], l.Fields["location"]
	case strings.HasPrefix(msg, "Lost connection with the edge"), msg == "Connection terminated",
		msg == "Unregistered tunnel connection":
		e.Kind, e.Cause = KindConnectionLost, errText
	case msg == "Updated to new configuration":
		e.Kind, e.Config = KindConfigUpdated, l.Fields["config"]
		e.Version, _ = strconv.Atoi(l.Fields["version"])
	case msg == "Failed to deserialize new configuration", msg == "Failed to update ingress":
		e.Kind, e.Cause = KindConfigUpdateFailed, errText
		e.Version, _ = strconv.Atoi(l.Fields["version"])
	case msg == "Request failed", msg == "failed to serve incoming request":
		e.Kind, e.Cause = KindRequestFailed, errText
		e.OriginService = l.Fields["dest"]
	case strings.HasPrefix(msg, "No ingress rules were defined in provided config"):
		e.Kind = KindNoIngress
	case strings.HasPrefix(msg, "Tunnel credentials file") && strings.Contains(msg, "doesn't exist"):
		e.Kind, e.Cause = KindCredentialsMissing, msg
	case strings.Contains(msg, "requires the ID or name of the tunnel to run"):
		e.Kind, e.Cause = KindTunnelIDMissing, msg
	case strings.HasPrefix(msg, "Starting metrics server on "):
		e.Kind = KindMetricsStarted
		e.Addr = strings.TrimSuffix(strings.TrimPrefix(msg, "Starting metrics server on "), "/metrics")
	case msg == "precheck" && l.Fields["status"] == "fail":
		// cloudflared 2026.8's start-up connectivity pre-checks (prechecks/result.go).
		e.Cause = "connectivity pre-check failed: " + l.Fields["component"] + " " + l.Fields["target"] + ": " + l.Fields["details"]
		switch l.Fields["component"] {
		case "UDP Connectivity":
			e.Kind = KindQUICBlocked
		case "TCP Connectivity":
			e.Kind = KindTCPBlocked
		case "DNS Resolution":
			e.Kind = KindEdgeDNSFailure
		default:
			return Event{}, false
		}
	case strings.HasPrefix(msg, "Initiating graceful shutdown"):
		e.Kind = KindGracefulShutdown
	default:
		return Event{}, false
	}
	// Unquoting can rebuild a secret from escapes the raw-line pass missed.
	e.Message, e.Cause = secrets.String(e.Message), secrets.String(e.Cause)
	e.Config, e.OriginService = secrets.String(e.Config), secrets.String(e.OriginService)
	return e, true
}

func isEdgeDialError(s string) bool {
	return strings.Contains(s, "DialContext error") || strings.Contains(s, "TLS handshake with edge error")
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Causes of an origin error, from the dial/TLS/HTTP error text cloudflared
// logs (Go's own messages).
const (
	OriginCauseRefused           = "connection_refused"
	OriginCauseDNS               = "dns"
	OriginCauseNotTLS            = "tls_to_plain_http"
	OriginCauseUnknownAuthority  = "tls_unknown_authority"
	OriginCauseNameMismatch      = "tls_name_mismatch"
	OriginCauseNoIPSANs          = "tls_no_ip_sans"
	OriginCauseExpired           = "tls_expired"
	OriginCauseTLSTimeout        = "tls_handshake_timeout"
	OriginCauseTimeout           = "timeout"
	OriginCauseReset             = "connection_reset"
	OriginCauseEOF               = "eof"
	OriginCauseNoRoute           = "no_route"
	OriginCauseUnixSocketMissing = "unix_socket_missing"
	OriginCauseOther             = "other"
)

// OriginCauseKind classifies the cause of "Unable to reach the origin service".
func OriginCauseKind(cause string) string {
	c := cause
	switch {
	case strings.Contains(c, "dial unix") && strings.Contains(c, "no such file or directory"):
		return OriginCauseUnixSocketMissing
	case strings.Contains(c, "connection refused"):
		return OriginCauseRefused
	case strings.Contains(c, "no such host"), strings.Contains(c, "server misbehaving") && strings.Contains(c, "lookup "):
		return OriginCauseDNS
	case strings.Contains(c, "first record does not look like a TLS handshake"):
		return OriginCauseNotTLS
	case strings.Contains(c, "certificate signed by unknown authority"):
		return OriginCauseUnknownAuthority
	case strings.Contains(c, "doesn't contain any IP SANs"):
		return OriginCauseNoIPSANs
	case strings.Contains(c, "certificate is valid for"), strings.Contains(c, "certificate is not valid for any names"):
		return OriginCauseNameMismatch
	case strings.Contains(c, "certificate has expired or is not yet valid"):
		return OriginCauseExpired
	case strings.Contains(c, "TLS handshake timeout"):
		return OriginCauseTLSTimeout
	case strings.Contains(c, "i/o timeout"), strings.Contains(c, "context deadline exceeded"):
		return OriginCauseTimeout
	case strings.Contains(c, "connection reset by peer"):
		return OriginCauseReset
	case strings.Contains(c, "no route to host"), strings.Contains(c, "network is unreachable"):
		return OriginCauseNoRoute
	case strings.HasSuffix(strings.TrimSpace(c), "EOF"):
		return OriginCauseEOF
	}
	return OriginCauseOther
}
