// Package export writes selections of deliveries as fixture folders (or zips), NDJSON and HAR 1.2, optionally scrubbed, and imports all three back.
package export

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hooklens/backend"
)

// Formats.
const (
	FormatFixtures = "fixtures" // a folder: one file per delivery and manifest.json
	FormatZip      = "zip"      // the fixture folder as a .zip
	FormatNDJSON   = "ndjson"   // one delivery per line
	FormatHAR      = "har"      // HAR 1.2
)

// Version is the version of the exported files.
const Version = 1

// Body encodings a Record names.
const (
	BodyRaw      = "raw"           // fixture file: the body bytes exactly as received
	BodyIndented = "json_indented" // fixture file: JSON indented for reading; import compacts it back
	BodyText     = "text"          // NDJSON/HAR: body holds the bytes as UTF-8 text
	BodyBase64   = "base64"        // NDJSON/HAR: body_base64 (or HAR text) holds the bytes in base64
	BodyNone     = "none"          // the receiver did not keep the body (refused)
)

// timeFormat is RFC 3339 in UTC with microseconds, as the API writes times.
const timeFormat = "2006-01-02T15:04:05.000000Z07:00"

// Record is the metadata of one exported delivery, the same in every format: a manifest entry,
// an NDJSON line (with the body), the _hooklens field of a HAR entry.
type Record struct {
	File         string                   `json:"file,omitempty"`
	ID           string                   `json:"id"`
	ReceivedAt   string                   `json:"received_at"`
	OffsetMS     float64                  `json:"offset_ms"`
	Method       string                   `json:"method"`
	Path         string                   `json:"path"`
	PathBase64   string                   `json:"path_base64,omitempty"`
	Query        string                   `json:"query"`
	QueryBase64  string                   `json:"query_base64,omitempty"`
	Headers      Headers                  `json:"headers"`
	ContentType  string                   `json:"content_type"`
	Size         int64                    `json:"size"`
	RemoteAddr   string                   `json:"remote_addr"`
	Status       int                      `json:"status"`
	Refused      string                   `json:"refused,omitempty"`
	Source       string                   `json:"source"`
	Vendor       string                   `json:"vendor"`
	EventType    string                   `json:"event_type"`
	OccurredAt   string                   `json:"occurred_at,omitempty"`
	Conversation *backend.ConversationRef `json:"conversation,omitempty"`
	Verification backend.Verification     `json:"verification"`
	BodyEncoding string                   `json:"body_encoding"`
	BodySHA256   string                   `json:"body_sha256,omitempty"`
	Body         *string                  `json:"body,omitempty"`
	BodyBase64   *string                  `json:"body_base64,omitempty"`
}

// Headers are request headers in arrival order. Each marshals as [name, value]; a header whose
// name or value is not valid UTF-8 marshals as [base64(name), base64(value), "base64"] so that
// every byte survives.
type Headers backend.Headers

// MarshalJSON encodes the headers as an array of pairs.
func (hs Headers) MarshalJSON() ([]byte, error) {
	buf := []byte{'['}
	for i, h := range hs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		if utf8.ValidString(h.Name) && utf8.ValidString(h.Value) {
			buf = appendString(buf, h.Name)
			buf = append(buf, ',')
			buf = appendString(buf, h.Value)
		} else {
			buf = appendString(buf, base64.StdEncoding.EncodeToString([]byte(h.Name)))
			buf = append(buf, ',')
			buf = appendString(buf, base64.StdEncoding.EncodeToString([]byte(h.Value)))
			buf = append(buf, `,"base64"`...)
		}
		buf = append(buf, ']')
	}
	return append(buf, ']'), nil
}

// UnmarshalJSON decodes an array of pairs (or base64 triples).
func (hs *Headers) UnmarshalJSON(b []byte) error {
	var raw [][]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Headers, 0, len(raw))
	for _, p := range raw {
		switch {
		case len(p) == 2:
			out = append(out, backend.Header{Name: p[0], Value: p[1]})
		case len(p) == 3 && p[2] == "base64":
			n, err1 := base64.StdEncoding.DecodeString(p[0])
			v, err2 := base64.StdEncoding.DecodeString(p[1])
			if err := errors.Join(err1, err2); err != nil {
				return err
			}
			out = append(out, backend.Header{Name: string(n), Value: string(v)})
		default:
			return errors.New("a header is not [name, value]")
		}
	}
	*hs = out
	return nil
}

// appendString appends s as a JSON string, like encoding/json without HTML escaping; invalid
// UTF-8 becomes U+FFFD.
func appendString[T string | []byte](buf []byte, s T) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := decodeRune(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			buf = append(buf, s[start:i]...)
			switch r {
			case '\u2028':
				buf = append(buf, `\u2028`...)
			case '\u2029':
				buf = append(buf, `\u2029`...)
			default:
				buf = append(buf, `\ufffd`...)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

func decodeRune[T string | []byte](s T) (rune, int) {
	switch v := any(s).(type) {
	case string:
		return utf8.DecodeRuneInString(v)
	case []byte:
		return utf8.DecodeRune(v)
	}
	return utf8.RuneError, 1
}

// newRecord returns the metadata of it (whose delivery may be a scrubbed copy d). first is the
// received time of the first exported delivery.
func newRecord(it *backend.Item, d *backend.Delivery, first time.Time) *Record {
	r := &Record{
		ID: d.ID, ReceivedAt: d.ReceivedAt.UTC().Format(timeFormat), Method: d.Method,
		Path: d.Path, Query: d.Query, Headers: Headers(d.Headers), ContentType: d.ContentType,
		Size: d.Size, RemoteAddr: d.RemoteAddr, Status: d.Status, Refused: d.Refused, Source: d.Source,
		Vendor: backend.VendorUnknown,
	}
	if r.Headers == nil {
		r.Headers = Headers{}
	}
	if !utf8.ValidString(d.Path) {
		r.Path, r.PathBase64 = strings.ToValidUTF8(d.Path, "\uFFFD"), base64.StdEncoding.EncodeToString([]byte(d.Path))
	}
	if !utf8.ValidString(d.Query) {
		r.Query, r.QueryBase64 = strings.ToValidUTF8(d.Query, "\uFFFD"), base64.StdEncoding.EncodeToString([]byte(d.Query))
	}
	off := d.ReceivedAt.Sub(first).Microseconds()
	r.OffsetMS, _ = strconv.ParseFloat(strconv.FormatFloat(float64(off)/1000, 'f', 3, 64), 64)
	if it.Origin != "" {
		r.Source = it.Origin
	}
	if ev := it.Event; ev != nil {
		r.Vendor, r.EventType, r.Conversation, r.Verification = ev.Vendor, ev.EventType, ev.Conversation, ev.Verification
		if ev.OccurredAt != nil {
			r.OccurredAt = ev.OccurredAt.UTC().Format(timeFormat)
		}
	}
	if it.OriginVerification != nil {
		r.Verification = *it.OriginVerification
	}
	if d.Refused != "" {
		r.BodyEncoding = BodyNone
	}
	return r
}

// delivery rebuilds the delivery r describes (without its body), marked as imported.
func (r *Record) delivery() (*backend.Delivery, error) {
	d := &backend.Delivery{ID: r.ID, Method: r.Method, Path: r.Path, Query: r.Query,
		Headers: backend.Headers(r.Headers), Size: r.Size, RemoteAddr: r.RemoteAddr, Status: r.Status,
		Refused: r.Refused, Source: backend.SourceImport}
	if r.ReceivedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, r.ReceivedAt)
		if err != nil {
			return nil, backend.Errorf(backend.EINVALID, "delivery %s: received_at %q is not an RFC 3339 time", r.ID, r.ReceivedAt)
		}
		d.ReceivedAt = t
	}
	for _, f := range []struct {
		b64 string
		dst *string
	}{{r.PathBase64, &d.Path}, {r.QueryBase64, &d.Query}} {
		if f.b64 != "" {
			b, err := base64.StdEncoding.DecodeString(f.b64)
			if err != nil {
				return nil, backend.Errorf(backend.EINVALID, "delivery %s: bad base64: %v", r.ID, err)
			}
			*f.dst = string(b)
		}
	}
	if d.Method == "" {
		d.Method = "POST"
	}
	if d.Path == "" {
		d.Path = "/"
	}
	if d.Headers == nil {
		d.Headers = backend.Headers{}
	}
	if d.Status == 0 {
		d.Status = 200
	}
	fillFromHeaders(d)
	return d, nil
}

// fillFromHeaders sets what the receiver derives from the headers: content type and the
// forwarding headers a tunnel adds.
func fillFromHeaders(d *backend.Delivery) {
	d.ContentType = d.Headers.Get("Content-Type")
	var xff []string
	for _, h := range d.Headers {
		if strings.EqualFold(h.Name, "X-Forwarded-For") {
			xff = append(xff, h.Value)
		}
	}
	d.ForwardedFor = strings.Join(xff, ", ")
	d.ForwardedProto = d.Headers.Get("X-Forwarded-Proto")
	d.ForwardedHost = d.Headers.Get("X-Forwarded-Host")
	d.ConnectingIP = d.Headers.Get("CF-Connecting-IP")
}

// importOf returns the store import of r with body.
func (r *Record) importOf(body []byte, file string) (backend.Import, error) {
	d, err := r.delivery()
	if err != nil {
		return backend.Import{}, err
	}
	if r.BodyEncoding == BodyNone || (r.Refused != "" && len(body) == 0) {
		d.Body = nil
	} else {
		d.Body = body
		if d.Refused == "" {
			d.Size = int64(len(body))
		}
	}
	imp := backend.Import{Delivery: d, Origin: r.Source, File: file}
	if r.Verification.Status != "" || r.Verification.Reason != "" {
		v := r.Verification
		imp.Verification = &v
	}
	return imp, nil
}
