package agent

import "testing"

func TestUpstreamsInLog(t *testing.T) {
	lines := []string{
		`2026/11/22 03:00:00 [notice] 1#1: start worker processes`,
		`2026/11/22 03:00:01 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.3, server: _, request: "GET / HTTP/1.1", upstream: "fastcgi://172.18.0.5:9000", host: "app.example.com"`,
		`2026/11/22 03:00:02 [error] 29#29: *2 connect() failed (113: No route to host) while connecting to upstream, client: 172.18.0.3, server: _, request: "GET / HTTP/1.1", upstream: "http://app:3000/", host: "app.example.com"`,
		`2026/11/22 03:00:03 [emerg] 1#1: host not found in upstream "api:8000" in /etc/nginx/conf.d/default.conf:5`,
		`{"level":"error","msg":"dial tcp 172.18.0.9:8080: connect: connection refused"}`,
		`2026/11/22 03:00:04 [error] 29#29: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.3, upstream: "fastcgi://172.18.0.5:9000", host: "x"`,
	}
	got := UpstreamsInLog(lines)
	want := []Upstream{
		{Scheme: "fastcgi", Host: "172.18.0.5", Port: 9000, Error: "connection refused"},
		{Host: "172.18.0.9", Port: 8080, Error: "connection refused"},
		{Host: "api", Port: 8000, Error: "host not found"},
		{Scheme: "http", Host: "app", Port: 3000, Error: "no route to host"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d upstreams, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Scheme != w.Scheme || g.Host != w.Host || g.Port != w.Port || g.Error != w.Error || g.Line == "" {
			t.Errorf("upstream %d: got %+v, want %+v", i, g, w)
		}
	}
}
