package checks_test

import (
	"strings"
	"testing"

	"github.com/tunneldoctor/tunneldoctor/agent"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

func TestAGT105TooLarge(t *testing.T) {
	s := &agent.Snapshot{}
	if fs := runCheck(t, "AGT105", s); len(fs) != 0 {
		t.Fatalf("nothing too large: %+v", fs)
	}
	s.Docker.TooLarge = []dockernet.TooLargeError{
		{What: "container inspect", Path: "/containers/a/json", Limit: 4 << 20},
		{What: "container inspect", Path: "/containers/b/json", Limit: 4 << 20},
		{What: "event", Path: "/events", Limit: 4 << 20},
	}
	fs := runCheck(t, "AGT105", s)
	if len(fs) != 1 {
		t.Fatalf("want one finding, got %+v", fs)
	}
	f := fs[0]
	want := "Docker API answer too large: container inspect exceeded 4 MiB; event exceeded 4 MiB;"
	if f.Severity != agent.Warn || !strings.HasPrefix(f.Message, want) || f.Fix == "" {
		t.Errorf("finding %+v, want %q", f, want)
	}
}
