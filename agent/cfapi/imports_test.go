package cfapi

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoAPIClientImports keeps this package free of the Cloudflare API
// client: the checks and the reports import cfapi for its facts, and must not
// compile cloudflare-go. Code that needs the library belongs in cfclient.
func TestNoAPIClientImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{
		"github.com/cloudflare/cloudflare-go",
		"github.com/tunneldoctor/tunneldoctor/agent/cfapi/cfclient",
	}
	checked := 0
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatalf("%s: import %s: %v", name, imp.Path.Value, err)
			}
			for _, bad := range forbidden {
				if path == bad || strings.HasPrefix(path, bad+"/") {
					t.Errorf("%s imports %s: the API client's code belongs in package cfclient", fset.Position(imp.Pos()), path)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source file found to check")
	}
}
