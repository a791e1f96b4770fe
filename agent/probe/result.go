package probe

import "time"

// Result is everything one probe observed. It is data, never a verdict:
// checks decide what it means.
type Result struct {
	Target Target `json:"target"`
	// Started is when the probe began; Total is its wall time.
	Started time.Time     `json:"started"`
	Total   time.Duration `json:"total"`

	DNS     *DNSPhase     `json:"dns,omitempty"` // nil for IPs and unix sockets
	Connect *ConnectPhase `json:"connect,omitempty"`
	TLS     *TLSPhase     `json:"tls,omitempty"` // nil unless the service uses TLS
	HTTP    *HTTPPhase    `json:"http,omitempty"`
	// WebSocket is the answer to an upgrade request (ws:// and wss://
	// services); HostTries are retries of a 400/403/421 answer with another
	// Host header (see followup.go).
	WebSocket *WebSocketPhase `json:"websocket,omitempty"`
	HostTries []HostTry       `json:"host_tries,omitempty"`

	// Error is the Go error text of the first failure, "" on success; Phase
	// names where it happened and Cause classifies it.
	Error string `json:"error,omitempty"`
	Phase Phase  `json:"phase,omitempty"`
	Cause Cause  `json:"cause,omitempty"`
	// CutShort is true when the probe stopped at tunneldoctor's own time
	// limit before the rule's timeout for that phase: cloudflared would
	// have waited longer, so the outcome there is unknown.
	CutShort bool `json:"cut_short,omitempty"`
	// Limit is tunneldoctor's per-probe time limit that applied.
	Limit time.Duration `json:"limit"`
	// InFlight is set when the run that reports this result did not wait
	// for this origin's probe (watch mode schedules probes per origin): a
	// probe that started at InFlight is still running, and this result is
	// the origin's last completed one (Started says when it was taken).
	InFlight time.Time `json:"in_flight,omitzero"`
}

// Pending is an origin whose probe a run did not wait for and that has no
// completed probe yet: nothing is known about it (neither good nor bad).
type Pending struct {
	Target Target `json:"target"`
	// Since is when its probe started.
	Since time.Time `json:"since"`
}

// OK reports whether the probe completed without a transport error (the
// origin may still have answered with an error status).
func (r Result) OK() bool { return r.Error == "" }

// Phase names a step of a probe.
type Phase string

const (
	PhaseDNS      Phase = "dns"
	PhaseConnect  Phase = "connect"
	PhaseTLS      Phase = "tls"
	PhaseResponse Phase = "response" // request sent, waiting for headers
	PhaseBody     Phase = "body"
)

// DNSPhase is the system resolver's answer for the service host.
type DNSPhase struct {
	Host      string        `json:"host"`
	Addresses []string      `json:"addresses,omitempty"`
	Duration  time.Duration `json:"duration"`
	Error     string        `json:"error,omitempty"`
}

// ConnectPhase lists each dial attempt (several with happy eyeballs).
type ConnectPhase struct {
	Attempts []DialAttempt `json:"attempts,omitempty"`
	// Address is the address that answered, "" when none did.
	Address  string        `json:"address,omitempty"`
	Duration time.Duration `json:"duration"` // first attempt start to success or last failure
}

// DialAttempt is one connect to one address.
type DialAttempt struct {
	Address  string        `json:"address"`
	Duration time.Duration `json:"duration"`
	Error    string        `json:"error,omitempty"`
}

// TLSPhase is the handshake and what the origin's certificate proves.
type TLSPhase struct {
	ServerName string        `json:"server_name"` // SNI sent ("" when none)
	Duration   time.Duration `json:"duration"`
	Done       bool          `json:"done"` // the handshake completed
	Version    string        `json:"version,omitempty"`
	ALPN       string        `json:"alpn,omitempty"`
	Chain      []Cert        `json:"chain,omitempty"` // leaf first, as the origin sent it
	CAPool     *CAPool       `json:"ca_pool,omitempty"`
	// Verify is the verification cloudflared does (skipped by it under
	// noTLSVerify, done here anyway so the answer is known).
	Verify *Verification `json:"verify,omitempty"`
	// VerifyWithSAN is a second verification with a name taken from the
	// certificate, made when Verify failed on the name: it tells whether
	// originServerName would fix it.
	VerifyWithSAN *Verification `json:"verify_with_san,omitempty"`
	// ChainTrusted verifies the chain of trust alone (no name): whether
	// caPool (or a public CA) is the missing piece.
	ChainTrusted *Verification `json:"chain_trusted,omitempty"`
}

// Verification is one x509 verification of the peer chain.
type Verification struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Cause Cause  `json:"cause,omitempty"`
}

// CAPool is the originRequest.caPool file as seen from tunneldoctor. The path
// is inside cloudflared's container, so it may not exist here.
type CAPool struct {
	Path  string `json:"path"`
	Certs int    `json:"certs"`
	Error string `json:"error,omitempty"` // unreadable or no PEM certificates
	// Unreadable is set when tunneldoctor cannot open the file at all (not
	// mounted into its container): cloudflared may well have it.
	Unreadable bool `json:"unreadable,omitempty"`
}

// Cert is one certificate of the peer chain.
type Cert struct {
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	DNSNames   []string  `json:"dns_names,omitempty"`
	IPs        []string  `json:"ips,omitempty"`
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
	SelfSigned bool      `json:"self_signed"`
	IsCA       bool      `json:"is_ca"`
	// IssuerURLs are the AIA "CA Issuers" addresses, where a public CA
	// publishes the intermediate that signed this certificate.
	IssuerURLs []string `json:"issuer_urls,omitempty"`
}

// HTTPPhase is the origin's answer.
type HTTPPhase struct {
	Proto  string `json:"proto,omitempty"` // "HTTP/1.1", "HTTP/2.0"
	Status int    `json:"status,omitempty"`
	// Headers holds the few headers that explain failures: Server, Location,
	// Content-Encoding, Content-Length, Content-Type.
	Headers map[string]string `json:"headers,omitempty"`
	// TTFB is from the request written to the first response byte: the
	// origin's think time, which Cloudflare's proxy read timeout bounds.
	TTFB time.Duration `json:"ttfb"`
	// ContentLength is the declared length, -1 when not declared.
	ContentLength int64 `json:"content_length"`
	// BodyRead counts raw body bytes read (at most the body limit);
	// BodyComplete is true when the body ended cleanly within the limit.
	BodyRead     int64  `json:"body_read"`
	BodyComplete bool   `json:"body_complete"`
	BodySample   string `json:"body_sample,omitempty"` // first bytes, as text
	// LengthMismatch is set when the body ended before Content-Length.
	LengthMismatch bool        `json:"length_mismatch,omitempty"`
	Gzip           *GzipResult `json:"gzip,omitempty"` // set for Content-Encoding: gzip
	// PlainToTLS is the phrase of a TLS server refusing a plain request.
	PlainToTLS string `json:"plain_to_tls,omitempty"`
}

// GzipResult is the outcome of decompressing a gzip body (bounded).
type GzipResult struct {
	Decompressed int64  `json:"decompressed"`
	Complete     bool   `json:"complete"`             // reached the end of the stream
	StoppedAt    int64  `json:"stopped_at,omitempty"` // the limit, when reached
	Error        string `json:"error,omitempty"`      // corrupt stream
}
