package watch

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/rs/zerolog"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// engine is a synthetic Docker Engine with one container, to get a
// topology whose inspect data carries environment values.
type engine struct{ env []string }

func (e engine) ListContainers(context.Context) ([]container.Summary, error) {
	return []container.Summary{{ID: "c1", Names: []string{"/db"}, State: "running"}}, nil
}

func (e engine) InspectContainer(context.Context, string) (container.InspectResponse, error) {
	return container.InspectResponse{ID: "c1", Name: "/db", Config: &container.Config{Env: e.env}}, nil
}

func (e engine) ListNetworks(context.Context) ([]network.Summary, error) { return nil, nil }

func (e engine) ContainerLogs(context.Context, string, int) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("")), nil
}

func (e engine) ContainerStats(context.Context, string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader("{}")), nil
}

// TestInspectedEnvNeverLogged: a secret that matches no pattern (a short
// lowercase password) reaches a finding; because the run inspected the
// container holding it, the watcher's logs show [REDACTED] instead.
func TestInspectedEnvNeverLogged(t *testing.T) {
	const password = "correcthorse"
	eng := engine{env: []string{"DB_PASSWORD=" + password, "NODE_ENV=production", "PATH=/usr/bin"}}
	topo, err := dockernet.Load(context.Background(), eng)
	if err != nil {
		t.Fatal(err)
	}
	topo.Inspect(context.Background(), eng, "c1")
	snap := &agent.Snapshot{Docker: agent.DockerFacts{Topology: topo}}

	var buf bytes.Buffer
	w := &Watcher{
		Collect: func(context.Context) *agent.Snapshot { return snap },
		Judge: func(*agent.Snapshot) []agent.Finding {
			return []agent.Finding{{Code: "ORG010", Severity: agent.Error, Hop: agent.HopOrigin, Rule: agent.NoRule,
				Message: "db log says: auth failed for correcthorse in production", Evidence: map[string]string{"log": "pw correcthorse"}}}
		},
		Log:  zerolog.New(&buf),
		Diag: zerolog.Nop(),
	}
	w.defaults()
	w.runOnce(context.Background(), nil, 1, TriggerStart, pass{first: true})
	out := buf.String()
	if strings.Contains(out, password) {
		t.Fatalf("an inspected container's secret env value was logged:\n%s", out)
	}
	if !strings.Contains(out, "in production") {
		t.Errorf("a non-secret env value (NODE_ENV) was redacted too:\n%s", out)
	}
}
