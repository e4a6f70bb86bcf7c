package api

import (
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hooklens/backend"
	"hooklens/backend/decode"
	"hooklens/backend/export"
)

// Exports serves downloads of deliveries (ExportService in production). See docs/api.md, "Fixtures".
type Exports interface {
	// Export writes the selection to w; EINVALID for a bad format or selection.
	Export(ctx context.Context, w io.Writer, opt export.Options) (export.Result, error)
	// Count says how many deliveries (and body bytes) a selection picks.
	Count(ctx context.Context, sel backend.Selection) (n, bytes int64, err error)
}

// ExportService is the production Exports over a store.
type ExportService struct {
	Store     backend.ExportService
	Vendors   *decode.Registry           // the registered vendors: secrets kept, signatures redone
	Secret    func(vendor string) string // configured vendor secrets; may be nil
	Generator string                     // what the export says wrote it
}

// Export writes the selection to w.
func (e *ExportService) Export(ctx context.Context, w io.Writer, opt export.Options) (export.Result, error) {
	opt.Secrets, opt.Generator, opt.Vendors = e.secret, e.Generator, e.Vendors
	return export.Write(ctx, e.Store, w, opt)
}

func (e *ExportService) secret(vendor string) string {
	if e.Secret == nil {
		return ""
	}
	return e.Secret(vendor)
}

// Count says how many deliveries and body bytes sel picks.
func (e *ExportService) Count(ctx context.Context, sel backend.Selection) (int64, int64, error) {
	return e.Store.CountSelection(ctx, sel)
}

var _ Exports = (*ExportService)(nil)

func (s *Server) exportRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/export", s.getExport)
	mux.HandleFunc("GET /api/v1/export/count", s.countExport)
}

// selectionOf reads q, conversation, agent and id (repeatable or comma-separated) parameters.
func selectionOf(get func(string) string, ids []string) (backend.Selection, error) {
	sel := backend.Selection{Query: strings.TrimSpace(get("q"))}
	var err error
	if c := get("conversation"); c != "" {
		if sel.Conversation, err = backend.ParseRef(c); err != nil {
			return sel, err
		}
	}
	if a := get("agent"); a != "" {
		if sel.Agent, err = backend.ParseRef(a); err != nil {
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
	sel, n, bytes, ok := s.count(w, r)
	if !ok {
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
	if _, err := s.Exports.Export(r.Context(), w, opt); err != nil {
		s.Log.Error("export", "err", err)
		panic(http.ErrAbortHandler) // the download must not look complete
	}
}

func flag(v string) bool {
	b, _ := strconv.ParseBool(v)
	return b || v == "on" || v == "yes"
}

func (s *Server) countExport(w http.ResponseWriter, r *http.Request) {
	if _, n, bytes, ok := s.count(w, r); ok {
		writeJSON(w, http.StatusOK, ExportCount{Deliveries: n, BodyBytes: bytes})
	}
}

// count reads the selection of r's query and counts what it selects; on a failure it answers
// the error itself and ok is false.
func (s *Server) count(w http.ResponseWriter, r *http.Request) (sel backend.Selection, n, bytes int64, ok bool) {
	q := r.URL.Query()
	sel, err := selectionOf(q.Get, q["id"])
	if err == nil {
		n, bytes, err = s.Exports.Count(r.Context(), sel)
	}
	if err != nil {
		writeError(w, err)
		return sel, 0, 0, false
	}
	return sel, n, bytes, true
}

// ExportCount is GET /api/v1/export/count: what an export of the selection would hold.
type ExportCount struct {
	Deliveries int64 `json:"deliveries"`
	BodyBytes  int64 `json:"body_bytes"`
}
