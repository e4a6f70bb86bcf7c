package schema

import (
	"maps"
	"slices"
	"time"

	"hooklens/backend/decode"
)

// Capture is one captured delivery body to merge into a set.
type Capture struct {
	Event string    // its event type, as decoded ("" when unknown)
	Doc   any       // the parsed body (decode.ParseJSON)
	At    time.Time // when it was received
	// Example is the body with personal data and secrets scrubbed, to show as an example;
	// nil to show none.
	Example any
}

// Merge adds what captures show to the set: members the catalog lacks are added (marked
// observed, not documented), types are widened to what was seen, documented required members
// count the deliveries they were absent from, and each event type counts its deliveries.
// Event types the catalog lacks are inferred from their captures, unless the set was built
// for chosen event types. Shared definitions are found again afterwards.
func (s *Set) Merge(caps []Capture, chosen bool) {
	for _, c := range caps {
		s.Add(c, chosen)
	}
	s.Finish()
}

// Add merges one capture (see Merge); call Finish after the last one. It reports whether the
// capture was merged (an object body of an event type of the set, or one to infer).
func (s *Set) Add(c Capture, chosen bool) bool {
	if _, ok := c.Doc.(map[string]any); !ok {
		return false
	}
	e := s.Event(c.Event)
	if e == nil {
		if chosen || c.Event == "" {
			return false
		}
		e = &Event{Name: c.Event, Root: &Node{}, Description: "Not in the catalog: inferred from captured deliveries."}
		s.Events = append(s.Events, e)
	}
	if e.Observed == nil {
		e.Observed = &Observed{}
	}
	e.Observed.see(c.At)
	merge(e.Root, c.Doc, c.At)
	if c.Example != nil && (!e.Captured || !c.At.Before(e.Observed.LastSeen)) {
		e.Example, e.Captured = c.Example, true
	}
	return true
}

// Finish completes a merge: inferred members seen every time become required, inferred event
// types are pinned to the discriminator, and shared definitions are found again.
func (s *Set) Finish() {
	for _, e := range s.Events {
		inferRequired(e.Root)
		if !e.Pinned {
			e.pin(s.Discriminator)
		}
	}
	s.share()
}

// merge walks a captured value v at node n.
func merge(n *Node, v any, at time.Time) {
	if n.Observed == nil {
		n.Observed = &Observed{}
	}
	n.Observed.see(at)
	t := decode.JSONType(v)
	switch {
	case !n.Documented:
		n.Types = addType(n.Types, t)
	case n.Implied:
	case n.Types != nil && !n.Allows(t):
		n.Types = addType(n.Types, t)
		if !slices.Contains(n.Widened, t) {
			n.Widened = append(n.Widened, t)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		keys := slices.Sorted(maps.Keys(x))
		anyMembers := n.Documented && !n.Implied && n.Types == nil && len(n.Props) == 0 && n.Star == nil
		for _, k := range keys {
			c := n.Prop(k)
			if c == nil && n.Star != nil {
				c = n.Star
			}
			if c == nil {
				c = &Node{Key: k}
				n.Props = append(n.Props, c)
				if anyMembers {
					n.Open = true // the catalog accepted any member here: it still does
				}
			}
			merge(c, x[k], at)
		}
		for _, c := range n.Props {
			if _, ok := x[c.Key]; !ok && c.Documented && c.Required {
				c.Absent++
			}
		}
	case []any:
		if n.Elem == nil {
			n.Elem = &Node{Key: "[]"}
		}
		for _, e := range x {
			merge(n.Elem, e, at)
		}
	}
}

// addType adds JSON type t to ts: "integer" and "number" merge into "number".
func addType(ts []string, t string) []string {
	switch {
	case t == "" || slices.Contains(ts, t):
		return ts
	case t == "integer" && slices.Contains(ts, "number"):
		return ts
	case t == "number" && slices.Contains(ts, "integer"):
		i := slices.Index(ts, "integer")
		out := slices.Clone(ts)
		out[i] = "number"
		return out
	}
	return append(slices.Clone(ts), t)
}

// inferRequired marks an inferred member of an inferred object required when every object its
// parent was seen as held it. (A member the catalog lacks under a documented object stays
// optional: the catalog is the better judge there.)
func inferRequired(n *Node) {
	for _, c := range n.children() {
		inferRequired(c)
	}
	if n.Observed == nil || n.Documented {
		return
	}
	for _, c := range n.Props {
		if !c.Documented && c.Observed != nil && c.Observed.Count == n.Observed.Count && onlyObject(n) {
			c.Required = true
		}
	}
}

func onlyObject(n *Node) bool { return len(n.Types) == 1 && n.Types[0] == "object" }

// discriminatorKeys are the top-level keys a body of an unknown platform most often names its
// event type with, in the order they are tried.
var discriminatorKeys = []string{"type", "event", "event_type", "eventType", "action", "topic", "kind"}

// Infer builds a set from captures alone, for a platform without a catalog: when every body
// names its event type in the same top-level string field (type, event, action…), there is a
// type per value; otherwise one type, "event", merges every body.
func Infer(vendor string, caps []Capture) *Set {
	s := &Set{Vendor: vendor, DisplayName: vendor, Generic: true}
	var objs []map[string]any
	for _, c := range caps {
		if m, ok := c.Doc.(map[string]any); ok {
			objs = append(objs, m)
		}
	}
	if len(objs) > 0 {
		for _, k := range discriminatorKeys {
			all := true
			for _, m := range objs {
				if v, ok := m[k].(string); !ok || v == "" {
					all = false
					break
				}
			}
			if all {
				s.Discriminator = k
				break
			}
		}
	}
	named := make([]Capture, 0, len(caps))
	for _, c := range caps {
		if m, ok := c.Doc.(map[string]any); ok {
			c.Event = "event"
			if s.Discriminator != "" {
				c.Event = m[s.Discriminator].(string)
			}
			named = append(named, c)
		}
	}
	s.Merge(named, false)
	return s
}
