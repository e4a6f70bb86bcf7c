package sqlite

import (
	"sync"

	"hooklens/backend"
)

// hub fans out the ids of deliveries that were stored or decoded, to the subscribers of that news. A slow subscriber never
// blocks the writer: ids pile up in its pending list and are taken in one go.
type hub struct {
	mu   sync.Mutex
	subs map[*subscription]struct{}
}

// subscription is a backend.Subscription to the hub.
type subscription struct {
	news    backend.News
	c       chan struct{}
	mu      sync.Mutex
	pending []string
	h       *hub
}

// Subscribe returns a subscription to the deliveries with news of the kinds in news; Close it
// when done.
func (db *DB) Subscribe(news backend.News) backend.Subscription {
	s := &subscription{news: news, c: make(chan struct{}, 1), h: &db.hub}
	db.hub.mu.Lock()
	if db.hub.subs == nil {
		db.hub.subs = map[*subscription]struct{}{}
	}
	db.hub.subs[s] = struct{}{}
	db.hub.mu.Unlock()
	return s
}

// C receives a value when ids are waiting.
func (s *subscription) C() <-chan struct{} { return s.c }

// Take returns the ids gathered since the last call, oldest first, without duplicates.
func (s *subscription) Take() []string {
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
func (s *subscription) Close() {
	s.h.mu.Lock()
	delete(s.h.subs, s)
	s.h.mu.Unlock()
}

// maxPending bounds what one idle subscriber keeps; older ids are dropped (the UI reloads pages).
const maxPending = 10000

// publish tells the subscribers to any kind in news about ids.
func (h *hub) publish(news backend.News, ids ...string) {
	if len(ids) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		if s.news&news == 0 {
			continue
		}
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
