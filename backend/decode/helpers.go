package decode

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hooklens/backend"
)

// Flag codes used by the registry and the vendors.
const (
	FlagUnknownField      = "unknown_field"      // a field the catalog does not document
	FlagMissingRequired   = "missing_required"   // a required field is absent
	FlagWrongType         = "wrong_type"         // a field has another JSON type than documented
	FlagUnknownEnum       = "unknown_enum"       // a value outside the documented set
	FlagUndocumentedEvent = "undocumented_event" // the event type is not in the catalog
	FlagInvalidBody       = "invalid_body"       // the body does not decompress or parse
	FlagDecodeError       = "decode_error"       // the vendor decoder failed (panicked)
	FlagDeprecated        = "deprecated"         // a deprecated event type or field (a note, not drift)
	FlagOtherVersion      = "other_version"      // an event type or field of another API version than the one checked
)

// Get walks doc by object keys and returns the value found, or nil when a step is missing or
// not an object.
func Get(doc any, keys ...string) any {
	for _, k := range keys {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		doc = m[k]
	}
	return doc
}

// Str returns the value at keys as a string: a string as is, a number in its JSON spelling,
// a boolean as "true"/"false"; "" for anything else or a missing value.
func Str(doc any, keys ...string) string {
	return String(Get(doc, keys...))
}

// String returns v as a string like Str; "" for objects, arrays, null and missing values.
func String(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}

// Obj returns the object at keys, or nil.
func Obj(doc any, keys ...string) map[string]any {
	m, _ := Get(doc, keys...).(map[string]any)
	return m
}

// List returns the array at keys, or nil.
func List(doc any, keys ...string) []any {
	l, _ := Get(doc, keys...).([]any)
	return l
}

// Strings returns the scalar elements of the array at keys as strings (see String); a single
// scalar gives a one-element slice.
func Strings(doc any, keys ...string) []string {
	v := Get(doc, keys...)
	l, ok := v.([]any)
	if !ok {
		if s := String(v); s != "" {
			return []string{s}
		}
		return nil
	}
	var out []string
	for _, e := range l {
		if s := String(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// Time parses v as a point in time: an RFC 3339 / ISO 8601 string (with or without a colon
// in the offset; no offset means UTC) or a number of Unix seconds or milliseconds (guessed by
// size). It returns the time in UTC, or nil when v is not a time (or one past the year 9999).
func Time(v any) *time.Time {
	s := strings.TrimSpace(String(v))
	if s == "" {
		return nil
	}
	if _, isStr := v.(string); !isStr || isDigits(s) {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || n <= 0 || n > 1e17 {
			return nil
		}
		var t time.Time
		if n >= 1e11 { // milliseconds: 1e11 s would be the year 5138
			t = time.UnixMilli(int64(n))
		} else {
			t = time.Unix(int64(n), int64((n-float64(int64(n)))*1e9))
		}
		if t = t.UTC(); t.Year() > 9999 { // not a time JSON (RFC 3339) can carry
			return nil
		}
		return &t
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return s != ""
}

// Truncate returns s cut to at most n runes with "…" appended when cut, with newlines and
// tabs folded to spaces and invalid UTF-8 replaced, so it fits on one summary line.
func Truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.Fields(s), " ")
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

// Short returns the first n runes of an id followed by "…" when longer (for summaries).
func Short(id string, n int) string {
	if utf8.RuneCountInString(id) <= n {
		return id
	}
	return string([]rune(id)[:n]) + "…"
}

// Hash returns the hex SHA-256 of v's canonical JSON (object keys sorted, numbers as sent),
// a stable content key for deduplication; "" if v cannot be encoded.
func Hash(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Key joins parts into a dedupe key with "|" ("" parts are kept so positions stay fixed).
func Key(parts ...string) string {
	return strings.Join(parts, "|")
}

// AddActor appends a to actors unless an actor with the same id and role is already there;
// an empty id is skipped. It returns the new slice.
func AddActor(actors []backend.Actor, a backend.Actor) []backend.Actor {
	if a.ID == "" {
		return actors
	}
	for i, b := range actors {
		if b.ID == a.ID && b.Role == a.Role {
			if actors[i].Name == "" {
				actors[i].Name = a.Name
			}
			if actors[i].Email == "" {
				actors[i].Email = a.Email
			}
			return actors
		}
	}
	return append(actors, a)
}

// JSONType names the JSON type of v as the catalog does: string, integer, number, boolean,
// object, array or null ("" for a value that is not JSON).
func JSONType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		if strings.ContainsAny(x.String(), ".eE") {
			return "number"
		}
		return "integer"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case int, int64:
		return "integer"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return ""
}
