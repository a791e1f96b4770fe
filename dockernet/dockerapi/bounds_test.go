package dockerapi_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
	"github.com/tunneldoctor/tunneldoctor/dockernet"
	"github.com/tunneldoctor/tunneldoctor/dockernet/dockerapi"
)

func dialHostile(t *testing.T, o dockertest.HostileOptions) (*dockertest.HostileDaemon, *dockerapi.Client) {
	t.Helper()
	d := dockertest.StartHostile(t, o)
	c, err := dockerapi.Dial(d.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Ping(ctx); err != nil {
		t.Fatalf("ping the hostile daemon: %v", err)
	}
	return d, c
}

func wantTooLarge(t *testing.T, err error, what string, limit int64) {
	t.Helper()
	tl, ok := dockernet.AsTooLarge(err)
	if !ok {
		t.Fatalf("error %v: want a *dockernet.TooLargeError", err)
	}
	if tl.What != what || tl.Limit != limit {
		t.Errorf("too large: %+v, want %s past %d", tl, what, limit)
	}
	if !strings.Contains(err.Error(), "Docker API answer too large: "+what+" exceeded ") {
		t.Errorf("error text %q does not say what was too large", err)
	}
}

// TestBoundedContainerList: an endless and a 200 MB containers list both
// stop at the bound with the typed error, and the client records it.
func TestBoundedContainerList(t *testing.T) {
	lim := dockerapi.DefaultLimits().ContainerList
	for _, a := range []dockertest.Answer{dockertest.Endless, dockertest.Huge} {
		d, c := dialHostile(t, dockertest.HostileOptions{List: a})
		before := c.Calls()
		_, err := c.ListContainers(context.Background())
		wantTooLarge(t, err, "containers list", lim)
		if got := c.TooLarge(before); len(got) != 1 || got[0].Path != "/containers/json" {
			t.Errorf("recorded %+v, want the containers list", got)
		}
		if c.TooLarge(c.Calls()) != nil {
			t.Error("a later collection still sees the record")
		}
		// The daemon may have written ahead into socket buffers, never the
		// whole 200 MB.
		if sent := d.Sent.Load(); sent > 3*lim {
			t.Errorf("read on: the daemon sent %d bytes for a %d bound", sent, lim)
		}
	}
}

// TestBoundedInspect: an endless inspect answer is cut at its bound.
func TestBoundedInspect(t *testing.T) {
	_, c := dialHostile(t, dockertest.HostileOptions{Inspect: dockertest.Endless})
	_, err := c.InspectContainer(context.Background(), dockertest.CloudflaredID)
	wantTooLarge(t, err, "container inspect", dockerapi.DefaultLimits().Inspect)
}

// TestBoundedHostileTopology: the topology loads from a normal list, and
// an endless inspect becomes the container's InspectError, not memory.
func TestBoundedHostileTopology(t *testing.T) {
	_, c := dialHostile(t, dockertest.HostileOptions{Inspect: dockertest.Endless})
	topo, err := dockernet.Load(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	topo.Inspect(context.Background(), c, dockertest.CloudflaredID)
	cf := topo.Container("cf")
	if cf == nil || !strings.Contains(cf.InspectError, "container inspect exceeded 4 MiB") {
		t.Fatalf("cloudflared: %+v, want an inspect error naming the bound", cf)
	}
}

// TestBoundedEvents: the first event arrives, then a never-ending event
// ends the stream with the typed error after its 4 MiB bound.
func TestBoundedEvents(t *testing.T) {
	_, c := dialHostile(t, dockertest.HostileOptions{Events: dockertest.Endless})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msgs, errs := c.Events(ctx, time.Time{})
	select {
	case e := <-msgs:
		if e.Action != "start" || e.Name != "cf" {
			t.Errorf("first event %+v, want cf's start", e)
		}
	case err := <-errs:
		t.Fatalf("stream ended before the first event: %v", err)
	}
	select {
	case e := <-msgs:
		t.Fatalf("the endless event was decoded: %+v", e)
	case err := <-errs:
		wantTooLarge(t, err, "event", dockerapi.DefaultLimits().Event)
	}
	if got := c.TooLarge(c.Calls()); len(got) != 1 || got[0].What != "event" {
		t.Errorf("recorded %+v, want the event (remembered across collections)", got)
	}
}

// TestEventBoundIsPerEvent: many normal events in one stream pass a
// bound far smaller than their total, values spread over lines included;
// one event past the bound fails.
func TestEventBoundIsPerEvent(t *testing.T) {
	one := `{"Type":"container","Action":"start","Actor":{"ID":"x","Attributes":{"name":"a \"}{][ b"}}}` + "\n"
	pretty := "{\n \"Type\": \"network\",\n \"Action\": \"connect\"\n}\n"
	stream := strings.Repeat(one+pretty, 5000) // ~700 KB
	r := dockerapi.BoundEvents(io.NopCloser(strings.NewReader(stream)), int64(len(one)+2))
	n, err := io.Copy(io.Discard, r)
	if err != nil || n != int64(len(stream)) {
		t.Fatalf("read %d of %d: %v", n, len(stream), err)
	}
	r = dockerapi.BoundEvents(io.NopCloser(strings.NewReader(one+strings.Repeat("x", 200)+one)), int64(len(one)+2))
	_, err = io.Copy(io.Discard, r)
	var tl *dockernet.TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("an oversized value: %v, want the typed error", err)
	}
}

// TestLimitBodyExact: an answer of exactly the bound is read whole; one
// byte more fails.
func TestLimitBodyExact(t *testing.T) {
	for _, tc := range []struct {
		size int
		ok   bool
	}{{100, true}, {101, false}, {0, true}} {
		b, err := io.ReadAll(dockerapi.BoundBody(io.NopCloser(strings.NewReader(strings.Repeat("a", tc.size))), 100))
		if tc.ok && (err != nil || len(b) != tc.size) {
			t.Errorf("%d bytes: read %d, %v", tc.size, len(b), err)
		}
		if _, big := dockernet.AsTooLarge(err); !tc.ok && (!big || len(b) > 100) {
			t.Errorf("%d bytes: read %d, %v; want the typed error within the bound", tc.size, len(b), err)
		}
	}
}
