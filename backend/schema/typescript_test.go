package schema_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend/decode/all"
	"hooklens/backend/schema"
)

// tsc returns the frontend's TypeScript compiler, or skips the test when npm ci has not run.
func tsc(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "frontend", "node_modules", ".bin", "tsc"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("HOOKLENS_REQUIRE_TSC") != "" {
			t.Fatalf("no tsc at %s, and HOOKLENS_REQUIRE_TSC is set (scripts/test.sh runs npm ci first)", p)
		}
		t.Skip("no tsc: run npm ci in frontend (scripts/deps.sh)")
	}
	return p
}

// TestTypeScript_GoldenSamplesCompile: each vendor's module compiles with tsc --strict, and a
// check file that assigns every golden sample (as a literal) to its event type's interface
// and to the union compiles too; run under node, each sample's type guard accepts it and
// every other event type's guard rejects it.
func TestTypeScript_GoldenSamplesCompile(t *testing.T) {
	tscBin := tsc(t)
	node, nodeErr := exec.LookPath("node")
	samples := goldenSamples(t)
	dir := t.TempDir()
	var files []string
	for _, v := range all.Registry().Vendors() {
		s, err := schema.Build(v, schema.Options{Version: "all"})
		if err != nil {
			t.Fatal(err)
		}
		mod := v.Name()
		if err := os.WriteFile(filepath.Join(dir, mod+".ts"), s.TypeScript(), 0o644); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "import * as T from \"./%s\";\n\nconst failures: string[] = [];\n", mod)
		n := 0
		for _, sm := range samples {
			if sm.vendor != v.Name() || len(sm.drift) > 0 || s.Event(sm.event) == nil {
				continue
			}
			n++
			typ := schema.TypeName(sm.event)
			fmt.Fprintf(&b, "\n// %s\nfunction check%d(): void {\nconst s%d: T.%s = %s;\n", filepath.Base(sm.file), n, n, typ, sm.body)
			fmt.Fprintf(&b, "const u%d: T.%s = s%d;\n", n, s.UnionName(), n)
			fmt.Fprintf(&b, "if (!T.is%s(u%d)) failures.push(%q);\n", typ, n, "guard is"+typ+" rejects "+filepath.Base(sm.file))
			for _, other := range s.Events {
				if other.Name != sm.event {
					fmt.Fprintf(&b, "if (T.is%s(u%d)) failures.push(%q);\n", schema.TypeName(other.Name), n,
						"guard is"+schema.TypeName(other.Name)+" accepts "+filepath.Base(sm.file))
				}
			}
			fmt.Fprintf(&b, "}\ncheck%d();\n", n)
		}
		if n < 10 {
			t.Errorf("%s: %d samples in the check file; want every golden sample", v.Name(), n)
		}
		b.WriteString("\nif (failures.length > 0) { console.log(failures.join(\"\\n\")); throw new Error(\"guards\"); }\n")
		check := filepath.Join(dir, mod+"_check.ts")
		if err := os.WriteFile(check, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, check)
	}
	args := append([]string{"--strict", "--noEmit", "--target", "es2020", "--module", "commonjs"}, files...)
	if out, err := exec.Command(tscBin, args...).CombinedOutput(); err != nil {
		t.Fatalf("tsc --strict: %v\n%s", err, out)
	}
	if nodeErr != nil {
		t.Log("no node: type guards compiled but not run")
		return
	}
	js := filepath.Join(dir, "js")
	args = append([]string{"--strict", "--target", "es2020", "--module", "commonjs", "--outDir", js}, files...)
	if out, err := exec.Command(tscBin, args...).CombinedOutput(); err != nil {
		t.Fatalf("tsc emit: %v\n%s", err, out)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".ts") + ".js"
		if out, err := exec.Command(node, filepath.Join(js, name)).CombinedOutput(); err != nil {
			t.Errorf("node %s: %v\n%s", name, err, out)
		}
	}
}
