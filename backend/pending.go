package backend

import "context"

// Pending is a stored delivery waiting to be decoded.
type Pending struct {
	Seq      int64
	Delivery *Delivery
}

// Decoded is the outcome of decoding one delivery, ready to be stored.
type Decoded struct {
	Seq     int64
	Version int
	Event   Event
	Text    string // what free-text search indexes: path, summary, body text
	// Paths are the field paths of the body (decode.Paths: "payload.chat.users[].id"), which
	// the store keeps so that it can say which fields each event type was captured with.
	Paths []string
}

// CapturedType is what a store holds of one event type of a vendor: how many events (retries
// aside) and, per field path, how many of them carry it.
type CapturedType struct {
	EventType string
	Events    int
	// Unknown counts events stored before the store kept field paths (their fields are not
	// counted until they are decoded again).
	Unknown int
	Fields  map[string]int
}

// DecodeService is the store's side of background decoding.
type DecodeService interface {
	// PendingDecode returns up to limit deliveries with seq > after whose event is missing or
	// was made by another decoder version, oldest first, with headers and body. The store packs
	// (compresses) those it keeps raw as it reads them, and writes the packed form with their
	// events (PutEvents): off the capture path, and without the body coming back.
	PendingDecode(ctx context.Context, after int64, version, limit int) ([]Pending, error)
	// PutEvents stores decoded events (replacing older ones), records that everything up to
	// through is decoded with version, and tells subscribers.
	PutEvents(ctx context.Context, evs []Decoded, version int, through int64) error
	// DecodedThrough returns the seq up to which every delivery was decoded with version, 0 if
	// unknown.
	DecodedThrough(ctx context.Context, version int) (int64, error)
	// InvalidateEvents marks every event of vendor (all vendors when "") for re-decoding.
	InvalidateEvents(ctx context.Context, vendor string) error
}
