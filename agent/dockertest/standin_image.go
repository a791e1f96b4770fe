package dockertest

import "testing"

// StandinPackage is the stand-in cloudflared's main package: it parses
// cloudflared's command line, serves its metrics endpoints and logs its
// lines (see the package doc for STANDIN_MODE and friends).
const StandinPackage = "github.com/tunneldoctor/tunneldoctor/agent/cloudflared/standin"

// StandinImage is the stand-in cloudflared shaped like the official image:
// /usr/local/bin/cloudflared, ENTRYPOINT ["cloudflared", "--no-autoupdate"],
// CMD ["version"], the official image's source label, and a
// HEALTHCHECK through `cloudflared tunnel --metrics 127.0.0.1:20241 ready`
// (the official image has none; health lets tests wait for "connected").
// Pass the tunnel command line as Spec.Args, e.g.
// {"tunnel", "--metrics", "0.0.0.0:20241", "run"} with TUNNEL_TOKEN in Env.
func StandinImage(t testing.TB) string {
	return Image(t, ImageSpec{
		Package:    StandinPackage,
		Repo:       Prefix + "cloudflared-standin",
		Path:       "/usr/local/bin/cloudflared",
		Entrypoint: []string{"/usr/local/bin/cloudflared", "--no-autoupdate"},
		Cmd:        []string{"version"},
		Labels:     map[string]string{"org.opencontainers.image.source": "https://github.com/cloudflare/cloudflared"},
		Health:     []string{"/usr/local/bin/cloudflared", "tunnel", "--metrics", "127.0.0.1:20241", "ready"},
	})
}
