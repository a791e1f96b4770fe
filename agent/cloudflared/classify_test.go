package cloudflared

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

// Lines as cloudflared 2026.8.2 writes them, from the project's fact sheet
// (cloudflared.md §4, verified against a build of cloudflared d1df7985), in
// its console format and, for the same events, its JSON format (sorted keys).
func TestClassifyLine(t *testing.T) {
	cases := []struct {
		name string
		line string
		want Event // only the fields set here are compared (Kind always)
	}{
		{"origin refused console",
			`2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp 127.0.0.1:1: connect: connection refused" connIndex=0 event=1 ingressRule=0 originService=http://localhost:1`,
			Event{Kind: KindOriginError, Rule: 0, OriginService: "http://localhost:1", Cause: "dial tcp 127.0.0.1:1: connect: connection refused", CauseKind: OriginCauseRefused, ConnIndex: 0}},
		{"origin dns json",
			`{"connIndex":2,"error":"Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp: lookup no-such-host.invalid on 10.255.255.53:53: no such host","event":1,"ingressRule":3,"level":"error","originService":"http://no-such-host.invalid:8080","time":"2026-11-22T02:15:44Z"}`,
			Event{Kind: KindOriginError, Rule: 3, OriginService: "http://no-such-host.invalid:8080", Cause: "dial tcp: lookup no-such-host.invalid on 10.255.255.53:53: no such host", CauseKind: OriginCauseDNS, ConnIndex: 2, Level: "error"}},
		{"origin https to plain",
			`2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: tls: first record does not look like a TLS handshake" connIndex=1 event=1 ingressRule=1 originService=https://web:80`,
			Event{Kind: KindOriginError, Rule: 1, CauseKind: OriginCauseNotTLS}},
		{"origin self-signed",
			`2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: tls: failed to verify certificate: x509: certificate signed by unknown authority" connIndex=1 event=1 ingressRule=0 originService=https://web:443`,
			Event{Kind: KindOriginError, CauseKind: OriginCauseUnknownAuthority}},
		{"origin name mismatch",
			`2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: tls: failed to verify certificate: x509: certificate is valid for example.com, *.example.com, not foo.internal" connIndex=1 event=1 ingressRule=0 originService=https://foo.internal`,
			Event{Kind: KindOriginError, CauseKind: OriginCauseNameMismatch}},
		{"origin ip sans",
			`2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: tls: failed to verify certificate: x509: cannot validate certificate for 172.18.0.4 because it doesn't contain any IP SANs" connIndex=1 event=1 ingressRule=0 originService=https://172.18.0.4`,
			Event{Kind: KindOriginError, CauseKind: OriginCauseNoIPSANs}},
		{"origin tls timeout", `2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: net/http: TLS handshake timeout" connIndex=0 event=1 ingressRule=0 originService=https://web`,
			Event{Kind: KindOriginError, CauseKind: OriginCauseTLSTimeout}},
		{"origin connect timeout", `2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial tcp 10.0.0.9:8080: i/o timeout" connIndex=0 event=1 ingressRule=0 originService=http://10.0.0.9:8080`,
			Event{Kind: KindOriginError, CauseKind: OriginCauseTimeout}},
		{"origin EOF", `2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: EOF" connIndex=0 event=1 ingressRule=0 originService=http://web:8080`,
			Event{Kind: KindOriginError, CauseKind: OriginCauseEOF}},
		{"origin unix socket", `2026-11-22T02:15:44Z ERR  error="Unable to reach the origin service. The service may be down or it may not be responding to traffic from cloudflared: dial unix /run/app.sock: connect: no such file or directory" connIndex=0 event=1 ingressRule=0 originService=unix:/run/app.sock`,
			Event{Kind: KindOriginError, CauseKind: OriginCauseUnixSocketMissing, OriginService: "unix:/run/app.sock"}},
		{"edge dns console",
			`2026-11-22T02:15:45Z ERR edge discovery: error looking up Cloudflare edge IPs: the DNS query failed error="lookup _v2-origintunneld._tcp.argotunnel.com on 127.0.0.11:53: server misbehaving" event=0`,
			Event{Kind: KindEdgeDNSFailure, Cause: "lookup _v2-origintunneld._tcp.argotunnel.com on 127.0.0.11:53: server misbehaving"}},
		{"edge dns shutdown json",
			`{"error":"Could not lookup srv records on _v2-origintunneld._tcp.argotunnel.com: lookup _v2-origintunneld._tcp.argotunnel.com on 127.0.0.11:53: server misbehaving","level":"error","message":"Initiating shutdown","time":"2026-11-22T02:15:45Z"}`,
			Event{Kind: KindEdgeDNSFailure}},
		{"quic blocked",
			`2026-11-22T02:15:45Z ERR Failed to dial a quic connection error="failed to dial to edge with quic: timeout: no recent network activity" connIndex=0 event=0 ip=198.41.192.227`,
			Event{Kind: KindQUICBlocked, Cause: "failed to dial to edge with quic: timeout: no recent network activity", ConnIndex: 0}},
		{"quic persistent warning",
			"2026-11-22T02:15:45Z WRN If this log occurs persistently, and cloudflared is unable to connect to Cloudflare Network with `quic` protocol, then most likely your machine/network is getting its egress UDP to port 7844 (or others) blocked or dropped. Make sure to allow egress connectivity as per https://developers.cloudflare.com/cloudflare-one/connections/connect-apps/configuration/ports-and-ips/",
			Event{Kind: KindQUICBlocked, Level: "warn"}},
		{"fallback", `2026-11-22T02:15:46Z INF Switching to fallback protocol http2 connIndex=0 event=0 ip=198.41.192.227`,
			Event{Kind: KindProtocolFallback, Protocol: "http2"}},
		{"tcp blocked",
			`2026-11-22T02:15:46Z ERR Unable to establish connection with Cloudflare edge error="DialContext error: dial tcp 198.41.192.7:7844: i/o timeout" connIndex=0 event=0 ip=198.41.192.7`,
			Event{Kind: KindTCPBlocked, Cause: "DialContext error: dial tcp 198.41.192.7:7844: i/o timeout"}},
		{"tcp blocked tls json",
			`{"connIndex":1,"error":"TLS handshake with edge error: EOF","event":0,"ip":"198.41.200.13","level":"error","message":"Serve tunnel error","time":"2026-11-22T02:15:46Z"}`,
			Event{Kind: KindTCPBlocked, Cause: "TLS handshake with edge error: EOF", ConnIndex: 1}},
		{"unauthorized",
			`2026-11-22T02:15:46Z ERR Register tunnel error from server side error="Unauthorized: Invalid tunnel secret" connIndex=0 event=0 ip=198.41.200.193`,
			Event{Kind: KindUnauthorized, Cause: "Unauthorized: Invalid tunnel secret"}},
		{"unauthorized json",
			`{"connIndex":0,"error":"Unauthorized: Failed to get tunnel","event":0,"ip":"198.41.200.193","level":"error","message":"Register tunnel error from server side","time":"2026-11-22T02:15:46Z"}`,
			Event{Kind: KindUnauthorized, Cause: "Unauthorized: Failed to get tunnel"}},
		{"invalid token", `Provided Tunnel token is not valid.`, Event{Kind: KindInvalidToken}},
		{"flag after run", `Incorrect Usage: flag provided but not defined: -metrics`,
			Event{Kind: KindFlagAfterRun, Flag: "metrics", Cause: "flag provided but not defined: -metrics"}},
		{"couldn't start",
			`2026-11-22T02:15:46Z ERR Couldn't start tunnel error="The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)"`,
			Event{Kind: KindStartFailed, Cause: "The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)"}},
		{"registered",
			`2026-11-22T02:15:44Z INF Registered tunnel connection connIndex=3 connection=f22e4472-1fd7-4c73-ae75-7c9139e4ee21 event=0 ip=198.41.200.43 location=ams04 protocol=quic`,
			Event{Kind: KindRegistered, ConnIndex: 3, Protocol: "quic", Location: "ams04"}},
		{"config update console",
			`2026-11-22T02:15:44Z INF Updated to new configuration config="{\"ingress\":[{\"hostname\":\"app.example.com\",\"service\":\"http://web:8080\"},{\"service\":\"http_status:404\"}],\"warp-routing\":{}}" version=7`,
			Event{Kind: KindConfigUpdated, Version: 7, Config: `{"ingress":[{"hostname":"app.example.com","service":"http://web:8080"},{"service":"http_status:404"}],"warp-routing":{}}`}},
		{"config update json",
			`{"config":"{\"ingress\":[{\"service\":\"http_status:404\"}]}","level":"info","message":"Updated to new configuration","time":"2026-11-22T02:15:44Z","version":2}`,
			Event{Kind: KindConfigUpdated, Version: 2}},
		{"metrics started", `2026-11-22T02:15:44Z INF Starting metrics server on 127.0.0.1:20241/metrics`,
			Event{Kind: KindMetricsStarted, Addr: "127.0.0.1:20241"}},
		{"no ingress", `2026-11-22T02:15:44Z WRN No ingress rules were defined in provided config (if any) nor from the cli, cloudflared will return 503 for all incoming HTTP requests`,
			Event{Kind: KindNoIngress}},
		{"precheck udp fail console",
			`2026-11-22T02:15:43Z INF precheck component="UDP Connectivity" details="QUIC connection failed" run_id=0b5e8c1e-3d52-4c59-8e0e-2b8f3a1f6d11 status=fail target="Port 7844 (QUIC)"`,
			Event{Kind: KindQUICBlocked, Cause: "connectivity pre-check failed: UDP Connectivity Port 7844 (QUIC): QUIC connection failed"}},
		{"precheck tcp fail json",
			`{"component":"TCP Connectivity","details":"HTTP/2 connection is blocked or unreachable","level":"info","message":"precheck","run_id":"0b5e8c1e-3d52-4c59-8e0e-2b8f3a1f6d11","status":"fail","target":"Port 7844 (HTTP/2)","time":"2026-11-22T02:15:43Z"}`,
			Event{Kind: KindTCPBlocked}},
		{"docker timestamp prefix",
			`2026-11-22T02:15:44.123456789Z 2026-11-22T02:15:44Z ERR Register tunnel error from server side error="Unauthorized: Invalid tunnel secret" connIndex=0 event=0 ip=198.41.200.193`,
			Event{Kind: KindUnauthorized}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ClassifyLine(tc.line, nil)
			if !ok {
				t.Fatalf("line not recognised: %s", tc.line)
			}
			if got.Kind != tc.want.Kind {
				t.Fatalf("kind = %q, want %q", got.Kind, tc.want.Kind)
			}
			check := func(field, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("cause", got.Cause, tc.want.Cause)
			check("cause kind", got.CauseKind, tc.want.CauseKind)
			check("origin service", got.OriginService, tc.want.OriginService)
			check("protocol", got.Protocol, tc.want.Protocol)
			check("location", got.Location, tc.want.Location)
			check("config", got.Config, tc.want.Config)
			check("flag", got.Flag, tc.want.Flag)
			check("addr", got.Addr, tc.want.Addr)
			check("level", got.Level, tc.want.Level)
			if tc.want.Kind == KindOriginError && got.Rule != tc.want.Rule {
				t.Errorf("rule = %d, want %d", got.Rule, tc.want.Rule)
			}
			if tc.want.Version != 0 && got.Version != tc.want.Version {
				t.Errorf("version = %d, want %d", got.Version, tc.want.Version)
			}
			if tc.want.ConnIndex != 0 && got.ConnIndex != tc.want.ConnIndex {
				t.Errorf("connIndex = %d, want %d", got.ConnIndex, tc.want.ConnIndex)
			}
		})
	}
}

func TestClassifyIgnoresOtherLines(t *testing.T) {
	for _, line := range []string{
		"",
		`2026-11-22T02:15:44Z INF Version 2026.8.2 (Checksum 3f1c0e1b)`,
		`2026-11-22T02:15:44Z INF Settings: map[metrics:0.0.0.0:20241 no-autoupdate:true token:*****]`,
		`{"level":"info","message":"Generated Connector ID: 39787437-ace5-4d6f-bdc6-140869a37f4d","time":"2026-11-22T02:15:45Z"}`,
		`NAME:`,
		`{"not":"a log line"}`,
		`2026-11-22T02:15:43Z INF precheck component="UDP Connectivity" details="QUIC connection successful" run_id=0b5e8c1e status=pass target="Port 7844 (QUIC)"`,
		`2026-11-22T02:15:43Z INF precheck component="Cloudflare API" details="API Connection failed" run_id=0b5e8c1e status=fail target=api.cloudflare.com:443`,
	} {
		if e, ok := ClassifyLine(line, nil); ok {
			t.Errorf("line %q classified as %q", line, e.Kind)
		}
	}
}

func TestParseLineConsoleFields(t *testing.T) {
	l := ParseLine(`2026-11-22T02:15:44Z ERR  error="a \"quoted\" thing = not a field" connIndex=0 event=1 ingressRule=0 originService=http://localhost:1`)
	if l.Level != "error" || l.Message != "" {
		t.Fatalf("level/message = %q/%q", l.Level, l.Message)
	}
	if l.Error != `a "quoted" thing = not a field` {
		t.Errorf("error = %q", l.Error)
	}
	if l.Fields["originService"] != "http://localhost:1" || l.Fields["ingressRule"] != "0" {
		t.Errorf("fields = %v", l.Fields)
	}
	if l.Time.IsZero() {
		t.Error("time not parsed")
	}
	// A message that itself contains "=" stays the message.
	l = ParseLine(`2026-11-22T02:15:44Z INF a=b is not c connIndex=1`)
	if l.Message != "a=b is not c" || l.Fields["connIndex"] != "1" {
		t.Errorf("message/fields = %q/%v", l.Message, l.Fields)
	}
}

func TestParseLineBoundsHugeLines(t *testing.T) {
	huge := `2026-11-22T02:15:44Z INF Updated to new configuration config="` + strings.Repeat("x", 10*MaxLineBytes)
	e, ok := ClassifyLine(huge, nil)
	if ok && len(e.Line) > maxEventLine+3 {
		t.Errorf("event line is %d bytes, want at most %d", len(e.Line), maxEventLine+3)
	}
}

func TestRedact(t *testing.T) {
	token := base64.StdEncoding.EncodeToString([]byte(`{"a":"0123456789abcdef0123456789abcdef","t":"6ff42ae2-765d-4adf-8112-31c55c1551ef","s":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}`))
	cases := []string{
		"2026-11-22T02:15:44Z INF Environmental variables map[TUNNEL_TOKEN:" + token + "]",
		`{"level":"debug","message":"args","time":"2026-11-22T02:15:44Z","args":"tunnel run --token ` + token + `"}`,
		"cloudflared tunnel run --token " + token,
		"TUNNEL_TOKEN=" + token,
	}
	for _, c := range cases {
		got := (*redact.Redactor)(nil).String(c)
		if strings.Contains(got, token) || strings.Contains(got, token[:30]) {
			t.Errorf("token survived in %q", got)
		}
		if !strings.Contains(got, redact.Marker) {
			t.Errorf("no redaction marker in %q", got)
		}
		e, _ := ClassifyLine(c, nil)
		if strings.Contains(e.Line, token[:30]) {
			t.Errorf("token survived in event line %q", e.Line)
		}
	}
	// Short non-token values and cloudflared's own mask are left alone.
	keep := "INF Settings: map[metrics:0.0.0.0:20241 token:*****]"
	if got := (*redact.Redactor)(nil).String(keep); got != keep {
		t.Errorf("redaction changed %q to %q", keep, got)
	}
	if got := tunnelcfg.NewRedactor("hunter2hunter2").String("password is hunter2hunter2 ok"); strings.Contains(got, "hunter2") {
		t.Errorf("explicit secret survived: %q", got)
	}
}

func TestOriginCauseKindOther(t *testing.T) {
	if k := OriginCauseKind("something new"); k != OriginCauseOther {
		t.Errorf("kind = %q", k)
	}
}
