package collect

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// A stopped cloudflared container holds no connection: the header must
// say "not connected", not "connection unknown" (its metrics server is gone
// with it, so /ready could not be asked).
func TestFillTunnelStoppedIsNotConnected(t *testing.T) {
	for _, state := range []string{"exited", "dead", "created", "paused"} {
		var ti agent.TunnelInfo
		f := &agent.CloudflaredFacts{Container: "cloudflared", Process: &agent.ProcessState{State: state, ExitCode: 1},
			MetricsError: "nothing answered"}
		fillTunnelFromCloudflared(&ti, f)
		if ti.Connected == nil || *ti.Connected {
			t.Errorf("%s: connected = %v, want false", state, ti.Connected)
		}
	}
	for _, state := range []string{"running", "restarting"} {
		var ti agent.TunnelInfo
		fillTunnelFromCloudflared(&ti, &agent.CloudflaredFacts{Container: "cloudflared", Process: &agent.ProcessState{State: state}})
		if ti.Connected != nil {
			t.Errorf("%s without /ready: connected = %v, want unknown", state, *ti.Connected)
		}
	}
}

// The discovery error already says to name the container: the reason says
// it once.
func TestNoCloudflaredReasonNamesTheFlagOnce(t *testing.T) {
	s := &agent.Snapshot{}
	s.Docker.Discovery.Error = "3 containers run cloudflared; say which with --cloudflared NAME"
	got := noCloudflaredReason(s)
	if n := strings.Count(got, "--cloudflared"); n != 1 || !strings.Contains(got, "--metrics HOST:PORT") {
		t.Errorf("%q", got)
	}
	s.Docker.Discovery.Error = "no container runs a cloudflared image or entrypoint"
	if got := noCloudflaredReason(s); !strings.Contains(got, "name it with --cloudflared NAME") {
		t.Errorf("%q", got)
	}
}
