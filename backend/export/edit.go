package export

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hooklens/backend"
)

// Set is one change of a JSON body before it is sent (`--set PATH=VALUE`): the value at Path
// becomes Value. Everything else in the body keeps its bytes.
type Set struct {
	Path  string   // as given: "payload.chat.id", "payload.chat.users[0].id", "items[].id"
	Value string   // as given
	steps []string // keys, "[N]" for one element, "[]" for every element
}

var stepRe = regexp.MustCompile(`^([^\[\]]*)((?:\[\d*\])*)$`)

// ParseSet reads "PATH=VALUE"; EINVALID when PATH is empty or malformed.
func ParseSet(s string) (Set, error) {
	path, value, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(path) == "" {
		return Set{}, backend.Errorf(backend.EINVALID, "--set %q: want PATH=VALUE (payload.chat.id=TEST-1)", s)
	}
	st := Set{Path: path, Value: value}
	for _, part := range strings.Split(path, ".") {
		m := stepRe.FindStringSubmatch(part)
		if m == nil || (m[1] == "" && m[2] == "") {
			return Set{}, backend.Errorf(backend.EINVALID, "--set %q: %q is not a key, key[N] or key[]", s, part)
		}
		if m[1] != "" {
			st.steps = append(st.steps, m[1])
		}
		for _, idx := range strings.SplitAfter(m[2], "]") {
			if idx != "" {
				st.steps = append(st.steps, idx)
			}
		}
	}
	return st, nil
}

func (s Set) matches(pos []string) bool {
	if len(pos) != len(s.steps) {
		return false
	}
	for i, st := range s.steps {
		if st != pos[i] && !(st == "[]" && strings.HasPrefix(pos[i], "[")) {
			return false
		}
	}
	return true
}

// value is the JSON that replaces old: a string when old was one (VALUE as written), else
// VALUE when it is JSON (a number, true, null, an object), else VALUE as a string.
func (s Set) value(old []byte) []byte {
	if len(old) > 0 && old[0] != '"' && json.Valid([]byte(s.Value)) {
		return []byte(strings.TrimSpace(s.Value))
	}
	return appendString(nil, s.Value)
}

// ApplySets applies sets in order to a JSON body. It returns the new body and, for each set,
// whether its path was found; a body that is not JSON comes back unchanged, nothing found.
func ApplySets(body []byte, sets []Set) ([]byte, []bool) {
	found := make([]bool, len(sets))
	if len(sets) == 0 || !json.Valid(body) {
		return body, found
	}
	for i, s := range sets {
		out, ok := replaceJSON(body, func(pos []string, raw []byte) ([]byte, bool) {
			if !s.matches(pos) {
				return nil, false
			}
			found[i] = true
			return s.value(raw), true
		})
		if ok {
			body = out
		}
	}
	return body, found
}

// replaceJSON copies src, replacing each value fn returns a replacement for (pos holds object
// keys and "[i]" for array elements).
func replaceJSON(src []byte, fn func(pos []string, raw []byte) ([]byte, bool)) ([]byte, bool) {
	if !json.Valid(src) {
		return nil, false
	}
	w := &jsonWalker{src: src, fn: func(_ []string, v string) string { return v }, replace: fn,
		out: make([]byte, 0, len(src)+64)}
	w.ws()
	w.value()
	w.ws()
	return w.out, !w.bad
}

// IDMap rewrites ids consistently across deliveries (`--map FILE`): every occurrence of an old
// id inside a string of the body, the path or the query becomes the new one, so the events of
// a conversation still refer to each other.
type IDMap struct {
	olds []string // longest first, so an id is never cut by a shorter one it contains
	to   map[string]string
}

// NewIDMap returns the map of m (old id → new id); empty old ids are left out.
func NewIDMap(m map[string]string) *IDMap {
	im := &IDMap{to: map[string]string{}}
	for o, n := range m {
		if o != "" {
			im.olds = append(im.olds, o)
			im.to[o] = n
		}
	}
	sort.Slice(im.olds, func(i, j int) bool {
		if len(im.olds[i]) != len(im.olds[j]) {
			return len(im.olds[i]) > len(im.olds[j])
		}
		return im.olds[i] < im.olds[j]
	})
	return im
}

// Len is how many ids the map rewrites.
func (m *IDMap) Len() int { return len(m.olds) }

func (m *IDMap) rewrite(s string) (string, int) {
	if m == nil || len(m.olds) == 0 {
		return s, 0
	}
	n := 0
	var b strings.Builder
	for i := 0; i < len(s); {
		hit := false
		for _, o := range m.olds {
			if strings.HasPrefix(s[i:], o) {
				b.WriteString(m.to[o])
				i += len(o)
				n++
				hit = true
				break
			}
		}
		if !hit {
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), n
}

// Apply rewrites the ids in d's body strings (a JSON body; a form body pair by pair; other
// text as a whole), path and query, in place. It returns how many were rewritten.
func (m *IDMap) Apply(d *backend.Delivery) int {
	if m == nil || len(m.olds) == 0 {
		return 0
	}
	total := 0
	rw := func(s string) string {
		out, n := m.rewrite(s)
		total += n
		return out
	}
	switch {
	case len(d.Body) == 0:
	case json.Valid(d.Body):
		if out, ok := rewriteJSON(d.Body, func(_ []string, v string) string { return rw(v) }); ok {
			d.Body = out
		}
	default:
		d.Body = []byte(rw(string(d.Body)))
	}
	d.Path = rw(d.Path)
	if d.Query != "" {
		parts := strings.Split(d.Query, "&")
		for i, p := range parts {
			k, v, _ := strings.Cut(p, "=")
			if uv, err := url.QueryUnescape(v); err == nil {
				if nv := rw(uv); nv != uv {
					parts[i] = k + "=" + url.QueryEscape(nv)
				}
			}
		}
		d.Query = strings.Join(parts, "&")
	}
	d.Size = int64(len(d.Body))
	return total
}

// setContentLength makes a Content-Length header (when there is one) say len(d.Body); it
// reports whether it changed.
func setContentLength(d *backend.Delivery) (string, bool) {
	n := strconv.Itoa(len(d.Body))
	for i, h := range d.Headers {
		if strings.EqualFold(h.Name, "Content-Length") && h.Value != n {
			d.Headers[i].Value = n
			return h.Name, true
		}
	}
	return "", false
}

// cloneDelivery copies d with its own headers and body.
func cloneDelivery(d *backend.Delivery) *backend.Delivery {
	c := *d
	c.Headers = slices.Clone(d.Headers)
	c.Body = slices.Clone(d.Body)
	return &c
}

// Steps returns the path's steps: keys, "[N]" and "[]".
func (s Set) Steps() []string { return slices.Clone(s.steps) }
