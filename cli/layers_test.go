package cli

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The command line is a face of app/, like the window: it parses, prints and
// chooses exit codes, and reaches the vault and the routers only through
// app's use cases, so that both faces do the same thing.
func TestCLIReachesVaultAndRoutersThroughApp(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"github.com/gatekey/gatekey/vault", "github.com/gatekey/gatekey/routerclient"}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if path == bad {
					t.Errorf("%s imports %s; use app's use cases instead", name, path)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d source files found in cli/", checked)
	}
}
