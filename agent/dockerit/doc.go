// Package dockerit holds the Docker integration tests of the network and
// origin-container checks: each sets a situation up for real on the local
// daemon (networks, containers built FROM scratch), runs discovery,
// collection and the checks, and asserts the finding and its fix. It has no
// non-test code. Its subpackages hold the other library packages' Docker
// tests (probeit: probes from cloudflared's namespace; cloudflaredit: the
// cloudflared collector; dockerapiit: the Engine API client of
// dockernet/dockerapi), so every test that needs a daemon lives here; the
// image and the deploy recipes are tested beside them (cmd, deploy).
package dockerit
