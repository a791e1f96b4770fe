package collect

import (
	"strings"

	"github.com/tunneldoctor/tunneldoctor/dockernet"
)

// mountFor returns the mount that holds path inside a container (the
// longest destination that is path or one of its parents), nil if none.
func mountFor(mounts []dockernet.Mount, path string) *dockernet.Mount {
	var best *dockernet.Mount
	for i := range mounts {
		d := strings.TrimRight(mounts[i].Destination, "/")
		if path == d || strings.HasPrefix(path, d+"/") {
			if best == nil || len(d) > len(strings.TrimRight(best.Destination, "/")) {
				best = &mounts[i]
			}
		}
	}
	return best
}
