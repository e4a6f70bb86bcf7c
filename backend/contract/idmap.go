package contract

import (
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"hooklens/backend"
)

// ParseIDMap reads a --map file: a YAML or JSON mapping of old id to new id. "{run}" in a new
// id becomes run, so that one fixture can run again and again against a database without its
// ids colliding. Errors are EINVALID with the file, line and column.
func ParseIDMap(name string, data []byte, run string) (map[string]string, error) {
	fail := func(err error) error {
		return backend.Errorf(backend.EINVALID, "%s %s", filepath.Base(name), strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fail(err)
	}
	out := map[string]string{}
	if len(root.Content) == 0 {
		return out, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, fail(at(doc, "want a mapping of old id to new id (\"PJ0MRSHTDG: TEST-{run}\")"))
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			return nil, fail(at(k, "want old id: new id, both plain values"))
		}
		if k.Value == "" {
			return nil, fail(at(k, "an empty id cannot be mapped"))
		}
		if _, dup := out[k.Value]; dup {
			return nil, fail(at(k, fmt.Sprintf("%q is mapped twice", k.Value)))
		}
		out[k.Value] = strings.ReplaceAll(v.Value, "{run}", run)
	}
	return out, nil
}
