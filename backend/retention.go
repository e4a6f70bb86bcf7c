package backend

import (
	"context"
	"time"
)

// Retention bounds what the store keeps; a zero field sets no bound. Bytes are those of the stored
// headers and bodies, as the store counts them.
type Retention struct {
	MaxDeliveries int64 `json:"max_deliveries"`
	MaxBytes      int64 `json:"max_bytes"`
}

// Enabled reports whether r bounds anything.
func (r Retention) Enabled() bool { return r.MaxDeliveries > 0 || r.MaxBytes > 0 }

// Over reports whether a store holding deliveries and bytes exceeds r.
func (r Retention) Over(deliveries, bytes int64) bool {
	return (r.MaxDeliveries > 0 && deliveries > r.MaxDeliveries) || (r.MaxBytes > 0 && bytes > r.MaxBytes)
}

// Prune is what one pruning run removed.
type Prune struct {
	At         time.Time `json:"at"`
	Deliveries int64     `json:"deliveries"`
	Bytes      int64     `json:"bytes"`
}

// RetentionService keeps the store within a Retention.
type RetentionService interface {
	// Stats returns how many deliveries are stored and the bytes of their headers and bodies.
	Stats(ctx context.Context) (deliveries, bytes int64, err error)
	// PruneOldest deletes the oldest deliveries until the store is within r and returns what it
	// removed (a zero Prune when nothing was over); an EUNAVAILABLE error when the store cannot
	// commit.
	PruneOldest(ctx context.Context, r Retention) (Prune, error)
	// LastPrune returns the last pruning run that removed something, nil when there was none.
	LastPrune(ctx context.Context) (*Prune, error)
}
