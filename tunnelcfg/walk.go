package tunnelcfg

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// walked is what a pass over the YAML node tree learns that a decode
// cannot: the line of every key, and the keys cloudflared ignores.
type walked struct {
	top     map[string]int // top-level key path ("metrics", "originRequest.caPool") -> line
	rules   []ruleLines
	byLine  map[int]location // first key or value on a line -> where it is
	unknown []Problem
	// rulesApart is set when Parse walks the ingress items itself.
	rulesApart bool
}

type ruleLines struct {
	line   int
	fields fieldLines
}

// fieldLines records key paths and their lines; a rule has a handful, so a
// slice is smaller and faster than a map.
type fieldLines []fieldLine

type fieldLine struct {
	path string
	line int
}

func (f fieldLines) get(path string) (int, bool) {
	for _, fl := range f {
		if fl.path == path {
			return fl.line, true
		}
	}
	return 0, false
}

type location struct {
	rule  int
	field string
}

// The keys cloudflared's structs know (config/configuration.go), case-sensitive.
func ruleKeys() []string { return []string{"hostname", "path", "service", "originRequest"} }

func originRequestKeys() []string {
	return []string{"connectTimeout", "tlsTimeout", "tcpKeepAlive", "noHappyEyeballs",
		"keepAliveConnections", "keepAliveTimeout", "httpHostHeader", "originServerName",
		"matchSNItoHost", "caPool", "noTLSVerify", "disableChunkedEncoding", "bastionMode",
		"proxyAddress", "proxyPort", "proxyType", "ipRules", "http2Origin", "access"}
}

func accessKeys() []string { return []string{"required", "teamName", "audTag", "environment"} }

func ipRuleKeys() []string { return []string{"prefix", "ports", "allow"} }

func warpRoutingKeys() []string { return []string{"connectTimeout", "maxActiveFlows", "tcpKeepAlive"} }

func typedTopKeys() []string { return []string{"tunnel", "ingress", "warp-routing", "originRequest"} }

// recordLines makes the walk remember which key each line holds, to place
// type errors; off by default because it costs memory on big files.
func (w *walked) recordLines() {
	if w.byLine == nil {
		w.byLine = map[int]location{}
	}
}

// walkTop reads the top-level mapping: key lines, the top-level
// originRequest and warp-routing, and the ingress rules still in the tree.
func (w *walked) walkTop(root *yaml.Node) {
	setTop := func(path string, line int) {
		if _, seen := w.top[path]; !seen {
			w.top[path] = line
		}
	}
	doc := deref(root)
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = deref(doc.Content[0])
	}
	if doc.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], deref(doc.Content[i+1])
		name := k.Value
		w.top[name] = k.Line
		w.note(k, v, -1, name)
		switch name {
		case "ingress":
			if v.Kind == yaml.SequenceNode && !w.rulesApart {
				for _, item := range v.Content {
					w.rule(deref(item))
				}
			}
		case "originRequest":
			w.originRequest(v, -1, "originRequest", setTop)
		case "warp-routing":
			w.mapping(v, -1, "warp-routing", warpRoutingKeys(), setTop, nil)
		}
	}
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func (w *walked) note(k, v *yaml.Node, rule int, field string) {
	if w.byLine == nil {
		return
	}
	loc := location{rule: rule, field: field}
	if _, ok := w.byLine[k.Line]; !ok {
		w.byLine[k.Line] = loc
	}
	if v != nil && v.Kind == yaml.ScalarNode {
		if _, ok := w.byLine[v.Line]; !ok {
			w.byLine[v.Line] = loc
		}
	}
}

func (w *walked) rule(n *yaml.Node) {
	idx := len(w.rules)
	w.rules = append(w.rules, ruleLines{line: n.Line})
	if n.Kind != yaml.MappingNode {
		return
	}
	if k := countKeys(n); k > 0 {
		w.rules[idx].fields = make(fieldLines, 0, k)
	}
	set := func(path string, line int) {
		rl := &w.rules[idx]
		if _, seen := rl.fields.get(path); !seen {
			rl.fields = append(rl.fields, fieldLine{path, line})
		}
	}
	w.mapping(n, idx, "", ruleKeys(), set, func(name string, v *yaml.Node) {
		if name == "originRequest" {
			w.originRequest(v, idx, "originRequest", set)
		}
	})
}

// countKeys counts the keys of a mapping and of the mappings inside it: the
// lines a rule records, so its slice is allocated once at its size.
func countKeys(n *yaml.Node) int {
	keys := 0
	if n.Kind == yaml.MappingNode {
		keys = len(n.Content) / 2
	}
	for _, c := range n.Content {
		if c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode {
			keys += countKeys(c)
		}
	}
	return keys
}

func (w *walked) originRequest(n *yaml.Node, rule int, prefix string, set func(string, int)) {
	w.mapping(n, rule, prefix, originRequestKeys(), set, func(name string, v *yaml.Node) {
		switch name {
		case "access":
			w.mapping(v, rule, prefix+".access", accessKeys(), set, nil)
		case "ipRules":
			if v.Kind == yaml.SequenceNode {
				for i, item := range v.Content {
					w.mapping(deref(item), rule, fmt.Sprintf("%s.ipRules[%d]", prefix, i), ipRuleKeys(), set, nil)
				}
			}
		}
	})
}

// mapping records each key's line under prefix, reports keys outside known,
// and hands known keys to descend.
func (w *walked) mapping(n *yaml.Node, rule int, prefix string, known []string, set func(string, int), descend func(string, *yaml.Node)) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		path := k.Value
		if prefix != "" {
			path = prefix + "." + k.Value
		}
		set(path, k.Line)
		w.note(k, v, rule, path)
		if k.Value == "<<" { // merge key: yaml.v3 merges it, nothing is ignored
			continue
		}
		if !contains(known, k.Value) {
			w.unknown = append(w.unknown, unknownKeyProblem(rule, prefix, k, v, known))
			continue
		}
		if descend != nil {
			descend(k.Value, v)
		}
	}
}

func unknownKeyProblem(rule int, prefix string, k, v *yaml.Node, known []string) Problem {
	where := "the top level"
	switch {
	case rule >= 0 && prefix == "":
		where = fmt.Sprintf("ingress rule %d", rule)
	case rule >= 0:
		where = fmt.Sprintf("ingress rule %d's %s", rule, prefix)
	case prefix != "":
		where = "the top-level " + prefix
	}
	field := k.Value
	if prefix != "" {
		field = prefix + "." + k.Value
	}
	p := Problem{Kind: KindUnknownKey, Rule: rule, Field: field, Line: k.Line}
	p.Message = fmt.Sprintf("cloudflared ignores the key `%s` in %s: it is not one of its keys (they are case-sensitive), so the setting has no effect.", k.Value, where)
	if s := suggest(k.Value, known); s != "" {
		p.Message += fmt.Sprintf(" Did you mean `%s`?", s)
		p.Fix = fmt.Sprintf("Rename it: `%s: %s`.", s, valueText(v))
	} else {
		p.Fix = fmt.Sprintf("Remove `%s` or move it where it belongs; known keys here: %s.", k.Value, joinTicks(known))
	}
	return p
}

func valueText(v *yaml.Node) string {
	if v != nil && v.Kind == yaml.ScalarNode {
		if v.Value == "" {
			return `""`
		}
		return v.Value
	}
	return "..."
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinTicks(list []string) string {
	out := ""
	for i, s := range list {
		if i > 0 {
			out += ", "
		}
		out += "`" + s + "`"
	}
	return out
}
