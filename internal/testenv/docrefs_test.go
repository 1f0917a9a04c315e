package testenv

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Code and documents cite the repository's own documents by section
// ("drayos-web.md §4.3"). Every such citation must name a document in docs/
// and a section heading it has, so that renumbering a document cannot leave
// readers pointed at the wrong rule.
func TestDocumentReferencesResolve(t *testing.T) {
	root := RepoRoot(t)
	heading := regexp.MustCompile(`(?m)^#+ ([0-9]+(?:\.[0-9]+)*)\.? `)
	sections := map[string]map[string]bool{}
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil || len(docs) == 0 {
		t.Fatalf("no documents in docs/: %v", err)
	}
	for _, path := range docs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]bool{}
		for _, m := range heading.FindAllStringSubmatch(string(data), -1) {
			set[m[1]] = true
		}
		sections[filepath.Base(path)] = set
	}

	ref := regexp.MustCompile(`([A-Za-z-]+\.md) §([0-9]+(?:\.[0-9]+)*)`)
	count := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "bin", "dist", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".md") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		for _, m := range ref.FindAllStringSubmatch(string(data), -1) {
			if rel == filepath.Join("internal", "testenv", "docrefs_test.go") {
				continue
			}
			count++
			set, ok := sections[m[1]]
			switch {
			case !ok:
				t.Errorf("%s cites %s, which is not in docs/", rel, m[1])
			case !set[m[2]]:
				t.Errorf("%s cites %s §%s, which has no such section", rel, m[1], m[2])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count < 50 {
		t.Fatalf("only %d section references found; is the pattern still right?", count)
	}
	t.Logf("%d section references checked", count)
}
