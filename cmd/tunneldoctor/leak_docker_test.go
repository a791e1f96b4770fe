package main

import (
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfapitest"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// leakStack is a real stack with every kind of secret planted where
// tunneldoctor reads: cloudflared's command line and environment, an
// unwell origin's log, response body and headers, cloudflared's own log,
// the config and the Cloudflare API's error text.
type leakStack struct {
	cf      dockertest.Container
	cfIP    string
	config  string
	env     []string
	secrets map[string]string // what → planted value
	// canaries are harmless strings planted beside the secrets: seeing
	// them proves the text was read, so the missing secret was redacted,
	// not skipped.
	canaries []string
}

// hostile is what a hostile log line or body carries besides secrets:
// a colour, a clipboard write (OSC 52), a hyperlink (OSC 8), a bell, a
// carriage return and a right-to-left override.
const hostile = "\x1b[31mred\x1b[0m \x1b]52;c;cHduZWQ=\x07 \x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ bell\x07 cr\r over\u202eexe.txt"

func startLeakStack(t *testing.T) leakStack {
	t.Helper()
	dockertest.RequireDocker(t)
	// The values are unique to the run: a hit can only be this test's.
	tag := strings.TrimPrefix(dockertest.Name("x"), dockertest.Prefix+"x-")
	tunnelSecret := base64.StdEncoding.EncodeToString([]byte("tunnel-secret-" + tag + "-0123456789"))
	token := base64.StdEncoding.EncodeToString([]byte(`{"a":"` + cfapitest.Account + `","t":"` + cfapitest.Tunnel + `","s":"` + tunnelSecret + `"}`))
	s := leakStack{secrets: map[string]string{
		"tunnel token":            token,
		"tunnel secret":           tunnelSecret,
		"--api-key":               "apiKey" + tag + "Q7w",
		"--api-ca-key":            "caKey" + tag + "R8e",
		"--session-token":         "sessTok" + tag + "T9r",
		"--secret-id":             "secId" + tag + "Y0t",
		"--access-key-id":         "accKey" + tag + "U1y.access",
		"cloudflared DB_PASSWORD": "cfDbPw" + tag + "I2u",
		"origin DB_PASSWORD":      "orDbPw" + tag + "O3i",
		"origin env value":        "relay" + tag + "P4o",
		"postgres password":       "S3cretPw" + tag,
		"https password":          "pw-xyz" + tag,
		"redis password":          "RedisPw1" + tag,
		"cookie":                  "sessCookie" + tag + "A5s",
		"set-cookie":              "sidValue" + tag + "S6d",
		"bearer":                  "bearerTok" + tag + "D7f",
		"jwt":                     "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI" + tag + "In0.c2lnbmF0dXJl" + tag,
		"body password":           "bodyPw" + tag + "F8g",
		"API token":               cfapitest.Token,
	}}
	sec := s.secrets
	s.canaries = []string{"canary-log-" + tag, "canary-cf-" + tag}

	netName := dockertest.Network(t, "leak", dockertest.NetworkOptions{})
	say := []string{
		s.canaries[0] + " connecting to postgres://user:" + sec["postgres password"] + "@db:5432/app",
		"upstream https://admin:" + sec["https password"] + "@host/ refused",
		"cache redis://:" + sec["redis password"] + "@cache:6379 down",
		"GET / Cookie: session=" + sec["cookie"],
		"sent Set-Cookie: sid=" + sec["set-cookie"] + "; Path=/; HttpOnly",
		"Authorization: Bearer " + sec["bearer"],
		"jwt " + sec["jwt"] + " expired",
		"smtp relay " + sec["origin env value"] + " and db " + sec["origin DB_PASSWORD"],
		"hostile " + hostile,
	}
	args := []string{"--listen", ":8080", "--status", "502", "--health-status", "500",
		// A debug error page quoting the app's settings: its DB_PASSWORD
		// value, under no name a pattern knows.
		"--body", "bad gateway " + hostile + " password=" + sec["body password"] + " " + sec["jwt"] + " db=" + sec["origin DB_PASSWORD"],
		"--header", "Set-Cookie: sid=" + sec["set-cookie"],
		// An HTTP client refuses control characters in a header, not a bidi
		// override (it is UTF-8): the 5xx finding quotes the Server header.
		"--header", "Server: nginx\u202egnp.exe"}
	for _, l := range say {
		args = append(args, "--say", l)
	}
	// Unhealthy (its healthcheck gets 500) and answering 502: tunneldoctor
	// probes it and quotes its log.
	sick := dockertest.Run(t, dockertest.Spec{
		Name: "sick", Image: dockertest.OriginImage(t, "8080"), Network: netName,
		HealthInterval: time.Second, Args: args,
		Env: []string{"DB_PASSWORD=" + sec["origin DB_PASSWORD"], "SMTP_RELAY=" + sec["origin env value"]},
	})
	dockertest.WaitState(t, sick.ID, "unhealthy", 60*time.Second)
	sickIP := containerIP(t, sick.ID)

	// The host runs tunneldoctor, so rules name the origin by its address
	// (the host's resolver must never be asked for test names).
	// cloudflared reads the same file, mounted.
	cfgDir := t.TempDir()
	if err := os.Chmod(cfgDir, 0o755); err != nil {
		t.Fatal(err)
	}
	s.config = filepath.Join(cfgDir, "config.yml")
	yml := "tunnel: " + cfapitest.Tunnel + "\ningress:\n" +
		"  - hostname: app.example.com\n    service: http://" + sickIP + ":8080\n" +
		`  - hostname: "evil\e]52;c;cHduZWQ=\a\e[31m\e]8;;http://x\e\\bidi\u202eexe.example.com\r"` + "\n    service: http://" + sickIP + ":8080\n" +
		"  - service: http_status:404\n"
	if err := os.WriteFile(s.config, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}

	s.cf = dockertest.Run(t, dockertest.Spec{
		Name: "cloudflared", Image: dockertest.StandinImage(t), Network: netName,
		Volumes: []string{cfgDir + ":/etc/cloudflared:ro"},
		Args: []string{"tunnel", "--config", "/etc/cloudflared/config.yml", "--metrics", "0.0.0.0:20241",
			"--api-key", sec["--api-key"], "--api-ca-key=" + sec["--api-ca-key"], "--session-token", sec["--session-token"],
			"run", "--secret-id", sec["--secret-id"], "--access-key-id=" + sec["--access-key-id"], "--token", token},
		Env: []string{"TUNNEL_TOKEN=" + token, "DB_PASSWORD=" + sec["cloudflared DB_PASSWORD"],
			"STANDIN_ORIGIN_ERRORS=0=" + s.canaries[1] + " dial postgres://user:" + sec["postgres password"] + "@db:5432/app Authorization: Bearer " + sec["bearer"] + " " + hostile,
			"STANDIN_ORIGIN_ERROR_EVERY=2s"},
	})
	dockertest.WaitState(t, s.cf.ID, "healthy", 60*time.Second)
	s.cfIP = containerIP(t, s.cf.ID)

	api := cfapitest.New(t)
	api.Set("/user/tokens/verify", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		cfapitest.WriteJSON(w, http.StatusBadRequest, []byte(`{"success":false,"errors":[{"code":6003,"message":"Invalid request headers: token `+tok+` is malformed"}],"messages":[],"result":null}`))
	})
	s.env = []string{"CLOUDFLARE_API_TOKEN=" + cfapitest.Token,
		"TUNNELDOCTOR_API_URL=" + api.BaseURL(), "TUNNELDOCTOR_STATUS_PAGE_URL=" + api.StatusPageURL()}
	return s
}

func containerIP(t *testing.T, id string) string {
	t.Helper()
	ip := strings.Fields(dockertest.Docker(t, "inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", id))
	if len(ip) == 0 {
		t.Fatalf("container %s has no address", id)
	}
	return ip[0]
}

// args are the flags every run gets: this stack's cloudflared by name and
// metrics address (never a discovered one: a real cloudflared may listen
// on 127.0.0.1:20241), its config, and nothing leaving the machine.
func (s leakStack) args() []string {
	return []string{"--cloudflared", s.cf.Name, "--metrics", s.cfIP + ":20241", "--config", s.config,
		"--account-id", cfapitest.Account, "--no-public-probe"}
}

// channel is one output tunneldoctor wrote.
type channel struct {
	name, text string
	sgr        bool // the report's own colours are allowed
}

// assertClean fails for every planted secret and raw control character
// found in a channel.
func (s leakStack) assertClean(t *testing.T, chans []channel) {
	t.Helper()
	for _, c := range chans {
		for what, v := range s.secrets {
			if strings.Contains(c.text, v) {
				i := strings.Index(c.text, v)
				t.Errorf("%s: the %s leaked: …%q…", c.name, what, c.text[max(0, i-120):min(len(c.text), i+len(v)+40)])
			}
		}
		text := c.text
		if c.sgr {
			text = stripSGR(text)
		}
		for _, bad := range []string{"\x1b", "\x07", "\u202e", "\r", "\u009b"} {
			if i := strings.Index(text, bad); i >= 0 {
				t.Errorf("%s: raw %q: …%q…", c.name, bad, text[max(0, i-120):min(len(text), i+40)])
			}
		}
	}
}

// TestNothingLeaksFromARealStack plants each kind of secret in a real
// stack (stand-in cloudflared, an unwell origin, the fake Cloudflare API)
// and greps every output channel of `check` and `watch` for each of them
// and for raw terminal escapes.
func TestNothingLeaksFromARealStack(t *testing.T) {
	s := startLeakStack(t)
	var chans []channel
	add := func(name string, r result, sgr bool) {
		chans = append(chans, channel{name + " stdout", r.stdout, sgr}, channel{name + " stderr", r.stderr, false})
	}
	check := func(args ...string) result {
		return run(t, s.env, append(append([]string{"check"}, args...), s.args()...)...)
	}
	add("check --color never", check("--color", "never"), false)
	add("check --color always", check("--color", "always"), true)
	add("check --verbose --log-level debug", check("--verbose", "--color", "never", "--log-level", "debug"), false)
	add("check --support", check("--support", "--log-level", "debug"), false)
	js := check("--output", "json", "--log-level", "debug")
	add("check --output json", js, false)
	for _, c := range s.canaries {
		if !strings.Contains(js.stdout, c) {
			t.Errorf("the JSON report lacks %q: the planted text was not read, so the test proves nothing\n%s", c, js)
		}
	}
	// Each place a secret was planted was read, and redacted there.
	for _, want := range []string{"bad gateway", "password=[REDACTED]", "Set-Cookie: [REDACTED]", "postgres://user:[REDACTED]@db"} {
		if !strings.Contains(js.stdout, want) {
			t.Errorf("the JSON report lacks %q (the origin's log and 502 body)\n%s", want, js)
		}
	}
	for _, want := range []string{`"--api-key","[REDACTED]"`, `"--access-key-id=[REDACTED]"`, `"--token","[REDACTED]"`} {
		if !strings.Contains(js.stderr, want) {
			t.Errorf("the debug log lacks %q (cloudflared's command line)\n%s", want, js.stderr)
		}
	}

	for _, format := range []string{"json", "console"} {
		chans = append(chans, watchChannels(t, s, format)...)
	}
	s.assertClean(t, chans)
}

// watchChannels runs `watch` until its first full run and returns its
// logs, /metrics, the status page and /readyz.
func watchChannels(t *testing.T, s leakStack, format string) []channel {
	t.Helper()
	port := freeTCPPort(t)
	cmd := exec.Command(binary, append([]string{"watch", "--log-level", "debug", "--log-format", format,
		"--interval", "1m", "--listen", "127.0.0.1:" + port}, s.args()...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, s.env...)
	var stdout, stderr dockertest.SyncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		interruptAndWait(cmd)
	}
	t.Cleanup(stop)
	name := "watch --log-format " + format
	dockertest.Eventually(t, 90*time.Second, name+" to finish its first full run", func() (bool, string) {
		out := stdout.String()
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, "run_summary") && !strings.Contains(line, "quick") {
				return true, ""
			}
		}
		return false, tailString(out, 2000) + tailString(stderr.String(), 2000)
	})
	chans := []channel{}
	for _, path := range []string{"/metrics", "/", "/readyz", "/healthz"} {
		res, err := http.Get("http://127.0.0.1:" + port + path)
		if err != nil {
			t.Fatalf("%s %s: %v", name, path, err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		chans = append(chans, channel{name: name + " " + path, text: string(b)})
	}
	stop()
	return append(chans, channel{name + " stdout", stdout.String(), false}, channel{name + " stderr", stderr.String(), false})
}
