package backend

import (
	"context"
	"encoding/json"
	"time"
)

// Header is one request header line, kept in arrival order; it marshals as [name, value].
type Header struct {
	Name  string
	Value string
}

// MarshalJSON encodes the header as a two-element array.
func (h Header) MarshalJSON() ([]byte, error) { return json.Marshal([2]string{h.Name, h.Value}) }

// UnmarshalJSON decodes a two-element array.
func (h *Header) UnmarshalJSON(b []byte) error {
	var a [2]string
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	h.Name, h.Value = a[0], a[1]
	return nil
}

// Headers is an ordered list of headers with duplicates.
type Headers []Header

// Get returns the first value of the named header, compared case-insensitively, or "".
func (hs Headers) Get(name string) string {
	for _, h := range hs {
		if equalFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		ca, cb := a[i], b[i]
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return false
		}
	}
	return true
}

// Delivery sources.
const (
	SourceReceiver = "receiver" // captured live by the receiver
	SourceImport   = "import"   // imported from a file
	SourceSample   = "sample"   // pasted doc sample (lenient parse)
)

// Delivery is one HTTP request received, kept exactly as it came.
type Delivery struct {
	ID          string    `json:"id"`
	ReceivedAt  time.Time `json:"received_at"` // UTC, microsecond precision
	Method      string    `json:"method"`
	Path        string    `json:"path"`
	Query       string    `json:"query"`
	Headers     Headers   `json:"headers"`
	Body        []byte    `json:"-"`
	Size        int64     `json:"size"` // body bytes received (or declared, for a refusal)
	ContentType string    `json:"content_type"`
	RemoteAddr  string    `json:"remote_addr"`
	// Forwarding headers a tunnel adds, copied out for display and search.
	ForwardedFor   string `json:"forwarded_for,omitempty"`
	ForwardedProto string `json:"forwarded_proto,omitempty"`
	ForwardedHost  string `json:"forwarded_host,omitempty"`
	ConnectingIP   string `json:"connecting_ip,omitempty"`
	// Refused is empty for a stored delivery, else why its body was not kept (e.g. "body_too_large").
	Refused string `json:"refused,omitempty"`
	Status  int    `json:"status"` // HTTP status the receiver answered
	Source  string `json:"source"` // SourceReceiver, SourceImport, SourceSample
	Hidden  bool   `json:"hidden,omitempty"`
}

// DeliveryFilter selects deliveries for listing; zero fields do not filter.
type DeliveryFilter struct {
	Method string
	Path   string // prefix
	Query  string // search expression (query language, see search.go)
	Cursor string
	Limit  int
}

// DeliveryWriter is the write side of the store used by the receiver.
type DeliveryWriter interface {
	// AddDelivery durably commits d (assigning ID if empty) and returns only once it is on disk;
	// it returns an EUNAVAILABLE error when the store cannot commit.
	AddDelivery(ctx context.Context, d *Delivery) error
	// Capture is AddDelivery for the receiver's captures: it may return once d is in a journal
	// that survives the process (the store moves it into the database in batches); reads made
	// after it returns see d. It returns an EUNAVAILABLE error when d could not be kept.
	Capture(ctx context.Context, d *Delivery) error
}

// DeliveryView is a delivery with what is known about it: its decoded event (nil until decoded)
// and, for a vendor retry, the first delivery of the same event.
type DeliveryView struct {
	Delivery
	Event       *Event `json:"-"`
	DuplicateOf string `json:"duplicate_of"`
	Attempts    int    `json:"attempts"`
}

// DeliveryReader is the read side of the store.
type DeliveryReader interface {
	// FindDeliveryByID returns the delivery with body and headers; ENOTFOUND if there is none.
	FindDeliveryByID(ctx context.Context, id string) (*DeliveryView, error)
	// FindDeliveries returns a page of deliveries (without bodies) newest first, and the cursor
	// of the next page ("" when done); EINVALID for a bad cursor or query.
	FindDeliveries(ctx context.Context, f DeliveryFilter) ([]*DeliveryView, string, error)
	// CountDeliveries returns how many deliveries are stored.
	CountDeliveries(ctx context.Context) (int64, error)
}
