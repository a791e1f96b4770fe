package dockertest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// OriginPackage is the test origin server's main package.
const OriginPackage = "github.com/tunneldoctor/tunneldoctor/agent/dockertest/origin"

// ImageSpec describes a FROM scratch image around one static Go binary.
type ImageSpec struct {
	Package string // main package import path
	Repo    string // image name without tag, e.g. "tdtest-origin"
	// Path is where the binary goes in the image; default /<base of Package>.
	Path string
	// Entrypoint defaults to [Path].
	Entrypoint []string
	Cmd        []string
	Labels     map[string]string
	// Health is an exec-form HEALTHCHECK (scratch has no shell, so it must
	// be the image's own binary); nil means none.
	Health []string
	// Expose lists EXPOSE ports ("9100/tcp"): documentation a joiner
	// (network_mode container:) can carry, as --expose is refused there.
	Expose []string
}

// compiled caches binaries per test process: compiling is the slow part,
// and one binary serves many images.
var compiled struct {
	sync.Mutex
	bins  map[string]string // "GOOS package" -> binary path
	built []string          // image tags this process built
}

// Image builds the image when no image with the same content exists and
// returns its tag, <Repo>:<content hash>-p<pid>. Images this process built are
// removed by Main when the test binary ends.
func Image(t testing.TB, s ImageSpec) string {
	t.Helper()
	bin := binary(t, s.Package)
	if s.Path == "" {
		s.Path = "/" + filepath.Base(s.Package)
	}
	if s.Entrypoint == nil {
		s.Entrypoint = []string{s.Path}
	}
	dockerfile := renderDockerfile(s)
	sum := sha256.New()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	sum.Write(data)
	sum.Write([]byte(dockerfile))
	// The tag carries our pid: test binaries run in parallel and each removes
	// the images it built when it ends, so sharing tags across processes
	// would let one remove an image another is about to run. Docker's build
	// cache makes the second build of the same content nearly free.
	tag := fmt.Sprintf("%s:%s-p%d", s.Repo, hex.EncodeToString(sum.Sum(nil))[:16], os.Getpid())
	if _, err := docker("image", "inspect", "--format", "{{.Id}}", tag); err == nil {
		return tag
	}
	dir := t.TempDir()
	if err := os.Link(bin, filepath.Join(dir, "bin")); err != nil {
		if err := os.WriteFile(filepath.Join(dir, "bin"), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	Docker(t, "build", "-q", "-t", tag, dir)
	compiled.Lock()
	compiled.built = append(compiled.built, tag)
	compiled.Unlock()
	return tag
}

func renderDockerfile(s ImageSpec) string {
	js := func(v []string) string { b, _ := json.Marshal(v); return string(b) }
	var b strings.Builder
	b.WriteString("FROM scratch\n")
	fmt.Fprintf(&b, "COPY bin %s\n", s.Path)
	keys := make([]string, 0, len(s.Labels))
	for k := range s.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "LABEL %q=%q\n", k, s.Labels[k])
	}
	for _, p := range s.Expose {
		fmt.Fprintf(&b, "EXPOSE %s\n", p)
	}
	if s.Health != nil {
		fmt.Fprintf(&b, "HEALTHCHECK --interval=1s --timeout=3s --retries=1 CMD %s\n", js(s.Health))
	}
	fmt.Fprintf(&b, "ENTRYPOINT %s\n", js(s.Entrypoint))
	if s.Cmd != nil {
		fmt.Fprintf(&b, "CMD %s\n", js(s.Cmd))
	}
	return b.String()
}

// binary compiles a main package for the images' platform, Linux.
func binary(t testing.TB, pkg string) string { return compile(t, pkg, "linux") }

// Program compiles a main package for this machine, to run as a local
// process (loopback only). Main removes it when the test binary ends.
func Program(t testing.TB, pkg string) string { return compile(t, pkg, runtime.GOOS) }

// compile builds a main package once per process and GOOS (static,
// CGO_ENABLED=0).
func compile(t testing.TB, pkg, goos string) string {
	t.Helper()
	compiled.Lock()
	defer compiled.Unlock()
	key := goos + " " + pkg
	if bin, ok := compiled.bins[key]; ok {
		return bin
	}
	dir, err := os.MkdirTemp("", Prefix+"bin-")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	if compiled.bins == nil {
		compiled.bins = map[string]string{}
	}
	compiled.bins[key] = bin
	return bin
}

// Main runs the tests, then removes the compiled binaries and the images
// this process built (an image still in use by a parallel run is kept).
// Use it from TestMain: func TestMain(m *testing.M) { os.Exit(dockertest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	compiled.Lock()
	defer compiled.Unlock()
	for _, tag := range compiled.built {
		_, _ = docker("rmi", tag)
	}
	for _, bin := range compiled.bins {
		_ = os.RemoveAll(filepath.Dir(bin))
	}
	return code
}

// OriginImage is the origin server's image; health adds a HEALTHCHECK that
// GETs http://127.0.0.1:<port>/healthz through the binary itself.
func OriginImage(t testing.TB, healthPort string) string {
	s := ImageSpec{Package: OriginPackage, Repo: Prefix + "origin"}
	if healthPort != "" {
		s.Health = []string{"/origin", "probe", "http://127.0.0.1:" + healthPort + "/healthz"}
	}
	return Image(t, s)
}

// CloudflaredImage is a stand-in cloudflared for discovery: the origin
// program installed as /usr/local/bin/cloudflared with the official
// image's label and entrypoint. It serves HTTP on :8080 and ignores
// cloudflared's arguments. (The tunnel engineer's stand-in, with metrics
// endpoints, can replace Package.)
func CloudflaredImage(t testing.TB, pkg string) string {
	if pkg == "" {
		pkg = OriginPackage
	}
	return Image(t, ImageSpec{
		Package:    pkg,
		Repo:       Prefix + "cloudflared",
		Path:       "/usr/local/bin/cloudflared",
		Entrypoint: []string{"/usr/local/bin/cloudflared"},
		Labels:     map[string]string{"org.opencontainers.image.source": "https://github.com/cloudflare/cloudflared"},
	})
}
