package cfapi

import (
	"strconv"
	"strings"
)

// ErrKind classifies a failed API call so checks can tell "the token lacks a
// permission" from "the API is down" without reading error text.
type ErrKind string

const (
	KindAuth        ErrKind = "auth"         // 401, or codes 1000/6003/6111: the token itself is refused
	KindPermission  ErrKind = "permission"   // 403 (codes 10000, 9109, 10002): valid token, missing permission or scope
	KindNotFound    ErrKind = "not_found"    // 404, or codes 7003/7000: wrong or unknown identifier
	KindRateLimited ErrKind = "rate_limited" // 429, or not called while a 429's Retry-After runs
	KindServer      ErrKind = "server"       // 5xx
	KindNetwork     ErrKind = "network"      // no HTTP answer at all
	KindTimeout     ErrKind = "timeout"      // the call's deadline passed
	KindMalformed   ErrKind = "malformed"    // a 2xx whose body is not the expected JSON, or too large
	KindOther       ErrKind = "other"
)

// CallError is one failed API call, kept as data: which endpoint, the HTTP
// status, the envelope's error codes and messages, and what it means.
type CallError struct {
	// Endpoint is the route template, e.g. "GET /zones/{zone_id}/dns_records".
	Endpoint string `json:"endpoint"`
	// Subject is what the call was about (a zone name, a tunnel id), "" if none.
	Subject  string  `json:"subject,omitempty"`
	Status   int     `json:"status,omitempty"`
	Codes    []int   `json:"codes,omitempty"`
	Message  string  `json:"message"`
	Kind     ErrKind `json:"kind"`
	Attempts int     `json:"attempts,omitempty"`
	// Permission names the token permission the endpoint needs.
	Permission string `json:"permission,omitempty"`
}

func (e *CallError) Error() string {
	var b strings.Builder
	b.WriteString(e.Endpoint)
	if e.Subject != "" {
		b.WriteString(" (" + e.Subject + ")")
	}
	b.WriteString(": ")
	if e.Status != 0 {
		b.WriteString("HTTP " + strconv.Itoa(e.Status) + " ")
	}
	if len(e.Codes) > 0 {
		b.WriteString("code " + joinInts(e.Codes) + " ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Evidence renders the error as finding evidence.
func (e *CallError) Evidence() map[string]string {
	ev := map[string]string{"endpoint": e.Endpoint, "error": e.Message, "kind": string(e.Kind)}
	if e.Status != 0 {
		ev["status"] = strconv.Itoa(e.Status)
	}
	if len(e.Codes) > 0 {
		ev["codes"] = joinInts(e.Codes)
	}
	if e.Subject != "" {
		ev["subject"] = e.Subject
	}
	if e.Permission != "" {
		ev["permission"] = e.Permission
	}
	return ev
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// Permissions a diagnostic token needs, by the names the dashboard shows.
const (
	PermZoneRead         = "Zone > Zone > Read"
	PermDNSRead          = "Zone > DNS > Read"
	PermZoneSettingsRead = "Zone > Zone Settings > Read"
	PermTunnelRead       = "Account > Cloudflare Tunnel > Read"
)

// AllPermissions lists every permission tunneldoctor uses.
var AllPermissions = []string{PermZoneRead, PermDNSRead, PermZoneSettingsRead, PermTunnelRead}

// Endpoint templates, used as CallError.Endpoint and in evidence.
const (
	EndpointUserVerify    = "GET /user/tokens/verify"
	EndpointAccountVerify = "GET /accounts/{account_id}/tokens/verify"
	EndpointZones         = "GET /zones"
	EndpointDNSRecords    = "GET /zones/{zone_id}/dns_records"
	EndpointZoneSetting   = "GET /zones/{zone_id}/settings/{setting_id}"
	EndpointTunnel        = "GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}"
	EndpointConnections   = "GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}/connections"
	EndpointConfiguration = "GET /accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations"
	EndpointStatusPage    = "GET /api/v2/incidents/unresolved.json"
)

// PermissionFor maps an endpoint to the permission it needs ("" for token
// verification, which needs none).
func PermissionFor(endpoint string) string {
	switch endpoint {
	case EndpointZones:
		return PermZoneRead
	case EndpointDNSRecords:
		return PermDNSRead
	case EndpointZoneSetting:
		return PermZoneSettingsRead
	case EndpointTunnel, EndpointConnections, EndpointConfiguration:
		return PermTunnelRead
	}
	return ""
}
