package agent

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/agent/cloudflared"
	"github.com/tunneldoctor/tunneldoctor/tunnelcfg"
)

// cloudflaredArgs is what the tunnel hop needs from cloudflared's command line.
type cloudflaredArgs struct {
	metrics, protocol, configPath, url string
}

// cloudflaredView reads cloudflared's --metrics, --protocol, --config and
// --url from its parsed settings (command line and TUNNEL_* environment);
// without them, from argv directly.
func cloudflaredView(st *tunnelcfg.Settings, argv []string) cloudflaredArgs {
	if st != nil {
		return cloudflaredArgs{metrics: st.Metrics, protocol: st.Protocol, configPath: st.ConfigPath, url: st.URL}
	}
	var v cloudflaredArgs
	for i := 0; i < len(argv); i++ {
		name, value, ok := strings.Cut(strings.TrimLeft(argv[i], "-"), "=")
		if !strings.HasPrefix(argv[i], "-") {
			continue
		}
		if !ok && i+1 < len(argv) {
			value = argv[i+1]
		}
		switch name {
		case "metrics":
			v.metrics = value
		case "protocol":
			v.protocol = value
		case "config":
			v.configPath = value
		case "url":
			v.url = value
		}
	}
	return v
}

// redactArgs masks secrets on a command line: the value of every flag
// cloudflared's flag table marks secret (--token, --credentials-contents,
// --api-key..., as `--token X` or `--token=X`), and anything that decodes
// like a tunnel token.
func redactArgs(argv []string) []string {
	out := make([]string, len(argv))
	secretNext := false
	for i, a := range argv {
		switch {
		case secretNext:
			out[i], secretNext = cloudflared.Redacted, false
			continue
		case strings.HasPrefix(a, "-"):
			name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if tunnelcfg.IsSecretFlag(name) {
				if hasValue {
					out[i] = a[:strings.Index(a, "=")+1] + cloudflared.Redacted
				} else {
					out[i], secretNext = a, true
				}
				continue
			}
		}
		out[i] = cloudflared.Redact(a, nil)
	}
	return out
}
