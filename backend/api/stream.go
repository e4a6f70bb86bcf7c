package api

import (
	"context"
	"encoding/json"
	"fmt"
	"hooklens/backend"
	"net/http"
	"time"
)

// DeliveriesMessage is the data of the live feed's "deliveries" event (a Wails event in the
// desktop face, a Server-Sent Event of GET /api/v1/stream in the headless face): deliveries
// added or decoded again since the last message.
type DeliveriesMessage []DeliveryItem

// Feed calls emit("deliveries", JSON array of items) for deliveries that were added or decoded,
// at most once per FeedInterval, until ctx is done. The desktop face bridges it to Wails events;
// the headless face streams it as Server-Sent Events.
func (s *Server) Feed(ctx context.Context, emit func(event string, data []byte)) {
	sub := s.Store.Subscribe(backend.NewsCaptured | backend.NewsDecoded)
	defer sub.Close()
	interval := s.FeedInterval
	if interval == 0 {
		interval = 100 * time.Millisecond
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.C():
		}
		// Let a burst gather into one message.
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
		ids := sub.Take()
		for len(ids) > 0 {
			n := min(len(ids), 500)
			views, err := s.Store.FindDeliveriesByIDs(ctx, ids[:n])
			ids = ids[n:]
			if err != nil {
				s.Log.Error("feed", "err", err)
				continue
			}
			items := make(DeliveriesMessage, 0, len(views))
			for _, v := range views {
				if !v.Hidden {
					items = append(items, newItem(v))
				}
			}
			if len(items) == 0 {
				continue
			}
			data, _ := json.Marshal(items)
			emit("deliveries", data)
		}
	}
}

// stream serves the live feed as Server-Sent Events with a ping every 15 s.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": hooklens stream\n\n")
	fl.Flush()
	ctx := r.Context()
	msgs := make(chan []byte, 16)
	go s.Feed(ctx, func(event string, data []byte) {
		select {
		case msgs <- append([]byte("event: "+event+"\ndata: "), append(data, '\n', '\n')...):
		case <-ctx.Done():
		}
	})
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-msgs:
			if _, err := w.Write(m); err != nil {
				return
			}
			fl.Flush()
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}
