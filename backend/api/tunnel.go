package api

import "net/http"

// Tunnel manages the public URL of the receiver.
type Tunnel interface{}

func (s *Server) tunnelRoutes(mux *http.ServeMux) {}
