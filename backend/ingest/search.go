package ingest

import "bytes"

// jsonValues returns a JSON document's text without its object keys, for the search index: the
// names of fields recur in every delivery of a vendor and would take a third of the index, while
// a search looks for values (ids, names, messages). Keys become a space; strings, numbers and
// everything that is not JSON are returned as they are. It does not validate: bytes that do not
// start like a JSON object or array come back unchanged, and a string left open runs to the end.
func jsonValues(b []byte) []byte {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if b[i] != '"' {
			out = append(out, b[i])
			i++
			continue
		}
		end := stringEnd(b, i)
		j := end
		for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r' || b[j] == '\n') {
			j++
		}
		if j < len(b) && b[j] == ':' { // a key, with its colon
			out = append(out, ' ')
			i = j + 1
			continue
		}
		out = append(out, b[i:end]...)
		i = end
	}
	return out
}

// stringEnd returns the index just after the JSON string that starts at b[i] ('"').
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}
