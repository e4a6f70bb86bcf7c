// Command typegen writes the JSON Schema of the Hooklens API bodies from the Go types of
// backend/api (go generate in backend/api); frontend/scripts/api-types.mjs turns it into
// TypeScript.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/invopop/jsonschema"
)

func main() {
	out := flag.String("o", "../../docs/api.schema.json", "the schema file to write")
	root := flag.String("root", "../..", "the module root, to read the Go doc comments of the types")
	flag.Parse()
	if err := run(*out, *root); err != nil {
		fmt.Fprintln(os.Stderr, "typegen:", err)
		os.Exit(1)
	}
}

func run(out, root string) error {
	var cerr error
	s, err := Build(func(r *jsonschema.Reflector) { cerr = comments(r, root) })
	if err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	b, err := marshal(s)
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

// comments reads the doc comments of the packages the API types come from.
func comments(r *jsonschema.Reflector, root string) error {
	for _, dir := range []string{"backend"} {
		prev, _ := os.Getwd()
		if err := os.Chdir(root); err != nil {
			return err
		}
		err := r.AddGoComments("hooklens", "./"+filepath.ToSlash(dir))
		if cerr := os.Chdir(prev); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("comments: %w", err)
		}
	}
	return nil
}

// marshal writes s indented, with a final newline.
func marshal(s *jsonschema.Schema) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
