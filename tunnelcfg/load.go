package tunnelcfg

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds what Load reads: cloudflared configs are kilobytes; a
// 2,000-rule file is about 150 KiB, 10,000 rules under 1 MiB. Parsing costs
// about 25 times the file's size at its peak (yaml.v3's node tree is most
// of it), so 8 MiB (some 100,000 rules) keeps a load near 200 MB; a 30 MB
// file once took 1.1 GB.
const MaxFileSize = 8 << 20

// ErrFileTooLarge is the error of Load for a file over MaxFileSize: it is
// refused, not read.
var ErrFileTooLarge = errors.New("larger than the 8 MiB tunneldoctor reads (cloudflared configs are kilobytes: 10,000 rules are under 1 MiB)")

// Load reads and parses a config file. Only I/O fails with an error;
// everything wrong with the content is a Problem (see Parse).
func Load(path string) (*Config, []Problem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read cloudflared config: %w", err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return nil, nil, fmt.Errorf("read cloudflared config %s: is a directory, not a file", path)
		}
		if st.Mode().IsRegular() && st.Size() > MaxFileSize {
			return nil, nil, fmt.Errorf("read cloudflared config %s: %d bytes, %w", path, st.Size(), ErrFileTooLarge)
		}
		buf.Grow(int(min(st.Size(), MaxFileSize)) + bytes.MinRead) // read once, without regrowing
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, nil, fmt.Errorf("read cloudflared config %s: %w", path, err)
	}
	data := buf.Bytes()
	if len(data) > MaxFileSize {
		return nil, nil, fmt.Errorf("read cloudflared config %s: %w", path, ErrFileTooLarge)
	}
	c, problems := Parse(data, path)
	return c, problems, nil
}

// rawFile mirrors cloudflared's configFileSettings: typed keys, and every
// other top-level key kept as a flag value (config/configuration.go).
type rawFile struct {
	Tunnel        string         `yaml:"tunnel"`
	Ingress       []Rule         `yaml:"ingress"`
	WarpRouting   WarpRouting    `yaml:"warp-routing"`
	OriginRequest OriginRequest  `yaml:"originRequest"`
	Settings      map[string]any `yaml:",inline"`
}

// Parse reads a config file's bytes the way cloudflared does: a lenient
// yaml.v3 decode whose type errors are fatal, then a strict look for keys
// cloudflared ignores. path is only recorded. The Config is never nil.
//
// A block-style ingress list is read a few hundred rules at a time
// (parseInChunks), so a big file's YAML tree is never whole in memory; any
// file that path does not read exactly as the whole-tree path would goes
// to the whole-tree path (parseTree).
func Parse(data []byte, path string) (*Config, []Problem) {
	if c, problems, ok := parseInChunks(data, path, rulesPerChunk); ok {
		return c, problems
	}
	return parseTree(data, path)
}

func newFileConfig(path string) *Config {
	return &Config{Origin: FromFile, Path: path, Version: LocalVersion, lines: map[string]int{}, match: &matchCache{}}
}

// parseTree parses the whole file into one YAML tree, then decodes it.
func parseTree(data []byte, path string) (*Config, []Problem) {
	c := newFileConfig(path)
	var problems []Problem
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		c.unreadable = true
		return c, []Problem{syntaxProblem(err, data)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return c, nil // empty file: cloudflared logs "was empty" and finds no rules
	}
	// The ingress rules are decoded one by one and their nodes dropped as
	// they go, so the node tree and the rules are not both whole.
	items := detachRules(&root)
	var raw rawFile
	w := &walked{top: map[string]int{}, rulesApart: items != nil}
	if err := root.Decode(&raw); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			c.unreadable = true
			return c, []Problem{syntaxProblem(err, nil)}
		}
		w.recordLines()
		w.walkTop(&root)
		for _, msg := range te.Errors {
			problems = append(problems, typeProblem(msg, w))
		}
	} else {
		w.walkTop(&root)
	}
	if items != nil {
		raw.Ingress = make([]Rule, len(items))
		for i, item := range items {
			err := item.Decode(&raw.Ingress[i])
			var te *yaml.TypeError
			if errors.As(err, &te) {
				w.recordLines()
			}
			w.rule(deref(item))
			if te != nil {
				for _, msg := range te.Errors {
					problems = append(problems, typeProblem(msg, w))
				}
			}
			items[i] = nil
		}
	}
	return c, finishParse(c, &raw, w, problems)
}

// finishParse fills c from the decoded file and the walk, judges the
// top-level flag settings, and returns every problem in file order.
func finishParse(c *Config, raw *rawFile, w *walked, problems []Problem) []Problem {
	c.Tunnel = raw.Tunnel
	c.Rules = raw.Ingress
	c.WarpRouting = raw.WarpRouting
	c.OriginRequest = raw.OriginRequest
	c.lines = w.top
	for i := range c.Rules {
		c.Rules[i].Index = i
		if i < len(w.rules) {
			c.Rules[i].Line = w.rules[i].line
			c.Rules[i].lines = w.rules[i].fields
		}
	}
	problems = append(problems, w.unknown...)
	if len(raw.Settings) > 0 {
		c.Settings = make(map[string]Setting, len(raw.Settings))
		idx := newFlagIndex()
		for name, v := range raw.Settings {
			c.Settings[name] = Setting{Value: settingText(name, v, idx), Line: w.top[name]}
			if p, ok := settingProblem(name, v, w.top[name], idx); ok {
				problems = append(problems, p)
			}
		}
		if s, ok := c.Settings["credentials-file"]; ok {
			c.CredentialsFile = s.Value
		}
	}
	sortProblems(problems)
	return problems
}

// detachRules takes the ingress list's items out of the tree, leaving an
// empty list in their place, so they can be decoded one at a time. The last
// `ingress` key is the one yaml.v3 keeps. nil when there is no list.
func detachRules(root *yaml.Node) []*yaml.Node {
	top := root
	if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = deref(top.Content[0])
	}
	if top == nil || top.Kind != yaml.MappingNode {
		return nil
	}
	at := -1
	for i := 0; i+1 < len(top.Content); i += 2 {
		if k := top.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "ingress" {
			at = i + 1
		}
	}
	if at < 0 {
		return nil
	}
	seq := deref(top.Content[at])
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	items := seq.Content
	top.Content[at] = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: seq.Line, Column: seq.Column}
	return items
}

// yamlLine finds "line N" in yaml.v3's messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// syntaxProblem names one line, the one to edit: where the text stops
// being valid YAML when that is known, else yaml.v3's own. yaml.v3's line is
// where the enclosing block started, so when it differs it is kept as
// context ("line 5: did not find expected '-' indicator (in the block that
// starts at line 2)"), never as a second location.
func syntaxProblem(err error, data []byte) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	yline := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		yline, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	line := yline
	if first := firstBadLine(data); first > 0 {
		line = first
	}
	text := msg
	if line > 0 {
		text = fmt.Sprintf("line %d: %s", line, msg)
	}
	if yline > 0 && yline != line {
		text += fmt.Sprintf(" (in the block that starts at line %d)", yline)
	}
	fix := "Fix the YAML"
	if line > 0 {
		fix = fmt.Sprintf("Fix the YAML at line %d", line)
	}
	return Problem{
		Kind: KindYAMLSyntax, Rule: -1, Line: line, Fatal: true,
		Message: "the config file is not valid YAML: " + text + ". cloudflared fails with \"error parsing YAML in config file\" and does not start.",
		Fix:     fix + " (indentation with spaces, a space after each colon, quotes around values with ':' or '*'); `tunneldoctor ingress validate` re-checks it.",
	}
}

// typeNames turns this package's Go type names in yaml.v3 messages into the
// names users write.
var typeNames = strings.NewReplacer(
	"tunnelcfg.rawFile", "the config file (a mapping of keys)",
	"[]tunnelcfg.Rule", "the ingress list",
	"tunnelcfg.Rule", "an ingress rule (a mapping with hostname, path, service, originRequest)",
	"tunnelcfg.OriginRequest", "an originRequest mapping",
	"*tunnelcfg.AccessConfig", "an access mapping",
	"tunnelcfg.AccessConfig", "an access mapping",
	"[]tunnelcfg.IPRule", "an ipRules list",
	"tunnelcfg.IPRule", "an ipRules entry",
	"tunnelcfg.WarpRouting", "a warp-routing mapping",
)

func typeProblem(msg string, w *walked) Problem {
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	p := Problem{Kind: KindTypeError, Rule: -1, Line: line, Fatal: true}
	if loc, ok := w.byLine[line]; ok {
		p.Rule, p.Field = loc.rule, loc.field
	}
	msg = typeNames.Replace(msg)
	where := ""
	if p.Field != "" {
		where = "`" + p.Field + "`: "
	}
	if strings.Contains(msg, "already defined") {
		p.Kind = KindDuplicateKey
		p.Message = where + msg + ". cloudflared fails with \"error parsing YAML in config file\" and does not start."
		p.Fix = "Keep one copy of the key and delete the other."
		return p
	}
	p.Message = where + msg + ". cloudflared fails with \"error parsing YAML in config file\" and does not start."
	switch {
	case strings.Contains(msg, "time.Duration"):
		p.Fix = "Durations are Go duration strings with a unit: `" + leaf(p.Field, "connectTimeout") + ": 30s` (not a bare number)."
	case strings.HasSuffix(msg, "into bool"):
		p.Fix = "Write `" + leaf(p.Field, "noTLSVerify") + ": true` or `false`."
	case strings.HasSuffix(msg, "into int") || strings.HasSuffix(msg, "into uint") || strings.HasSuffix(msg, "into uint64"):
		p.Fix = "Write a whole number without quotes: `" + leaf(p.Field, "keepAliveConnections") + ": 100`."
	case strings.Contains(msg, "ingress list"):
		p.Fix = "`ingress:` is a list: each rule starts with `- hostname: ...` (or `- service: ...` for the catch-all)."
	default:
		p.Fix = "Give `" + leaf(p.Field, "the key") + "` a value of the type cloudflared expects (see the message)."
	}
	return p
}

func leaf(field, fallback string) string {
	if field == "" {
		return fallback
	}
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[i+1:]
	}
	return field
}

// firstBadLine finds the first line at which the text stops parsing, by
// bisecting on line prefixes. yaml.v3 names the line where the enclosing
// block started, which is rarely the line to fix. 0 when unknown.
func firstBadLine(data []byte) int {
	if len(data) == 0 {
		return 0
	}
	var ends []int // byte offset just past each line
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	parses := func(k int) bool { // the first k lines
		var n yaml.Node
		return yaml.Unmarshal(data[:ends[k-1]], &n) == nil
	}
	if parses(len(ends)) {
		return 0
	}
	lo, hi := 1, len(ends) // invariant: prefix hi fails
	for lo < hi {
		mid := (lo + hi) / 2
		if parses(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return hi
}
