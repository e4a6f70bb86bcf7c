package decode

import (
	"strings"
)

// Volatile is a vendor whose deliveries carry fields and headers that differ on every delivery
// of the same event type, or even on every attempt of one event: secrets, signatures, event and
// delivery ids. A diff hides them when asked to. Ids and times are recognised for every vendor
// (Registry.VolatileField); a vendor names here what those generic rules cannot tell.
type Volatile interface {
	// VolatileFields returns catalog path patterns ("secret_key", "payload.chat.thread.id").
	VolatileFields() []string
	// VolatileHeaders returns header names, compared case-insensitively.
	VolatileHeaders() []string
}

// genericHeaders differ per request whatever the sender: dates, request and trace ids, and what
// proxies and tunnels add.
var genericHeaders = []string{"date", "content-length", "x-request-id", "x-correlation-id", "traceparent", "tracestate",
	"x-amzn-trace-id", "x-cloud-trace-context", "x-b3-traceid", "x-b3-spanid", "cf-ray", "cf-connecting-ip",
	"cf-ipcountry", "cdn-loop", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip",
	"forwarded", "via", "x-hooklens-probe"}

// VolatileField returns the test a diff uses to mark a body field of vendor's deliveries as
// volatile: a pattern the vendor names (Volatile), a key that is an id or a time by its name
// ("id", "chat_id", "eventId", "created_at", "timestamp"), or a string value on either side that
// reads as a date and time. It never returns nil.
func (r *Registry) VolatileField(vendor string) func(pattern string, a, b any) bool {
	var own []string
	if v, ok := r.Vendor(vendor).(Volatile); ok {
		own = v.VolatileFields()
	}
	return func(pattern string, a, b any) bool {
		for _, p := range own {
			if patternMatches(p, pattern) {
				return true
			}
		}
		if idOrTimeKey(lastKey(pattern)) {
			return true
		}
		return timeString(a) || timeString(b)
	}
}

// VolatileHeader returns the test a diff uses to mark a header of vendor's deliveries as
// volatile: the generic per-request headers, the vendor's signature, token and retry
// correlation headers, and the headers it names (Volatile). It never returns nil.
func (r *Registry) VolatileHeader(vendor string) func(name string) bool {
	names := map[string]bool{}
	for _, h := range genericHeaders {
		names[h] = true
	}
	v := r.Vendor(vendor)
	if s, ok := v.(Signer); ok {
		names[strings.ToLower(s.SignatureHeader())] = true
	}
	if t, ok := v.(TokenHeaders); ok {
		names[strings.ToLower(t.TokenHeader())] = true
	}
	if v != nil {
		if h := v.Rules().Retry.CorrelationHeader; h != "" {
			names[strings.ToLower(h)] = true
		}
	}
	if vv, ok := v.(Volatile); ok {
		for _, h := range vv.VolatileHeaders() {
			names[strings.ToLower(h)] = true
		}
	}
	return func(name string) bool { return names[strings.ToLower(name)] }
}

// patternMatches reports whether the concrete pattern (indexes as "[]") matches p, a pattern
// that may hold "*" for any single key.
func patternMatches(p, pattern string) bool {
	ps, qs := patternSegs(p), patternSegs(pattern)
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != qs[i] && !(ps[i] == "*" && qs[i] != "[]") {
			return false
		}
	}
	return true
}

func lastKey(pattern string) string {
	segs := patternSegs(pattern)
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] != "[]" {
			return segs[i]
		}
	}
	return ""
}

// idOrTimeKey reports whether a key names an identifier or a point in time.
func idOrTimeKey(k string) bool {
	l := strings.ToLower(k)
	switch l {
	case "id", "_id", "uuid", "guid", "timestamp", "@timestamp", "time", "date", "datetime", "created", "updated":
		return true
	}
	for _, suffix := range []string{"_id", "_uuid", "_at", "_time", "_date", "_timestamp"} {
		if strings.HasSuffix(l, suffix) {
			return true
		}
	}
	// camelCase: chatId, eventID, createdAt, sentDate
	for _, suffix := range []string{"Id", "ID", "Uuid", "At", "Time", "Date", "Timestamp"} {
		if strings.HasSuffix(k, suffix) && len(k) > len(suffix) {
			c := k[len(k)-len(suffix)-1]
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
				return true
			}
		}
	}
	return false
}

// timeString reports whether v is a string that reads as a date and time (not a bare number).
func timeString(v any) bool {
	s, ok := v.(string)
	if !ok || len(s) < 16 || isDigits(s) {
		return false
	}
	return Time(s) != nil
}
