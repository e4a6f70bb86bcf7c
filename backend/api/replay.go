package api

import (
	"context"
	"net/http"

	"hooklens/backend"
	"hooklens/backend/replay"
)

// Replays sends stored deliveries again to a target and tells what targets answered
// (ReplayService in production). See docs/api.md, "Fixtures".
type Replays interface {
	// Replay starts a replay (or, with wait, runs it to the end); EINVALID for a bad request.
	Replay(ctx context.Context, req replay.Request, wait bool) (replay.Run, error)
	// ReplayRun returns a started replay; ENOTFOUND when unknown.
	ReplayRun(id string) (replay.Run, error)
	// CancelReplay stops a running replay; ENOTFOUND when it is not running.
	CancelReplay(id string) error
	// Replays returns what targets answered to a delivery, newest first; ENOTFOUND for no delivery.
	Replays(ctx context.Context, deliveryID string) ([]backend.ReplayRecord, error)
}

// ReplayService is the production Replays: replay runs over a store.
type ReplayService struct {
	Store backend.ReplayService
	Runs  *replay.Runs
	// Base outlives requests: background replays end with it.
	Base context.Context
}

// Replay starts req in the background, or runs it to the end with wait.
func (p *ReplayService) Replay(ctx context.Context, req replay.Request, wait bool) (replay.Run, error) {
	if wait {
		return p.Runs.Wait(ctx, req)
	}
	base := p.Base
	if base == nil {
		base = context.WithoutCancel(ctx)
	}
	return p.Runs.Start(base, req)
}

// ReplayRun returns a started replay.
func (p *ReplayService) ReplayRun(id string) (replay.Run, error) { return p.Runs.Get(id) }

// CancelReplay stops a running replay.
func (p *ReplayService) CancelReplay(id string) error { return p.Runs.Cancel(id) }

// Replays returns the answers recorded for a delivery.
func (p *ReplayService) Replays(ctx context.Context, id string) ([]backend.ReplayRecord, error) {
	return p.Store.FindReplays(ctx, id, 100)
}

var _ Replays = (*ReplayService)(nil)

func (s *Server) replayRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/replay", s.postReplay)
	mux.HandleFunc("GET /api/v1/replay/{run}", s.getReplayRun)
	mux.HandleFunc("DELETE /api/v1/replay/{run}", s.cancelReplay)
	mux.HandleFunc("GET /api/v1/deliveries/{id}/replays", s.getReplays)
}

// replayIn is the body of POST /api/v1/replay.
type replayIn struct {
	IDs          []string `json:"ids"`
	Conversation string   `json:"conversation"`
	Agent        string   `json:"agent"`
	Q            string   `json:"q"`
	To           string   `json:"to"`
	Pace         string   `json:"pace"`
	Speed        float64  `json:"speed"`
	Wait         bool     `json:"wait"`
}

func (s *Server) postReplay(w http.ResponseWriter, r *http.Request) {
	var in replayIn
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	get := map[string]string{"q": in.Q, "conversation": in.Conversation, "agent": in.Agent}
	sel, err := selectionOf(func(k string) string { return get[k] }, in.IDs)
	if err != nil {
		writeError(w, err)
		return
	}
	if sel.Query == "" && sel.Conversation.IsZero() && sel.Agent.IsZero() && len(sel.IDs) == 0 {
		writeError(w, backend.Errorf(backend.EINVALID, "choose what to replay: ids, conversation, agent or q"))
		return
	}
	run, err := s.Replays.Replay(r.Context(), replay.Request{Selection: sel, To: in.To, Pace: in.Pace, Speed: in.Speed}, in.Wait)
	if err != nil {
		writeError(w, err)
		return
	}
	status := http.StatusAccepted
	if run.Done {
		status = http.StatusOK
	}
	writeJSON(w, status, runView(run))
}

func (s *Server) getReplayRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.Replays.ReplayRun(r.PathValue("run"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, runView(run))
}

func (s *Server) cancelReplay(w http.ResponseWriter, r *http.Request) {
	if err := s.Replays.CancelReplay(r.PathValue("run")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getReplays(w http.ResponseWriter, r *http.Request) {
	recs, err := s.Replays.Replays(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	items := make([]map[string]any, 0, len(recs))
	for _, rec := range recs {
		items = append(items, map[string]any{"id": rec.ID, "kind": rec.Kind, "run": rec.Run, "target": rec.Target,
			"started_at": formatTime(rec.StartedAt),
			"answer":     newAnswer(rec.Status, rec.StatusText, rec.Duration, rec.Excerpt, rec.Truncated, rec.Error)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
