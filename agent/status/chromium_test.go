package status

import (
	"context"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tunneldoctor/tunneldoctor/agent/dockertest"
)

// lampColours are the exact lamp colours of page.html.
var lampColours = map[string][3]uint8{
	Green: {0x1e, 0x8e, 0x3e},
	Amber: {0xf9, 0xab, 0x00},
	Red:   {0xd9, 0x30, 0x25},
	Grey:  {0x9a, 0xa0, 0xa6},
}

const lampPixels = 16 * 16

// artifactDir is where tests keep files worth looking at after a run.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TUNNELDOCTOR_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "tunneldoctor-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func findChromium(t *testing.T) string {
	t.Helper()
	return dockertest.RequireProgram(t, "chromium", "chromium", "chromium-browser", "google-chrome")
}

// TestStatusPageInChromium renders the page in a real headless Chromium,
// keeps the screenshot, and counts each lamp colour in it: the hops must
// show one red (web container), one amber (api protocol), three grey (edge
// not checked) and thirteen green lamps.
func TestStatusPageInChromium(t *testing.T) {
	chromium := findChromium(t)
	store := NewStore(nil)
	store.Publish(brokenSetup())
	srv := httptest.NewServer(Handler(store, 10))
	defer srv.Close()

	shot := filepath.Join(artifactDir(t), "status-page.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--force-device-scale-factor=1", "--window-size=1400,1000",
		"--user-data-dir="+t.TempDir(),
		// Nothing may leave the machine: no background services, and any
		// non-loopback request goes to a proxy that does not exist.
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-pings",
		"--disable-domain-reliability", "--proxy-server=http://127.0.0.1:9",
		"--screenshot="+shot, srv.URL+"/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	t.Logf("status page screenshot: %s", shot)

	counts := countLamps(t, shot)
	// Grey: the three edge hops (no token), the broken host's protocol hop (no
	// probe ran) and the catch-all's network, container and protocol hops.
	want := map[string]int{Red: 1, Amber: 1, Grey: 7, Green: 9}
	for colour, n := range want {
		if counts[colour] != n {
			t.Errorf("%s lamps: %d, want %d (all: %v)", colour, counts[colour], n, counts)
		}
	}
}

func countLamps(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	pixels := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c := lampColourAt(img, x, y); c != "" {
				pixels[c]++
			}
		}
	}
	lamps := map[string]int{}
	for c, n := range pixels {
		lamps[c] = (n + lampPixels/2) / lampPixels
	}
	return lamps
}

func lampColourAt(img image.Image, x, y int) string {
	r, g, b, _ := img.At(x, y).RGBA()
	for name, want := range lampColours {
		if near(r>>8, want[0]) && near(g>>8, want[1]) && near(b>>8, want[2]) {
			return name
		}
	}
	return ""
}

func near(got uint32, want uint8) bool {
	d := int(got) - int(want)
	return d >= -2 && d <= 2
}
