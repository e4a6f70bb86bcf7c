package backend

import (
	"context"
	"time"
)

// Kinds of ReplayRecord.
const (
	KindReplay  = "replay"  // sent on request (CLI, API)
	KindForward = "forward" // sent live as it was captured
)

// ReplayRecord is one request Hooklens sent to a target on behalf of a delivery, and the answer.
type ReplayRecord struct {
	ID         int64
	DeliveryID string
	Kind       string // KindReplay, KindForward
	Run        string // groups the requests of one replay run
	Target     string // the URL the request went to
	StartedAt  time.Time
	Duration   time.Duration
	Status     int // 0 when there was no answer
	StatusText string
	Excerpt    []byte // the start of the answer's body
	Truncated  bool   // the body was longer than Excerpt
	Error      string // why there was no answer
}

// ReplayService keeps what targets answered to replayed and forwarded deliveries.
type ReplayService interface {
	// AddReplays stores records; a record whose delivery no longer exists is left out. It
	// returns an EUNAVAILABLE error when the store cannot commit.
	AddReplays(ctx context.Context, recs []ReplayRecord) error
	// FindReplays returns the latest records of a delivery, newest first, at most limit (100
	// when limit <= 0); ENOTFOUND when the delivery does not exist.
	FindReplays(ctx context.Context, deliveryID string, limit int) ([]ReplayRecord, error)
}

// Arrival is a delivery as the forwarder sees it: where it is in arrival order and where it came from.
type Arrival struct {
	Seq     int64
	ID      string
	Source  string
	Refused string
}

// ArrivalService tells deliveries in the order they arrived.
type ArrivalService interface {
	// LastSeq returns the arrival number of the latest delivery, 0 when there is none.
	LastSeq(ctx context.Context) (int64, error)
	// ArrivedAfter returns up to limit deliveries with seq > after, in arrival order.
	ArrivedAfter(ctx context.Context, after int64, limit int) ([]Arrival, error)
}
