package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// haproxyImage builds a socket-proxy image with nothing pulled: Debian's
// haproxy binary and the shared libraries ldd lists, on scratch, started
// the way the official haproxy image starts (config at
// /usr/local/etc/haproxy/haproxy.cfg).
func haproxyImage(t *testing.T) string {
	t.Helper()
	bin := dockertest.RequireProgram(t, "haproxy", "haproxy")
	ctx := t.TempDir()
	root := filepath.Join(ctx, "rootfs")
	files := []string{bin}
	for _, line := range strings.Split(run(t, time.Minute, nil, "ldd", bin), "\n") {
		// "libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x...)" or
		// "/lib64/ld-linux-x86-64.so.2 (0x...)"
		for _, f := range strings.Fields(line) {
			if strings.HasPrefix(f, "/") {
				files = append(files, f)
				break
			}
		}
	}
	for i, f := range files {
		b, err := os.ReadFile(f) // follows symlinks: the image gets the real file
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(root, f)
		if i == 0 {
			dst = filepath.Join(root, "usr", "sbin", "haproxy") // where ENTRYPOINT says
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(ctx, "Dockerfile"), `FROM scratch
COPY rootfs/ /
ENTRYPOINT ["/usr/sbin/haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
`)
	tag := dockertest.Name("haproxy") + ":test"
	run(t, 2*time.Minute, nil, "docker", "build", "-q", "-t", tag, ctx)
	cleanupImage(tag)
	return tag
}
