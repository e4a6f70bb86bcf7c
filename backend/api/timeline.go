package api

import "net/http"

// Timelines is the read side of conversations and agents.
type Timelines interface{}

func (s *Server) timelineRoutes(mux *http.ServeMux) {}
