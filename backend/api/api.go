// Package api is the HTTP JSON API (and live stream) the frontend uses in both faces.
package api

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
)

// Store is what the API reads (and the few settings it writes).
type Store interface {
	backend.DeliveryReader
	backend.DeliveryWriter
	Health() error
	backend.SyncReporter
	backend.Notifier
	// FindDeliveriesByIDs returns the listed deliveries (without bodies) that exist, in id order given.
	FindDeliveriesByIDs(ctx context.Context, ids []string) ([]*backend.DeliveryView, error)
	// CapturedFields returns per event type of a vendor the events held and how many carry
	// each field path (migration help, versions.go).
	CapturedFields(ctx context.Context, vendor string) ([]backend.CapturedType, error)
}

// Secrets holds vendor secrets; setting one re-verifies that vendor's deliveries.
type Secrets interface {
	Secret(vendor string) string
	SetSecret(ctx context.Context, vendor, secret string) error
}

// Server serves /api/v1 and, when Assets is set, the frontend.
type Server struct {
	Store    Store
	Registry *decode.Registry
	// Settings holds the vendor secrets and every other setting.
	Settings Settings
	Assets   fs.FS // built frontend; nil serves the API only
	Version  string
	// ReceiverURL is shown in the UI (health); ReceiverState says whether it listens.
	ReceiverURL string
	// Guard protects the headless face (token, Host, Origin); nil in the desktop face.
	Guard *Guard
	Log   *slog.Logger
	// FeedInterval batches live updates (default 100 ms).
	FeedInterval time.Duration

	// The services behind the routes of their own files, all of them wired in every build:
	// Timelines serves conversations and agents (timeline.go); Exports, Imports, Replays,
	// Forwarding and Simulations serve export.go, import.go, replay.go, forward.go, simulate.go.
	Timelines   Timelines
	Exports     Exports
	Imports     Imports
	Replays     Replays
	Forwarding  Forwarding
	Simulations Simulations
	// Tests runs the Replay dialog's Test mode (test.go).
	Tests Tests
	// Tunnel exposes the receiver publicly and helps register it (tunnel.go).
	Tunnel Tunnel
	// Captures reads stored deliveries for schemas merged with what was captured (schema.go).
	Captures Captures
	// Coverage reads when the receiver listened (coverage.go); nil answers 503.
	Coverage backend.CoverageReader
	// RegistrationAPIs are, by vendor, the base URL of the API in-app registration calls
	// (tunnel.go); a missing or "" one means the vendor's real API.
	RegistrationAPIs map[string]string

	mux *http.ServeMux
}

// Handler returns the http.Handler of s.
func (s *Server) Handler() http.Handler {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.FeedInterval == 0 {
		s.FeedInterval = 100 * time.Millisecond
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/health", s.health)
	mux.HandleFunc("GET /api/v1/deliveries", s.listDeliveries)
	mux.HandleFunc("GET /api/v1/deliveries/{id}", s.getDelivery)
	mux.HandleFunc("GET /api/v1/deliveries/{id}/body", s.rawBody)
	mux.HandleFunc("GET /api/v1/stream", s.stream)
	mux.HandleFunc("GET /api/v1/vendors", s.listVendors)
	mux.HandleFunc("GET /api/v1/catalog", s.listCatalogs)
	mux.HandleFunc("GET /api/v1/catalog/{vendor}", s.getCatalog)
	mux.HandleFunc("GET /api/v1/schema/{vendor}", s.getSchema)
	mux.HandleFunc("GET /api/v1/versions/{vendor}", s.getVersions)
	mux.HandleFunc("GET /api/v1/settings", s.getSettings)
	mux.HandleFunc("PUT /api/v1/settings/secrets/{vendor}", s.putSecret)
	mux.HandleFunc("POST /api/v1/samples", s.postSample)
	s.timelineRoutes(mux)
	s.exportRoutes(mux)
	s.importRoutes(mux)
	s.replayRoutes(mux)
	s.testRoutes(mux)
	s.forwardRoutes(mux)
	s.simulateRoutes(mux)
	s.tunnelRoutes(mux)
	s.diffRoutes(mux)
	s.coverageRoutes(mux)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, backend.Errorf(backend.ENOTFOUND, "no API route %s %s", r.Method, r.URL.Path))
	})
	if s.Assets != nil {
		mux.Handle("/", assetHandler(s.Assets))
	}
	s.mux = mux
	var h http.Handler = mux
	if s.Guard != nil {
		h = s.Guard.Wrap(h)
	}
	return secureHeaders(h)
}

// secureHeaders sets headers that keep captured data inert in the browser.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// statuses maps error codes to HTTP statuses; the only place that does.
var statuses = map[string]int{
	backend.EINVALID:     http.StatusBadRequest,
	backend.ENOTFOUND:    http.StatusNotFound,
	backend.ECONFLICT:    http.StatusConflict,
	backend.EUNAVAILABLE: http.StatusServiceUnavailable,
	backend.EINTERNAL:    http.StatusInternalServerError,
}

func writeError(w http.ResponseWriter, err error) {
	code := backend.ErrorCode(err)
	if code == backend.EINTERNAL {
		slog.Error("api", "err", err)
	}
	writeJSON(w, statuses[code], ErrorResponse{Error: APIError{Code: code, Message: backend.ErrorMessage(err)}})
}
