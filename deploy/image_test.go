package deploy

import (
	"strings"
	"testing"
	"time"
)

// TestImageHealthcheckGoesHealthy runs the image built offline as a sidecar
// with its own HEALTHCHECK: it runs as nonroot and Docker marks it healthy
// once the tunnel is connected and every origin passes. Only the interval
// is overridden (1 s): with the image's 30 s the first check alone comes
// 30 s after start. The shipped timings are checked in the image config.
func TestImageHealthcheckGoesHealthy(t *testing.T) {
	s := startSidecarWith(t, 2, []string{"--health-interval", "1s"})
	image := tunneldoctorImage(t)
	cfg := run(t, time.Minute, nil, "docker", "image", "inspect", "--format",
		"{{.Config.User}} {{json .Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.StartPeriod}} {{.Config.Healthcheck.Retries}}", image)
	if cfg != `65532:65532 ["CMD","/usr/local/bin/tunneldoctor","healthcheck"] 30s 1m0s 2` {
		t.Errorf("image user and healthcheck: %s", cfg)
	}
	if !waitHealth(s.sidecar, "healthy", 120*time.Second) {
		out, _ := runErr(time.Minute, nil, "docker", "exec", s.sidecar, "/usr/local/bin/tunneldoctor", "healthcheck")
		logs, _ := runErr(time.Minute, nil, "docker", "logs", "--tail", "40", s.sidecar)
		t.Fatalf("the image's HEALTHCHECK did not go healthy in 120s; healthcheck says:\n%s\nlogs:\n%s", out, tail([]byte(logs), 4000))
	}
	if top := run(t, time.Minute, nil, "docker", "top", s.sidecar, "-o", "pid,uid"); !strings.Contains(top, "65532") {
		t.Errorf("sidecar process uid: %q, want 65532", top)
	}
}
