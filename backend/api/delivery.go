package api

import (
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// timeFormat is RFC 3339 in UTC with microseconds.
const timeFormat = "2006-01-02T15:04:05.000000Z07:00"

// maxShownBody bounds the body returned inline by the detail; the rest is at /body.
const maxShownBody = 4 << 20

// DeliveryItem is a delivery as listed, in GET /api/v1/deliveries and in the live feed.
// Fields of the event are zero when Decoded is false.
type DeliveryItem struct {
	ID           string                   `json:"id"`
	ReceivedAt   string                   `json:"received_at"`
	Method       string                   `json:"method"`
	Path         string                   `json:"path"`
	Query        string                   `json:"query"`
	Size         int64                    `json:"size"`
	ContentType  string                   `json:"content_type"`
	RemoteAddr   string                   `json:"remote_addr"`
	Status       int                      `json:"status"`
	Refused      string                   `json:"refused"`
	Source       string                   `json:"source"`
	Vendor       string                   `json:"vendor"`
	EventType    string                   `json:"event_type"`
	OccurredAt   *string                  `json:"occurred_at"`
	Organization string                   `json:"organization"`
	Conversation *backend.ConversationRef `json:"conversation"`
	Actors       []backend.Actor          `json:"actors"`
	Summary      string                   `json:"summary"`
	Verification backend.Verification     `json:"verification"`
	FlagCount    int                      `json:"flag_count"`
	// APIVersion is the vendor API version(s) the delivery could come from ("3.4+", "v2").
	APIVersion  string `json:"api_version,omitempty"`
	DuplicateOf string `json:"duplicate_of"`
	Attempts    int    `json:"attempts"`
	Decoded     bool   `json:"decoded"`
}

// DeliveryDetail is GET /api/v1/deliveries/{id}: one delivery with headers, body, event and
// field notes. The body is Body when it is UTF-8, BodyBase64 otherwise.
type DeliveryDetail struct {
	DeliveryItem
	Headers          backend.Headers    `json:"headers"`
	Body             *string            `json:"body,omitempty"`
	BodyBase64       *string            `json:"body_base64,omitempty"`
	BodyTruncated    bool               `json:"body_truncated"`
	BodyDecoded      *string            `json:"body_decoded,omitempty"`
	BodyDecodedError string             `json:"body_decoded_error,omitempty"`
	ForwardedFor     string             `json:"forwarded_for"`
	ForwardedProto   string             `json:"forwarded_proto"`
	ForwardedHost    string             `json:"forwarded_host"`
	ConnectingIP     string             `json:"connecting_ip"`
	Event            *backend.Event     `json:"event"`
	Fields           []decode.FieldNote `json:"fields"`
}

// DeliveryPage is GET /api/v1/deliveries: newest first; NextCursor is "" on the last page.
type DeliveryPage struct {
	Items      []DeliveryItem `json:"items"`
	NextCursor string         `json:"next_cursor"`
}

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func newItem(v *backend.DeliveryView) DeliveryItem {
	it := DeliveryItem{
		ID: v.ID, ReceivedAt: formatTime(v.ReceivedAt), Method: v.Method, Path: v.Path, Query: v.Query,
		Size: v.Size, ContentType: v.ContentType, RemoteAddr: v.RemoteAddr, Status: v.Status,
		Refused: v.Refused, Source: v.Source, DuplicateOf: v.DuplicateOf, Attempts: max(v.Attempts, 1),
		Actors: []backend.Actor{},
	}
	if ev := v.Event; ev != nil {
		it.Decoded = true
		it.Vendor, it.EventType, it.Organization = ev.Vendor, ev.EventType, ev.Organization
		it.Conversation, it.Summary, it.Verification = ev.Conversation, ev.Summary, ev.Verification
		it.Actors, it.FlagCount, it.APIVersion = ev.Actors, len(ev.Flags), ev.APIVersion
		if ev.OccurredAt != nil {
			s := formatTime(*ev.OccurredAt)
			it.OccurredAt = &s
		}
	}
	return it
}

func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 100
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, backend.Errorf(backend.EINVALID, "limit must be between 1 and 1000"))
			return
		}
		limit = n
	}
	views, next, err := s.Store.FindDeliveries(r.Context(), backend.DeliveryFilter{
		Method: q.Get("method"), Path: q.Get("path"), Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		writeError(w, err)
		return
	}
	items := make([]DeliveryItem, len(views))
	for i, v := range views {
		items[i] = newItem(v)
	}
	writeJSON(w, http.StatusOK, DeliveryPage{Items: items, NextCursor: next})
}

func (s *Server) getDelivery(w http.ResponseWriter, r *http.Request) {
	v, err := s.Store.FindDeliveryByID(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	d := DeliveryDetail{DeliveryItem: newItem(v), Headers: v.Headers, Event: v.Event,
		ForwardedFor: v.ForwardedFor, ForwardedProto: v.ForwardedProto, ForwardedHost: v.ForwardedHost,
		ConnectingIP: v.ConnectingIP, Fields: []decode.FieldNote{}}
	if d.Headers == nil {
		d.Headers = backend.Headers{}
	}
	body := v.Body
	if len(body) > maxShownBody {
		body, d.BodyTruncated = body[:maxShownBody], true
	}
	d.Body, d.BodyBase64 = textOrBase64(body)
	if v.Headers.Get("Content-Encoding") != "" && len(v.Body) > 0 {
		out, truncated, err := decode.Decompress(v.Headers, v.Body, maxShownBody)
		switch {
		case err != nil:
			d.BodyDecodedError = err.Error()
		case utf8.Valid(out):
			t := string(out)
			d.BodyDecoded = &t
		default:
			d.BodyDecodedError = "decoded body is binary"
		}
		if truncated {
			d.BodyDecodedError = "decoded body is larger than " + strconv.Itoa(maxShownBody>>20) + " MiB; shown up to that size"
		}
	}
	if v.Refused == "" {
		d.Fields = s.Registry.Explain(&v.Delivery, v.Event)
	}
	writeJSON(w, http.StatusOK, d)
}
