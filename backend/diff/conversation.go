package diff

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Step kinds of a conversation diff.
const (
	StepSame     = "same"     // aligned, no field differs (volatile ones ignored)
	StepChanged  = "changed"  // aligned, some fields (or the actors' roles) differ
	StepMissing  = "missing"  // in A only: B never got it
	StepInserted = "inserted" // in B only
)

// ConversationEvent is one event of a conversation to compare: its timeline item and its
// delivery (with body) and event, both nil when only the item is known.
type ConversationEvent struct {
	Item     backend.TimelineItem
	Delivery *backend.Delivery
	Event    *backend.Event
}

// StepEvent is what a conversation diff shows of one event.
type StepEvent struct {
	DeliveryID string `json:"delivery_id"`
	EventType  string `json:"event_type"`
	At         string `json:"at"`
	Summary    string `json:"summary"`
	Roles      string `json:"roles"` // the actors' kinds and roles ("agent author, customer requester")
	ThreadID   string `json:"thread_id"`
}

// Step is one row of an aligned conversation diff.
type Step struct {
	Kind         string        `json:"kind"`
	A            *StepEvent    `json:"a"`
	B            *StepEvent    `json:"b"`
	RolesDiffer  bool          `json:"roles_differ"`
	Fields       []FieldChange `json:"fields"`
	HiddenFields int           `json:"hidden_fields"`
}

// ConversationSide names a compared conversation.
type ConversationSide struct {
	Vendor string `json:"vendor"`
	ID     string `json:"id"`
	Events int    `json:"events"` // events compared (retries left out)
}

// ConversationDiff is two conversations' events aligned.
type ConversationDiff struct {
	A        ConversationSide `json:"a"`
	B        ConversationSide `json:"b"`
	Steps    []Step           `json:"steps"`
	Same     int              `json:"same"`
	Changed  int              `json:"changed"`
	Missing  int              `json:"missing"`
	Inserted int              `json:"inserted"`
	Verdict  string           `json:"verdict"`
}

// Conversations aligns the events of two conversations (retries left out) on the longest
// common subsequence of their event types with their actors' roles, pairs what remains by event
// type alone, and compares each pair's bodies with volatile fields ignored.
func Conversations(reg *decode.Registry, a, b ConversationSide, ea, eb []ConversationEvent) ConversationDiff {
	ea, eb = firsts(ea), firsts(eb)
	a.Events, b.Events = len(ea), len(eb)
	strict := func(es []ConversationEvent) ([]string, []string) {
		s, l := make([]string, len(es)), make([]string, len(es))
		for i, e := range es {
			l[i] = e.Item.EventType
			s[i] = e.Item.EventType + "|" + roles(e.Item.Actors)
		}
		return s, l
	}
	sa, la := strict(ea)
	sb, lb := strict(eb)
	out := ConversationDiff{A: a, B: b, Steps: []Step{}}
	for _, p := range Align(sa, sb, la, lb) {
		var st Step
		switch {
		case p.A >= 0 && p.B >= 0:
			st = compareEvents(reg, ea[p.A], eb[p.B])
			st.RolesDiffer = sa[p.A] != sb[p.B]
			st.Kind = StepSame
			if st.RolesDiffer || len(st.Fields) > 0 {
				st.Kind = StepChanged
				out.Changed++
			} else {
				out.Same++
			}
		case p.A >= 0:
			st = Step{Kind: StepMissing, A: stepEvent(ea[p.A]), Fields: []FieldChange{}}
			out.Missing++
		default:
			st = Step{Kind: StepInserted, B: stepEvent(eb[p.B]), Fields: []FieldChange{}}
			out.Inserted++
		}
		out.Steps = append(out.Steps, st)
	}
	out.Verdict = fmt.Sprintf("%d aligned the same, %d changed, %d only in A (missing from B), %d only in B", out.Same, out.Changed, out.Missing, out.Inserted)
	if out.Changed+out.Missing+out.Inserted == 0 {
		out.Verdict = fmt.Sprintf("the same %d events, in the same order (volatile fields ignored)", out.Same)
	}
	return out
}

// firsts drops retries and orders events as their timeline does (when they happened, then arrival).
func firsts(es []ConversationEvent) []ConversationEvent {
	out := make([]ConversationEvent, 0, len(es))
	for _, e := range es {
		if e.Item.DuplicateOf == "" {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ti, tj := out[i].Item.At(), out[j].Item.At()
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return out[i].Item.Seq < out[j].Item.Seq
	})
	return out
}

// roles is the sorted, distinct kinds and roles of actors ("agent author, customer requester").
func roles(actors []backend.Actor) string {
	seen := map[string]bool{}
	var list []string
	for _, a := range actors {
		r := a.Kind + " " + a.Role
		if !seen[r] {
			seen[r] = true
			list = append(list, r)
		}
	}
	sort.Strings(list)
	return strings.Join(list, ", ")
}

func stepEvent(e ConversationEvent) *StepEvent {
	it := e.Item
	return &StepEvent{DeliveryID: it.DeliveryID, EventType: it.EventType, At: it.At().UTC().Format(time.RFC3339Nano),
		Summary: it.Summary, Roles: roles(it.Actors), ThreadID: it.ThreadID}
}

func compareEvents(reg *decode.Registry, a, b ConversationEvent) Step {
	st := Step{A: stepEvent(a), B: stepEvent(b), Fields: []FieldChange{}}
	if a.Delivery == nil || b.Delivery == nil {
		return st
	}
	d := Deliveries(reg, Side{Delivery: a.Delivery, Event: a.Event}, Side{Delivery: b.Delivery, Event: b.Event},
		DeliveryOptions{IgnoreVolatile: true})
	st.Fields, st.HiddenFields = d.Fields, d.HiddenFields
	return st
}
