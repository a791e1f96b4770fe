package probeit

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/agent/dockertest/testpki"
)

// fixSetting matches an originRequest setting a fix prints
// ("httpHostHeader: localhost", "set caPool: /etc/cloudflared/origin-ca.pem").
var fixSetting = regexp.MustCompile(`\b(httpHostHeader|originServerName|caPool): ([^\s,;` + "`" + `]+)`)

// settingFromFix returns the first value the fix prints for key.
func settingFromFix(t *testing.T, f *finding, key string) string {
	t.Helper()
	for _, m := range fixSetting.FindAllStringSubmatch(f.Fix, -1) {
		if m[1] == key && !strings.HasPrefix(m[2], "<") {
			return m[2]
		}
	}
	t.Fatalf("%s's fix prints no %s:\n%s", f.Code, key, f.Fix)
	return ""
}

// TestVerdictsYouCanActOn runs real origins on an internal network, probed
// from the stand-in cloudflared's namespace: a Vite dev server and a Django
// app that refuse the public hostname (PRB015), a ws:// service whose app
// does not upgrade and one that does (PRB016), an nginx-like proxy whose
// 502 names its PHP-FPM upstream, which has exited (ORG008), and two TLS
// origins whose fixes are originServerName and caPool (PRB002). Then it
// applies the fixes as printed (httpHostHeader, originServerName, caPool,
// with the CA mounted at the path the fix names) to a second cloudflared,
// restarts Django with the ALLOWED_HOSTS the fix names and the ws:// app so
// it accepts WebSocket on the port of the rule the fix prints, runs the
// fix's `docker start` for the upstream, and proves the findings are gone.
func TestVerdictsYouCanActOn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds images and runs containers")
	}
	dockertest.RequireDocker(t)
	img := buildImages(t)
	network := dockertest.Network(t, "verdicts", dockertest.NetworkOptions{Internal: true})
	p := newPKI(t)
	p.Leaf(t, "wrongsan", testpki.LeafSpec{DNSNames: []string{"app.internal.lan"}})
	p.Leaf(t, "caweb", testpki.LeafSpec{DNSNames: []string{"caweb"}})

	origin := func(alias string, volumes []string, args ...string) dockertest.Container {
		return dockertest.Run(t, dockertest.Spec{Name: alias, Image: img.origin, Network: network, Aliases: []string{alias},
			Hostname: alias, Volumes: volumes, Args: args})
	}
	origin("vite", nil, "--listen", ":5173", "--allowed-hosts", "localhost", "--host-refusal", "vite")
	django := origin("django", nil, "--listen", ":8000", "--allowed-hosts", "django", "--host-refusal", "django")
	chat := origin("chat", nil, "--listen", ":8080")
	origin("wsok", nil, "--listen", ":8080", "--websocket")
	// php crashed once; started again it stays up (--exit-once). nginx
	// answers 502 and logs the failure only while php cannot be dialled.
	php := origin("php", nil, "--listen", ":9000", "--exit-after", "100ms", "--exit-code", "1", "--exit-once", "/crashed-once")
	origin("nginx", nil, "--listen", ":80", "--upstream", "php:9000", "--status", "502", "--body", "<html><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></html>",
		"--header", "Server: nginx/1.27.3",
		"--log-request", `2026/11/22 03:00:01 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.2, server: _, request: "GET / HTTP/1.1", upstream: "fastcgi://php:9000", host: "shop.example.com"`)
	certs := []string{p.Path + ":/certs:ro"}
	for _, n := range []string{"wrongsan", "caweb"} {
		origin(n, certs, "--listen", ":8443", "--cert", "/certs/"+n+".pem", "--key", "/certs/"+n+"-key.pem")
	}
	dockertest.WaitState(t, php.ID, "exited", 20*time.Second)

	rules := []ingressRule{
		{"vite.example.com", "http://vite:5173", nil},
		{"django.example.com", "http://django:8000", nil},
		{"chat.example.com", "ws://chat:8080", nil},
		{"wsok.example.com", "ws://wsok:8080", nil},
		{"shop.example.com", "http://nginx:80", nil},
		{"wrongsan.example.com", "https://wrongsan:8443", map[string]any{"caPool": caPath}},
		{"noca.example.com", "https://caweb:8443", nil},
	}
	cf := startCloudflared(t, img, network, rules, nil, []string{p.CAFile() + ":" + caPath + ":ro"})
	run := runCheck(t, img, cf, "3s", p.CAFile()+":"+caPath+":ro")
	defer logReport(t, run)
	by := map[int][]finding{}
	for _, f := range run.report.Findings {
		if f.Severity != "skipped" && f.Severity != "info" {
			by[f.Rule] = append(by[f.Rule], f)
		}
	}
	expect := func(rule int, code string, text ...string) *finding {
		t.Helper()
		f := findingOf(by, rule, code)
		if f == nil {
			t.Errorf("rule %d (%s): no %s, got %+v", rule, rules[rule].Service, code, by[rule])
			return nil
		}
		for _, s := range text {
			if !strings.Contains(f.Message+"\n"+f.Fix, s) {
				t.Errorf("rule %d %s lacks %q:\n%s\n%s", rule, code, s, f.Message, f.Fix)
			}
		}
		return f
	}
	vite := expect(0, "PRB015", "Vite", `"vite.example.com"`, "403", "allowedHosts: ['vite.example.com']", "httpHostHeader: localhost")
	dj := expect(1, "PRB015", "Django", "ALLOWED_HOSTS = ['django.example.com']", "httpHostHeader: django")
	ws := expect(2, "PRB016", "200 instead of 101", "ok from origin", "proxy_set_header Upgrade $http_upgrade")
	if f := findingOf(by, 3, "PRB016"); f != nil {
		t.Errorf("a completed upgrade was reported: %+v", f)
	}
	up := expect(4, "ORG008", "answered 502", "fastcgi://php:9000", php.Name, "exited (exit code 1)", "docker start "+php.Name)
	if up != nil && up.Evidence["upstream_container"] != php.Name {
		t.Errorf("ORG008 evidence: %v", up.Evidence)
	}
	san := expect(5, "PRB002", "originServerName: app.internal.lan")
	noca := expect(6, "PRB002", "caPool: ")
	if t.Failed() {
		return
	}

	// The fixes, as printed.
	caAt := settingFromFix(t, noca, "caPool")
	fixed := append([]ingressRule(nil), rules...)
	fixed[0].OriginRequest = map[string]any{"httpHostHeader": settingFromFix(t, vite, "httpHostHeader")}
	fixed[5].OriginRequest = map[string]any{"caPool": caPath, "originServerName": settingFromFix(t, san, "originServerName")}
	fixed[6].OriginRequest = map[string]any{"caPool": caAt}
	mounts := []string{p.CAFile() + ":" + caPath + ":ro"}
	if caAt != caPath {
		mounts = append(mounts, p.CAFile()+":"+caAt+":ro")
	}
	// Django: the allow-list alternative, as printed, in place of the
	// app's list (the app restarted with it; its rule left alone).
	allow := regexp.MustCompile(`ALLOWED_HOSTS = \[([^\]]+)\]`).FindStringSubmatch(dj.Fix)
	if allow == nil {
		t.Fatalf("PRB015 (Django) prints no ALLOWED_HOSTS list:\n%s", dj.Fix)
	}
	var hosts []string
	for _, h := range strings.Split(allow[1], ",") {
		hosts = append(hosts, strings.Trim(strings.TrimSpace(h), `'"`))
	}
	dockertest.Docker(t, "rm", "-f", django.ID)
	origin("django", nil, "--listen", ":8000", "--allowed-hosts", strings.Join(hosts, ","), "--host-refusal", "django")
	// WebSocket: the rule the fix prints, pointed at an app that accepts
	// WebSocket connections on that port (the app restarted so it does).
	svc := regexp.MustCompile(`(?m)^\s*service: (\S+)`).FindStringSubmatch(ws.Fix)
	if svc == nil {
		t.Fatalf("PRB016 prints no rule:\n%s", ws.Fix)
	}
	fixed[2].Service = svc[1]
	dockertest.Docker(t, "rm", "-f", chat.ID)
	origin("chat", nil, "--listen", ":8080", "--websocket")
	// ORG008: the upstream's start command, as printed.
	start := regexp.MustCompile(`(?m)^docker start (\S+)$`).FindStringSubmatch(up.Fix)
	if start == nil {
		t.Fatalf("ORG008 prints no `docker start` line:\n%s", up.Fix)
	}
	dockertest.Docker(t, "start", start[1])
	dockertest.WaitLog(t, php.ID, "origin: started again, staying up", 20*time.Second)
	cf2 := startCloudflared(t, img, network, fixed, nil, mounts)
	after := runCheck(t, img, cf2, "3s", mounts...)
	defer logReport(t, after)
	for _, f := range after.report.Findings {
		if f.Severity == "skipped" || f.Severity == "info" {
			continue
		}
		if ((f.Rule == 0 || f.Rule == 1) && f.Code == "PRB015") || (f.Rule == 2 && f.Code == "PRB016") ||
			(f.Rule == 4 && (f.Code == "ORG008" || strings.HasPrefix(f.Code, "PRB"))) ||
			((f.Rule == 5 || f.Rule == 6) && strings.HasPrefix(f.Code, "PRB")) {
			t.Errorf("after the fix, rule %d still has %s %s: %s\n%s", f.Rule, f.Severity, f.Code, f.Message, f.Fix)
		}
	}
}
