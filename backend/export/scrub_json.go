package export

import (
	"encoding/json"
	"strconv"
	"strings"

	"hooklens/backend/decode"
)

// Field names (lower case, without _ and -) that hold secrets, names, free text; parents that
// make a "name" a person's name.
var (
	secretKeys = set("secretkey", "secret", "token", "accesstoken", "refreshtoken", "idtoken", "apikey",
		"apisecret", "clientsecret", "password", "passwd", "authorization", "privatekey", "sessiontoken")
	fixtureKeys = set("secretkey", "token") // verified by a vendor: they get the fixture secret
	nameKeys    = set("firstname", "lastname", "fullname", "displayname", "nickname", "randomname",
		"givenname", "familyname", "surname", "username", "agentname", "customername", "visitorname")
	textKeys = set("text", "body", "comment", "satisfactioncomment", "answer", "message", "content",
		"note", "unavailablereason", "feedback")
	personWords = set("users", "user", "customer", "customers", "agent", "agents", "visitor", "guest",
		"author", "requester", "operator", "person", "contact", "profile", "sender", "recipient", "owner",
		"member", "members", "participants", "participant", "requester")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func normKey(k string) string {
	return strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(k))
}

// pathString joins a value's path: "payload.chat.users[].email".
func pathString(path []string) string {
	var b strings.Builder
	for i, p := range path {
		if p != "[]" && i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// json scrubs the string values of a JSON body, keeping everything else byte for byte.
func (s *Scrubber) json(body []byte, prefix, vendor string) []byte {
	var doc any
	parsed := false
	lookup := func() any {
		if !parsed {
			doc, _ = decode.ParseJSON(body)
			parsed = true
		}
		return doc
	}
	out, ok := rewriteJSON(body, func(path []string, v string) string {
		return s.value(path, v, prefix+pathString(path), vendor, lookup)
	})
	if !ok {
		return body
	}
	return out
}

// value returns the scrubbed form of the string v found at path.
func (s *Scrubber) value(path []string, v, where, vendor string, doc func() any) string {
	if v == "" {
		return v
	}
	key := ""
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] != "[]" {
			key = normKey(path[i])
			break
		}
	}
	switch {
	case secretKeys[key]:
		if s.KeepSecrets {
			return v
		}
		s.count(where, KindSecret)
		if fixtureKeys[key] {
			return s.secret
		}
		return "redacted-" + s.pseudo(KindSecret, v, 8)
	case emailRe.MatchString(v) && emailRe.FindString(v) == v:
		s.count(where, KindEmail)
		return s.email(v)
	case isIP(v):
		s.count(where, KindIP)
		return s.ip(v)
	case strings.Contains(key, "email"):
		s.count(where, KindEmail)
		return s.email(v)
	case strings.Contains(key, "phone") || key == "mobile" || key == "tel" || key == "telephone" || key == "msisdn":
		s.count(where, KindPhone)
		return s.phone(v)
	case nameKeys[key] || key == "name" && s.personal(path, vendor, doc):
		s.count(where, KindName)
		return "Person-" + s.pseudo(KindName, v, 6)
	case textKeys[key] || key == "value" && len(path) >= 2 && normKey(path[len(path)-2]) == "[]" && len(path) >= 3 && normKey(path[len(path)-3]) == "inputs":
		s.count(where, KindText)
		return s.lorem(v)
	}
	return s.text(v, where)
}

// personal reports whether a "name" at path is a person's name.
func (s *Scrubber) personal(path []string, vendor string, doc func() any) bool {
	for _, p := range path[:len(path)-1] {
		if personWords[normKey(p)] {
			return true
		}
	}
	if pn := s.names[vendor]; pn != nil && doc != nil {
		return pn.PersonName(path, doc())
	}
	return false
}

// rewriteJSON copies src, replacing each string value (not keys) by fn(path, value). path holds
// object keys, and "[]" for array elements. It returns false when src is not valid JSON.
func rewriteJSON(src []byte, fn func(path []string, v string) string) ([]byte, bool) {
	if !json.Valid(src) {
		return nil, false
	}
	w := &jsonWalker{src: src, fn: fn, out: make([]byte, 0, len(src)+len(src)/8)}
	w.ws()
	w.value()
	w.ws()
	return w.out, !w.bad
}

type jsonWalker struct {
	src  []byte
	i    int
	out  []byte
	path []string
	fn   func(path []string, v string) string
	bad  bool
	// pos is path with array elements as "[i]"; replace, when set, may replace any value
	// (raw is its source bytes) by other JSON.
	pos     []string
	replace func(pos []string, raw []byte) ([]byte, bool)
}

func (w *jsonWalker) ws() {
	for w.i < len(w.src) {
		switch w.src[w.i] {
		case ' ', '\t', '\r', '\n':
			w.out = append(w.out, w.src[w.i])
			w.i++
		default:
			return
		}
	}
}

// str reads a string token and returns its raw bytes (with quotes) and its value.
func (w *jsonWalker) str() ([]byte, string) {
	start := w.i
	w.i++
	escaped := false
	for w.i < len(w.src) {
		c := w.src[w.i]
		if c == '\\' {
			escaped = true
			w.i += 2
			continue
		}
		w.i++
		if c == '"' {
			break
		}
	}
	raw := w.src[start:w.i]
	if !escaped {
		return raw, string(raw[1 : len(raw)-1])
	}
	var v string
	if json.Unmarshal(raw, &v) != nil {
		w.bad = true
	}
	return raw, v
}

func (w *jsonWalker) value() {
	if w.bad || w.i >= len(w.src) {
		w.bad = true
		return
	}
	start, mark := w.i, len(w.out)
	w.scalarOrContainer()
	if w.replace != nil && !w.bad {
		if nv, ok := w.replace(w.pos, w.src[start:w.i]); ok {
			w.out = append(w.out[:mark], nv...)
		}
	}
}

func (w *jsonWalker) scalarOrContainer() {
	switch w.src[w.i] {
	case '{':
		w.container('}', true)
	case '[':
		w.container(']', false)
	case '"':
		raw, v := w.str()
		if nv := w.fn(w.path, v); nv != v {
			w.out = appendString(w.out, nv)
		} else {
			w.out = append(w.out, raw...)
		}
	default:
		start := w.i
		for w.i < len(w.src) && !strings.ContainsRune(",]} \t\r\n", rune(w.src[w.i])) {
			w.i++
		}
		w.out = append(w.out, w.src[start:w.i]...)
	}
}

func (w *jsonWalker) container(end byte, object bool) {
	w.out = append(w.out, w.src[w.i])
	w.i++
	n := 0
	for !w.bad {
		w.ws()
		if w.i >= len(w.src) {
			w.bad = true
			return
		}
		if w.src[w.i] == end {
			w.out = append(w.out, end)
			w.i++
			return
		}
		if w.src[w.i] == ',' {
			w.out = append(w.out, ',')
			w.i++
			w.ws()
		}
		if object {
			raw, key := w.str()
			w.out = append(w.out, raw...)
			w.ws()
			w.out = append(w.out, ':') // json.Valid guarantees the colon
			w.i++
			w.ws()
			w.path = append(w.path, key)
			w.pos = append(w.pos, key)
		} else {
			w.path = append(w.path, "[]")
			w.pos = append(w.pos, "["+strconv.Itoa(n)+"]")
		}
		n++
		w.value()
		w.path = w.path[:len(w.path)-1]
		w.pos = w.pos[:len(w.pos)-1]
	}
}
