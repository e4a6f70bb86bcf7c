package api

import (
	"encoding/base64"
	"time"
	"unicode/utf8"

	"hooklens/backend/replay"
	"hooklens/backend/simulate"
)

// ExportCount is GET /api/v1/export/count: what an export of the selection would hold.
type ExportCount struct {
	Deliveries int64 `json:"deliveries"`
	BodyBytes  int64 `json:"body_bytes"`
}

// APIError is an error as the API answers it (see ErrorResponse).
type APIError struct {
	Code    string `json:"code"` // invalid, not_found, conflict, unavailable, internal, unauthorized, forbidden
	Message string `json:"message"`
}

// ErrorResponse is the body of every answer with a 4xx or 5xx status.
type ErrorResponse struct {
	Error APIError `json:"error"`
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

func newAnswer(status int, text string, d time.Duration, excerpt []byte, truncated bool, err string) TargetAnswer {
	a := TargetAnswer{Status: status, StatusText: text, DurationMS: float64(d.Microseconds()) / 1000, Truncated: truncated, Error: err}
	if utf8.Valid(excerpt) {
		t := string(excerpt)
		a.Excerpt = &t
	} else {
		t := base64.StdEncoding.EncodeToString(excerpt)
		a.ExcerptBase64 = &t
	}
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
