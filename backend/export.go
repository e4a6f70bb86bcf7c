package backend

import (
	"context"
	"strings"
)

// Ref names a conversation or an agent of one vendor.
type Ref struct {
	Vendor string `json:"vendor"`
	ID     string `json:"id"`
}

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.Vendor == "" && r.ID == "" }

// String returns "VENDOR/ID".
func (r Ref) String() string { return r.Vendor + "/" + r.ID }

// ParseRef reads "VENDOR/ID" (the id may itself hold slashes); it returns an EINVALID error when
// either part is missing.
func ParseRef(s string) (Ref, error) {
	vendor, id, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok || vendor == "" || id == "" {
		return Ref{}, Errorf(EINVALID, "%q is not VENDOR/ID (e.g. livechat/PJ0MRSHTDG)", s)
	}
	return Ref{Vendor: strings.ToLower(vendor), ID: id}, nil
}

// Selection picks deliveries for export and replay. Every field that is set must match; an empty
// selection is every visible delivery. Chosen IDs include hidden deliveries.
type Selection struct {
	Query        string   `json:"q,omitempty"`           // search expression (ParseQuery)
	Conversation Ref      `json:"conversation,omitzero"` // one conversation
	Agent        Ref      `json:"agent,omitzero"`        // every event involving one agent
	IDs          []string `json:"ids,omitempty"`         // chosen deliveries
}

// Order is the order EachDelivery hands deliveries out in.
type Order int

const (
	// ByArrival is the order the receiver got them in.
	ByArrival Order = iota
	// ByEvent is the time the event happened (occurred_at, else received_at), ties by arrival.
	ByEvent
)

// Item is one selected delivery with headers and body, and its event without summary, flags
// and actors; Origin and OriginVerification say what the file recorded when it was imported
// (both empty otherwise).
type Item struct {
	Seq int64
	*DeliveryView
	Origin             string
	OriginVerification *Verification
}

// ExportService reads the deliveries a Selection picks, for export and replay.
type ExportService interface {
	// CountSelection returns how many deliveries sel picks and how many body bytes they hold;
	// an EINVALID error for a bad query.
	CountSelection(ctx context.Context, sel Selection) (n, bytes int64, err error)
	// EachDelivery calls fn for every delivery sel picks, in order, with headers and body. It
	// stops at the first error of fn and returns it; an EINVALID error for a bad query.
	EachDelivery(ctx context.Context, sel Selection, order Order, fn func(*Item) error) error
}
