// Package schema turns a vendor's catalog (and, optionally, what was really captured) into
// artefacts integrators use: JSON Schema 2020-12, an OpenAPI 3.1 document, a TypeScript module
// and a Go package. The catalog's path patterns are built once into a tree of nodes per event
// type; each output format is one file of this package that renders that tree.
package schema

import (
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Node is one field of an event type's body: an object member, the elements of an array
// ("[]"), or any member of a free-form map ("*").
type Node struct {
	Key         string   // object key; "[]" for array elements, "*" for any key
	Types       []string // JSON types it may have; nil means any
	Enum        []string // documented values (as written in the catalog)
	Const       string   // the event type's name, on the discriminator field
	Format      string
	Description string
	Required    bool
	Open        bool // accepts members it does not describe
	Deprecated  string
	decode.Range
	RenamedTo   string
	RenamedFrom []string
	// Documented is false for a node only seen in captures (or a path step the catalog only
	// implies, such as "message" above "message.event.id").
	Documented bool
	Implied    bool // a step the catalog implies but does not describe itself

	Props []*Node // object members, in declaration order
	Star  *Node   // any other member
	Elem  *Node   // array elements

	Observed *Observed // what captures showed, when merged
	Widened  []string  // types seen that the catalog does not document
	Absent   int       // deliveries where this documented required field was missing

	def *Def // the shared definition this node renders as, if any
}

// Observed says how often and when a field was seen in captures.
type Observed struct {
	Count     int       `json:"count"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

func (o *Observed) see(at time.Time) {
	o.Count++
	if !at.IsZero() && (o.FirstSeen.IsZero() || at.Before(o.FirstSeen)) {
		o.FirstSeen = at
	}
	if at.After(o.LastSeen) {
		o.LastSeen = at
	}
}

// Prop returns the member named key, or nil.
func (n *Node) Prop(key string) *Node {
	for _, p := range n.Props {
		if p.Key == key {
			return p
		}
	}
	return nil
}

// Allows reports whether n may hold a value of JSON type t ("integer" fits "number").
func (n *Node) Allows(t string) bool {
	if n.Types == nil {
		return true
	}
	for _, have := range n.Types {
		if have == t || have == "any" || (have == "number" && t == "integer") {
			return true
		}
	}
	return false
}

// IsObject reports whether n is (or may be) an object with described members.
func (n *Node) IsObject() bool {
	return len(n.Props) > 0 || n.Star != nil || (len(n.Types) == 1 && n.Types[0] == "object")
}

// Event is one event type of a vendor with its body tree.
type Event struct {
	Name        string
	Description string
	Category    string
	Deprecated  string
	Family      string
	decode.Range
	RenamedTo   string
	RenamedFrom []string
	Root        *Node
	// Pinned is true when the body names the event type at the vendor's discriminator path
	// (Root holds a Const there); other event types are told apart by their own fields.
	Pinned bool
	// Example is a body of this event type: a scrubbed capture when merged, else one made up
	// from the documented fields (see Example).
	Example  any
	Captured bool // Example is a capture
	Observed *Observed
}

// Set is everything rendered for one vendor (and version): its event types, shared
// definitions and what the OpenAPI document says of signatures and retries.
type Set struct {
	Vendor      string
	DisplayName string
	Version     string // "" = every version of the catalog
	Versions    []decode.APIVersion
	// Discriminator is the body path of the event type ("action"); "" when the vendor has none.
	Discriminator string
	Events        []*Event
	Defs          []*Def
	// Signature is how deliveries are authenticated: a header (Name, Meaning) or nothing.
	SignatureHeader, SignatureMeaning string
	// BodySecret is the body field that carries the vendor's shared secret ("secret_key"), if any.
	BodySecret string
	Retry      backend.Retry
	// Generic is true for a set inferred from captures only (no catalog).
	Generic bool
}

// Event returns the event type named name, or nil.
func (s *Set) Event(name string) *Event {
	for _, e := range s.Events {
		if e.Name == name {
			return e
		}
	}
	return nil
}
