package all_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hooklens/backend/decode/all"
)

// TestHouse_VendorsOnlyInTheirPackages: outside its own package (and tests, and the benchmark's
// generator of vendor traffic), no Go file names a registered vendor as a string of its own: its
// id, its receiver path or its display name. Lists of vendors and rules about one come from the
// registry.
func TestHouse_VendorsOnlyInTheirPackages(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{} // literal -> vendor
	own := map[string]bool{}     // the vendors' own folders
	for _, v := range all.Registry().Vendors() {
		for _, s := range []string{v.Name(), v.PathPrefix(), v.Info().DisplayName} {
			names[strings.ToLower(s)] = v.Name()
		}
		own[filepath.Join(root, "backend", "decode", v.Name())] = true
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch {
			case own[path], d.Name() == "node_modules", d.Name() == "testdata", strings.HasPrefix(d.Name(), "."),
				path == filepath.Join(root, "bench"), path == filepath.Join(root, "frontend"):
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil {
				if v, found := names[strings.ToLower(s)]; found {
					rel, _ := filepath.Rel(root, path)
					t.Errorf("%s names the vendor %s as %s: take it from the registry, or move the code into its package", rel, v, lit.Value)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Errorf("checked %d Go files; want the whole module", checked)
	}
}
