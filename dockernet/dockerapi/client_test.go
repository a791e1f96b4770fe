package dockerapi

import (
	"strings"
	"testing"
)

func TestDialRejectsBadHosts(t *testing.T) {
	for _, h := range []string{"ftp://nope", "docker.sock", "ssh//x"} {
		if _, err := Dial(h); err == nil || !strings.Contains(err.Error(), h) {
			t.Errorf("Dial(%q) = %v, want a clear error naming it", h, err)
		}
	}
	for _, h := range []string{"unix:///var/run/docker.sock", "tcp://socket-proxy:2375"} {
		c, err := Dial(h)
		if err != nil {
			t.Errorf("Dial(%q): %v", h, err)
			continue
		}
		if c.Host() != h {
			t.Errorf("Host() = %q, want %q", c.Host(), h)
		}
		c.Close()
	}
}
