package schema

import (
	"context"
	"crypto/rand"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/export"
)

// Source reads stored deliveries (the store's EachDelivery, as export uses it).
type Source interface {
	EachDelivery(ctx context.Context, sel backend.Selection, order backend.Order, fn func(*backend.Item) error) error
}

// MaxInferred bounds how many captures a generic set keeps in memory to infer its types from.
const MaxInferred = 20000

// Observation says what Observe merged.
type Observation struct {
	Deliveries int // deliveries read
	Merged     int // merged into the set
	Skipped    int // not JSON objects (form bodies, empty or broken bodies)
}

// Observe merges the stored deliveries of the set's vendor that query selects (all of them
// when query is ""), in arrival order, and gives each event type the newest capture,
// scrubbed, as its example. For a generic set it reads the deliveries no vendor claimed
// (at most MaxInferred) and infers the set from them. chosen is true when the set was built
// for chosen event types: captures of other event types are then left out.
func Observe(ctx context.Context, src Source, reg *decode.Registry, s *Set, query string, chosen bool) (*Set, Observation, error) {
	var ob Observation
	sel := backend.Selection{Query: strings.TrimSpace(query)}
	if !s.Generic {
		sel.Query = strings.TrimSpace("vendor:" + s.Vendor + " " + sel.Query)
	}
	latest := map[string]*backend.Delivery{}
	var inferred []Capture
	err := src.EachDelivery(ctx, sel, backend.ByArrival, func(it *backend.Item) error {
		ob.Deliveries++
		ev := it.Event
		if s.Generic && ev != nil && ev.Vendor != "" && ev.Vendor != backend.VendorUnknown {
			return nil
		}
		in := decode.Prepare(&it.Delivery)
		if in.Form || in.Object() == nil {
			ob.Skipped++
			return nil
		}
		c := Capture{Doc: in.Doc, At: it.ReceivedAt}
		if ev != nil {
			c.Event = ev.EventType
		}
		if s.Generic {
			if len(inferred) < MaxInferred {
				inferred = append(inferred, c)
				d := it.Delivery
				latest[""] = &d
			}
			return nil
		}
		if s.Add(c, chosen) {
			ob.Merged++
			d := it.Delivery
			latest[c.Event] = &d
		}
		return nil
	})
	if err != nil {
		return s, ob, err
	}
	if s.Generic {
		s = Infer(s.Vendor, inferred)
		ob.Merged = len(inferred)
	} else {
		s.Finish()
	}
	// examples: the newest capture of each event type, scrubbed
	key := make([]byte, 32)
	rand.Read(key)
	sc := export.NewScrubber(key, "hooklens-example", reg)
	for _, e := range s.Events {
		d := latest[e.Name]
		if s.Generic {
			d = nil // inferred types keep no example: which body is whose is not known here
		}
		if d == nil {
			continue
		}
		clean := sc.Delivery(d, s.Vendor)
		if doc, err := decode.ParseJSON(clean.Body); err == nil {
			e.Example, e.Captured = doc, true
		}
	}
	return s, ob, nil
}
