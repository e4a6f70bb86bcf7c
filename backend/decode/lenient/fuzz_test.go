package lenient_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hooklens/backend/decode/lenient"
)

// FuzzParse checks that Parse never panics, that what it returns is valid JSON, that strict
// compact JSON passes through unchanged, and that strict JSON input comes out compacted.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"a": 1,}`, "{\"a\": 1\n\"b\": [2,\n3\n]}", "// c\n{\"a\": /* x */ \"//\"}",
		"```json\n{\"a\": {\"b\": 1}\n```", `[{"a": 1]`, "{\"a\": {}\n],\n\"b\": 2}",
		"[{\"a\": {},\n{}]", `"x"`, `-0.5e+3`, "{\"a\": [ ... ], …}", strings.Repeat("[", 2000),
		"\ufeff{\"\t\": \"\t\"}",
	} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/*.txt")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := lenient.Parse(in)
		if json.Valid(in) && bytes.Count(in, []byte("["))+bytes.Count(in, []byte("{")) <= lenient.MaxDepth {
			var want bytes.Buffer
			_ = json.Compact(&want, in)
			if err != nil || !bytes.Equal(out, want.Bytes()) {
				t.Fatalf("Parse(%q) = %s, %v; want %s", in, out, err, want.Bytes())
			}
		}
		if err != nil {
			if out != nil {
				t.Fatalf("Parse(%q) = %q, %v; want nil output with an error", in, out, err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("Parse(%q) = %s; not valid JSON", in, out)
		}
		again, err := lenient.Parse(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Parse(%q) = %s, %v; want it unchanged", out, again, err)
		}
	})
}
