package cloudflared

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCandidates(t *testing.T) {
	cases := []struct {
		flag     string
		hosts    []string
		shared   bool
		want     []string
		whyEmpty string
	}{
		{"", []string{"172.18.0.5"}, false, []string{"172.18.0.5:20241", "172.18.0.5:20242", "172.18.0.5:20243", "172.18.0.5:20244", "172.18.0.5:20245"}, ""},
		{"0.0.0.0:20241", []string{"172.18.0.5", "10.0.1.2"}, false, []string{"172.18.0.5:20241", "10.0.1.2:20241"}, ""},
		{":9000", []string{"127.0.0.1"}, true, []string{"127.0.0.1:9000"}, ""},
		{"127.0.0.1:20241", []string{"172.18.0.5"}, false, nil, "only its own network namespace"},
		{"localhost:20241", []string{"127.0.0.1"}, true, []string{"localhost:20241"}, ""},
		{"10.0.0.7:20241", []string{"172.18.0.5"}, false, []string{"10.0.0.7:20241"}, ""},
		{"nonsense", []string{"172.18.0.5"}, false, nil, "not host:port"},
	}
	for _, tc := range cases {
		got, why := Candidates(tc.flag, tc.hosts, tc.shared)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Candidates(%q) = %v, want %v", tc.flag, got, tc.want)
		}
		if (why == "") != (tc.whyEmpty == "") || !strings.Contains(why, tc.whyEmpty) {
			t.Errorf("Candidates(%q) reason = %q, want it to mention %q", tc.flag, why, tc.whyEmpty)
		}
	}
}

func TestDiscoverPicksCloudflared(t *testing.T) {
	// A closed port, a web server that is not cloudflared, then cloudflared.
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	cf := fakeCloudflared(t, 503, nil)
	cands := []string{closedAddr, strings.TrimPrefix(other.URL, "http://"), strings.TrimPrefix(cf.URL, "http://")}
	addr, probes, err := Discover(context.Background(), &http.Client{}, cands, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if addr != cands[2] {
		t.Errorf("addr = %s, want %s", addr, cands[2])
	}
	if len(probes) != 3 || probes[0].Error == "" || probes[1].Error == "" || probes[2].Error != "" {
		t.Errorf("probes = %+v", probes)
	}
}

func TestDiscoverNothing(t *testing.T) {
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := closed.Addr().String()
	closed.Close()
	_, _, err := Discover(context.Background(), &http.Client{}, []string{addr}, time.Second)
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("err = %v, want one naming %s", err, addr)
	}
	if _, _, err := Discover(context.Background(), &http.Client{}, nil, time.Second); err == nil {
		t.Fatal("no error without candidates")
	}
}
