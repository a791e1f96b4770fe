package tunnelcfg

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// simpleCases are ingress items, each with whether simpleParser reads
// it (else yaml.v3 does).
var simpleCases = []struct {
	yml    string
	simple bool
}{
	{"  - hostname: a.example.com\n    service: http://a:80\n", true},
	{"  - hostname: \"*.example.com\"\n    path: '^/api/v[0-9]+/'\n    service:   http_status:404   \n", true},
	{"  - service: https://b:443\n    originRequest:\n      noTLSVerify: true\n      connectTimeout: 10s\n      access:\n        required: true\n        teamName: x\n    path: ^/x\n  - service: http_status:404\n", true},
	{"- hostname: a\n  service: b\n- service: c\n", true},
	{"  -   hostname: a\n      service: b\n", true},
	{"  - hostname:\n    service:\n  - path:   \n", true},
	{"  - originRequest:\n      keepAliveConnections: 100\n      proxyPort: 0x1F\n      httpHostHeader: ~\n      caPool: 2001-12-14\n    service: http://a:1\n", true},
	{"  - hostname: a\n\n    # a comment\n# another\n    service: b # not simple\n", false},
	{"  - hostname: a\n    service: b\n  # between\n\n  - service: c\n", true},
	{"  - hostname: a\n      continued\n    service: b\n", false},
	{"  - hostname: a\n    originRequest:\n      ipRules:\n        - prefix: 10.0.0.0/8\n", false},
	{"  - hostname: &h a\n    service: *h\n", false},
	{"  - hostname: !!str a\n", false},
	{"  - hostname: [a, b]\n", false},
	{"  - hostname: {a: b}\n", false},
	{"  - hostname: \"a\\tb\"\n", false},
	{"  - hostname: 'it''s'\n", false},
	{"  - hostname: a: b\n", false},
	{"  - hostname: a:\n", false},
	{"  - hostname: |\n      a\n", false},
	{"  - hostname: -a\n", false},
	{"  -\n    hostname: a\n", false},
	{"  - - a\n", false},
	{"  - a\n", false},
	{"  - hostname:a\n", false},
	{"  - \"hostname\": a\n", false},
	{"  - hostname: a\n   service: b\n", false},
	{"  - hostname: a\n\tservice: b\n", false},
	{"  - hostname: café.example.com\n", false},
	{"  - hostname: a\n    hostname: b\n", true}, // a duplicate key: the decoder refuses it either way
	{"  - true: yes\n    null: 1e3\n    x-y_z: .inf\n", true},
	{"  - service: a, [b] {c} 'd' \"e\" & * ! | > % @ ` ? - x\n", true},
}

func TestParseSimpleItemsIsYAML(t *testing.T) {
	for _, tc := range simpleCases {
		got := sameNodesAsYAML(t, tc.yml, 5)
		if got != tc.simple {
			t.Errorf("%q: read simply %v, want %v", tc.yml, got, tc.simple)
		}
	}
	data := string(generateConfig(300))
	list, ok := findIngressList([]byte(data))
	if !ok {
		t.Fatal("no list in the generated config")
	}
	if !sameNodesAsYAML(t, data[list.items[0]:list.end], list.itemLines[0]) {
		t.Error("the generated config is not read simply")
	}
}

// sameNodesAsYAML parses items with simpleParser and, when it reads
// them, fails unless yaml.v3 builds the same tree (comments aside).
func sameNodesAsYAML(t *testing.T, text string, firstLine int) bool {
	t.Helper()
	indent := countSpaces(text)
	var p simpleParser
	got, ok := p.parse(text, firstLine, indent, strings.Count(text, "- "))
	if !ok {
		return false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Errorf("%q: read simply, but yaml.v3 says %v", text, err)
		return true
	}
	if len(doc.Content) != 1 {
		t.Errorf("%q: read simply, but yaml.v3 finds %d nodes", text, len(doc.Content))
		return true
	}
	want := doc.Content[0]
	shiftLines(want, firstLine-1)
	if d := nodeDiff(got, want, "seq"); d != "" {
		t.Errorf("%q: %s", text, d)
	}
	return true
}

func nodeDiff(got, want *yaml.Node, at string) string {
	if got.Kind != want.Kind || got.Tag != want.Tag || got.Value != want.Value || got.Style != want.Style ||
		got.Line != want.Line || got.Column != want.Column || got.Anchor != want.Anchor || (got.Alias == nil) != (want.Alias == nil) {
		return fmt.Sprintf("at %s: got %s, want %s", at, nodeText(got), nodeText(want))
	}
	if len(got.Content) != len(want.Content) {
		return fmt.Sprintf("at %s: %d children, want %d", at, len(got.Content), len(want.Content))
	}
	for i := range got.Content {
		if d := nodeDiff(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", at, i)); d != "" {
			return d
		}
	}
	return ""
}

func nodeText(n *yaml.Node) string {
	return fmt.Sprintf("{kind %d tag %q value %q style %d line %d column %d}", n.Kind, n.Tag, n.Value, n.Style, n.Line, n.Column)
}

// FuzzParseSimpleItems: whatever simpleParser reads, yaml.v3 reads the
// same way.
func FuzzParseSimpleItems(f *testing.F) {
	for _, tc := range simpleCases {
		f.Add(tc.yml)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4096 || !strings.HasPrefix(strings.TrimLeft(text, " "), "- ") {
			return
		}
		sameNodesAsYAML(t, text, 3)
	})
}
