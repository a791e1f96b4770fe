package dockerit

import (
	"context"
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// Issue 10 ("verdicts you can act on") against the real daemon: the
// stand-in cloudflared, real origins, and tunneldoctor's image run as a
// user runs it, in cloudflared's network namespace (or, where the point is
// the vantage, beside it). Every fix a test checks is then applied as
// written and the finding is shown gone.

type tdFinding struct {
	Code, Severity, Message, Fix string
	Rule                         int
	Evidence                     map[string]string
}

type tdReport struct {
	Findings []tdFinding `json:"findings"`
	ExitCode int         `json:"exit_code"`
	code     int
	stderr   string
}

func (r tdReport) of(code string, rule int) []tdFinding {
	var out []tdFinding
	for _, f := range r.Findings {
		if f.Code == code && f.Rule == rule && f.Severity != "skipped" {
			out = append(out, f)
		}
	}
	return out
}

func (r tdReport) dump() string {
	var b strings.Builder
	for _, f := range r.Findings {
		if f.Severity != "skipped" {
			b.WriteString("  " + f.Severity + " " + f.Code + ": " + f.Message + "\n    fix: " + f.Fix + "\n")
		}
	}
	return b.String() + "stderr:\n" + r.stderr
}

func tdImage(t *testing.T) string {
	t.Helper()
	return dockertest.Image(t, dockertest.ImageSpec{
		Package: "github.com/tunneldoctor/tunneldoctor/cmd/tunneldoctor", Repo: dockertest.Prefix + "tunneldoctor",
	})
}

// runTD runs `tunneldoctor check --output json` in a container with
// network (e.g. "container:<cloudflared>"), the Docker socket unless
// noSocket, and extra arguments; it is removed even if the test fails.
func runTD(t *testing.T, image, network string, noSocket bool, args ...string) tdReport {
	t.Helper()
	name := dockertest.Name("td")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := []string{"run", "--rm", "--pull", "never", "--name", name, "--label", "tdtest=1", "--network", network}
	if !noSocket {
		run = append(run, "-v", "/var/run/docker.sock:/var/run/docker.sock:ro")
	}
	run = append(run, image, "check", "--output", "json", "--no-status-page", "--no-public-probe")
	stdout, stderr, code := runExit(t, exec.CommandContext(ctx, "docker", append(run, args...)...))
	var r tdReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("exit %d, report is not JSON: %v\n%s\nstderr:\n%s", code, err, stdout, stderr)
	}
	r.code, r.stderr = code, stderr.String()
	return r
}

func remoteRules(services ...string) string {
	var rules []string
	for i, s := range services {
		rules = append(rules, `{"hostname":"app`+string(rune('0'+i))+`.example.com","service":"`+s+`"}`)
	}
	return `{"ingress":[` + strings.Join(rules, ",") + `,{"service":"http_status:404"}]}`
}

// serviceIn takes the service line out of a fix text.
func serviceIn(t *testing.T, fix string) string {
	t.Helper()
	m := regexp.MustCompile(`service: (\S+)`).FindStringSubmatch(fix)
	if m == nil {
		t.Fatalf("the fix names no service line:\n%s", fix)
	}
	return m[1]
}

// Bullet 1: an exporter sidecar shares cloudflared's namespace; the rule
// says localhost:5000, where nobody listens; the app is a container on a
// shared network exposing 5000.
func TestLocalhostRuleBesideANamespaceSharer(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	td := tdImage(t)
	apps := dockertest.Network(t, "lhapps", dockertest.NetworkOptions{Internal: true})
	egress := dockertest.Network(t, "lhegress", dockertest.NetworkOptions{})
	web := origin(t, im.origin, apps, []string{"--listen", ":5000"}, func(s *dockertest.Spec) { s.Expose = []string{"5000"} })
	cf := standin(t, apps, []string{"STANDIN_CONFIG_JSON=" + remoteRules("http://localhost:5000")}, nil,
		func(s *dockertest.Spec) { s.More = []string{egress} })
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	// A sidecar's ports come from its image (--expose is refused there).
	exporterImage := dockertest.Image(t, dockertest.ImageSpec{Package: dockertest.OriginPackage, Repo: dockertest.Prefix + "exporter",
		Expose: []string{"9100/tcp"}})
	exporter := dockertest.Run(t, dockertest.Spec{Name: "exporter", Image: exporterImage, Network: "container:" + cf.Name,
		Args: []string{"--listen", ":9100"}})
	dockertest.WaitState(t, exporter.ID, "running", 20*time.Second)
	dockertest.WaitState(t, web.ID, "running", 20*time.Second)

	r := runTD(t, td, "container:"+cf.Name, false)
	net, prb := r.of("NET002", 0), r.of("PRB012", 0)
	if len(net) != 1 || net[0].Severity != "error" || len(prb) != 1 || prb[0].Severity != "error" {
		t.Fatalf("want NET002 and PRB012 errors on rule 0:\n%s", r.dump())
	}
	contains(t, "NET002 message", net[0].Message, "shared with "+exporter.Name+" (exposes 9100/tcp)", "nothing listens on port 5000", "502")
	contains(t, "PRB012 message", prb[0].Message, "nothing listens on port 5000", "the localhost rule is wrong", "502")
	if prb[0].Evidence["origin_container"] == exporter.Name {
		t.Errorf("the sidecar is named as the origin: %v", prb[0].Evidence)
	}
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}

	// Apply the fix as written: the rule's new service.
	svc := serviceIn(t, net[0].Fix)
	if svc != serviceIn(t, prb[0].Fix) || svc != "http://"+web.Name+":5000" {
		t.Fatalf("fixes disagree or miss the origin: %q / %q", net[0].Fix, prb[0].Fix)
	}
	cf2 := standin(t, apps, []string{"STANDIN_CONFIG_JSON=" + remoteRules(svc)}, nil,
		func(s *dockertest.Spec) { s.More = []string{egress} })
	dockertest.WaitState(t, cf2.ID, "healthy", 30*time.Second)
	after := runTD(t, td, "container:"+cf2.Name, false)
	for _, f := range after.Findings {
		if f.Rule == 0 && (f.Severity == "error" || f.Severity == "warn") {
			t.Errorf("after the fix, rule 0 still has %s %s: %s", f.Severity, f.Code, f.Message)
		}
	}
}

// Bullet 3: the app listens on 127.0.0.1 inside its own container while
// exposing the port; its log says so. The fix's bind address, applied,
// makes the finding go.
func TestAppBoundToLoopbackInItsContainer(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	td := tdImage(t)
	apps := dockertest.Network(t, "bindapps", dockertest.NetworkOptions{Internal: true})
	egress := dockertest.Network(t, "bindegress", dockertest.NetworkOptions{})
	alias := dockertest.Name("flask")
	flask := func(listen string) dockertest.Container {
		c := origin(t, im.origin, apps, []string{"--listen", listen, "--say", " * Running on http://" + listen},
			func(s *dockertest.Spec) { s.Expose, s.Aliases = []string{"5000"}, []string{alias} })
		dockertest.WaitState(t, c.ID, "running", 20*time.Second)
		return c
	}
	web := flask("127.0.0.1:5000")
	cf := standin(t, apps, []string{"STANDIN_CONFIG_JSON=" + remoteRules("http://"+alias+":5000")}, nil,
		func(s *dockertest.Spec) { s.More = []string{egress} })
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitLog(t, web.ID, "listening on 127.0.0.1:5000", 20*time.Second)

	r := runTD(t, td, "container:"+cf.Name, false)
	prb := r.of("PRB012", 0)
	if len(prb) != 1 || prb[0].Severity != "error" {
		t.Fatalf("want one PRB012 error:\n%s", r.dump())
	}
	f := prb[0]
	if strings.Contains(f.Message, "nothing listens") {
		t.Errorf("says nothing listens although the container exposes 5000: %s", f.Message)
	}
	contains(t, "PRB012 message", f.Message, "exposes port 5000", "listens on its own loopback only", "Running on http://127.0.0.1:5000")
	contains(t, "PRB012 log line", f.Evidence["log_line"], "Running on http://127.0.0.1:5000")
	contains(t, "PRB012 fix", f.Fix, "flask run --host 0.0.0.0 --port 5000", "0.0.0.0:5000")

	// Apply the fix: the same app, bound to the address the fix names.
	bind := regexp.MustCompile(`0\.0\.0\.0:5000`).FindString(f.Fix)
	dockertest.Docker(t, "rm", "-f", web.ID)
	flask(bind)
	after := runTD(t, td, "container:"+cf.Name, false)
	if got := after.of("PRB012", 0); len(got) != 0 {
		t.Errorf("after binding %s, still:\n%s", bind, after.dump())
	}
}

// Bullet 2: unknowns are info. A caPool tunneldoctor cannot read (mounted
// into cloudflared only), with real TLS, and a probe from a namespace that
// is not cloudflared's while Docker shows the name on a shared network.
func TestUnknownsAreInfo(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	td := tdImage(t)
	apps := dockertest.Network(t, "unkapps", dockertest.NetworkOptions{Internal: true})
	side := dockertest.Network(t, "unkside", dockertest.NetworkOptions{Internal: true})
	egress := dockertest.Network(t, "unkegress", dockertest.NetworkOptions{})
	pki := newTestPKI(t)
	tlsWeb := origin(t, im.origin, apps, []string{"--listen", ":8443", "--cert", "/certs/web.pem", "--key", "/certs/web-key.pem"},
		func(s *dockertest.Spec) { s.Volumes = []string{pki.Path + ":/certs:ro"} })
	plain := origin(t, im.origin, apps, nil)
	rules := `{"ingress":[` +
		`{"hostname":"app0.example.com","service":"https://` + tlsWeb.Name + `:8443","originRequest":{"caPool":"/etc/cloudflared/certs/ca.pem","originServerName":"web.internal"}},` +
		`{"hostname":"app1.example.com","service":"http://` + plain.Name + `:8080"},` +
		`{"service":"http_status:404"}]}`
	cf := standin(t, apps, []string{"STANDIN_CONFIG_JSON=" + rules}, nil, func(s *dockertest.Spec) {
		s.More = []string{egress, side}
		s.Volumes = []string{pki.Path + ":/etc/cloudflared/certs:ro"}
	})
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitState(t, tlsWeb.ID, "running", 20*time.Second)
	dockertest.WaitState(t, plain.ID, "running", 20*time.Second)

	// In cloudflared's namespace, without the caPool file.
	r := runTD(t, td, "container:"+cf.Name, false)
	tv := r.of("PRB002", 0)
	if len(tv) != 1 || tv[0].Severity != "info" {
		t.Fatalf("want PRB002 info for the unreadable caPool:\n%s", r.dump())
	}
	contains(t, "PRB002 fix", tv[0].Fix, pki.Path+":/etc/cloudflared/certs:ro")
	for _, f := range r.Findings {
		if f.Rule == 0 && (f.Severity == "warn" || f.Severity == "error") {
			t.Errorf("rule 0 works, yet %s %s: %s", f.Severity, f.Code, f.Message)
		}
	}
	// Apply the fix: mount the pool into tunneldoctor too; the unknown goes.
	name := dockertest.Name("td")
	t.Cleanup(func() { _ = exec.Command("docker", "rm", "-f", name).Run() })
	out, _, _ := runExit(t, exec.Command("docker", "run", "--rm", "--pull", "never", "--name", name, "--label", "tdtest=1",
		"--network", "container:"+cf.Name, "-v", "/var/run/docker.sock:/var/run/docker.sock:ro",
		"-v", pki.Path+":/etc/cloudflared/certs:ro", td, "check", "--output", "json", "--no-status-page", "--no-public-probe"))
	var mounted tdReport
	if err := json.Unmarshal(out.Bytes(), &mounted); err != nil {
		t.Fatal(err)
	}
	if got := mounted.of("PRB002", 0); len(got) != 0 {
		t.Errorf("with the pool mounted, still:\n%s", mounted.dump())
	}

	// From a namespace that is not cloudflared's (an internal network only
	// cloudflared shares with it, so no lookup leaves the machine): the
	// origins' names do not resolve there, Docker shows them on
	// cloudflared's network: info, with how to run tunneldoctor.
	own := runTD(t, td, side, false, "--cloudflared", cf.Name)
	p := own.of("PRB013", 1)
	if len(p) != 1 || p[0].Severity != "info" {
		t.Fatalf("want PRB013 info from tunneldoctor's own namespace:\n%s", own.dump())
	}
	contains(t, "PRB013 message", p[0].Message, "answered by container "+plain.Name, "unknown")
	contains(t, "PRB013 fix", p[0].Fix, "--network container:"+cf.Name)
	for _, f := range own.Findings {
		if f.Rule >= 0 && strings.HasPrefix(f.Code, "PRB") && (f.Severity == "warn" || f.Severity == "error") {
			t.Errorf("an unknown reported as %s %s: %s", f.Severity, f.Code, f.Message)
		}
	}
}

// Bullet 4: with nothing reachable (no Docker socket, no network, so no
// cloudflared), check exits 3 whatever --fail-on says.
func TestNothingReachableExits3(t *testing.T) {
	t.Parallel()
	dockertest.RequireDocker(t)
	td := tdImage(t)
	for _, failOn := range []string{"warn", "error"} {
		r := runTD(t, td, "none", true, "--fail-on", failOn)
		if r.code != 3 || r.ExitCode != 3 {
			t.Errorf("--fail-on %s: exit %d (report %d), want 3\n%s", failOn, r.code, r.ExitCode, r.dump())
		}
	}
}

// TestUvicornBoundToLoopback: the same as above for uvicorn, whose startup
// line the origin prints as uvicorn does. The fix's `--host H --port P`,
// applied to the app, makes PRB012 go.
func TestUvicornBoundToLoopback(t *testing.T) {
	t.Parallel()
	im := buildImages(t)
	td := tdImage(t)
	apps := dockertest.Network(t, "uviapps", dockertest.NetworkOptions{Internal: true})
	egress := dockertest.Network(t, "uviegress", dockertest.NetworkOptions{})
	alias := dockertest.Name("uvicorn")
	uvicorn := func(host, port string) dockertest.Container {
		c := origin(t, im.origin, apps, []string{"--listen", host + ":" + port,
			"--say", "INFO:     Started server process [1]",
			"--say", "INFO:     Uvicorn running on http://" + host + ":" + port + " (Press CTRL+C to quit)"},
			func(s *dockertest.Spec) { s.Expose, s.Aliases = []string{"8000"}, []string{alias} })
		dockertest.WaitState(t, c.ID, "running", 20*time.Second)
		return c
	}
	web := uvicorn("127.0.0.1", "8000")
	cf := standin(t, apps, []string{"STANDIN_CONFIG_JSON=" + remoteRules("http://"+alias+":8000")}, nil,
		func(s *dockertest.Spec) { s.More = []string{egress} })
	dockertest.WaitState(t, cf.ID, "healthy", 30*time.Second)
	dockertest.WaitLog(t, web.ID, "listening on 127.0.0.1:8000", 20*time.Second)

	r := runTD(t, td, "container:"+cf.Name, false)
	prb := r.of("PRB012", 0)
	if len(prb) != 1 || prb[0].Severity != "error" {
		t.Fatalf("want one PRB012 error:\n%s", r.dump())
	}
	f := prb[0]
	contains(t, "PRB012 message", f.Message, "exposes port 8000", "listens on its own loopback only", "Uvicorn running on http://127.0.0.1:8000")
	contains(t, "PRB012 fix", f.Fix, "uvicorn main:app --host 0.0.0.0 --port 8000")

	// Apply the fix: the app started with the --host and --port it names.
	m := regexp.MustCompile(`uvicorn \S+ --host (\S+) --port (\d+)`).FindStringSubmatch(f.Fix)
	if m == nil {
		t.Fatalf("no uvicorn command in the fix: %s", f.Fix)
	}
	dockertest.Docker(t, "rm", "-f", web.ID)
	uvicorn(m[1], strings.TrimSuffix(m[2], ","))
	after := runTD(t, td, "container:"+cf.Name, false)
	if got := after.of("PRB012", 0); len(got) != 0 {
		t.Errorf("after uvicorn --host %s --port %s, still:\n%s", m[1], m[2], after.dump())
	}
}
