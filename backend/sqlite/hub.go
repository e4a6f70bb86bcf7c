package sqlite

import "sync"

// hub fans out the ids of deliveries that were added or re-decoded. A slow subscriber never
// blocks the writer: ids pile up in its pending list and are taken in one go.
type hub struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// Subscription receives the ids of changed deliveries. Wait on C, then call Take.
type Subscription struct {
	C       <-chan struct{}
	c       chan struct{}
	mu      sync.Mutex
	pending []string
	h       *hub
}

// Subscribe returns a subscription to changed deliveries; Close it when done.
func (db *DB) Subscribe() *Subscription {
	c := make(chan struct{}, 1)
	s := &Subscription{C: c, c: c, h: &db.hub}
	db.hub.mu.Lock()
	if db.hub.subs == nil {
		db.hub.subs = map[*Subscription]struct{}{}
	}
	db.hub.subs[s] = struct{}{}
	db.hub.mu.Unlock()
	return s
}

// Take returns the ids gathered since the last call, oldest first, without duplicates.
func (s *Subscription) Take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.pending
	s.pending = nil
	seen := make(map[string]struct{}, len(ids))
	out := ids[:0]
	for _, id := range ids {
		if _, ok := seen[id]; !ok {
			seen[id] = struct{}{}
			out = append(out, id)
		}
	}
	return out
}

// Close stops the subscription.
func (s *Subscription) Close() {
	s.h.mu.Lock()
	delete(s.h.subs, s)
	s.h.mu.Unlock()
}

// maxPending bounds what one idle subscriber keeps; older ids are dropped (the UI reloads pages).
const maxPending = 10000

func (h *hub) publish(ids ...string) {
	if len(ids) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		s.mu.Lock()
		s.pending = append(s.pending, ids...)
		if n := len(s.pending); n > maxPending {
			s.pending = append(s.pending[:0:0], s.pending[n-maxPending:]...)
		}
		s.mu.Unlock()
		select {
		case s.c <- struct{}{}:
		default:
		}
	}
}
