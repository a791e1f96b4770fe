package tunnelcfg

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Token is a decoded tunnel token (base64 of JSON {"a","t","s","e"}). The
// secret is never kept: only whether it was there and its length, so no
// output can leak it.
type Token struct {
	AccountTag string `json:"account_tag"`
	TunnelID   string `json:"tunnel_id"`
	Endpoint   string `json:"endpoint,omitempty"` // "fed" selects FedRAMP
	SecretLen  int    `json:"secret_bytes"`
	// StdBase64 is false when the token only decodes as URL-safe or unpadded
	// base64: cloudflared accepts standard base64 only.
	StdBase64 bool `json:"std_base64"`
}

// uuidPattern is the textual UUID forms cloudflared's uuid.UUID (google/uuid)
// accepts: dashed, braced, urn:uuid:, or 32 bare hex digits.
var uuidPattern = regexp.MustCompile(`^(?:urn:uuid:|\{)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$|^[0-9a-fA-F]{32}$`)

// DecodeToken decodes a tunnel token as cloudflared does (ParseToken), with
// a precise error for each way it can be wrong. Errors never quote the token.
func DecodeToken(s string) (Token, error) {
	var t Token
	if s == "" {
		return t, errors.New("tunnel token is empty")
	}
	if len(s) > 64<<10 {
		return t, fmt.Errorf("tunnel token is %d bytes, far longer than a real one", len(s))
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	t.StdBase64 = err == nil
	if err != nil {
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if r, e := enc.DecodeString(strings.TrimSpace(s)); e == nil {
				raw, err = r, nil
				break
			}
		}
	}
	if err != nil {
		return t, fmt.Errorf("tunnel token is not base64 (%d characters; check for quotes, spaces or a truncated copy)", len(s))
	}
	var body struct {
		A string           `json:"a"`
		T string           `json:"t"`
		S *json.RawMessage `json:"s"`
		E string           `json:"e"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return t, errors.New("tunnel token is base64 but not the JSON object cloudflared expects")
	}
	t.AccountTag, t.TunnelID, t.Endpoint = body.A, body.T, body.E
	if body.S != nil {
		var secret []byte
		if err := json.Unmarshal(*body.S, &secret); err != nil {
			return t, errors.New("tunnel token's secret (\"s\") is not base64")
		}
		t.SecretLen = len(secret)
	}
	switch {
	case body.T == "":
		return t, errors.New(`tunnel token is missing the tunnel ID ("t")`)
	case !uuidPattern.MatchString(body.T):
		return t, errors.New(`tunnel token's tunnel ID ("t") is not a UUID`)
	case body.A == "":
		return t, errors.New(`tunnel token is missing the account tag ("a")`)
	case t.SecretLen == 0:
		return t, errors.New(`tunnel token is missing the tunnel secret ("s")`)
	case !t.StdBase64:
		return t, errors.New("tunnel token is URL-safe or unpadded base64; cloudflared only accepts standard base64 and says \"Provided Tunnel token is not valid.\"")
	}
	return t, nil
}

// String names the tunnel and account, never the secret.
func (t Token) String() string {
	return fmt.Sprintf("tunnel token{tunnel=%s account=%s secret=%s}", t.TunnelID, t.AccountTag, Redacted)
}

// GoString keeps %#v as safe as %v.
func (t Token) GoString() string { return t.String() }

// Format makes every verb (%v, %+v, %s, %q, %x...) print String.
func (t Token) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", t.String())
	default:
		fmt.Fprint(f, t.String())
	}
}

// MarshalJSON writes the non-secret fields only.
func (t Token) MarshalJSON() ([]byte, error) {
	type plain Token // no methods: avoids recursion
	return json.Marshal(plain(t))
}

// Credentials is a tunnel credentials file (<tunnel-id>.json), secret
// dropped like Token's.
type Credentials struct {
	AccountTag string `json:"AccountTag"`
	TunnelID   string `json:"TunnelID"`
	Endpoint   string `json:"Endpoint,omitempty"`
	SecretLen  int    `json:"secret_bytes"`
}

// ParseCredentials reads a credentials file's JSON.
func ParseCredentials(data []byte) (Credentials, error) {
	var c Credentials
	var body struct {
		AccountTag   string
		TunnelSecret *json.RawMessage
		TunnelID     string
		Endpoint     string
	}
	if err := json.Unmarshal(data, &body); err != nil {
		return c, errors.New("credentials file is not JSON with AccountTag, TunnelSecret and TunnelID")
	}
	c.AccountTag, c.TunnelID, c.Endpoint = body.AccountTag, body.TunnelID, body.Endpoint
	if body.TunnelSecret != nil {
		var secret []byte
		if err := json.Unmarshal(*body.TunnelSecret, &secret); err != nil {
			return c, errors.New("credentials file's TunnelSecret is not base64")
		}
		c.SecretLen = len(secret)
	}
	switch {
	case c.TunnelID == "":
		return c, errors.New("credentials file is missing TunnelID")
	case !uuidPattern.MatchString(c.TunnelID):
		return c, errors.New("credentials file's TunnelID is not a UUID")
	case c.AccountTag == "":
		return c, errors.New("credentials file is missing AccountTag")
	case c.SecretLen == 0:
		return c, errors.New("credentials file is missing TunnelSecret")
	}
	return c, nil
}

// String never includes the secret.
func (c Credentials) String() string {
	return fmt.Sprintf("tunnel credentials{tunnel=%s account=%s secret=%s}", c.TunnelID, c.AccountTag, Redacted)
}
