package status

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestPrometheusScrapes runs a real Prometheus (Debian package prometheus)
// on loopback that scrapes /metrics every second, then asks its query API
// for the series dashboards and alerts use.
func TestPrometheusScrapes(t *testing.T) {
	prom := dockertest.RequireProgram(t, "prometheus", "prometheus")
	store := NewStore(nil)
	store.Publish(brokenSetup())
	srv := httptest.NewServer(Handler(store, 10))
	defer srv.Close()
	target := srv.Listener.Addr().String()

	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: tunneldoctor
    static_configs:
      - targets: [%q]
`, target)), 0o644); err != nil {
		t.Fatal(err)
	}
	webAddr := freeLoopbackAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, prom,
		"--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+webAddr, "--log.level=warn")
	logs, _ := os.Create(filepath.Join(dir, "prometheus.log"))
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "prometheus.log"))
			t.Logf("prometheus log:\n%s", b)
		}
	})

	checks := []struct {
		query string
		want  string // the value of the single series expected
	}{
		{`up{job="tunneldoctor"}`, "1"},
		{`tunneldoctor_rule_up{hostname="app.example.com"}`, "0"},
		{`tunneldoctor_rule_up{hostname="api.example.com"}`, "1"},
		{`tunneldoctor_findings{code="ORG001",severity="error",hop="origin"}`, "1"},
		{`tunneldoctor_ready`, "0"},
		{`tunneldoctor_runs_total{trigger="event"}`, "1"},
		{`count(tunneldoctor_rule_up)`, "3"},
		{`tunneldoctor_probe_phase_seconds{hostname="api.example.com",phase="connect"}`, "0.001"},
	}
	deadline := time.Now().Add(60 * time.Second)
	for _, c := range checks {
		for {
			got, err := promQuery(webAddr, c.query)
			if err == nil && got == c.want {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("query %s: got %q (%v), want %s", c.query, got, err, c.want)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}
}

// promQuery runs an instant query and returns the value of its only series.
func promQuery(addr, q string) (string, error) {
	res, err := http.Get("http://" + addr + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		return "", err
	}
	if len(body.Data.Result) != 1 {
		return "", fmt.Errorf("%d series", len(body.Data.Result))
	}
	v, _ := body.Data.Result[0].Value[1].(string)
	return v, nil
}

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
