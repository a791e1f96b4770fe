package dockernet

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsNoDockerClient keeps the package pure: no file of it (tests
// aside) imports the Docker client, which lives in dockernet/dockerapi, nor
// anything else from this module but leaf packages that themselves import
// nothing from it (the one redactor, tunnelcfg/redact): dockerapi imports
// dockernet, not the reverse, and nothing here reaches agent. The API types
// of github.com/moby/moby/api are fine.
func TestImportsNoDockerClient(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatalf("%s: import %s: %v", name, imp.Path.Value, err)
			}
			switch {
			case path == "github.com/moby/moby/client" || strings.HasPrefix(path, "github.com/moby/moby/client/"):
				t.Errorf("%s imports %s: the Docker client belongs in dockernet/dockerapi", name, path)
			case strings.HasPrefix(path, module+"/") && !isLeaf(t, strings.TrimPrefix(path, module+"/")):
				t.Errorf("%s imports %s: dockernet imports nothing from this module but leaf packages", name, path)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d files: run from the package directory", checked)
	}
}

const module = "github.com/tunneldoctor/tunneldoctor"

// isLeaf reports whether the module package in dir (relative to the module
// root, one level above this package) imports nothing from the module.
func isLeaf(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", filepath.FromSlash(dir), "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files for %s (%v)", dir, err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, module+"/") {
				return false
			}
		}
	}
	return true
}
