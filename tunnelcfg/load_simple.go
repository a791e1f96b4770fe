package tunnelcfg

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// parse builds the node tree yaml.v3's parser builds for ingress
// items written in the plainest block style, without running that parser,
// which is most of the cost of reading a big file:
//
//	ingress:
//	  - hostname: app.example.com
//	    service: "http://app:8080"
//	    originRequest:
//	      noTLSVerify: true
//
// Only block mappings are read: keys are letters, digits, "-" and "_";
// values are one-line plain scalars that cannot be anything but a scalar
// (no indicator first, no ": ", no "#"), one-line quoted scalars without
// escapes, or nothing (null, or a nested mapping below). Blank and comment
// lines are skipped. Anything else (a list, a flow value, an anchor, a
// tag, a continued line, an indentation that opens nothing, a byte that is
// not printable ASCII, even in a comment) gives ok false, and the caller
// lets yaml.v3 parse the chunk. Comments are not kept: decoding does not
// read them.
//
// text holds whole items starting at column indent of line
// firstLine; the returned sequence's nodes carry the file's line numbers,
// and its strings are substrings of text. The nodes live in p's slabs,
// reused by the next call: decode them before parsing again.
func (p *simpleParser) parse(text string, firstLine, indent, items int) (*yaml.Node, bool) {
	for i := 0; i < len(text); i++ { // printable ASCII lines only, comments included
		if c := text[i]; (c < 0x20 || c > 0x7e) && c != '\n' {
			return nil, false
		}
	}
	lines := strings.Count(text, "\n") + 1
	p.reset(1+items+2*lines, items+8*items+4*lines) // at most two nodes a line, one a rule and the sequence
	seq := p.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: firstLine, Column: indent + 1})
	seq.Content = p.children(items)
	line := firstLine - 1
	for len(text) > 0 {
		var l string
		l, text, _ = strings.Cut(text, "\n")
		line++
		n := countSpaces(l)
		rest := l[n:]
		if rest == "" || rest[0] == '#' {
			continue
		}
		if n == indent && (rest == "-" || strings.HasPrefix(rest, "- ")) {
			p.closeAll()
			after := countSpaces(rest[1:])
			if after == 0 || 1+after == len(rest) {
				return nil, false // "-" alone: the item starts on a later line
			}
			m := p.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: n + 2 + after})
			m.Content = p.children(8)
			seq.Content = append(seq.Content, m)
			p.open = append(p.open, openMapping{m, n + 1 + after})
			if !p.keyLine(rest[1+after:], line, n+1+after) {
				return nil, false
			}
			continue
		}
		if n <= indent || len(p.open) == 0 || !p.enter(n, line) || !p.keyLine(rest, line, n) {
			return nil, false
		}
	}
	p.closeAll()
	return seq, true
}

type simpleParser struct {
	slab    []yaml.Node    // every node of a chunk (never grown: pointers into it stay valid)
	ptrs    []*yaml.Node   // the nodes' Content arrays, carved out of one
	open    []openMapping  // the mappings a line may add a key to, outermost first
	pending *yaml.Node     // a mapping whose last key has no value yet
	key     pendingKeyInfo // where that key's colon was
}

type openMapping struct {
	node   *yaml.Node
	indent int // column (0-based) of its keys
}

type pendingKeyInfo struct{ line, column int }

// reset makes room for a chunk of at most nodes nodes and ptrs children,
// reusing the last chunk's slabs when they are big enough.
func (p *simpleParser) reset(nodes, ptrs int) {
	if cap(p.slab) < nodes {
		p.slab = make([]yaml.Node, 0, nodes)
	}
	if cap(p.ptrs) < ptrs {
		p.ptrs = make([]*yaml.Node, 0, ptrs)
	}
	p.slab, p.ptrs, p.open, p.pending = p.slab[:0], p.ptrs[:0], p.open[:0], nil
}

func (p *simpleParser) node(n yaml.Node) *yaml.Node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]yaml.Node, 0, 64) // a new slab: earlier nodes stay where they are
	}
	p.slab = append(p.slab, n)
	return &p.slab[len(p.slab)-1]
}

// children is an empty Content array with room for n: appending past it
// moves it out of the slab, never over a neighbour.
func (p *simpleParser) children(n int) []*yaml.Node {
	if len(p.ptrs)+n > cap(p.ptrs) {
		return make([]*yaml.Node, 0, n)
	}
	k := len(p.ptrs)
	p.ptrs = p.ptrs[:k+n]
	return p.ptrs[k : k : k+n]
}

// enter makes the mapping at column n the one the line adds to: a new
// mapping under a key waiting for its value, or an open one.
func (p *simpleParser) enter(n, line int) bool {
	if p.pending != nil && n > p.open[len(p.open)-1].indent {
		m := p.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: n + 1})
		m.Content = p.children(4)
		p.pending.Content = append(p.pending.Content, m)
		p.pending = nil
		p.open = append(p.open, openMapping{m, n})
		return true
	}
	p.closePending()
	for len(p.open) > 0 && p.open[len(p.open)-1].indent > n {
		p.open = p.open[:len(p.open)-1]
	}
	return len(p.open) > 0 && p.open[len(p.open)-1].indent == n
}

// closePending gives a key without a value its null.
func (p *simpleParser) closePending() {
	if p.pending != nil {
		p.pending.Content = append(p.pending.Content, p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: p.key.line, Column: p.key.column}))
		p.pending = nil
	}
}

func (p *simpleParser) closeAll() {
	p.closePending()
	p.open = p.open[:0]
}

// keyLine reads `key: value` or `key:` at column col into the innermost
// open mapping.
func (p *simpleParser) keyLine(s string, line, col int) bool {
	k := 0
	for k < len(s) && isKeyByte(s[k], k == 0) {
		k++
	}
	if k == 0 || k == len(s) || s[k] != ':' || (k+1 < len(s) && s[k+1] != ' ') {
		return false
	}
	m := p.open[len(p.open)-1].node
	key := p.node(yaml.Node{Kind: yaml.ScalarNode, Value: s[:k], Line: line, Column: col + 1})
	key.Tag = key.ShortTag()
	m.Content = append(m.Content, key)
	start := k + 1 + countSpaces(s[k+1:])
	value := strings.TrimRight(s[start:], " ")
	if value == "" {
		p.pending, p.key = m, pendingKeyInfo{line, col + k + 2}
		return true
	}
	v, ok := scalarNode(value)
	if !ok {
		return false
	}
	v.Line, v.Column = line, col+start+1
	m.Content = append(m.Content, p.node(v))
	return true
}

// scalarNode reads a one-line value that can only be a scalar.
func scalarNode(s string) (yaml.Node, bool) {
	switch q := s[0]; q {
	case '"', '\'':
		inner := s[1:]
		if len(inner) == 0 || inner[len(inner)-1] != q {
			return yaml.Node{}, false
		}
		inner = inner[:len(inner)-1]
		if strings.IndexByte(inner, q) >= 0 || (q == '"' && strings.IndexByte(inner, '\\') >= 0) {
			return yaml.Node{}, false
		}
		style := yaml.DoubleQuotedStyle
		if q == '\'' {
			style = yaml.SingleQuotedStyle
		}
		return yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: inner, Style: style}, true
	}
	if !isPlainStart(s[0]) || strings.IndexByte(s, '#') >= 0 ||
		strings.Contains(s, ": ") || s[len(s)-1] == ':' {
		return yaml.Node{}, false
	}
	n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
	n.Tag = n.ShortTag()
	return n, true
}

func isKeyByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || !first && (c >= '0' && c <= '9' || c == '-' || c == '_')
}

// isPlainStart: a character a plain scalar may start with that is not a
// YAML indicator.
func isPlainStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("/^._$(\\~+=", c) >= 0
}

func countSpaces(s string) int {
	n := 0
	for n < len(s) && s[n] == ' ' {
		n++
	}
	return n
}
