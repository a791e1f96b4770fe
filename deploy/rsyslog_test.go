package deploy

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// TestRsyslogReceivesSidecarLogs ships a real sidecar container's output
// through Docker's syslog log driver to rsyslogd (Debian's package) running
// deploy/logging/rsyslog.conf on a loopback UDP port, and checks rsyslog
// parsed the JSON lines into the documented fields.
func TestRsyslogReceivesSidecarLogs(t *testing.T) {
	dockertest.RequireDocker(t)
	rsyslogd := dockertest.RequireProgram(t, "rsyslog", "rsyslogd")
	image := tunneldoctorImage(t)

	// The shipped config, with a free port and a temp directory.
	dir := t.TempDir()
	port := freePort(t, "udp")
	conf, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "logging", "rsyslog.conf"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.NewReplacer(`port="5514"`, `port="`+port+`"`, "/var/log/tunneldoctor", dir).Replace(string(conf))
	if !strings.Contains(cfg, port) || !strings.Contains(cfg, dir) {
		t.Fatal("deploy/logging/rsyslog.conf no longer has the port and path this test rewrites")
	}
	confPath := filepath.Join(dir, "rsyslog.conf")
	if err := os.WriteFile(confPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	rs := exec.Command(rsyslogd, "-n", "-f", confPath, "-i", filepath.Join(dir, "rsyslogd.pid"))
	rsOut, _ := os.Create(filepath.Join(dir, "rsyslogd.out"))
	rs.Stdout, rs.Stderr = rsOut, rsOut
	if err := rs.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = rs.Process.Kill()
		_ = rs.Wait()
	})
	// rsyslogd binds its UDP input some time after it starts; lines sent
	// before that are lost. Wait for the socket (port = hex in the
	// kernel's table).
	bound := fmt.Sprintf("0100007F:%04X", mustAtoi(t, port))
	dockertest.Eventually(t, 30*time.Second, "rsyslogd to bind udp 127.0.0.1:"+port, func() (bool, string) {
		table, err := os.ReadFile("/proc/net/udp")
		if err != nil {
			t.Fatalf("cannot tell when rsyslogd binds: %v", err)
		}
		out, _ := os.ReadFile(filepath.Join(dir, "rsyslogd.out"))
		return strings.Contains(string(table), " "+bound+" "), "rsyslogd output: " + string(out)
	})

	// A sidecar checking a broken config file every second, with run
	// summaries (debug) so lines flow whatever the checks find.
	examples := filepath.Join(repoRoot(t), "deploy", "examples")
	name := dockertest.Name("rsyslog-sidecar")
	run(t, time.Minute, nil, "docker", "run", "-d", "--name", name, "--network", "none",
		"--log-driver", "syslog",
		"--log-opt", "syslog-address=udp://127.0.0.1:"+port,
		"--log-opt", "syslog-format=rfc5424",
		"--log-opt", "tag=tunneldoctor",
		"-v", examples+":/config:ro",
		"-e", "TUNNEL_TOKEN="+fakeTunnelToken,
		image, "watch", "--config", "/config/broken.yml", "--interval", "1s",
		"--no-events", "--listen", "off", "--log-level", "debug",
		// Nothing leaves the machine: no status page, no visitor probe.
		"--no-status-page", "--no-public-probe", "--no-probe")
	t.Cleanup(func() { _, _ = runErr(time.Minute, nil, "docker", "rm", "-f", name) })

	events := filepath.Join(dir, "events.json")
	var lines []map[string]any
	ok := waitFor(30*time.Second, func() bool {
		lines = readJSONLines(t, events)
		summaries := 0
		for _, l := range lines {
			if l["event"] == "run_summary" {
				summaries++
			}
		}
		return summaries >= 2
	})
	if !ok {
		other, _ := os.ReadFile(filepath.Join(dir, "other.log"))
		diag, _ := os.ReadFile(filepath.Join(dir, "rsyslogd.out"))
		t.Fatalf("rsyslog did not receive parsed run_summary lines in 30s\nevents.json: %v\nother.log (tail):\n%s\nrsyslogd:\n%s", lines, tail(other, 3000), tail(diag, 2000))
	}
	for _, l := range lines {
		if l["level"] == "" || l["time"] == "" {
			t.Errorf("parsed line lacks level/time: %v", l)
		}
		if l["event"] == "finding_opened" && (l["code"] == "" || l["severity"] == "" || l["hop"] == "") {
			t.Errorf("finding_opened line lacks code/severity/hop after parsing: %v", l)
		}
	}
	raw, _ := os.ReadFile(events)
	if strings.Contains(string(raw), fakeTunnelToken) {
		t.Errorf("the tunnel token reached the log collector")
	}
	t.Logf("rsyslog parsed %d lines from the sidecar container, e.g. %v", len(lines), lines[0])
}

func readJSONLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Errorf("rsyslog wrote a line that is not JSON: %v\n%s", err, sc.Text())
			continue
		}
		out = append(out, m)
	}
	return out
}

// fakeTunnelToken is token-shaped (base64 of {"a","t","s"}) and fake.
const fakeTunnelToken = "eyJhIjoiMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYiLCJ0IjoiNmZmNDJhZTItNzY1ZC00YWRmLTgxMTItMzFjNTVjMTU1MWVmIiwicyI6ImMyVmpjbVYwIn0="

// tail keeps the end of a long output for a failure message.
func tail(b []byte, n int) string {
	if len(b) > n {
		return "…" + string(b[len(b)-n:])
	}
	return string(b)
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
