package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestLogShippingConfigsMatchTheSchema keeps the collectors' configs that
// cannot run here (no Vector, Fluent Bit or Promtail in Debian) well-formed
// and in step with the log schema: they parse, and they name the stable
// fields they select on.
func TestLogShippingConfigsMatchTheSchema(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "deploy", "logging")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, name := range []string{"vector.yaml", "promtail.yaml"} {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(read(name)), &doc); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	want := map[string][]string{
		"vector.yaml":               {"parse_json", "parsed.event", "{{ event }}", "{{ severity }}", "{{ hop }}", ".time"},
		"promtail.yaml":             {"event: event", "severity: severity", "hop: hop", "code: code", "source: time"},
		"fluent-bit.conf":           {"Parser       tunneldoctor_json", "finding_opened|finding_changed|finding_resolved|run_summary"},
		"parsers-tunneldoctor.conf": {"Name        tunneldoctor_json", "Time_Key    time"},
		"rsyslog.conf":              {`name="$!event"`, `name="$!code"`, `name="$!severity"`, `name="$!hop"`, `name="$!fix"`},
	}
	for name, needles := range want {
		text := read(name)
		for _, n := range needles {
			if !strings.Contains(text, n) {
				t.Errorf("%s no longer contains %q", name, n)
			}
		}
	}
}
