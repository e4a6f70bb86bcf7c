package schema

import (
	"encoding/json"
	"slices"
)

// maxExampleDepth bounds a made-up example (catalog trees are shallow; this guards bad data).
const maxExampleDepth = 12

// Examples gives every event type of the set without a captured example one made up from its
// documented members: the discriminator's value, the first documented value of an enum,
// values in the field's format, and every member that is not deprecated.
func (s *Set) Examples() {
	for _, e := range s.Events {
		if !e.Captured {
			e.Example = example(e.Root, 0)
		}
	}
}

func example(n *Node, depth int) any {
	if depth > maxExampleDepth {
		return nil
	}
	if n.Const != "" {
		return n.Const
	}
	if vals := enumValues(n); len(vals) > 0 && !slices.Contains(n.Types, "array") {
		return vals[0]
	}
	t := ""
	switch {
	case len(n.Types) > 0:
		t = n.Types[0]
		if t == "null" && len(n.Types) > 1 {
			t = n.Types[1]
		}
	case len(n.Props) > 0 || n.Star != nil:
		t = "object"
	}
	switch t {
	case "object":
		m := map[string]any{}
		for _, c := range n.Props {
			if c.Deprecated != "" && !c.Required {
				continue
			}
			if v := example(c, depth+1); v != nil || c.Required {
				m[c.Key] = v
			}
		}
		if len(n.Props) == 0 && n.Star != nil {
			if v := example(n.Star, depth+1); v != nil {
				m["key"] = v
			}
		}
		return m
	case "array":
		if n.Elem != nil {
			if v := example(n.Elem, depth+1); v != nil {
				return []any{v}
			}
		}
		if vals := enumValues(n); len(vals) > 0 {
			return []any{vals[0]}
		}
		return []any{}
	case "string":
		return stringExample(n)
	case "integer":
		return json.Number("1")
	case "number":
		return json.Number("1.5")
	case "boolean":
		return true
	}
	return nil
}

func stringExample(n *Node) string {
	switch n.Format {
	case "date-time":
		return "2024-03-05T09:25:00Z"
	case "uuid":
		return "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
	case "email":
		return "someone@example.com"
	case "uri":
		return "https://example.com/"
	case "hex":
		return "0123456789abcdef"
	}
	return n.Key
}
