package status

import "runtime"

// Build describes the running binary for the tunneldoctor_build_info metric.
type Build struct {
	Version string // tunneldoctor's version ("(devel)" when unknown)
	Commit  string // the VCS revision, "" when unknown
}

// SetBuild records the binary's version and commit; call it before serving.
func (s *Store) SetBuild(b Build) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.build = b
}

// buildInfo is the conventional constant-1 gauge whose labels say which
// build runs (join it in queries, alert on version drift).
func buildInfo(b Build) family {
	v := b.Version
	if v == "" {
		v = "(devel)"
	}
	return family{name: "tunneldoctor_build_info", help: "Always 1; the labels name the running build.", typ: "gauge",
		samples: []sample{{labels: []label{{"version", v}, {"revision", b.Commit}, {"goversion", runtime.Version()}}, value: 1}}}
}
