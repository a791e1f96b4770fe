package collect

import (
	"strings"

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
