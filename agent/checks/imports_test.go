package checks_test

import (
	"bufio"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// clients are the live API clients: only dockernet/dockerapi, cfapi/cfclient
// and the collectors and commands that use them may compile them.
var clients = []string{"github.com/moby/moby/client", "github.com/cloudflare/cloudflare-go"}

// The import rules of the module live here, in one place:
//   - the packages that only read snapshots (checks, reports, the status
//     server) and the fact packages they read (agent/cfapi, dockernet)
//     compile neither API client (TestChecksAndReportDoNotCompileClients);
//   - tunnelcfg and dockernet import nothing from this module but leaf
//     packages, which themselves import nothing from it
//     (TestConfigAndTopologyImportOnlyLeaves).
// Both parse import lists rather than running `go list`.

// TestChecksAndReportDoNotCompileClients: no package the snapshot readers
// and the fact packages import from this module, directly or not (tests
// aside), imports a live API client.
func TestChecksAndReportDoNotCompileClients(t *testing.T) {
	root, module := moduleRoot(t)
	for _, start := range []string{"agent/checks", "agent/report", "agent/status", "agent/cfapi", "dockernet"} {
		seen := map[string]string{} // package -> the package that imported it
		queue := []string{module + "/" + start}
		seen[queue[0]] = ""
		for len(queue) > 0 {
			pkg := queue[0]
			queue = queue[1:]
			reported := false
			for _, imp := range packageImports(t, filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(pkg, module)))) {
				for _, client := range clients {
					if (imp == client || strings.HasPrefix(imp, client+"/")) && !reported {
						t.Errorf("%s compiles %s: %s imports it", start, imp, chain(seen, pkg))
						reported = true
					}
				}
				if strings.HasPrefix(imp, module+"/") {
					if _, ok := seen[imp]; !ok {
						seen[imp] = pkg
						queue = append(queue, imp)
					}
				}
			}
		}
		if len(seen) < 2 && start != "dockernet" && start != "agent/cfapi" {
			t.Errorf("%s: found only %v, the walk is broken", start, seen)
		}
	}
}

// TestConfigAndTopologyImportOnlyLeaves: tunnelcfg and dockernet (and
// their non-test subpackages but dockernet/dockerapi, the client) import
// from this module only leaf packages.
func TestConfigAndTopologyImportOnlyLeaves(t *testing.T) {
	root, module := moduleRoot(t)
	leaf := func(pkg string) bool {
		for _, imp := range packageImports(t, filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(pkg, module)))) {
			if strings.HasPrefix(imp, module+"/") {
				return false
			}
		}
		return true
	}
	for _, start := range []string{"tunnelcfg", "dockernet"} {
		for _, imp := range packageImports(t, filepath.Join(root, start)) {
			if strings.HasPrefix(imp, module+"/") && !leaf(imp) {
				t.Errorf("%s imports %s, which is not a leaf: %s imports nothing from this module but leaf packages", start, imp, start)
			}
		}
	}
	for _, l := range []string{"tunnelcfg/redact", "tunnelcfg/textdist"} {
		if !leaf(module + "/" + l) {
			t.Errorf("%s imports from this module: it must stay a leaf", l)
		}
	}
}

// chain is the import path from the start package to pkg.
func chain(seen map[string]string, pkg string) string {
	path := []string{pkg}
	for p := seen[pkg]; p != ""; p = seen[p] {
		path = append([]string{p}, path...)
	}
	return strings.Join(path, " -> ")
}

// packageImports lists the imports of the non-test Go files in dir.
func packageImports(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s (%v)", dir, err)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatalf("%s: import %s: %v", name, imp.Path.Value, err)
			}
			out = append(out, p)
		}
	}
	return out
}

// moduleRoot finds go.mod above the working directory and its module path.
func moduleRoot(t *testing.T) (dir, module string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(m), `"`)
				}
			}
			t.Fatalf("%s/go.mod has no module line", dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}
