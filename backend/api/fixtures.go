package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/export"
	"hooklens/backend/replay"
	"hooklens/backend/simulate"
	"hooklens/backend/sqlite"
)

// Fixtures exports, imports, replays, forwards and simulates deliveries (FixtureService in
// production). See docs/api.md, "Fixtures".
type Fixtures interface {
	// Export writes the selection to w; EINVALID for a bad format or selection.
	Export(ctx context.Context, w io.Writer, opt export.Options) (export.Result, error)
	// Count says how many deliveries (and body bytes) a selection picks.
	Count(ctx context.Context, sel sqlite.Selection) (n, bytes int64, err error)
	// Import reads one uploaded file; format "" detects it from name and content.
	Import(ctx context.Context, r io.Reader, format, name string) (export.ImportResult, error)
	// Replay starts a replay (or, with wait, runs it to the end); EINVALID for a bad request.
	Replay(ctx context.Context, req replay.Request, wait bool) (replay.Run, error)
	// ReplayRun returns a started replay; ENOTFOUND when unknown.
	ReplayRun(id string) (replay.Run, error)
	// CancelReplay stops a running replay; ENOTFOUND when it is not running.
	CancelReplay(id string) error
	// Replays returns what targets answered to a delivery, newest first; ENOTFOUND for no delivery.
	Replays(ctx context.Context, deliveryID string) ([]sqlite.ReplayRecord, error)
	// Forward returns the live forward settings and counters.
	Forward() replay.ForwardStatus
	// SetForward changes and saves them; EINVALID for an unusable URL.
	SetForward(ctx context.Context, s replay.ForwardSettings) error
	// Scenarios lists the simulator's scenarios.
	Scenarios() []simulate.Scenario
	// Simulate sends a scenario ("" the conversation; vendor "all" every vendor's) to this
	// process's receiver; EINVALID for an unknown vendor or scenario.
	Simulate(ctx context.Context, vendor, scenario string) ([]simulate.Sent, error)
}

func (s *Server) fixtureRoutes(mux *http.ServeMux) {
	if s.Fixtures == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/export", s.getExport)
	mux.HandleFunc("GET /api/v1/export/count", s.countExport)
	mux.HandleFunc("POST /api/v1/import", s.postImport)
	mux.HandleFunc("POST /api/v1/replay", s.postReplay)
	mux.HandleFunc("GET /api/v1/replay/{run}", s.getReplayRun)
	mux.HandleFunc("DELETE /api/v1/replay/{run}", s.cancelReplay)
	mux.HandleFunc("GET /api/v1/deliveries/{id}/replays", s.getReplays)
	mux.HandleFunc("GET /api/v1/settings/forward", s.getForward)
	mux.HandleFunc("PUT /api/v1/settings/forward", s.putForward)
	mux.HandleFunc("GET /api/v1/simulate", s.getScenarios)
	mux.HandleFunc("POST /api/v1/simulate", s.postSimulate)
}

// selectionOf reads q, conversation, agent and id (repeatable or comma-separated) parameters.
func selectionOf(get func(string) string, ids []string) (sqlite.Selection, error) {
	sel := sqlite.Selection{Query: strings.TrimSpace(get("q"))}
	var err error
	if c := get("conversation"); c != "" {
		if sel.Conversation, err = sqlite.ParseRef(c); err != nil {
			return sel, err
		}
	}
	if a := get("agent"); a != "" {
		if sel.Agent, err = sqlite.ParseRef(a); err != nil {
			return sel, err
		}
	}
	for _, id := range ids {
		for _, part := range strings.Split(id, ",") {
			if part = strings.TrimSpace(part); part != "" {
				sel.IDs = append(sel.IDs, part)
			}
		}
	}
	if sel.Query != "" {
		if _, err := backend.ParseQuery(sel.Query); err != nil {
			return sel, err
		}
	}
	return sel, nil
}

var exportTypes = map[string][2]string{
	export.FormatNDJSON: {"application/x-ndjson", "ndjson"},
	export.FormatHAR:    {"application/json", "har"},
	export.FormatZip:    {"application/zip", "zip"},
}

func (s *Server) getExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := strings.ToLower(q.Get("format"))
	if format == "" || format == export.FormatFixtures {
		format = export.FormatZip // a folder cannot be downloaded
	}
	ct, ok := exportTypes[format]
	if !ok {
		writeError(w, backend.Errorf(backend.EINVALID, "format %q: want fixtures (a zip), ndjson or har", format))
		return
	}
	sel, err := selectionOf(q.Get, q["id"])
	if err != nil {
		writeError(w, err)
		return
	}
	n, bytes, err := s.Fixtures.Count(r.Context(), sel)
	if err != nil {
		writeError(w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ct[0])
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{
		"filename": "hooklens-" + time.Now().UTC().Format("20060102-150405") + "." + ct[1]}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Hooklens-Deliveries", strconv.FormatInt(n, 10))
	h.Set("X-Hooklens-Body-Bytes", strconv.FormatInt(bytes, 10))
	opt := export.Options{Format: format, Selection: sel, Scrub: flag(q.Get("scrub")), KeepSecrets: flag(q.Get("keep_secrets")),
		Pretty: flag(q.Get("pretty"))}
	if _, err := s.Fixtures.Export(r.Context(), w, opt); err != nil {
		s.Log.Error("export", "err", err)
		panic(http.ErrAbortHandler) // the download must not look complete
	}
}

func flag(v string) bool {
	b, _ := strconv.ParseBool(v)
	return b || v == "on" || v == "yes"
}

func (s *Server) countExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sel, err := selectionOf(q.Get, q["id"])
	if err != nil {
		writeError(w, err)
		return
	}
	n, bytes, err := s.Fixtures.Count(r.Context(), sel)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ExportCount{Deliveries: n, BodyBytes: bytes})
}

// postImport imports multipart files (field "file", repeatable) or the raw body (?format=, ?name=).
func (s *Server) postImport(w http.ResponseWriter, r *http.Request) {
	var files []ImportedFile
	add := func(name string, res export.ImportResult, err error) {
		f := ImportedFile{Name: name, ImportResult: res}
		if f.DuplicateIDs == nil {
			f.DuplicateIDs = []string{}
		}
		if f.Warnings == nil {
			f.Warnings = []string{}
		}
		if err != nil {
			f.Error = &APIError{Code: backend.ErrorCode(err), Message: backend.ErrorMessage(err)}
		}
		files = append(files, f)
	}
	format := strings.ToLower(r.URL.Query().Get("format"))
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			writeError(w, backend.Errorf(backend.EINVALID, "import: %v", err))
			return
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				writeError(w, backend.Errorf(backend.EINVALID, "import: %v", err))
				return
			}
			if part.FileName() == "" {
				continue
			}
			res, err := s.Fixtures.Import(r.Context(), part, format, part.FileName())
			add(part.FileName(), res, err)
		}
	} else {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "upload"
		}
		res, err := s.Fixtures.Import(r.Context(), r.Body, format, name)
		add(name, res, err)
	}
	if len(files) == 0 {
		writeError(w, backend.Errorf(backend.EINVALID, "import: no file in the request"))
		return
	}
	total := ImportResponse{Files: files}
	for _, f := range files {
		total.Imported += f.Imported
		total.Duplicates += f.Duplicates
		if f.Error != nil {
			total.Failed++
		}
	}
	writeJSON(w, http.StatusOK, total)
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
	run, err := s.Fixtures.Replay(r.Context(), replay.Request{Selection: sel, To: in.To, Pace: in.Pace, Speed: in.Speed}, in.Wait)
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
	run, err := s.Fixtures.ReplayRun(r.PathValue("run"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, runView(run))
}

func (s *Server) cancelReplay(w http.ResponseWriter, r *http.Request) {
	if err := s.Fixtures.CancelReplay(r.PathValue("run")); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getReplays(w http.ResponseWriter, r *http.Request) {
	recs, err := s.Fixtures.Replays(r.Context(), r.PathValue("id"))
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

func (s *Server) getForward(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Fixtures.Forward())
}

func (s *Server) putForward(w http.ResponseWriter, r *http.Request) {
	var in replay.ForwardSettings
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	if err := s.Fixtures.SetForward(r.Context(), in); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s.Fixtures.Forward())
}

func (s *Server) getScenarios(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, ScenarioList{Scenarios: s.Fixtures.Scenarios()})
}

func (s *Server) postSimulate(w http.ResponseWriter, r *http.Request) {
	var in SimulateRequest
	if err := decodeBody(r, &in); err != nil {
		writeError(w, err)
		return
	}
	sent, err := s.Fixtures.Simulate(r.Context(), in.Vendor, in.Scenario)
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
