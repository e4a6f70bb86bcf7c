package livechat_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainKnown checks that the catalog documents every field of every documented sample,
// with a description.
func TestExplainKnown(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	r := registry()
	for _, file := range files {
		if strings.Contains(file, "unknown_action") || strings.Contains(file, "auto_access_added_list") {
			continue // samples that drift on purpose
		}
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		notes := r.Explain(delivery(file, body), nil)
		if len(notes) == 0 {
			t.Errorf("Explain(%s) = no notes; want one per field", file)
		}
		for _, n := range notes {
			if !n.Known || n.Description == "" {
				t.Errorf("Explain(%s) %s = known %v, description %q; want documented", file, n.Path, n.Known, n.Description)
			}
			if os.Getenv("EXPLAIN_DEBUG") != "" && strings.HasPrefix(n.Description, "Part of") {
				t.Logf("%s: %s covered by %s", filepath.Base(file), n.Path, n.Pattern)
			}
		}
	}
}
