package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"hooklens/backend/decode"
	"hooklens/backend/replay"
	"hooklens/backend/simulate"
)

// Simulations sends realistic sample deliveries to this process's receiver (SimulateService in
// production).
type Simulations interface {
	// Scenarios lists the simulator's scenarios.
	Scenarios() []simulate.Scenario
	// Simulate sends a scenario ("" the conversation; vendor "all" every vendor's) to this
	// process's receiver; EINVALID for an unknown vendor or scenario.
	Simulate(ctx context.Context, vendor, scenario string) ([]simulate.Sent, error)
}

// SimulateService is the production Simulations.
type SimulateService struct {
	Vendors *decode.Registry           // the registered vendors: those with scenarios are sent
	Secret  func(vendor string) string // configured vendor secrets, to sign with; may be nil
	Sender  *replay.Sender             // nil sends with a default sender
	// ReceiverURL is where Simulate sends ("http://127.0.0.1:8787").
	ReceiverURL string
}

func (f *SimulateService) secret(vendor string) string {
	if f.Secret == nil {
		return ""
	}
	return f.Secret(vendor)
}

// Scenarios lists the simulator's scenarios.
func (f *SimulateService) Scenarios() []simulate.Scenario { return simulate.Scenarios(f.Vendors) }

// Simulate sends a scenario to the receiver, signed with the configured secrets.
func (f *SimulateService) Simulate(ctx context.Context, vendor, scenario string) ([]simulate.Sent, error) {
	vendors := []string{strings.ToLower(vendor)}
	if vendor == "" || strings.EqualFold(vendor, "all") {
		vendors = simulate.Vendors(f.Vendors)
	}
	var reqs []simulate.Request
	for _, v := range vendors {
		sc, err := simulate.Find(f.Vendors, v, scenario)
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, sc.Build(time.Now(), f.secret(v))...)
	}
	sender := f.Sender
	if sender == nil {
		sender = &replay.Sender{}
	}
	return simulate.Send(ctx, sender, f.ReceiverURL, reqs, 0)
}

var _ Simulations = (*SimulateService)(nil)

func (s *Server) simulateRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/simulate", s.getScenarios)
	mux.HandleFunc("POST /api/v1/simulate", s.postSimulate)
}

func (s *Server) getScenarios(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, ScenarioList{Scenarios: s.Simulations.Scenarios()})
}

func (s *Server) postSimulate(w http.ResponseWriter, r *http.Request) {
	var in SimulateRequest
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	sent, err := s.Simulations.Simulate(r.Context(), in.Vendor, in.Scenario)
	if err != nil {
		writeError(w, err)
		return
	}
	failed := 0
	for _, x := range sent {
		if x.Error != "" {
			failed++
		}
	}
	writeJSON(w, http.StatusOK, SimulateResult{Sent: sent, Count: len(sent), Failed: failed,
		Message: fmt.Sprintf("%d sample events sent to the receiver", len(sent)-failed)})
}

// ScenarioList is GET /api/v1/simulate.
type ScenarioList struct {
	Scenarios []simulate.Scenario `json:"scenarios"`
}

// SimulateRequest is the body of POST /api/v1/simulate: vendor "" or "all" is every vendor,
// scenario "" the conversation.
type SimulateRequest struct {
	Vendor   string `json:"vendor"`
	Scenario string `json:"scenario"`
}

// SimulateResult is POST /api/v1/simulate: what the receiver answered to each simulated delivery.
type SimulateResult struct {
	Sent    []simulate.Sent `json:"sent"`
	Count   int             `json:"count"`
	Failed  int             `json:"failed"`
	Message string          `json:"message"`
}
