package tunnelcfg

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// rulesPerChunk is how many ingress rules parseInChunks parses at once: big
// enough that starting a YAML parser costs nothing, small enough that a
// chunk's tree is a few hundred kilobytes.
const rulesPerChunk = 256

// parseInChunks reads a file whose ingress list is written in block style
// (`ingress:` alone on a line at the top level, one `- ` item per rule)
// without ever holding the whole YAML tree: the file without the list is
// parsed first (the list's lines left blank, so every line keeps its
// number), then the list, perRule rules at a time, each chunk by
// simpleParser when its rules are written plainly, else by yaml.v3.
//
// It gives up (ok false) on anything it would not read exactly as
// parseTree does: a syntax or type error anywhere (parseTree words those),
// aliases or tags reaching across chunks (the chunk does not parse), a
// quoted or flow value running past a rule (neither does its chunk), a
// second `ingress` key, a merge key at the top level, CR line ends.
func parseInChunks(data []byte, path string, perRule int) (*Config, []Problem, bool) {
	list, ok := findIngressList(data)
	if !ok {
		return nil, nil, false
	}
	var root yaml.Node
	if err := yaml.Unmarshal(list.skeleton(data), &root); err != nil {
		return nil, nil, false
	}
	if !list.isTheIngressKey(&root) {
		return nil, nil, false
	}
	var raw rawFile
	if err := root.Decode(&raw); err != nil || raw.Ingress != nil {
		return nil, nil, false
	}
	w := &walked{top: map[string]int{}, rulesApart: true}
	w.walkTop(&root)
	raw.Ingress = make([]Rule, len(list.items))
	var p simpleParser
	for first := 0; first < len(list.items); first += perRule {
		last := min(first+perRule, len(list.items))
		if !list.decodeChunk(&p, data, first, last, raw.Ingress[first:last], w) {
			return nil, nil, false
		}
	}
	c := newFileConfig(path)
	return c, finishParse(c, &raw, w, nil), true
}

// ingressList is where a block-style ingress list sits in a file.
type ingressList struct {
	keyLine    int   // 1-based line of `ingress:`
	start, end int   // the list's bytes: from the line after `ingress:` to the next top-level content
	indent     int   // column (0-based) of each item's "-"
	items      []int // byte offset of each item's first line
	itemLines  []int // its 1-based line
	newlines   int   // line breaks in data[start:end]
}

// findIngressList finds the one line `ingress:` (a comment may follow) at
// column 0 and the block sequence below it: every line until the next
// top-level content, at column 0. Blank and comment lines belong to the
// list; a line less indented than the first "- " (or as indented but not
// an item) anywhere but column 0 makes it give up.
func findIngressList(data []byte) (ingressList, bool) {
	var l ingressList
	if bytes.IndexByte(data, '\r') >= 0 {
		return l, false
	}
	found := false
	line := 0
	for off := 0; off < len(data); {
		text, next := lineAt(data, off)
		line++
		if isIngressKeyLine(text) {
			if found {
				return l, false // a second ingress key: parseTree reports it
			}
			found, l.keyLine, l.start = true, line, next
		}
		off = next
	}
	if !found {
		return l, false
	}
	l.indent = -1
	l.end = len(data)
	line = l.keyLine
scan:
	for off := l.start; off < len(data); {
		text, next := lineAt(data, off)
		line++
		indent, rest := leadingSpaces(text)
		switch {
		case isBlank(rest) || rest[0] == '#':
		case l.indent < 0: // the first item sets the indentation
			if !isItemStart(rest) {
				return l, false // not a block sequence (a mapping, or a value on the key line)
			}
			l.indent = indent
			l.items, l.itemLines = append(l.items, off), append(l.itemLines, line)
		case indent > l.indent:
		case indent == l.indent && isItemStart(rest):
			l.items, l.itemLines = append(l.items, off), append(l.itemLines, line)
		case indent > 0:
			// Only top-level content may follow the list: left alone in the
			// skeleton this line would become the value of `ingress:`.
			return l, false
		default:
			l.end = off
			break scan
		}
		off = next
	}
	if len(l.items) == 0 {
		return l, false
	}
	l.newlines = bytes.Count(data[l.start:l.end], []byte{'\n'})
	return l, true
}

// skeleton is the file with the list's lines left empty.
func (l *ingressList) skeleton(data []byte) []byte {
	out := make([]byte, 0, len(data)-(l.end-l.start)+l.newlines)
	out = append(out, data[:l.start]...)
	out = append(out, bytes.Repeat([]byte{'\n'}, l.newlines)...)
	return append(out, data[l.end:]...)
}

// isTheIngressKey checks that the line found is the top-level `ingress` key
// (not text inside a quoted value) and that the skeleton holds no other
// way to set the rules.
func (l *ingressList) isTheIngressKey(root *yaml.Node) bool {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return false
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return false
	}
	seen := false
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "<<":
			return false
		case "ingress":
			if seen || k.Line != l.keyLine || k.Column != 1 || k.Kind != yaml.ScalarNode ||
				v.Kind != yaml.ScalarNode || v.Tag != "!!null" || v.Anchor != "" {
				return false
			}
			seen = true
		}
	}
	return seen
}

// decodeChunk parses items [first, last) of the list on their own (with p
// when they are written plainly, else with yaml.v3), decodes them into
// rules and walks each for its lines and unknown keys, as parseTree does.
// false when the chunk does not read as those items alone.
func (l *ingressList) decodeChunk(p *simpleParser, data []byte, first, last int, rules []Rule, w *walked) bool {
	end := l.end
	if last < len(l.items) {
		end = l.items[last]
	}
	seq, ok := p.parse(string(data[l.items[first]:end]), l.itemLines[first], l.indent, last-first)
	if !ok {
		var doc yaml.Node
		if err := yaml.Unmarshal(data[l.items[first]:end], &doc); err != nil {
			return false
		}
		if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
			return false
		}
		seq = doc.Content[0]
		shiftLines(seq, l.itemLines[first]-1)
	}
	if seq.Kind != yaml.SequenceNode || len(seq.Content) != last-first {
		return false
	}
	for i, item := range seq.Content {
		if item.Line != l.itemLines[first+i] {
			return false // the items are not where the lines said
		}
	}
	// One decoder for the chunk: decoding each item into a fresh Rule, as
	// parseTree does, with the decoder's setup paid once.
	var decoded []Rule
	if err := seq.Decode(&decoded); err != nil || len(decoded) != len(rules) {
		return false
	}
	copy(rules, decoded)
	for _, item := range seq.Content {
		w.rule(deref(item))
	}
	return true
}

// shiftLines adds offset to the line of n and of every node under it.
func shiftLines(n *yaml.Node, offset int) {
	n.Line += offset
	for _, c := range n.Content {
		shiftLines(c, offset)
	}
}

// lineAt returns the line starting at off (without its "\n") and the
// offset of the next line.
func lineAt(data []byte, off int) ([]byte, int) {
	if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
		return data[off : off+i], off + i + 1
	}
	return data[off:], len(data)
}

func leadingSpaces(line []byte) (int, []byte) {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n, line[n:]
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// isItemStart: "- ..." or a lone "-".
func isItemStart(rest []byte) bool {
	return len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ')
}

// isIngressKeyLine: `ingress:` at column 0, then nothing, spaces, or
// spaces and a comment.
func isIngressKeyLine(line []byte) bool {
	rest, ok := bytes.CutPrefix(line, []byte("ingress:"))
	if !ok {
		return false
	}
	spaces, comment := leadingSpaces(rest)
	return len(comment) == 0 || spaces > 0 && comment[0] == '#'
}
