package cfapi

import (
	"fmt"
	"io"

	"github.com/tunneldoctor/tunneldoctor/tunnelcfg/redact"
)

const redacted = redact.Marker

// Token is a Cloudflare API token. Every way of printing it (fmt verbs,
// JSON, text marshalling, zerolog's Interface) shows "[REDACTED]", so a token
// cannot leak through a log line or a report by accident. Reveal is the one
// way out, used only to build the Authorization header.
type Token string

func (Token) String() string               { return redacted }
func (Token) GoString() string             { return redacted }
func (Token) Format(f fmt.State, _ rune)   { _, _ = io.WriteString(f, redacted) }
func (Token) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }
func (Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }
func (t Token) Reveal() string             { return string(t) }
func (t Token) Empty() bool                { return t == "" }
