package api

import "net/http"

// Fixtures exports, imports and replays deliveries.
type Fixtures interface{}

func (s *Server) fixtureRoutes(mux *http.ServeMux) {}
