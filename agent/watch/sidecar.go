package watch

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent"
)

// errStranded is the cause of a run aborted because the sidecar's
// namespace lost its interfaces.
var errStranded = errors.New("own network namespace lost its interfaces")

// DefaultSelfEvery is how often a sidecar re-reads its own interfaces: a
// stranded namespace (cloudflared restarted) is noticed within this, even
// when the Docker API (a socket proxy on cloudflared's network) went out of
// reach with it and no event can arrive.
const DefaultSelfEvery = 2 * time.Second

// OwnAddrs lists this process's interface addresses, without loopback and
// link-local ones, sorted: the default Watcher.SelfAddrs.
func OwnAddrs() ([]string, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() || n.IP.IsLinkLocalMulticast() {
			continue
		}
		out = append(out, n.IP.String())
	}
	slices.Sort(out)
	return out, nil
}

// sidecarMemory is what the watcher remembers about its own container
// across runs (only Run's goroutine touches it).
type sidecarMemory struct {
	shared                      bool
	container, project, service string
	joined                      string
}

// fillSidecar records this run's view of tunneldoctor's own namespace in
// the snapshot, before the checks judge it (AGT104).
func (w *Watcher) fillSidecar(s *agent.Snapshot) {
	if s == nil || w.SelfAddrs == nil {
		return
	}
	addrs, err := w.SelfAddrs()
	if err != nil {
		return
	}
	m := &w.sidecar
	d := s.Docker
	if d.Available() && d.SharesNamespace {
		m.shared = true
		w.isSidecar.Store(true)
	}
	if self := d.Self; d.Available() && self != nil {
		m.container, m.project, m.service = self.Name, self.Project, self.Service
		m.joined = strings.TrimPrefix(self.NetworkMode, "container:")
		if m.joined == self.NetworkMode {
			m.joined = ""
		}
	}
	s.Sidecar = agent.SidecarFacts{
		Known: true, Addrs: addrs, Shared: m.shared,
		Container: m.container, Project: m.project, Service: m.service, JoinedID: m.joined,
	}
}

// watchSelf kicks a run when this process's own addresses change (its
// namespace lost its interfaces), once it knows it is a sidecar.
func (w *Watcher) watchSelf(ctx context.Context, kicks chan<- struct{}) {
	t := time.NewTicker(w.SelfEvery)
	defer t.Stop()
	last, _ := w.SelfAddrs()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now, err := w.SelfAddrs()
		if err != nil || slices.Equal(now, last) {
			continue
		}
		last = now
		if !w.isSidecar.Load() {
			continue // on the host, bridges come and go with other containers
		}
		if abort := w.abort.Load(); abort != nil && len(now) == 0 {
			(*abort)()
		}
		w.Diag.Debug().Strs("addrs", now).Msg("watch: own network addresses changed")
		select {
		case kicks <- struct{}{}:
		default:
		}
	}
}

// strandedSnapshot replaces collection while the sidecar's namespace has
// lost every interface: nothing beyond loopback can answer (not the
// Docker API through a socket proxy, not cloudflared's metrics server, not
// an origin), and each call would wait out its timeout. Every source is
// missing with the reason, so its checks are skipped and their findings
// held; AGT104 says what to do. nil when the sidecar is not stranded so.
func (w *Watcher) strandedSnapshot(at time.Time) *agent.Snapshot {
	if w.SelfAddrs == nil || !w.isSidecar.Load() {
		return nil
	}
	if addrs, err := w.SelfAddrs(); err != nil || len(addrs) > 0 {
		return nil
	}
	why := "not collected: tunneldoctor's network namespace has no interface left but loopback (stranded, see AGT104)"
	s := &agent.Snapshot{Taken: at}
	s.Docker.Missing, s.Cloudflared.Missing, s.Ingress.Missing = why, why, why
	s.Probes.Missing, s.Edge.Missing = why, why
	return s
}
