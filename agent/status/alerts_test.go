package status

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

const promDir = "../../deploy/prometheus"

// TestAlertRules runs `promtool test rules` on the shipped alert rules and
// `promtool check config` on the example scrape config (promtool is in
// Debian's prometheus package: required under CI, skipped elsewhere).
func TestAlertRules(t *testing.T) {
	promtool := dockertest.RequireProgram(t, "prometheus", "promtool")
	for _, args := range [][]string{{"test", "rules", "alerts_test.yml"}, {"check", "config", "prometheus.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = promDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestAlertRulesUseRealMetrics: every tunneldoctor_* name the alert rules
// use is one /metrics exposes, with the labels the annotations read.
func TestAlertRulesUseRealMetrics(t *testing.T) {
	rules, err := os.ReadFile(promDir + "/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	store := NewStore(nil)
	store.SetBuild(Build{Version: "v1.2.3", Commit: "abc123"})
	store.Publish(brokenSetup())
	var m bytes.Buffer
	if err := WriteMetrics(&m, store.View()); err != nil {
		t.Fatal(err)
	}
	exposed := m.String()
	for _, name := range regexp.MustCompile(`tunneldoctor_[a-z_]+`).FindAllString(string(rules), -1) {
		if !strings.Contains(exposed, "\n"+name+"{") && !strings.Contains(exposed, "\n"+name+" ") {
			t.Errorf("alerts.yml uses %s, which /metrics does not expose", name)
		}
	}
	for _, l := range []string{`hostname="app.example.com"`, `service="http://web:8080"`, `rule="0"`} {
		if !strings.Contains(exposed, "tunneldoctor_rule_up{"+l) && !strings.Contains(exposed, ","+l) {
			t.Errorf("rule_up lacks the label %s the alert's summary reads", l)
		}
	}
	if !regexp.MustCompile(`(?m)^tunneldoctor_build_info\{version="v1\.2\.3",revision="abc123",goversion="go[^"]+"\} 1$`).MatchString(exposed) {
		t.Errorf("no tunneldoctor_build_info sample:\n%s", exposed)
	}
}
