package tunnelcfg

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// chunkCases are files parseInChunks must read exactly as parseTree does
// (chunked true), or leave to parseTree (false).
var chunkCases = []struct {
	name    string
	yml     string
	chunked bool
}{
	{"plain", `
tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
metrics: 0.0.0.0:2000
ingress:
  - hostname: a.example.com
    service: http://a:80
  - hostname: B.example.com
    path: ^/x
    service: http://localhost:81
    originRequest:
      noTlsVerify: true
      access: {required: true, teamName: x, audTag: [a]}
  - service: http_status:404
loglevel: debug
`, true},
	{"indentless list, comments and blank lines", `
# head
ingress: # the rules
# between
- hostname: a.example.com

  # inside
  service: http://a:80
-   hostname: b.example.com
    service: |
      http://b:80
- service: http_status:404
# after
protocol: http2
`, true},
	{"anchors inside one rule", `
ingress:
  - hostname: a.example.com
    service: &s http://a:80
    originRequest: {httpHostHeader: *s}
  - service: http_status:404
`, true},
	{"an alias to an earlier rule", `
ingress:
  - &r
    hostname: a.example.com
    service: http://a:80
  - *r
  - service: http_status:404
`, true}, // the alias may fall in another chunk: then parseTree reads it
	{"a merge key from the top", `
defaults: &d {service: http://a:80}
ingress:
  - <<: *d
    hostname: a.example.com
  - service: http_status:404
`, false},
	{"a quoted value across rules", `
ingress:
  - hostname: "a.example.com
  - b"
    service: http://a:80
  - service: http_status:404
`, false},
	{"a flow value across rules", `
ingress:
  - hostname: a.example.com
    service: [x,
  - y]
  - service: http_status:404
`, false},
	{"ingress inside a quoted value", `
note: "x
ingress:
  - y"
ingress:
  - service: http_status:404
`, false},
	{"two ingress keys", "ingress:\n  - service: http://a:1\ningress:\n  - service: http://b:1\n", false},
	{"flow list", "ingress: [{service: http_status:404}]\n", false},
	{"a mapping, not a list", "ingress:\n  service: http_status:404\n", false},
	{"type error in a rule", "ingress:\n  - hostname: a\n    service: http://a:1\n    originRequest:\n      connectTimeout: 5\n  - service: http_status:404\n", false},
	{"duplicate key in a rule", "ingress:\n  - service: http://a:1\n    service: http://b:1\n", false},
	{"type error at the top", "originRequest:\n  connectTimeout: 5\ningress:\n  - service: http_status:404\n", false},
	{"syntax error after the list", "ingress:\n  - service: http_status:404\nmetrics: [\n", false},
	{"tab", "ingress:\n\t- service: http_status:404\n", false},
	{"CRLF", "ingress:\r\n  - service: http_status:404\r\n", false},
	{"second document", "ingress:\n  - service: http://a:1\n---\ningress:\n  - service: http://b:1\n", false},
	{"document end", "ingress:\n  - service: http_status:404\n...\n", true},
	{"list then a key at the list's indentation", "ingress:\n  - service: http://a:1\n  metrics: x\n", false},
	{"list then a line that would be ingress's value", "ingress:\n  - !0\n    hostname: \n    service: \n  !", false},
	{"no newline at the end", "ingress:\n  - hostname: a.example.com\n    service: http://a:1\n  - service: http_status:404", true},
}

func TestParseInChunksAgreesWithParseTree(t *testing.T) {
	for _, tc := range chunkCases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(strings.TrimLeft(tc.yml, "\n"))
			chunked := false
			for _, per := range []int{1, 2, 3, rulesPerChunk} {
				if sameAsTree(t, data, per) {
					chunked = true
				}
			}
			if chunked != tc.chunked {
				t.Errorf("read in chunks: %v, want %v", chunked, tc.chunked)
			}
		})
	}
	data := generateConfig(1000)
	if !sameAsTree(t, data, 7) || !sameAsTree(t, data, rulesPerChunk) {
		t.Error("the generated config is not read in chunks")
	}
	examples, _ := filepath.Glob(filepath.Join("..", "deploy", "examples", "*.yml"))
	for _, f := range examples {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameAsTree(t, data, 2)
	}
}

// sameAsTree parses data in chunks of per rules and, when that path reads
// it, fails the test unless the result is parseTree's; it reports whether
// the chunked path read it.
func sameAsTree(t *testing.T, data []byte, per int) bool {
	t.Helper()
	c, ps, ok := parseInChunks(data, "x.yml", per)
	if !ok {
		return false
	}
	wantC, wantPs := parseTree(data, "x.yml")
	if !reflect.DeepEqual(c, wantC) {
		t.Errorf("chunks of %d: config\n%+v\nwant\n%+v", per, c, wantC)
	}
	if !reflect.DeepEqual(ps, wantPs) {
		t.Errorf("chunks of %d: problems\n%+v\nwant\n%+v", per, ps, wantPs)
	}
	return true
}

// FuzzParseInChunks: whatever parseInChunks accepts, parseTree reads the same.
func FuzzParseInChunks(f *testing.F) {
	for _, tc := range chunkCases {
		f.Add([]byte(strings.TrimLeft(tc.yml, "\n")), uint8(1))
	}
	f.Add(generateConfig(30), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, per uint8) {
		if len(data) > 1<<14 {
			return
		}
		sameAsTree(t, data, int(per%8)+1)
	})
}
