package schema

import (
	"fmt"
	"strings"
	"time"
)

// OpenAPIVersion is the version of the OpenAPI documents written.
const OpenAPIVersion = "3.1.0"

// OpenAPI renders the set as an OpenAPI 3.1 document: a webhooks entry per event type (a POST
// whose request body is the event type's schema), the signature header as a parameter, and
// the answers the vendor expects (any 2xx acknowledges; anything else makes it retry).
// Schemas live in components.schemas.
func (s *Set) OpenAPI() ([]byte, error) { return marshal(s.openAPI()) }

func (s *Set) openAPI() *omap {
	r := &renderer{set: s, ref: func(name string) string { return "#/components/schemas/" + name }}
	version := s.Version
	if version == "" {
		version = "all versions"
		if len(s.Versions) == 0 {
			version = "catalog"
		}
	}
	doc := newMap().set("openapi", OpenAPIVersion).
		set("info", newMap().
			set("title", s.title()+" webhooks").
			set("version", version).
			set("description", s.bundleDescription()+" Each webhook below is a POST the vendor sends to the URL you register."))
	webhooks := newMap()
	schemas := newMap()
	for _, e := range s.Events {
		name := TypeName(e.Name)
		schemas.set(name, r.event(e, false))
		webhooks.set(e.Name, newMap().set("post", s.operation(e, name)))
	}
	for _, d := range s.Defs {
		schemas.set(d.Name, r.node(d.Node, true))
	}
	doc.set("webhooks", webhooks)
	doc.set("components", newMap().set("schemas", schemas))
	return doc
}

// operation is the POST of one event type.
func (s *Set) operation(e *Event, schemaName string) *omap {
	op := newMap().set("operationId", schemaName).set("summary", e.Name)
	if e.Description != "" {
		op.set("description", e.Description)
	}
	if e.Category != "" {
		op.set("tags", []string{e.Category})
	}
	if e.Deprecated != "" {
		op.set("deprecated", true)
	}
	if s.SignatureHeader != "" {
		op.set("parameters", []any{newMap().
			set("name", s.SignatureHeader).
			set("in", "header").
			set("description", "How the delivery proves it comes from "+s.name()+": "+strings.TrimSuffix(s.SignatureMeaning, ".")+
				". Check it against the secret you configured before trusting the body.").
			set("schema", newMap().set("type", "string"))})
	}
	body := newMap().set("required", true)
	desc := "The " + e.Name + " body."
	if s.SignatureHeader == "" && s.SignatureMeaning != "" {
		desc += " How deliveries are verified: " + strings.TrimSuffix(s.SignatureMeaning, ".") + "."
	}
	if s.BodySecret != "" {
		desc += " The field " + s.BodySecret + " carries the shared secret: compare it with yours before trusting the body."
	}
	body.set("description", desc)
	media := newMap().set("schema", newMap().set("$ref", "#/components/schemas/"+schemaName))
	if e.Captured && e.Example != nil {
		media.set("example", e.Example)
	}
	body.set("content", newMap().set("application/json", media))
	op.set("requestBody", body)
	op.set("responses", newMap().
		set("2XX", newMap().set("description", "Any 2xx answer acknowledges the delivery; the body of the answer is ignored.")).
		set("default", newMap().set("description", s.retryWords())))
	return op
}

// retryWords says what an answer other than 2xx (or none in time) makes the vendor do.
func (s *Set) retryWords() string {
	rt := s.Retry
	var b strings.Builder
	b.WriteString("Any other answer")
	if rt.Timeout > 0 {
		fmt.Fprintf(&b, ", or none within %s,", dur(rt.Timeout))
	}
	switch {
	case len(rt.Delays) == 0:
		b.WriteString(" counts as a failed delivery; " + s.name() + " documents no retries, so the event may be lost.")
	default:
		var ds []string
		for _, d := range rt.Delays {
			ds = append(ds, dur(d))
		}
		fmt.Fprintf(&b, " makes %s retry: %d more attempts, waiting %s between attempts", s.name(), len(rt.Delays), strings.Join(ds, ", "))
		if !rt.Exact {
			b.WriteString(" (approximately: the vendor does not give an exact schedule)")
		}
		b.WriteString(".")
	}
	if rt.CorrelationHeader != "" {
		fmt.Fprintf(&b, " Retries carry the same %s header.", rt.CorrelationHeader)
	}
	if rt.Why != "" {
		b.WriteString(" Source: " + strings.TrimSuffix(rt.Why, ".") + ".")
	}
	return b.String()
}

// name is the vendor's display name (its id when it has none).
func (s *Set) name() string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return s.Vendor
}

func dur(d time.Duration) string {
	if d%time.Second == 0 {
		return (d).String()
	}
	return d.Round(time.Millisecond).String()
}
