package api

import (
	"context"
	"net/http"
	"time"

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

func (s *Server) postReplay(w http.ResponseWriter, r *http.Request) {
	var in ReplayRequest
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
	items := make([]ReplayRecord, 0, len(recs))
	for _, rec := range recs {
		items = append(items, ReplayRecord{ID: rec.ID, Kind: rec.Kind, Run: rec.Run, Target: rec.Target,
			StartedAt: formatTime(rec.StartedAt),
			Answer:    newAnswer(rec.Status, rec.StatusText, rec.Duration, rec.Excerpt, rec.Truncated, rec.Error)})
	}
	writeJSON(w, http.StatusOK, ReplayList{Items: items})
}

// ReplayRequest is the body of POST /api/v1/replay: what to replay (at least one of ids,
// conversation, agent, q), where to, how fast; with Wait the answer comes at the end.
type ReplayRequest struct {
	IDs          []string `json:"ids"`
	Conversation string   `json:"conversation"` // VENDOR/ID
	Agent        string   `json:"agent"`        // VENDOR/ID
	Q            string   `json:"q"`
	To           string   `json:"to"`
	Pace         string   `json:"pace"`  // "fast" (default) or "original"
	Speed        float64  `json:"speed"` // with pace "original": 2 is twice as fast
	Wait         bool     `json:"wait"`
}

// TargetAnswer is a target's answer to a replayed or forwarded request, as the API shows it:
// the excerpt of its body is Excerpt when it is UTF-8, ExcerptBase64 otherwise.
type TargetAnswer struct {
	Status        int     `json:"status"` // 0 when there was no answer
	StatusText    string  `json:"status_text"`
	DurationMS    float64 `json:"duration_ms"`
	Excerpt       *string `json:"excerpt,omitempty"`
	ExcerptBase64 *string `json:"excerpt_base64,omitempty"`
	Truncated     bool    `json:"truncated"`
	Error         string  `json:"error"` // why there was no answer
}

// ReplayResult is what happened to one delivery of a replay.
type ReplayResult struct {
	DeliveryID string       `json:"delivery_id"`
	Method     string       `json:"method"`
	EventType  string       `json:"event_type"`
	URL        string       `json:"url"`
	StartedAt  string       `json:"started_at"`
	Skipped    string       `json:"skipped"` // why it was not sent, "" when it was
	Answer     TargetAnswer `json:"answer"`
}

// ReplayRun is a replay as POST /api/v1/replay and GET /api/v1/replay/{run} answer it.
type ReplayRun struct {
	ID        string         `json:"id"`
	StartedAt string         `json:"started_at"`
	Done      bool           `json:"done"`
	Sent      int            `json:"sent"`
	Error     string         `json:"error"`
	Canceled  bool           `json:"canceled"`
	To        string         `json:"to"`
	Pace      string         `json:"pace"`
	Speed     float64        `json:"speed"`
	Results   []ReplayResult `json:"results"`
}

// ReplayRecord is one recorded request to a target for a delivery (a replay or a live forward).
type ReplayRecord struct {
	ID        int64        `json:"id"`
	Kind      string       `json:"kind"` // "replay" or "forward"
	Run       string       `json:"run"`
	Target    string       `json:"target"`
	StartedAt string       `json:"started_at"`
	Answer    TargetAnswer `json:"answer"`
}

// ReplayList is GET /api/v1/deliveries/{id}/replays, newest first.
type ReplayList struct {
	Items []ReplayRecord `json:"items"`
}

func newAnswer(status int, text string, d time.Duration, excerpt []byte, truncated bool, err string) TargetAnswer {
	a := TargetAnswer{Status: status, StatusText: text, DurationMS: float64(d.Microseconds()) / 1000, Truncated: truncated, Error: err}
	a.Excerpt, a.ExcerptBase64 = textOrBase64(excerpt)
	return a
}

func runView(run replay.Run) ReplayRun {
	results := make([]ReplayResult, 0, len(run.Results))
	for _, r := range run.Results {
		results = append(results, ReplayResult{DeliveryID: r.DeliveryID, Method: r.Method, EventType: r.EventType,
			URL: r.URL, StartedAt: formatTime(r.StartedAt), Skipped: r.Skipped,
			Answer: newAnswer(r.Status, r.StatusText, r.Duration, r.Excerpt, r.Truncated, r.Error)})
	}
	return ReplayRun{ID: run.ID, StartedAt: formatTime(run.Started), Done: run.Done, Sent: run.Sent,
		Error: run.Error, Canceled: run.Canceled, To: run.Request.To, Pace: run.Request.Pace,
		Speed: run.Request.Speed, Results: results}
}
