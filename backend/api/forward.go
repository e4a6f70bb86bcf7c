package api

import (
	"context"
	"net/http"

	"hooklens/backend/replay"
)

// Forwarding sends every capture live to a target (a *replay.Forwarder in production).
type Forwarding interface {
	// Status returns the live forward settings and counters.
	Status() replay.ForwardStatus
	// Set changes and saves the settings; EINVALID for an unusable URL.
	Set(ctx context.Context, s replay.ForwardSettings) error
}

var _ Forwarding = (*replay.Forwarder)(nil)

func (s *Server) forwardRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/settings/forward", s.getForward)
	mux.HandleFunc("PUT /api/v1/settings/forward", s.putForward)
}

func (s *Server) getForward(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Forwarding.Status())
}

func (s *Server) putForward(w http.ResponseWriter, r *http.Request) {
	var in replay.ForwardSettings
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	if err := s.Forwarding.Set(r.Context(), in); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.Forwarding.Status())
}
