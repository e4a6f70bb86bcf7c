package decode

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode/lenient"
)

// MaxDecoded caps the decompressed size of a body (32 MiB); the rest is not decoded.
const MaxDecoded = 32 << 20

// MaxDepth is the deepest JSON nesting decoded; deeper bodies are flagged invalid_body.
const MaxDepth = 512

// maxLayers caps how many stacked Content-Encodings are undone ("gzip, gzip, …").
const maxLayers = 4

// errTooDeep is returned for a document nested deeper than MaxDepth.
var errTooDeep = fmt.Errorf("nested too deep (more than %d levels)", MaxDepth)

// Prepare decompresses and parses d's body. It never fails: problems (a body that does not
// decompress, is truncated, or does not parse although its content type says JSON) are
// recorded in Input.Flags and Doc is left nil.
func Prepare(d *backend.Delivery) *Input {
	in := &Input{Delivery: d}
	if d == nil {
		return in
	}
	in.Body = d.Body
	if enc := strings.TrimSpace(d.Headers.Get("Content-Encoding")); enc != "" && !strings.EqualFold(enc, "identity") {
		out, truncated, err := Decompress(d.Headers, d.Body, MaxDecoded)
		switch {
		case err != nil:
			in.Flags = append(in.Flags, backend.Flag{Code: FlagInvalidBody,
				Reason: fmt.Sprintf("body could not be decompressed (Content-Encoding %s): %v", enc, err)})
			if out == nil {
				return in
			}
		case truncated:
			in.Flags = append(in.Flags, backend.Flag{Code: FlagInvalidBody,
				Reason: fmt.Sprintf("decompressed body is larger than %d MiB; only the start was decoded", MaxDecoded>>20)})
		}
		in.Body = out
	}
	if len(bytes.TrimSpace(in.Body)) == 0 {
		return in
	}
	ct := contentType(d)
	if ct == "application/x-www-form-urlencoded" && !looksJSON(in.Body) {
		doc, err := parseForm(in.Body)
		if err != nil {
			in.Flags = append(in.Flags, backend.Flag{Code: FlagInvalidBody, Reason: "form body does not parse: " + err.Error()})
			return in
		}
		in.Doc, in.Form = doc, true
		return in
	}
	doc, err := ParseJSON(in.Body)
	if err != nil && d.Source == backend.SourceSample {
		if fixed, lerr := lenient.Parse(in.Body); lerr == nil {
			if doc, err = ParseJSON(fixed); err == nil {
				in.Body = fixed // a doc sample as written: decode its strict form
			}
		}
	}
	if err != nil {
		if isJSONType(ct) || errors.Is(err, errTooDeep) {
			in.Flags = append(in.Flags, backend.Flag{Code: FlagInvalidBody, Reason: "body is not valid JSON: " + err.Error()})
		}
		return in
	}
	in.Doc = doc
	return in
}

// ParseError returns why in's body could not be parsed, or nil when it parsed or is empty.
func ParseError(in *Input) error {
	if in == nil || in.Doc != nil || len(bytes.TrimSpace(in.Body)) == 0 {
		return nil
	}
	if in.Form {
		return nil
	}
	_, err := ParseJSON(in.Body)
	return err
}

// contentType returns the lower-case media type of d, without parameters.
func contentType(d *backend.Delivery) string {
	ct := d.ContentType
	if ct == "" {
		ct = d.Headers.Get("Content-Type")
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func isJSONType(ct string) bool {
	return ct == "application/json" || ct == "text/json" || strings.HasSuffix(ct, "+json")
}

func looksJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// ParseJSON parses one JSON value with numbers as json.Number. It rejects trailing data and
// documents nested deeper than MaxDepth (checked before parsing, so any depth is safe).
func ParseJSON(b []byte) (any, error) {
	if err := checkDepth(b); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty body")
		}
		return nil, err
	}
	if rest := bytes.TrimSpace(b[dec.InputOffset():]); len(rest) > 0 {
		return nil, fmt.Errorf("unexpected data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}

// checkDepth scans b and fails when brackets outside strings nest deeper than MaxDepth.
func checkDepth(b []byte) error {
	depth, inStr, esc := 0, false, false
	for _, c := range b {
		switch {
		case inStr:
			if esc {
				esc = false
			} else if c == '\\' {
				esc = true
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
			if depth > MaxDepth {
				return errTooDeep
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// parseForm parses an application/x-www-form-urlencoded body into a map of strings; a
// repeated key becomes []any, a value that is a JSON object or array is parsed, and
// bracketed keys ("a[b]=1", "a[]=1") build nested maps and arrays.
func parseForm(b []byte) (map[string]any, error) {
	vals, err := url.ParseQuery(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, err
	}
	doc := map[string]any{}
	for _, k := range formKeys(b) {
		vs, ok := vals[k]
		if !ok {
			continue
		}
		delete(vals, k)
		items := make([]any, len(vs))
		for i, s := range vs {
			items[i] = formValue(s)
		}
		setFormKey(doc, k, items)
	}
	for k, v := range doc {
		doc[k] = indexedToList(v)
	}
	return doc, nil
}

// indexedToList turns maps built from indexed keys ("a[0][x]", "a[1][x]") into arrays: a map
// whose keys are exactly 0..n-1 becomes a list in index order. It recurses into values.
func indexedToList(v any) any {
	switch t := v.(type) {
	case []any:
		for i := range t {
			t[i] = indexedToList(t[i])
		}
		return t
	case map[string]any:
		for k, e := range t {
			t[k] = indexedToList(e)
		}
		list := make([]any, len(t))
		for k, e := range t {
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(t) || strconv.Itoa(i) != k || list[i] != nil {
				return t
			}
			list[i] = e
		}
		if len(list) == 0 {
			return t
		}
		return list
	}
	return v
}

// formKeys returns the distinct keys of a form body in the order they first appear.
func formKeys(b []byte) []string {
	var keys []string
	seen := map[string]bool{}
	for _, part := range strings.Split(strings.TrimSpace(string(b)), "&") {
		k, _, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil && !seen[uk] {
			seen[uk] = true
			keys = append(keys, uk)
		}
	}
	return keys
}

func formValue(s string) any {
	if t := strings.TrimSpace(s); len(t) > 1 && (t[0] == '{' || t[0] == '[') {
		if v, err := ParseJSON([]byte(t)); err == nil {
			return v
		}
	}
	return s
}

// setFormKey stores items under k; "a[b][c]" nests, "a[]" always makes an array.
func setFormKey(doc map[string]any, k string, items []any) {
	parts := splitBrackets(k)
	var val any = items
	if len(items) == 1 && parts[len(parts)-1] != "" {
		val = items[0]
	}
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	m := doc
	for i, p := range parts {
		if i == len(parts)-1 {
			if old, ok := m[p]; ok {
				m[p] = append(asList(old), asList(val)...)
			} else {
				m[p] = val
			}
			return
		}
		next, ok := m[p].(map[string]any)
		if !ok {
			if _, taken := m[p]; taken {
				m[k] = val // conflicting shapes: keep the flat key
				return
			}
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
}

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// splitBrackets splits "a[b][c]" into a, b, c and "a[]" into a, "". A malformed key is one part.
func splitBrackets(k string) []string {
	i := strings.IndexByte(k, '[')
	if i <= 0 || !strings.HasSuffix(k, "]") {
		return []string{k}
	}
	parts := []string{k[:i]}
	rest := k[i:]
	for rest != "" {
		if rest[0] != '[' {
			return []string{k}
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return []string{k}
		}
		parts = append(parts, rest[1:j])
		rest = rest[j+1:]
	}
	for _, p := range parts[1 : len(parts)-1] {
		if p == "" {
			return []string{k}
		}
	}
	return parts
}

// Decompress undoes the Content-Encoding named in h (gzip, x-gzip, deflate as zlib or raw;
// several comma-separated encodings are undone in reverse order). It returns at most limit
// bytes and truncated true when there was more, so a compression bomb costs at most limit.
// A body with no or identity encoding is returned unchanged. On a corrupt stream it returns
// what was decoded so far and the error; an unsupported encoding returns nil and an error.
func Decompress(h backend.Headers, body []byte, limit int64) (out []byte, truncated bool, err error) {
	if limit <= 0 {
		limit = MaxDecoded
	}
	var encs []string
	for _, e := range strings.Split(h.Get("Content-Encoding"), ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && e != "identity" {
			encs = append(encs, e)
		}
	}
	if len(encs) > maxLayers {
		return nil, false, fmt.Errorf("too many content encodings (%d)", len(encs))
	}
	out = body
	for i := len(encs) - 1; i >= 0; i-- {
		out, truncated, err = decompressOne(encs[i], out, limit)
		if err != nil || truncated {
			return out, truncated, err
		}
	}
	return out, false, nil
}

func decompressOne(enc string, body []byte, limit int64) ([]byte, bool, error) {
	var r io.Reader
	switch enc {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, false, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		if isZlib(body) {
			zr, err := zlib.NewReader(bytes.NewReader(body))
			if err != nil {
				return nil, false, fmt.Errorf("deflate: %w", err)
			}
			defer zr.Close()
			r = zr
		} else {
			fr := flate.NewReader(bytes.NewReader(body))
			defer fr.Close()
			r = fr
		}
	default:
		return nil, false, fmt.Errorf("unsupported content encoding %q", enc)
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	out := buf.Bytes()
	if n > limit {
		return out[:limit], true, nil
	}
	if err != nil {
		return out, false, fmt.Errorf("%s: %w", enc, err)
	}
	return out, false, nil
}

// isZlib reports whether b starts with a zlib header (RFC 1950) rather than raw deflate.
func isZlib(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}
