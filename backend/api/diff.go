package api

import (
	"context"
	"net/http"
	"strings"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/diff"
)

// maxDiffEvents bounds the events of each conversation a conversation diff compares.
const maxDiffEvents = 2000

func (s *Server) diffRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/diff", s.diffDeliveries)
	mux.HandleFunc("GET /api/v1/diff/conversations", s.diffConversations)
	mux.HandleFunc("GET /api/v1/deliveries/{id}/catalog", s.catalogComparison)
}

// DeliveryDiff is GET /api/v1/diff?a=ID&b=ID: what changed from delivery a to delivery b.
// ignore_volatile=1 hides fields and headers that differ on every delivery; header_case=1
// compares header names case-sensitively; header_order=1 reports headers in another order.
type DeliveryDiff = diff.DeliveryDiff

// ConversationDiff is GET /api/v1/diff/conversations?a=VENDOR/ID&b=VENDOR/ID: the events of
// two conversations aligned, with the field changes of each aligned pair (volatile ignored).
type ConversationDiff = diff.ConversationDiff

// CatalogComparison is GET /api/v1/deliveries/{id}/catalog: the delivery against its event
// type's documented shape.
type CatalogComparison = decode.CatalogComparison

func boolParam(r *http.Request, name string) bool {
	switch strings.ToLower(r.URL.Query().Get(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// DiffSide reads delivery id for a comparison.
func (s *Server) diffSide(ctx context.Context, param, id string) (diff.Side, error) {
	if id == "" {
		return diff.Side{}, backend.Errorf(backend.EINVALID, "diff: %s is required (a delivery id)", param)
	}
	v, err := s.Store.FindDeliveryByID(ctx, id)
	if err != nil {
		if backend.ErrorCode(err) == backend.ENOTFOUND {
			return diff.Side{}, backend.Errorf(backend.ENOTFOUND, "diff: %s: no delivery %s", param, id)
		}
		return diff.Side{}, err
	}
	return diff.Side{Delivery: &v.Delivery, Event: v.Event, DuplicateOf: v.DuplicateOf, Label: id}, nil
}

func (s *Server) diffDeliveries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a, err := s.diffSide(r.Context(), "a", q.Get("a"))
	if err != nil {
		writeError(w, err)
		return
	}
	b, err := s.diffSide(r.Context(), "b", q.Get("b"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, diff.Deliveries(s.Registry, a, b, diff.DeliveryOptions{IgnoreVolatile: boolParam(r, "ignore_volatile"),
		Headers: diff.HeaderOptions{Case: boolParam(r, "header_case"), Order: boolParam(r, "header_order")}}))
}

func (s *Server) catalogComparison(w http.ResponseWriter, r *http.Request) {
	v, err := s.Store.FindDeliveryByID(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	if v.Refused != "" {
		writeError(w, backend.Errorf(backend.EINVALID, "delivery %s was refused (%s): no body to compare", v.ID, v.Refused))
		return
	}
	writeJSON(w, http.StatusOK, s.Registry.CompareCatalog(&v.Delivery, v.Event))
}

// ConversationEvents loads the events of conversation vendor/id, with their deliveries, for a
// comparison; ENOTFOUND when there is no such conversation, EINVALID when it is too long.
func ConversationEvents(ctx context.Context, tl backend.TimelineReader, store backend.DeliveryReader, vendor, id string) ([]diff.ConversationEvent, error) {
	t, err := tl.ConversationTimeline(ctx, vendor, id, backend.TimelineFilter{Limit: maxDiffEvents})
	if err != nil {
		return nil, err
	}
	if t.Next != "" {
		return nil, backend.Errorf(backend.EINVALID, "conversation %s/%s has %d events; a diff compares at most %d", vendor, id, t.Total, maxDiffEvents)
	}
	out := make([]diff.ConversationEvent, 0, len(t.Items))
	for _, it := range t.Items {
		ce := diff.ConversationEvent{Item: it}
		if it.DuplicateOf == "" {
			v, err := store.FindDeliveryByID(ctx, it.DeliveryID)
			if err != nil && backend.ErrorCode(err) != backend.ENOTFOUND {
				return nil, err
			}
			if v != nil {
				ce.Delivery, ce.Event = &v.Delivery, v.Event
			}
		}
		out = append(out, ce)
	}
	return out, nil
}

// ParseConversationRef reads "VENDOR/ID" (the id may hold slashes); EINVALID otherwise.
func ParseConversationRef(what, ref string) (string, string, error) {
	vendor, id, ok := strings.Cut(ref, "/")
	if !ok || vendor == "" || id == "" {
		return "", "", backend.Errorf(backend.EINVALID, "%s: %q is not VENDOR/ID", what, ref)
	}
	return strings.ToLower(vendor), id, nil
}

func (s *Server) diffConversations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var sides [2]diff.ConversationSide
	var events [2][]diff.ConversationEvent
	for i, p := range []string{"a", "b"} {
		vendor, id, err := ParseConversationRef(p, q.Get(p))
		if err != nil {
			writeError(w, err)
			return
		}
		if events[i], err = ConversationEvents(r.Context(), s.Timelines, s.Store, vendor, id); err != nil {
			writeError(w, err)
			return
		}
		sides[i] = diff.ConversationSide{Vendor: vendor, ID: id}
	}
	writeJSON(w, http.StatusOK, diff.Conversations(s.Registry, sides[0], sides[1], events[0], events[1]))
}
