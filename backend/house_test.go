package backend_test

import (
	"os/exec"
	"strings"
	"testing"
)

// store is the import path of the SQLite store.
const store = "hooklens/backend/sqlite"

// pkg is one package as `go list` tells it.
type pkg struct {
	path, name string
	standard   bool
	imports    []string
}

// listPackages returns what `go list` says of patterns (non-test files only: Imports leaves
// out what _test.go files import) built with tags.
func listPackages(t *testing.T, tags string, args ...string) []pkg {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to list the packages: %v", err)
	}
	cmd := exec.Command(goTool, append([]string{"list", "-tags", tags,
		"-f", "{{.ImportPath}}\t{{.Name}}\t{{.Standard}}\t{{join .Imports \" \"}}"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	var pkgs []pkg
	for line := range strings.Lines(string(out)) {
		f := strings.Split(strings.TrimRight(line, "\n"), "\t")
		if len(f) != 4 {
			t.Fatalf("go list: unexpected line %q", line)
		}
		pkgs = append(pkgs, pkg{path: f[0], name: f[1], standard: f[2] == "true", imports: strings.Fields(f[3])})
	}
	if len(pkgs) == 0 {
		t.Fatalf("go list %v: no packages", args)
	}
	return pkgs
}

// wiring reports whether p may import the store: the program's wiring (the root package, the
// commands in cli/, the benchmark's mains) and the store's own packages (its test support).
func wiring(p pkg) bool {
	switch {
	case p.path == "hooklens", p.path == "hooklens/cli", strings.HasPrefix(p.path, "hooklens/cli/"):
		return true
	case strings.HasPrefix(p.path, "hooklens/bench/") && p.name == "main":
		return true
	case p.path == store, strings.HasPrefix(p.path, store+"/"):
		return true
	}
	return false
}

// TestHouse_OnlyTheWiringImportsTheStore: every other package reaches the store through the
// services declared in backend/ or in itself.
func TestHouse_OnlyTheWiringImportsTheStore(t *testing.T) {
	for _, tags := range []string{"", "production,webkit2_41"} {
		wired := false // some wiring opens the store: the list is the program's
		for _, p := range listPackages(t, tags, "hooklens/...") {
			for _, imp := range p.imports {
				switch {
				case imp != store:
				case !wiring(p):
					t.Errorf("tags %q: %s imports %s; only the wiring may (use the services of hooklens/backend)", tags, p.path, store)
				case !strings.HasPrefix(p.path, store):
					wired = true
				}
			}
		}
		if !wired {
			t.Errorf("tags %q: no wiring package imports %s: is the package list right?", tags, store)
		}
	}
}

// TestHouse_DomainImportsOnlyTheStandardLibrary: backend/ holds the domain types and interfaces
// and depends on nothing but Go.
func TestHouse_DomainImportsOnlyTheStandardLibrary(t *testing.T) {
	pkgs := listPackages(t, "", "-deps", "hooklens/backend")
	if len(pkgs) < 2 {
		t.Fatalf("go list -deps hooklens/backend = %d packages; want the standard library too", len(pkgs))
	}
	for _, p := range pkgs {
		if p.path != "hooklens/backend" && !p.standard {
			t.Errorf("hooklens/backend depends on %s; it may import only the standard library", p.path)
		}
	}
}
