package backend

import (
	"strings"
	"unicode"
)

// Search keys understood by ParseQuery.
var searchKeys = map[string]bool{
	"vendor": true, "type": true, "conv": true, "agent": true, "status": true,
	"verified": true, "has": true, "method": true, "path": true,
}

// Term is one "key:value" condition; Key is "" for free text.
type Term struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Query is a parsed search expression: every term must match.
type Query struct {
	Terms []Term `json:"terms"`
}

// Text returns the free-text terms.
func (q Query) Text() []string {
	var out []string
	for _, t := range q.Terms {
		if t.Key == "" {
			out = append(out, t.Value)
		}
	}
	return out
}

// ParseQuery parses the search language: space-separated terms, `key:value` for the keys
// vendor, type, conv, agent, status, verified, has, method, path; anything else, or a
// "quoted phrase", is free text. Values may be quoted (`conv:"a b"`). It returns an EINVALID
// error for a known key with an empty value, an unknown has: value, or an unterminated quote.
func ParseQuery(s string) (Query, error) {
	var q Query
	for i := 0; i < len(s); {
		r := rune(s[i])
		if unicode.IsSpace(r) {
			i++
			continue
		}
		start := i
		key := ""
		// key:value?
		if j := strings.IndexAny(s[i:], ": \t\n\""); j > 0 && s[i+j] == ':' && searchKeys[strings.ToLower(s[i:i+j])] {
			key = strings.ToLower(s[i : i+j])
			i += j + 1
		}
		val, n, err := readValue(s[i:])
		if err != nil {
			return Query{}, Errorf(EINVALID, "search: %s at column %d", err.Error(), start+1)
		}
		i += n
		if key != "" && val == "" {
			return Query{}, Errorf(EINVALID, "search: %s: needs a value", key)
		}
		if key == "has" && val != "flags" && val != "gap" {
			return Query{}, Errorf(EINVALID, "search: has:%s is not known (try has:flags or has:gap)", val)
		}
		if key == "" && val == "" {
			continue
		}
		q.Terms = append(q.Terms, Term{Key: key, Value: val})
	}
	return q, nil
}

type parseError string

func (e parseError) Error() string { return string(e) }

// readValue reads a bare word or a "quoted string" at the start of s; it returns the value and
// how many bytes it used.
func readValue(s string) (string, int, error) {
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", 0, parseError("unterminated quote")
		}
		return s[1 : 1+end], end + 2, nil
	}
	end := strings.IndexFunc(s, unicode.IsSpace)
	if end < 0 {
		end = len(s)
	}
	return s[:end], end, nil
}
