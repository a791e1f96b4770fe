package dockernet

import (
	"os"
	"regexp"
	"strings"
)

// Hint is one clue to which container this process runs in.
type Hint struct {
	ID string // a full 64-hex ID, or the short ID from the hostname
	// Source is where it was read: "cgroup" (our own container), "mountinfo"
	// (the container whose /etc/hostname we mount: our own, or, when we
	// share another container's network namespace, that donor's), or
	// "hostname" (Docker's default hostname is the short ID; joiners get
	// the donor's).
	Source string
}

var (
	containerID = regexp.MustCompile(`(?:containers/|docker[-/]|/libpod-|crio-)([0-9a-f]{64})`)
	shortIDName = regexp.MustCompile(`^[0-9a-f]{12}$`)
)

// SelfHints reads clues to our own container from /proc and the hostname.
// Outside a container it returns none.
func SelfHints() []Hint {
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			return ""
		}
		return string(b)
	}
	host, _ := os.Hostname()
	return ParseSelfHints(read("/proc/self/cgroup"), read("/proc/self/mountinfo"), host)
}

// ParseSelfHints extracts container IDs from cgroup and mountinfo text and
// the hostname, most reliable first.
func ParseSelfHints(cgroup, mountinfo, hostname string) []Hint {
	var out []Hint
	seen := map[string]bool{}
	add := func(id, src string) {
		if !seen[id+src] {
			seen[id+src] = true
			out = append(out, Hint{ID: id, Source: src})
		}
	}
	for _, m := range containerID.FindAllStringSubmatch(cgroup, -1) {
		add(m[1], "cgroup")
	}
	for _, line := range strings.Split(mountinfo, "\n") {
		f := strings.Fields(line)
		// Field 5 is the mount point; Docker bind-mounts these three from
		// /var/lib/docker/containers/<id>/.
		if len(f) < 5 || (f[4] != "/etc/hostname" && f[4] != "/etc/hosts" && f[4] != "/etc/resolv.conf") {
			continue
		}
		if m := containerID.FindStringSubmatch(f[3]); m != nil {
			add(m[1], "mountinfo")
		}
	}
	if h := strings.ToLower(strings.TrimSpace(hostname)); shortIDName.MatchString(h) {
		add(h, "hostname")
	}
	return out
}
