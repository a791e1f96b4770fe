package dockernet

import "testing"

func TestBindingServes(t *testing.T) {
	own := []string{"192.168.1.5"}
	for _, tc := range []struct {
		bind, host string
		want       bool
	}{
		{"0.0.0.0", "localhost", true},
		{"0.0.0.0", "127.0.0.1", true},
		{"::", "127.0.0.1", true},
		{"", "::1", true},
		{"0.0.0.0", "192.168.1.5", true},
		{"0.0.0.0", "10.9.9.9", false},
		{"127.0.0.1", "localhost", true},
		{"127.0.0.1", "127.0.0.1", true},
		{"127.0.0.1", "192.168.1.5", false},
		{"::1", "localhost", true},
		{"::1", "127.0.0.1", false},
		{"192.168.1.5", "localhost", false},
		{"192.168.1.5", "192.168.1.5", true},
	} {
		if got := BindingServes(tc.bind, tc.host, own); got != tc.want {
			t.Errorf("BindingServes(%q, %q) = %v, want %v", tc.bind, tc.host, got, tc.want)
		}
	}
}

func TestHostPublications(t *testing.T) {
	web := &Container{ID: "a1", Name: "web", State: "running",
		Published: []PortBinding{{ContainerPort: "80/tcp", HostIP: "0.0.0.0", HostPort: "8080"}, {ContainerPort: "80/tcp", HostIP: "::", HostPort: "8080"}}}
	stopped := &Container{ID: "b2", Name: "db-admin", State: "exited", Inspected: true,
		PortBindings: []PortBinding{{ContainerPort: "8081/tcp", HostIP: "127.0.0.1", HostPort: "8081"}}}
	other := &Container{ID: "c3", Name: "api", State: "running", ExposedPorts: []string{"9000/tcp", "9001/tcp"},
		Published: []PortBinding{{ContainerPort: "9001/tcp", HostIP: "127.0.0.1", HostPort: "19001"}},
		Endpoints: []Endpoint{{NetworkID: "n1", NetworkName: "app", IPv4: "172.18.0.3", Aliases: []string{"backend"}}},
	}
	topo := NewTopology([]*Container{web, stopped, other}, []*Network{{ID: "n1", Name: "app", Driver: "bridge"}})

	if got := topo.PublishedAt("localhost", "8080", nil); len(got) != 1 || got[0].Container != web || got[0].Configured {
		t.Errorf("8080 = %+v", got)
	}
	if got := topo.PublishedAt("127.0.0.1", "8081", nil); len(got) != 1 || got[0].Container != stopped || !got[0].Configured {
		t.Errorf("8081 = %+v", got)
	}
	if got := topo.PublishedAt("localhost", "9001", nil); len(got) != 0 {
		t.Errorf("9001 = %+v", got)
	}
	if got := topo.PublishedFrom("9001/tcp"); len(got) != 1 || got[0].Binding.HostPort != "19001" {
		t.Errorf("from 9001 = %+v", got)
	}
	if got := topo.ExposedOnly("9000/tcp"); len(got) != 1 || got[0] != other {
		t.Errorf("exposed 9000 = %+v", got)
	}
	if got := topo.ExposedOnly("9001/tcp"); len(got) != 0 {
		t.Errorf("exposed 9001 = %+v", got)
	}
	if c := topo.ContainerAt("172.18.0.3"); c != other {
		t.Errorf("at = %v", c)
	}
	if got := topo.Named("backend"); len(got) != 1 || got[0] != other {
		t.Errorf("named backend = %v", got)
	}
	if got := topo.Named("web"); len(got) != 1 || got[0] != web {
		t.Errorf("named web = %v", got)
	}
}
