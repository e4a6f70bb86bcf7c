package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/contract"
	"hooklens/backend/replay"
)

// Tests runs `hooklens test` on stored deliveries for the Replay dialog's Test mode, keeps the
// runs in memory and exports them as JUnit (TestService in production).
type Tests interface {
	// Test starts a test run (or, with wait, runs it to the end); EINVALID for a bad request.
	Test(ctx context.Context, sel backend.Selection, opts contract.Options, wait bool) (contract.Run, error)
	// TestRun returns a run; ENOTFOUND when unknown.
	TestRun(id string) (contract.Run, error)
	// CancelTest stops a running test; ENOTFOUND when it is not running.
	CancelTest(id string) error
	// TestJUnit returns the JUnit XML of a finished run.
	TestJUnit(id string) ([]byte, error)
}

// TestService is the production Tests.
type TestService struct {
	Runs *contract.Runs
	// Base outlives requests: background runs end with it.
	Base context.Context
}

// Test starts a run in the background, or runs it to the end with wait.
func (t *TestService) Test(ctx context.Context, sel backend.Selection, opts contract.Options, wait bool) (contract.Run, error) {
	if wait {
		return t.Runs.Wait(ctx, sel, opts)
	}
	base := t.Base
	if base == nil {
		base = context.WithoutCancel(ctx)
	}
	return t.Runs.Start(ctx, base, sel, opts)
}

// TestRun returns a run.
func (t *TestService) TestRun(id string) (contract.Run, error) { return t.Runs.Get(id) }

// CancelTest stops a running test.
func (t *TestService) CancelTest(id string) error { return t.Runs.Cancel(id) }

// TestJUnit returns the JUnit XML of a finished run.
func (t *TestService) TestJUnit(id string) ([]byte, error) {
	var b bytes.Buffer
	err := t.Runs.JUnit(id, &b)
	return b.Bytes(), err
}

var _ Tests = (*TestService)(nil)

func (s *Server) testRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/tests", s.postTest)
	mux.HandleFunc("GET /api/v1/tests/{run}", s.getTestRun)
	mux.HandleFunc("DELETE /api/v1/tests/{run}", s.cancelTest)
	mux.HandleFunc("GET /api/v1/tests/{run}/junit", s.getTestJUnit)
}

// TestRequest is the body of POST /api/v1/tests: which stored deliveries (at least one of ids,
// conversation, agent, q), where to, and the options of `hooklens test`. Deliveries are signed
// with the configured vendor secrets. With Wait the answer comes at the end.
type TestRequest struct {
	IDs          []string `json:"ids"`
	Conversation string   `json:"conversation"` // VENDOR/ID
	Agent        string   `json:"agent"`        // VENDOR/ID
	Q            string   `json:"q"`
	To           string   `json:"to"`
	Order        string   `json:"order"` // "timeline" (default) or "arrival"
	Pace         string   `json:"pace"`  // "fast" (default) or "original"
	Speed        float64  `json:"speed"` // divides original intervals and retry delays; default 1
	Concurrency  int      `json:"concurrency"`
	TimeoutMS    int      `json:"timeout_ms"` // 0: each vendor's timeout
	Signing      string   `json:"signing"`    // "signed" (default), "unsigned" or "tampered"
	Set          []string `json:"set"`        // PATH=VALUE edits of the bodies
	// Map rewrites ids (old → new) across the deliveries; "{run}" in a new id becomes a token of the run.
	Map           map[string]string `json:"map"`
	Retries       bool              `json:"retries"`
	Shuffle       int               `json:"shuffle"`
	Seed          uint64            `json:"seed"`
	DuplicateRate float64           `json:"duplicate_rate"`
	// Expect is the text of an expectations file (YAML or JSON); "" expects 2xx in time.
	Expect string `json:"expect"`
	Wait   bool   `json:"wait"`
}

// TestAttempt is one request of a test and its answer.
type TestAttempt struct {
	Kind      string       `json:"kind"` // "first", "retry" or "duplicate"
	N         int          `json:"n"`
	StartedAt string       `json:"started_at"`
	Answer    TargetAnswer `json:"answer"`
	Failures  []string     `json:"failures"`
}

// TestResult is the verdict on one delivery.
type TestResult struct {
	Index        int           `json:"index"` // its place in the sending order, from 0
	DeliveryID   string        `json:"delivery_id"`
	Vendor       string        `json:"vendor"`
	EventType    string        `json:"event_type"`
	Conversation string        `json:"conversation"`
	URL          string        `json:"url"`
	Signing      string        `json:"signing"`
	Passed       bool          `json:"passed"`
	Failures     []string      `json:"failures"`
	Attempts     []TestAttempt `json:"attempts"`
}

// TestRun is a test as POST /api/v1/tests and GET /api/v1/tests/{run} answer it; results come
// as deliveries finish.
type TestRun struct {
	ID        string       `json:"id"`
	StartedAt string       `json:"started_at"`
	Done      bool         `json:"done"`
	Canceled  bool         `json:"canceled"`
	Error     string       `json:"error"`
	To        string       `json:"to"`
	Signing   string       `json:"signing"`
	Order     string       `json:"order"`
	Seed      uint64       `json:"seed"`
	Total     int          `json:"total"`
	Sent      int          `json:"sent"`
	Passed    int          `json:"passed"`
	Failed    int          `json:"failed"`
	Warnings  []string     `json:"warnings"`
	Results   []TestResult `json:"results"`
}

func (s *Server) postTest(w http.ResponseWriter, r *http.Request) {
	var in TestRequest
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
		writeError(w, backend.Errorf(backend.EINVALID, "choose what to test: ids, conversation, agent or q"))
		return
	}
	if in.TimeoutMS < 0 {
		writeError(w, backend.Errorf(backend.EINVALID, "timeout_ms %d: want 0 (the vendor's) or more", in.TimeoutMS))
		return
	}
	opts := contract.Options{To: in.To, Order: in.Order, Pace: in.Pace, Speed: in.Speed, Concurrency: in.Concurrency,
		Timeout: time.Duration(in.TimeoutMS) * time.Millisecond, Signing: in.Signing, Sets: in.Set, Retries: in.Retries,
		Shuffle: in.Shuffle, Seed: in.Seed, DuplicateRate: in.DuplicateRate}
	if len(in.Map) > 0 {
		token := strings.TrimPrefix(replay.NewRunID(), "run-")[:8]
		opts.IDMap = map[string]string{}
		for k, v := range in.Map {
			opts.IDMap[k] = strings.ReplaceAll(v, "{run}", token)
		}
	}
	if strings.TrimSpace(in.Expect) != "" {
		if opts.Expect, err = contract.ParseExpectations("expectations", []byte(in.Expect)); err != nil {
			writeError(w, err)
			return
		}
	}
	run, err := s.Tests.Test(r.Context(), sel, opts, in.Wait)
	if err != nil {
		writeError(w, err)
		return
	}
	status := http.StatusAccepted
	if run.Done {
		status = http.StatusOK
	}
	writeJSON(w, status, testView(run))
}

func (s *Server) getTestRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.Tests.TestRun(r.PathValue("run"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, testView(run))
}

func (s *Server) cancelTest(w http.ResponseWriter, r *http.Request) {
	if err := s.Tests.CancelTest(r.PathValue("run")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getTestJUnit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("run")
	b, err := s.Tests.TestJUnit(id)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="hooklens-`+id+`.xml"`)
	w.Write(b)
}

func testView(run contract.Run) TestRun {
	v := TestRun{ID: run.ID, StartedAt: formatTime(run.Started), Done: run.Done, Canceled: run.Canceled, Error: run.Error,
		To: run.Options.To, Signing: run.Options.Signing, Order: run.Options.Order, Seed: run.Seed, Total: run.Total,
		Sent: run.Sent, Warnings: append([]string{}, run.Warnings...), Results: make([]TestResult, 0, len(run.Cases))}
	for _, c := range run.Cases {
		res := TestResult{Index: c.Index, DeliveryID: c.DeliveryID, Vendor: c.Vendor, EventType: c.EventType,
			Conversation: c.Conversation, URL: c.URL, Signing: c.Signing, Passed: c.Passed,
			Failures: append([]string{}, c.Failures...), Attempts: make([]TestAttempt, 0, len(c.Attempts))}
		for _, a := range c.Attempts {
			res.Attempts = append(res.Attempts, TestAttempt{Kind: a.Kind, N: a.N, StartedAt: formatTime(a.StartedAt),
				Answer:   newAnswer(a.Status, a.StatusText, time.Duration(a.LatencyMS*float64(time.Millisecond)), []byte(a.Body), a.Truncated, a.Error),
				Failures: append([]string{}, a.Failures...)})
		}
		if c.Passed {
			v.Passed++
		} else {
			v.Failed++
		}
		v.Results = append(v.Results, res)
	}
	return v
}
